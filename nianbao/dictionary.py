"""``docs/data-dictionary.md``, generated from the schema and the codes, never written by hand.

The relations and their column types come from a database built in memory the way a run builds
the published one (``sql/schema``, ``sql/views``, ``sql/rollups``). What a row is and what each
column means come from the comments of those SQL files: the comment block above a ``CREATE``
(or the file's opening block) and the ``-- …`` comment at the end of a column's line. Codes and
labels come from ``codes.json``, rule ids and severities from the headers of ``sql/checks/``.

    python -m nianbao.publish --data-dictionary     # rewrite the file
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from nianbao import publish, store
from nianbao.model import codes
from nianbao.wording import KIND_ZH, RULES_ZH, STATUS_ZH

DICTIONARY = store.SQL_DIR.parent / "docs" / "data-dictionary.md"
SQL_FOLDERS = ("schema", "views", "rollups", "publish")

_CREATE = re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:TABLE|VIEW|MACRO)\s+(?:IF\s+NOT\s+EXISTS\s+)?"
                     r"(\w+)", re.IGNORECASE)
_TABLE_COLUMN = re.compile(r"^\s*(\w+)\s+[A-Z][A-Z0-9\[\]]*\s*,?\s*--\s*(.+)$")
_VIEW_COLUMN = re.compile(r"(\w+)\s*[,;]?\s*--\s*(.+)$")
_CHECK_HEADER = re.compile(r"^-- Rule `(\w+)` \((\w+)\): (.*)")

# Columns whose meaning no SQL comment states where they are computed.
GLOSSARY = {
    "submission_id": "the sha256 of the file's bytes: one stored file, one id",
    "office": "the office, by its registry name (or the printed name, cleaned, when unknown)",
    "district": "the district (区/县) of the office, from the registry",
    "office_kind": "街道 | 乡镇 | 部门 | 政府",
    "year": "the year reported on (not the year published)",
    "format": "'2021' (国办公开办函〔2021〕30号) or '2019' (〔2019〕60号)",
    "status": "consistent | inconsistent | quarantined",
    "item_code": "table 2 item: see the codes below",
    "metric_code": "table 2 metric: see the codes below",
    "row_code": "table 3 row: see the codes below",
    "column_code": "table 3 column (kind of applicant, or total): see the codes below",
    "group_code": "table 4 group: review, litigation_direct, litigation_after_review",
    "outcome_code": "table 4 outcome: upheld, corrected, other, pending, total",
    "offices_reporting": "offices with a current report (consistent or inconsistent)",
    "offices_inconsistent": "of those, offices whose current report is inconsistent",
    "denied": "sum of the 8 denied_* rows (（三）不予公开), total column",
    "unavailable": "sum of the 3 unavailable_* rows (（四）无法提供), total column",
    "rejected": "sum of the 5 rejected_* rows (（五）不予处理), total column",
    "review_total": "administrative reviews (行政复议): the printed total",
    "review_corrected": "administrative reviews whose result was corrected (结果纠正)",
    "litigation_total": "lawsuits (行政诉讼), both groups: the printed totals",
    "litigation_corrected": "lawsuits whose result was corrected (结果纠正), both groups",
    "submissions_included": "current reports whose figures are in the sums",
    "submissions_left_out": "current inconsistent reports left out of the sums (policy consistent)",
    "submissions_included_with_errors": "current inconsistent reports in the sums (policy all)",
    "rollup_policy": "consistent | all: the policy of this snapshot (`--rollup-policy`)",
    "grant_rate": "(granted + partially_granted) / results_total, 0-1; NULL when nothing was decided",
    "review_corrected_rate": "review_corrected / review_total, 0-1",
    "litigation_corrected_rate": "litigation_corrected / litigation_total, 0-1",
    "offices_reporting_change": "offices_reporting minus the year before's",
    "new_received_change": "new_received minus the year before's",
    "results_total_change": "results_total minus the year before's",
    "sha256": "sha256 of the file's bytes (hex)",
    "source_path": "path inside the inbox where the run first saw the file",
    "received_at": "UTC start of the run that first saw the file",
    "run_id": "the run that first stored the file (see runs)",
    "run_seq": "that run's number in publishing order (see runs)",
    "raw_path": "the immutable copy of the file, relative to the raw store",
    "file_mtime": "UTC modification time of the file in the inbox",
    "file_size": "bytes",
    "reader_version": "the nianbao version and a hash of the reader's code that read the file",
    "quality_failures.expected": "the value the rule expects (e.g. the sum of the parts)",
    "quality_failures.found": "the value the report gives",
    "quality_failures.detail": "what is wrong, in English, with the values",
    "quality_failures.raw": "the raw text of the cells involved, as printed",
    "quality_failures.message_zh": "what is wrong, in Chinese, as the dashboard and the notices say it",
    "offices.aliases": "other names the office's reports go by",
    "runs.inbox": "the inbox folder the run read",
    "runs.files_seen": "files found in the inbox",
    "runs.files_new": "of those, files never stored before",
    "runs.files_skipped": "of those, files already stored (same bytes)",
    "runs.files_quarantined": "new files that could not be read as a report",
    "narratives.narrative": "the report's text outside tables 2-4",
}


@dataclass
class SqlNotes:
    """What the SQL files say about one relation."""

    about: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    source: str = ""
    is_table: bool = False


def sql_notes() -> dict[str, SqlNotes]:
    """Relation name -> its comments, from every CREATE in the SQL folders."""
    notes: dict[str, SqlNotes] = {}
    for folder in SQL_FOLDERS:
        for path in sorted((store.SQL_DIR / folder).glob("*.sql")):
            _read_notes(path, notes)
    return notes


def _read_notes(path: Path, notes: dict[str, SqlNotes]) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    file_header = _comment_block(lines, 0)
    pending: list[str] = []
    current: SqlNotes | None = None
    is_table = False
    for line in lines:
        if line.startswith("--"):
            pending.append(line[2:].strip())
            continue
        created = _CREATE.search(line)
        if created:
            name = created.group(1)
            own = " ".join(pending) if pending and pending != file_header else ""
            current = notes.setdefault(name, SqlNotes())
            current.about = current.about or own or " ".join(file_header)
            current.source = current.source or str(path.relative_to(store.SQL_DIR.parent))
            is_table = " TABLE " in f" {line.upper()} " and " AS" not in line.upper()
            current.is_table = current.is_table or is_table
        if created or not line.strip():
            pending = []
        if current is None or "--" not in line:
            continue
        match = (_TABLE_COLUMN if is_table else _VIEW_COLUMN).search(line)
        if match:
            current.columns.setdefault(match.group(1), match.group(2).strip())


def _comment_block(lines: list[str], start: int) -> list[str]:
    block = []
    for line in lines[start:]:
        if not line.startswith("--"):
            break
        block.append(line[2:].strip())
    return block


# --- the relations ------------------------------------------------------------------------------

def described_relations(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, list[tuple]]]:
    """(name, 'table' | 'view', [(column, type)]) for every relation of the built database."""
    kinds = dict(con.execute(
        "SELECT table_name, CASE table_type WHEN 'VIEW' THEN 'view' ELSE 'table' END "
        "FROM information_schema.tables WHERE table_schema = 'main'").fetchall())
    out = []
    for name in _ordered(list(kinds)):
        columns = con.execute(f'DESCRIBE "{name}"').fetchall()
        out.append((name, kinds[name], [(c[0], c[1]) for c in columns]))
    return out


def _ordered(names: list[str]) -> list[str]:
    first = [n for n in (*store.PUBLISHED_RELATIONS, *publish.ROLLUP_RELATIONS) if n in names]
    first = list(dict.fromkeys(first))
    return first + sorted(n for n in names if n not in first)


def built_database() -> duckdb.DuckDBPyConnection:
    """An empty database with everything a published snapshot defines."""
    con = duckdb.connect()
    store.apply_schema(con)
    publish.build_rollups(con)
    return con


def table_macros(con: duckdb.DuckDBPyConnection) -> list[tuple[str, list[str]]]:
    return con.execute(
        "SELECT function_name, parameters FROM duckdb_functions() "
        "WHERE function_type = 'table_macro' AND NOT internal AND schema_name = 'main' "
        "ORDER BY function_name").fetchall()


# --- the document -------------------------------------------------------------------------------

def data_dictionary() -> str:
    notes = sql_notes()
    with built_database() as con:
        relations = described_relations(con)
        macros = table_macros(con)
    parts = [_preamble(), "## Relations\n"]
    parts += [_relation(name, kind, columns, notes) for name, kind, columns in relations]
    parts += [_macros(macros, notes), _codes(), _vocabulary(), _rules()]
    return "\n".join(parts).rstrip() + "\n"


def write_data_dictionary(path: Path = DICTIONARY) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data_dictionary(), encoding="utf-8")
    return path


def _preamble() -> str:
    return """# nianbao data dictionary

<!-- Generated by `python -m nianbao.publish --data-dictionary` from sql/ and nianbao/codes.json.
     Do not edit by hand: change the SQL comments or the codes, then regenerate. -->

What a run publishes, and what every column means. Query the published DuckDB file (never the
run's working file) with `nianbao sql "SELECT …"`, or read the Parquet and CSV files (UTF-8 with a
byte-order mark) in the publish folder, one file per relation below.

- A *submission* is one stored file: its id is the sha256 of its bytes. The *current* submission
  of an office and year is the one received last; older ones stay, with `is_current = false`.
- Counts of table 3 and 4 are numbers of applications or cases; `fees` and procurement amounts
  are in 万元 (10,000 yuan), converted when a report wrote 元.
- A cell printed blank or as a dash counts as 0 and keeps its `kind`; a cell that could not be
  read is NULL.
- Rollups add up current submissions: consistent ones only (`--rollup-policy consistent`, the
  default) or all of them (`all`); every rollup counts what it left out or included with errors.
  No total is ever added to its own parts.
"""


def _relation(name: str, kind: str, columns: list[tuple], notes: dict[str, SqlNotes]) -> str:
    note = notes.get(name, SqlNotes())
    lines = [f"### `{name}` ({kind})\n"]
    if note.about:
        lines.append(f"{note.about}\n")
    if note.source:
        lines.append(f"Defined in `{note.source}`.\n")
    lines += ["| column | type | meaning |", "| --- | --- | --- |"]
    for column, type_ in columns:
        lines.append(f"| `{column}` | {type_} | {_cell(column_meaning(name, kind, column, notes))} |")
    return "\n".join(lines) + "\n"


def column_meaning(relation: str, kind: str, column: str, notes: dict[str, SqlNotes]) -> str:
    """The relation's own comment, else the glossary, else a table-3 row label; a view's column
    may also take the comment of a stored table's column of that name."""
    # A rollup view's columns are commented in the macro it calls: <view>_with(policy).
    own = {**notes.get(f"{relation}_with", SqlNotes()).columns,
           **notes.get(relation, SqlNotes()).columns}
    for meaning in (own.get(column), GLOSSARY.get(f"{relation}.{column}"), GLOSSARY.get(column)):
        if meaning:
            return meaning
    label = _application_row_labels().get(column)
    if label:
        return f"table 3 row {label}, total column (all applicants)"
    if kind == "view":
        for other in notes.values():
            if other.is_table and column in other.columns:
                return other.columns[column]
    return ""


def _application_row_labels() -> dict[str, str]:
    return {r["code"]: r["label"] for r in codes()["applications"]["rows"]}


def _macros(macros: list[tuple[str, list[str]]], notes: dict[str, SqlNotes]) -> str:
    lines = ["## Table macros\n",
             "The rollup views under another policy, without a new run, e.g. "
             "`SELECT * FROM district_rollup_with('all')`.\n",
             "| macro | returns |", "| --- | --- |"]
    for name, params in macros:
        view = name.removesuffix("_with")
        lines.append(f"| `{name}({', '.join(params)})` | the columns of `{view}`, for that policy |")
    return "\n".join(lines) + "\n"


def _codes() -> str:
    c = codes()
    lines = ["## Codes\n", "### Table 2, 主动公开 (2021 format): `item_code` × `metric_code`\n",
             "| item_code | label | metrics |", "| --- | --- | --- |"]
    for key in ("active_disclosure", "active_disclosure_2019"):
        if key == "active_disclosure_2019":
            lines += ["", "### Table 2 in the 2019 format (reports on 2019 and 2020)\n",
                      "| item_code | label | metrics |", "| --- | --- | --- |"]
        for item in c[key]["items"]:
            lines.append(f"| `{item['code']}` | {item['label']} | "
                         f"{', '.join(f'`{m}`' for m in item['metrics'])} |")
        lines += ["", "| metric_code | label |", "| --- | --- |"]
        lines += [f"| `{m}` | {_cell(label)} |" for m, label in c[key]["metric_labels"].items()]
    lines += ["", "### Table 3, 依申请公开: `row_code` (rows)\n", "| row_code | label | group | format |",
              "| --- | --- | --- | --- |"]
    for r in c["applications"]["rows"]:
        lines.append(f"| `{r['code']}` | {r['label']} | {r.get('group', '')} | "
                     f"{r.get('format', 'both')} |")
    lines += ["", "2021 reports also carry `other_handling`, derived as the sum of the three "
              "`other_*` rows (kind `derived`), so that both formats add up alike.", "",
              "### Table 3: `column_code` (kinds of applicant)\n", "| column_code | label |",
              "| --- | --- |"]
    lines += [f"| `{col['code']}` | {col.get('group', '') + ' · ' if col.get('group') else ''}"
              f"{col['label']} |" for col in c["applications"]["columns"]]
    lines += ["", "### Table 4, 行政复议、行政诉讼: `group_code` × `outcome_code`\n",
              "| code | label |", "| --- | --- |"]
    lines += [f"| `{g['code']}` | {g['label']} |" for g in c["review_litigation"]["groups"]]
    lines += [f"| `{o['code']}` | {o['label']} |" for o in c["review_litigation"]["outcomes"]]
    return "\n".join(lines) + "\n"


def _vocabulary() -> str:
    lines = ["## Values\n", "| column | value | meaning (as the dashboard says it) |",
             "| --- | --- | --- |"]
    lines += [f"| `status` | `{k}` | {v} |" for k, v in STATUS_ZH.items()]
    lines += [f"| `kind` | `{k}` | {v} |" for k, v in KIND_ZH.items()]
    return "\n".join(lines) + "\n"


def _rules() -> str:
    lines = ["## Rules (`quality_failures.rule`)\n",
             "Defined in `sql/checks/<rule>.sql`; an `error` makes a submission inconsistent.\n",
             "| rule | severity | 名称 | what it checks |", "| --- | --- | --- | --- |"]
    for path in sorted((store.SQL_DIR / "checks").glob("*.sql")):
        header = _comment_block(path.read_text(encoding="utf-8").splitlines(), 0)
        match = _CHECK_HEADER.match(f"-- {header[0]}") if header else None
        if not match:
            continue
        rule, severity, first = match.groups()
        text = " ".join([first, *header[1:]]).split(" One row per ")[0]
        lines.append(f"| `{rule}` | {severity} | {RULES_ZH.get(rule, ('',))[0]} | {_cell(text)} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Text fit for one Markdown table cell: one line, single spaces, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")
