"""整改提示单: one printable correction notice per current inconsistent submission, addressed to
the office, in HTML and in Markdown, so that the district office can send it as it is.

Each notice lists every error with the cells and values involved, the sentence saying what is
wrong and what would make the report consistent; warnings follow, marked as not affecting
consistency. Office names, file names and cell text come from untrusted pages: the HTML escapes
everything and runs no script; the Markdown escapes what a renderer would treat as markup or HTML.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path
from string import Template

import duckdb

from nianbao.publish import failures_by_submission, records
from nianbao.wording import (
    FORMAT_DOCUMENT,
    KIND_ZH,
    beijing_time_zh,
    cell_name_zh,
    location_zh,
    number_zh,
    ordinal_zh,
    raw_text_zh,
    rule_name_zh,
    rule_remedy_zh,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"
_UNSAFE_IN_NAME = re.compile(r"[^\w（）()\-]+")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")


@dataclass
class Notice:
    submission: dict  # a row of sql/publish/notice_submissions.sql
    errors: list[dict] = field(default_factory=list)  # rows of failures_with_cells.sql
    warnings: list[dict] = field(default_factory=list)
    issued_at: datetime | None = None  # UTC, the snapshot's build time

    @property
    def office(self) -> str:
        return self.submission["office"] or self.submission["office_as_printed"] or "报送单位"

    @property
    def number(self) -> str:
        return f"ZG-{self.submission['year']}-{self.submission['submission_id'][:8]}"

    @property
    def issuer(self) -> str:
        district = self.submission["district"] or ""
        return f"{district}政务公开工作主管部门"

    def relative_path(self, suffix: str) -> str:
        return notice_path(self.submission, suffix)


def notice_path(submission: dict, suffix: str) -> str:
    """Where a submission's notice is, relative to ``notices/``:
    ``<district>/<office>_<year>_<id>.<suffix>``, every part made safe as a file name."""
    office = submission.get("office") or submission.get("office_as_printed") or "报送单位"
    stem = f"{safe_file_part(office)}_{submission['year']}_{submission['submission_id'][:8]}"
    return f"{safe_file_part(submission['district'] or '未知区县')}/{stem}.{suffix}"


def notices_of(con: duckdb.DuckDBPyConnection) -> list[Notice]:
    """One notice per current inconsistent submission of the snapshot."""
    failures = failures_by_submission(con)
    built = con.execute("SELECT max(finished_at) FROM runs").fetchone()[0]
    out = []
    for sub in records(con, "publish/notice_submissions.sql"):
        found = failures.get(sub["submission_id"], [])
        out.append(Notice(sub, [f for f in found if f["severity"] == "error"],
                          [f for f in found if f["severity"] != "error"], built))
    return out


def write_notices(con: duckdb.DuckDBPyConnection, folder: Path) -> list[Path]:
    """Write every notice as HTML and Markdown under ``folder``; returns the paths written."""
    written = []
    for notice in notices_of(con):
        for suffix, render in (("html", render_notice_html), ("md", render_notice_markdown)):
            path = folder / notice.relative_path(suffix)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render(notice), encoding="utf-8")
            written.append(path)
    return written


def safe_file_part(text: str, limit: int = 60) -> str:
    """A file or folder name from an untrusted name: letters (Chinese included), digits and
    brackets kept, anything else (slashes, dots, markup) replaced by '_'."""
    cleaned = _UNSAFE_IN_NAME.sub("_", unicodedata.normalize("NFKC", text)).strip("_")
    return cleaned[:limit] or "未命名"


def _intro(notice: Notice) -> str:
    s = notice.submission
    document = FORMAT_DOCUMENT.get(s["format"] or "", FORMAT_DOCUMENT["2021"])
    return (f"经核查，你单位报送的{s['year']}年度政府信息公开工作年度报告"
            f"（文件：{s['source_path']}；收到时间：{beijing_time_zh(s['received_at'])}）"
            f"有{len(notice.errors)}处数据不符合年度报告格式（{document}）规定的计算关系，"
            "现将问题列出如下。请对照原始台账逐项核实，更正后重新报送。")


def _closing() -> str:
    return "更正后的报告经核对无误后，将替代原报告计入本区县汇总数据。"


def _expected_found(failure: dict) -> str:
    if failure["expected"] is None and failure["found"] is None:
        return ""
    return f"按计算关系应为 {number_zh(failure['expected'])}，报告中为 {number_zh(failure['found'])}。"


# --- HTML ----------------------------------------------------------------------------------------

def render_notice_html(notice: Notice) -> str:
    body = [
        f'<p class="number">编号：{escape(notice.number)}</p>',
        f'<p class="addressee">{escape(notice.office)}：</p>',
        f"<p>{escape(_intro(notice))}</p>",
    ]
    for n, failure in enumerate(notice.errors, start=1):
        body.append(_problem_html(f"问题{ordinal_zh(n)}", failure))
    if notice.warnings:
        body.append("<h2>其他提示（不影响数据一致性，请一并核对）</h2><ul>")
        body += [f"<li>{escape(rule_name_zh(w['rule']))}："
                 f"{escape(w['message_zh'] or w['detail'] or '')}</li>" for w in notice.warnings]
        body.append("</ul>")
    body.append(f"<p>{escape(_closing())}</p>")
    body.append(f'<p class="signature">{escape(notice.issuer)}<br>'
                f"{escape(beijing_time_zh(notice.issued_at, with_time=False))}</p>")
    template = Template((TEMPLATES / "notice.html").read_text(encoding="utf-8"))
    return template.substitute(title=escape(f"整改提示单 {notice.office} {notice.submission['year']}年度"),
                               body="\n".join(body))


def _problem_html(heading: str, failure: dict) -> str:
    rows = "".join(
        f"<tr><td>{escape(cell_name_zh(c['ref']))}</td><td class=\"raw\">{escape(raw_text_zh(c['raw']))}</td>"
        f"<td class=\"num\">{escape(number_zh(c['value']))}</td>"
        f"<td>{escape(KIND_ZH.get(c['kind'] or '', c['kind'] or '—'))}</td>"
        f"<td>{escape(location_zh(c['location']))}</td></tr>"
        for c in failure["cell_list"])
    table = ("<table><thead><tr><th>涉及单元格</th><th>报告原文</th><th>读取数值</th><th>识别为</th>"
             f"<th>位置</th></tr></thead><tbody>{rows}</tbody></table>") if rows else ""
    return (f'<section class="problem" data-rule="{escape(failure["rule"])}">'
            f"<h2>{escape(heading)}：{escape(rule_name_zh(failure['rule']))}</h2>"
            f"<p>{escape(failure['message_zh'] or failure['detail'] or '')}</p>{table}"
            f"<p>{escape(_expected_found(failure))}</p>"
            f"<p><b>整改要求：</b>{escape(rule_remedy_zh(failure['rule']))}</p></section>")


# --- Markdown ------------------------------------------------------------------------------------

def md(text: object) -> str:
    """Text safe inside Markdown: HTML special characters as entities (renderers pass raw HTML
    through), Markdown punctuation backslash-escaped, line breaks as spaces."""
    plain = escape(str(text), quote=False).replace("\r", " ").replace("\n", " ")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", plain)


def render_notice_markdown(notice: Notice) -> str:
    lines = [
        "# 政府信息公开工作年度报告整改提示单",
        "",
        f"编号：{md(notice.number)}",
        "",
        f"**{md(notice.office)}**：",
        "",
        md(_intro(notice)),
    ]
    for n, failure in enumerate(notice.errors, start=1):
        lines += ["", *_problem_markdown(f"问题{ordinal_zh(n)}", failure)]
    if notice.warnings:
        lines += ["", "## 其他提示（不影响数据一致性，请一并核对）", ""]
        lines += [f"- {md(rule_name_zh(w['rule']))}：{md(w['message_zh'] or w['detail'] or '')}"
                  for w in notice.warnings]
    lines += ["", md(_closing()), "", md(notice.issuer), "",
              md(beijing_time_zh(notice.issued_at, with_time=False)), ""]
    return "\n".join(lines)


def _problem_markdown(heading: str, failure: dict) -> list[str]:
    lines = [f"## {md(heading)}：{md(rule_name_zh(failure['rule']))}", "",
             md(failure["message_zh"] or failure["detail"] or "")]
    if failure["cell_list"]:
        lines += ["", "| 涉及单元格 | 报告原文 | 读取数值 | 识别为 | 位置 |", "| --- | --- | --- | --- | --- |"]
        lines += [f"| {md(cell_name_zh(c['ref']))} | {md(raw_text_zh(c['raw']))} | "
                  f"{md(number_zh(c['value']))} | {md(KIND_ZH.get(c['kind'] or '', c['kind'] or '—'))} | "
                  f"{md(location_zh(c['location']))} |" for c in failure["cell_list"]]
    expected_found = _expected_found(failure)
    if expected_found:
        lines += ["", md(expected_found)]
    lines += ["", f"整改要求：{md(rule_remedy_zh(failure['rule']))}"]
    return lines

