"""Rows of printed cells -> a stream of tokens: labels, numbers, dashes and blanks.

A table cell is one token.  A line of text (a site's text export, a PDF line, prose) is cut into
label text and runs of numbers: ``行政规范性文件6233440`` gives a label and a number run whose
digits may be several cells printed together; ``40000042.其他法律…`` gives ``4000004`` and the
label ``2.其他法律…`` (a single digit followed by a full stop and a CJK character is the ordinal
of the next label, never part of a number).
"""

from __future__ import annotations

import re
from typing import Final

from nianbao.parse.labels import normalise
from nianbao.read.rows import Row

LABEL: Final = "L"
NUMBER: Final = "N"
DASH: Final = "D"
BLANK: Final = "B"
SOFT_BLANK: Final = "b"  # an empty line, or an empty cell outside Markdown's outer pipes

DASH_TEXT = re.compile(r"^(?:[-—–―─/\\]+|无|/+|-+)$")
_THOUSANDS = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_NUMBER_CELL = re.compile(r"^[-+]?\d+(?:\.\d+)?$")
# A run of numbers in running text: digits with spaces, commas, points or minus signs between.
_RUN = re.compile(  # (two branches that each start with a character class: a faster scan)
    r"[-/][ ]*(?:[-/][ ]*)*\d(?:[\d ,.\-/]*\d)?(?:[ ]*[-/](?![\d.]))*"
    r"|\d(?:[\d ,.\-/]*\d)?(?:[ ]*[-/](?![\d.]))*", re.ASCII)  # digits: 0-9 (text normalised)
_CJK = re.compile(r"[\u3400-\u9fff(（]")
# Page markers that PDF text layers and their conversions leave inside tables: "— 4 —", "- 12 -".
PAGE_MARKER = re.compile(r"^\s*[-—–－]+\s*\d{1,3}\s*[-—–－]+\s*$")
_TRAILING_NUMBERS = re.compile(r"\s-?\d[\d ,.\-]*$")


class Token:
    """One printed item: a label, a number (run), a dash or a blank.  (A plain class rather than a
    dataclass: its ``__init__`` is then compiled with the parser, see ``nianbao._accel``.)"""

    __slots__ = ("kind", "text", "row", "splittable", "unit", "col")

    def __init__(self, kind: str, text: str, row: int, splittable: bool = False, unit: str = "",
                 col: int = -1) -> None:
        self.kind = kind
        self.text = text
        self.row = row  # index of the row it came from
        self.splittable = splittable  # digits may be several cells printed together
        self.unit = unit  # "元" or "万元" when printed with the number
        self.col = col  # the cell's position in its table row

    def __reduce__(self) -> tuple:
        return (Token, (self.kind, self.text, self.row, self.splittable, self.unit, self.col))

    def __repr__(self) -> str:
        return (f"Token({self.kind!r}, {self.text!r}, row={self.row}, "
                f"splittable={self.splittable}, unit={self.unit!r}, col={self.col})")


def _cell_tokens(text: str, row: int, out: list[Token]) -> None:
    """One table cell: a number, a dash, a blank, several space-separated numbers, or text."""
    if text.isascii() and text.isdigit():
        out.append(Token(NUMBER, text, row))
        return
    t = normalise(text).strip()
    if not t:
        out.append(Token(BLANK, "", row))
        return
    unit = ""
    if t.endswith("元") and t[:1].isdigit():
        unit = "万元" if t.endswith("万元") else "元"
        t = t[: -len(unit)].strip()
    if DASH_TEXT.match(t):
        out.append(Token(DASH, t, row))
        return
    if _THOUSANDS.match(t):
        out.append(Token(NUMBER, t.replace(",", ""), row, False, unit))
        return
    if _NUMBER_CELL.match(t):
        out.append(Token(NUMBER, t, row, False, unit))
        return
    if unit:
        t += unit
    parts = t.split()
    if len(parts) > 1 and all(_NUMBER_CELL.match(p) or DASH_TEXT.match(p) for p in parts):
        for p in parts:
            out.append(Token(DASH if DASH_TEXT.match(p) else NUMBER, p, row))
        return
    if _looks_like_label_and_numbers(t):
        _flow_tokens(t, row, out)
        return
    out.append(Token(LABEL, t, row))


def _looks_like_label_and_numbers(t: str) -> bool:
    """A cell such as ``行政许可 97`` (label and value in one cell, as PDF lines give them)."""
    m = _TRAILING_NUMBERS.search(t)
    return m is not None and bool(_CJK.search(t[: m.start()]))


def _flow_tokens(text: str, row: int, out: list[Token]) -> None:
    """Running text: label pieces and number runs, with ordinals kept on their labels."""
    pos = 0
    n = len(text)
    for m in _RUN.finditer(text):
        start, end = m.start(), m.end()
        if start < pos:
            continue
        run = m.group()
        # "…0042.其他" : the digit before "." + CJK is the next label's ordinal.
        if end < n - 1 and text[end] in ".、" and _CJK.match(text[end + 1:end + 3].lstrip()[:1] or " "):
            run = run[:-1].rstrip(" ,.")
            if not run:
                continue  # the whole run is an ordinal: label text
            end = start + len(run)
        # A run glued to a preceding Latin letter or inside a word like "数据1" stays text
        if start > 0 and text[start - 1].isascii() and text[start - 1].isalpha():
            continue
        if start > pos:
            _label(text[pos:start], row, out)
        for atom in run.split():
            _number_atom(atom, row, out)
        pos = end
    if pos < n:
        _label(text[pos:], row, out)


_DASH_RUN = re.compile(r"([-—–―─/\\]+)")
_DASH_CHAR = re.compile(r"[-—–―─/\\]")
_TRAILING_WU = re.compile(r"(?:(?<!\S)无(?!\S)|[-—–―─/\\]|\s)+$")


def _label(text: str, row: int, out: list[Token]) -> None:
    """Text between number runs: label pieces, and the dash cells printed among them."""
    t = text.strip()
    if not t:
        return
    if t.startswith(("元", "万元")) and out and out[-1].kind == NUMBER:
        out[-1].unit = "万元" if t.startswith("万元") else "元"
        t = t[len(out[-1].unit):].strip()
        if not t:
            return
    if "无" in t:
        # 无 standing alone at the end, among spaces and dashes only, is a dash cell:
        # "行政强制 无", "0 1 无 无 — 1" (but not the 无 of a label with spaces: "(四) 无 法提供")
        m = _TRAILING_WU.search(t)
        if m is not None and "无" in m.group():
            _label(t[:m.start()], row, out)
            for word in m.group().split():
                if word == "无":
                    out.append(Token(DASH, "无", row, True))
                else:
                    _label(word, row, out)
            return
    if _DASH_CHAR.search(t) is None:
        out.append(Token(LABEL, t, row))
        return
    # "本年增/减" is a heading word, not a dash cell
    for i, piece in enumerate(_DASH_RUN.split(t.replace("增/减", "增减"))):
        if i % 2:
            out.append(Token(DASH, piece, row, True))  # "——" may be one cell or two
        elif piece.strip():
            out.append(Token(LABEL, piece.strip(), row))


def _number_atom(atom: str, row: int, out: list[Token]) -> None:
    if atom.isdigit():  # (the common case)
        out.append(Token(NUMBER, atom, row, True))
        return
    if atom.strip("-/") == "":
        out.append(Token(DASH, atom, row, True))
        return
    if _THOUSANDS.match(atom):
        out.append(Token(NUMBER, atom.replace(",", ""), row, True))
        return
    for piece in atom.split(","):
        if piece:
            out.append(Token(NUMBER, piece, row, True))


Parts = tuple[tuple[str, str, bool, str], ...]  # (kind, text, splittable, unit) of each token
# Memos: the same cells and short lines recur in every report.  (Plain dicts, emptied when
# full, rather than lru_cache: a lookup is a C call once compiled.)
MEMO_SIZE: Final = 65536
_CELL_MEMO: dict[str, Parts] = {}
_LINE_MEMO: dict[str, Parts] = {}


def _cell_parts(text: str) -> Parts:
    """Tokens of one table cell."""
    parts = _CELL_MEMO.get(text)
    if parts is None:
        out: list[Token] = []
        _cell_tokens(text, 0, out)
        parts = tuple((t.kind, t.text, t.splittable, t.unit) for t in out)
        if len(_CELL_MEMO) >= MEMO_SIZE:
            _CELL_MEMO.clear()
        _CELL_MEMO[text] = parts
    return parts


LONG_LINE: Final = 120  # longer lines (running text) are seldom seen twice: not memoised


def _line_parts(text: str) -> Parts:
    """Tokens of a short line that is not a table row, memoised."""
    parts = _LINE_MEMO.get(text)
    if parts is None:
        parts = tuple((x.kind, x.text, x.splittable, x.unit) for x in _line_tokens(text, 0))
        if len(_LINE_MEMO) >= MEMO_SIZE:
            _LINE_MEMO.clear()
        _LINE_MEMO[text] = parts
    return parts


def _line_tokens(text: str, row: int) -> list[Token]:
    """Tokens of a line that is not a table row (a soft blank for an empty line)."""
    text = normalise(text)
    if not text.strip():
        return [Token(SOFT_BLANK, "", row)]
    if PAGE_MARKER.match(text):
        return []
    t = text.strip()
    if DASH_TEXT.match(t):
        return [Token(DASH, t, row)]
    if _NUMBER_CELL.match(t):
        return [Token(NUMBER, t, row, True)]
    out: list[Token] = []
    _flow_tokens(t, row, out)
    return out


# A line starting like this begins a new row or heading; it never continues a wrapped label.
_STARTS_ITEM = re.compile(r"^\s*([一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十]+[)）]|\d+\s*[.、．]|第二十条|#)")


def tokens_of_rows(rows: list[Row], start: int = 0, stop: int | None = None) -> list[Token]:
    """Tokens of rows[start:stop].  Empty prose lines give soft blanks (a cell-per-line copy
    prints a blank cell as an empty line; elsewhere they are only spacing)."""
    out: list[Token] = []
    append = out.append
    stop = len(rows) if stop is None else stop
    open_label: Token | None = None  # a label ending a line of text, which may wrap onto the next
    for i in range(start, stop):
        r = rows[i]
        if r.is_table:
            open_label = None
            cells = r.cells
            last = len(cells) - 1
            soft = r.soft_edges
            for k, c in enumerate(cells):
                if not c:
                    edge = soft and (k == 0 or k == last)
                    append(Token(SOFT_BLANK if edge else BLANK, "", i, False, "", k))
                    continue
                parts = _cell_parts(c)
                if len(parts) == 1:
                    kind, text, split, unit = parts[0]
                    append(Token(kind, text, i, split, unit, k))
                    continue
                for kind, text, split, unit in parts:
                    append(Token(kind, text, i, split, unit, k))
            continue
        line = r.cells[0] if len(r.cells) == 1 else " ".join(r.cells)
        if len(line) > LONG_LINE:
            toks = _line_tokens(line, i)
        else:
            toks = [Token(kind, text, i, split, unit) for kind, text, split, unit in _line_parts(line)]
        for j, tok in enumerate(toks):
            if (j == 0 and tok.kind == LABEL and open_label is not None
                    and not _STARTS_ITEM.match(tok.text)):
                open_label.text += tok.text  # a label wrapped over lines, or stacked characters
                continue
            append(tok)
        open_label = out[-1] if toks and toks[-1].kind == LABEL else None
    return out
