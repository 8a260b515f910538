"""Check every stored submission against the rules of the spec, through Great Expectations, and
write the results back: ``quality_failures`` and ``submissions.status``.

Each rule is defined once, as ``sql/checks/<rule>.sql``: a SELECT returning the rows that break
it, with the cells involved (by their codes), the expected and found values, the raw text of
those cells and a sentence in Chinese saying what is wrong. The suite, the tests and the
dashboard all run those files (``find_violations``), or read what they left in
``quality_failures``: one row per broken equation or cell (a column of table 3 whose balance
fails, a row whose total is wrong, a cell not read, …), so a submission can have several rows
per rule. ``cells`` names cells as ``table.row.column`` of the row's submission; a cell of the
same office's submission for an earlier year is suffixed ``@<year>``
(``applications.carried_forward.total@2022``, in the cross-year rules). ``raw`` gives each
cell's printed text and says when a blank or dash cell was read as 0; ``message_zh`` says so
too. ``missing_report`` rows have no submission (``submission_id`` NULL, ``office`` and
``year`` name what is missing).

The GX route ("route (b)" of ../shared/STACK.md): the violation rows of all rules are fetched
from DuckDB as one pandas DataFrame and validated by the suite ``nianbao_rules`` of the file
project under ``expectations/``: one built-in ``ExpectColumnValuesToNotBeInSet(column="rule",
value_set=[<rule>])`` per rule (severity critical for error rules, warning for warning rules),
whose unexpected rows are that rule's violations, plus one table-shape expectation. Why not
route (a), ``UnexpectedRowsExpectation`` on DuckDB through SQLAlchemy: GX 1.24.1 closes the
pooled duckdb-engine connection before fetching and every expectation then fails *silently*
(``IndexError`` hidden in ``exception_info``); making it work means patching GX internals, and
it would add duckdb-engine and SQLAlchemy to the run for no gain. Here DuckDB does the
arithmetic (fast on millions of cells), GX only sees the few violation rows, and only built-in
expectation classes are used, so nothing can be dropped when the suite loads.

A check that silently passes is the worst failure this project can have, so the GX side is
checked on every run, and any surprise raises :class:`QualityCheckError` instead of passing:
the suite must load as many expectations as its JSON file defines, one per rule; no
expectation may have raised; and the rows GX reports unexpected for each rule must be exactly
the rows the rule's SQL returned. ``quality_failures`` is written from the rows GX confirmed.

Great Expectations is imported lazily (about 3.5 s): only ``run_checks`` and the project
helpers need it.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from nianbao import narrative
from nianbao.errors import NianbaoError
from nianbao.model import (
    FORMAT_2019,
    FORMAT_2021,
    TABLE_ACTIVE,
    TABLE_APPLICATIONS,
    TABLE_REVIEW,
    cell_keys,
    codes,
)
from nianbao.store import SQL_DIR

CHECKS_DIR = SQL_DIR / "checks"
EXPECTATIONS_DIR = Path(__file__).resolve().parent.parent / "expectations"

SUITE_NAME = "nianbao_rules"
CHECKPOINT_NAME = "nianbao_checks"
VALIDATION_NAME = "nianbao_rules"
DATASOURCE_NAME = "nianbao_frames"
ASSET_NAME = "rule_violations"
BATCH_NAME = "whole_frame"
KEEP_RESULTS = 30  # validation results kept under expectations/gx/uncommitted/validations

ERROR, WARNING = "error", "warning"
_GX_SEVERITY = {ERROR: "critical", WARNING: "warning"}


@dataclass(frozen=True)
class Rule:
    name: str
    severity: str
    summary: str

    @property
    def sql_path(self) -> Path:
        return CHECKS_DIR / f"{self.name}.sql"


# The rules of ../shared/spec/README.md ("The rules a submission must satisfy"), in its order.
RULES = (
    Rule("balance", ERROR,
         "table 3, every column: new_received + carried_over = results_total + carried_forward"),
    Rule("row_total", ERROR, "table 3, every row: total = the sum of the six applicant columns"),
    Rule("results_sum", ERROR, "table 3, every column: results_total = the sum of the result rows"),
    Rule("review_total", ERROR,
         "table 4, every group: total = upheld + corrected + other + pending"),
    Rule("non_negative", ERROR,
         "every count is a whole number >= 0, amounts >= 0 (2019 change may be negative)"),
    Rule("complete", ERROR, "every cell of tables 2-4 was found and read"),
    Rule("carry_continuity", WARNING, "carried_over of year Y = carried_forward of year Y-1"),
    Rule("in_force_floor", WARNING, "in_force >= issued - repealed"),
    Rule("in_force_continuity", WARNING,
         "in_force(Y) = in_force(Y-1) + issued(Y) - repealed(Y)"),
    Rule("missing_report", WARNING,
         "an expected office has a report for every year its district has reports"),
    Rule("narrative_agrees", WARNING, "counts stated in the prose agree with tables 3 and 4"),
    Rule("one_current", WARNING, "one current submission per office and year, the last received"),
)
RULES_BY_NAME = {r.name: r for r in RULES}

# What every sql/checks/<rule>.sql returns, in this order.
VIOLATION_COLUMNS = ("submission_id", "office", "year", "rule", "severity", "cells", "expected",
                     "found", "raw", "detail", "message_zh")
# The frame GX validates: one row per violation (cells flattened to text for pandas).
GX_COLUMNS = ("failure_id", "rule", "severity", "submission_id", "office", "year", "cells",
              "expected", "found", "message_zh")


class QualityCheckError(NianbaoError):
    """The checks could not be trusted to have run: a suite lost expectations, an expectation
    raised, or GX and the rule SQL disagree. Never swallowed: better no result than a false
    'consistent'."""


@dataclass
class RuleOutcome:
    """What GX said about one rule."""

    rule: str
    severity: str
    success: bool
    unexpected_count: int
    failure_ids: list[int]


@dataclass
class CheckResult:
    violations: pd.DataFrame  # every row of every rule's SQL, with its failure_id
    rules: dict[str, RuleOutcome]
    status_counts: dict[str, int]
    seconds: dict[str, float] = field(default_factory=dict)  # time per step and per rule

    def fired(self) -> set[str]:
        return {name for name, o in self.rules.items() if not o.success}


# --- the rule SQL -------------------------------------------------------------------------------

def rule_sql(rule: str) -> str:
    """The text of ``sql/checks/<rule>.sql``."""
    return RULES_BY_NAME[rule].sql_path.read_text(encoding="utf-8")


def prepare_checks(con: duckdb.DuckDBPyConnection) -> None:
    """Create what the check SQL reads besides the store: helper views and macros
    (``sql/checks/_prepare.sql``), the expected cells and the Chinese names of every code (from
    codes.json), and the counts the prose states (``narrative_claims``)."""
    con.execute((CHECKS_DIR / "_prepare.sql").read_text(encoding="utf-8"))
    _replace_table(con, "expected_cells", expected_cells_frame())
    _replace_table(con, "code_labels", code_labels_frame())
    _replace_table(con, "narrative_claims", narrative_claims_frame(con))


def _replace_table(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    view = f"_nianbao_{name}_frame"
    con.register(view, frame)
    try:
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {view}")
    finally:
        con.unregister(view)


def expected_cells_frame() -> pd.DataFrame:
    """Every cell of tables 2-4 in each format; 2021's ``other_handling`` is derived by the
    reader from its three sub-rows, so it is not expected as printed."""
    rows = [(fmt, t, r, c, fmt == FORMAT_2021 and r == "other_handling")
            for fmt in (FORMAT_2021, FORMAT_2019) for t, r, c in cell_keys(fmt)]
    return pd.DataFrame(rows, columns=["format", "table_code", "row_code", "column_code",
                                       "derived"])


def _short_label(label: str) -> str:
    """一、本年新收政府信息公开申请数量 -> 本年新收政府信息公开申请数量; （一）予以公开 -> 予以公开;
    the remark of （二）部分公开（区分处理的，只计这一情形，不计其他情形） is dropped."""
    label = label.split("（区分处理的")[0]
    for sep in ("、", "）", "."):
        head, found, tail = label.partition(sep)
        if found and len(head) <= 3 and tail:
            return tail.lstrip("（").strip() if sep == "）" else tail.strip()
    return label


def code_labels_frame() -> pd.DataFrame:
    """(table_code, axis 'row'|'column', code, label_zh, position): names for the messages."""
    spec = codes()
    rows: list[tuple] = []
    for key in ("active_disclosure", "active_disclosure_2019"):
        block = spec[key]
        for i, item in enumerate(block["items"]):
            rows.append((TABLE_ACTIVE, "row", item["code"], item["label"], i))
        for i, (metric, label) in enumerate(block["metric_labels"].items()):
            rows.append((TABLE_ACTIVE, "column", metric, label.split("（normalised")[0], i))
    apps = spec["applications"]
    for i, col in enumerate(apps["columns"]):
        rows.append((TABLE_APPLICATIONS, "column", col["code"], col["label"], i))
    for i, row in enumerate(apps["rows"]):
        label = _short_label(row["label"])
        if row.get("group", "").startswith("（") and row["code"] != "other_handling":
            label = f"{_short_label(row['group'])}·{label}"
        rows.append((TABLE_APPLICATIONS, "row", row["code"], label, i))
    review = spec["review_litigation"]
    for i, g in enumerate(review["groups"]):
        rows.append((TABLE_REVIEW, "row", g["code"], g["label"], i))
    for i, o in enumerate(review["outcomes"]):
        rows.append((TABLE_REVIEW, "column", o["code"], o["label"], i))
    frame = pd.DataFrame(rows, columns=["table_code", "axis", "code", "label_zh", "position"])
    return frame.drop_duplicates(["table_code", "axis", "code"], keep="first")


def narrative_claims_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The counts the prose of every checked submission states (nianbao.narrative)."""
    rows = con.execute("""
        SELECT n.submission_id, s.year, n.narrative
        FROM narratives AS n
        JOIN checked_submissions AS s USING (submission_id)
    """).fetchall()
    claims = [(sid, c.claim, c.stated, c.phrase)
              for sid, year, text in rows
              for c in narrative.find_claims(text or "", year)]
    return pd.DataFrame(claims, columns=["submission_id", "claim", "stated", "phrase"]).astype(
        {"submission_id": "object", "claim": "object", "stated": "int64", "phrase": "object"})


_VIOLATION_TABLE = """
    CREATE OR REPLACE TEMP TABLE rule_violations_raw (
        submission_id VARCHAR, office VARCHAR, year INTEGER, rule VARCHAR, severity VARCHAR,
        cells VARCHAR[], expected DOUBLE, found DOUBLE, raw VARCHAR, detail VARCHAR,
        message_zh VARCHAR)
"""


def find_violations(con: duckdb.DuckDBPyConnection, rules: tuple[Rule, ...] = RULES,
                    seconds: dict[str, float] | None = None) -> pd.DataFrame:
    """Run every rule's SQL; leave the rows in the temporary table ``rule_violations`` (with a
    ``failure_id`` each) and return them. Call :func:`prepare_checks` first. Raises
    :class:`QualityCheckError` if a rule's SQL does not return the violation columns, or returns
    rows of another rule or severity."""
    con.execute(_VIOLATION_TABLE)
    for rule in rules:
        start = time.perf_counter()
        sql = rule_sql(rule.name)
        columns = tuple(row[0] for row in con.execute(f"DESCRIBE SELECT * FROM ({sql})").fetchall())
        if columns != VIOLATION_COLUMNS:
            raise QualityCheckError(f"sql/checks/{rule.name}.sql returns {columns}, "
                                    f"not {VIOLATION_COLUMNS}")
        con.execute(f"INSERT INTO rule_violations_raw SELECT * FROM ({sql})")
        stray = con.execute("SELECT count(*) FROM rule_violations_raw WHERE rule = ? "
                            "AND severity IS DISTINCT FROM ?", [rule.name, rule.severity]
                            ).fetchone()[0]
        if stray:
            raise QualityCheckError(f"sql/checks/{rule.name}.sql gives {stray} rows a severity "
                                    f"other than {rule.severity}")
        if seconds is not None:
            seconds[f"rule:{rule.name}"] = time.perf_counter() - start
    names = [r.name for r in rules]
    stray = con.execute("SELECT count(*) FROM rule_violations_raw WHERE rule IS NULL "
                        "OR rule NOT IN (SELECT unnest(?))", [names]).fetchone()[0]
    if stray:
        raise QualityCheckError(f"{stray} violation rows name a rule other than {names}")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE rule_violations AS
        SELECT row_number() OVER (ORDER BY rule, submission_id, office, year,
                                  array_to_string(cells, ','), detail) AS failure_id, *
        FROM rule_violations_raw
    """)
    con.execute("DROP TABLE rule_violations_raw")
    return con.execute("SELECT * FROM rule_violations ORDER BY failure_id").df()


def gx_frame(violations: pd.DataFrame) -> pd.DataFrame:
    """The frame the suite validates: the violations with their cells as text."""
    frame = violations.reindex(columns=list(GX_COLUMNS)).copy()
    frame["cells"] = [", ".join(c) if c is not None and len(c) else ""
                      for c in violations["cells"]] if len(violations) else []
    return frame.astype({"failure_id": "int64", "rule": "object", "severity": "object"})


# --- Great Expectations -------------------------------------------------------------------------

_CONTEXTS: dict[Path, object] = {}


def _gx():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx

    return gx


def _quiet(context) -> None:
    # TQDM_DISABLE does not work with GX (../shared/STACK.md); this does.
    context.variables.progress_bars = {"globally": False, "metric_calculations": False}
    context.variables.analytics_enabled = False


def open_context(project_root: Path = EXPECTATIONS_DIR):
    """The GX file context of ``project_root`` (its ``gx/`` folder), opened once per process.
    A project without ``gx/`` is built from :data:`RULES` first."""
    root = Path(project_root).resolve()
    if root in _CONTEXTS:
        return _CONTEXTS[root]
    if not (root / "gx" / "great_expectations.yml").exists():
        context = build_project(root)
    else:
        context = _gx().get_context(mode="file", project_root_dir=str(root))
        _quiet(context)
    _CONTEXTS[root] = context
    return context


def rule_expectations() -> list:
    """The suite's expectations: one per rule, then the shape of the validated frame."""
    import great_expectations.expectations as gxe

    expectations = [
        gxe.ExpectColumnValuesToNotBeInSet(
            column="rule", value_set=[rule.name], severity=_GX_SEVERITY[rule.severity],
            description=f"{rule.name} ({rule.severity}): {rule.summary}",
            meta={"rule": rule.name, "severity": rule.severity,
                  "definition": f"sql/checks/{rule.name}.sql"},
        )
        for rule in RULES
    ]
    expectations.append(gxe.ExpectTableColumnsToMatchSet(
        column_set=list(GX_COLUMNS), exact_match=True,
        description="the violation frame has the columns the rule expectations read",
        meta={"rule": None, "role": "shape"},
    ))
    return expectations


def build_project(project_root: Path = EXPECTATIONS_DIR):
    """(Re)write the GX file project from :data:`RULES`: the pandas data source of violation
    frames, the suite, its validation definition and the checkpoint. Returns the context."""
    gx = _gx()
    root = Path(project_root).resolve()
    for folder in ("expectations", "validation_definitions", "checkpoints"):
        shutil.rmtree(root / "gx" / folder, ignore_errors=True)
    context = gx.get_context(mode="file", project_root_dir=str(root))
    _quiet(context)
    context.variables.save()
    if DATASOURCE_NAME in context.data_sources.all():
        context.data_sources.delete(DATASOURCE_NAME)
    source = context.data_sources.add_pandas(DATASOURCE_NAME)
    batch = source.add_dataframe_asset(ASSET_NAME).add_batch_definition_whole_dataframe(BATCH_NAME)
    suite = gx.ExpectationSuite(name=SUITE_NAME, meta={
        "about": "Every rule of ../shared/spec/README.md; each expectation's unexpected rows "
                 "are the rows its sql/checks/<rule>.sql returned. Built by "
                 "nianbao.quality.build_project: edit RULES, not this file."})
    for expectation in rule_expectations():
        suite.add_expectation(expectation)
    suite = context.suites.add(suite)
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name=VALIDATION_NAME, data=batch, suite=suite))
    context.checkpoints.add(gx.Checkpoint(
        name=CHECKPOINT_NAME, validation_definitions=[validation],
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["failure_id"]},
    ))
    _CONTEXTS[root] = context
    return context


def suite_file(project_root: Path = EXPECTATIONS_DIR) -> Path:
    return Path(project_root).resolve() / "gx" / "expectations" / f"{SUITE_NAME}.json"


def defined_expectations(project_root: Path = EXPECTATIONS_DIR) -> list[dict]:
    """The expectations the suite's JSON file defines (whether or not GX can load them)."""
    with open(suite_file(project_root), encoding="utf-8") as f:
        return json.load(f)["expectations"]


def verify_suite(suite, project_root: Path = EXPECTATIONS_DIR) -> None:
    """Raise unless the loaded suite holds every expectation its file defines, one per rule
    with the rule's severity, and the shape expectation. (GX drops an expectation whose class it
    cannot find with only a log line: this is what stops that from passing silently.)"""
    defined = defined_expectations(project_root)
    loaded = list(suite.expectations)
    if len(loaded) < len(defined):
        raise QualityCheckError(
            f"suite {SUITE_NAME} loaded {len(loaded)} of the {len(defined)} expectations its file "
            f"defines ({sorted(e.get('type', '?') for e in defined)}): a rule would be skipped",
            str(suite_file(project_root)))
    by_rule: dict[str, list] = {}
    for e in loaded:
        by_rule.setdefault((e.meta or {}).get("rule"), []).append(e)
    for rule in RULES:
        found = by_rule.get(rule.name, [])
        if len(found) != 1:
            raise QualityCheckError(
                f"suite {SUITE_NAME} has {len(found)} expectations for rule {rule.name}, not 1",
                str(suite_file(project_root)))
        e = found[0]
        if (e.expectation_type != "expect_column_values_to_not_be_in_set"
                or e.column != "rule" or list(e.value_set) != [rule.name]
                or str(getattr(e.severity, "value", e.severity)) != _GX_SEVERITY[rule.severity]):
            raise QualityCheckError(f"suite {SUITE_NAME}: the expectation of rule {rule.name} "
                                    "does not check that rule", str(suite_file(project_root)))
    if len(by_rule.get(None, [])) != 1 or len(loaded) != len(RULES) + 1:
        raise QualityCheckError(f"suite {SUITE_NAME} holds {len(loaded)} expectations, "
                                f"expected {len(RULES) + 1}", str(suite_file(project_root)))


def validate_violations(frame: pd.DataFrame, context=None,
                        project_root: Path = EXPECTATIONS_DIR) -> dict[str, RuleOutcome]:
    """Run the checkpoint on the violation frame; per rule, what GX found. Raises
    :class:`QualityCheckError` when the suite is incomplete or an expectation raised."""
    context = context if context is not None else open_context(project_root)
    checkpoint = context.checkpoints.get(CHECKPOINT_NAME)
    definitions = list(checkpoint.validation_definitions)
    if len(definitions) != 1:
        raise QualityCheckError(f"checkpoint {CHECKPOINT_NAME} has {len(definitions)} "
                                "validation definitions, expected 1")
    verify_suite(definitions[0].suite, project_root)
    result = checkpoint.run(batch_parameters={"dataframe": frame})
    outcomes: dict[str, RuleOutcome] = {}
    shape_ok = False
    results = [r for run in result.run_results.values() for r in run.results]
    if len(results) != len(RULES) + 1:
        raise QualityCheckError(f"GX returned {len(results)} expectation results, "
                                f"expected {len(RULES) + 1}")
    for r in results:
        config = r.expectation_config
        rule = (config.meta or {}).get("rule")
        if _raised(r.exception_info):
            raise QualityCheckError(f"GX expectation {config.type} (rule {rule}) raised instead "
                                    f"of validating: {_exception_message(r.exception_info)}")
        if rule is None:
            shape_ok = bool(r.success)
            continue
        index = r.result.get("unexpected_index_list") or []
        outcomes[rule] = RuleOutcome(
            rule=rule, severity=RULES_BY_NAME[rule].severity, success=bool(r.success),
            unexpected_count=int(r.result.get("unexpected_count") or 0),
            failure_ids=sorted(int(row["failure_id"]) for row in index))
    if not shape_ok:
        raise QualityCheckError("the violation frame does not have the columns the suite reads: "
                                f"{list(frame.columns)}")
    _prune_results(Path(project_root))
    return outcomes


def _raised(info) -> bool:
    if not info:
        return False
    if "raised_exception" in info:
        return bool(info["raised_exception"])
    return any(_raised(v) for v in info.values() if isinstance(v, dict))


def _exception_message(info) -> str:
    if "exception_message" in info:
        return str(info["exception_message"])
    return "; ".join(_exception_message(v) for v in info.values() if isinstance(v, dict))


def _prune_results(project_root: Path, keep: int = KEEP_RESULTS) -> None:
    """Keep the latest ``keep`` stored validation results (one per run, under gx/uncommitted)."""
    folder = project_root.resolve() / "gx" / "uncommitted" / "validations" / SUITE_NAME
    runs = sorted(p for p in folder.glob("*/*") if p.is_dir())
    for old in runs[:-keep] if len(runs) > keep else []:
        shutil.rmtree(old, ignore_errors=True)


def confirm(violations: pd.DataFrame, outcomes: dict[str, RuleOutcome]) -> None:
    """Raise unless, for every rule, GX reported exactly the rows the rule's SQL returned."""
    for rule in RULES:
        outcome = outcomes.get(rule.name)
        if outcome is None:
            raise QualityCheckError(f"GX returned no result for rule {rule.name}")
        sql_ids = sorted(int(i) for i in violations.loc[violations["rule"] == rule.name,
                                                        "failure_id"])
        if outcome.failure_ids != sql_ids or outcome.unexpected_count != len(sql_ids) \
                or outcome.success != (not sql_ids):
            raise QualityCheckError(
                f"rule {rule.name}: the SQL found {len(sql_ids)} violations but GX reported "
                f"{outcome.unexpected_count} (success={outcome.success})")


# --- results ------------------------------------------------------------------------------------

def write_results(con: duckdb.DuckDBPyConnection, confirmed_ids: list[int]) -> dict[str, int]:
    """Replace ``quality_failures`` with the confirmed rows of ``rule_violations`` and set the
    status of every parsed submission: 'inconsistent' with an error-level failure, else
    'consistent' (quarantined files keep their status). Returns the counts of current
    submissions by status."""
    con.register("_nianbao_confirmed", pd.DataFrame({"failure_id": pd.Series(confirmed_ids,
                                                                            dtype="int64")}))
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute("DELETE FROM quality_failures")
        con.execute("""
            INSERT INTO quality_failures BY NAME
            SELECT submission_id, office, year, rule, severity, detail, cells, expected, found,
                   raw, message_zh
            FROM rule_violations
            WHERE failure_id IN (SELECT failure_id FROM _nianbao_confirmed)
            ORDER BY failure_id
        """)
        con.execute("""
            UPDATE submissions
            SET status = CASE WHEN submission_id IN (SELECT submission_id FROM quality_failures
                                                     WHERE severity = 'error')
                              THEN 'inconsistent' ELSE 'consistent' END
            WHERE status IS DISTINCT FROM 'quarantined'
        """)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("_nianbao_confirmed")
    return dict(con.execute("SELECT status, count(*) FROM submissions WHERE is_current "
                            "GROUP BY status").fetchall())


def run_checks(con: duckdb.DuckDBPyConnection, context=None,
               project_root: Path = EXPECTATIONS_DIR) -> CheckResult:
    """Check every stored submission through the GX suite and write the results back (the
    hook ``nianbao.pipeline.run_checks`` calls after each load)."""
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    prepare_checks(con)
    seconds["prepare"] = time.perf_counter() - start
    start = time.perf_counter()
    violations = find_violations(con, seconds=seconds)
    seconds["sql"] = time.perf_counter() - start
    start = time.perf_counter()
    context = context if context is not None else open_context(project_root)
    seconds["gx_context"] = time.perf_counter() - start
    start = time.perf_counter()
    outcomes = validate_violations(gx_frame(violations), context, project_root)
    seconds["gx_validate"] = time.perf_counter() - start
    confirm(violations, outcomes)
    start = time.perf_counter()
    confirmed = sorted(i for o in outcomes.values() for i in o.failure_ids)
    counts = write_results(con, confirmed)
    seconds["write"] = time.perf_counter() - start
    return CheckResult(violations=violations, rules=outcomes, status_counts=counts,
                       seconds=seconds)


def main(argv: list[str] | None = None) -> int:
    """``python -m nianbao.quality build-project``: rewrite expectations/gx from RULES."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if args != ["build-project"]:
        print("usage: python -m nianbao.quality build-project", file=sys.stderr)
        return 2
    build_project(EXPECTATIONS_DIR)
    print(f"wrote {suite_file(EXPECTATIONS_DIR)} ({len(RULES) + 1} expectations)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
