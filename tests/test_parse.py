"""The parser on hand-made inputs: layouts, bad input, the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nianbao.errors import NianbaoError, NotAReport, TableNotFound, UnreadableFile
from nianbao.parse import parse_bytes
from nianbao.parse.tables import read_review
from nianbao.parse.tokens import tokens_of_rows
from nianbao.read import Row

SEED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seed" / "2023_laocheng_daobeilu.txt"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nianbao.cli", *args], capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("data, error", [
    (b"", UnreadableFile),
    (b"   \n\n ", UnreadableFile),
    (bytes(range(256)) * 40, UnreadableFile),
    ("今天天气很好，我们去公园散步。".encode(), NotAReport),
    ("某某街道2023年政府信息公开工作年度报告\n一、总体情况\n二、主动公开政府信息情况\n"
     "行政许可\t5\n".encode(), TableNotFound),
])
def test_bad_input_raises_typed_error(data, error):
    with pytest.raises(error) as e:
        parse_bytes(data, "inbox/x.txt")
    assert "inbox/x.txt" in str(e.value)
    assert isinstance(e.value, NianbaoError)


def test_cli_bad_file_one_line_no_traceback(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    r = _cli("parse", str(bad), "--json")
    assert r.returncode != 0
    assert r.stderr.strip().count("\n") == 0
    assert str(bad) in r.stderr and "empty file" in r.stderr
    assert "Traceback" not in r.stderr


def test_cli_jsonl_reports_failures_inline(tmp_path):
    if not SEED.exists():
        pytest.skip("../shared absent")
    bad = tmp_path / "junk.html"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    r = _cli("parse", str(SEED), str(bad), "--jsonl")
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(lines) == 2
    assert lines[0]["office"] == "老城区道北路街道办事处" and lines[0]["year"] == 2023
    assert lines[1]["path"] == str(bad) and lines[1]["reason"]


def test_run_together_table4_split_by_group_totals():
    rows = [Row(["四、政府信息公开行政复议、行政诉讼情况行政复议结果维持总计21317000001324019"], "line 1")]
    toks = tokens_of_rows(rows)
    found = read_review(toks, 0, len(toks), rows)
    values = [c.value for c in found.cells]
    assert values == [2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19]
    assert all(c.inferred for c in found.cells)


def test_ambiguous_run_is_left_null():
    # 1+1+0+0 = 2 and 11+0+0 = 11: with totals 2 / 11 this run has two readings per group
    rows = [Row(["行政复议 1 1 0 0 2 0 0 0 0 0 1100011"], "line 1")]
    toks = tokens_of_rows(rows)
    found = read_review(toks, 0, len(toks), rows)
    after = [c.value for c in found.cells if c.row == "litigation_after_review"]
    assert [c.value for c in found.cells if c.row == "review"] == [1, 1, 0, 0, 2]
    # 11|0|0|0|11 and 1|10|0|0|11 both hold: the cells they disagree on stay unread
    assert after[0] is None and after[1] is None and after[4] == 11


def test_blank_and_dash_cells_keep_their_kind():
    text = ("某某镇人民政府2022年政府信息公开工作年度报告\n"
            "三、收到和处理政府信息公开申请情况\n"
            "一、本年新收政府信息公开申请数量\t3\t\t—\t\t/\t无\t3\n")
    report = parse_bytes(text.encode("gbk"), "x.txt")
    cells = {c.column: c for c in report.cells if c.row == "new_received"}
    assert [cells[k].kind for k in ("natural_person", "commercial", "research", "social_welfare",
                                     "legal_service", "other_org", "total")] == \
        ["number", "blank", "dash", "blank", "dash", "dash", "number"]
    assert cells["commercial"].value == 0 and cells["research"].raw == "—"
    assert report.office == "某某镇人民政府" and report.year == 2022


@pytest.mark.parametrize("lines, office, year", [
    (["平潭综合实验区2024年度政府信息公开工作年度报告"], "平潭综合实验区", 2024),
    (["正文", "2024 年上海市科委政府信息公开工作", "年度报告"], "上海市科委", 2024),
    (["淮安市人民政府", "2024年政府信息公开工作年度报告"], "淮安市人民政府", 2024),
    (["金水区人民政府2019年政府信息公开工作年", "度报告"], "金水区人民政府", 2019),
    (["二〇二三年某某街道办事处政府信息公开工作年度报告"], "某某街道办事处", 2023),
    (["标题: 沭阳县发展和改革局2023年政府信息公开年度报告"], "沭阳县发展和改革局", 2023),
    (["2023年政府信息公开工作年度报告", "发布机构：某某镇人民政府"], "某某镇人民政府", 2023),
    (["政府信息公开工作年度报告", "本报告所列数据统计期限自2021年1月1日起至2021年12月31日止。"],
     None, 2021),
    (["某某区财政局关于2023年度政府信息公开工作的报告"], "某某区财政局", 2023),
    (["某某区财政局2022年度政府信息公开工作情况报告"], "某某区财政局", 2022),
    (["南京海关2023年政府信息公开工作年度报告"], "南京海关", 2023),
    (["某某市第一中学2021年度政府信息公开工作年度报告"], "某某市第一中学", 2021),
    # a site's breadcrumb above the title is not part of the office's name
    (["当前位置：首页 > 政务公开 > 年度报告", "某某镇人民政府2023年政府信息公开工作年度报告"],
     "某某镇人民政府", 2023),
])
def test_office_and_year_from_title(lines, office, year):
    from nianbao.parse.title import find_office_and_year

    assert find_office_and_year(lines) == (office, year)


@pytest.mark.parametrize("reason, expected", [
    ("empty file", "文件为空"),
    ("no text layer (scanned)", "PDF 为扫描图片，没有文字层，无法读取数字"),
    ("not a pdf file (its content does not match)", "文件扩展名为 .pdf，但内容不是该格式"),
    ("table 3 (收到和处理政府信息公开申请情况) not found: truncated or not an annual report",
     "未找到可读的表三（收到和处理政府信息公开申请情况）：文件不完整，或不是年度报告"),
])
def test_quarantine_reasons_are_told_to_officials_in_chinese(reason, expected):
    from nianbao.wording import quarantine_reason_zh

    assert quarantine_reason_zh(reason) == expected


def test_a_word_web_page_saved_as_doc_is_read_as_html():
    import random

    from nianbao.generate import random_report, render_file

    rng = random.Random(3)
    report = random_report(rng, "2021", 2023, "某某区教育局")
    _, data = render_file(report, "html", rng, "utf-8")
    parsed = parse_bytes(data, "inbox/年报.doc")
    assert parsed.source_format == "html" and parsed.office == "某某区教育局"
    assert parsed.value("applications", "results_total", "total") == \
        report["applications"]["results_total"]["total"]
    with pytest.raises(UnreadableFile, match="not a pdf file"):
        parse_bytes(b"\xe7" * 300, "inbox/扫描件.pdf")


def test_a_page_showing_the_text_report_in_pre_keeps_its_tabs():
    """A site that shows the plain-text report in <pre> under its navigation: the tab-separated
    tables (with their blank cells) read as in the text file."""
    import html
    import random

    from nianbao.generate import random_report, render_file

    for seed in range(12):
        rng = random.Random(seed)
        report = random_report(rng, "2021" if seed % 3 else "2019")
        _, data = render_file(report, "tsv", rng, "utf-8")
        page = ("<html><head><meta charset='utf-8'><title>年度报告</title></head><body>"
                "<div class='nav'>首页 > 政务公开</div><pre>"
                + html.escape(data.decode("utf-8-sig")) + "</pre></body></html>")
        parsed = parse_bytes(page.encode(), "page.html")
        assert (parsed.source_format, parsed.office) == ("html", report["office"])
        assert parsed.to_contract()["applications"] == report["applications"], seed
        assert parsed.to_contract()["review_litigation"] == report["review_litigation"], seed
