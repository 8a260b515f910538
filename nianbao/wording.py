"""The Chinese words officials read on the dashboard and in the notices: rule names, what to do
about each rule, statuses, and the printed name of a cell of tables 2-4.

Rule ids are those of ../shared/spec/README.md ("The rules a submission must satisfy"); what a
rule checks is defined once, by the quality checks. This module only says it in Chinese.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import cache

from nianbao.model import TABLE_ACTIVE, TABLE_APPLICATIONS, TABLE_REVIEW, codes

# rule id -> (short name, what would make the submission satisfy it)
RULES_ZH: dict[str, tuple[str, str]] = {
    "balance": (
        "勾稽关系不平衡",
        "请核对表三该列：“一、本年新收政府信息公开申请数量”与“二、上年结转政府信息公开申请数量”"
        "之和，应等于“（七）总计”与“四、结转下年度继续办理”之和。",
    ),
    "row_total": (
        "“总计”列与各类申请人之和不符",
        "请核对表三该行：“总计”应等于自然人、商业企业、科研机构、社会公益组织、法律服务机构、"
        "其他六列之和。",
    ),
    "results_sum": (
        "办理结果“总计”与各项结果之和不符",
        "请核对表三该列：“（七）总计”应等于（一）予以公开至（六）其他处理各项之和。",
    ),
    "review_total": (
        "行政复议、行政诉讼“总计”与各项结果之和不符",
        "请核对表四：每一类的“总计”应等于结果维持、结果纠正、其他结果、尚未审结四项之和。",
    ),
    "non_negative": (
        "数值不是非负整数",
        "请将该单元格改为不小于0的整数（收费、采购金额可保留小数）。",
    ),
    "complete": (
        "单元格缺失或无法识别",
        "请补全该单元格，填写阿拉伯数字；没有发生的事项请填写“0”。",
    ),
    "carry_continuity": (
        "上年结转数与上一年度报告不衔接",
        "请核对表三“二、上年结转政府信息公开申请数量”是否等于上一年度报告"
        "“四、结转下年度继续办理”的数量。",
    ),
    "in_force_floor": (
        "现行有效件数少于本年制发减废止件数",
        "请核对表二：规章、行政规范性文件的“现行有效件数”不应少于“本年制发件数”减“本年废止件数”。",
    ),
    "in_force_continuity": (
        "现行有效件数与上一年度不衔接",
        "请核对表二：本年“现行有效件数”应等于上年现行有效件数加本年制发、减本年废止件数。",
    ),
    "missing_report": (
        "应报未报",
        "请按时报送本年度政府信息公开工作年度报告。",
    ),
    "narrative_agrees": (
        "正文所述数字与表格不一致",
        "请核对报告正文中所述的申请数量等数字，使之与表三一致。",
    ),
    "one_current": (
        "同一年度有多份报告",
        "同一年度只保留最后报送的一份报告；如有更正，请注明为更正版本。",
    ),
}

STATUS_ZH = {
    "consistent": "一致",
    "inconsistent": "不一致",
    "quarantined": "无法读取（已隔离）",
}
SEVERITY_ZH = {"error": "错误", "warning": "提示"}
FORMAT_ZH = {"2021": "2021年版格式", "2019": "2019年版格式"}
FORMAT_DOCUMENT = {"2021": "国办公开办函〔2021〕30号", "2019": "国办公开办函〔2019〕60号"}
TABLE_ZH = {TABLE_ACTIVE: "表二", TABLE_APPLICATIONS: "表三", TABLE_REVIEW: "表四"}
POLICY_ZH = {
    "consistent": "仅汇总数据一致的报告",
    "all": "汇总全部现行报告（含不一致的报告）",
}


def rule_name_zh(rule: str) -> str:
    return RULES_ZH.get(rule, (rule, ""))[0]


def rule_remedy_zh(rule: str) -> str:
    return RULES_ZH.get(rule, ("", "请核对相关数据并更正后重新报送。"))[1]


@cache
def _labels() -> dict[tuple[str, str], str]:
    """(table, code) -> printed label, for rows, columns, items and metrics of both formats."""
    c = codes()
    labels: dict[tuple[str, str], str] = {}
    for key in ("active_disclosure", "active_disclosure_2019"):
        for item in c[key]["items"]:
            labels.setdefault((TABLE_ACTIVE, item["code"]), item["label"])
        for metric, label in c[key]["metric_labels"].items():
            labels.setdefault((TABLE_ACTIVE, metric), label.split("（normalised")[0])
    for part in ("rows", "columns"):
        for entry in c["applications"][part]:
            labels[(TABLE_APPLICATIONS, entry["code"])] = entry["label"]
    for part in ("groups", "outcomes"):
        for entry in c["review_litigation"][part]:
            labels[(TABLE_REVIEW, entry["code"])] = entry["label"]
    return labels


def label_zh(table: str, code: str) -> str:
    """The printed label of a row, column, item or metric code (the code itself if unknown)."""
    return _labels().get((table, code), code)


def cell_name_zh(ref: str) -> str:
    """``applications.new_received.total`` -> 表三「一、本年新收政府信息公开申请数量」「总计」."""
    parts = ref.split(".")
    if len(parts) != 3:
        return ref
    table, row, column = parts
    return f"{TABLE_ZH.get(table, table)}「{label_zh(table, row)}」「{label_zh(table, column)}」"


def number_zh(value: float | None) -> str:
    """A value as officials write it: whole numbers without decimals, '—' for no value."""
    if value is None or value != value:  # NaN from pandas
        return "—"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


KIND_ZH = {
    "number": "数字",
    "blank": "空白（按0计）",
    "dash": "横线或“无”（按0计）",
    "text": "文字（不是数字）",
    "missing": "未找到",
    "derived": "由分项推算",
}


def beijing_time_zh(utc: datetime | None, with_time: bool = True) -> str:
    """A naive UTC timestamp (as DuckDB stores it) in Beijing time: 2025年1月20日 17:05."""
    if utc is None:
        return "—"
    local = utc + timedelta(hours=8)
    day = f"{local.year}年{local.month}月{local.day}日"
    return f"{day} {local:%H:%M}" if with_time else day


_DIGITS_ZH = "零一二三四五六七八九"


def ordinal_zh(n: int) -> str:
    """1 -> 一, 12 -> 十二, 21 -> 二十一 (problem numbers in a notice; 1-99)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if n < 10:
        return _DIGITS_ZH[n]
    return (_DIGITS_ZH[tens] if tens > 1 else "") + "十" + (_DIGITS_ZH[ones] if ones else "")


_LOCATION_WORDS = (
    (re.compile(r"\bpage (\d+)"), r"第\1页"),
    (re.compile(r"\btable (\d+)"), r"第\1个表格"),
    (re.compile(r"\b(?:line|row) (\d+)"), r"第\1行"),
    (re.compile(r"\bsheet (\S+)"), r"工作表“\1”"),
    (re.compile(r"\s*\|\s*$"), ""),
)


def location_zh(where: str | None) -> str:
    """Where a reader found a cell, in Chinese: 'page 3 line 7' -> '第3页 第7行'."""
    if not where:
        return "—"
    for pattern, words in _LOCATION_WORDS:
        where = pattern.sub(words, where)
    return where


def raw_text_zh(raw: str | None) -> str:
    """A cell's printed text for display: says so when it was empty or never read."""
    if raw is None:
        return "（未读取到）"
    return raw if raw.strip() else "（空白）"


# Why a file could not be read, for the officials who sent it.  The library's reasons are
# English (for developers and the quarantine table); the dashboard shows these.
_QUARANTINE_ZH: tuple[tuple[str, str], ...] = (
    (r"^empty file", "文件为空"),
    (r"no text layer \(scanned\)", "PDF 为扫描图片，没有文字层，无法读取数字"),
    (r"encrypted", "文件已加密，需要密码才能打开"),
    (r"^not a (\w+) file", "文件扩展名为 .{0}，但内容不是该格式"),
    (r"binary data|wrong encoding|control characters", "不是可读的文本文件（二进制内容或编码错误）"),
    (r"legacy Word/Excel|LibreOffice is not installed", "旧版 Word/Excel 文件（.doc/.xls/.wps）无法转换，请另存为 .docx/.xlsx 或 PDF"),
    (r"zip bomb|over the limit|larger than declared", "文件过大或压缩异常，出于安全考虑未予读取"),
    (r"DOCTYPE|ENTITY", "文件中含有外部实体声明，出于安全考虑未予读取"),
    (r"corrupt|cannot be parsed|not a valid", "文件已损坏，无法打开"),
    (r"table 3 .*(not found|no readable numbers)",
     "未找到可读的表三（收到和处理政府信息公开申请情况）：文件不完整，或不是年度报告"),
    (r"not a government information-disclosure annual report", "不是政府信息公开工作年度报告"),
    (r"neither a Word|no reader|not supported|unsupported", "不支持的文件格式"),
)


def quarantine_reason_zh(reason: str | None) -> str:
    """The reason a file was quarantined, in Chinese."""
    if not reason:
        return ""
    for pattern, text in _QUARANTINE_ZH:
        m = re.search(pattern, reason)
        if m:
            return text.format(*m.groups())
    return f"无法读取该文件（{reason}）"
