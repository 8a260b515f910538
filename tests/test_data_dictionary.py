"""docs/data-dictionary.md is generated from sql/ and the codes: the committed file must be what
the generator writes now, and every column an analyst sees must say what it means."""

from __future__ import annotations

from nianbao import dictionary, publish, store

REGENERATE = "run `python -m nianbao.publish --data-dictionary` and commit docs/data-dictionary.md"


def test_the_committed_data_dictionary_is_up_to_date():
    committed = dictionary.DICTIONARY.read_text(encoding="utf-8")
    assert committed == dictionary.data_dictionary(), REGENERATE


def test_every_analyst_column_has_a_meaning():
    notes = dictionary.sql_notes()
    with dictionary.built_database() as con:
        relations = dictionary.described_relations(con)
    analyst = set(store.PUBLISHED_RELATIONS) | set(publish.ROLLUP_RELATIONS)
    undocumented = [f"{name}.{column}" for name, kind, columns in relations if name in analyst
                    for column, _ in columns
                    if not dictionary.column_meaning(name, kind, column, notes)]
    assert undocumented == [], "say what these columns mean in their SQL file's comments"


def test_the_dictionary_lists_every_code_and_rule():
    text = dictionary.data_dictionary()
    for code in ("results_total", "other_handling", "litigation_after_review", "amount_10k_yuan",
                 "district_rollup_with(policy)"):
        assert f"`{code}`" in text
    for rule in ("balance", "row_total", "results_sum", "review_total", "non_negative",
                 "complete", "missing_report"):
        assert f"| `{rule}` |" in text
