"""Random, consistent annual reports and renderings of them in every layout real reports use.

``random_report`` draws a report as the contract dict of ``nianbao parse --json`` (every cell of
``cell_keys(fmt)``, table 3 and table 4 arithmetic holding) plus a ``kinds`` map of the zero cells
that are printed blank or as a dash.  ``render`` prints a whole document (title, prose, the three
tables, sections 五 and 六) in one of ``LAYOUTS``; ``render_file`` also picks a file name.

The renderings keep every cell decidable: whatever a layout does to a table (merged-cell gaps,
labels cut from their numbers, digits run together), a careful reader can still tell which printed
cell is which (the rules for text layouts are in ``text.py``'s docstring).  The "flow" layout, which
runs cells together, cannot print blank cells at all (``render`` refuses them); where its digits
run together, the tables' arithmetic may leave more than one reading.

Used by the round-trip and fuzz tests::

    rng = random.Random(7)
    report = random_report(rng, "2021", 2023, random_office(rng))
    name, data = render_file(report, "html", rng, encoding="gbk")
"""

from __future__ import annotations

import random

from nianbao.model import (
    FORMAT_2019,
    FORMAT_2021,
    OTHER_SUBROWS,
    TABLE_ACTIVE,
    TABLE_APPLICATIONS,
    TABLE_REVIEW,
    application_columns,
    application_rows,
    cell_keys,
    review_groups,
    review_outcomes,
)

LAYOUTS = (
    "tsv",
    "markdown",
    "markdown_fragmented",
    "cell_per_line",
    "pipe",
    "flow",
    "spaced",
    "html",
)
ENCODINGS = ("utf-8", "utf-8-sig", "gbk", "gb18030")
KINDS = ("blank", "dash")

# --- offices -------------------------------------------------------------------------------------

_DISTRICTS = (
    ("洛阳市", "老城区"), ("洛阳市", "西工区"), ("洛阳市", "涧西区"), ("郑州市", "金水区"),
    ("郑州市", "二七区"), ("南京市", "鼓楼区"), ("南京市", "玄武区"), ("广州市", "海珠区"),
    ("广州市", "越秀区"), ("杭州市", "西湖区"), ("杭州市", "拱墅区"), ("成都市", "武侯区"),
    ("武汉市", "江汉区"), ("西安市", "雁塔区"), ("长沙市", "岳麓区"), ("宿迁市", "沭阳县"),
    ("淮安市", "洪泽区"), ("哈尔滨市", "道里区"), ("绍兴市", "越城区"), ("张掖市", "甘州区"),
    ("怀化市", "洪江区"), ("安康市", "宁陕县"), ("济宁市", "嘉祥县"), ("九江市", "湖口县"),
    ("兴安盟", "突泉县"), ("莆田市", "秀屿区"), ("合肥市", "蜀山区"), ("青岛市", "市南区"),
)
_STREETS = (
    "道北路", "东街", "官洲", "经纬", "东湖", "沅江路", "南关", "西关", "新华", "解放路",
    "人民路", "朝阳", "城关", "滨江", "北苑", "华山路", "青年路", "站前", "湖滨", "中山路",
)
_TOWNS = ("金屯", "兴华", "永安", "武山", "梅子", "民主", "马关", "城南", "河口", "白马", "新集")
_DEPARTMENTS = (
    "发展和改革局", "卫生健康委员会", "卫生健康局", "生态环境局", "教育局", "财政局",
    "自然资源和规划局", "住房和城乡建设局", "市场监督管理局", "人力资源和社会保障局",
    "民政局", "交通运输局", "应急管理局", "农业农村局", "司法局", "审计局", "统计局",
)


def random_office(rng: random.Random) -> str:
    """A realistic issuing office: a 街道办事处, 镇人民政府, a 局 or a district/county government."""
    city, district = rng.choice(_DISTRICTS)
    kind = rng.choice(("street", "street", "town", "department", "department", "government"))
    if kind == "street":
        return f"{district}{rng.choice(_STREETS)}街道办事处"
    if kind == "town":
        return f"{district}{rng.choice(_TOWNS)}镇人民政府"
    if kind == "department":
        prefix = rng.choice((district, city, city + district))
        return prefix + rng.choice(_DEPARTMENTS)
    return rng.choice((f"{district}人民政府", f"{city}{district}人民政府"))


# --- reports -------------------------------------------------------------------------------------

# How busy the office is: the mean number of applications per applicant column, by scale.
_SCALES = {"quiet": 0.5, "small": 8, "medium": 80, "large": 900}

# Relative weight of each result row of table 3 (most applications are granted or not held).
_RESULT_WEIGHTS = {
    "granted": 0.35, "partially_granted": 0.08,
    "denied_state_secret": 0.01, "denied_prohibited_by_law": 0.02, "denied_three_safety": 0.01,
    "denied_third_party": 0.02, "denied_internal_affairs": 0.03, "denied_process_info": 0.03,
    "denied_enforcement_file": 0.01, "denied_query_matter": 0.02,
    "unavailable_not_held": 0.2, "unavailable_needs_creation": 0.03, "unavailable_unclear": 0.02,
    "rejected_petition": 0.04, "rejected_duplicate": 0.03, "rejected_publication": 0.01,
    "rejected_mass_repeated": 0.01, "rejected_confirm_reissue": 0.01,
    "other_no_correction": 0.05, "other_no_fee_paid": 0.01, "other_other": 0.05,
    "other_handling": 0.11,
}
# Share of the applications by applicant column (natural persons file most).
_COLUMN_SHARE = {
    "natural_person": 1.0, "commercial": 0.15, "research": 0.01, "social_welfare": 0.01,
    "legal_service": 0.05, "other_org": 0.03,
}


def _count(rng: random.Random, mean: float) -> int:
    """A sparse non-negative count around ``mean`` (often 0 when the mean is small)."""
    if mean <= 0 or rng.random() < 1 / (1 + mean):
        return 0
    return rng.randint(0, max(1, round(2 * mean)))


def _amount(rng: random.Random, top: float) -> int | float:
    """An amount in 万元 with 0, 1 or 2 decimals (an int when it has none)."""
    if rng.random() < 0.3:
        return 0
    digits = rng.choice((0, 1, 2, 2))
    value = round(rng.uniform(0, top), digits)
    return int(value) if digits == 0 or value == int(value) else value


def _active_2021(rng: random.Random, scale: float) -> dict:
    big = scale >= 80
    reg_issued = _count(rng, 0.3 if not big else 2)
    reg_repealed = _count(rng, 0.2 if not big else 1)
    doc_issued = _count(rng, scale / 10)
    doc_repealed = _count(rng, scale / 20)
    return {
        "regulations": {
            "issued": reg_issued, "repealed": reg_repealed,
            "in_force": max(0, reg_issued - reg_repealed) + _count(rng, 5 if big else 0.2),
        },
        "normative_documents": {
            "issued": doc_issued, "repealed": doc_repealed,
            "in_force": max(0, doc_issued - doc_repealed) + _count(rng, scale / 2),
        },
        "licensing": {"decisions": _count(rng, scale * rng.choice((1, 10, 100)))},
        "penalty": {"decisions": _count(rng, scale * rng.choice((1, 10, 100)))},
        "enforcement": {"decisions": _count(rng, scale * rng.choice((0.1, 1, 10)))},
        "fees": {"amount_10k_yuan": _amount(rng, scale * 50)},
    }


def _active_2019(rng: random.Random, scale: float) -> dict:
    def made_published() -> dict:
        made = _count(rng, scale / 10)
        published = rng.randint(0, made) if made else 0
        return {"made": made, "published": published,
                "total_published": published + _count(rng, scale)}

    def items() -> dict:
        previous = _count(rng, scale * 3)
        change = rng.randint(-previous, max(1, previous // 2)) if rng.random() < 0.7 else 0
        return {"previous_items": previous, "change": change,
                "decisions": _count(rng, scale * rng.choice((1, 10, 100)))}

    fees_previous = _count(rng, 5)
    return {
        "regulations": made_published(),
        "normative_documents": made_published(),
        "licensing": items(),
        "other_services": items(),
        "penalty": items(),
        "enforcement": items(),
        "fees": {"previous_items": fees_previous,
                 "change": rng.randint(-fees_previous, 3) if rng.random() < 0.5 else 0},
        "procurement": {"projects": _count(rng, scale), "amount_10k_yuan": _amount(rng, scale * 100)},
    }


def _applications(rng: random.Random, fmt: str, scale: float) -> dict:
    printed = application_rows(fmt)
    results = [r for r in printed
               if r not in ("new_received", "carried_over", "results_total", "carried_forward")]
    columns = application_columns()
    table: dict[str, dict[str, int]] = {row: {} for row in printed}
    for col in columns[:-1]:
        mean = scale * _COLUMN_SHARE[col] * rng.choice((0.5, 1, 1.5))
        for row in results:
            table[row][col] = _count(rng, mean * _RESULT_WEIGHTS[row])
        done = sum(table[row][col] for row in results)
        forward = _count(rng, mean * 0.05)
        carried = rng.randint(0, done + forward) if rng.random() < 0.4 else 0
        table["results_total"][col] = done
        table["carried_forward"][col] = forward
        table["carried_over"][col] = carried
        table["new_received"][col] = done + forward - carried
    for row in printed:
        table[row]["total"] = sum(table[row][c] for c in columns[:-1])
    if fmt == FORMAT_2021:
        table["other_handling"] = {c: sum(table[r][c] for r in OTHER_SUBROWS) for c in columns}
    return table


def _review(rng: random.Random, scale: float) -> dict:
    out = {}
    for group, share in zip(review_groups(), (0.05, 0.01, 0.01), strict=True):
        cells = {o: _count(rng, scale * share * 0.25) for o in review_outcomes()[:-1]}
        cells["total"] = sum(cells.values())
        out[group] = cells
    return out


def _random_kinds(rng: random.Random, report: dict) -> dict[str, str]:
    """Pick some zero cells to be printed blank or as a dash (allowed kinds only)."""
    allowed = report.pop("_allowed_kinds")
    if not allowed or rng.random() < 0.4:
        return {}
    printable = [key for key in cell_keys(report["format"])
                 if not (report["format"] == FORMAT_2021 and key[1] == "other_handling")]
    zeros = [key for key in printable if _get(report, key) == 0]
    kinds: dict[str, str] = {}
    style = rng.choice(("columns", "scattered", "scattered", "table"))
    if style == "columns":
        # Like offices that leave the 法人或其他组织 columns empty when nobody applied.
        kind = rng.choice(allowed)
        for col in application_columns()[1:-1]:
            keys = [k for k in printable if k[0] == TABLE_APPLICATIONS and k[2] == col]
            if all(_get(report, k) == 0 for k in keys):
                kinds.update({".".join(k): kind for k in keys})
    elif style == "table":
        table = rng.choice((TABLE_ACTIVE, TABLE_APPLICATIONS, TABLE_REVIEW))
        kind = rng.choice(allowed)
        kinds.update({".".join(k): kind for k in zeros if k[0] == table})
    else:
        rate = rng.choice((0.05, 0.2, 0.5))
        mixed = rng.random() < 0.3
        kind = rng.choice(allowed)
        for key in zeros:
            if rng.random() < rate:
                kinds[".".join(key)] = rng.choice(allowed) if mixed else kind
    return kinds


def _get(report: dict, key: tuple[str, str, str]):
    table, row, column = key
    return report[table][row][column]


def random_report(
    rng: random.Random,
    fmt: str = FORMAT_2021,
    year: int | None = None,
    office: str | None = None,
    *,
    kinds: tuple[str, ...] = KINDS,
) -> dict:
    """A random consistent report as the contract dict, plus ``kinds`` of its blank/dash cells.

    ``kinds`` limits the kinds drawn (the "flow" and "spaced" layouts cannot print blank cells:
    pass ``kinds_for(layout)``).
    """
    if fmt not in (FORMAT_2021, FORMAT_2019):
        raise ValueError(f"unknown format {fmt!r}")
    if year is None:
        year = rng.randint(2019, 2020) if fmt == FORMAT_2019 else rng.randint(2021, 2025)
    if office is None:
        office = random_office(rng)
    scale = _SCALES[rng.choice(("quiet", "quiet", "small", "medium", "large"))]
    report = {
        "office": office,
        "year": year,
        "format": fmt,
        TABLE_ACTIVE: (_active_2019 if fmt == FORMAT_2019 else _active_2021)(rng, scale),
        TABLE_APPLICATIONS: _applications(rng, fmt, scale),
        TABLE_REVIEW: _review(rng, scale),
        "_allowed_kinds": tuple(kinds),
    }
    report["kinds"] = _random_kinds(rng, report)
    # Keep the contract's key order: the order of cell_keys(fmt).
    for table in (TABLE_ACTIVE, TABLE_APPLICATIONS, TABLE_REVIEW):
        rows: dict[str, dict] = {}
        for t, row, column in cell_keys(fmt):
            if t == table:
                rows.setdefault(row, {})[column] = report[table][row][column]
        report[table] = rows
    return report


def kinds_for(layout: str) -> tuple[str, ...]:
    """The kinds of empty cell a layout can print (no blank cell in "flow" and "spaced")."""
    from nianbao.generate.text import NO_BLANK_LAYOUTS

    return ("dash",) if layout in NO_BLANK_LAYOUTS else KINDS


# --- rendering -----------------------------------------------------------------------------------

def sample_files(n: int, layouts: tuple[str, ...], seed: int,
                 share_2019: float = 0.2) -> list[tuple[str, bytes]]:
    """n distinct generated files ``(name, bytes)``, the layouts in turn, both formats, UTF-8
    and GB18030 (for benchmarks and tests over many reports).  A report a layout cannot print
    (blank cells in "flow" or "spaced") is skipped."""
    rng = random.Random(seed)
    out: list[tuple[str, bytes]] = []
    while len(out) < n:
        layout = layouts[len(out) % len(layouts)]
        fmt = FORMAT_2019 if rng.random() < share_2019 else FORMAT_2021
        report = random_report(rng, fmt, rng.randint(2019, 2025), random_office(rng))
        try:
            out.append(render_file(report, layout, rng, rng.choice(["utf-8", "gb18030"])))
        except ValueError:
            continue
    return out


_EXTENSIONS = {
    "tsv": ".txt", "markdown": ".md", "markdown_fragmented": ".md", "cell_per_line": ".txt",
    "pipe": ".txt", "flow": ".txt", "spaced": ".txt", "html": ".html",
}


def render(report: dict, layout: str, rng: random.Random, encoding: str = "utf-8",
           trace: dict | None = None) -> bytes:
    """The whole document of ``report`` in ``layout``, encoded.

    ``trace``, when given, is filled with what a test needs to know about the rendering; for the
    "flow" layout ``trace["runs"]`` maps each table-3 row code, and "review_litigation", to the
    string its cells were printed as (digits run together, spaces only at cell boundaries).
    """
    from nianbao.generate import html, text

    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    if layout == "html":
        return html.render_html(report, rng, encoding, trace)
    return text.render_text(report, layout, rng, encoding, trace)


def render_file(report: dict, layout: str, rng: random.Random, encoding: str = "utf-8",
                trace: dict | None = None) -> tuple[str, bytes]:
    """``(file name, bytes)``: the rendering and a name with the layout's extension."""
    data = render(report, layout, rng, encoding, trace)
    ext = _EXTENSIONS[layout]
    if ext == ".html" and rng.random() < 0.3:
        ext = rng.choice((".htm", ".shtml"))
    style = rng.random()
    if style < 0.4:
        stem = f"t{report['year'] + 1}01{rng.randint(10, 28)}_{rng.randint(100000, 9999999)}"
    elif style < 0.7:
        stem = rng.choice(("page", "index", "content", "report", "nianbao"))
    else:
        stem = f"{report['office']}{report['year']}年政府信息公开工作年度报告"
    return stem + ext, data


__all__ = [
    "ENCODINGS", "FORMAT_2019", "FORMAT_2021", "KINDS", "LAYOUTS",
    "random_office", "random_report", "render", "render_file",
]
