"""The quality dashboard: one self-contained HTML page in Chinese (``dashboard.html``).

Built from a snapshot: per district and year the offices expected, reported, missing and
inconsistent; charts (applications by year, outcome mix, offices by status) as inline SVG; a
filterable table of every submission; and for every submission with failed rules, the rules with
their cells, values, raw text and the sentence saying what is wrong.

Everything is rendered here, in Python, through :func:`html.escape`: office names and cell text
come from untrusted web pages. The page's one script (``templates/dashboard.js``) only filters rows
and opens details; it never builds HTML. A Content-Security-Policy allows that script alone (by
its hash), no other script, no inline handler and no network access at all.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from pathlib import Path
from string import Template

import duckdb

from nianbao.charts import Series, stacked_bar_chart
from nianbao.notices import notice_path
from nianbao.publish import failures_by_submission, records
from nianbao.wording import (
    KIND_ZH,
    POLICY_ZH,
    SEVERITY_ZH,
    STATUS_ZH,
    beijing_time_zh,
    cell_name_zh,
    location_zh,
    number_zh,
    quarantine_reason_zh,
    raw_text_zh,
    rule_name_zh,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"
OUTCOME_GROUPS = (  # year_rollup column, legend; together they make up results_total
    ("granted", "予以公开"), ("partially_granted", "部分公开"), ("denied", "不予公开"),
    ("unavailable", "无法提供"), ("rejected", "不予处理"), ("other_handling", "其他处理"),
)
NO_DISTRICT = "（未识别区县）"


def render_dashboard(con: duckdb.DuckDBPyConnection) -> str:
    """The whole page for the snapshot ``con`` holds."""
    summary = records(con, "publish/snapshot_summary.sql")[0]
    submissions = records(con, "publish/submission_list.sql")
    failures = failures_by_submission(con)
    body = "\n".join([
        summary_section(summary),
        district_section(records(con, "publish/district_years.sql"), summary["rollup_policy"]),
        charts_section(records(con, "publish/years.sql"),
                       records(con, "publish/offices_by_status.sql")),
        submissions_section(submissions, failures),
        problems_section(submissions, failures),
    ])
    script = (TEMPLATES / "dashboard.js").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    subtitle = (f"数据更新时间：{beijing_time_zh(summary['built_at'])}（北京时间）　"
                f"汇总口径：{POLICY_ZH.get(summary['rollup_policy'], summary['rollup_policy'] or '')}")
    page = Template((TEMPLATES / "dashboard.html").read_text(encoding="utf-8"))
    return page.substitute(subtitle=escape(subtitle), body=body, script=script,
                           script_hash=f"sha256-{digest}")


# --- sections -----------------------------------------------------------------------------------

def summary_section(s: dict) -> str:
    cards = [
        ("current_reports", "现行报告", ""), ("consistent", "数据一致", "ok"),
        ("inconsistent", "数据不一致", "bad"), ("missing", "应报未报（机关·年度）", "bad"),
        ("quarantined", "无法读取的文件", "warn"), ("superseded", "已被更正版本替代", ""),
    ]
    html = "".join(f'<div class="card {cls}" data-field="{key}"><div class="value">'
                   f"{escape(number_zh(s[key]))}</div><div>{label}</div></div>"
                   for key, label, cls in cards)
    return f'<section id="summary"><h2>概况</h2><div class="cards">{html}</div></section>'


def district_section(rows: list[dict], policy: str | None) -> str:
    head = ("<tr><th>区县</th><th>年度</th><th class=num>应报机关</th><th class=num>已报机关</th>"
            "<th class=num>缺报机关</th><th class=num>数据不一致</th><th class=num>新收申请</th>"
            "<th class=num>公开率</th><th>汇总说明</th><th>缺报名单</th></tr>")
    body = "".join(_district_row(r) for r in rows)
    note = ("公开率＝（予以公开＋部分公开）÷办理结果总计。"
            f"本看板的汇总口径为：{POLICY_ZH.get(policy or '', policy or '')}。")
    return (f'<section id="districts"><h2>各区县、各年度报送情况</h2><p class="note">{escape(note)}</p>'
            f'<div class="scroll"><table id="district-years"><thead>{head}</thead>'
            f"<tbody>{body}</tbody></table></div></section>")


def _district_row(r: dict) -> str:
    district = r["district"] or NO_DISTRICT
    if r["submissions_left_out"]:
        note = f"未计入{r['submissions_left_out']}份不一致报告"
    elif r["submissions_included_with_errors"]:
        note = f"含{r['submissions_included_with_errors']}份不一致报告"
    else:
        note = "全部计入"
    numbers = "".join(
        f'<td class="num" data-field="{field}">{escape(number_zh(r[field]))}</td>'
        for field in ("offices_expected", "offices_reporting", "offices_missing",
                      "offices_inconsistent", "new_received"))
    return (f'<tr data-district="{escape(district)}" data-year="{r["year"]}">'
            f"<td>{escape(district)}</td><td>{r['year']}</td>{numbers}"
            f'<td class="num">{escape(_percent(r["grant_rate"]))}</td><td>{escape(note)}</td>'
            f"<td>{escape('、'.join(r['missing_offices']))}</td></tr>")


def charts_section(years: list[dict], statuses: list[dict]) -> str:
    labels = [f"{y['year']}" for y in years]
    applications = stacked_bar_chart(
        "各年度新收政府信息公开申请数量", labels,
        [Series("本年新收申请", [y["new_received"] for y in years])], unit="件")
    outcomes = stacked_bar_chart(
        "各年度办理结果构成", labels,
        [Series(name, [y[column] for y in years]) for column, name in OUTCOME_GROUPS], unit="件")
    offices = stacked_bar_chart(
        "各年度报告状态（机关数）", [f"{s['year']}" for s in statuses],
        [Series("数据一致", [s["consistent"] for s in statuses], "#5aa469"),
         Series("数据不一致", [s["inconsistent"] for s in statuses], "#c8553d"),
         Series("应报未报", [s["missing"] for s in statuses], "#b9bec6")], unit="个")
    charts = "".join(f'<div class="chart"><h3>{escape(title)}</h3>{svg}</div>' for title, svg in (
        ("申请数量（按年度）", applications), ("办理结果构成（按年度）", outcomes),
        ("报告状态（按年度）", offices)))
    return (f'<section id="charts"><h2>图表</h2><p class="note">按汇总口径计入的报告；'
            f'把鼠标停在柱上可看到数值。</p><div class="charts">{charts}</div></section>')


def submissions_section(subs: list[dict], failures: dict[str, list[dict]]) -> str:
    districts = sorted({s["district"] or NO_DISTRICT for s in subs})
    years = sorted({s["year"] for s in subs if s["year"] is not None}, reverse=True)
    filters = (
        '<div class="filters">'
        '<label>机关或文件 <input id="f-office" type="search" placeholder="输入名称的一部分"></label>'
        f'<label>区县 <select id="f-district">{_options(districts)}</select></label>'
        f'<label>年度 <select id="f-year">{_options([str(y) for y in years])}</select></label>'
        f'<label>状态 <select id="f-status">{_options(list(STATUS_ZH), STATUS_ZH)}</select></label>'
        '<label><input id="f-current" type="checkbox" checked> 隐藏已被替代的报告</label>'
        '<span id="f-count" class="note"></span></div>')
    head = ("<tr><th>报送机关</th><th>区县</th><th>类别</th><th>年度</th><th>状态</th>"
            "<th class=num>错误</th><th class=num>提示</th><th>来源文件</th><th>收到时间</th>"
            "<th>问题</th></tr>")
    body = "".join(_submission_row(s, s["submission_id"] in failures) for s in subs)
    return (f'<section id="submission-list"><h2>全部报告</h2>{filters}<div class="scroll">'
            f'<table id="submissions"><thead>{head}</thead><tbody>{body}</tbody></table></div>'
            "</section>")


def _submission_row(s: dict, has_failures: bool) -> str:
    superseded = not s["is_current"] and s["status"] != "quarantined"
    status = STATUS_ZH.get(s["status"], s["status"])
    if superseded:
        status += "（已被替代）"
    office = s["office"] or "（未能识别）"
    district = s["district"] or NO_DISTRICT
    link = (f'<a href="#sub-{escape(s["submission_id"])}">查看问题</a>' if has_failures
            else escape(quarantine_reason_zh(s["quarantine_reason"])))
    return (
        f'<tr data-id="{escape(s["submission_id"])}" data-office="{escape(office)}" '
        f'data-source="{escape(s["source_path"] or "")}" data-district="{escape(district)}" '
        f'data-year="{s["year"] if s["year"] is not None else ""}" '
        f'data-status="{escape(s["status"])}" data-superseded="{int(superseded)}"'
        f'{" class=superseded" if superseded else ""}>'
        f"<td>{escape(office)}</td><td>{escape(district)}</td><td>{escape(s['office_kind'] or '')}</td>"
        f"<td>{s['year'] if s['year'] is not None else '—'}</td>"
        f'<td class="status-{escape(s["status"])}">{escape(status)}</td>'
        f'<td class="num">{s["errors"]}</td><td class="num">{s["warnings"]}</td>'
        f'<td class="source">{escape(s["source_path"] or "")}</td>'
        f"<td>{escape(beijing_time_zh(s['received_at']))}</td>"
        f"<td>{link}</td></tr>")


def problems_section(subs: list[dict], failures: dict[str, list[dict]]) -> str:
    """A closed <details> per submission with failed rules: current inconsistent ones first."""
    listed = [s for s in subs if s["submission_id"] in failures]
    listed.sort(key=lambda s: (not s["is_current"], s["status"] != "inconsistent"))
    blocks = "".join(_problem_details(s, failures[s["submission_id"]]) for s in listed)
    return (f'<section id="problems"><h2>问题明细</h2><p class="note">每份报告未通过的规则、涉及的单元格、'
            f"报告原文和读取到的数值。不一致的报告另附整改提示单。</p>{blocks or '<p>没有发现问题。</p>'}"
            "</section>")


def _problem_details(s: dict, found: list[dict]) -> str:
    errors = sum(f["severity"] == "error" for f in found)
    summary = (f"{s['office'] or '（未能识别）'} · {s['year']}年度 · "
               f"{STATUS_ZH.get(s['status'], s['status'])} · {errors}项错误、{len(found) - errors}项提示")
    if not s["is_current"]:
        summary += " · 已被替代"
    notice = ""
    if s["is_current"] and s["status"] == "inconsistent":
        notice = (f'<p>整改提示单：<a href="notices/{escape(notice_path(s, "html"))}">网页版</a>　'
                  f'<a href="notices/{escape(notice_path(s, "md"))}">Markdown版</a></p>')
    return (f'<details class="problem" id="sub-{escape(s["submission_id"])}" '
            f'data-status="{escape(s["status"])}"><summary>{escape(summary)}</summary>'
            f"<p>来源文件：{escape(s['source_path'] or '')}；收到时间："
            f"{escape(beijing_time_zh(s['received_at']))}；编号：<code>{escape(s['submission_id'])}</code></p>"
            f"{notice}{''.join(_failure_block(f) for f in found)}</details>")


def _failure_block(f: dict) -> str:
    """An error with its cells in a table; a warning in two lines (there are many warnings, and
    they do not make a report inconsistent: the page stays small)."""
    heading = (f"<h4>{escape(rule_name_zh(f['rule']))} <code>{escape(f['rule'])}</code>"
               f" · {escape(SEVERITY_ZH.get(f['severity'], f['severity']))}</h4>"
               f'<p class="message">{escape(f["message_zh"] or f["detail"] or "")}</p>')
    opening = f'<div class="failure {escape(f["severity"])}" data-rule="{escape(f["rule"])}">'
    if f["severity"] != "error":
        return f"{opening}{heading}</div>"
    cells = "".join(
        f"<tr><td>{escape(cell_name_zh(c['ref']))}</td><td class=num>{escape(number_zh(c['value']))}</td>"
        f"<td>{escape(KIND_ZH.get(c['kind'] or '', c['kind'] or '—'))}</td>"
        f'<td class="raw">{escape(raw_text_zh(c["raw"]))}</td>'
        f"<td>{escape(c['label'] or '')}</td><td>{escape(location_zh(c['location']))}</td></tr>"
        for c in f["cell_list"])
    table = ("<table class=cells><thead><tr><th>单元格</th><th class=num>数值</th><th>识别为</th>"
             f"<th>报告原文</th><th>行标签（原文）</th><th>位置</th></tr></thead><tbody>{cells}</tbody></table>"
             if cells else "")
    values = ""
    if f["expected"] is not None or f["found"] is not None:
        values = (f"<p>按计算关系应为 <b>{escape(number_zh(f['expected']))}</b>，"
                  f"报告中为 <b>{escape(number_zh(f['found']))}</b>。</p>")
    return f"{opening}{heading}{values}{table}</div>"


# --- small helpers ------------------------------------------------------------------------------

def _options(values: list[str], labels: dict[str, str] | None = None) -> str:
    labels = labels or {}
    return '<option value="">全部</option>' + "".join(
        f'<option value="{escape(v)}">{escape(labels.get(v, v))}</option>' for v in values)


def _percent(share: float | None) -> str:
    if share is None or share != share:
        return "—"
    return f"{share * 100:.1f}%"
