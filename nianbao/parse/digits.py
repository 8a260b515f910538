"""Numbers printed run together: find the splits the table's own arithmetic allows.

Some sites' text exports drop the separators between cells: table 4 of a report reads
``1324019`` where the page shows 13 | 2 | 4 | 0 | 19.  :func:`candidate_splits` lists every way to
cut the printed atoms into the wanted number of cells (a multi-digit number never starts with 0;
only cells that may be negative take a minus sign); the caller keeps the splits for which the
arithmetic holds and takes a cell only where all of them agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from nianbao.parse.tokens import BLANK, DASH, NUMBER, SOFT_BLANK, Token

_PART = re.compile(r"^-?(?:0|[1-9]\d*)(?:\.\d+)?$")
MAX_CANDIDATES: Final = 200_000
# No count in these tables has more digits than this; longer pieces of a run are not cells.
MAX_DIGITS: Final = 7


class TooManySplits(Exception):
    pass


def number(text: str) -> int | float:
    if text.isdigit():
        return int(text)
    t = text.replace(",", "")
    if "." in t:
        v = float(t)
        return int(v) if v.is_integer() and not t.rstrip("0").endswith(".") else v
    return int(t)


# Units of a run: DIGITS may give several cells, SIGN is a lone "-" (a dash cell, or the minus
# sign of the next number where a cell may be negative), DASHES is a run of dash characters in
# running text (one dash cell per character, or the whole run one cell: "——" is one Chinese dash),
# ATOM is one cell as printed.
DIGITS: Final = "digits"
SIGN: Final = "sign"
DASHES: Final = "dashes"
ATOM: Final = "atom"
SLASH: Final = "slash"
_DASH_CHARS = set("-—–―─/\\")
_SIGN_OR_SLASH = re.compile(r"(-|/)")


def _units(tokens: list[Token]) -> list[tuple[Token, str, str]]:
    units: list[tuple[Token, str, str]] = []
    for t in tokens:
        if t.kind == NUMBER and t.splittable:
            for piece in _SIGN_OR_SLASH.split(t.text):
                if piece == "-":
                    units.append((t, piece, SIGN))
                elif piece == "/":
                    units.append((t, piece, SLASH))
                elif piece:
                    units.append((t, piece, DIGITS))
        elif t.kind == DASH and t.splittable and len(t.text) > 1 and set(t.text) <= _DASH_CHARS:
            units.append((t, t.text, DASHES))
        else:
            units.append((t, t.text, ATOM))
    return units


def _unit_capacity(kind: str, text: str) -> tuple[int, int]:
    """Fewest and most cells a unit can give."""
    if kind == DIGITS:
        return 1, sum(ch.isdigit() for ch in text)
    if kind == SIGN:
        return 0, 1
    if kind == DASHES:
        return len(text.replace("——", "—")), len(text)
    return 1, 1


def candidate_splits(tokens: list[Token], n: int, negative_ok: list[bool] | None = None,
                     accept: Callable[[list], bool] | None = None,
                     checkpoints: tuple[int, ...] = (),
                     only_agreement: bool = False) -> list[list[tuple]]:
    """Every reading of `tokens` as exactly n cells that `accept` allows.

    A reading is a list of n ``(value, kind, raw, inferred)``.  Tokens that are not splittable
    (a table cell, a dash, a blank) give one cell each; a splittable number token gives one or more.
    `accept` is also asked about each partial reading whose length reaches one of `checkpoints`
    (the end of a group whose arithmetic can already be checked), which prunes the search.
    Cells are cut one at a time, so a wrong group is abandoned as soon as it is complete.
    With `only_agreement` the search stops once every cell has been read two ways: the caller
    only keeps the cells all readings agree on, and no further reading can add one.
    """
    if len(tokens) == n and accept is None and not any(t.splittable for t in tokens):
        singles = [_single(t, t.text, j, negative_ok) for j, t in enumerate(tokens)]
        return [[c for c in singles if c is not None]] if None not in singles else []
    units = _units(tokens)
    if len(units) == n and accept is None and all(k in (ATOM, DIGITS) for *_, k in units):
        singles = [_single(tok, text, j, negative_ok) for j, (tok, text, _) in enumerate(units)]
        if None not in singles:
            return [[c for c in singles if c is not None]]
    return _search(units, n, negative_ok, accept, set(checkpoints), only_agreement)


def plain_cells(tokens: list[Token]) -> list[tuple] | None:
    """The reading of cells printed one per token (nothing run together), or None when some
    token needs :func:`candidate_splits` (digits that may hold several cells, odd text)."""
    out: list[tuple] = []
    append = out.append
    for t in tokens:
        kind = t.kind
        if kind == NUMBER:
            text = t.text
            if text.isascii() and text.isdigit() and (len(text) == 1 or text[0] != "0"
                                                      or not t.splittable):
                append((int(text), "number", text, False))
            else:
                return None
        elif kind == DASH and not t.splittable:
            append((0, "dash", t.text, False))
        elif kind == BLANK or kind == SOFT_BLANK:
            append((0, "blank", "", False))
        else:
            return None
    return out


def row_splits_with_total(tokens: list[Token], parts: int) -> list[list[tuple]] | None:
    """Readings of a row printed run together as `parts` cells followed by their total.

    The total is the tail of the last printed number, so each possible tail is tried first and
    the other cells are searched with every partial sum above it abandoned at once.  None when
    the row does not end in digits (the general search applies).
    """
    units = _units(tokens)
    if not units or units[-1][2] != DIGITS or not units[-1][1].isdigit():
        return None
    tok, text, cut_at_sign = units[-1]
    out: list[list[tuple]] = []
    for length in range(1, min(len(text), MAX_DIGITS) + 1):
        tail = text[-length:]
        if length > 1 and tail[0] == "0":
            continue
        head = units[:-1] + ([(tok, text[:-length], DIGITS)] if length < len(text) else [])
        tail_cell = (int(tail), "number", tail, False)
        out += _search(head, parts, None, None, set(), False, target=int(tail),
                       tail=(tail_cell, id(tok)))
    return out


def _search(units: list[tuple[Token, str, str]], n: int, negative_ok: list[bool] | None,
            accept: Callable[[list], bool] | None, marks: set[int], only_agreement: bool,
            target: int | None = None, tail: tuple | None = None) -> list[list[tuple]]:
    """The search behind candidate_splits; with `target`, the cells must add up to it (and
    `tail`, a (cell, owner) pair, is appended to each reading)."""
    lo = [0] * (len(units) + 1)
    hi = [0] * (len(units) + 1)
    for i in range(len(units) - 1, -1, -1):
        a, b = _unit_capacity(units[i][2], units[i][1])
        lo[i], hi[i] = lo[i + 1] + a, hi[i + 1] + b
    if not lo[0] <= n <= hi[0]:
        return []
    search = _Search(units, n, negative_ok, accept, marks, only_agreement, target, tail, lo, hi)
    try:
        search.rec(0, 0, False)
    except TooManySplits:
        return search.results if only_agreement and all(search.undecided) else []
    return search.results


class _Search:
    """Depth-first over the ways to cut the units into n cells (state of one `_search`)."""

    def __init__(self, units: list[tuple[Token, str, str]], n: int,
                 negative_ok: list[bool] | None, accept: Callable[[list], bool] | None,
                 marks: set[int], only_agreement: bool, target: int | None, tail: tuple | None,
                 lo: list[int], hi: list[int]) -> None:
        self.units = units
        self.n = n
        self.negative_ok = negative_ok
        self.accept = accept
        self.marks = marks
        self.only_agreement = only_agreement
        self.target = target
        self.tail = tail
        self.lo = lo
        self.hi = hi
        self.results: list[list[tuple]] = []
        self.steps = 0
        self.acc: list[tuple] = []
        self.owners: list[int] = []  # the token each cell came from
        self.undecided = [False] * n
        self.running = 0  # the sum of the cells so far, when they must reach `target`

    def push_ok(self, cell: tuple, owner: int) -> bool:
        if self.target is not None:
            if cell[0] is None or self.running + cell[0] > self.target:
                return False
            self.running += cell[0]
        self.acc.append(cell)
        self.owners.append(owner)
        accept = self.accept
        if accept is not None and len(self.acc) in self.marks and not accept(self.acc):
            self.pop()
            return False
        return True

    def pop(self) -> None:
        cell = self.acc.pop()
        self.owners.pop()
        if self.target is not None:
            self.running -= cell[0]

    def found(self) -> None:
        acc, n = self.acc, self.n
        if self.tail is None:
            self.results.append(_with_inferred(acc, self.owners))
        else:
            self.results.append(_with_inferred([*acc, self.tail[0]],
                                               [*self.owners, self.tail[1]]))
        if self.only_agreement and len(self.results) > 1:
            first = self.results[0]
            last = self.results[-1]
            undecided = self.undecided
            for j in range(n):
                if not undecided[j] and last[j][0] != first[j][0]:
                    undecided[j] = True
            if all(undecided):
                raise TooManySplits

    def rec(self, i: int, off: int, sign: bool) -> None:
        self.steps += 1
        if self.steps > MAX_CANDIDATES:
            raise TooManySplits
        acc, n, units = self.acc, self.n, self.units
        slots = n - len(acc)
        if i == len(units):
            accept = self.accept
            if (slots == 0 and not sign and (self.target is None or self.running == self.target)
                    and (accept is None or n in self.marks or accept(acc))):
                self.found()
            return
        tok, text, kind = units[i]
        if off == 0:
            if not self.lo[i] <= slots <= self.hi[i]:
                return
        elif not 1 + self.lo[i + 1] <= slots <= len(text) - off + self.hi[i + 1]:
            return  # the rest of this unit needs at least one cell, at most one per digit
        me = id(tok)
        if kind == ATOM:
            cell = _single(tok, text, len(acc), self.negative_ok)
            if cell is not None and self.push_ok(cell, me):
                self.rec(i + 1, 0, False)
                self.pop()
            return
        if kind == SLASH:
            if self.push_ok((0, "dash", "/", True), me):
                self.rec(i + 1, 0, False)
                self.pop()
            return
        if kind == SIGN:
            if self.push_ok((0, "dash", "-", True), me):
                self.rec(i + 1, 0, False)
                self.pop()
            negative_ok = self.negative_ok
            if (negative_ok and len(acc) < n and negative_ok[len(acc)]
                    and i + 1 < len(units) and units[i + 1][2] == DIGITS):
                self.rec(i + 1, 0, True)
            return
        if kind == DASHES:
            # one cell per character, or with each "——" (the Chinese dash, two characters) as one
            for k in sorted({len(text.replace("——", "—")), len(text)}):
                if k > slots:
                    continue
                pushed = 0
                for _ in range(k):
                    if not self.push_ok((0, "dash", text if k == 1 else text[0], k > 1), me):
                        break
                    pushed += 1
                if pushed == k:
                    self.rec(i + 1, 0, False)
                for _ in range(pushed):
                    self.pop()
            return
        rest = text[off:]
        plain = rest.isascii() and rest.isdigit()
        for length in range(1, min(len(rest), MAX_DIGITS + 3) + 1):
            part = rest[:length]
            if plain:  # (the common case, without the regex)
                if length > 1 and part[0] == "0":
                    break
            elif not _PART.match(part):
                if part.startswith("0") and length > 1:
                    break
                continue
            value: int | float = float(part) if "." in part else int(part)
            raw = part
            if sign:
                value, raw = -value, "-" + part
            if self.push_ok((value, "number", raw, False), me):
                if length == len(rest):
                    self.rec(i + 1, 0, False)
                else:
                    self.rec(i, off + length, False)
                self.pop()


def _with_inferred(acc: list[tuple], owners: list[int]) -> list[tuple]:
    """A cell is inferred when its printed token gave more than one cell."""
    counts: dict[int, int] = {}
    for o in owners:
        counts[o] = counts.get(o, 0) + 1
    return [(v, k, raw, counts[o] > 1) for (v, k, raw, _), o in zip(acc, owners, strict=True)]


def _single(tok: Token, text: str, pos: int, negative_ok) -> tuple | None:
    if tok.kind == NUMBER:
        # a negative number in a cell of its own is read as printed (the checks flag it);
        # only inside digits run together is a minus sign taken for a dash
        if text.startswith("-") and tok.splittable and not (negative_ok and negative_ok[pos]):
            return None
        try:
            return (number(text), "number", tok.text, False)
        except ValueError:
            return None
    if tok.kind == DASH:
        return (0, "dash", tok.text, False)
    if tok.kind in (BLANK, SOFT_BLANK):
        return (0, "blank", "", False)
    return (None, "text", tok.text, False)


def agreed_cells(candidates: list[list[tuple]], n: int) -> list[tuple | None]:
    """Cell by cell: the reading all candidates agree on, else None."""
    if not candidates:
        return [None] * n
    first = candidates[0]
    out: list[tuple | None] = []
    for j in range(n):
        v = first[j]
        if all(c[j][0] == v[0] and c[j][1] == v[1] for c in candidates[1:]):
            inferred = v[3] or any(c[j][3] for c in candidates[1:])
            out.append((v[0], v[1], v[2], inferred))
        else:
            out.append(None)
    return out


def split_row_with_total(s: str, parts: int) -> list[list[str]]:
    """Cut a digit string into `parts` numbers followed by their total (a table-3 row printed as
    ``21710000218`` = 217|1|0|0|0|0|218).  The total is tried first, so every partial sum above it
    is abandoned at once."""
    out: list[list[str]] = []
    n = len(s)
    if n > (parts + 1) * MAX_DIGITS:
        return out
    for lt in range(1, min(n - parts, MAX_DIGITS) + 1):
        tail = s[n - lt:]
        if lt > 1 and tail[0] == "0":
            continue
        total = int(tail)
        prefix = s[: n - lt]
        _split_summing(prefix, 0, parts, total, [], out, tail)
    return out


def _split_summing(prefix: str, pos: int, left: int, remaining: int, acc: list[str],
                   out: list[list[str]], tail: str) -> None:
    rest = len(prefix) - pos
    if left == 1:
        p = prefix[pos:]
        if p and (len(p) == 1 or p[0] != "0") and int(p) == remaining:
            out.append([*acc, p, tail])
        return
    for length in range(1, min(rest - left + 1, MAX_DIGITS) + 1):
        p = prefix[pos:pos + length]
        if length > 1 and p[0] == "0":
            break
        v = int(p)
        if v > remaining:
            break
        acc.append(p)
        _split_summing(prefix, pos + length, left - 1, remaining - v, acc, out, tail)
        acc.pop()


def split_groups_with_totals(s: str, groups: int, parts: int) -> list[list[str]]:
    """Cut a digit string into `groups` runs of `parts` numbers each followed by their total
    (table 4 printed as ``21317000001324019``).  After a group's parts, its total is forced: the
    digits that follow must spell their sum."""
    out: list[list[str]] = []
    if len(s) > groups * (parts + 1) * MAX_DIGITS:
        return out

    def group(pos: int, g: int, acc: list[str]) -> None:
        if g == groups:
            if pos == len(s):
                out.append(list(acc))
            return
        left_groups = groups - g - 1
        _parts(pos, parts, 0, acc, left_groups, g)

    def _parts(pos: int, left: int, total: int, acc: list[str], left_groups: int, g: int) -> None:
        if left == 0:
            t = str(total)
            if s.startswith(t, pos):
                acc.append(t)
                group(pos + len(t), g + 1, acc)
                acc.pop()
            return
        # leave at least one digit per remaining cell of this and later groups
        room = len(s) - pos - (left - 1) - 1 - left_groups * (parts + 1)
        for length in range(1, min(room, MAX_DIGITS) + 1):
            p = s[pos:pos + length]
            if length > 1 and p[0] == "0":
                break
            acc.append(p)
            _parts(pos + length, left - 1, total + int(p), acc, left_groups, g)
            acc.pop()

    group(0, 0, [])
    return out
