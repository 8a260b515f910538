"""Plain-text layouts of a report: how the tables look once a page or a PDF has become text.

- ``tsv``: a web page copied as text: one line per table row, cells separated by tabs, with the
  gaps merged cells leave (browser view: only the cells a row holds; Excel view: every grid
  position, the covered ones empty) and stray leading/trailing empty cells;
- ``markdown``: pipe tables, ragged (browser view), rectangular, or with merged cells repeated as
  Word-to-Markdown converters do;
- ``markdown_fragmented``: a PDF-to-Markdown conversion: table 3 in several small tables, heading
  cells cut in two (商业企/业), some row labels on lines of their own and their numbers in rows
  without a label (still in official row order);
- ``cell_per_line``: one cell per line (a blank cell is an empty line);
- ``pipe``: ``|``-separated cells, group labels repeated on some rows only;
- ``spaced``: a PDF turned into text with its layout kept (pdftotext -layout), or a plain-text page:
  one line per table row, cells apart by runs of spaces, rows sometimes indented; labels may hold
  single spaces; a blank cell cannot be shown (refused, as in ``flow``);
- ``flow``: a site's text export: everything on one line and cells run together; table-2 numbers
  separated by single spaces, table-3 and table-4 digits run together (a space at some cell
  boundaries).

Decidability, which the parser may rely on: in a table-2 row the values are the first cells after
the item label.  A table-3 or table-4 row holding a blank cell is either exactly its label cells and
its values (browser view) or a full row of a rectangular table (Excel and fill views: every row as
wide as the grid, so positions line up with the headings); either way its values are its last
cells.  Rows without a blank cell may carry stray empty cells anywhere (before the labels, between
labels and values, after the values), as the seed file does.
"""

from __future__ import annotations

import random

from nianbao.generate.prose import document
from nianbao.generate.tables import (
    LABEL,
    VALUE,
    Grid,
    GridCell,
    Style,
    expand,
    grids,
    has_blank,
    is_data_row,
)
from nianbao.model import TABLE_ACTIVE, TABLE_APPLICATIONS, TABLE_REVIEW

PAD = GridCell("", role="pad")
# Layouts that cannot show a blank cell: it would vanish between the spaces or digits around it.
NO_BLANK_LAYOUTS = ("flow", "spaced")


def _one_line(text: str, join: str) -> str:
    """A label on one line: its line breaks become ``join`` ("" or " ")."""
    return text.replace("\n", join)


def _view(grid: Grid, r: int, view: str, rng: random.Random, keep: float = 0.5) -> list[GridCell]:
    """Row ``r`` as a text export sees it.

    browser: the cells the row holds; excel: every grid position (covered ones empty);
    fill: every position, covered ones repeating the merged cell; partial: the row's cells plus,
    now and then, the group labels merged down from above.
    """
    if view == "browser":
        return list(grid.rows[r])
    slots = expand(grid)[r]
    if view == "excel":
        return [s.cell if s.first else PAD for s in slots]
    if view == "fill":
        return [s.cell for s in slots]
    data = is_data_row(grid.rows[r])
    out: list[GridCell] = []
    for s in slots:
        if any(s.cell is o for o in out):
            continue
        if s.first or (data and s.below and s.cell.role == LABEL and rng.random() < keep):
            out.append(s.cell)
    return out


def _padded(texts: list[str], cells: list[GridCell], grid: Grid, row: list[GridCell],
            rng: random.Random, rate: float) -> list[str]:
    """Stray empty cells, where they keep the row decidable (see the module docstring)."""
    if rate == 0:
        return texts
    texts = list(texts)
    blank = has_blank(row)
    data = is_data_row(row)
    if grid.table == TABLE_ACTIVE:
        if rng.random() < rate:
            texts += [""] * rng.randint(1, 2)
        return texts
    if grid.table == TABLE_APPLICATIONS and data and not blank and rng.random() < rate:
        texts = [""] * rng.randint(1, 2) + texts
    if data and not blank and grid.table == TABLE_APPLICATIONS and rng.random() < rate:
        i = max(i for i, c in enumerate(cells) if c.role == LABEL) + 1 + (len(texts) - len(cells))
        texts.insert(i, "")
    if (not data or not blank) and rng.random() < rate:
        texts.append("")
    return texts


# --- tsv, markdown, pipe, cell per line ----------------------------------------------------------

def tsv_table(grid: Grid, style: Style, join: str) -> list[str]:
    rng = style.rng
    view = style.choose("tsv_view", ("browser", "browser", "excel"))
    # The Excel view stays a rectangle: cell positions then say which column a cell is in.
    rate = style.choose("pad_rate", (0.0, 0.3, 0.6)) if view == "browser" else 0.0
    lines = []
    for r, row in enumerate(grid.rows):
        cells = _view(grid, r, view, rng)
        texts = _padded([_one_line(c.text, join) for c in cells], cells, grid, row, rng, rate)
        lines.append("\t".join(texts))
    return lines


def spaced_table(grid: Grid, style: Style, join: str) -> list[str]:
    rng = style.rng
    indent = style.choose("spaced_indent", ("", "", "  ", "    "))
    lines = []
    for row in grid.rows:
        texts = [_one_line(c.text, join) for c in row]
        gaps = [" " * rng.randint(2, 8) for _ in texts]
        lead = indent + (" " * rng.randint(0, 6) if row[0].role != LABEL else "")
        lines.append(lead + "".join(t + g for t, g in zip(texts, gaps, strict=True)).rstrip())
    return lines


def markdown_table(grid: Grid, style: Style, join: str) -> list[str]:
    rng = style.rng
    view = style.choose("markdown_view", ("browser", "excel", "fill"))
    indent = style.choose("markdown_indent", ("", "", "", "  "))  # a table inside a list item
    rate = style.choose("pad_rate", (0.0, 0.3)) if view == "browser" else 0.0
    join = style.choose("markdown_break", (join, join, "<br>"))
    per_block = grid.table == TABLE_ACTIVE and style.choose("table2_per_block", (True, False))
    lines: list[str] = []
    first = True
    for r, row in enumerate(grid.rows):
        cells = _view(grid, r, view, rng)
        texts = _padded([_one_line(c.text, join) for c in cells], cells, grid, row, rng, rate)
        # A table per 第二十条 block: a new table starts at each article row.
        if per_block and len(row) == 1 and r > 0:
            lines.append("")
            first = True
        lines.append(indent + "| " + " | ".join(texts) + " |")
        if first:
            lines.append(indent + "|" + "---|" * len(texts))
            first = False
    return lines


def pipe_table(grid: Grid, style: Style, join: str) -> list[str]:
    rng = style.rng
    sep = style.choose("pipe_sep", ("|", " | ", "| ", " |"))
    outer = style.choose("pipe_outer", (True, False))
    keep = style.choose("pipe_keep_group", (0.2, 0.5, 0.8))
    rate = style.choose("pad_rate", (0.0, 0.3))
    lines = []
    for r, row in enumerate(grid.rows):
        cells = _view(grid, r, "partial", rng, keep)
        texts = _padded([_one_line(c.text, join) for c in cells], cells, grid, row, rng, rate)
        line = sep.join(texts)
        lines.append(f"|{line}|" if outer else line)
    return lines


def cell_per_line_table(grid: Grid, style: Style, join: str) -> list[str]:
    lines = []
    for row in grid.rows:
        for cell in row:
            lines += cell.text.split("\n") if cell.role == LABEL else [cell.text]
    return lines


# --- markdown, fragmented ------------------------------------------------------------------------

def _cut(text: str, rng: random.Random) -> tuple[str, str]:
    """A heading cut in two, as a narrow PDF column wraps it (商业企 / 业)."""
    text = text.replace("\n", "")
    if len(text) < 3:
        return text, ""
    i = rng.randint(max(1, len(text) - 3), len(text) - 1)
    return text[:i], text[i:]


def _md_row(texts: list[str]) -> str:
    return "| " + " | ".join(texts) + " |"


def _md_sep(n: int) -> str:
    return "|" + "---|" * n


def fragmented_active(grid: Grid, style: Style, join: str) -> list[str]:
    """Table 2: single-number items as loose lines (行政许可 97), the others as small tables."""
    rng = style.rng
    lines: list[str] = []
    block: list[list[GridCell]] = []

    def flush() -> None:
        if not block:
            return
        article, heading, items = block[0], block[1], block[2:]
        lines.append(_one_line(article[0].text, join))
        single = all(len([c for c in it if c.role == VALUE]) == 1 for it in items)
        if single and not any(has_blank(it) for it in items) and rng.random() < 0.7:
            lines.append("".join(_one_line(c.text, "") for c in heading))
            for it in items:
                lines.append(" ".join(_one_line(c.text, join) for c in it))
        else:
            lines.append(_md_row([_one_line(c.text, join) for c in heading]))
            lines.append(_md_sep(len(heading)))
            lines.extend(_md_row([_one_line(c.text, join) for c in it]) for it in items)
        block.clear()

    for row in grid.rows:
        if len(row) == 1 and row[0].role == LABEL:
            flush()
        block.append(row)
    flush()
    return lines


def fragmented_applications(grid: Grid, style: Style, join: str) -> list[str]:
    """Table 3 in pieces: cut headings, small tables, labels apart from their numbers."""
    rng = style.rng
    h0, h1, h2 = grid.rows[:3]
    orgs = [_cut(c.text, rng) for c in h2]
    note_a, note_b = _cut(h0[0].text, rng)
    lines = [
        _one_line(h0[1].text, ""),
        note_a + _one_line(h1[1].text, ""),
        note_b,
        _one_line(h1[0].text, "") + _one_line(h1[2].text, ""),
        "".join(a for a, _ in orgs[:-1]),
        orgs[-1][0] + orgs[-1][1],
    ]
    if rng.random() < 0.5:
        lines.append("## 表三：收到和处理政府信息公开申请情况")
    data = grid.rows[3:]
    labelled = style.choose("fragmented_labelled", (0.3, 0.6, 0.9))
    before = style.choose("fragmented_labels_before", (0.0, 0.6, 1.0))
    pending: list[str] = []  # labels printed apart, waiting for their place
    i = 0
    first_table = True
    while i < len(data):
        chunk = data[i:i + rng.randint(1, 5)]
        i += len(chunk)
        rows: list[list[str]] = []
        after: list[str] = []
        for row in chunk:
            labels = [c for c in row if c.role == LABEL]
            values = [c.text for c in row if c.role == VALUE]
            if rng.random() < labelled:
                texts = [_one_line(c.text, join) for c in labels[-2:] if rng.random() < 0.5
                         or c is labels[-1]]
                texts += values
                if not has_blank(row) and rng.random() < 0.3:
                    texts.append("")
                rows.append(texts)
            else:
                rows.append(values)
                loose = [line for c in labels for line in c.text.split("\n")]
                (pending if rng.random() < before else after).extend(loose)
        lines += pending
        pending = []
        if first_table and rng.random() < 0.6:
            rows.insert(0, [b for _, b in orgs[:-1]] + [""] * rng.randint(1, 5))
        first_table = False
        lines.append(_md_row(rows[0]))
        lines.append(_md_sep(len(rows[0])))
        lines += [_md_row(r) for r in rows[1:]]
        lines.append("")
        lines += after
    return lines


def fragmented_review(grid: Grid, style: Style, join: str) -> list[str]:
    rng = style.rng
    outcomes = [_cut(c.text, rng) for c in grid.rows[2][:5]]
    lines = [
        "行政复议行政诉讼",
        "未经复议直接起诉复议后起诉",
        "".join(a for a, _ in outcomes[:4]),
        "总计",
        "".join(b for _, b in outcomes[:4]) * 2,
    ]
    head = [b for _, b in outcomes[:4]] * 2 if rng.random() < 0.6 else ["行政复议", "行政诉讼"]
    values = [c.text for c in grid.rows[3]]
    return lines + [_md_row(head), _md_sep(len(head)), _md_row(values)]


def fragmented_table(grid: Grid, style: Style, join: str) -> list[str]:
    if grid.table == TABLE_ACTIVE:
        return fragmented_active(grid, style, join)
    if grid.table == TABLE_APPLICATIONS:
        return fragmented_applications(grid, style, join)
    return fragmented_review(grid, style, join)


# --- flow ----------------------------------------------------------------------------------------

def _run(cells: list[GridCell], rng: random.Random, spaces: float) -> str:
    """Cells run together; a space at some cell boundaries."""
    out = cells[0].text
    for cell in cells[1:]:
        out += (" " if rng.random() < spaces else "") + cell.text
    return out


def flow_table(grid: Grid, style: Style, join: str, runs: dict) -> str:
    rng = style.rng
    spaces = style.choose("flow_spaces", (0.0, 0.0, 0.2, 0.5, 1.0))
    label_gap = style.choose("flow_label_gap", ("", " "))
    parts = []
    for row in grid.rows:
        labels = "".join(_one_line(c.text, join) for c in row if c.role == LABEL)
        values = [c for c in row if c.role == VALUE]
        if not values:
            parts.append(labels)
            continue
        if grid.table == TABLE_ACTIVE:
            # Table 2 has no arithmetic to split digits by: its numbers keep a space.
            parts.append(labels + label_gap + " ".join(c.text for c in values) + label_gap)
            continue
        run = _run(values, rng, spaces)
        key = values[0].key[1] if grid.table == TABLE_APPLICATIONS else TABLE_REVIEW
        runs[key] = run
        parts.append(labels + (" " if labels and rng.random() < 0.2 else "") + run)
    return "".join(parts)


def flow_document(blocks: list, tables: dict[int, Grid], style: Style, join: str,
                  runs: dict, report: dict) -> str:
    rng = style.rng
    pieces = []
    for kind, content in blocks:
        if kind == "table":
            pieces.append(flow_table(tables[content], style, join, runs))
        else:
            pieces.append(content + (" " if rng.random() < 0.3 else ""))
    body_sep = style.choose("flow_line_breaks", ("\n", "", ""))
    body = body_sep.join(pieces)
    if style.choose("flow_crawler_header", (True, False)):
        title = blocks[0][1]
        header = [
            f"标题: {title}",
            f"发布时间: {report['year'] + 1}-0{rng.randint(1, 3)}-{rng.randint(10, 28)} 15:35",
            "文号: ",
            f"发布机构: {rng.choice((report['office'], ''))}",
            "栏目: 政府信息公开年报",
            "==================== 正文 ====================",
        ]
        body = "\n".join(header) + "\n" + body
    return body


# --- the document --------------------------------------------------------------------------------

TABLE_RENDERERS = {
    "tsv": tsv_table,
    "markdown": markdown_table,
    "markdown_fragmented": fragmented_table,
    "pipe": pipe_table,
    "cell_per_line": cell_per_line_table,
    "spaced": spaced_table,
}


def _text_lines(blocks: list, tables: dict[int, Grid], layout: str, style: Style,
                join: str) -> list[str]:
    rng = style.rng
    render_table = TABLE_RENDERERS[layout]
    markdown = layout.startswith("markdown")
    spaced = rng.random() < 0.6
    lines: list[str] = []
    for kind, content in blocks:
        if kind == "table":
            lines += render_table(tables[content], style, join)
        elif kind == "title":
            if layout == "markdown_fragmented" and rng.random() < 0.5:
                i = rng.randint(len(content) - 6, len(content) - 2)
                lines += [content[:i], content[i:]]  # a title wrapped by the PDF page
            else:
                lines.append(("# " if markdown and rng.random() < 0.5 else "") + content)
        elif kind == "heading":
            lines.append(("## " if markdown and rng.random() < 0.3 else "") + content)
        else:
            lines.append(content)
        if spaced:
            lines.append("")
    return lines


def render_text(report: dict, layout: str, rng: random.Random, encoding: str = "utf-8",
                trace: dict | None = None) -> bytes:
    """The whole report in one of the text layouts, encoded."""
    if layout in NO_BLANK_LAYOUTS and "blank" in report.get("kinds", {}).values():
        raise ValueError(f"the {layout} layout cannot print blank cells")
    style = Style.random(rng, flow=layout == "flow")
    join = style.choose("label_break", ("", " "))
    t2, t3, t4 = grids(report, style)
    tables = {2: t2, 3: t3, 4: t4}
    blocks = document(report, rng, style)
    if layout == "flow":
        runs: dict[str, str] = {}
        text = flow_document(blocks, tables, style, join, runs, report)
        if trace is not None:
            trace["runs"] = runs
    else:
        newline = style.choose("newline", ("\r\n", "\n", "\n", "\n", "\n"))
        text = newline.join(_text_lines(blocks, tables, layout, style, join)) + newline
    if trace is not None:
        trace["style"] = style
    return text.encode(encoding)
