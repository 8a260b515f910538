"""Random reports rendered as Word, Excel and PDF files (for round-trip tests and benchmarks).

``report`` is the contract dict of :func:`nianbao.generate.random_report` (every cell, plus
``kinds``: the zero cells printed blank or as a dash).  The three tables follow the official
template's layout (merged cells included): a Word table with ``gridSpan``/``vMerge``, an Excel
sheet with merged ranges, and a PDF made from the Word file by LibreOffice.  Some documents put
the group label 三、本年度办理结果 in a column so narrow that it is printed one character per line,
as real reports do.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

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

DASHES = ("—", "－", "-", "/", "无")
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
RESULTS_GROUP = "三、本年度办理结果"
HEADINGS = {
    TABLE_ACTIVE: "二、主动公开政府信息情况",
    TABLE_APPLICATIONS: "三、收到和处理政府信息公开申请情况",
    TABLE_REVIEW: "四、政府信息公开行政复议、行政诉讼情况",
}


@dataclass
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    value: bool = False  # a value cell (numbers are right/centre aligned, Excel gets numbers)
    raw: object = None  # the value itself, for Excel


@dataclass
class Table:
    code: str
    width: int
    rows: list[list[Cell]]
    widths_cm: list[float]


# --------------------------------------------------------------------------- the three grids

class _Printer:
    def __init__(self, report: dict, rng: random.Random):
        self.report = report
        self.kinds = report.get("kinds", {})
        self.dash = rng.choice(DASHES)
        self.rng = rng

    def cell(self, key: tuple[str, str, str], colspan: int = 1) -> Cell:
        table, row, column = key
        value = self.report[table][row][column]
        kind = self.kinds.get(".".join(key), "number")
        if kind == "blank":
            return Cell("", colspan, value=True)
        if kind == "dash":
            return Cell(self.dash, colspan, value=True, raw=self.dash)
        if isinstance(value, float):
            text = f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
        else:
            text = str(value)
        return Cell(text, colspan, value=True, raw=value)


def _active(p: _Printer) -> Table:
    fmt = p.report["format"]
    spec = codes()["active_disclosure_2019" if fmt == FORMAT_2019 else "active_disclosure"]
    labels = dict(spec["metric_labels"])
    labels["amount_10k_yuan"] = "采购总金额（万元）" if fmt == FORMAT_2019 else labels[
        "amount_10k_yuan"]
    blocks: list[tuple[str, list[str], list[tuple[str, str]]]] = []
    for it in spec["items"]:
        if blocks and blocks[-1][0] == it["article"] and blocks[-1][1] == it["metrics"]:
            blocks[-1][2].append((it["code"], it["label"]))
        else:
            blocks.append((it["article"], it["metrics"], [(it["code"], it["label"])]))
    rows: list[list[Cell]] = []
    for article, metrics, items in blocks:
        rows.append([Cell(article, 4)])
        span_last = 4 - len(metrics)
        rows.append([Cell("信息内容")] + [
            Cell(labels[m], span_last if i == len(metrics) - 1 else 1)
            for i, m in enumerate(metrics)])
        for code, label in items:
            rows.append([Cell(label)] + [
                p.cell((TABLE_ACTIVE, code, m), span_last if i == len(metrics) - 1 else 1)
                for i, m in enumerate(metrics)])
    return Table(TABLE_ACTIVE, 4, rows, [4.4, 3.8, 3.8, 3.8])


def _applications(p: _Printer, stacked: bool) -> Table:
    fmt = p.report["format"]
    spec = codes()["applications"]
    by_code = {r["code"]: r for r in spec["rows"]}
    orgs = [c["label"] for c in spec["columns"] if c.get("group") == "法人或其他组织"]
    rows: list[list[Cell]] = [
        [Cell(BALANCE_NOTE, 3, 3), Cell("申请人情况", 7)],
        [Cell("自然人", rowspan=2), Cell("法人或其他组织", 5), Cell("总计", rowspan=2)],
        [Cell(label) for label in orgs],
    ]
    printed = application_rows(fmt)
    grouped = [c for c in printed if by_code[c].get("group")]
    group_size: dict[str, int] = {}
    for c in grouped:
        group_size[by_code[c]["group"]] = group_size.get(by_code[c]["group"], 0) + 1
    seen: set[str] = set()
    for code in printed:
        spec_row = by_code[code]
        group = spec_row.get("group")
        row: list[Cell] = []
        if group is None:
            row.append(Cell(spec_row["label"], 3))
        else:
            if RESULTS_GROUP not in seen:
                seen.add(RESULTS_GROUP)
                row.append(Cell(RESULTS_GROUP, rowspan=len(grouped)))
            if group == RESULTS_GROUP:
                row.append(Cell(spec_row["label"], 2))
            else:
                if group not in seen:
                    seen.add(group)
                    row.append(Cell(group, rowspan=group_size[group]))
                row.append(Cell(spec_row["label"]))
        row += [p.cell((TABLE_APPLICATIONS, code, col)) for col in application_columns()]
        rows.append(row)
    first = 0.9 if stacked else 1.6
    return Table(TABLE_APPLICATIONS, 10, rows, [first, 2.2, 4.6 - first + 0.9] + [1.2] * 7)


def _review(p: _Printer) -> Table:
    outcomes = [o["label"] for o in codes()["review_litigation"]["outcomes"]]
    rows = [
        [Cell("行政复议", 5), Cell("行政诉讼", 10)],
        [Cell(o, rowspan=2) for o in outcomes] + [Cell("未经复议直接起诉", 5), Cell("复议后起诉", 5)],
        [Cell(o) for _ in range(2) for o in outcomes],
        [p.cell((TABLE_REVIEW, g, o)) for g in review_groups() for o in review_outcomes()],
    ]
    return Table(TABLE_REVIEW, 15, rows, [1.05] * 15)


def tables(report: dict, rng: random.Random, stacked: bool | None = None) -> list[Table]:
    p = _Printer(report, rng)
    if stacked is None:
        stacked = rng.random() < 0.5
    return [_active(p), _applications(p, stacked), _review(p)]


def _positions(t: Table) -> list[list[tuple[int, Cell]]]:
    """Each row's cells with the grid column where they start (rowspans taken into account)."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(t.rows):
        c = 0
        placed = []
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append((c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
        out.append(placed)
    return out


# --------------------------------------------------------------------------- prose

def title(report: dict, rng: random.Random) -> str:
    year = report["year"]
    return rng.choice((f"{report['office']}{year}年政府信息公开工作年度报告",
                       f"{report['office']}{year}年度政府信息公开工作年度报告"))


def _prose(report: dict, rng: random.Random) -> dict[str, list[str]]:
    year = report["year"]
    received = report[TABLE_APPLICATIONS]["new_received"]["total"]
    apply = (f"{year}年，本机关共收到政府信息公开申请{received}件，均在法定期限内予以答复。"
             if received else f"{year}年，本机关未收到政府信息公开申请。")
    return {
        "intro": [
            "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求编制。"
            f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
        ],
        "一、总体情况": [
            "（一）主动公开。" + rng.choice((
                "坚持以公开为常态、不公开为例外，及时公开政策文件和办事信息。",
                "围绕中心工作，做好重点领域信息公开。")),
            "（二）依申请公开。" + apply,
            "（三）政府信息管理。严格执行信息公开审查制度。",
        ],
        "五、存在的主要问题及改进情况": [
            "政务公开工作仍存在公开内容不够全面等问题。下一步将进一步加强培训，提升公开质量。"
        ],
        "六、其他需要报告的事项": [
            rng.choice(("本年度未收取信息处理费。", "本机关无其他需要报告的事项。"))
        ],
    }


# --------------------------------------------------------------------------- Word

def render_docx(report: dict, rng: random.Random, *, stacked: bool | None = None) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.4)
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")

    head = document.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(title(report, rng))
    run.bold = True
    run.font.size = Pt(16)
    prose = _prose(report, rng)
    for text in prose["intro"]:
        document.add_paragraph(text)
    for heading in ("一、总体情况",):
        document.add_paragraph(heading).runs[0].bold = True
        for text in prose[heading]:
            document.add_paragraph(text)
    for t in tables(report, rng, stacked):
        document.add_paragraph(HEADINGS[t.code]).runs[0].bold = True
        _docx_table(document, t, Cm, Pt)
    for heading in ("五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        document.add_paragraph(heading).runs[0].bold = True
        for text in prose[heading]:
            document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _docx_table(document, t: Table, Cm, Pt) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = document.add_table(rows=len(t.rows), cols=t.width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for j, column in enumerate(table.columns):  # w:gridCol, which LibreOffice follows
        column.width = Cm(t.widths_cm[j])
    # All cells once, before merging: table.cell(r, c) walks the whole table on every call.
    # Merged regions do not overlap, so a merge leaves the other regions' cells valid.
    grid = [row.cells for row in table.rows]
    for row in grid:
        for j, cell in enumerate(row):
            cell.width = Cm(t.widths_cm[j])
    for r, placed in enumerate(_positions(t)):
        for c, spec in placed:
            cell = grid[r][c]
            if spec.rowspan > 1 or spec.colspan > 1:
                cell = cell.merge(grid[r + spec.rowspan - 1][c + spec.colspan - 1])
            para = cell.paragraphs[0]
            if spec.value or spec.colspan > 1:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if spec.text:
                run = para.add_run(spec.text)
                run.font.size = Pt(9 if t.code != TABLE_ACTIVE else 10.5)


# --------------------------------------------------------------------------- Excel

def render_xlsx(report: dict, rng: random.Random, *, layout: str | None = None) -> bytes:
    """The three tables on one sheet (``layout="one"``) or one sheet each (``"sheets"``)."""
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, Side

    layout = layout or rng.choice(("one", "sheets"))
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")
    as_text = rng.random() < 0.3  # some offices type numbers as text
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "年度报告" if layout == "one" else "表二"
    ws.append([title(report, rng)])
    ws["A1"].font = Font(bold=True, size=14)
    r0 = 2
    for k, t in enumerate(tables(report, rng, stacked=False)):
        if layout == "sheets" and k > 0:
            ws = wb.create_sheet(("表二", "表三", "表四")[k])
            r0 = 1
        ws.cell(row=r0, column=1, value=HEADINGS[t.code]).font = Font(bold=True)
        top = r0 + 1
        for dr, placed in enumerate(_positions(t)):
            for c, spec in placed:
                row, col = top + dr, c + 1
                value = spec.raw if spec.value and not as_text else (spec.text or None)
                if spec.value and spec.raw is not None and as_text:
                    value = spec.text
                ws.cell(row=row, column=col, value=value if value != "" else None)
                for rr in range(row, row + spec.rowspan):
                    for cc in range(col, col + spec.colspan):
                        ws.cell(row=rr, column=cc).border = box
                        ws.cell(row=rr, column=cc).alignment = wrap
                if spec.rowspan > 1 or spec.colspan > 1:
                    ws.merge_cells(start_row=row, start_column=col,
                                   end_row=row + spec.rowspan - 1,
                                   end_column=col + spec.colspan - 1)
        r0 = top + len(t.rows) + 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- PDF

def render_pdf(report: dict, rng: random.Random, *, stacked: bool | None = None) -> bytes:
    """The Word rendering printed to PDF by LibreOffice (``soffice`` must be installed)."""
    from nianbao.read.office import convert_legacy, soffice_path

    if soffice_path() is None:
        raise RuntimeError("render_pdf needs LibreOffice (soffice) to print the Word file")
    return convert_legacy(render_docx(report, rng, stacked=stacked), "report.docx", "pdf")


__all__ = ["render_docx", "render_pdf", "render_xlsx", "tables", "title"]
