"""Readers: bytes of one file -> rows of cells, one module per format.

Every reader returns a list of :class:`Row`.  A row is a line of text, a ``<tr>``, a table row of a
Word or Excel file or a line of a PDF page; its cells are the strings as printed (a blank cell is
``""``).  Prose is a row with one cell.  The parser (``nianbao.parse``) only sees rows, so a new
format needs a reader and nothing else.
"""

from __future__ import annotations

from nianbao.read.rows import Row


def read_rows(data: bytes, name: str = "") -> tuple[list[Row], str]:
    """Rows of one file and the format they were read as (text, markdown, html, pdf, docx, xlsx).

    The format is told by the bytes (magic numbers, markup), the file name's extension only
    breaking ties, so a mislabelled download still reads.
    """
    from nianbao.errors import UnreadableFile, UnsupportedFormat
    from nianbao.read.limits import check_size

    check_size(data, "file")
    if not data.strip():
        raise UnreadableFile("empty file", name)
    head = data[:8]
    lower = name.lower()
    if head.startswith(b"%PDF"):
        from nianbao.read.pdf import read_pdf_rows

        return read_pdf_rows(data, name), "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _read_zip(data, name)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        from nianbao.read.office import convert_legacy

        target = "xlsx" if lower.endswith((".xls", ".et")) else "docx"
        return _read_zip(convert_legacy(data, name, target), name)
    from nianbao.read.text import decode_text, looks_like_html, read_text_rows

    if lower.endswith((".doc", ".docx", ".xls", ".xlsx", ".wps", ".pdf")):
        # Sites often serve a Word or Excel "web page" under .doc/.xls: read it as the HTML it is
        head_text = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if not (head_text.startswith((b"<", b"<!doctype")) and b"<html" in data[:65536].lower()):
            raise UnreadableFile(
                f"not a {lower.rsplit('.', 1)[-1]} file (its content does not match)", name)

    text = decode_text(data, name)
    if looks_like_html(text):
        from nianbao.read.html import read_html_rows

        return read_html_rows(text, name), "html"
    rows = read_text_rows(text)
    fmt = "markdown" if lower.endswith((".md", ".markdown")) or _has_pipe_tables(rows) else "text"
    if not rows:
        raise UnsupportedFormat("no text found", name)
    return rows, fmt


def _has_pipe_tables(rows: list[Row]) -> bool:
    return any(r.is_table and r.where.endswith("|") for r in rows[:400])


def _read_zip(data: bytes, name: str) -> tuple[list[Row], str]:
    from nianbao.errors import UnsupportedFormat
    from nianbao.read.limits import open_zip

    names = set(open_zip(data, "zip container").namelist())
    if "word/document.xml" in names:
        from nianbao.read.docx import read_docx_rows

        return read_docx_rows(data, name), "docx"
    if "xl/workbook.xml" in names:
        from nianbao.read.xlsx import read_xlsx_rows

        return read_xlsx_rows(data, name), "xlsx"
    raise UnsupportedFormat("a zip archive that is neither a Word (.docx) nor an Excel (.xlsx) file", name)

__all__ = ["Row", "read_rows"]
