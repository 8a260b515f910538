"""HTML pages: the report's tables as rows of cells, everything else as lines of text.

Sites wrap the report in navigation, scripts and footers, and Word-pasted tables bring
colspan/rowspan, numbers split across ``<span>``s and ``&nbsp;`` or ``<o:p>`` for blank cells.  A
cell's text is all its text joined, so split numbers come back whole; each ``<td>`` is one cell
(colspan is not repeated: the parser reads rows relative to their labels).  A table holding other
tables is layout, not data: its cells are walked as text.
"""

from __future__ import annotations

import re

import lxml.html
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


def read_html_rows(text: str, name: str = "") -> list[Row]:
    try:
        root = lxml.html.document_fromstring(_XML_DECL.sub("", text, count=1))
    except (etree.ParserError, ValueError) as e:
        raise UnreadableFile(f"HTML cannot be parsed: {e}", name) from None
    walker = _Walker()
    walker.walk(root)
    walker.flush()
    return walker.rows


def _cell_text(td) -> str:
    return _WS.sub(" ", "".join(td.itertext())).strip()


class _Walker:
    def __init__(self):
        self.rows: list[Row] = []
        self.buf: list[str] = []
        self.ntables = 0

    def flush(self):
        if self.buf:
            line = _WS.sub(" ", "".join(self.buf)).strip()
            self.buf = []
            if line:
                self.rows.append(Row([line], f"text {len(self.rows) + 1}"))

    def walk(self, el):
        tag = el.tag
        if not isinstance(tag, str):  # comments, processing instructions
            if el.tail:
                self.buf.append(el.tail)
            return
        tag = tag.lower().rpartition("}")[2]
        if tag in _SKIP:
            if el.tail:
                self.buf.append(el.tail)
            return
        if tag == "table" and not _has_nested_table(el):
            self.flush()
            self._table(el)
            if el.tail:
                self.buf.append(el.tail)
            return
        block = tag in _BLOCK or tag in ("table", "tr", "td", "th", "tbody")
        if block:
            self.flush()
        if el.text:
            self.buf.append(el.text)
        for child in el:
            self.walk(child)
        if block:
            self.flush()
        if el.tail:
            self.buf.append(el.tail)

    def _table(self, table):
        self.ntables += 1
        k = 0
        for tr in table.iter("tr"):
            k += 1
            cells = [_cell_text(td) for td in tr if isinstance(td.tag, str) and td.tag in ("td", "th")]
            if cells:
                self.rows.append(Row(cells, f"table {self.ntables} row {k}", True))


def _has_nested_table(table) -> bool:
    for _ in table.iterdescendants("table"):
        return True
    return False
