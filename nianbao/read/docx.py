"""Word (.docx) reader: paragraphs and tables in document order -> rows.

python-docx opens the package (its lxml parser does not resolve entities, and
:func:`limits.open_zip` has already refused DOCTYPE/ENTITY declarations and zip bombs); the body
is then walked on the XML itself, because python-docx's ``row.cells`` repeats a merged cell once
per grid column it covers.  Here:

* a horizontally merged cell (``w:gridSpan``, or the legacy ``w:hMerge``) is one cell;
* a vertically merged continuation cell (``w:vMerge`` without ``restart``) is ``""``;
* a nested table's rows follow the row of the cell that holds it; a table whose rows all have a
  single cell (a layout frame around the content) is read as the blocks it holds;
* text comes from ``w:t`` only (deleted text ``w:delText`` is left out; the fallback copy of
  ``mc:AlternateContent`` is skipped so text boxes are not read twice);
* a cell's paragraphs are joined: nothing between CJK characters, a space between Latin words.
"""

from __future__ import annotations

import io
import zipfile

from nianbao.errors import NianbaoError, UnreadableFile
from nianbao.read import Row, limits

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_TRANSPARENT = {W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag", W + "ins"}


def read_docx_rows(data: bytes, name: str = "") -> list[Row]:
    body = _open_body(data)
    out: list[Row] = []
    _Walker(out).blocks(body)
    return out


def _open_body(data: bytes):
    zf = limits.open_zip(data, "Word document")
    zf.close()
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except NianbaoError:
        raise
    except PackageNotFoundError as e:
        raise UnreadableFile(f"not a Word document: {e}") from None
    except ValueError as e:  # wrong content type: an .xlsx/.pptx named .docx
        raise UnreadableFile(f"not a Word document: {e}") from None
    except (KeyError, zipfile.BadZipFile) as e:
        raise UnreadableFile(f"corrupt Word document: {e}") from None
    except Exception as e:  # lxml XMLSyntaxError and friends
        raise UnreadableFile(f"corrupt Word document: {type(e).__name__}: {e}") from None
    return document.element.body


def _is_wide(ch: str) -> bool:
    o = ord(ch)
    return o >= 0x2E80 or 0x2000 <= o <= 0x206F


def join_parts(parts: list[str]) -> str:
    """Join the lines of one cell: nothing between CJK, a space between Latin words."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and not (_is_wide(out[-1]) or _is_wide(part[0])):
            out += " "
        out += part
    return out


_TEXT_TAGS = (W + "t", W + "tab", W + "br", W + "cr")


def _para_text(p) -> str:
    buf: list[str] = []
    fallback = p.find(".//" + MC_FALLBACK) is not None
    for el in p.iter(*_TEXT_TAGS):
        if fallback and any(a.tag == MC_FALLBACK for a in el.iterancestors()):
            continue  # the fallback copy of a text box already read from mc:Choice
        tag = el.tag
        if tag == W + "t":
            buf.append(el.text or "")
        elif tag == W + "tab":
            buf.append(" ")
        else:
            buf.append("\n")
    return join_parts("".join(buf).split("\n"))


def _block_elems(parent):
    """Paragraphs and tables of a body or cell, in order, through content controls etc."""
    for el in parent:
        tag = el.tag
        if tag == W + "p" or tag == W + "tbl":
            yield el
        elif tag in _TRANSPARENT:
            yield from _block_elems(el)


class _Walker:
    def __init__(self, out: list[Row]):
        self.out = out
        self.n_par = 0
        self.n_tbl = 0

    def blocks(self, parent) -> None:
        for el in _block_elems(parent):
            if el.tag == W + "p":
                text = _para_text(el)
                if text:
                    self.n_par += 1
                    self.out.append(Row([text], f"paragraph {self.n_par}", False))
            else:
                self.table(el)

    def _rows(self, tbl):
        for el in tbl:
            if el.tag == W + "tr":
                yield el
            elif el.tag in _TRANSPARENT:
                yield from self._rows(el)

    def _cells(self, tr):
        for el in tr:
            if el.tag == W + "tc":
                yield el
            elif el.tag in _TRANSPARENT:
                yield from self._cells(el)

    def table(self, tbl) -> None:
        rows = [list(self._cells(tr)) for tr in self._rows(tbl)]
        if rows and all(len(r) == 1 for r in rows) and any(
            r[0].find(".//" + W + "tbl") is not None for r in rows
        ):
            for r in rows:  # a layout frame: read what it holds
                self.blocks(r[0])
            return
        self.n_tbl += 1
        t_no = self.n_tbl
        for i, tcs in enumerate(rows, 1):
            cells: list[str] = []
            nested = []
            for tc in tcs:
                tcpr = tc.find(W + "tcPr")
                if tcpr is not None:
                    hm = tcpr.find(W + "hMerge")
                    if hm is not None and hm.get(W + "val") != "restart":
                        continue  # legacy horizontal merge: covered by the cell to the left
                    vm = tcpr.find(W + "vMerge")
                    if vm is not None and vm.get(W + "val") != "restart":
                        cells.append("")  # merged down from the row above
                        continue
                parts = []
                for el in _block_elems(tc):
                    if el.tag == W + "p":
                        parts.append(_para_text(el))
                    else:
                        nested.append(el)
                cells.append(join_parts(parts))
            self.out.append(Row(cells, f"table {t_no} row {i}", True))
            for el in nested:
                self.table(el)
