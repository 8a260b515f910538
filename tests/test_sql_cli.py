"""``nianbao sql``: read-only queries on the published snapshot, in three formats; a run in
progress does not block it (it answers from the previous snapshot); a bad query is one clear
line."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from publish_fixtures import publish_fixture

from nianbao import pipeline, publish, store

REPO = Path(__file__).resolve().parent.parent


def nianbao_sql(db: Path, *args: str) -> subprocess.CompletedProcess:
    """``nianbao sql`` in its own process, as an analyst runs it."""
    return subprocess.run([sys.executable, "-m", "nianbao.cli", "sql", "--db", str(db), *args],
                          cwd=REPO, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})


def count_submissions(db: Path) -> int:
    done = nianbao_sql(db, "SELECT count(*) AS n FROM submissions", "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)[0]["n"]


@pytest.fixture
def published(tmp_path):
    return publish_fixture(tmp_path / "out")


def test_answers_from_the_previous_snapshot_while_a_run_holds_the_working_file(published):
    db, folder = published
    assert count_submissions(db) == 9
    # What a run does between its start and its publish stage: hold the run lock and a
    # read-write connection to its working copy, and load new submissions into it.
    with pipeline.run_lock(db):
        con = store.open_working_copy(db)
        store.append_rows(con, "submissions", pd.DataFrame([dict(
            submission_id="NEW", sha256="NEW", office="乙县人民政府", district="乙县", year=2024,
            received_at=datetime(2025, 1, 20), is_current=True, status="consistent")]))
        assert count_submissions(db) == 9  # not blocked, and not the half-built file
        with duckdb.connect(str(db), read_only=True) as analyst:  # an analyst's open session
            publish.build_rollups(con)
            store.publish(con, db)
            assert analyst.execute("SELECT count(*) FROM submissions").fetchone()[0] == 9
    assert count_submissions(db) == 10  # the next query sees the new snapshot


def test_the_three_formats(published):
    db, _ = published
    query = "SELECT district, year, new_received FROM district_rollup ORDER BY district, year"
    table = nianbao_sql(db, query)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split("|")[0].strip() == "district"
    assert " 甲区     | 2023 |           25 " in lines, table.stdout
    assert lines[-1] == "(3 rows)"
    rows = list(csv.reader(io.StringIO(nianbao_sql(db, query, "--format", "csv").stdout)))
    assert rows[0] == ["district", "year", "new_received"] and len(rows) == 4
    objects = json.loads(nianbao_sql(db, query, "--format", "json").stdout)
    assert objects[0] == {"district": "乙县", "year": 2023, "new_received": 8.0}


def test_a_query_file_and_standard_input(published):
    db, _ = published
    done = nianbao_sql(db, "--file", str(REPO / "sql/examples/never_reported.sql"))
    assert done.returncode == 0, done.stderr
    assert "甲区教育局" in done.stdout
    piped = subprocess.run([sys.executable, "-m", "nianbao.cli", "sql", "--db", str(db), "-"],
                           input="SELECT 40 + 2 AS answer", cwd=REPO, capture_output=True,
                           text=True, timeout=60)
    assert "42" in piped.stdout


@pytest.mark.parametrize("query, says", [
    ("SELEC * FROM submissions", 'bad query: Parser Error: syntax error at or near "SELEC"'),
    ("SELECT * FROM no_such_view", "bad query: Catalog Error: Table with name no_such_view"),
    ("DELETE FROM submissions", "read-only"),
    ("COPY submissions TO 'stolen.csv'", "file system operations are disabled"),
    ("SELECT * FROM read_csv('/etc/passwd')", "file system operations are disabled"),
    ("", "empty query"),
])
def test_a_bad_query_is_one_clear_line(published, query, says):
    db, _ = published
    done = nianbao_sql(db, query)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("nianbao: ")
    assert says in done.stderr
    assert "Traceback" not in done.stderr
    assert not (REPO / "stolen.csv").exists()


def test_no_database_says_what_to_do(tmp_path):
    done = nianbao_sql(tmp_path / "none.duckdb", "SELECT 1")
    assert done.returncode == 2
    assert "run `nianbao run" in done.stderr and done.stderr.count("\n") == 1
