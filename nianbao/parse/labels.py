"""Printed labels of the three tables, and how to recognise them however they were mangled.

Labels are compared after :func:`compact` (full-width to half-width, brackets unified, all
whitespace removed, so labels wrapped over lines or stacked one character per line match).  Each
row is recognised by a distinctive fragment rather than the whole label: real reports drop and
garble words (其他法律行政止公开, 行政法复议), and converters cut labels in the middle.
"""

from __future__ import annotations

import re
from typing import Final

# Full-width digits, letters and punctuation to half-width; the dashes stay distinct characters.
_FULLWIDTH = {chr(0xFF10 + i): str(i) for i in range(10)}
_FULLWIDTH.update({
    "（": "(", "）": ")", "［": "[", "］": "]", "【": "[", "】": "]", "〔": "[", "〕": "]",
    "．": ".", "，": ",", "：": ":", "；": ";", "｜": "|", "\u3000": " ", "\xa0": " ",
    "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u200b": "", "\ufeff": "", "＋": "+",
    "％": "%", "／": "/", "﹣": "-", "－": "-", "−": "-",
})
_FULLWIDTH_CHAR = re.compile("[" + "".join(map(re.escape, _FULLWIDTH)) + "]")


def _half_width(m: re.Match) -> str:
    return _FULLWIDTH[m.group()]


def normalise(text: str) -> str:
    """Half-width digits and punctuation; spaces kept (they separate printed cells)."""
    # (a regex finds the few characters to change much faster than str.translate looks up
    # every character of CJK text; long text with many of them is rewritten a character at a
    # time, each with one str.replace)
    if len(text) < 200:
        return _FULLWIDTH_CHAR.sub(_half_width, text)
    found = _FULLWIDTH_CHAR.findall(text)
    if len(found) < 16:
        return _FULLWIDTH_CHAR.sub(_half_width, text) if found else text
    for ch in set(found):
        text = text.replace(ch, _FULLWIDTH[ch])
    return text


# Memos of the label functions: the same few hundred labels recur in every report.  (Plain
# dicts, emptied when full, rather than lru_cache: a lookup is a C call once compiled.)
MEMO_SIZE: Final = 65536
_COMPACT: dict[str, str] = {}


def compact(text: str) -> str:
    """The form labels are compared in: normalised, every whitespace removed."""
    c = _COMPACT.get(text)
    if c is None:
        c = "".join(normalise(text).split())  # (str.split: the whitespace of regex \s, faster)
        if len(text) <= 120:  # whole lines of running text are seldom seen twice
            if len(_COMPACT) >= MEMO_SIZE:
                _COMPACT.clear()
            _COMPACT[text] = c
    return c


# --- table 3 rows: (code, fragment regex on the compact label) --------------------------------
# Order matters only for readability; a label is matched by the fragment that occurs in it.
APPLICATION_ROW_PATTERNS: list[tuple[str, str]] = [
    ("new_received", r"本年新收"),
    ("carried_over", r"上年结转"),
    ("granted", r"予以公开"),
    ("partially_granted", r"部分公开"),
    ("denied_state_secret", r"国家秘密"),
    ("denied_prohibited_by_law", r"其他法律|法规禁止|行政止公开|禁止公开"),
    ("denied_three_safety", r"三安全|危及"),
    ("denied_third_party", r"第三方"),
    ("denied_internal_affairs", r"内部事务"),
    ("denied_process_info", r"过程性"),
    ("denied_enforcement_file", r"执法案卷"),
    ("denied_query_matter", r"查询事项"),
    ("unavailable_not_held", r"不掌握"),
    ("unavailable_needs_creation", r"另行制作|没有现成"),
    ("unavailable_unclear", r"仍不明确|补正后"),
    ("rejected_petition", r"信访|举报投诉"),
    ("rejected_duplicate", r"重复申请"),
    ("rejected_publication", r"出版物"),
    ("rejected_mass_repeated", r"大量反复|反复申请"),
    ("rejected_confirm_reissue", r"重新出具|确认或"),
    ("other_no_correction", r"逾期不补正|不补正"),
    ("other_no_fee_paid", r"缴纳费用|收费通知"),
    # "3.其他" is only recognisable by its ordinal; as the whole label or after its group label.
    ("other_other", r"(?:^|\)|处理|其他处理)3[.、]?其他$|^3[.、]?其他(?:情形)?$"),
    ("other_handling", r"其他处理$|其他处理[^0-9]*$"),
    # "总计" alone is also a column heading; the row is （七）总计, or 总计 first in its table row.
    ("results_total", r"\(七\)总计|七[、.]总计|^总计$"),
    ("carried_forward", r"结转下年|下年度继续|转下年"),
]

# Words that mark the group headings and column headings of table 3, never a row by themselves.
GROUP_ONLY = re.compile(r"^(三[、.]?)?本年度?办理结果$|^\((三|四|五|六)\)(不予公开|无法提供|不予处理|其他处理)$")

_APP_RES = [(code, re.compile(p)) for code, p in APPLICATION_ROW_PATTERNS]


_APP_MEMO: dict[str, dict[str, str | None]] = {"2019": {}, "2021": {}}


def match_application_row(label: str, fmt: str) -> str | None:
    """The table-3 row code of a printed label, or None.

    When a printed text holds several labels (a group heading glued to its first row), the one
    nearest the end wins: the numbers follow the last label.
    """
    memo = _APP_MEMO.get(fmt)
    if memo is None:
        return _match_application_row(label, fmt)
    if label in memo:
        return memo[label]
    code = _match_application_row(label, fmt)
    if len(label) <= 120:
        if len(memo) >= MEMO_SIZE:
            memo.clear()
        memo[label] = code
    return code


def _match_application_row(label: str, fmt: str) -> str | None:
    c = compact(label)
    if not c:
        return None
    best, best_pos = None, -1
    for code, rx in _APP_RES:
        if code == "other_handling" and fmt != "2019":
            continue
        if code == "other_other" and fmt == "2019":
            continue
        for m in rx.finditer(c):
            if m.start() >= best_pos:
                best, best_pos = code, m.start()
    return best


# --- table 2 items -------------------------------------------------------------------------
# The item's name ends the printed label (headings may be glued before it in text exports).
ACTIVE_ITEM_PATTERNS: list[tuple[str, str]] = [
    ("regulations", r"规章(\(件\))?$"),
    ("normative_documents", r"规范性文件(\(件\))?$"),
    ("licensing", r"行政许可(\(件\))?$"),
    ("other_services", r"其他对外管理服务(事项)?$"),
    ("penalty", r"行政处罚(\(件\))?$"),
    ("enforcement", r"行政强制(\(件\))?$"),
    ("fees", r"事业性收费(\((万)?元\))?$"),
    ("procurement", r"集中采购(\((万)?元\))?$"),
]
_ACT_RES = [(code, re.compile(p)) for code, p in ACTIVE_ITEM_PATTERNS]


_ACTIVE_MEMO: dict[str, str | None] = {}


def match_active_item(label: str) -> str | None:
    if label in _ACTIVE_MEMO:
        return _ACTIVE_MEMO[label]
    code = _match_active_item(label)
    if len(label) <= 120:
        if len(_ACTIVE_MEMO) >= MEMO_SIZE:
            _ACTIVE_MEMO.clear()
        _ACTIVE_MEMO[label] = code
    return code


def _match_active_item(label: str) -> str | None:
    c = compact(label)
    if not c:
        return None
    best, best_pos = None, -1
    for code, rx in _ACT_RES:
        for m in rx.finditer(c):
            if m.start() >= best_pos:
                best, best_pos = code, m.start()
    return best


# --- format and section markers -------------------------------------------------------------
FORMAT_2019_MARKERS = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量",
                       "政府集中采购", "采购项目数量")
FORMAT_2021_MARKERS = ("本年制发件数", "本年废止件数", "现行有效件数", "逾期不补正", "缴纳费用",
                       "本年收费金额")
TABLE3_HEADING = "收到和处理政府信息公开申请"
TABLE4_MARKERS = re.compile(r"行政复议|行政法复议|复议|行政诉讼")
SECTION5_MARKERS = re.compile(r"存在的主要问题|主要问题|改进情况|其他需要报告|^五[、.]")
