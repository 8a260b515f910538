"""Tables 2, 3 and 4 out of a token stream.

Table 3 is read by alignment, not by position: its 25 (2019: 23) rows always come in the official
order, so the groups of seven values found in the document are matched to the rows in that order.
A label printed in the same row as its values pins its group to that row (an anchor); between two
anchors, groups without a usable label fill the remaining rows in order when the counts agree.
This reads tab copies with merged-cell gaps, Markdown tables broken into fragments with labels
separated from their numbers, one cell per line, and text exports whose digits run together.
"""

from __future__ import annotations

import itertools
from functools import cache
from typing import Final

from nianbao.model import (
    FORMAT_2019,
    MISSING,
    TABLE_ACTIVE,
    TABLE_APPLICATIONS,
    TABLE_REVIEW,
    TEXT,
    Cell,
    active_items,
    application_columns,
    application_rows,
    review_groups,
    review_outcomes,
)
from nianbao.parse import digits
from nianbao.parse.labels import compact, match_active_item, match_application_row
from nianbao.parse.tokens import BLANK as T_BLANK
from nianbao.parse.tokens import DASH as T_DASH
from nianbao.parse.tokens import LABEL, SOFT_BLANK, Token
from nianbao.parse.tokens import NUMBER as T_NUMBER
from nianbao.read.rows import Row

N_APP: Final = 7  # six applicant columns and the total
N_REVIEW: Final = 15  # three groups of five outcomes


class Group:
    """One row's values as found, and the row they were aligned to.  (Plain classes here rather
    than dataclasses: their ``__init__`` is then compiled, see ``nianbao._accel``.)"""

    def __init__(self, tokens: list[Token], first_row: int, label: Token | None = None) -> None:
        self.tokens = tokens
        self.first_row = first_row
        self.label = label  # a label printed right before it in the same row
        self.code: str | None = None  # the row it was aligned to


class Found:
    """What a table reader found: its cells and warnings."""

    def __init__(self) -> None:
        self.cells: list[Cell] = []
        self.warnings: list[str] = []


# --------------------------------------------------------------------------- grouping

def _value_runs(tokens: list[Token], lo: int, hi: int) -> list[tuple]:
    """The region as ('L', label token, None) and ('V', [tokens of one row], [the same without
    soft blanks]) in order."""
    out: list[tuple] = []
    run: list[Token] = []
    soft = False
    row = -2
    for t in itertools.islice(tokens, lo, hi):
        kind = t.kind
        if kind == LABEL:
            if run:
                out.append(("V", run, [x for x in run if x.kind != SOFT_BLANK] if soft else run))
                run = []
                soft = False
            out.append(("L", t, None))
            continue
        if run and t.row != row:
            out.append(("V", run, [x for x in run if x.kind != SOFT_BLANK] if soft else run))
            run = []
            soft = False
        row = t.row
        run.append(t)
        if kind == SOFT_BLANK:
            soft = True
    if run:
        out.append(("V", run, [x for x in run if x.kind != SOFT_BLANK] if soft else run))
    return out


def _strong(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if t.kind != SOFT_BLANK]


def _trim_to(tokens: list[Token], n: int, prefer_col: int | None = None) -> list[Token] | None:
    """Drop blank cells left by merged cells at the ends of a row until n remain.

    Which end to drop from is told by the column where the table's other rows start their
    values (`prefer_col`), when this row allows it; otherwise trailing blanks go first.
    """
    if prefer_col is not None and len(tokens) > n:
        for k in range(len(tokens) - n + 1):
            window = tokens[k:k + n]
            if window[0].col == prefer_col:
                dropped = tokens[:k] + tokens[k + n:]
                if all(t.kind == T_BLANK for t in dropped):
                    return window
                break
    toks = list(tokens)
    while len(toks) > n and toks[-1].kind == T_BLANK:
        toks.pop()
    while len(toks) > n and toks[0].kind == T_BLANK:
        toks.pop(0)
    return toks if len(toks) == n else None


def _trim_soft(tokens: list[Token], n: int) -> list[Token] | None:
    """Empty lines at the ends of a cell-per-line group are spacing, not cells."""
    toks = list(tokens)
    while len(toks) > n and toks[-1].kind == SOFT_BLANK:
        toks.pop()
    while len(toks) > n and toks[0].kind == SOFT_BLANK:
        toks.pop(0)
    return toks if len(toks) == n else None


def digits_capacity(tokens: list[Token]) -> int:
    """How many cells these tokens could hold at most if their digits were split."""
    return sum(sum(ch.isdigit() or ch in "-—/" for ch in t.text) if t.splittable else 1
               for t in tokens)


def _groups_of_runs(runs: list[tuple[list[Token], list[Token]]], n: int, noise: list[str],
                    prefer_col: int | None = None) -> list[list[Token]]:
    """Cut consecutive value runs (no label between them; each with and without its soft
    blanks) into groups of n cells."""
    out: list[list[Token]] = []
    short: list[Token] = []

    def flush_short():
        if not short:
            return
        strong = _strong(short)
        if strong and len(strong) % n == 0:
            out.extend(strong[i:i + n] for i in range(0, len(strong), n))
        elif len(strong) < n <= len(short) and _trim_soft(short, n):
            out.append(_trim_soft(short, n))  # one cell per line, blank cells as empty lines
        elif strong and len(strong) < n and digits_capacity(strong) >= n:
            out.append(strong)  # digits run together: split later by the arithmetic
        elif strong:
            noise.append(" ".join(t.text for t in strong))
        short.clear()

    for run, strong in runs:
        if strong and len(strong) < n and all(t.kind == T_BLANK for t in strong):
            continue  # empty cells of heading rows and merged cells
        if len(strong) >= n:
            flush_short()
            trimmed = _trim_to(strong, n, prefer_col)
            if trimmed is not None:
                out.append(trimmed)
            elif len(strong) % n == 0:
                out.extend(strong[i:i + n] for i in range(0, len(strong), n))
            else:
                noise.append(" ".join(t.text or "∅" for t in strong))
        else:
            short.extend(run)
    flush_short()
    return out


def _value_column(runs: list[tuple], n: int) -> int | None:
    """The column where a table's rows start their n values, by the rows that show it plainly
    (exactly n cells after the label, or a non-blank cell at an end of a longer row)."""
    votes: dict[int, int] = {}
    for kind, run, strong in runs:
        if kind != "V" or run[0].col < 0 or len(strong) < n:
            continue
        if len(strong) == n or strong[0].kind != T_BLANK:
            c = strong[0].col
        elif strong[-1].kind != T_BLANK:
            c = strong[-n].col
        else:
            continue
        votes[c] = votes.get(c, 0) + 1
    return max(votes, key=lambda c: votes[c]) if votes else None


def _sequence(tokens: list[Token], lo: int, hi: int, n: int, noise: list[str]):
    """The region as an ordered list of ('L', token) and ('G', Group)."""
    seq: list[tuple] = []
    runs = _value_runs(tokens, lo, hi)
    prefer_col = _value_column(runs, n)
    pending: list[tuple[list[Token], list[Token]]] = []
    last_label: Token | None = None

    def flush():
        nonlocal last_label
        if not pending:
            return
        for j, g in enumerate(_groups_of_runs(pending, n, noise, prefer_col)):
            lab = last_label if (j == 0 and last_label is not None
                                 and last_label.row == g[0].row) else None
            seq.append(("G", Group(g, g[0].row, lab)))
        pending.clear()
        last_label = None

    for kind, item, strong in runs:
        if kind == "L":
            flush()
            seq.append(("L", item))
            last_label = item
        else:
            pending.append((item, strong))
    flush()
    return seq


# --------------------------------------------------------------------------- table 3

def _row_sum_ok(vals: list) -> bool:
    if len(vals) < N_APP:
        return True
    v = [x[0] for x in vals]
    if any(x is None for x in v):
        return True
    return abs(sum(v[:6]) - v[6]) < 1e-9


def _app_label_code(tok: Token, first_in_row, fmt: str) -> str | None:
    code = match_application_row(tok.text, fmt)
    if code == "results_total" and compact(tok.text) == "总计" and not first_in_row(tok):
        return None  # the 总计 column heading
    return code


def read_applications(tokens: list[Token], lo: int, hi: int, fmt: str, rows: list[Row]) -> Found:
    found = Found()
    noise: list[str] = []
    seq = _sequence(tokens, lo, hi, N_APP, noise)
    row_codes = application_rows(fmt)
    single_other = fmt != FORMAT_2019 and _prints_single_other_row(seq)
    if single_other:
        # Some 2021-format reports keep the 2019 table's one （六）其他处理 row: read it as
        # other_handling; the three sub-rows were not printed.
        row_codes = application_rows(FORMAT_2019)
        found.warnings.append("table 3 prints （六）其他处理 as one row: its three sub-rows are missing")
        for code in ("other_no_correction", "other_no_fee_paid", "other_other"):
            for col in application_columns():
                found.cells.append(Cell(TABLE_APPLICATIONS, code, col, None, MISSING))
    index = {c: i for i, c in enumerate(row_codes)}
    match_fmt = FORMAT_2019 if single_other else fmt

    firsts: set[int] = set()

    def first_in_row(tok: Token) -> bool:
        """Whether the token begins its row (asked only of a bare 总计 label)."""
        if not firsts:
            prev_row = -1
            for t in itertools.islice(tokens, lo, hi):
                if t.row != prev_row:
                    firsts.add(id(t))
                    prev_row = t.row
        return id(tok) in firsts

    groups: list[Group] = []
    weak: dict[int, int] = {}  # group position -> row index of a label printed just before it
    prev_label_code: str | None = None
    for kind, item in seq:
        if kind == "L":
            prev_label_code = _app_label_code(item, first_in_row, match_fmt)
            continue
        g: Group = item
        if g.label is not None:
            label_code = _app_label_code(g.label, first_in_row, match_fmt)
            g.code = label_code if label_code in index else None
        if g.code is None and prev_label_code is not None and prev_label_code in index:
            weak[len(groups)] = index[prev_label_code]
        groups.append(g)
        prev_label_code = None

    assigned = _align(groups, weak, index, len(row_codes), found.warnings)
    if noise:
        found.warnings.append("table 3: ignored stray values: " + "; ".join(noise[:5]))

    settled = _settle_by_columns(_read_rows(assigned, row_codes, found.warnings), row_codes, fmt)
    columns = application_columns()
    append = found.cells.append
    for code in row_codes:
        found_group = assigned.get(code)
        values = settled.get(code)
        if found_group is None:
            label = where = ""
        else:
            label = found_group.label.text if found_group.label is not None else ""
            where = rows[found_group.first_row].where
        if not values:
            for col in columns:
                append(Cell(TABLE_APPLICATIONS, code, col, None, MISSING, "", label, where))
            continue
        for col, v in zip(columns, values, strict=True):
            if v is not None and v[1] != "text":
                append(Cell(TABLE_APPLICATIONS, code, col, v[0], v[1], v[2], label, where, v[3]))
            else:
                append(_cell(TABLE_APPLICATIONS, code, col, v, label, where))
    return found


def _prints_single_other_row(seq) -> bool:
    """A 2021-format table whose （六） row carries values itself and has no sub-row labels."""
    has_single = False
    for kind, item in seq:
        tok = item if kind == "L" else item.label
        if tok is None:
            continue
        text = compact(tok.text)
        if "其他" not in text and "补正" not in text and "缴纳" not in text:
            continue  # (a cheap look first: the labels that matter all contain one of these)
        if match_application_row(tok.text, "2021") in ("other_no_correction", "other_no_fee_paid"):
            return False
        if kind == "G" and match_application_row(tok.text, FORMAT_2019) == "other_handling":
            has_single = True
    return has_single


def _align(groups: list[Group], weak: dict[int, int], index: dict[str, int], nrows: int,
           warnings: list[str]) -> dict[str, Group]:
    """Match groups to rows: anchors first, then the gaps between anchors in order."""
    codes = list(index)
    anchors: list[tuple[int, int]] = []  # (group position, row index)
    last_row = -1
    for gi, g in enumerate(groups):
        if g.code is not None:
            ri = index[g.code]
            if ri > last_row:
                anchors.append((gi, ri))
                last_row = ri
            else:
                g.code = None
    result: dict[str, Group] = {}
    for gi, ri in anchors:
        result[codes[ri]] = groups[gi]
    bounds = [(-1, -1), *anchors, (len(groups), nrows)]
    for (g0, r0), (g1, r1) in itertools.pairwise(bounds):
        _fill_gap(groups, list(range(g0 + 1, g1)), list(range(r0 + 1, r1)), weak, codes,
                  result, warnings)
    return result


def _fill_gap(groups, gpos: list[int], rpos: list[int], weak, codes, result, warnings) -> None:
    if not gpos or not rpos:
        if rpos and not gpos:
            pass  # rows with no values at all: reported as missing cells
        return
    if len(gpos) == len(rpos):
        for gi, ri in zip(gpos, rpos, strict=True):
            groups[gi].code = codes[ri]
            result[codes[ri]] = groups[gi]
        return
    # Counts differ: use labels printed just before a group (same order) as extra anchors.
    subs = [(gi, weak[gi]) for gi in gpos if weak.get(gi) in rpos]
    mono, last = [], -1
    for gi, ri in subs:
        if ri > last:
            mono.append((gi, ri))
            last = ri
    if not mono:
        warnings.append(
            f"table 3: {len(gpos)} value rows for {len(rpos)} rows "
            f"({codes[rpos[0]]} … {codes[rpos[-1]]}): left unread")
        return
    for gi, ri in mono:
        groups[gi].code = codes[ri]
        result[codes[ri]] = groups[gi]
    bounds = [(gpos[0] - 1, rpos[0] - 1), *mono, (gpos[-1] + 1, rpos[-1] + 1)]
    for (g0, r0), (g1, r1) in itertools.pairwise(bounds):
        sub_g = [g for g in gpos if g0 < g < g1]
        sub_r = [r for r in rpos if r0 < r < r1]
        if len(sub_g) == len(sub_r):
            for gi, ri in zip(sub_g, sub_r, strict=True):
                groups[gi].code = codes[ri]
                result[codes[ri]] = groups[gi]
        elif sub_r:
            warnings.append(
                f"table 3: {len(sub_g)} value rows for {len(sub_r)} rows "
                f"({codes[sub_r[0]]} … {codes[sub_r[-1]]}): left unread")


def _read_rows(assigned: dict[str, Group], row_codes, warnings) -> dict[str, list[list]]:
    """Every row's candidate readings (one when nothing had to be split)."""
    out: dict[str, list[list]] = {}
    for code in row_codes:
        g = assigned.get(code)
        if g is None:
            continue
        needs_split = len(g.tokens) != N_APP
        if not needs_split:
            plain = digits.plain_cells(g.tokens)
            if plain is not None:
                out[code] = [plain]
                continue
        one = g.tokens[0]
        if (needs_split and len(g.tokens) == 1 and one.splittable and one.text.isdigit()):
            cands: list[list[tuple]] | None = [
                [(int(p), "number", p, True) for p in split]
                for split in digits.split_row_with_total(one.text, N_APP - 1)]
        else:
            cands = (digits.row_splits_with_total(g.tokens, N_APP - 1) if needs_split else None)
            if cands is None:
                cands = digits.candidate_splits(g.tokens, N_APP,
                                                accept=_row_sum_ok if needs_split else None,
                                                checkpoints=(N_APP,))
        if not cands:
            warnings.append(f"table 3 row {code}: cannot read {_show(g.tokens)}")
        out[code] = cands or []
    return out


def _settle_by_columns(readings: dict[str, list[list]], row_codes, fmt) -> dict[str, list | None]:
    """Rows with several possible splits: keep the combinations for which the column arithmetic
    (results_sum, balance) holds; a cell is taken only where every survivor agrees."""
    ambiguous = [c for c, r in readings.items() if len(r) > 1]
    final: dict[str, list | None] = {c: (r[0] if len(r) == 1 else None)
                                     for c, r in readings.items()}
    if not ambiguous:
        return final
    survivors = _column_search(readings, final, ambiguous, fmt)
    for c in ambiguous:
        cands = [s[c] for s in survivors] if survivors else readings[c]
        final[c] = digits.agreed_cells(cands, N_APP)
    return final


def _column_search(readings, fixed, ambiguous, fmt, max_nodes: int = 400_000,
                   max_survivors: int = 2_000) -> list[dict]:
    """Depth-first search over the ambiguous rows' readings for those where, in every column,
    the result rows add up to results_total and new + carried over = results_total + carried
    forward.  Partial sums are pruned by the least and most the remaining rows can add."""
    result_rows = set(_result_rows(fmt))
    coef = {}
    for code in readings:
        a = 1 if code in result_rows else (-1 if code == "results_total" else 0)
        b = {"new_received": 1, "carried_over": 1, "results_total": -1, "carried_forward": -1}.get(code, 0)
        coef[code] = (a, b)
    # which equations can be checked: every row they involve was read (fixed rows: numbers only)
    involved = {0: [c for c in readings if coef[c][0]], 1: [c for c in readings if coef[c][1]]}
    base = [[0] * N_APP, [0] * N_APP]
    live = [[True] * N_APP, [True] * N_APP]
    for e in (0, 1):
        needed = result_rows | {"results_total"} if e == 0 else {
            "new_received", "carried_over", "results_total", "carried_forward"}
        if not needed <= set(readings):
            live[e] = [False] * N_APP
            continue
        for code in involved[e]:
            if code in ambiguous:
                continue
            row = fixed.get(code)
            for j in range(N_APP):
                v = None if row is None or row[j] is None else row[j][0]
                if v is None:
                    live[e][j] = False
                else:
                    base[e][j] += coef[code][e] * v
    if not any(any(x) for x in live):
        return []
    order = sorted(ambiguous, key=lambda c: len(readings[c]))
    vectors = {c: [[x[0] for x in r] for r in readings[c]] for c in order}
    # the least and most that rows order[k:] can still add to each equation's column
    lo = [[[0] * N_APP for _ in range(2)] for _ in range(len(order) + 1)]
    hi = [[[0] * N_APP for _ in range(2)] for _ in range(len(order) + 1)]
    for k in range(len(order) - 1, -1, -1):
        c = order[k]
        for e in (0, 1):
            for j in range(N_APP):
                vals = [coef[c][e] * vec[j] for vec in vectors[c]]
                lo[k][e][j] = lo[k + 1][e][j] + min(vals)
                hi[k][e][j] = hi[k + 1][e][j] + max(vals)
    out: list[dict] = []
    chosen: list[int] = []
    nodes = 0

    def ok(k: int, sums) -> bool:
        for e in (0, 1):
            for j in range(N_APP):
                if live[e][j] and not lo[k][e][j] <= -sums[e][j] <= hi[k][e][j]:
                    return False
        return True

    def walk(k: int, sums) -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > max_nodes or len(out) > max_survivors:
            return False
        if not ok(k, sums):
            return True
        if k == len(order):
            out.append({c: readings[c][i] for c, i in zip(order, chosen, strict=True)})
            return True
        c = order[k]
        for i, vec in enumerate(vectors[c]):
            nxt = [[sums[e][j] + coef[c][e] * vec[j] for j in range(N_APP)] for e in (0, 1)]
            chosen.append(i)
            going = walk(k + 1, nxt)
            chosen.pop()
            if not going:
                return False
        return True

    if not walk(0, base):
        return []  # too many to tell: no column settles anything
    return out


@cache
def _result_rows(fmt: str) -> tuple[str, ...]:
    rows = application_rows(fmt)
    return rows[rows.index("granted"):rows.index("results_total")]


# --------------------------------------------------------------------------- table 4

def _groups_sum_ok(vals: list) -> bool:
    v = [x[0] for x in vals]
    for k in range(0, len(v) - 4, 5):
        part = v[k:k + 5]
        if None in part:
            continue
        if abs(sum(part[:4]) - part[4]) > 1e-9:
            return False
    return True


def read_review(tokens: list[Token], lo: int, hi: int, rows: list[Row]) -> Found:
    found = Found()
    picked: list[Token] = []
    with_edges: list[Token] = []  # the same rows with their soft edge cells
    first_row = None
    for kind, item, strong in _value_runs(tokens, lo, hi):
        if kind == "L":
            continue
        if not any(t.kind in (T_NUMBER, T_DASH) for t in strong):
            continue  # heading rows: their empty cells are no data
        if first_row is None:
            first_row = strong[0].row
        if len(picked) + len(strong) > N_REVIEW:
            trimmed = _trim_to(strong, N_REVIEW - len(picked))
            strong = trimmed if trimmed is not None else strong
        picked.extend(strong)
        with_edges.extend(item)
        if len(picked) >= N_REVIEW:
            break
    if len(picked) < N_REVIEW and len(with_edges) == N_REVIEW and all(t.col >= 0 for t in with_edges):
        picked = with_edges  # a pipe row whose first or last cell is blank
    if len(picked) < N_REVIEW:
        picked = _cells_per_line(tokens, lo, hi) or picked
    if not picked:
        picked = _all_blank_row(tokens, lo, hi)  # a blank form: one row of 15 empty cells
    if not picked:
        return found
    if len(picked) > N_REVIEW:
        found.warnings.append(f"table 4: {len(picked)} values for 15 cells: {_show(picked)}")
        picked = picked[:N_REVIEW]
    needs_split = len(picked) != N_REVIEW
    if needs_split and len(picked) == 1 and picked[0].splittable and picked[0].text.isdigit():
        cands = [[(int(p), "number", p, True) for p in split]
                 for split in digits.split_groups_with_totals(picked[0].text, 3, 4)]
    else:
        cands = digits.candidate_splits(picked, N_REVIEW,
                                        accept=_groups_sum_ok if needs_split else None,
                                        checkpoints=(5, 10, 15), only_agreement=True)
    values = cands[0] if len(cands) == 1 else digits.agreed_cells(cands, N_REVIEW)
    if not cands:
        found.warnings.append(f"table 4: cannot read {_show(picked)}")
    where = rows[first_row].where if first_row is not None else ""
    k = 0
    for g in review_groups():
        for o in review_outcomes():
            v = values[k] if values else None
            found.cells.append(_cell(TABLE_REVIEW, g, o, v, "", where))
            k += 1
    return found


def _cells_per_line(tokens: list[Token], lo: int, hi: int) -> list[Token]:
    """Table 4 copied one cell per line: empty lines are its blank cells.  The values start after
    the last heading before the first number."""
    first = next((i for i in range(lo, hi) if tokens[i].kind in (T_NUMBER, T_DASH)), None)
    if first is None:
        # a blank form copied one cell per line: nothing but empty lines after the headings
        last_label = max((i for i in range(lo, hi) if tokens[i].kind == LABEL), default=lo - 1)
        tail = [t for t in tokens[last_label + 1:hi]]
        if len(tail) >= N_REVIEW and all(t.kind == SOFT_BLANK for t in tail):
            return tail[:N_REVIEW]
        return []
    start = first
    while start > lo and tokens[start - 1].kind == SOFT_BLANK:
        start -= 1  # blank cells before the first number: empty lines or an empty edge cell
    out: list[Token] = []
    for i in range(start, hi):
        t = tokens[i]
        if t.kind == LABEL or len(out) == N_REVIEW:
            break
        out.append(t)
    return out if len(out) == N_REVIEW else []


def _all_blank_row(tokens: list[Token], lo: int, hi: int) -> list[Token]:
    for kind, item, strong in _value_runs(tokens, lo, hi):
        if kind != "V" or not all(t.kind in (T_BLANK, SOFT_BLANK) for t in item):
            continue
        if len(strong) == N_REVIEW:
            return strong
        trimmed = _trim_soft(item, N_REVIEW) if len(strong) < N_REVIEW else None
        if trimmed is not None:
            return trimmed
    return []


# --------------------------------------------------------------------------- table 2

AMOUNT_METRICS = {("fees", "amount_10k_yuan"), ("procurement", "amount_10k_yuan")}


def read_active(tokens: list[Token], lo: int, hi: int, fmt: str, rows: list[Row]) -> Found:
    found = Found()
    items = active_items(fmt)
    wanted = {code for code, _ in items}
    best: dict[str, tuple[Token, list[Token], bool]] = {}
    seq = _value_runs(tokens, lo, hi)
    header = ""
    i = 0
    while i < len(seq):
        kind, item, _ = seq[i]
        if kind != "L":
            i += 1
            continue
        code = match_active_item(item.text)
        if code not in wanted:
            header = compact(item.text)
            i += 1
            continue
        runs = []
        j = i + 1
        while j < len(seq) and seq[j][0] == "V":
            runs.append(seq[j][1])
            j += 1
        toks = [t for r in runs for t in r]
        units = {t.unit for t in toks if t.unit}
        yuan = "元" in units or (not units and _header_says_yuan(header + compact(item.text)))
        if runs:
            best[code] = (item, toks, yuan)
        i = j
    for code, metrics in items:
        n = len(metrics)
        if code not in best:
            for m in metrics:
                found.cells.append(Cell(TABLE_ACTIVE, code, m, None, MISSING))
            continue
        label, toks, yuan = best[code]
        strong = _strong(toks)
        if len(strong) > n:
            strong = _by_header_spans(strong, n, rows, label.row) or _trim_to(strong, n) or strong
        while len(strong) > n and strong[-1].text == strong[-2].text and not strong[-1].splittable:
            strong = strong[:-1]  # a merged value cell repeated over its span by a converter
        per_line = (_trim_soft(toks, n) if len(strong) < n and all(t.row != label.row for t in toks)
                    else None)
        if per_line is not None:
            strong = per_line  # one cell per line: blank cells as empty lines
        negative_ok = [m == "change" for m in metrics]
        values: list[tuple | None]
        if len(strong) > n:
            values = [None] * n
            found.warnings.append(f"table 2 {code}: {len(strong)} values for {n} cells: {_show(strong)}")
        else:
            cands = digits.candidate_splits(strong, n, negative_ok, only_agreement=True)
            values = list(cands[0]) if len(cands) == 1 else digits.agreed_cells(cands, n)
            if len(cands) != 1:
                found.warnings.append(
                    f"table 2 {code}: {_show(strong)} cannot be split into {n} cells without guessing")
        where = rows[label.row].where
        for m, v in zip(metrics, values, strict=True):
            if v is not None and (code, m) in AMOUNT_METRICS and v[0] is not None and yuan:
                v = (round(v[0] / 10000, 6), v[1], v[2], v[3])
            found.cells.append(_cell(TABLE_ACTIVE, code, m, v, label.text, where))
    return found


def _by_header_spans(values: list[Token], n: int, rows: list[Row], label_row: int) -> list[Token] | None:
    """A converter that repeats a merged cell over its span repeats its heading too
    (| 信息内容 | 采购项目数量 | 采购总金额 | 采购总金额 |): one value per run of equal headings."""
    if any(t.col < 0 or t.row != label_row for t in values):
        return None
    for r in range(label_row - 1, max(label_row - 4, -1), -1):
        head = rows[r]
        if not head.is_table or len(head.cells) != len(rows[label_row].cells):
            continue
        texts = [compact(head.cells[t.col]) for t in values]
        if not all(texts) or any(ch.isdigit() for x in texts for ch in x):
            return None
        picked = [t for k, t in enumerate(values) if k == 0 or texts[k] != texts[k - 1]]
        return picked if len(picked) == n else None
    return None


def _header_says_yuan(header: str) -> bool:
    return ("(元)" in header or "单位:元" in header) and "万元" not in header


# --------------------------------------------------------------------------- cells

def _cell(table, row, col, v, label, where) -> Cell:
    if v is None:
        return Cell(table, row, col, None, MISSING, "", label, where)
    value, kind, raw, inferred = v
    if kind == "text":
        return Cell(table, row, col, None, TEXT, raw, label, where)
    return Cell(table, row, col, value, kind, raw, label, where, inferred)


def _show(tokens: list[Token]) -> str:
    return " ".join(t.text or "∅" for t in tokens)


__all__ = ["read_active", "read_applications", "read_review", "FORMAT_2019"]
