"""The files a run publishes beside the database: CSV (UTF-8 with BOM) and Parquet exports, the
dashboard, and one 整改提示单 per current inconsistent report, replaced whole on every run."""

from __future__ import annotations

import duckdb
import pandas as pd
from publish_fixtures import publish_fixture

from nianbao import publish, store


def test_every_relation_is_exported_as_csv_with_a_bom_and_rollups_as_parquet(tmp_path):
    db, folder = publish_fixture(tmp_path)
    for name in publish.exported_relations():
        csv = folder / f"{name}.csv"
        assert csv.read_bytes().startswith(b"\xef\xbb\xbf"), name
        with duckdb.connect(str(db), read_only=True) as con:
            rows = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        assert len(pd.read_csv(csv, encoding="utf-8-sig")) == rows, name
    for name in publish.ROLLUP_RELATIONS:
        assert (folder / f"{name}.parquet").exists()
    rollup = pd.read_csv(folder / "district_rollup.csv", encoding="utf-8-sig")
    assert set(rollup["district"]) == {"甲区", "乙县"}
    assert not (folder / publish.STAGING).exists()


def test_one_notice_per_current_inconsistent_report(tmp_path):
    _, folder = publish_fixture(tmp_path)
    names = sorted(p.relative_to(folder / "notices").as_posix()
                   for p in (folder / "notices").rglob("*.*"))
    assert names == ["乙县/金屯镇人民政府_2023_S7.html", "乙县/金屯镇人民政府_2023_S7.md",
                     "甲区/甲区东街街道办事处_2022_S2.html", "甲区/甲区东街街道办事处_2022_S2.md"]
    md = (folder / "notices/甲区/甲区东街街道办事处_2022_S2.md").read_text(encoding="utf-8")
    assert "**甲区东街街道办事处**：" in md  # addressed to the office
    assert "## 问题一：办理结果“总计”与各项结果之和不符" in md
    assert "| 表三「（七）总计」「总计」 | 5 | 5 | 数字 |" in md  # the cell, its raw text, its value
    assert "按计算关系应为 4，报告中为 5。" in md
    assert "整改要求：请核对表三该列：“（七）总计”应等于（一）予以公开至（六）其他处理各项之和。" in md
    assert "甲区政务公开工作主管部门" in md


def test_a_corrected_report_loses_its_notice_on_the_next_publish(tmp_path):
    db, folder = publish_fixture(tmp_path)
    con = store.open_working_copy(db)
    con.execute("UPDATE submissions SET status = 'consistent' WHERE submission_id = 'S7'")
    con.execute("DELETE FROM quality_failures WHERE submission_id = 'S7'")
    publish.build_rollups(con)
    staged = publish.stage_outputs(con, folder)
    store.publish(con, db)
    staged.commit()
    assert sorted(p.name for p in (folder / "notices").rglob("*.html")) == [
        "甲区东街街道办事处_2022_S2.html"]
    assert "sub-S7" not in (folder / "dashboard.html").read_text(encoding="utf-8")


def test_outputs_are_the_same_when_nothing_changed(tmp_path):
    db, folder = publish_fixture(tmp_path)
    first = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    publish.write_outputs(db, folder)
    again = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert {k: v for k, v in again.items() if k.suffix != ".parquet"} == \
           {k: v for k, v in first.items() if k.suffix != ".parquet"}
