"""HTML pages: the report's tables as rows of cells, everything else as lines of text.

Sites wrap the report in navigation, scripts and footers, and Word-pasted tables bring
colspan/rowspan, numbers split across ``<span>``s and ``&nbsp;`` or ``<o:p>`` for blank cells.  A
cell's text is all its text joined, so split numbers come back whole; each ``<td>`` is one cell
(colspan is not repeated: the parser reads rows relative to their labels).  A table holding other
tables is layout, not data: its cells are walked as text.  Preformatted text (``<pre>``, a page
showing a plain-text report) is read as the text reader reads a text file: tabs, pipes, lines.
"""

from __future__ import annotations

import re

from lxml import etree

from nianbao.errors import UnreadableFile
from nianbao.read import Row
from nianbao.read.text import read_text_rows

_SKIP = {"script", "style", "noscript", "template", "iframe", "object", "svg", "select",
         "button", "option"}
_BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section",
          "article", "header", "footer", "nav", "title", "dd", "dt", "dl", "blockquote",
          "hr", "form", "center", "aside", "main", "caption", "figure", "figcaption", "address"}
_WS = re.compile(r"[\s\xa0\u3000]+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # lxml refuses these


_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
_ROW, _CELL = "\ue000", "\ue001"  # private-use characters: never in a page
_PRE_START, _PRE_END = "\ue002", "\ue003"
_PRE_BLOCK = re.compile(f"{_PRE_START}(.*?){_PRE_END}", re.S)
_BLOCKS = "|".join(sorted(_BLOCK | {"table", "tr", "td", "th", "tbody"}))
# The walk over the page runs in libxslt: leaf tables become marked rows of cells, block
# elements break lines (so do line breaks in the source text: a label wrapped there is joined
# again by the parser, as for any text).
_TO_LINES = etree.XSLT(etree.XML(f"""
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="{'|'.join(sorted(_SKIP))}"/>
<xsl:template match="head">
  <xsl:text>&#10;</xsl:text><xsl:value-of select="normalize-space(title)"/><xsl:text>&#10;</xsl:text>
</xsl:template>
<xsl:template match="table[not(.//table)]">
  <xsl:text>&#10;</xsl:text>
  <xsl:for-each select=".//tr">
    <xsl:text>{_ROW}</xsl:text>
    <xsl:for-each select="td|th">
      <xsl:if test="position() &gt; 1"><xsl:text>{_CELL}</xsl:text></xsl:if>
      <xsl:value-of select="normalize-space(.)"/>
    </xsl:for-each>
    <xsl:text>&#10;</xsl:text>
  </xsl:for-each>
</xsl:template>
<xsl:template match="pre">
  <xsl:text>&#10;{_PRE_START}</xsl:text><xsl:value-of select="."/><xsl:text>{_PRE_END}&#10;</xsl:text>
</xsl:template>
<xsl:template match="{_BLOCKS}">
  <xsl:text>&#10;</xsl:text><xsl:apply-templates/><xsl:text>&#10;</xsl:text>
</xsl:template>
</xsl:stylesheet>""".encode()))


def read_html_rows(text: str, name: str = "") -> list[Row]:
    text = _XML_DECL.sub("", text, count=1)
    try:
        try:
            root = etree.fromstring(text, _PARSER)
        except ValueError:  # control characters lxml refuses: drop them and try again
            root = etree.fromstring(_CONTROL.sub("", text), _PARSER)
        if root is None:
            raise UnreadableFile("HTML has no content", name)
        flat = str(_TO_LINES(root))
    except (etree.ParserError, etree.XMLSyntaxError, etree.XSLTError, ValueError) as e:
        raise UnreadableFile(f"HTML cannot be parsed: {e}", name) from None
    out: list[Row] = []
    pos = npre = ntable = 0
    for m in _PRE_BLOCK.finditer(flat):
        ntable = _rows_of_lines(flat[pos:m.start()], out, ntable)
        npre += 1
        for row in read_text_rows(m.group(1)):
            row.where = f"pre {npre} {row.where}"
            out.append(row)
        pos = m.end()
    _rows_of_lines(flat[pos:], out, ntable)
    return out


def _rows_of_lines(flat: str, out: list[Row], ntable: int) -> int:
    """Rows of the walked page's lines (tables numbered on from `ntable`); the last number."""
    nrow = 0
    last_was_row = False
    for line in flat.split("\n"):
        if line.startswith(_ROW):
            if not last_was_row:
                ntable += 1
                nrow = 0
            nrow += 1
            cells = [_WS.sub(" ", c).strip() for c in line[1:].split(_CELL)]
            out.append(Row(cells, f"table {ntable} row {nrow}", True))
            last_was_row = True
            continue
        line = _WS.sub(" ", line).strip()
        if line:
            out.append(Row([line], f"text {len(out) + 1}"))
            last_was_row = False
    return ntable
