"""The words around the tables: title, sections 一, 五 and 六, the headings of 二 to 四.

A document is a list of blocks: ``("title", text)``, ``("heading", text)``, ``("para", text)`` and
``("table", 2|3|4)``; the layouts print them.  The prose agrees with the tables where it states a
count (收到政府信息公开申请N件, 未收到…申请), as the narrative check expects.
"""

from __future__ import annotations

import random

from nianbao.generate.tables import Style, review_heading
from nianbao.model import TABLE_APPLICATIONS

CN_DIGITS = "〇一二三四五六七八九"


def chinese_year(year: int) -> str:
    return "".join(CN_DIGITS[int(d)] for d in str(year))


def title(report: dict, rng: random.Random) -> str:
    """The report's title: office, year (2023年 / 2023年度 / 二〇二三年) and the fixed words."""
    office, year = report["office"], report["year"]
    words = "政府信息公开工作年度报告" if rng.random() < 0.9 else "政府信息公开年度报告"
    form = rng.choice(("plain", "plain", "du", "chinese", "spaced", "year_first"))
    if form == "du":
        return f"{office}{year}年度{words}"
    if form == "chinese":
        return f"{office}{chinese_year(year)}年{words}"
    if form == "spaced":
        return f"{office} {year} 年{words}"
    if form == "year_first":
        return f"{year}年{office}{words}"
    return f"{office}{year}年{words}"


def _received(report: dict) -> int:
    return report[TABLE_APPLICATIONS]["new_received"]["total"]


def _intro(report: dict, rng: random.Random) -> str:
    year = report["year"]
    basis = rng.choice((
        "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与"
        "政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》要求编制。",
        "根据《中华人民共和国政府信息公开条例》要求，现向社会公布本年度政府信息公开工作年度报告。",
    ))
    period = f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
    contact = rng.choice((
        "如对本报告有任何疑问，请与本机关政务公开工作领导小组办公室联系。",
        "本报告电子版可在政府门户网站“政府信息公开”专栏下载。",
        "",
    ))
    return basis + period + contact


def _overview(report: dict, rng: random.Random) -> list[tuple[str, str]]:
    received = _received(report)
    items = rng.randint(12, 4000)
    applications = (f"全年共收到政府信息公开申请{received}件，均在法定期限内予以答复。"
                    if received else "本年度未收到政府信息公开申请。")
    paragraphs = [
        ("（一）主动公开", f"坚持以公开为常态、不公开为例外，全年主动公开各类政府信息{items}条，"
                         "及时更新机构职能、政策文件、财政预决算、重点领域等信息。"),
        ("（二）依申请公开", "规范做好申请登记、审查、办理、答复、归档等工作，强化服务理念。"
                           + applications),
        ("（三）政府信息管理", "严格落实信息发布审核制度，坚持“先审查、后公开”，"
                             "动态调整政府信息公开目录。"),
        ("（四）政府信息公开平台建设", "发挥政府网站第一平台作用，用好政务新媒体和公开栏，"
                                     "及时回应群众关切。"),
        ("（五）监督保障", "将政务公开工作纳入年度考核，开展业务培训，定期检查整改。"),
    ]
    k = rng.randint(2, len(paragraphs))
    return paragraphs[:k]


def _problems(report: dict, rng: random.Random) -> list[str]:
    nxt = report["year"] + 1
    return [
        "（一）存在的主要问题：" + rng.choice((
            "公开内容的全面性和及时性还有待提高，政策解读形式较为单一。",
            "工作人员多为兼职，业务能力有待进一步提升。",
        )),
        f"（二）改进措施：{nxt}年，我们将进一步完善工作机制，加强业务培训，"
        "不断提升政务公开工作质量。",
    ]


def _other(report: dict, rng: random.Random) -> str:
    year = report["year"]
    return rng.choice((
        f"本机关{year}年度未收取政府信息公开信息处理费。",
        "本年度无其他需要报告的事项。",
        "本年度未发生收取信息处理费情况，无其他需要报告的事项。",
    ))


def document(report: dict, rng: random.Random, style: Style) -> list[tuple[str, object]]:
    """The blocks of the whole report, in order."""
    blocks: list[tuple[str, object]] = [("title", title(report, rng))]
    if rng.random() < 0.7:
        blocks.append(("para", _intro(report, rng)))
    blocks.append(("heading", "一、总体情况"))
    if rng.random() < 0.5:
        blocks.append(("para", f"{report['year']}年，{report['office']}认真贯彻落实《条例》，"
                               "扎实推进政务公开各项工作。"))
    for sub, text in _overview(report, rng):
        if rng.random() < 0.5:
            blocks.append(("para", f"{sub}{text}"))
        else:
            blocks += [("heading", sub), ("para", text)]
    blocks += [
        ("heading", "二、主动公开政府信息情况"), ("table", 2),
        ("heading", "三、收到和处理政府信息公开申请情况"), ("table", 3),
        ("heading", review_heading(style)), ("table", 4),
        ("heading", "五、存在的主要问题及改进情况"),
    ]
    blocks += [("para", p) for p in _problems(report, rng)]
    blocks += [("heading", "六、其他需要报告的事项"), ("para", _other(report, rng))]
    if rng.random() < 0.4:
        month, day = rng.randint(1, 3), rng.randint(1, 28)
        blocks += [("para", report["office"]), ("para", f"{report['year'] + 1}年{month}月{day}日")]
    return blocks
