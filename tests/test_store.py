"""The DuckDB store: schema, current flags, and publishing a snapshot atomically."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd
import pytest

from nianbao import store

# The analyst interface of ../shared/spec/README.md, plus the columns other issues rely on.
CONTRACT = {
    "submissions": ["submission_id", "office", "office_as_printed", "district", "office_kind",
                    "year", "format", "source_path", "source_format", "sha256", "received_at",
                    "run_id", "reader_version", "is_current", "status", "warnings"],
    "cells": ["submission_id", "table_code", "row_code", "column_code", "value", "kind", "raw",
              "label", "location", "inferred"],
    "active_disclosure_cells": ["submission_id", "item_code", "metric_code", "value", "kind",
                                "raw", "label", "location"],
    "application_cells": ["submission_id", "row_code", "column_code", "value", "kind", "raw",
                          "label", "location", "inferred"],
    "review_litigation_cells": ["submission_id", "group_code", "outcome_code", "value", "kind",
                                "raw", "label", "location", "inferred"],
    "quarantine": ["sha256", "source_path", "reason", "error_type", "received_at", "run_id"],
    "quality_failures": ["submission_id", "office", "year", "rule", "severity", "detail", "cells",
                         "expected", "found", "raw", "message_zh"],
    "offices": ["office", "aliases", "district", "kind", "expected"],
    "runs": ["run_id", "run_seq", "started_at"],
}


@pytest.fixture
def con():
    with duckdb.connect() as c:
        store.apply_schema(c)
        yield c


def columns(con, relation: str) -> list[str]:
    return [row[0] for row in con.execute(f"DESCRIBE {relation}").fetchall()]


@pytest.mark.parametrize("relation", sorted(CONTRACT))
def test_schema_has_the_contract_columns(con, relation):
    assert set(CONTRACT[relation]) <= set(columns(con, relation))


def test_schema_applies_twice_without_change(con):
    con.execute("INSERT INTO cells (submission_id, value) VALUES ('a', 1)")
    store.apply_schema(con)
    assert con.execute("SELECT count(*) FROM application_cells").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM cells").fetchone()[0] == 1


def submission(sha, office="甲街道", year=2023, run_seq=1, mtime="2025-01-01 10:00",
               path="a.txt", status="consistent") -> dict:
    return {"submission_id": sha, "sha256": sha, "office": office, "year": year,
            "run_seq": run_seq, "file_mtime": datetime.fromisoformat(mtime), "source_path": path,
            "status": status, "is_current": False}


def current(con) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT submission_id FROM submissions WHERE is_current").fetchall()}


def test_later_run_wins_over_later_file_time(con):
    store.append_rows(con, "submissions", pd.DataFrame([
        submission("old-run-new-file", run_seq=1, mtime="2025-03-01 00:00"),
        submission("new-run-old-file", run_seq=2, mtime="2024-01-01 00:00"),
    ]))
    store.mark_current(con)
    assert current(con) == {"new-run-old-file"}


def test_within_a_run_the_later_file_wins_then_the_path(con):
    store.append_rows(con, "submissions", pd.DataFrame([
        submission("earlier", mtime="2025-01-01 10:00"),
        submission("later", mtime="2025-01-02 10:00"),
        submission("tie-a", office="乙街道", path="a.txt"),
        submission("tie-b", office="乙街道", path="b.txt"),
    ]))
    store.mark_current(con)
    assert current(con) == {"later", "tie-b"}


def test_each_office_and_year_has_its_own_current(con):
    store.append_rows(con, "submissions", pd.DataFrame([
        submission("y2022", year=2022), submission("y2023", year=2023),
        submission("other-office", office="乙街道"),
    ]))
    store.mark_current(con)
    assert current(con) == {"y2022", "y2023", "other-office"}


def test_quarantined_and_unplaced_files_are_never_current(con):
    store.append_rows(con, "submissions", pd.DataFrame([
        submission("report", run_seq=1),
        submission("bad-later", run_seq=2, status="quarantined"),
        submission("no-office", office=None, run_seq=3),
    ]))
    store.mark_current(con)
    assert current(con) == {"report"}


def test_known_hashes_include_quarantined_files(con):
    store.append_rows(con, "submissions", pd.DataFrame([submission("parsed")]))
    store.append_rows(con, "quarantine", pd.DataFrame([{"sha256": "bad", "reason": "empty"}]))
    assert store.known_hashes(con) == {"parsed", "bad"}


def test_delete_submissions_forgets_every_row_of_a_file(con):
    store.append_rows(con, "submissions", pd.DataFrame([submission("a"), submission("b")]))
    store.append_rows(con, "cells", pd.DataFrame({"submission_id": ["a", "b"], "value": [1, 2]}))
    store.append_rows(con, "quarantine", pd.DataFrame([{"sha256": "a", "reason": "x"}]))
    store.delete_submissions(con, ["a"])
    assert store.known_hashes(con) == {"b"}
    assert con.execute("SELECT submission_id FROM cells").fetchall() == [("b",)]


def test_append_rows_is_by_name_and_skips_empty_frames(con):
    store.append_rows(con, "runs", pd.DataFrame({"run_seq": [1], "run_id": ["r1"]}))
    store.append_rows(con, "runs", pd.DataFrame(columns=["run_id"]))
    assert con.execute("SELECT run_id, run_seq FROM runs").fetchall() == [("r1", 1)]
    assert store.next_run_seq(con) == 2


def test_publish_replaces_the_file_and_never_writes_it_in_place(tmp_path):
    published = tmp_path / "nianbao.duckdb"
    con = store.open_working_copy(published)  # nothing published yet: a new file
    store.append_rows(con, "runs", pd.DataFrame({"run_id": ["first"]}))
    store.publish(con, published)
    assert not store.working_path_for(published).exists()

    con = store.open_working_copy(published)
    store.append_rows(con, "runs", pd.DataFrame({"run_id": ["second"]}))
    con.execute("CHECKPOINT")
    with duckdb.connect(str(published), read_only=True) as reader:  # still the old snapshot
        assert reader.execute("SELECT run_id FROM runs").fetchall() == [("first",)]
    store.publish(con, published)
    assert not (tmp_path / "nianbao.duckdb.wal").exists()
    with duckdb.connect(str(published), read_only=True) as reader:
        assert sorted(reader.execute("SELECT run_id FROM runs").fetchall()) == [
            ("first",), ("second",)]


def test_leftovers_of_a_killed_run_are_removed(tmp_path):
    published = tmp_path / "nianbao.duckdb"
    working = store.working_path_for(published)
    working.write_bytes(b"half a database")
    working.with_name(working.name + ".wal").write_bytes(b"x")
    con = store.open_working_copy(published)
    assert con.execute("SELECT count(*) FROM submissions").fetchone()[0] == 0
    con.close()
    assert not working.with_name(working.name + ".wal").exists()


def test_parquet_appears_only_when_committed(tmp_path):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        store.apply_schema(con)
        con.execute("CREATE VIEW district_rollup AS SELECT 1 AS district")  # the publish issue's
        store.append_rows(con, "runs", pd.DataFrame({"run_id": ["r1"]}))
        pairs = store.export_parquet(con, tmp_path / "publish")
    assert not list((tmp_path / "publish").glob("*.parquet"))
    store.commit_parquet(pairs)
    names = {p.stem for p in (tmp_path / "publish").glob("*.parquet")}
    assert names == set(store.PUBLISHED_RELATIONS)
    with duckdb.connect() as con:
        runs = str(tmp_path / "publish" / "runs.parquet")
        assert con.execute("SELECT run_id FROM read_parquet(?)", [runs]).fetchall() == [("r1",)]
