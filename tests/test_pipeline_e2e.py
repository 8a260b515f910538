"""The whole pipeline over a generated inbox, through Prefect (one temporary server per session).

The generated inbox (nianbao.generate.inbox) has 3 districts × 3 years of reports, corrections
sent in the same run, corrections a second run finds (with *older* modification times), a
second copy of one file, an office the registry does not know, an OCR slip, and bad files.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from nianbao import store
from nianbao.generate.inbox import GeneratedInbox, generate_inbox
from nianbao.parse import parse_bytes
from nianbao.registry import clean_office_name

REPO = Path(__file__).resolve().parent.parent
# Columns that say *which* run did something (and where its inbox was), and so differ between
# two equivalent histories.
RUN_STAMPS = ("run_id", "received_at", "started_at", "finished_at", "inbox")


def make_inbox(tmp_path: Path, n_reports: int = 54, seed: int = 3) -> GeneratedInbox:
    return generate_inbox(tmp_path / "gen", n_reports, seed=seed)


def run_flow(inbox: GeneratedInbox, db: Path, **options):
    from flows.nightly import nightly

    return nightly(inbox=str(inbox.inbox), db=str(db), registry=str(inbox.registry), **options)


def run_cli(args: list[str], api_url: str, **env) -> subprocess.CompletedProcess:
    """``nianbao`` in a subprocess, using the session's Prefect server (no start-up of its own)."""
    return subprocess.run([sys.executable, "-m", "nianbao.cli", *args], cwd=REPO,
                          env={**os.environ, "PREFECT_API_URL": api_url, **env},
                          capture_output=True, text=True, timeout=300)


def cli_args(inbox: GeneratedInbox, db: Path, *extra: str) -> list[str]:
    return ["run", "--inbox", str(inbox.inbox), "--db", str(db), "--registry",
            str(inbox.registry), *extra]


def rows(db: Path, relation: str, drop: tuple[str, ...] = ()) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        columns = [c[0] for c in con.execute(f"DESCRIBE {relation}").fetchall()]
        keep = ", ".join(f'"{c}"' for c in columns if c not in drop)
        return sorted(con.execute(f"SELECT {keep} FROM {relation}").fetchall(), key=repr)


def snapshot(db: Path, drop: tuple[str, ...] = ()) -> dict[str, tuple[int, str]]:
    """Row count and checksum of every published relation."""
    out = {}
    for name in store.PUBLISHED_RELATIONS:
        data = rows(db, name, drop)
        out[name] = (len(data), hashlib.sha256(repr(data).encode()).hexdigest())
    return out


def _current(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT office, year, sha256 FROM submissions WHERE is_current"
                           ).fetchall()


# --- the end-to-end run -------------------------------------------------------------------------

def test_views_hold_the_expected_submissions_and_quarantine(tmp_path, prefect_server):
    inbox = make_inbox(tmp_path)
    db = tmp_path / "out" / "nianbao.duckdb"
    summary = run_flow(inbox, db, batch_size=20)

    expected = inbox.submissions()
    assert len(expected) >= 50
    assert summary.files_seen == len(inbox.files)
    assert summary.files_new == len(expected)
    assert summary.files_skipped == 1  # the second copy of one report
    bad = {f.sha256: f.path for f in expected if f.quarantined}
    assert summary.files_quarantined == len(bad) == 4

    stored = {r[0]: r[1:] for r in _submission_facts(db)}
    assert set(stored) == {f.sha256 for f in expected}
    current = inbox.expected_current()
    for f in expected:
        office, district, year, status, is_current, source_path = stored[f.sha256]
        assert source_path == f.path
        if f.quarantined:
            assert (office, year, status, is_current) == (None, None, "quarantined", False)
            continue
        assert (office, district, year, status) == (
            clean_office_name(f.office), f.district, f.year, "consistent"), f.path
        assert is_current == (current[(f.office, f.year)] == f.sha256), f.path
    assert dict(_quarantined(db)) == bad

    # Corrections a second run finds win although their files are older (received later).
    inbox.add_later_files()
    summary = run_flow(inbox, db, batch_size=20)
    assert summary.files_new == len(inbox.later) == 2
    assert len(_submission_facts(db)) == len(inbox.submissions(runs=2))
    assert {(o, y): sha for o, y, sha in _current(db)} == inbox.expected_current(runs=2)
    for f in inbox.later:
        assert (f.office, f.year, f.sha256) in _current(db)


def _submission_facts(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT sha256, office, district, year, status, is_current, "
                           "source_path FROM submissions").fetchall()


def _quarantined(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT sha256, source_path FROM quarantine").fetchall()


def test_cells_are_exactly_what_the_reader_read(tmp_path, prefect_server):
    """Every cell the reader returns is stored once, with value, kind, raw text and place."""
    inbox = make_inbox(tmp_path, n_reports=18, seed=5)
    db = tmp_path / "nianbao.duckdb"
    run_flow(inbox, db)
    views = {
        "active_disclosure": "active_disclosure_cells",
        "applications": "application_cells",
        "review_litigation": "review_litigation_cells",
    }
    with duckdb.connect(str(db), read_only=True) as con:
        stored = sorted(
            (sid, table, *row)
            for table, view in views.items()
            for sid, *row in con.execute(
                f"SELECT submission_id, COLUMNS(* EXCLUDE (submission_id)) FROM {view}"
            ).fetchall()
        )
    expected = []
    for f in inbox.submissions():
        if f.quarantined:
            continue
        report = parse_bytes((inbox.inbox / f.path).read_bytes(), Path(f.path).name)
        expected += [(f.sha256, c.table, c.row, c.column,
                      None if c.value is None else float(c.value), c.kind, c.raw, c.label,
                      c.where, c.inferred) for c in report.cells]
    assert stored == sorted(expected)


def test_stored_values_are_the_generated_reports(tmp_path, prefect_server):
    """The views give back the numbers the generator printed (reader and store together)."""
    inbox = make_inbox(tmp_path, n_reports=18, seed=7)
    db = tmp_path / "nianbao.duckdb"
    run_flow(inbox, db)
    with duckdb.connect(str(db), read_only=True) as con:
        cells = con.execute("SELECT submission_id, table_code, row_code, column_code, value "
                            "FROM cells").fetchall()
    stored: dict[str, dict] = {}
    for sid, table, row, column, value in cells:
        stored.setdefault(sid, {}).setdefault(table, {}).setdefault(row, {})[column] = value
    wrong = []
    for f in inbox.submissions():
        if f.quarantined:
            continue
        for table in ("active_disclosure", "applications", "review_litigation"):
            if stored[f.sha256][table] != f.report[table]:
                wrong.append(f"{f.path}: {table}")
    assert not wrong


# --- idempotence and crashes --------------------------------------------------------------------

def test_second_run_changes_no_row(tmp_path, prefect_server):
    inbox = make_inbox(tmp_path)
    db = tmp_path / "nianbao.duckdb"
    run_flow(inbox, db)
    before = snapshot(db)
    first_snapshot = snapshot_id(db)
    parquet_before = {p.name: p.read_bytes() for p in (db.parent / "publish").glob("*.parquet")}
    summary = run_flow(inbox, db)
    after = snapshot(db)
    assert summary.files_new == 0 and summary.files_skipped == summary.files_seen
    assert after == before  # the runs log too: a run that found nothing new leaves no trace
    assert snapshot_id(db) == first_snapshot  # nothing to do: the snapshot was left in place

    # Without its outputs' marker the snapshot is rebuilt from scratch: still no row changes.
    (db.parent / "publish" / store.SNAPSHOT_MARKER).unlink()
    run_flow(inbox, db)
    assert snapshot_id(db) != first_snapshot
    assert snapshot(db) == before
    for name, data in parquet_before.items():
        assert rows_of_parquet(db.parent / "publish" / name) == rows_of_parquet_bytes(data)


def snapshot_id(db: Path) -> str:
    with duckdb.connect(str(db), read_only=True) as con:
        return store.read_meta(con)["snapshot"]


def rows_of_parquet(path: Path) -> list[tuple]:
    with duckdb.connect() as con:
        return sorted(con.execute("SELECT * FROM read_parquet(?)", [str(path)]).fetchall(),
                      key=repr)


def rows_of_parquet_bytes(data: bytes) -> list[tuple]:
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".parquet") as f:
        f.write(data)
        f.flush()
        return rows_of_parquet(Path(f.name))


CRASH_POINTS = ["ingest.stored", "parse.batch", "load.written", "publish.before_replace",
                "publish.replaced"]


CRASH_INBOX = {"n_reports": 12, "seed": 11}
# The reader's code may change while the suite runs (its version is a hash of it): the crash
# tests compare what the pipeline did, not which reader version did it.
CRASH_IGNORES = RUN_STAMPS + ("reader_version",)


@pytest.fixture(scope="module")
def clean_history(tmp_path_factory, prefect_server) -> dict[str, tuple[int, str]]:
    """The end state of two clean runs (the second after the later files arrive)."""
    tmp = tmp_path_factory.mktemp("clean")
    inbox = make_inbox(tmp, **CRASH_INBOX)
    db = tmp / "out" / "nianbao.duckdb"
    run_flow(inbox, db, batch_size=4)
    inbox.add_later_files()
    run_flow(inbox, db, batch_size=4)
    return snapshot(db, drop=CRASH_IGNORES)


@pytest.mark.parametrize("point", CRASH_POINTS + ["external kill"])
def test_kill_9_then_rerun_equals_a_clean_run(tmp_path, prefect_server, clean_history, point):
    """SIGKILL during the second run (the one that must carry the first run's state over)."""
    inbox = make_inbox(tmp_path, **CRASH_INBOX)
    db = tmp_path / "out" / "nianbao.duckdb"
    run_flow(inbox, db, batch_size=4)
    first = snapshot(db)
    inbox.add_later_files()

    args = cli_args(inbox, db, "--batch-size", "4")
    if point == "external kill":
        killed = kill_when_working_file_appears(args, prefect_server, db)
    else:
        # Refresh the parse cache, or the clean run's cached batches skip the crash point.
        killed = run_cli(args, prefect_server, NIANBAO_CRASH_AT=point,
                         PREFECT_TASKS_REFRESH_CACHE="true").returncode
    assert killed == -signal.SIGKILL
    if point != "publish.replaced":
        assert snapshot(db) == first  # the published file is untouched until the swap

    run_flow(inbox, db, batch_size=4)
    assert snapshot(db, drop=CRASH_IGNORES) == clean_history
    assert not list(db.parent.glob(".*building*"))
    assert not list((db.parent / "raw").glob("*/.*.partial"))
    assert not list((db.parent / "publish").glob(".*.partial"))


def kill_when_working_file_appears(args: list[str], api_url: str, db: Path) -> int:
    """Start a run and SIGKILL it from outside as soon as it has begun writing its copy."""
    proc = subprocess.Popen([sys.executable, "-m", "nianbao.cli", *args], cwd=REPO,
                            env={**os.environ, "PREFECT_API_URL": api_url},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    working = store.working_path_for(db)
    deadline = time.monotonic() + 120
    while not working.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    return proc.wait()


# --- analysts, the command line, Dask ---------------------------------------------------------

ANALYST = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
count = "SELECT count(*) FROM submissions"
print(con.execute(count).fetchone()[0], flush=True)
sys.stdin.readline()
print(con.execute(count).fetchone()[0], flush=True)
"""


def test_open_analyst_session_neither_blocks_nor_sees_half_a_run(tmp_path, prefect_server):
    inbox = make_inbox(tmp_path, n_reports=27, seed=13)
    db = tmp_path / "nianbao.duckdb"
    run_flow(inbox, db)
    analyst = subprocess.Popen([sys.executable, "-c", ANALYST, str(db)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    try:
        before = int(analyst.stdout.readline())
        inbox.add_later_files()
        run_flow(inbox, db)  # succeeds while the analyst holds the file open
        analyst.stdin.write("again\n")
        analyst.stdin.flush()
        assert int(analyst.stdout.readline()) == before  # the old snapshot, still answering
    finally:
        analyst.kill()
        analyst.wait()
    with duckdb.connect(str(db), read_only=True) as con:  # a new session sees the new run
        assert con.execute("SELECT count(*) FROM submissions").fetchone()[0] == before + 2


def test_cli_run_prints_the_summary_and_reparse_rebuilds(tmp_path, prefect_server):
    inbox = make_inbox(tmp_path, n_reports=9, seed=17)
    db = tmp_path / "nianbao.duckdb"
    result = run_cli(cli_args(inbox, db), prefect_server)
    assert result.returncode == 0, result.stderr
    assert f"files: {len(inbox.files)} seen, {len(inbox.submissions())} new, 1 skipped, 4 quarantined" \
        in result.stdout
    assert "current submissions:" in result.stdout
    assert (tmp_path / "publish" / "application_cells.parquet").exists()
    before = snapshot(db, drop=RUN_STAMPS + ("reader_version",))

    result = run_cli(["reparse", "--db", str(db), "--registry", str(inbox.registry)],
                     prefect_server)
    assert result.returncode == 0, result.stderr
    after = snapshot(db, drop=RUN_STAMPS + ("reader_version",))
    assert after.pop("runs")[0] == before.pop("runs")[0] + 1  # a reparse is recorded
    assert after == before  # the same reader reads the same bytes the same way


def test_run_on_a_local_dask_cluster(tmp_path, prefect_server):
    from flows.nightly import nightly, task_runner_for

    inbox = make_inbox(tmp_path, n_reports=9, seed=19)
    db = tmp_path / "nianbao.duckdb"
    summary = nightly.with_options(task_runner=task_runner_for("dask"))(
        inbox=str(inbox.inbox), db=str(db), registry=str(inbox.registry), batch_size=4)
    assert summary.files_new == len(inbox.submissions())
    assert len(_current(db)) == len(inbox.expected_current())


def test_killed_run_leaves_no_temporary_server_behind(tmp_path):
    """Without PREFECT_API_URL a run starts its own Prefect server; SIGKILL must take it along."""
    inbox = make_inbox(tmp_path, n_reports=9, seed=23)
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    result = subprocess.run([sys.executable, "-m", "nianbao.cli",
                             *cli_args(inbox, tmp_path / "nianbao.duckdb")], cwd=REPO,
                            env={**env, "NIANBAO_CRASH_AT": "load.written"},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == -signal.SIGKILL
    port = result.stderr.split("Starting temporary server on http://127.0.0.1:")[1].split()[0]
    deadline = time.monotonic() + 10
    while server_on_port(port) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not server_on_port(port)


def server_on_port(port: str) -> bool:
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"uvicorn" in args and port.encode() in args:
            return True
    return False


def test_expired_parse_cache_entries_are_deleted_and_only_ours(tmp_path):
    """The parse cache would grow without end: a run deletes its readings older than their expiry
    from Prefect's result storage, and nothing else there."""
    from nianbao import pipeline

    now = time.time()
    old, fresh = now - 31 * 86400, now - 29 * 86400
    ours_old = tmp_path / f"{pipeline.PARSE_CACHE_PREFIX}{'a' * 64}"
    ours_fresh = tmp_path / f"{pipeline.PARSE_CACHE_PREFIX}{'b' * 64}"
    theirs_old = tmp_path / ("c" * 32)  # another flow's result
    for path, mtime in ((ours_old, old), (ours_fresh, fresh), (theirs_old, old)):
        path.write_bytes(b"x")
        os.utime(path, (mtime, mtime))
    assert pipeline.prune_parse_cache(tmp_path, now=now) == 1
    assert not ours_old.exists() and ours_fresh.exists() and theirs_old.exists()
    assert pipeline.prune_parse_cache(tmp_path / "absent") == 0
    key = pipeline.parse_cache_key([pipeline.ParseItem("0" * 64, "a.txt", "/x/a.txt")], "v1")
    assert key.startswith(pipeline.PARSE_CACHE_PREFIX)
