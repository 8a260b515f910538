"""The DuckDB store: apply the schema in ``sql/``, load a run's rows, publish a snapshot.

Analysts only ever open the *published* file. A run never writes it: it copies it to a private
working file, loads into that, checkpoints and closes it, then ``os.replace``s it over the
published one (``../shared/STACK.md``: a read-write holder blocks every reader, so the file
analysts hold must never be the one being written). An analyst's open session keeps its old
snapshot; a crash at any point leaves the published file as it was.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pandas as pd

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"

# The analyst views (spec: "The analyst interface") plus the tables they are built on that an
# analyst may also want as Parquet. Exported in this order.
PUBLISHED_RELATIONS = (
    "submissions",
    "active_disclosure_cells",
    "application_cells",
    "review_litigation_cells",
    "quality_failures",
    "district_rollup",
    "quarantine",
    "offices",
    "runs",
)


def read_sql(name: str) -> str:
    """The text of ``sql/<name>`` (e.g. ``load/mark_current.sql``)."""
    return (SQL_DIR / name).read_text(encoding="utf-8")


def apply_sql_folder(con: duckdb.DuckDBPyConnection, folder: str) -> None:
    """Run every ``sql/<folder>/*.sql`` file, in name order (each file may hold many statements)."""
    for path in sorted((SQL_DIR / folder).glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tables that are missing, then (re)create every view."""
    apply_sql_folder(con, "schema")
    apply_sql_folder(con, "views")


def working_path_for(published: Path) -> Path:
    """The private file a run builds before it replaces ``published`` (same folder, so same
    filesystem, so ``os.replace`` is atomic)."""
    return published.with_name(f".{published.name}.building")


def remove_working_files(published: Path) -> None:
    """Delete what a killed run left behind (the half-built file and its WAL)."""
    working = working_path_for(published)
    for leftover in (working, Path(f"{working}.wal")):
        leftover.unlink(missing_ok=True)


def open_working_copy(published: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection to a fresh copy of the published file (or a new file with the
    schema when nothing is published yet)."""
    working = working_path_for(published)
    remove_working_files(published)
    if published.exists():
        # A plain byte copy takes no DuckDB lock, so an analyst holding the published file open
        # (read-only) does not block it; the published file is always checkpointed and closed.
        shutil.copyfile(published, working)
    con = duckdb.connect(str(working))
    apply_schema(con)
    return con


def known_hashes(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The sha256 of every file already stored (parsed or quarantined)."""
    return {row[0] for row in con.execute(read_sql("load/known_files.sql")).fetchall()}


def next_run_seq(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute(read_sql("load/next_run_seq.sql")).fetchone()[0])


def append_rows(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Bulk-append a DataFrame to a table, matching columns by name (never row by row)."""
    if len(frame):
        con.append(table, frame, by_name=True)


def replace_rows(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Make ``table`` hold exactly the rows of ``frame`` (used for the registry snapshot)."""
    con.execute(f"DELETE FROM {table}")  # table names are ours, never input
    append_rows(con, table, frame)


def delete_submissions(con: duckdb.DuckDBPyConnection, sha256s: list[str]) -> None:
    """Forget the rows of these files (reparse replaces them with new readings)."""
    if not sha256s:
        return
    con.register("reparsed_files", pd.DataFrame({"sha256": sha256s}))
    con.execute(read_sql("load/delete_submissions.sql"))
    con.unregister("reparsed_files")


def read_meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute(read_sql("load/read_meta.sql")).fetchall())


def write_meta(con: duckdb.DuckDBPyConnection, values: dict[str, str]) -> None:
    """Set keys of the ``meta`` table (what the snapshot was built from)."""
    frame = pd.DataFrame({"key": list(values), "value": list(values.values())})
    con.register("new_meta", frame)
    con.execute(read_sql("load/write_meta.sql"))
    con.unregister("new_meta")


SNAPSHOT_MARKER = ".snapshot"


def published_snapshot(folder: Path) -> str | None:
    """The id of the snapshot whose outputs are all in ``folder`` (None if none is)."""
    marker = folder / SNAPSHOT_MARKER
    return marker.read_text(encoding="utf-8").strip() if marker.exists() else None


def write_published_snapshot(folder: Path, snapshot: str) -> None:
    partial = folder / f"{SNAPSHOT_MARKER}.partial"
    partial.write_text(snapshot + "\n", encoding="utf-8")
    os.replace(partial, folder / SNAPSHOT_MARKER)


def printed_offices(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [row[0] for row in con.execute(read_sql("load/printed_offices.sql")).fetchall()]


def update_offices(con: duckdb.DuckDBPyConnection, resolved: pd.DataFrame) -> None:
    """Set office, district, kind and match of every submission from ``resolved`` (one row
    per printed name: ``pipeline.resolve_offices``)."""
    con.register("resolved_offices", resolved)
    con.execute(read_sql("load/update_offices.sql"))
    con.unregister("resolved_offices")


def mark_current(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(read_sql("load/mark_current.sql"))


def publish(con: duckdb.DuckDBPyConnection, published: Path) -> None:
    """Checkpoint and close the working file, then atomically put it in place of ``published``."""
    con.execute("CHECKPOINT")
    con.close()
    working = working_path_for(published)
    _fsync(working)
    os.replace(working, published)
    _fsync(published.parent)


def export_parquet(con: duckdb.DuckDBPyConnection, folder: Path) -> list[tuple[Path, Path]]:
    """Write every published relation of the working copy to ``folder/.<name>.parquet.partial``;
    returns (partial, final) pairs for :func:`commit_parquet` once the database is published.
    Written from the working copy: the published path may still name an older file in a DuckDB
    instance this process holds."""
    folder.mkdir(parents=True, exist_ok=True)
    pairs = []
    for name in PUBLISHED_RELATIONS:
        partial = folder / f".{name}.parquet.partial"
        con.table(name).write_parquet(str(partial))
        pairs.append((partial, folder / f"{name}.parquet"))
    return pairs


def commit_parquet(pairs: list[tuple[Path, Path]]) -> None:
    """Put each exported file in place (atomically, file by file)."""
    for partial, final in pairs:
        os.replace(partial, final)


def remove_partial_parquet(folder: Path) -> None:
    """Delete the exports a killed run did not put in place."""
    for partial in folder.glob(".*.parquet.partial"):
        partial.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
