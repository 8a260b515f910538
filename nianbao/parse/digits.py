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
                     accept: Callable[[list], bool] | None = None) -> list[list[tuple]]:
    """Every reading of `tokens` as exactly n cells that `accept` allows.

    A reading is a list of n ``(value, kind, raw, inferred)``.  Tokens that are not splittable
    (a table cell, a dash, a blank) give one cell each; a splittable number token gives one or more.
    """
    units: list[tuple[Token, str, bool]] = []
    for t in tokens:
        if t.kind == NUMBER and t.splittable:
            pieces = _atom_pieces(t.text)
            units.extend((t, p, len(pieces) > 1) for p in pieces)
        else:
            units.append((t, t.text, False))
    if len(units) > n:
        return []
    results: list[list[tuple]] = []
    count = 0

    def rec(i: int, slots: int, acc: list[tuple]) -> None:
        nonlocal count
        count += 1
        if count > MAX_CANDIDATES:
            raise TooManySplits
        if i == len(units):
            if slots == 0 and (accept is None or accept(acc)):
                results.append(list(acc))
            return
        remaining_units = len(units) - i - 1
        tok, text, cut_at_sign = units[i]
        if tok.kind != NUMBER or not tok.splittable:
            cell = _single(tok, text, len(acc), negative_ok)
            if cell is None:
                return
            acc.append(cell)
            rec(i + 1, slots - 1, acc)
            acc.pop()
            return
        digits = len(text.lstrip("-").replace(".", ""))
        for k in range(1, min(digits, slots - remaining_units) + 1):
            for parts in _compositions(text, k):
                ok = True
                for j, p in enumerate(parts):
                    if p.startswith("-") and not (negative_ok and negative_ok[len(acc) + j]):
                        ok = False
                        break
                if not ok:
                    continue
                inferred = k > 1 or cut_at_sign
                for p in parts:
                    acc.append((number(p), "number", p, inferred))
                rec(i + 1, slots - k, acc)
                del acc[len(acc) - k:]

    try:
        rec(0, n, [])
    except TooManySplits:
        return []
    return results


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
