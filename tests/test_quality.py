"""The rules as plain functions: the prose reader, each rule's SQL on hand-made and generated
stores, and the bookkeeping of nianbao.quality. No Great Expectations here (tests/test_quality_gx.py
runs everything through the suite)."""

from __future__ import annotations

import random
import re

import pandas as pd
import pytest
import quality_cases as qc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao import narrative, quality
from nianbao.generate import random_report
from nianbao.model import cell_keys

A = "applications"


def violations_of(stored: list[qc.Stored], offices=()) -> pd.DataFrame:
    con = qc.new_store()
    qc.load(con, stored, offices)
    quality.prepare_checks(con)
    return quality.find_violations(con)


def stored_of(report: dict, seed: int = 0, **options) -> qc.Stored:
    return qc.Stored(qc.report_from_contract(report, seed), **options)


# --- the prose ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, year, expected", [
    ("全年共收到政府信息公开申请34件，均已办结。", 2024, {"received": 34}),
    ("全年收到政府信息公开申请 34 件，上年结转政府信息公开\n申请 2 件", 2024, {"received": 34}),
    ("市政府共受理政府信息公开申请 1,295 件，办结 1191 件（含\n上年结转 189 件）", 2025,
     {"received": 1295}),
    ("本年度全区共收到70件申请，及时依法依规办结69件，1件结转下年度继续办理。", 2021,
     {"received": 70, "carried_forward": 1}),
    ("本年度未收到政府信息公开申请。", 2023, {"received": 0}),
    ("2023年度我局共收到依申请信息公开26件，及时回复申请人", 2023, {"received": 26}),
    ("共收到政府信息公开申请二十三件，结转下一年度三件。", 2023,
     {"received": 23, "carried_forward": 3}),
    ("全区共收到政府信息公开申请１５４件，共办结148件，结转至2026年6件。", 2025,
     {"received": 154, "carried_forward": 6}),
    ("全年办理因政府信息公开申请引发的行政复议36起，行政诉讼9起。", 2025,
     {"review_total": 36, "litigation_total": 9}),
    ("共有行政诉讼案件1件、行政复议案件2件，均已结案。", 2022,
     {"review_total": 2, "litigation_total": 1}),
    ("政府信息公开行政复议351\n件，政府信息公开行政诉讼46件，其中结果维持25件", 2024,
     {"review_total": 351, "litigation_total": 46}),
    ("涉及的行政诉讼数为\n0 件。", 2024, {"litigation_total": 0}),
    ("转下一年度办理答复的有 1 件。", 2024, {"carried_forward": 1}),
    ("共收到政府信息公开申请一百零五件。", 2023, {"received": 105}),
    ("本年度共受理依申请公开12件。", 2023, {"received": 12}),
    ("未收到公民、法人和其他组织提出的政府信息公开申请。", 2023, {"received": 0}),
    ("结转下年度继续办理的申请4件。", 2023, {"carried_forward": 4}),
    ("因政府信息公开被申请行政复议3件、提起行政诉讼2件。", 2023,
     {"review_total": 3, "litigation_total": 2}),
])
def test_claims_read_from_common_phrasings(text, year, expected):
    assert {c.claim: c.stated for c in narrative.find_claims(text, year)} == expected


@pytest.mark.parametrize("text", [
    "全年办理政府信息公开申请218件",  # 办理: handled, not received
    "含上年度结转申请34件，另有103件顺延到下年度",  # carried over, and 顺延 is not 结转
    "全年未发生因依申请公开被行政复议纠错或行政诉讼败诉情形",
    "依法做好相关行政复议、行政诉讼案件的应诉工作，全县共办理相关案件 74 件",
    "本年度未收到行政复议申请",  # not an information-disclosure application
    "全区受理政府信息公开申请21件，其中区政府本级受理申请5件",  # two numbers: ambiguous
    "结转至2030年6件",  # not the year after the report's
    "行政复议纠错1件",
    "一、本年新收政府信息公开申请数量70000070二、上年结转政府信息公开申请数量0000000",  # table text
    "2024 年市科委有 1 件涉及政府信息公开工作的行政复\n议",  # number before: not a clear statement
    "未经复议直接起诉的行政诉讼3件",  # one litigation group only
    "行政复议、行政诉讼各1件",
    "全年收到政府信息公开申请12件……本年度未收到政府信息公开申请",  # contradicts itself
])
def test_unclear_statements_are_left_alone(text):
    assert narrative.find_claims(text, 2024) == []


@pytest.mark.parametrize("text, value", [
    ("十", 10), ("十五", 15), ("二十三", 23), ("一百零五", 105), ("两千", 2000),
    ("三万五千", 35000), ("二〇二三", 2023), ("一千零一", 1001), ("零", 0),
])
def test_chinese_numerals(text, value):
    assert narrative.chinese_number(text) == value


# --- the SQL of each rule -----------------------------------------------------------------------

def test_every_rule_has_one_sql_file_with_a_header_saying_when_it_fails():
    files = {p.stem for p in quality.CHECKS_DIR.glob("*.sql") if not p.stem.startswith("_")}
    assert files == {r.name for r in quality.RULES}
    for rule in quality.RULES:
        text = rule.sql_path.read_text(encoding="utf-8")
        header = "\n".join(line for line in text.splitlines() if line.startswith("--"))
        assert f"`{rule.name}` ({rule.severity})" in header, rule.name
        assert "One row per" in header and "Fails if" in header, rule.name
        # The severity the rows carry is the spec's.
        assert re.findall(r"'(error|warning)' AS severity", text) == [rule.severity], rule.name


def test_every_rule_returns_the_violation_columns_in_order():
    con = qc.new_store()
    quality.prepare_checks(con)
    for rule in quality.RULES:
        columns = [row[0] for row in con.execute(
            f"DESCRIBE SELECT * FROM ({quality.rule_sql(rule.name)})").fetchall()]
        assert tuple(columns) == quality.VIOLATION_COLUMNS, rule.name


def test_a_rule_sql_that_returns_something_else_is_refused(monkeypatch):
    con = qc.new_store()
    qc.load(con, [stored_of(qc.consistent(2))])
    quality.prepare_checks(con)
    real = quality.rule_sql
    monkeypatch.setattr(quality, "rule_sql", lambda name: "SELECT 1 AS submission_id"
                        if name == "balance" else real(name))
    with pytest.raises(quality.QualityCheckError, match="balance.sql returns"):
        quality.find_violations(con)
    monkeypatch.setattr(quality, "rule_sql", lambda name: real(name).replace(
        "'warning' AS severity", "'error' AS severity") if name == "one_current" else real(name))
    con.execute("UPDATE submissions SET is_current = FALSE")  # make one_current fire
    with pytest.raises(quality.QualityCheckError, match="one_current.sql gives"):
        quality.find_violations(con)


def test_a_blank_cell_read_as_zero_is_shown_as_such():
    report = qc.consistent(3)
    col = next(c for c in qc.APPLICANTS if report[A]["new_received"][c] > 0)
    qc.bump(report, A, "carried_forward", col, 1)  # breaks row_total and balance
    zero = next(c for c in qc.APPLICANTS if report[A]["carried_forward"][c] == 0)
    report["kinds"] = {f"{A}.carried_forward.{zero}": "blank", f"{A}.carried_forward.total": "dash"}
    report[A]["carried_forward"]["total"] = 0
    v = violations_of([stored_of(report)])
    rows = v[v["rule"] == "row_total"]
    assert len(rows) == 1
    row = rows.iloc[0]
    assert "空白，按0计" in row["message_zh"] and "“—”，按0计" in row["message_zh"]
    assert f"{A}.carried_forward.{zero}=\"\" (blank, read as 0)" in row["raw"]
    assert f"{A}.carried_forward.total=\"—\" (dash, read as 0)" in row["raw"]
    assert row["found"] == 0


def test_a_cell_absent_from_the_store_fails_complete():
    report = qc.report_from_contract(qc.consistent(4))
    report.cells = [c for c in report.cells
                    if not (c.table == "review_litigation" and c.row == "review"
                            and c.column == "pending")]
    v = violations_of([qc.Stored(report)])
    assert set(v["rule"]) == {"complete"}
    assert list(v.iloc[0]["cells"]) == ["review_litigation.review.pending"]
    assert "not in the document" in v.iloc[0]["raw"]


def test_received_claim_may_count_what_was_carried_over():
    report = qc.consistent(5)
    apps = report[A]
    col = next(c for c in qc.APPLICANTS if apps["new_received"][c] > 0)
    moved = min(2, apps["new_received"][col])
    for row, by in (("carried_over", moved), ("new_received", -moved)):
        qc.bump(report, A, row, col, by)
        qc.bump(report, A, row, "total", by)
    r = qc.report_from_contract(report)
    total = apps["new_received"]["total"] + apps["carried_over"]["total"]
    r.narrative = f"全年共收到政府信息公开申请{total}件。"
    assert violations_of([qc.Stored(r)]).empty
    r.narrative = f"全年共收到政府信息公开申请{total + 1}件。"
    v = violations_of([qc.Stored(r)])
    assert list(v["rule"]) == ["narrative_agrees"]
    assert v.iloc[0]["found"] == total + 1
    assert v.iloc[0]["expected"] == apps["new_received"]["total"]


def test_missing_report_only_for_expected_offices_in_years_the_district_reports():
    a, b = qc.consistent(6, year=2023), qc.consistent(7, year=2023)
    offices = [("甲街道", "测试区", True), ("乙街道", "测试区", True), ("丙街道", "测试区", True),
               ("丁街道", "测试区", False), ("戊街道", "别的区", True)]
    v = violations_of([stored_of(a, office="甲街道"), stored_of(b, office="乙街道")], offices)
    assert list(zip(v["rule"], v["office"], v["year"], v["submission_id"], strict=True)) == [
        ("missing_report", "丙街道", 2023, None)]


def test_correct_current_flags_pass_one_current():
    report = qc.consistent(8, year=2022)
    v = violations_of([stored_of(report, office="甲街道", run_seq=1),
                       stored_of(report, office="甲街道", run_seq=2),
                       stored_of(report, office="甲街道", run_seq=2, mtime=qc.later(-5))])
    assert v.empty


# --- properties ---------------------------------------------------------------------------------

# Each example checks a batch of reports in one store: a store costs ~0.3 s to set up and
# query, a report almost nothing.
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=st.lists(st.tuples(st.integers(0, 2**32 - 1), st.sampled_from(["2021", "2019"])),
                      min_size=1, max_size=8))
def test_random_consistent_reports_give_no_error(drawn):
    stored = [stored_of(random_report(random.Random(seed), fmt), seed, submission_id=f"s{i}")
              for i, (seed, fmt) in enumerate(drawn)]
    v = violations_of(stored)
    assert v[v["severity"] == "error"].empty, v[["rule", "detail"]].to_string()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=st.lists(st.tuples(st.integers(0, 2**32 - 1), st.integers(0, 10**6),
                                st.sampled_from([-3, -1, 1, 2, 7])), min_size=1, max_size=6))
def test_any_changed_count_of_tables_3_and_4_is_an_error_naming_the_cell(drawn):
    keys = [k for k in cell_keys("2021") if k[0] != "active_disclosure" and k[1] != "other_handling"]
    stored, changed = [], {}
    for i, (seed, pick, by) in enumerate(drawn):
        report = random_report(random.Random(seed), "2021")
        table, row, column = keys[pick % len(keys)]
        if report[table][row][column] + by < 0:
            by = -by
        qc.bump(report, table, row, column, by)
        stored.append(stored_of(report, seed, submission_id=f"s{i}"))
        changed[f"s{i}"] = f"{table}.{row}.{column}"
    v = violations_of(stored)
    errors = v[v["severity"] == "error"]
    for sid, cell in changed.items():
        mine = errors[errors["submission_id"] == sid]
        assert any(cell in cells for cells in mine["cells"]), (sid, cell)


# --- bookkeeping --------------------------------------------------------------------------------

def test_confirm_refuses_when_gx_and_the_sql_disagree():
    violations = pd.DataFrame({"failure_id": [1, 2], "rule": ["balance", "balance"]})
    outcomes = {r.name: quality.RuleOutcome(r.name, r.severity, True, 0, [])
                for r in quality.RULES}
    with pytest.raises(quality.QualityCheckError, match="balance"):
        quality.confirm(violations, outcomes)
    outcomes["balance"] = quality.RuleOutcome("balance", "error", False, 1, [1])
    with pytest.raises(quality.QualityCheckError, match="balance"):
        quality.confirm(violations, outcomes)
    outcomes["balance"] = quality.RuleOutcome("balance", "error", False, 2, [1, 2])
    quality.confirm(violations, outcomes)


def test_write_results_replaces_failures_and_sets_status():
    con = qc.new_store()
    good, bad = qc.consistent(9), qc.consistent(10)
    qc.bump(bad, "review_litigation", "review", "total", 1)
    ids = qc.load(con, [stored_of(good), stored_of(bad)])
    con.execute("UPDATE submissions SET status = 'quarantined' WHERE submission_id = ?", [ids[0]])
    for _ in range(2):  # a second run replaces, never appends
        quality.prepare_checks(con)
        v = quality.find_violations(con)
        quality.write_results(con, sorted(v["failure_id"]))
        assert con.execute("SELECT count(*) FROM quality_failures").fetchone()[0] == len(v) == 1
    status = dict(con.execute("SELECT submission_id, status FROM submissions").fetchall())
    assert status == {ids[0]: "quarantined", ids[1]: "inconsistent"}


def test_code_labels_are_short_chinese_names():
    labels = quality.code_labels_frame().set_index(["table_code", "axis", "code"])["label_zh"]
    assert labels[(A, "row", "new_received")] == "本年新收政府信息公开申请数量"
    assert labels[(A, "row", "partially_granted")] == "部分公开"
    assert labels[(A, "row", "denied_state_secret")] == "不予公开·属于国家秘密"
    assert labels[(A, "column", "total")] == "总计"
    assert labels[("review_litigation", "row", "litigation_direct")] == "行政诉讼·未经复议直接起诉"
