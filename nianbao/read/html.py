"""HTML pages: the report's tables as rows of cells, everything else as lines of text.

Sites wrap the report in navigation, scripts and footers, and Word-pasted tables bring
colspan/rowspan, numbers split across ``<span>``s and ``&nbsp;`` or ``<o:p>`` for blank cells.  A
cell's text is all its text joined, so split numbers come back whole; each ``<td>`` is one cell
(colspan is not repeated: the parser reads rows relative to their labels).  A table holding other
tables is layout, not data: its cells are walked as text.
"""

from __future__ import annotations

import re

from lxml import etree

from nianbao.errors import UnreadableFile
from nianbao.read import Row

_SKIP = {"script", "style", "noscript", "template", "iframe", "object", "svg", "select",
         "button", "option"}
_BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section",
          "article", "header", "footer", "nav", "title", "dd", "dt", "dl", "blockquote", "pre",
          "hr", "form", "center", "aside", "main", "caption", "figure", "figcaption", "address"}
_WS = re.compile(r"[\s\xa0\u3000]+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # lxml refuses these


_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
_BLOCK_TAGS = tuple(_BLOCK | {"tr", "td", "th", "table", "tbody"})
_MARK = "\ue000"  # a private-use character: never in a page


def read_html_rows(text: str, name: str = "") -> list[Row]:
    text = _CONTROL.sub("", _XML_DECL.sub("", text, count=1))
    try:
        root = etree.fromstring(text, _PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise UnreadableFile(f"HTML cannot be parsed: {e}", name) from None
    if root is None:
        raise UnreadableFile("HTML has no content", name)
    etree.strip_elements(root, *_SKIP, with_tail=False)
    # Leaf tables become rows of cells; each is replaced in the tree by a marker line, so the
    # text around them keeps its order.
    tables: list[list[Row]] = []
    for table in [t for t in root.iter("table") if not _has_nested_table(t)]:
        k = len(tables)
        rows = []
        for j, tr in enumerate(table.iter("tr"), 1):
            cells = [_cell_text(td) for td in tr if td.tag in ("td", "th")]
            if cells:
                rows.append(Row(cells, f"table {k + 1} row {j}", True))
        tables.append(rows)
        tail = table.tail
        table.clear()
        table.text = f"\n{_MARK}{k}{_MARK}\n"
        table.tail = tail
    # Block elements break lines; the rest of the text is read in one pass.
    for el in root.iter(*_BLOCK_TAGS):
        el.tail = "\n" + el.tail if el.tail else "\n"
        if el.tag != "table":
            el.text = "\n" + el.text if el.text else "\n"
    out: list[Row] = []
    for line in "".join(root.itertext()).split("\n"):
        if _MARK in line:
            out.extend(tables[int(line.strip().strip(_MARK))])
            continue
        line = _WS.sub(" ", line).strip()
        if line:
            out.append(Row([line], f"text {len(out) + 1}"))
    return out


def _cell_text(td) -> str:
    return _WS.sub(" ", "".join(td.itertext())).strip()


def _has_nested_table(table) -> bool:
    for _ in table.iterdescendants("table"):
        return True
    return False
