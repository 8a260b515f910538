"""The stages of one run as plain functions: prepare, ingest, parse (in batches), load, check,
publish. ``flows/nightly.py`` wires them into Prefect tasks; nothing here imports Prefect.

A run works on a private copy of the published database (``store.open_working_copy``) and
only replaces the published file at the very end, so killing it at any point and running again
gives the same end state as one clean run. Every stage therefore takes paths, not connections.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib
import importlib.util
import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import astuple, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from nianbao import ingest, store
from nianbao.errors import NianbaoError, TransientError
from nianbao.registry import Registry

DEFAULT_BATCH_SIZE = 100

# The modules whose code decides what a file is read as: a change to any of them is a new
# reader version (stored with every submission, and part of the parse cache key).
_READER_SOURCES = ("read", "parse", "model.py", "codes.json")
# Everything whose change can change what a run publishes (see inputs_fingerprint).
_REPO = Path(__file__).resolve().parent.parent
_PIPELINE_SOURCES = ("nianbao", "sql", "expectations")
# Folders of files that runs write (GX keeps its validation results under uncommitted/).
_GENERATED = {"__pycache__", "uncommitted"}

SUBMISSION_COLUMNS = [
    "submission_id", "office", "office_as_printed", "office_match", "district", "office_kind",
    "year", "format", "source_path", "source_format", "sha256", "raw_path", "file_size",
    "file_mtime", "received_at", "run_id", "run_seq", "reader_version", "is_current", "status",
    "warnings", "office_warning",
]
CELL_COLUMNS = ["submission_id", "table_code", "row_code", "column_code", "value", "kind", "raw",
                "label", "location", "inferred"]
REPORT_COLUMNS = ["sha256", "office_as_printed", "year", "format", "source_format", "warnings",
                  "narrative"]
FAILURE_COLUMNS = ["sha256", "reason", "error_type"]
QUARANTINE_COLUMNS = ["sha256", "source_path", "reason", "error_type", "received_at", "run_id",
                      "raw_path", "file_mtime", "reader_version"]


@dataclass(frozen=True)
class RunInfo:
    """What identifies one run, stamped on everything it stores."""

    run_id: str
    db: Path
    raw_dir: Path
    publish_dir: Path
    started_at: datetime  # UTC, naive
    reader_version: str
    mode: str = "run"  # run | reparse
    inbox: str = ""
    rollup_policy: str = "consistent"  # consistent | all: what the rollups add up (nianbao.publish)
    fingerprint: str = ""  # inputs_fingerprint: code, registry, settings


@dataclass(frozen=True)
class Prepared:
    """The state of the store as the run found it."""

    run_seq: int
    known: set[str]
    built_from: str | None  # the inputs fingerprint of the published snapshot
    snapshot: str | None  # the id of the published snapshot (the run that built it)


@dataclass(frozen=True, slots=True)
class Received:
    """A file to be parsed and where and when it was first received."""

    sha256: str
    source_path: str
    raw_path: str
    file_size: int
    file_mtime: datetime
    received_at: datetime
    run_id: str
    run_seq: int


@dataclass(frozen=True, slots=True)
class ParseItem:
    sha256: str
    name: str  # the file name as received: readers go by its extension
    raw_file: str  # absolute path of the immutable copy


@dataclass
class ParsedBatch:
    """What the reader made of a batch of files, keyed by content hash only (so that a cached
    batch is right for any path the same bytes turn up at)."""

    reports: pd.DataFrame  # sha256, office_as_printed, year, format, source_format, warnings, narrative
    cells: pd.DataFrame  # CELL_COLUMNS
    failures: pd.DataFrame  # sha256, reason, error_type

    @classmethod
    def of(cls, reports: list[tuple], cells: dict[str, list], failures: list[tuple]) -> ParsedBatch:
        return cls(
            reports=pd.DataFrame(reports, columns=REPORT_COLUMNS),
            cells=pd.DataFrame(cells, columns=CELL_COLUMNS).astype({"value": "float64"}),
            failures=pd.DataFrame(failures, columns=FAILURE_COLUMNS),
        )

    @classmethod
    def combine(cls, batches: list[ParsedBatch]) -> ParsedBatch:
        """One batch of all rows (empty frames with the right columns when there are none)."""
        empty = cls.of([], {c: [] for c in CELL_COLUMNS}, [])
        batches = [empty, *batches]
        return cls(*(pd.concat([getattr(b, part) for b in batches], ignore_index=True)
                     for part in ("reports", "cells", "failures")))


@dataclass
class RunSummary:
    files_seen: int = 0
    files_new: int = 0
    files_skipped: int = 0
    files_quarantined: int = 0
    status_counts: dict[str, int] = field(default_factory=dict)  # current submissions by status

    @classmethod
    def of(cls, plan: ingest.IngestPlan | None, received: list[Received], quarantined: int,
           status_counts: dict[str, int]) -> RunSummary:
        if plan is None:  # reparse: every stored file was read again
            return cls(len(received), 0, 0, quarantined, status_counts)
        return cls(len(plan.seen), len(plan.new), len(plan.skipped), quarantined, status_counts)

    def lines(self) -> list[str]:
        by_status = self.status_counts
        return [
            f"files: {self.files_seen} seen, {self.files_new} new, "
            f"{self.files_skipped} skipped, {self.files_quarantined} quarantined",
            f"current submissions: {by_status.get('consistent', 0)} consistent, "
            f"{by_status.get('inconsistent', 0)} inconsistent",
        ]


# --- run set-up --------------------------------------------------------------------------------

def utc_now() -> datetime:
    """Now in UTC as a naive datetime (what a DuckDB TIMESTAMP holds)."""
    return datetime.now(UTC).replace(tzinfo=None)


def reader_version() -> str:
    """``<package version>+<hash of the reader's code>``: changes whenever the reader does."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        base = version("nianbao")
    except PackageNotFoundError:
        base = "0"
    package = Path(__file__).resolve().parent
    return f"{base}+{_hash_files(package, _READER_SOURCES)[:12]}"


def inputs_fingerprint(registry: str | Path | None, *settings: str) -> str:
    """Everything besides the inbox that decides what a run publishes: the code and SQL of
    every stage, the expectation suites, the registry and the run's settings. A run that finds
    no new file and the same fingerprint has nothing to do."""
    digest = hashlib.sha256(_hash_files(_REPO, _PIPELINE_SOURCES).encode())
    if registry and Path(registry).exists():
        digest.update(Path(registry).read_bytes())
    digest.update("\n".join(settings).encode())
    return digest.hexdigest()


def _hash_files(root: Path, sources: tuple[str, ...]) -> str:
    """sha256 over the names and bytes of the files under ``root`` that ``sources`` name
    (files, or folders taken whole)."""
    digest = hashlib.sha256()
    for source in sources:
        path = root / source
        files = sorted(f for f in path.rglob("*") if f.is_file() and not _GENERATED & set(f.parts)
                       and not f.name.startswith(".")) if path.is_dir() else [path]
        for f in files:
            if f.exists():
                digest.update(f.relative_to(root).as_posix().encode())
                digest.update(f.read_bytes())
    return digest.hexdigest()


@contextmanager
def run_lock(db: Path) -> Iterator[None]:
    """Hold ``<db>.lock`` for the whole run: one run at a time per database. The kernel drops
    the lock when the process dies, even by SIGKILL, so a killed run never blocks the next."""
    db.parent.mkdir(parents=True, exist_ok=True)
    with open(db.with_name(f"{db.name}.lock"), "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as e:
            raise NianbaoError("another nianbao run is working on this database", str(db)) from e
        yield


def prepare_run(run: RunInfo) -> Prepared:
    """Clear what a killed run left behind and start the working copy of the database."""
    ingest.remove_partial_raw_files(run.raw_dir)
    store.remove_partial_parquet(run.publish_dir)
    with store.open_working_copy(run.db) as con:
        meta = store.read_meta(con)
        return Prepared(run_seq=store.next_run_seq(con), known=store.known_hashes(con),
                        built_from=meta.get("fingerprint"), snapshot=meta.get("snapshot"))


def is_up_to_date(run: RunInfo, prepared: Prepared, plan: ingest.IngestPlan) -> bool:
    """True when the published snapshot and its outputs are what this run would build: no new
    file, the same code, registry and settings, and the outputs of that snapshot all in place
    (a run killed after replacing the database but before the exports is not up to date)."""
    return (not plan.new and prepared.built_from == run.fingerprint
            and prepared.snapshot is not None
            and store.published_snapshot(run.publish_dir) == prepared.snapshot)


def keep_published(run: RunInfo) -> dict[str, int]:
    """Drop the working copy, leaving the published snapshot as it is; returns the number of
    current submissions by status (for the summary)."""
    with duckdb.connect(str(store.working_path_for(run.db))) as con:
        counts = dict(con.execute(store.read_sql("load/current_status_counts.sql")).fetchall())
    store.remove_working_files(run.db)
    return counts


def received_now(plan: ingest.IngestPlan, run: RunInfo, run_seq: int) -> list[Received]:
    """The new files of this run, stamped as received by it."""
    return [Received(f.sha256, f.source_path, f.raw_path, f.size, f.mtime, run.started_at,
                     run.run_id, run_seq) for f in plan.new]


def received_before(run: RunInfo) -> list[Received]:
    """Every stored file with its original receipt: what ``nianbao reparse`` reads again."""
    with duckdb.connect(str(store.working_path_for(run.db))) as con:
        rows = con.execute(store.read_sql("load/stored_files.sql")).fetchall()
    return [Received(*row) for row in rows]


# --- parse -------------------------------------------------------------------------------------

def parse_items(received: list[Received], raw_dir: Path) -> list[ParseItem]:
    return [ParseItem(r.sha256, Path(r.source_path).name, str(raw_dir / r.raw_path))
            for r in received]


def batches(items: list, size: int = DEFAULT_BATCH_SIZE) -> list[list]:
    """Consecutive chunks of ``size``: a parse task takes a chunk, never one file (per-task
    overhead is about 5 ms of flow time plus server work, see ../shared/STACK.md)."""
    return [items[i:i + size] for i in range(0, len(items), size)]


# Cached readings are files named by their key in Prefect's result storage; the prefix tells
# them from the results of other flows when old ones are deleted.
PARSE_CACHE_PREFIX = "nianbao-parse-"
# How long a cached reading is used; older ones are deleted at the end of a run.
PARSE_CACHE_DAYS = 30


def parse_cache_key(items: list[ParseItem], version: str) -> str:
    """The content of a batch: reader version, and each file's hash and name (the name's
    extension picks the reader). Never the path: a path's content can change."""
    digest = hashlib.sha256(version.encode())
    for item in items:
        digest.update(f"\n{item.sha256}\t{item.name}".encode())
    return PARSE_CACHE_PREFIX + digest.hexdigest()


def prune_parse_cache(folder: Path, max_age_days: float = PARSE_CACHE_DAYS,
                      now: float | None = None) -> int:
    """Delete this project's cached readings older than their expiry from `folder` (Prefect's
    local result storage): the flow no longer uses them, and a reading still needed is simply
    written again.  Other flows' results there are left alone.  The number deleted."""
    if not folder.is_dir():
        return 0
    limit = (time.time() if now is None else now) - max_age_days * 86400
    deleted = 0
    for entry in folder.glob(PARSE_CACHE_PREFIX + "*"):
        try:
            if entry.is_file() and entry.stat().st_mtime < limit:
                entry.unlink()
                deleted += 1
        except FileNotFoundError:
            continue  # deleted meanwhile by another run
    return deleted


def parse_batch(items: list[ParseItem]) -> ParsedBatch:
    """Read every file of the batch. A file the reader rejects, or that breaks it, becomes a
    failure row (to be quarantined) and the batch goes on; only I/O errors raise (retryable)."""
    from nianbao.parse import parse_bytes

    reports, failures = [], []
    cells: dict[str, list] = {c: [] for c in CELL_COLUMNS}
    for item in items:
        try:
            with open(item.raw_file, "rb") as f:
                data = f.read()
        except OSError as e:
            raise TransientError(f"cannot read the stored copy: {e}", item.raw_file) from e
        try:
            report = parse_bytes(data, item.name)
        except NianbaoError as e:
            failures.append((item.sha256, e.reason, type(e).__name__))
            continue
        except Exception as e:  # a reader bug must not stop the night's run: quarantine
            failures.append((item.sha256, f"读取程序内部错误：{type(e).__name__}: {e}",
                             type(e).__name__))
            continue
        missing = _missing_identity(report)
        if missing:
            failures.append((item.sha256, missing, "MissingIdentity"))
            continue
        reports.append((item.sha256, report.office, report.year, report.format,
                        report.source_format, list(report.warnings), report.narrative))
        for c in report.cells:
            for column, value in zip(CELL_COLUMNS, (item.sha256, c.table, c.row, c.column,
                                                    c.value, c.kind, c.raw, c.label, c.where,
                                                    c.inferred), strict=True):
                cells[column].append(value)
    crash_point("parse.batch")
    return ParsedBatch.of(reports, cells, failures)


def _missing_identity(report) -> str | None:
    if not report.office:
        return "未能从报告标题中读出发布机关名称"
    if not report.year:
        return "未能从报告中读出报告年度"
    return None


# --- load --------------------------------------------------------------------------------------

def load(run: RunInfo, run_seq: int, received: list[Received], parsed: list[ParsedBatch],
         registry: Registry, plan: ingest.IngestPlan | None = None) -> int:
    """Write this run's submissions, cells and quarantined files into the working copy, match
    every printed office name against the registry again (an edited registry applies to old
    submissions too), recompute the current flags, and record the run if it stored anything.
    Returns the number of files quarantined."""
    meta = pd.DataFrame([astuple(r) for r in received],
                        columns=[f.name for f in fields(Received)])
    parsed_all = ParsedBatch.combine(parsed)
    quarantined = _quarantine_rows(meta, parsed_all.failures, run)
    with duckdb.connect(str(store.working_path_for(run.db))) as con:
        if run.mode == "reparse":
            store.delete_submissions(con, list(meta["sha256"]))
        store.append_rows(con, "submissions", _submission_rows(meta, parsed_all.reports, run))
        store.append_rows(con, "submissions",
                          _quarantined_submission_rows(meta, parsed_all.failures, run))
        store.append_rows(con, "cells", parsed_all.cells)
        store.append_rows(con, "narratives", parsed_all.reports.rename(
            columns={"sha256": "submission_id"})[["submission_id", "narrative"]])
        store.append_rows(con, "quarantine", quarantined)
        store.replace_rows(con, "offices", registry.to_frame())
        store.update_offices(con, resolve_offices(store.printed_offices(con), registry))
        store.mark_current(con)
        store.write_meta(con, {"fingerprint": run.fingerprint, "snapshot": run.run_id})
        # A run that found nothing new leaves no trace: running twice changes no row.
        if received or run.mode == "reparse":
            store.append_rows(con, "runs", _run_row(run, run_seq, plan, len(received),
                                                    len(quarantined)))
        crash_point("load.written")
    return len(quarantined)


def resolve_offices(printed: list[str], registry: Registry) -> pd.DataFrame:
    """What each printed office name means by the registry: office, district, kind, how it
    matched, and a warning for the dashboard when the match is fuzzy or there is none."""
    matches = [registry.resolve(name) for name in printed]
    return pd.DataFrame({
        "office_as_printed": printed,
        "office": [m.office for m in matches],
        "district": [m.district for m in matches],
        "office_kind": [m.kind for m in matches],
        "office_match": [m.match for m in matches],
        "office_warning": [m.warning for m in matches],
    })


def _submission_rows(meta: pd.DataFrame, reports: pd.DataFrame, run: RunInfo) -> pd.DataFrame:
    rows = reports.merge(meta, on="sha256", how="inner", validate="one_to_one")
    rows["submission_id"] = rows["sha256"]
    rows["reader_version"] = run.reader_version
    rows["is_current"] = False
    rows["status"] = "consistent"  # until the checks say otherwise
    return rows.reindex(columns=SUBMISSION_COLUMNS)


def _quarantined_submission_rows(meta: pd.DataFrame, failures: pd.DataFrame,
                                 run: RunInfo) -> pd.DataFrame:
    """Quarantined files appear in ``submissions`` too (status 'quarantined'), so that the one
    list of everything received is complete."""
    rows = failures.merge(meta, on="sha256", how="inner", validate="one_to_one")
    rows["submission_id"] = rows["sha256"]
    rows["warnings"] = [[reason] for reason in rows["reason"]]
    rows["reader_version"] = run.reader_version
    rows["is_current"] = False
    rows["status"] = "quarantined"
    return rows.reindex(columns=SUBMISSION_COLUMNS)


def _quarantine_rows(meta: pd.DataFrame, failures: pd.DataFrame, run: RunInfo) -> pd.DataFrame:
    rows = failures.merge(meta, on="sha256", how="inner", validate="one_to_one")
    rows["reader_version"] = run.reader_version
    return rows.reindex(columns=QUARANTINE_COLUMNS)


def _run_row(run: RunInfo, run_seq: int, plan: ingest.IngestPlan | None, parsed: int,
             quarantined: int) -> pd.DataFrame:
    return pd.DataFrame([{
        "run_id": run.run_id, "run_seq": run_seq, "mode": run.mode,
        "started_at": run.started_at, "finished_at": utc_now(), "inbox": run.inbox,
        "reader_version": run.reader_version,
        "files_seen": len(plan.seen) if plan else parsed,
        "files_new": len(plan.new) if plan else 0,
        "files_skipped": len(plan.skipped) if plan else 0,
        "files_quarantined": quarantined,
    }])


# --- check and publish --------------------------------------------------------------------------

def run_checks(run: RunInfo) -> None:
    """The quality hook: ``nianbao.quality.run_checks(con)`` sets each submission's status and
    fills ``quality_failures``. Until that module exists every submission stays 'consistent'."""
    quality = _optional_module("nianbao.quality")
    if quality is None:
        return
    with duckdb.connect(str(store.working_path_for(run.db))) as con:
        quality.run_checks(con)


def publish(run: RunInfo) -> dict[str, int]:
    """Put the working copy in place of the published database, and the exports in place of
    the old ones. Returns the number of current submissions by status.

    The publish issue's hooks (``nianbao.publish``), when present: ``build_rollups(con)`` on the
    working copy, so the rollups are part of the atomic swap, and ``stage_outputs(con, folder)``
    (dashboard, notices, CSV), whose files are committed once the database is in place."""
    outputs = _optional_module("nianbao.publish")
    con = duckdb.connect(str(store.working_path_for(run.db)))
    if outputs is not None:
        outputs.build_rollups(con, run.rollup_policy)
    counts = dict(con.execute(store.read_sql("load/current_status_counts.sql")).fetchall())
    exported = store.export_parquet(con, run.publish_dir)
    staged = outputs.stage_outputs(con, run.publish_dir) if outputs is not None else None
    crash_point("publish.before_replace")
    store.publish(con, run.db)
    crash_point("publish.replaced")
    store.commit_parquet(exported)
    if staged is not None:
        staged.commit()
    store.write_published_snapshot(run.publish_dir, run.run_id)  # last: the outputs are complete
    return counts


def _optional_module(name: str):
    """Import a module another issue provides, or None while it does not exist yet."""
    if importlib.util.find_spec(name) is None:
        return None
    return importlib.import_module(name)


def crash_point(name: str) -> None:
    """Die here by SIGKILL when ``NIANBAO_CRASH_AT`` names this point: lets the crash test stop
    a real run at a known place between two writes. Costs one dict lookup otherwise."""
    if os.environ.get("NIANBAO_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
