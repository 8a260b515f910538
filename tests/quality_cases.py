"""Building stores for the quality tests: generated reports (rendered and read back, so a planted
fault goes through the reader like a real one), chained years of one office, and a loader that
writes parsed reports into an in-memory DuckDB with the project schema.

Shared by tests/test_quality.py and tests/test_quality_gx.py (imported by module name: pytest
puts tests/ on sys.path).
"""

from __future__ import annotations

import copy
import hashlib
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb
import pandas as pd

from nianbao import store
from nianbao.generate import prose, random_report, render_file
from nianbao.generate.tables import Style
from nianbao.model import (
    OTHER_SUBROWS,
    Cell,
    Report,
    application_columns,
    cell_keys,
    derive_other_handling,
)
from nianbao.parse import parse_bytes
from nianbao.pipeline import CELL_COLUMNS, SUBMISSION_COLUMNS

APPLICANTS = application_columns()[:-1]  # the six applicant columns
# Layouts whose every cell the reader recovers without the table arithmetic: a planted
# arithmetic fault must reach the checks as printed (the "flow" layout splits run-together digits
# by the arithmetic, so a broken table cannot be split there).
PLAIN_LAYOUTS = ("tsv", "markdown", "pipe", "html", "cell_per_line")


@dataclass
class Stored:
    """One parsed report and how it was received."""

    report: Report
    office: str | None = None  # the registry's name (default: as printed)
    district: str | None = "测试区"
    run_seq: int = 1
    mtime: datetime = datetime(2025, 1, 20, 9, 0)
    source_path: str | None = None
    submission_id: str | None = None
    is_current: bool | None = None  # None: as sql/load/mark_current.sql decides


def new_store() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    store.apply_schema(con)
    return con


def read_back(report: dict, layout: str = "tsv", seed: int = 0) -> Report:
    """Render the report dict in ``layout`` and parse the bytes, as the pipeline would."""
    name, data = render_file(report, layout, random.Random(seed))
    return parse_bytes(data, name)


def report_from_contract(report: dict, seed: int = 0) -> Report:
    """The Report a perfect reader would make of the report dict: every cell as drawn (blank and
    dash cells as 0 with their kind and printed text, a "text" cell unread with words in it),
    2021's other_handling derived, and the
    document's prose (section 一 states 收到…申请N件 or 未收到…申请)."""
    kinds = report.get("kinds", {})
    fmt = report["format"]
    cells = []
    for key in cell_keys(fmt):
        table, row, column = key
        if fmt == "2021" and row == "other_handling":
            continue
        kind = kinds.get(".".join(key), "number")
        value = report[table][row][column]
        raw = {"blank": "", "dash": "—", "text": "详见附件"}.get(kind, str(value))
        if kind == "text":
            value = None
        cells.append(Cell(table, row, column, value, kind, raw, label=row, where="generated"))
    if fmt == "2021":
        cells += derive_other_handling(cells)
    rng = random.Random(seed)
    blocks = prose.document(report, rng, Style.random(rng))
    narrative = "\n".join(str(text) for kind, text in blocks if kind != "table")
    return Report(office=report["office"], year=report["year"], format=fmt, cells=cells,
                  source_format="generated", narrative=narrative)


def load(con: duckdb.DuckDBPyConnection, stored: list[Stored],
         offices: list[tuple[str, str, bool]] = ()) -> list[str]:
    """Write the reports into the store (submissions, cells, narratives), the registry
    ``offices`` (office, district, expected), and mark the current submissions. Returns the
    submission ids in order."""
    subs, cells, prose, ids = [], {c: [] for c in CELL_COLUMNS}, [], []
    for i, s in enumerate(stored):
        r = s.report
        sid = s.submission_id or hashlib.sha256(
            f"{i}:{r.office}:{r.year}:{s.run_seq}:{s.mtime}".encode()).hexdigest()
        ids.append(sid)
        subs.append({
            "submission_id": sid, "office": s.office or r.office, "office_as_printed": r.office,
            "office_match": "exact", "district": s.district, "office_kind": "街道",
            "year": r.year, "format": r.format,
            "source_path": s.source_path or f"inbox/{i:04d}_{r.year}.txt",
            "source_format": r.source_format, "sha256": sid, "raw_path": f"raw/{sid}",
            "file_size": 1, "file_mtime": s.mtime, "received_at": datetime(2025, 1, 1),
            "run_id": f"run-{s.run_seq}", "run_seq": s.run_seq, "reader_version": "test",
            "is_current": False, "status": "consistent", "warnings": list(r.warnings),
        })
        prose.append({"submission_id": sid, "narrative": r.narrative})
        for c in r.cells:
            for column, value in zip(CELL_COLUMNS, (sid, c.table, c.row, c.column, c.value, c.kind,
                                                    c.raw, c.label, c.where, c.inferred),
                                     strict=True):
                cells[column].append(value)
    store.append_rows(con, "submissions", pd.DataFrame(subs, columns=SUBMISSION_COLUMNS))
    store.append_rows(con, "cells", pd.DataFrame(cells).astype({"value": "float64"}))
    store.append_rows(con, "narratives", pd.DataFrame(prose, columns=["submission_id",
                                                                      "narrative"]))
    if offices:
        store.replace_rows(con, "offices", pd.DataFrame(
            [{"office": o, "aliases": [], "district": d, "kind": "街道", "expected": e}
             for o, d, e in offices]))
    store.mark_current(con)
    for sid, s in zip(ids, stored, strict=True):
        if s.is_current is not None:
            con.execute("UPDATE submissions SET is_current = ? WHERE submission_id = ?",
                        [s.is_current, sid])
    return ids


# --- consistent reports and faults planted in them ---------------------------------------------

def consistent(seed: int, fmt: str = "2021", year: int | None = None,
               office: str | None = None, busy: bool = True) -> dict:
    """A random consistent report dict; ``busy`` redraws until table 3 has applications in at
    least two applicant columns and table 4 has cases (so that faults have room)."""
    rng = random.Random(seed)
    while True:
        report = random_report(rng, fmt, year, office)
        apps = report["applications"]
        used = [c for c in APPLICANTS if apps["new_received"][c] > 0]
        if not busy or (len(used) >= 2 and report["review_litigation"]["review"]["total"] > 0
                        and apps["granted"]["total"] > 0):
            return report


def bump(report: dict, table: str, row: str, column: str, by: int | float) -> None:
    """Change one cell (and forget that it was printed blank or as a dash)."""
    report[table][row][column] += by
    report.get("kinds", {}).pop(f"{table}.{row}.{column}", None)
    if table == "applications" and row in OTHER_SUBROWS:
        report[table]["other_handling"][column] += by


def chain(seed: int, office: str, years: list[int], fmt: str = "2021") -> list[dict]:
    """Consistent reports of one office for consecutive years: each year's carried_over is the
    year before's carried_forward and in_force follows issued and repealed."""
    reports = [consistent(seed, fmt, years[0], office)]
    for k, year in enumerate(years[1:], start=1):
        prev = reports[-1]
        r = consistent(seed + 1000 * k, fmt, year, office)
        apps = r["applications"]
        for col in APPLICANTS:
            carried = prev["applications"]["carried_forward"][col]
            done = apps["results_total"][col] + apps["carried_forward"][col]
            if done < carried:  # more carried over than handled: grant the rest
                extra = carried - done
                apps["granted"][col] += extra
                apps["results_total"][col] += extra
                done = carried
            apps["carried_over"][col] = carried
            apps["new_received"][col] = done - carried
        for row in apps:
            apps[row]["total"] = sum(apps[row][c] for c in APPLICANTS)
        for item in ("regulations", "normative_documents"):
            cur, before = r["active_disclosure"][item], prev["active_disclosure"][item]
            cur["repealed"] = min(cur["repealed"], before["in_force"] + cur["issued"])
            cur["in_force"] = before["in_force"] + cur["issued"] - cur["repealed"]
        r["kinds"] = {k: v for k, v in r.get("kinds", {}).items()
                      if _value(r, k) == 0}  # a changed cell is printed as a number
        reports.append(r)
    return reports


def _value(report: dict, key: str):
    table, row, column = key.split(".")
    return report[table][row][column]


def with_kind(report: dict, key: str, kind: str) -> dict:
    """A copy of the report with the (zero) cell ``key`` printed blank or as a dash."""
    out = copy.deepcopy(report)
    assert _value(out, key) == 0, key
    out.setdefault("kinds", {})[key] = kind
    return out


def later(minutes: int) -> datetime:
    return datetime(2025, 1, 20, 9, 0) + timedelta(minutes=minutes)
