"""The issuing office and the year reported on, from the title or the first lines."""

from __future__ import annotations

import re

from nianbao.parse.labels import normalise

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_YEAR = r"((?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})"
_REPORT = r"(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:情况)?(?:的)?(?:年度)?(?:报告|年报)"
# office then year: 平潭综合实验区2024年度政府信息公开工作年度报告
_OFFICE_FIRST = re.compile(r"(?P<office>[^\s:;,。，；!?！？《》\"“”#*|]{2,40}?)" + _YEAR
                           + r"年度?(?:的)?" + _REPORT)
# year then office: 2024年上海市科委政府信息公开工作年度报告
_YEAR_FIRST = re.compile(_YEAR + r"年度?(?P<office>[^\s:;,。，；!?！？《》\"“”#*|\d]{2,40}?)" + _REPORT)
_PERIOD = re.compile(r"((?:19|20)\d{2})年1月1日(?:起)?至(?:\1年)?12月31日"
                     r"|统计(?:期限|时限|周期|时间)[^。\n]{0,12}?((?:19|20)\d{2})年")
_TITLE_YEAR = re.compile(_YEAR + r"年度?" + _REPORT)
# an office named only in the page's metadata
_PUBLISHER = re.compile(r"(?:发布机构|发文机关|发布单位|信息来源|来源)[:]([^\s|:;,。，；]{2,30})")
_SUFFIX = re.compile(r"(政府|人民政府|办事处|街道|镇|乡|局|委|委员会|办公室|办公厅|管委会|管理委员会"
                     r"|实验区|新区|开发区|区|县|市|中心|院|署|所|站|队|厅|部|会|社|公司|园|处|科|馆|办|组|场|校|台|团"
                     r"|海关|监狱|学|室|司)$")
_PREFIX = re.compile(r"^(?:标题|名称|题目|正文|关于印发|关于|印发|附件\d*)[:]?")


def _year(text: str) -> int | None:
    if text.isdigit():
        y = int(text)
    else:
        try:
            y = int("".join(str(_CN_DIGITS[c]) for c in text))
        except KeyError:
            return None
    return y if 2000 <= y <= 2099 else None


def _clean_office(office: str) -> str | None:
    o = _PREFIX.sub("", office.strip(" -—:>#*"))
    o = re.sub(r"^[\d.、]+", "", o).removesuffix("关于")  # 某局关于2023年度…工作的报告
    if len(o) < 2 or o in ("政府", "政务", "人民政府") or not _SUFFIX.search(o):
        return None
    return o


def _whole_title(line: str) -> bool:
    """Whether the line holds a title with its office on its own."""
    if "报告" not in line and "年报" not in line:
        return False
    for rx in (_OFFICE_FIRST, _YEAR_FIRST):
        for m in rx.finditer(line):
            if _clean_office(m.group("office")):
                return True
    return False


def _squeeze(line: str) -> str:
    return normalise(line).replace(" ", "").replace("\t", "")  # (normalise made \u3000, \xa0 spaces)


def find_office_and_year(lines: list[str]) -> tuple[str | None, int | None]:
    """The office as the title names it and the year reported on (not the publication date).

    Titles wrap (``…工作年`` / ``度报告``) and put the office on its own line above the year, so each
    line is tried joined with the next.  Lines are normalised only as far as the title is sought.
    """
    head: list[str] = []
    source = iter(lines[:80])

    def line_at(i: int) -> str | None:
        while len(head) <= i:
            nxt = next(source, None)
            if nxt is None:
                return None
            sq = _squeeze(nxt)
            if sq:
                head.append(sq)
        return head[i]

    office = year = None
    i = 0
    while (line := line_at(i)) is not None and office is None:
        i += 1
        following = line_at(i) or ""
        pair = line + following
        if "报告" not in pair and "年报" not in pair:
            continue
        # a line above a whole title of its own (a site's breadcrumb) is not part of it
        following_is_title = _whole_title(following)
        for rx, yg in ((_OFFICE_FIRST, 2), (_YEAR_FIRST, 1)):
            for m in rx.finditer(pair):
                if m.start() >= len(line) or (following_is_title and m.end() > len(line)):
                    break  # the next line's own turn
                o = _clean_office(m.group("office"))
                if o:
                    office, year = o, _year(m.group(yg))
                    break
            if office:
                break
    if office is not None and year is not None:
        return office, year
    line_at(80)
    text = "\n".join(head)
    if year is None:
        ty = _TITLE_YEAR.search(text)
        year = _year(ty.group(1)) if ty else None
    if year is None:
        pm = _PERIOD.search(text)
        if pm:
            year = int(pm.group(1) or pm.group(2))
    if office is None:
        pub = _PUBLISHER.search(text)
        if pub:
            office = _clean_office(pub.group(1))
    return office, year
