"""A small hand-made snapshot for the publish tests: two districts, two years, eight reports.

The numbers are chosen so that every figure of the rollups can be added up by hand (see
``tests/test_rollups.py``), and so that any rollup adding a total to its own parts is caught:
each table-3 row holds its figure both in `natural_person` and in `total`, and 2021 reports hold
the three （六） sub-rows *and* the derived `other_handling`.

    甲区 (expects 甲区人民政府, 甲区东街街道办事处, 甲区教育局; 甲区档案馆 is not expected)
      2022  S1 政府 consistent · S2 街道 inconsistent                      教育局 missing
      2023  S3 政府 consistent · S4 街道 consistent (S5, older, superseded) · S8 档案馆 consistent
                                                                          教育局 missing
    乙县 (expects 乙县人民政府, 金屯镇人民政府)
      2023  S6 政府 consistent (2019 format) · S7 乡镇 inconsistent
    plus one quarantined file.

Until nianbao.quality fills quality_failures, the failures are inserted here directly.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from nianbao import publish, store
from nianbao.model import application_rows, review_groups

BUILT_AT = datetime(2024, 2, 1, 2, 0, 0)  # UTC

OFFICES = [
    # office, district, kind, expected
    ("甲区人民政府", "甲区", "政府", True),
    ("甲区东街街道办事处", "甲区", "街道", True),
    ("甲区教育局", "甲区", "部门", True),
    ("甲区档案馆", "甲区", "部门", False),
    ("乙县人民政府", "乙县", "政府", True),
    ("金屯镇人民政府", "乙县", "乡镇", True),
]

# id: office, year, format, status, current, table 3 figures (total column), table 4
# (group: upheld, corrected, other, pending, total). Unlisted rows and groups are printed as 0.
SUBMISSIONS = {
    "S1": ("甲区人民政府", 2022, "2021", "consistent", True,
           dict(new_received=10, carried_over=2, granted=5, partially_granted=2,
                denied_third_party=1, unavailable_not_held=1, other_other=1,
                results_total=10, carried_forward=2),
           dict(review=(1, 1, 0, 0, 2), litigation_direct=(0, 1, 0, 0, 1))),
    "S2": ("甲区东街街道办事处", 2022, "2021", "inconsistent", True,
           dict(new_received=7, granted=3, partially_granted=1, results_total=5,
                carried_forward=2),
           dict(review=(0, 1, 0, 0, 1), litigation_direct=(1, 0, 1, 0, 2))),
    "S3": ("甲区人民政府", 2023, "2021", "consistent", True,
           dict(new_received=20, carried_over=2, granted=12, partially_granted=3,
                denied_state_secret=1, denied_process_info=1, unavailable_unclear=1,
                rejected_duplicate=1, other_no_correction=1, results_total=20,
                carried_forward=2),
           dict(review=(1, 1, 0, 0, 2), litigation_direct=(1, 0, 0, 0, 1),
                litigation_after_review=(0, 0, 0, 1, 1))),
    "S4": ("甲区东街街道办事处", 2023, "2021", "consistent", True,
           dict(new_received=4, carried_over=2, granted=2, unavailable_not_held=2,
                results_total=4, carried_forward=2),
           {}),
    "S5": ("甲区东街街道办事处", 2023, "2021", "inconsistent", False,
           dict(new_received=100, granted=100, results_total=90, carried_forward=0),
           dict(review=(50, 50, 0, 0, 100))),
    "S6": ("乙县人民政府", 2023, "2019", "consistent", True,
           dict(new_received=8, granted=4, partially_granted=2, rejected_petition=1,
                other_handling=1, results_total=8),
           dict(review=(1, 2, 0, 0, 3), litigation_after_review=(0, 1, 0, 0, 1))),
    "S7": ("金屯镇人民政府", 2023, "2021", "inconsistent", True,
           dict(new_received=6, carried_over=1, granted=6, results_total=6),
           dict(litigation_direct=(1, 1, 0, 0, 2))),
    "S8": ("甲区档案馆", 2023, "2021", "consistent", True,
           dict(new_received=1, granted=1, results_total=1),
           {}),
}
OTHER_SUBROWS = ("other_no_correction", "other_no_fee_paid", "other_other")
OUTCOMES = ("upheld", "corrected", "other", "pending", "total")


def _failure(sid, rule, severity, cells, expected, found, message, raw=None, office=None,
             year=None):
    sub = SUBMISSIONS.get(sid)
    return dict(submission_id=sid, office=office or sub[0], year=year or sub[1], rule=rule,
                severity=severity, detail=f"{rule} failed", cells=cells, expected=expected,
                found=found, raw=raw, message_zh=message)


FAILURES = [
    _failure("S2", "results_sum", "error",
             ["applications.results_total.total", "applications.granted.total",
              "applications.partially_granted.total"], 4.0, 5.0,
             "表三“总计”列：各项办理结果之和为4，但“（七）总计”为5。"),
    _failure("S5", "balance", "error", ["applications.new_received.total"], 100.0, 90.0,
             "表三“总计”列不符合勾稽关系。"),
    _failure("S7", "balance", "error",
             ["applications.new_received.total", "applications.carried_over.total",
              "applications.results_total.total", "applications.carried_forward.total"],
             7.0, 6.0, "表三“总计”列不符合表中的勾稽关系：本年新收6＋上年结转1＝7，应等于办理结果总计6＋结转下年度继续办理0＝6。"),
    _failure("S3", "carry_continuity", "warning", ["applications.carried_over.total"], 0.0, 2.0,
             "上年结转2件，但上一年度报告结转下年度0件。"),
    _failure(None, "missing_report", "warning", [], 1.0, 0.0, "甲区教育局应报送2022年度报告，但未收到。",
             office="甲区教育局", year=2022),
    _failure(None, "missing_report", "warning", [], 1.0, 0.0, "甲区教育局应报送2023年度报告，但未收到。",
             office="甲区教育局", year=2023),
]


def submission_rows(rename: dict[str, str] | None = None) -> pd.DataFrame:
    rename = rename or {}
    district_of = {o[0]: (o[1], o[2]) for o in OFFICES}
    rows = []
    for n, (sid, (office, year, fmt, status, current, _, _)) in enumerate(SUBMISSIONS.items()):
        district, kind = district_of[office]
        rows.append(dict(submission_id=sid, sha256=sid, office=rename.get(office, office),
                         office_as_printed=rename.get(office, office), office_match="exact",
                         district=district, office_kind=kind, year=year, format=fmt,
                         source_path=f"{district}/{year}/{sid}.html", source_format="html",
                         received_at=datetime(2024, 1, 20 + n % 5, 8, 0), run_id="r1",
                         run_seq=1, is_current=current, status=status, warnings=[]))
    rows.append(dict(submission_id="Q1", sha256="Q1", source_path="甲区/坏文件.pdf",
                     source_format="pdf", received_at=datetime(2024, 1, 21, 8, 0), run_id="r1",
                     run_seq=1, is_current=False, status="quarantined", warnings=["无法读取"]))
    return pd.DataFrame(rows)


def cell_rows(raw_overrides: dict[tuple[str, str, str], str] | None = None) -> pd.DataFrame:
    """Every table 3 and 4 cell of the fixture (the figure in `total` and in `natural_person`)."""
    raw_overrides = raw_overrides or {}
    rows = []
    for sid, (_, _, fmt, _, _, table3, table4) in SUBMISSIONS.items():
        figures = {row: table3.get(row, 0) for row in application_rows(fmt)}
        if fmt == "2021":
            figures["other_handling"] = sum(figures.get(r, 0) for r in OTHER_SUBROWS)
        for row, value in figures.items():
            for column in ("natural_person", "total"):
                kind = "derived" if fmt == "2021" and row == "other_handling" else "number"
                raw = raw_overrides.get((sid, row, column), str(value))
                rows.append(dict(submission_id=sid, table_code="applications", row_code=row,
                                 column_code=column, value=float(value), kind=kind, raw=raw,
                                 label=row, location=f"line {len(rows) + 1}", inferred=False))
        for group in review_groups():
            values = table4.get(group, (0, 0, 0, 0, 0))
            for outcome, value in zip(OUTCOMES, values, strict=True):
                rows.append(dict(submission_id=sid, table_code="review_litigation",
                                 row_code=group, column_code=outcome, value=float(value),
                                 kind="number", raw=str(value), label=group,
                                 location="table 4", inferred=False))
    return pd.DataFrame(rows)


def office_rows(rename: dict[str, str] | None = None) -> pd.DataFrame:
    rename = rename or {}
    return pd.DataFrame([dict(office=rename.get(o, o), aliases=[], district=d, kind=k,
                              expected=e) for o, d, k, e in OFFICES])


def failure_rows(rename: dict[str, str] | None = None) -> pd.DataFrame:
    rename = rename or {}
    return pd.DataFrame([{**f, "office": rename.get(f["office"], f["office"])} for f in FAILURES])


def fill_fixture(con: duckdb.DuckDBPyConnection, rename: dict[str, str] | None = None,
                 raw_overrides: dict | None = None) -> None:
    """Create the store's schema in ``con`` and insert the fixture (before any rollup)."""
    store.apply_schema(con)
    store.append_rows(con, "offices", office_rows(rename))
    store.append_rows(con, "submissions", submission_rows(rename))
    store.append_rows(con, "cells", cell_rows(raw_overrides))
    store.append_rows(con, "quality_failures", failure_rows(rename))
    store.append_rows(con, "quarantine", pd.DataFrame([dict(
        sha256="Q1", source_path="甲区/坏文件.pdf", reason="PDF 为扫描图片，无法读取文字",
        error_type="UnreadableFile", received_at=datetime(2024, 1, 21, 8, 0), run_id="r1")]))
    store.append_rows(con, "runs", pd.DataFrame([dict(
        run_id="r1", run_seq=1, mode="run", started_at=BUILT_AT, finished_at=BUILT_AT)]))


def publish_fixture(folder: Path, policy: str = "consistent", **fixture) -> tuple[Path, Path]:
    """Publish the fixture the way a run does (nianbao.pipeline.publish): build a working copy,
    add the rollups, export and stage the outputs, swap the database in, commit the outputs.
    Returns (database, publish folder)."""
    db = folder / "nianbao.duckdb"
    out = folder / "publish"
    folder.mkdir(parents=True, exist_ok=True)
    con = store.open_working_copy(db)
    fill_fixture(con, **fixture)
    publish.build_rollups(con, policy)
    exported = store.export_parquet(con, out)
    staged = publish.stage_outputs(con, out)
    store.publish(con, db)
    store.commit_parquet(exported)
    staged.commit()
    return db, out
