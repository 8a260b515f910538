"""The ``nianbao`` command line.

The library raises :class:`~nianbao.errors.NianbaoError`; this module is the edge that turns those
into one line naming the file and the reason, and an exit status.  Heavy imports (Prefect, Great
Expectations, DuckDB) happen inside the commands that need them, so ``nianbao parse`` starts fast.
"""

from __future__ import annotations

import argparse
import json
import sys

from nianbao.errors import NianbaoError


def cmd_parse(args: argparse.Namespace) -> int:
    """Parse report files into the normalised report (JSON)."""
    from nianbao.parse import parse_file

    if args.jsonl:
        failed = 0
        out = sys.stdout
        for path in args.files:
            try:
                obj = parse_file(path).to_contract(provenance=not args.no_provenance)
                obj["path"] = path
            except NianbaoError as e:
                failed += 1
                obj = {"path": path, "error": type(e).__name__, "reason": e.reason}
            out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        return 1 if failed and failed == len(args.files) else 0

    status = 0
    for path in args.files:
        try:
            report = parse_file(path)
        except NianbaoError as e:
            print(f"nianbao: {e.with_path(path)}", file=sys.stderr)
            status = 2
            continue
        obj = report.to_contract(provenance=not args.no_provenance)
        print(json.dumps(obj, ensure_ascii=False, indent=1 if args.json else None))
    return status


def cmd_sql(args: argparse.Namespace) -> int:
    """Run a read-only query on the published snapshot (the body is nianbao.query)."""
    from nianbao.query import cmd_sql as run_sql_command

    return run_sql_command(args)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="nianbao", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)

    sp = sub.add_parser("parse", help="parse report files into the normalised report (JSON)")
    sp.add_argument("files", nargs="+", help="report files: .txt .md .html .pdf .docx .xlsx …")
    mode = sp.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="one indented JSON object per file")
    mode.add_argument("--jsonl", action="store_true",
                      help="one JSON line per file; a file that fails gives its path and reason")
    sp.add_argument("--no-provenance", action="store_true",
                    help="leave out the per-cell provenance (cells, warnings)")
    sp.set_defaults(func=cmd_parse)

    _add_pipeline_commands(sub)

    sp = sub.add_parser("sql", help="run a read-only SQL query on the published database")
    sp.add_argument("query", nargs="?", help='the query, e.g. "SELECT * FROM district_rollup" '
                                             "('-': read it from standard input)")
    sp.add_argument("-f", "--file", help="read the query from a file (e.g. sql/examples/*.sql)")
    sp.add_argument("--db", default="data/out/nianbao.duckdb",
                    help="the published DuckDB file (default: data/out/nianbao.duckdb)")
    sp.add_argument("--format", choices=("table", "csv", "json"), default="table",
                    help="table (default), csv (header row) or json (an array of objects)")
    sp.set_defaults(func=cmd_sql)

    # Further commands register here (run, reparse, serve, sql, …): see register_* below.
    for register in _REGISTRARS:
        register(sub)
    return p


_REGISTRARS: list = []


def cmd_pipeline(args: argparse.Namespace) -> int:
    """run / reparse / serve: the Prefect flow in flows/nightly.py (Prefect is imported only here)."""
    from flows.settings import apply_prefect_defaults

    apply_prefect_defaults()
    from flows import nightly

    return (nightly.serve_command if args.command == "serve" else nightly.run_command)(args)


def _add_pipeline_commands(sub) -> None:
    def common(sp, inbox: bool = True) -> None:
        if inbox:
            sp.add_argument("--inbox", required=True, help="folder of received reports (nested)")
        sp.add_argument("--db", required=True, help="the published DuckDB file")
        sp.add_argument("--publish", help="folder for the Parquet views (default: publish/ beside the db)")
        sp.add_argument("--registry", help="offices.csv (default: data/registry/offices.csv)")
        sp.add_argument("--batch-size", type=int, default=100, help="files per parse task")
        sp.add_argument("--rollup-policy", choices=("consistent", "all"), default="consistent",
                        help="what the rollups add up: consistent reports only (default), or all "
                             "current reports; either way each rollup counts what it left out or "
                             "included with errors")
        sp.set_defaults(func=cmd_pipeline)

    def runner(sp) -> None:
        sp.add_argument("--task-runner", choices=("thread", "process", "dask"), default="thread",
                        help="where the parse tasks run (dask: a local cluster or --dask-address)")
        sp.add_argument("--dask-address", help="tcp://host:port of a running Dask scheduler")

    sp = sub.add_parser("run", help="run the whole pipeline once: ingest, parse, load, check, publish")
    common(sp)
    runner(sp)
    sp = sub.add_parser("reparse", help="read every stored file again with the current reader")
    common(sp, inbox=False)
    runner(sp)
    sp = sub.add_parser("serve", help="run the pipeline on a schedule (needs `prefect server start`)")
    common(sp)
    sp.add_argument("--cron", default="0 2 * * *", help="when to run (default: 02:00 every day)")
    sp.add_argument("--timezone", default="Asia/Shanghai")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except NianbaoError as e:
        print(f"nianbao: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
