"""What a run publishes beside the DuckDB snapshot: the rollups, Parquet and CSV exports, the
quality dashboard and the correction notices (整改提示单).

The pipeline calls two hooks on the *working copy*, before it replaces the published file:
:func:`build_rollups` (the rollup views of ``sql/rollups/``, so they are part of the snapshot)
and :func:`stage_outputs` (every file, written under ``<publish>/.staging``). Once the database
is in place it calls :meth:`StagedOutputs.commit`, which moves each file into the publish
folder. Everything is read from the working copy itself: a path may still name an older
snapshot in a DuckDB instance this process holds (../shared/STACK.md).

Layout of the publish folder::

    <name>.parquet  <name>.csv     analyst views and rollups (CSV: UTF-8 with BOM, for Excel)
    dashboard.html                 one self-contained page, in Chinese
    notices/<district>/<office>_<year>_<id>.html|.md   one 整改提示单 per inconsistent report

``python -m nianbao.publish --data-dictionary`` writes ``docs/data-dictionary.md``;
``python -m nianbao.publish --db FILE`` writes the outputs of an existing snapshot again.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from nianbao import store

ROLLUP_POLICIES = ("consistent", "all")
DEFAULT_ROLLUP_POLICY = "consistent"
# The views of sql/rollups/, exported with the analyst views of store.PUBLISHED_RELATIONS.
ROLLUP_RELATIONS = (
    "district_rollup",
    "office_kind_rollup",
    "year_rollup",
    "submission_figures",
    "missing_reports",
)
STAGING = ".staging"
NOTICES = "notices"
UTF8_BOM = "\ufeff".encode()


def build_rollups(con: duckdb.DuckDBPyConnection, policy: str = DEFAULT_ROLLUP_POLICY) -> None:
    """Record the rollup policy and (re)create the rollup views in ``con``."""
    if policy not in ROLLUP_POLICIES:
        raise ValueError(f"rollup policy must be one of {ROLLUP_POLICIES}, not {policy!r}")
    con.execute(store.read_sql("publish/set_rollup_policy.sql"), {"policy": policy})
    store.apply_sql_folder(con, "rollups")


def exported_relations() -> list[str]:
    """Every relation exported to Parquet and CSV, analyst views first."""
    names = list(store.PUBLISHED_RELATIONS)
    return names + [name for name in ROLLUP_RELATIONS if name not in names]


def records(con: duckdb.DuckDBPyConnection, sql_name: str) -> list[dict]:
    """The rows of ``sql/<sql_name>`` as dicts."""
    cursor = con.execute(store.read_sql(sql_name))
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def failures_by_submission(con: duckdb.DuckDBPyConnection) -> dict[str, list[dict]]:
    """Failed rules of each submission, errors first, each with its ``cell_list`` (the cells it
    names and what they hold)."""
    out: dict[str, list[dict]] = {}
    for failure in records(con, "publish/failures_with_cells.sql"):
        out.setdefault(failure["submission_id"], []).append(failure)
    return out


@dataclass
class StagedOutputs:
    """Files written under ``<folder>/.staging``, waiting for the database to be published."""

    folder: Path

    @property
    def staging(self) -> Path:
        return self.folder / STAGING

    def commit(self) -> None:
        """Move every staged file into the publish folder (each replace is atomic; the notices
        folder is swapped whole, so notices of reports corrected since are gone)."""
        for path in sorted(self.staging.iterdir()):
            if path.name == NOTICES:
                _swap_folder(path, self.folder / NOTICES)
            else:
                os.replace(path, self.folder / path.name)
        self.staging.rmdir()


def stage_outputs(con: duckdb.DuckDBPyConnection, folder: Path) -> StagedOutputs:
    """Write the exports, the dashboard and the notices of ``con``'s snapshot under
    ``<folder>/.staging`` (clearing what a killed run left there)."""
    from nianbao import dashboard, notices

    staged = StagedOutputs(Path(folder))
    shutil.rmtree(staged.staging, ignore_errors=True)
    staged.staging.mkdir(parents=True)
    for name in exported_relations():
        export_csv(con, name, staged.staging / f"{name}.csv")
        if name not in store.PUBLISHED_RELATIONS:  # the store exports those to Parquet itself
            con.table(name).write_parquet(str(staged.staging / f"{name}.parquet"))
    (staged.staging / "dashboard.html").write_text(dashboard.render_dashboard(con),
                                                   encoding="utf-8")
    notices.write_notices(con, staged.staging / NOTICES)
    return staged


def write_outputs(db: Path, folder: Path) -> None:
    """Stage and commit the outputs of the snapshot at ``db`` (opened read-only)."""
    with duckdb.connect(str(db), read_only=True) as con:
        staged = stage_outputs(con, Path(folder))
    staged.commit()


def export_csv(con: duckdb.DuckDBPyConnection, relation: str, target: Path) -> None:
    """``relation`` as CSV in UTF-8 with a byte-order mark (Excel reads Chinese only with it)."""
    plain = target.with_name(f".{target.name}.nobom")
    quoted = str(plain).replace("'", "''")
    # ORDER BY ALL: the same snapshot always gives the same bytes
    con.execute(f"COPY (SELECT * FROM {relation} ORDER BY ALL) TO '{quoted}' (FORMAT csv, HEADER)")
    with open(plain, "rb") as source, open(target, "wb") as out:
        out.write(UTF8_BOM)
        shutil.copyfileobj(source, out, length=1 << 20)
    plain.unlink()


def _swap_folder(new: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m nianbao.publish", description=__doc__.splitlines()[0])
    p.add_argument("--data-dictionary", action="store_true",
                   help="write docs/data-dictionary.md from the schema and the codes")
    p.add_argument("--db", help="a published DuckDB file: write its outputs again")
    p.add_argument("--publish", help="publish folder (default: publish/ beside the db)")
    args = p.parse_args(argv)
    if args.data_dictionary:
        from nianbao import dictionary

        print(dictionary.write_data_dictionary())
    if args.db:
        db = Path(args.db).resolve()
        write_outputs(db, Path(args.publish) if args.publish else db.parent / "publish")
    if not (args.data_dictionary or args.db):
        p.print_help()
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
