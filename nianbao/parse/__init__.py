"""Rows of cells -> the normalised report.

``parse_file`` / ``parse_bytes`` read any supported file; ``parse_rows`` does the work: find the
title, tell the format by the tables' own labels, locate the three tables and read them.
"""

from __future__ import annotations

from pathlib import Path

from nianbao.errors import NianbaoError, NotAReport, TableNotFound, UnreadableFile
from nianbao.model import (
    FORMAT_2019,
    FORMAT_2021,
    MISSING,
    TABLE_APPLICATIONS,
    Cell,
    Report,
    derive_other_handling,
)
from nianbao.parse.labels import (
    FORMAT_2019_MARKERS,
    FORMAT_2021_MARKERS,
    SECTION5_MARKERS,
    TABLE3_HEADING,
    TABLE4_MARKERS,
    compact,
)
from nianbao.parse.tables import read_active, read_applications, read_review
from nianbao.parse.title import find_office_and_year
from nianbao.parse.tokens import LABEL, tokens_of_rows
from nianbao.read import Row, read_rows

READER_VERSION = "0.1.0"


def parse_file(path: str | Path) -> Report:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise UnreadableFile(f"cannot read file: {e.strerror or e}", str(path)) from None
    return parse_bytes(data, str(path))


def parse_bytes(data: bytes, name: str = "") -> Report:
    """Parse one report file's bytes; bad input raises a NianbaoError naming the file."""
    try:
        rows, source_format = read_rows(data, name)
        report = parse_rows(rows, source_format)
    except NianbaoError as e:
        raise e.with_path(name) from None
    except RecursionError:
        raise UnreadableFile("document nested too deeply to read", name) from None
    report.source_path = name
    return report


def detect_format(text: str) -> str:
    """The format by the tables' own labels (not by the year)."""
    s19 = sum(m in text for m in FORMAT_2019_MARKERS)
    s21 = sum(m in text for m in FORMAT_2021_MARKERS)
    return FORMAT_2019 if s19 > s21 else FORMAT_2021


def parse_rows(rows: list[Row], source_format: str = "text") -> Report:
    lines = [r.cells[0] if len(r.cells) == 1 else " ".join(filter(None, r.cells)) for r in rows]
    first, tables_text = _table_start(lines)
    if "公开" not in tables_text:
        raise NotAReport("not a government information-disclosure annual report "
                         "(no 政府信息公开 wording)")
    fmt = detect_format(tables_text)
    office, year = find_office_and_year(lines)
    tokens = tokens_of_rows(rows, first, _last_table_row(lines, first))
    t2, t3, t4, t4_end = _sections(tokens)
    if t3 is None:
        raise TableNotFound("table 3 (收到和处理政府信息公开申请情况) not found: "
                            "truncated or not an annual report")
    warnings: list[str] = []
    if office is None:
        warnings.append("office name not found in the title")
    if year is None:
        warnings.append("year reported on not found")

    cells: list[Cell] = []
    active = read_active(tokens, t2 if t2 is not None else t3, t3, fmt, rows)
    apps = read_applications(tokens, t3, t4 if t4 is not None else len(tokens), fmt, rows)
    if not any(c.value is not None for c in apps.cells):
        raise TableNotFound("table 3 (收到和处理政府信息公开申请情况) has no readable numbers")
    review = read_review(tokens, t4, t4_end, rows) if t4 is not None else None
    for part in (active, apps, review):
        if part is not None:
            cells += part.cells
            warnings += part.warnings
    if review is None or not review.cells:
        warnings.append("table 4 (行政复议、行政诉讼) not found")
        cells += _missing_review()
    if fmt == FORMAT_2021 and not any(c.row == "other_handling" for c in cells):
        cells += derive_other_handling(cells)
    narrative = "\n".join(lines[: tokens[t2].row] if t2 is not None else lines[: tokens[t3].row])
    if t4_end < len(tokens):
        narrative += "\n" + "\n".join(lines[tokens[t4_end].row:])
    return Report(office=office, year=year, format=fmt, cells=cells,
                  source_format=source_format, narrative=narrative, warnings=warnings)


def _table_start(lines: list[str]) -> tuple[int, str]:
    """Where the tables may start (prose before it is not tokenised: a speed-up only), and the
    text from there on without spaces (to tell the format by)."""
    joined = "\n".join(lines)
    if joined.count("\n") != len(lines) - 1:  # a cell with a line break inside
        joined = "\n".join(x.replace("\n", " ") for x in lines)
    squeezed = joined.replace(" ", "").replace("\u3000", "")
    pos = _table_start_pos(squeezed)
    if pos < 0:
        return 0, squeezed.replace("\n", "")
    start = squeezed.rfind("\n", 0, pos) + 1
    return squeezed.count("\n", 0, start), squeezed[start:].replace("\n", "")


def _table_start_pos(squeezed: str) -> int:
    """In the squeezed text (lines kept): the first 第二十条 up to the line of the first 本年新收,
    else the last heading of table 2 or 3 before it, else -1."""
    pos_new = squeezed.find("本年新收")
    if pos_new < 0:
        return -1
    end = squeezed.find("\n", pos_new)
    end = len(squeezed) if end < 0 else end
    art = squeezed.find("第二十条", 0, end)
    if art >= 0:
        return art
    return max(squeezed.rfind("收到和处理", 0, end), squeezed.rfind("主动公开政府信息", 0, end))


def _last_table_row(lines: list[str], first: int) -> int:
    """Past the tables: the first line of section 5 after table 4's heading (a speed-up only)."""
    seen_review = False
    for i in range(first, len(lines)):
        line = lines[i]
        if not seen_review:
            seen_review = "行政复议" in line and "本年新收" not in line
        elif ("存在的主要问题" in line or "其他需要报告" in line) and len(line) < 200:
            return i + 1
    return len(lines)


def clear_memos() -> None:
    """Forget the memos of cells, lines and labels seen so far (they are bounded anyway; this is
    for benchmarks of reports never seen before)."""
    from nianbao.parse import labels, tokens

    tokens._CELL_MEMO.clear()
    tokens._LINE_MEMO.clear()
    labels._COMPACT.clear()
    labels._ACTIVE_MEMO.clear()
    for memo in labels._APP_MEMO.values():
        memo.clear()


def _missing_review() -> list[Cell]:
    from nianbao.model import TABLE_REVIEW, review_groups, review_outcomes

    return [Cell(TABLE_REVIEW, g, o, None, MISSING) for g in review_groups() for o in review_outcomes()]


def _sections(tokens) -> tuple[int | None, int | None, int | None, int]:
    """Token positions where tables 2, 3 and 4 start, and where table 4 ends."""
    labels = [(i, compact(t.text)) for i, t in enumerate(tokens) if t.kind == LABEL]
    n = len(tokens)

    def first(pred, after: int = -1) -> int | None:
        return next((i for i, c in labels if i > after and pred(c)), None)

    t2 = first(lambda c: "第二十条第" in c)
    t3 = first(lambda c: "本年新收" in c, after=(t2 if t2 is not None else -1))
    if t3 is None:
        t3 = first(lambda c: "本年新收" in c)
    if t3 is None:
        return t2, None, None, n
    # Fragmented tables print values before the first label: start at the table's heading.
    start = t2 or 0
    heading = [i for i, c in labels if start <= i < t3 and TABLE3_HEADING in c]
    if heading:
        t3 = heading[-1]
    last_row = first(lambda c: "结转下年" in c or "下年度继续" in c, after=t3 - 1)
    t4 = first(lambda c: bool(TABLE4_MARKERS.search(c)),
               after=last_row if last_row is not None else t3)
    t4_end = n
    if t4 is not None:
        t4_end = first(lambda c: bool(SECTION5_MARKERS.search(c)), after=t4) or n
    if t2 is not None and t2 > t3:
        t2 = None
    return t2, t3, t4, t4_end


__all__ = ["parse_file", "parse_bytes", "parse_rows", "clear_memos", "READER_VERSION",
           "TABLE_APPLICATIONS"]
