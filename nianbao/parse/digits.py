"""Numbers printed run together: find the splits the table's own arithmetic allows.

Some sites' text exports drop the separators between cells: table 4 of a report reads
``1324019`` where the page shows 13 | 2 | 4 | 0 | 19.  :func:`candidate_splits` lists every way to
cut the printed atoms into the wanted number of cells (a multi-digit number never starts with 0;
only cells that may be negative take a minus sign); the caller keeps the splits for which the
arithmetic holds and takes a cell only where all of them agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from nianbao.parse.tokens import BLANK, DASH, NUMBER, SOFT_BLANK, Token

_PART = re.compile(r"^-?(?:0|[1-9]\d*)(?:\.\d+)?$")
MAX_CANDIDATES = 200_000


class TooManySplits(Exception):
    pass


def number(text: str) -> int | float:
    t = text.replace(",", "")
    if "." in t:
        v = float(t)
        return int(v) if v.is_integer() and not t.rstrip("0").endswith(".") else v
    return int(t)


def _compositions(s: str, k: int) -> Iterator[list[str]]:
    """Cut the string s into k valid number parts."""
    if k == 1:
        if _PART.match(s):
            yield [s]
        return
    # the first part takes 1..len(s)-(k-1) characters
    for i in range(1, len(s) - k + 2):
        head = s[:i]
        if not _PART.match(head):
            if head.startswith("0") and len(head) > 1:
                break  # longer heads keep the leading zero
            continue
        for rest in _compositions(s[i:], k - 1):
            yield [head, *rest]


def _atom_pieces(text: str) -> list[str]:
    """A minus sign inside an atom starts a new cell: "2648-18538" -> "2648", "-18538"."""
    return [p for p in re.split(r"(?=-)", text) if p]


def candidate_splits(tokens: list[Token], n: int, negative_ok: list[bool] | None = None,
                     accept: Callable[[list], bool] | None = None,
                     checkpoints: tuple[int, ...] = ()) -> list[list[tuple]]:
    """Every reading of `tokens` as exactly n cells that `accept` allows.

    A reading is a list of n ``(value, kind, raw, inferred)``.  Tokens that are not splittable
    (a table cell, a dash, a blank) give one cell each; a splittable number token gives one or more.
    `accept` is also asked about each partial reading whose length reaches one of `checkpoints`
    (the end of a group whose arithmetic can already be checked), which prunes the search.
    Cells are cut one at a time, so a wrong group is abandoned as soon as it is complete.
    """
    marks = set(checkpoints)
    units: list[tuple[Token, str, bool]] = []
    for t in tokens:
        if t.kind == NUMBER and t.splittable:
            pieces = _atom_pieces(t.text)
            units.extend((t, p, len(pieces) > 1) for p in pieces)
        else:
            units.append((t, t.text, False))
    if len(units) > n:
        return []
    if len(units) == n and accept is None:
        cells = [_single(tok, text, j, negative_ok) for j, (tok, text, _) in enumerate(units)]
        if all(c is not None for c in cells):
            return [[(c[0], c[1], c[2], c[3] or units[j][2]) for j, c in enumerate(cells)]]
    # capacity[i]: most cells units[i:] can give
    capacity = [0] * (len(units) + 1)
    for i in range(len(units) - 1, -1, -1):
        tok, text, _ = units[i]
        cap = sum(ch.isdigit() for ch in text) if (tok.kind == NUMBER and tok.splittable) else 1
        capacity[i] = capacity[i + 1] + cap
    results: list[list[tuple]] = []
    steps = 0
    acc: list[tuple] = []

    def push_ok(cell) -> bool:
        acc.append(cell)
        if accept is not None and len(acc) in marks and not accept(acc):
            acc.pop()
            return False
        return True

    def rec(i: int, off: int) -> None:
        nonlocal steps
        steps += 1
        if steps > MAX_CANDIDATES:
            raise TooManySplits
        slots = n - len(acc)
        if i == len(units):
            if slots == 0 and (accept is None or n in marks or accept(acc)):
                results.append(list(acc))
            return
        tok, text, cut_at_sign = units[i]
        rest = text[off:]
        digits_left = sum(ch.isdigit() for ch in rest) if off else capacity[i] - capacity[i + 1]
        if slots < len(units) - i or slots > digits_left + capacity[i + 1]:
            return
        if tok.kind != NUMBER or not tok.splittable:
            cell = _single(tok, text, len(acc), negative_ok)
            if cell is not None and push_ok(cell):
                rec(i + 1, 0)
                acc.pop()
            return
        for length in range(1, len(rest) + 1):
            part = rest[:length]
            if not _PART.match(part):
                if part.startswith("0") and length > 1:
                    break
                if part.startswith("-0") and length > 2:
                    break
                continue
            if part.startswith("-") and not (negative_ok and negative_ok[len(acc)]):
                break
            whole = off == 0 and length == len(rest)
            value = float(part) if "." in part else int(part)
            if push_ok((value, "number", part, cut_at_sign or not whole)):
                if length == len(rest):
                    rec(i + 1, 0)
                else:
                    rec(i, off + length)
                acc.pop()

    try:
        rec(0, 0)
    except TooManySplits:
        return []
    return results


def _passes(acc: list, before: int, marks: set[int], accept) -> bool:
    for c in range(before + 1, len(acc) + 1):
        if c in marks and not accept(acc[:c]):
            return False
    return True


def _single(tok: Token, text: str, pos: int, negative_ok) -> tuple | None:
    if tok.kind == NUMBER:
        if text.startswith("-") and not (negative_ok and negative_ok[pos]):
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
    for lt in range(1, n - parts + 1):
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
    for length in range(1, rest - left + 2):
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
        for length in range(1, room + 1):
            p = s[pos:pos + length]
            if length > 1 and p[0] == "0":
                break
            acc.append(p)
            _parts(pos + length, left - 1, total + int(p), acc, left_groups, g)
            acc.pop()

    group(0, 0, [])
    return out
