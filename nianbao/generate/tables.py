"""The three tables as the official template lays them out, in one document's printing style.

A table is a :class:`Grid`: rows of :class:`GridCell` as an HTML table has them (a cell covered by
a rowspan from above is absent from the later rows; a colspan is one cell).  The layouts of
``text.py`` and ``html.py`` all start from these grids.  A :class:`Style` holds the per-document
choices (full-width digits, bracket widths, dash characters, the real typos, how often labels get
inner spaces or line breaks); a line break inside a label is a ``"\\n"`` that each layout prints
its own way.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from decimal import Decimal

from nianbao.model import (
    FORMAT_2019,
    TABLE_ACTIVE,
    TABLE_APPLICATIONS,
    TABLE_REVIEW,
    application_columns,
    application_rows,
    codes,
    review_groups,
    review_outcomes,
)

LABEL, VALUE = "label", "value"

FULLWIDTH_DIGITS = str.maketrans("0123456789.", "０１２３４５６７８９.")
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
RESULTS_GROUP = "三、本年度办理结果"
ORG_GROUP = "法人或其他组织"


@dataclass
class GridCell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    role: str = LABEL
    key: tuple[str, str, str] | None = None  # (table, row, column) of a value cell
    kind: str = "number"  # of a value cell: number, blank or dash


@dataclass
class Grid:
    table: str
    width: int
    rows: list[list[GridCell]] = field(default_factory=list)
    header_rows: int = 0  # rows of column headings before the first data row (tables 3 and 4)


@dataclass
class Style:
    """One document's way of printing labels and numbers."""

    rng: random.Random
    fullwidth: float = 0.0  # chance a number is printed in full-width digits
    thousands: bool = False  # 1,259
    dashes: tuple[str, ...] = ("—",)
    half_brackets: bool = False  # (一) instead of （一）
    bracket_space: bool = False  # "(一) 予以公开", as some sites print it
    numbering: str = "."  # 1. / 1、 / 1．
    typo_prohibited: bool = False  # 其他法律行政止公开
    typo_review: bool = False  # 行政法复议 in the table-4 heading
    plain_quotes: bool = False  # "三安全一稳定" with ASCII quotes
    space_rate: float = 0.0  # chance a label gets an inner space
    break_rate: float = 0.0  # chance a long label gets a line break
    amount_decimals: bool = False  # amounts always with two decimals (0.00)
    fees_unit: str = "万元"  # the unit of the table-2 fees header (元: values x 10000)
    procurement_unit: str = "cell_wan"  # 2019: cell_wan, cell_yuan, header_wan, header_yuan
    stacked_group: bool = False  # 三、本年度办理结果 printed one character per line
    forced: dict = field(default_factory=dict)  # layout choices fixed by a caller (to triage)
    chosen: dict = field(default_factory=dict)  # layout choices made, for the trace

    def choose(self, name: str, options: tuple):
        """A layout choice (which view of the grid, which separator...), recorded."""
        value = self.forced[name] if name in self.forced else self.rng.choice(options)
        self.chosen.setdefault(name, []).append(value)
        return value

    @classmethod
    def random(cls, rng: random.Random, *, breaks: bool = True, flow: bool = False) -> Style:
        dash_sets = (("—",), ("－",), ("-",), ("/",), ("无",), ("—", "－", "-", "/", "无"))
        if flow:  # 无 would run into labels such as 无法提供
            dash_sets = (("—",), ("－",), ("-",), ("/",), ("—", "－", "-", "/"))
        return cls(
            rng=rng,
            fullwidth=rng.choice((0.0, 0.0, 0.0, 0.3, 1.0)),
            thousands=not flow and rng.random() < 0.2,
            dashes=rng.choice(dash_sets),
            half_brackets=rng.random() < 0.4,
            bracket_space=rng.random() < 0.5,
            numbering=rng.choice((".", ".", ".", "、", "．")),
            typo_prohibited=rng.random() < 0.15,
            typo_review=rng.random() < 0.15,
            plain_quotes=rng.random() < 0.1,
            space_rate=rng.choice((0.0, 0.0, 0.1, 0.3)),
            break_rate=rng.choice((0.0, 0.2, 0.5)) if breaks else 0.0,
            amount_decimals=rng.random() < 0.3,
            fees_unit="元" if rng.random() < 0.1 else "万元",
            procurement_unit=rng.choice(("cell_wan", "cell_yuan", "header_wan", "header_yuan")),
            stacked_group=breaks and rng.random() < 0.15,
        )

    # --- labels ------------------------------------------------------------------------------

    def label(self, text: str, *, breakable: bool = True) -> str:
        """An official label as this document prints it."""
        rng = self.rng
        if self.typo_prohibited:
            text = text.replace("其他法律行政法规禁止公开", "其他法律行政止公开")
        if self.plain_quotes:
            text = text.replace("“", '"').replace("”", '"')
        text = re.sub(r"^(\d)\.", lambda m: m.group(1) + self.numbering, text)
        if self.half_brackets:
            text = text.replace("（", "(").replace("）", ")")
            if self.bracket_space:
                text = re.sub(r"^\(([一二三四五六七八九])\)", r"(\1) ", text)
        if len(text) > 3 and rng.random() < self.space_rate:
            i = rng.randrange(2, len(text) - 1)
            text = text[:i] + " " + text[i:]
        if breakable and len(text) >= 8 and rng.random() < self.break_rate:
            i = rng.randrange(4, len(text) - 2)
            if " " not in text[i - 1:i + 1]:
                text = text[:i] + "\n" + text[i:]
        return text

    def heading(self, text: str) -> str:
        """A column heading: short ones are often wrapped (商业/企业, 结果/维持)."""
        if 4 <= len(text) <= 6 and self.rng.random() < self.break_rate + 0.1:
            i = 2 if len(text) <= 5 else 3
            return text[:i] + self.rng.choice(("\n", " ")) + text[i:]
        return text

    # --- numbers -----------------------------------------------------------------------------

    def dash(self) -> str:
        return self.rng.choice(self.dashes)

    def _digits(self, text: str) -> str:
        if self.fullwidth and self.rng.random() < self.fullwidth:
            return text.translate(FULLWIDTH_DIGITS)
        return text

    def count(self, value: int) -> str:
        sign = "-" if value < 0 else ""
        text = f"{abs(value):,}" if self.thousands and abs(value) >= 1000 and \
            self.rng.random() < 0.7 else str(abs(value))
        return sign + self._digits(text)

    def amount(self, value: int | float, *, yuan: bool = False, suffix: str = "") -> str:
        d = Decimal(str(value))
        if yuan:
            d *= 10000
        if self.amount_decimals or (d != d.to_integral_value() and self.rng.random() < 0.5):
            text = f"{d:,.2f}" if self.thousands and d >= 1000 else f"{d:.2f}"
        else:
            d = d.normalize()
            text = f"{d:,f}" if self.thousands and d >= 1000 else f"{d:f}"
        return self._digits(text) + suffix

    def cell(self, report: dict, key: tuple[str, str, str], **amount_options) -> GridCell:
        """The value cell of ``key`` as printed (blank, dash or a number)."""
        table, row, column = key
        kind = report.get("kinds", {}).get(".".join(key), "number")
        value = report[table][row][column]
        if kind == "blank":
            text = ""
        elif kind == "dash":
            text = self.dash()
        elif column == "amount_10k_yuan":
            text = self.amount(value, **amount_options)
        else:
            text = self.count(value)
        return GridCell(text, role=VALUE, key=key, kind=kind)


# --- table 2 -------------------------------------------------------------------------------------

def _active_section(style: Style, report: dict, article: str, heading: list[str],
                    items: list[tuple[str, str, list[str]]], amount_options: dict) -> list[list]:
    """One 第二十条 block: article row, heading row, one row per item (4 grid columns)."""
    rows = [[GridCell(style.label(article, breakable=False), colspan=4)]]
    head = [GridCell("信息内容")]
    for i, text in enumerate(heading):
        last = i == len(heading) - 1
        head.append(GridCell(style.label(text), colspan=1 + (3 - len(heading)) if last else 1))
    rows.append(head)
    for code, text, metrics in items:
        row = [GridCell(style.label(text, breakable=False))]
        for i, metric in enumerate(metrics):
            last = i == len(metrics) - 1
            cell = style.cell(report, (TABLE_ACTIVE, code, metric), **amount_options)
            cell.colspan = 1 + (3 - len(metrics)) if last else 1
            row.append(cell)
        rows.append(row)
    return rows


def active_grid(report: dict, style: Style) -> Grid:
    fmt = report["format"]
    key = "active_disclosure_2019" if fmt == FORMAT_2019 else "active_disclosure"
    spec = codes()[key]
    metric_labels = dict(spec["metric_labels"])
    items = [(it["code"], it["label"], it["article"], it["metrics"]) for it in spec["items"]]
    amount_options: dict = {}
    if fmt == FORMAT_2019:
        metric_labels["amount_10k_yuan"] = "采购总金额"
        unit = style.procurement_unit
        if unit == "header_wan":
            metric_labels["amount_10k_yuan"] = "采购总金额（万元）"
        elif unit == "header_yuan":
            metric_labels["amount_10k_yuan"] = "采购总金额（元）"
            amount_options = {"yuan": True}
        elif unit == "cell_yuan":
            amount_options = {"yuan": True, "suffix": "元"}
        else:
            amount_options = {"suffix": "万元"}
    elif style.fees_unit == "元":
        metric_labels["amount_10k_yuan"] = "本年收费金额（单位：元）"
        amount_options = {"yuan": True}
    if fmt != FORMAT_2019 and style.rng.random() < 0.15:
        # Some offices still print the 2019 label 规范性文件 in the 2021 table.
        items = [(c, "规范性文件" if c == "normative_documents" else t, a, m)
                 for c, t, a, m in items]
    grid = Grid(TABLE_ACTIVE, 4)
    # Items sharing an article and metrics share a block (规章 + 规范性文件, 处罚 + 强制).
    blocks: list[tuple[str, list[str], list]] = []
    for code, text, article, metrics in items:
        if blocks and blocks[-1][0] == article and blocks[-1][1] == metrics:
            blocks[-1][2].append((code, text, metrics))
        else:
            blocks.append((article, metrics, [(code, text, metrics)]))
    for article, metrics, block in blocks:
        heading = [metric_labels[m] for m in metrics]
        grid.rows += _active_section(style, report, article, heading, block, amount_options)
    return grid


# --- table 3 -------------------------------------------------------------------------------------

def _row_specs(fmt: str) -> list[dict]:
    by_code = {r["code"]: r for r in codes()["applications"]["rows"]}
    return [by_code[code] for code in application_rows(fmt)]


def stacked(text: str) -> str:
    """Characters one per line, as narrow merged cells print them (三、\\n本\\n年\\n度…)."""
    head, rest = (text[:2], text[2:]) if text.startswith("三、") else ("", text)
    return "\n".join(([head] if head else []) + list(rest))


def applications_grid(report: dict, style: Style) -> Grid:
    fmt = report["format"]
    grid = Grid(TABLE_APPLICATIONS, 10, header_rows=3)
    orgs = [c for c in codes()["applications"]["columns"] if c.get("group") == ORG_GROUP]
    grid.rows.append([
        GridCell(style.label(BALANCE_NOTE), colspan=3, rowspan=3),
        GridCell(style.label("申请人情况"), colspan=7),
    ])
    grid.rows.append([
        GridCell(style.heading("自然人"), rowspan=2),
        GridCell(style.label(ORG_GROUP), colspan=5),
        GridCell("总计", rowspan=2),
    ])
    grid.rows.append([GridCell(style.heading(c["label"])) for c in orgs])

    specs = _row_specs(fmt)
    group_size: dict[str, int] = {}
    for spec in specs:
        group = spec.get("group")
        if group:
            group_size[group] = group_size.get(group, 0) + 1
    results_rows = sum(1 for s in specs if s.get("group"))
    seen: set[str] = set()
    for spec in specs:
        row: list[GridCell] = []
        group = spec.get("group")
        label = style.label(spec["label"])
        if group is None:
            row.append(GridCell(label, colspan=3))
        else:
            if RESULTS_GROUP not in seen:
                seen.add(RESULTS_GROUP)
                text = stacked(RESULTS_GROUP) if style.stacked_group else style.label(RESULTS_GROUP)
                row.append(GridCell(text, rowspan=results_rows))
            if group == RESULTS_GROUP:
                row.append(GridCell(label, colspan=2))
            else:
                if group not in seen:
                    seen.add(group)
                    row.append(GridCell(style.label(group), rowspan=group_size[group]))
                row.append(GridCell(label))
        for column in application_columns():
            row.append(style.cell(report, (TABLE_APPLICATIONS, spec["code"], column)))
        grid.rows.append(row)
    return grid


# --- table 4 -------------------------------------------------------------------------------------

def review_grid(report: dict, style: Style) -> Grid:
    outcomes = [o["label"] for o in codes()["review_litigation"]["outcomes"]]
    review_label = "行政复议"
    grid = Grid(TABLE_REVIEW, 15, header_rows=3)
    grid.rows.append([GridCell(review_label, colspan=5), GridCell("行政诉讼", colspan=10)])
    grid.rows.append(
        [GridCell(style.heading(o), rowspan=2) for o in outcomes]
        + [GridCell(style.label("未经复议直接起诉"), colspan=5),
           GridCell(style.label("复议后起诉"), colspan=5)]
    )
    grid.rows.append([GridCell(style.heading(o)) for _ in range(2) for o in outcomes])
    grid.rows.append([style.cell(report, (TABLE_REVIEW, g, o))
                      for g in review_groups() for o in review_outcomes()])
    return grid


def grids(report: dict, style: Style) -> tuple[Grid, Grid, Grid]:
    return active_grid(report, style), applications_grid(report, style), review_grid(report, style)


@dataclass
class Slot:
    """One position of the full grid rectangle."""

    cell: GridCell
    first: bool  # the cell's own (top-left) position
    below: bool  # covered by the cell's rowspan from a row above


def expand(grid: Grid) -> list[list[Slot]]:
    """The grid as a full rectangle of positions (as Excel or Word-to-text converters see it)."""
    width = grid.width
    out: list[list[Slot | None]] = [[None] * width for _ in grid.rows]
    for r, row in enumerate(grid.rows):
        c = 0
        for cell in row:
            while c < width and out[r][c] is not None:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    if r + dr < len(out) and c + dc < width:
                        out[r + dr][c + dc] = Slot(cell, dr == 0 and dc == 0, dr > 0)
            c += cell.colspan
    empty = GridCell("", role="pad")
    return [[slot or Slot(empty, True, False) for slot in row] for row in out]


def is_data_row(row: list[GridCell]) -> bool:
    return any(cell.role == VALUE for cell in row)


def has_blank(row: list[GridCell]) -> bool:
    return any(cell.role == VALUE and cell.kind == "blank" for cell in row)


def review_heading(style: Style) -> str:
    text = "四、政府信息公开行政复议、行政诉讼情况"
    return text.replace("行政复议", "行政法复议") if style.typo_review else text


__all__ = [
    "BALANCE_NOTE", "Grid", "GridCell", "LABEL", "Style", "VALUE", "active_grid",
    "Slot", "applications_grid", "expand", "grids", "has_blank", "is_data_row", "review_grid",
    "review_heading",
]
