"""The rollups against sums done by hand on the fixture of ``publish_fixtures`` (read its
docstring and SUBMISSIONS first: every number below is added up from there).

The fixture holds each table-3 figure twice per row (`natural_person` and `total`) and 2021
reports hold both the （六） sub-rows and the derived `other_handling`: a rollup that added a
total to its parts would double these numbers and fail here.
"""

from __future__ import annotations

import duckdb
import pytest
from publish_fixtures import fill_fixture

from nianbao import publish

SPEC_COLUMNS = [
    "district", "year", "offices_reporting", "offices_inconsistent", "new_received",
    "carried_over", "results_total", "carried_forward", "granted", "partially_granted",
    "review_total", "review_corrected", "litigation_total", "litigation_corrected",
]
COUNT_COLUMNS = ["rollup_policy", "offices_expected", "offices_missing", "submissions_included",
                 "submissions_left_out", "submissions_included_with_errors"]

# district, year: offices reporting, inconsistent, then the sums over S1 (甲区 2022);
# S3 + S4 + S8 (甲区 2023); S6 (乙县 2023). S2 and S7 are inconsistent, S5 superseded.
BY_HAND_CONSISTENT = {
    ("甲区", 2022): dict(offices_reporting=2, offices_inconsistent=1,
                       new_received=10, carried_over=2, results_total=10, carried_forward=2,
                       granted=5, partially_granted=2, review_total=2, review_corrected=1,
                       litigation_total=1 + 0, litigation_corrected=1,
                       rollup_policy="consistent", offices_expected=3, offices_missing=1,
                       submissions_included=1, submissions_left_out=1,
                       submissions_included_with_errors=0),
    ("甲区", 2023): dict(offices_reporting=3, offices_inconsistent=0,
                       new_received=20 + 4 + 1, carried_over=2 + 2 + 0,
                       results_total=20 + 4 + 1, carried_forward=2 + 2 + 0,
                       granted=12 + 2 + 1, partially_granted=3 + 0 + 0,
                       review_total=2, review_corrected=1,
                       litigation_total=1 + 1, litigation_corrected=0,
                       rollup_policy="consistent", offices_expected=3, offices_missing=1,
                       submissions_included=3, submissions_left_out=0,
                       submissions_included_with_errors=0),
    ("乙县", 2023): dict(offices_reporting=2, offices_inconsistent=1,
                       new_received=8, carried_over=0, results_total=8, carried_forward=0,
                       granted=4, partially_granted=2, review_total=3, review_corrected=2,
                       litigation_total=1, litigation_corrected=1,
                       rollup_policy="consistent", offices_expected=2, offices_missing=0,
                       submissions_included=1, submissions_left_out=1,
                       submissions_included_with_errors=0),
}

# Policy all adds S2 to 甲区 2022 and S7 to 乙县 2023 (never the superseded S5).
BY_HAND_ALL = {
    ("甲区", 2022): dict(BY_HAND_CONSISTENT[("甲区", 2022)],
                       new_received=10 + 7, carried_over=2 + 0, results_total=10 + 5,
                       carried_forward=2 + 2, granted=5 + 3, partially_granted=2 + 1,
                       review_total=2 + 1, review_corrected=1 + 1,
                       litigation_total=1 + 2, litigation_corrected=1 + 0,
                       rollup_policy="all", submissions_included=2, submissions_left_out=0,
                       submissions_included_with_errors=1),
    ("甲区", 2023): dict(BY_HAND_CONSISTENT[("甲区", 2023)], rollup_policy="all"),
    ("乙县", 2023): dict(BY_HAND_CONSISTENT[("乙县", 2023)],
                       new_received=8 + 6, carried_over=0 + 1, results_total=8 + 6,
                       carried_forward=0, granted=4 + 6, partially_granted=2 + 0,
                       review_total=3 + 0, review_corrected=2 + 0,
                       litigation_total=1 + 2, litigation_corrected=1 + 1,
                       rollup_policy="all", submissions_included=2, submissions_left_out=0,
                       submissions_included_with_errors=1),
}


@pytest.fixture
def con():
    with duckdb.connect() as con:
        fill_fixture(con)
        yield con


def rows_of(con, relation: str) -> dict[tuple, dict]:
    cursor = con.execute(f"SELECT * FROM {relation}")
    columns = [d[0] for d in cursor.description]
    return {(r["district"], r["year"]): r
            for r in (dict(zip(columns, row, strict=True)) for row in cursor.fetchall())}


@pytest.mark.parametrize("policy, by_hand", [("consistent", BY_HAND_CONSISTENT),
                                             ("all", BY_HAND_ALL)])
def test_every_number_of_district_rollup_is_the_sum_by_hand(con, policy, by_hand):
    publish.build_rollups(con, policy)
    got = rows_of(con, "district_rollup")
    assert set(got) == set(by_hand)
    for key, expected in by_hand.items():
        row = got[key]
        assert {c: row[c] for c in expected} == expected, key


@pytest.mark.parametrize("policy, by_hand", [("consistent", BY_HAND_CONSISTENT),
                                             ("all", BY_HAND_ALL)])
def test_rates_are_shares_of_the_sums(con, policy, by_hand):
    publish.build_rollups(con, policy)
    for key, row in rows_of(con, "district_rollup").items():
        h = by_hand[key]
        assert row["grant_rate"] == pytest.approx(
            (h["granted"] + h["partially_granted"]) / h["results_total"])
        assert row["review_corrected_rate"] == pytest.approx(h["review_corrected"] / h["review_total"])
        assert row["litigation_corrected_rate"] == pytest.approx(
            h["litigation_corrected"] / h["litigation_total"])


def test_district_rollup_has_the_spec_columns_first_and_says_what_it_left_out(con):
    publish.build_rollups(con)
    columns = [d[0] for d in con.execute("SELECT * FROM district_rollup").description]
    assert columns[:len(SPEC_COLUMNS)] == SPEC_COLUMNS
    assert set(COUNT_COLUMNS) <= set(columns)
    assert not [c for c in columns if c == "total"]


def test_the_other_policy_is_one_macro_call_away(con):
    publish.build_rollups(con, "consistent")
    assert rows_of(con, "district_rollup_with('all')")[("乙县", 2023)]["new_received"] == 14
    assert rows_of(con, "district_rollup")[("乙县", 2023)]["new_received"] == 8


def test_an_unknown_policy_is_refused(con):
    with pytest.raises(ValueError, match="consistent"):
        publish.build_rollups(con, "some")
    publish.build_rollups(con)
    with pytest.raises(duckdb.Error, match="rollup policy must be consistent or all"):
        con.execute("SELECT * FROM district_rollup_with('some')").fetchall()


def test_office_kind_rollup_splits_the_district_sums(con):
    publish.build_rollups(con, "all")
    kinds = {(r[0], r[1], r[2]): r[3:] for r in con.execute(
        "SELECT district, year, office_kind, offices_reporting, new_received, "
        "submissions_included_with_errors FROM office_kind_rollup").fetchall()}
    assert kinds == {
        ("甲区", 2022, "政府"): (1, 10, 0), ("甲区", 2022, "街道"): (1, 7, 1),
        ("甲区", 2023, "政府"): (1, 20, 0), ("甲区", 2023, "街道"): (1, 4, 0),
        ("甲区", 2023, "部门"): (1, 1, 0),
        ("乙县", 2023, "政府"): (1, 8, 0), ("乙县", 2023, "乡镇"): (1, 6, 1),
    }


def test_year_rollup_changes_on_the_year_before_and_outcomes_add_up(con):
    publish.build_rollups(con, "consistent")
    cursor = con.execute("SELECT * FROM year_rollup ORDER BY year")
    columns = [d[0] for d in cursor.description]
    y2022, y2023 = (dict(zip(columns, r, strict=True)) for r in cursor.fetchall())
    assert (y2022["new_received"], y2023["new_received"]) == (10, 25 + 8)
    assert y2022["new_received_change"] is None
    assert y2023["new_received_change"] == 33 - 10
    assert y2023["new_received_change_rate"] == pytest.approx(23 / 10)
    assert y2023["submissions_left_out"] == 1  # S7
    # 2023 outcome mix, by hand from S3, S4, S8, S6: the six groups make up results_total,
    # and the 2021 sub-rows of （六） are not added on top of the derived other_handling.
    mix = {g: y2023[g] for g in ("granted", "partially_granted", "denied", "unavailable",
                                 "rejected", "other_handling")}
    assert mix == dict(granted=12 + 2 + 1 + 4, partially_granted=3 + 2, denied=2,
                       unavailable=1 + 2, rejected=1 + 1, other_handling=1 + 1)
    assert sum(mix.values()) == y2023["results_total"] == 33


def test_missing_reports_come_from_the_missing_report_rule(con):
    publish.build_rollups(con)
    assert sorted(con.execute("SELECT district, year, office, office_kind FROM missing_reports"
                              ).fetchall()) == [("甲区", 2022, "甲区教育局", "部门"),
                                                ("甲区", 2023, "甲区教育局", "部门")]


def test_rollups_ignore_superseded_and_quarantined_submissions(con):
    publish.build_rollups(con, "all")
    ids = {r[0] for r in con.execute("SELECT submission_id FROM submission_figures").fetchall()}
    assert ids == {"S1", "S2", "S3", "S4", "S6", "S7", "S8"}
