"""Counts the prose of a report states, for the ``narrative_agrees`` check.

Section 一 of most reports repeats a few numbers of tables 3 and 4 in words: 全年共收到政府信息公开
申请34件, 本年度未收到政府信息公开申请, 1件结转下年度继续办理, 行政复议案件2件、行政诉讼案件7件.
:func:`find_claims` reads only these common, unambiguous phrasings; anything looser (办理…申请N件,
有1件…行政复议, 顺延到下年度) is left alone, because a wrong reading would flag a correct report.
A claim stated twice with different numbers is dropped as ambiguous (district reports often give
the whole district's count and the office's own in one paragraph).

Numbers may be Arabic (full-width too, with thousands separators) or Chinese (二十三, 一百零五, 两).
Line breaks and spaces are removed first: PDF text breaks lines inside words (行政复\\n议).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Claim codes, each compared with table 3 or 4 by sql/checks/narrative_agrees.sql.
RECEIVED = "received"  # new applications (收到/受理/新收/接收…申请N件; 未收到…申请 is 0)
CARRIED_FORWARD = "carried_forward"  # 结转下年度…N件
REVIEW_TOTAL = "review_total"  # 行政复议…N件
LITIGATION_TOTAL = "litigation_total"  # 行政诉讼…N件 (both litigation groups)
CLAIMS = (RECEIVED, CARRIED_FORWARD, REVIEW_TOTAL, LITIGATION_TOTAL)


@dataclass(frozen=True, slots=True)
class Claim:
    claim: str
    stated: int
    phrase: str  # the words it was read from, as normalised


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_FULLWIDTH = str.maketrans("０１２３４５６７８９，", "0123456789,")
_HAS_FULLWIDTH = re.compile("[０-９]")
_SPACES = re.compile(r"[\s\u3000\u00a0\u200b]+")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")

_NUM = r"(?P<n>\d+|[零〇一二两三四五六七八九十百千万]+)"
_UNIT = r"(?:件|个|份)"
_CASE_UNIT = r"(?:件|起|宗|个)"
# Words allowed between the counted thing and its number ("…申请共计81件", "…诉讼数为0件").
_FILLER = r"(?:共计|合计|总计|总数|数量|共|计|达|为|有|的|数)*"
_CLAUSE = r"[^，,。；;：:！!？?\d]"  # a character inside one clause, not a digit
# Words that make a 收到…申请 clause about something else than new applications.
_NOT_NEW = ("复议", "诉讼", "结转", "上年", "去年", "转送", "答复", "办结", "处理费", "收费")

_RECEIVED_VERB = r"(?<!未)(?:收到|受理|新收|接收)"
_RECEIVED_BEFORE = re.compile(  # 收到政府信息公开申请34件 / 收到依申请信息公开26件
    _RECEIVED_VERB + rf"(?P<gap>{_CLAUSE}{{0,25}}?)申请(?P<fill>(?:信息公开|公开)?{_FILLER}){_NUM}{_UNIT}")
_RECEIVED_AFTER = re.compile(  # 共收到70件申请 / 受理了12件政府信息公开申请
    _RECEIVED_VERB + rf"(?:了)?{_FILLER}{_NUM}{_UNIT}(?P<gap>{_CLAUSE}{{0,12}}?)申请")
_NONE_RECEIVED = re.compile(r"未(?:收到|受理|接收)(?P<gap>" + _CLAUSE + r"{0,25})")
_FORWARD_AFTER = re.compile(  # 结转下一年31件 / 结转至2026年6件 / 转下一年度办理答复的有1件
    r"(?<!上)(?:结转|转)(?:至|到|入)?(?P<to>下一?年度?|\d{4}年度?)(?:继续)?(?:办理)?(?:答复)?"
    r"(?:的)?(?:政府信息公开)?(?:申请)?" + _FILLER + _NUM + _UNIT)
_FORWARD_BEFORE = re.compile(  # 1件结转下年度继续办理
    _NUM + _UNIT + r"(?:申请)?(?:需|需要|将)?(?:结转|转)(?:至|到|入)?(?P<to>下一?年度?|\d{4}年度?)")
_REVIEW = re.compile(r"行政复议(?:案件|申请|案)?" + _FILLER + _NUM + _CASE_UNIT)
_LITIGATION = re.compile(r"行政诉讼(?:案件|案)?" + _FILLER + _NUM + _CASE_UNIT)
# Words just before 行政诉讼 that make the count one group's only (直接起诉的行政诉讼3件).
_ONE_GROUP = ("直接起诉", "复议后", "经复议")


def chinese_number(text: str) -> int | None:
    """二十三 -> 23, 一百零五 -> 105, 两千 -> 2000, 三万五千 -> 35000; None if not a number."""
    if not text:
        return None
    if all(ch in _CN_DIGITS for ch in text):  # 二〇二三 style: digit by digit
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        elif ch == "万":
            section += digit or 0
            total += (section or 1) * 10000
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else chinese_number(text)


def normalise(narrative: str) -> str:
    """Full-width digits made ASCII, thousands separators and every space and line break gone."""
    text = narrative.translate(_FULLWIDTH) if _HAS_FULLWIDTH.search(narrative) else narrative
    text = _SPACES.sub("", text)
    return _THOUSANDS.sub("", text) if "," in text else text


def _next_year_ok(to: str, year: int | None) -> bool:
    """结转至2026年 only counts as carried forward when 2026 is the year after the report's."""
    m = re.match(r"(\d{4})", to)
    return m is None or (year is not None and int(m.group(1)) == year + 1)


def find_claims(narrative: str, year: int | None = None) -> list[Claim]:
    """The counts the prose states clearly, one per claim code (ambiguous ones dropped)."""
    text = normalise(narrative or "")
    found: dict[str, list[Claim]] = {}

    def add(claim: str, number: str | None, phrase: str) -> None:
        value = 0 if number is None else _number(number)
        if value is not None:
            found.setdefault(claim, []).append(Claim(claim, value, phrase))

    # Each pattern only runs when its key word is there at all (most prose is about other
    # things; this keeps 10,000 reports well under a second).
    has_received = any(verb in text for verb in ("收到", "受理", "新收", "接收"))
    for pattern in (_RECEIVED_BEFORE, _RECEIVED_AFTER) if has_received else ():
        for m in pattern.finditer(text):
            if not any(word in m.group(0) for word in _NOT_NEW):
                add(RECEIVED, m.group("n"), m.group(0))
    for m in _NONE_RECEIVED.finditer(text) if has_received else ():
        gap = m.group("gap")
        end = gap.find("申请")
        if end < 0:
            continue
        words = gap[:end + 2]
        if "公开" in words and not any(w in words for w in _NOT_NEW):
            add(RECEIVED, None, m.group(0)[:3 + end + 2])
    for pattern in (_FORWARD_AFTER, _FORWARD_BEFORE) if "转" in text else ():
        for m in pattern.finditer(text):
            if _next_year_ok(m.group("to"), year):
                add(CARRIED_FORWARD, m.group("n"), m.group(0))
    for m in _REVIEW.finditer(text) if "行政复议" in text else ():
        add(REVIEW_TOTAL, m.group("n"), m.group(0))
    for m in _LITIGATION.finditer(text) if "行政诉讼" in text else ():
        if not any(w in text[max(0, m.start() - 8):m.start()] for w in _ONE_GROUP):
            add(LITIGATION_TOTAL, m.group("n"), m.group(0))

    claims = []
    for code in CLAIMS:
        stated = found.get(code, [])
        if len({c.stated for c in stated}) == 1:
            claims.append(stated[0])
    return claims


__all__ = ["CLAIMS", "Claim", "chinese_number", "find_claims", "normalise"]
