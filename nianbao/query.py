"""``nianbao sql``: analysts' SQL, read-only, on the published snapshot.

The published file is never held read-write (a run builds a private copy and swaps it in, see
``store``), so a query runs while a run is in progress and answers from the snapshot that was in
place when it started. The connection is read-only and has no file system access beyond the
database (no ``COPY … TO``, no ``read_csv('/etc/…')``, no ``ATTACH``): a query reads the
snapshot and nothing else. A bad query is one line saying what DuckDB objected to.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from nianbao.errors import NianbaoError

MAX_TABLE_CELL = 40  # display columns; longer values are cut with '…' in table output only
READ_ONLY_CONFIG = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}


class BadQuery(NianbaoError):
    """DuckDB rejected the query (syntax, unknown name, a write on the read-only snapshot …)."""


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[tuple]


def open_snapshot(db: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published database, with no other file access."""
    if not db.exists():
        raise NianbaoError("no published database here: run `nianbao run --inbox DIR --db FILE` "
                           "first, or give --db", str(db))
    try:
        return duckdb.connect(str(db), read_only=True, config=READ_ONLY_CONFIG)
    except duckdb.Error as e:
        raise NianbaoError(f"cannot open the published database: {one_line(e)}", str(db)) from e


def run_query(db: Path, sql: str) -> QueryResult:
    """The result of ``sql`` (the last statement's, if there are several) on the snapshot."""
    if not sql.strip():
        raise BadQuery("empty query: give a SELECT statement")
    with open_snapshot(db) as con:
        try:
            cursor = con.execute(sql)
            if cursor.description is None:
                return QueryResult([], [])
            return QueryResult([d[0] for d in cursor.description], cursor.fetchall())
        except duckdb.Error as e:
            raise BadQuery(f"bad query: {one_line(e)}") from e


def one_line(error: Exception) -> str:
    """DuckDB's message without the echoed query and its ^^^ marker, on one line."""
    lines = [line.strip() for line in str(error).splitlines()]
    kept = [line for line in lines
            if line and not line.startswith("LINE ") and set(line) - {"^", " "}]
    return " ".join(kept)


# --- output formats ------------------------------------------------------------------------------

def write_result(result: QueryResult, fmt: str, out) -> None:
    {"table": write_table, "csv": write_csv, "json": write_json}[fmt](result, out)


def write_csv(result: QueryResult, out) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows([["" if v is None else v for v in row] for row in result.rows])


def write_json(result: QueryResult, out) -> None:
    """A JSON array of objects, one per row (dates and decimals as strings)."""
    objects = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
    json.dump(objects, out, ensure_ascii=False, indent=1, default=_json_value)
    out.write("\n")


def write_table(result: QueryResult, out) -> None:
    """An aligned text table (Chinese characters count as two columns; numbers to the right)
    and the row count."""
    cells = [[_shown(v) for v in row] for row in result.rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells])
              for i, c in enumerate(result.columns)]
    numeric = [bool(result.rows) and all(isinstance(r[i], int | float | Decimal) or r[i] is None
                                         for r in result.rows)
               for i in range(len(result.columns))]
    rule = "+".join("-" * (w + 2) for w in widths)
    out.write(_table_line(result.columns, widths, numeric) + "\n" + rule + "\n")
    for row in cells:
        out.write(_table_line(row, widths, numeric) + "\n")
    out.write(f"({len(cells)} row{'' if len(cells) == 1 else 's'})\n")


def _table_line(values: list[str], widths: list[int], right: list[bool]) -> str:
    return "|".join(f" {' ' * (w - _width(v))}{v} " if r else f" {v}{' ' * (w - _width(v))} "
                    for v, w, r in zip(values, widths, right, strict=True))


def _shown(value) -> str:
    if value is None:
        text = "NULL"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    text = text.replace("\n", " ")
    if _width(text) > MAX_TABLE_CELL:
        while _width(text) > MAX_TABLE_CELL - 1:
            text = text[:-1]
        text += "…"
    return text


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _json_value(value) -> str:
    """Dates and times in ISO 8601; decimals, UUIDs and the like as their text."""
    return value.isoformat() if isinstance(value, datetime | date) else str(value)


# --- the command ---------------------------------------------------------------------------------

def cmd_sql(args) -> int:
    """Run one query on the published snapshot and print the result."""
    if args.file:
        sql = Path(args.file).read_text(encoding="utf-8")
    elif args.query == "-":
        sql = sys.stdin.read()
    else:
        sql = args.query or ""
    result = run_query(Path(args.db), sql)
    try:
        write_result(result, args.format, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:  # `nianbao sql … | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0

