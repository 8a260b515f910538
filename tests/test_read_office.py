"""Readers of PDF, Word and Excel files: real reports, hostile and broken files."""

from __future__ import annotations

import io
import random
import re
import shutil
import zipfile
import zlib
from pathlib import Path

import pytest

from nianbao.errors import FileTooLarge, UnreadableFile, UnsupportedFormat
from nianbao.read import limits
from nianbao.read.docx import read_docx_rows
from nianbao.read.office import convert_legacy
from nianbao.read.pdf import Char, Page, page_rows, read_pdf_rows
from nianbao.read.xlsx import read_xlsx_rows

SHARED = Path(__file__).parents[2] / "shared"
CORPUS = SHARED / "corpus" / "real"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")

NUM = re.compile(r"^\d+(\.\d+)?$")


def _corpus(rel: str) -> bytes:
    return (CORPUS / rel).read_bytes()


def _values(cells: list[str], n: int) -> list[int] | None:
    tail = cells[-n:]
    if len(cells) < n or not all(NUM.match(c) for c in tail):
        return None
    return [int(c) for c in tail]


# --------------------------------------------------------------------------- real PDFs

TABLE3 = {
    "2023_huaian_hongzequ": {
        "一、本年新收政府信息公开申请数量": [21, 0, 0, 0, 0, 0, 21],
        "1.本机关不掌握相关政府信息": [10, 0, 0, 0, 0, 0, 10],
        "（七）总计": [21, 0, 0, 0, 0, 0, 21],
    },
    "2024_huaian_hongzequ": {
        "（一）予以公开": [50, 0, 0, 0, 0, 0, 50],
        "1.本机关不掌握相关政府信息": [31, 0, 0, 0, 0, 0, 31],
        "（七）总计": [95, 0, 0, 0, 0, 0, 95],
    },
    "2024_huaian_shi": {
        "一、本年新收政府信息公开申请数量": [3001, 53, 0, 0, 61, 4, 3119],
        "2.其他法律行政法规禁止公开": [30, 1, 0, 0, 0, 0, 31],
        "3、其他": [108, 2, 0, 0, 0, 0, 110],
        "（七）总计": [2932, 53, 0, 0, 61, 4, 3050],
        "四、结转下年度继续办理": [103, 0, 0, 0, 0, 0, 103],
    },
}
TABLE4 = {
    "2023_huaian_hongzequ": [10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0],
    "2024_huaian_hongzequ": [1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3],
    "2024_huaian_shi": [72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20],
}
TABLE3_ROWS = {"2023_huaian_hongzequ": 23, "2024_huaian_hongzequ": 23, "2024_huaian_shi": 25}


@needs_corpus
@pytest.mark.parametrize("name", sorted(TABLE4))
def test_real_pdf_tables(name):
    rows = read_pdf_rows(_corpus(f"pdf/{name}.pdf"), name)
    # table 3: a label cell (or cells) then seven values, one row per printed row
    t3 = [r for r in rows if r.is_table and len(r.cells) < 15 and _values(r.cells, 7)]
    assert len(t3) == TABLE3_ROWS[name]
    by_label = {next(c for c in r.cells if c): _values(r.cells, 7) for r in t3}
    by_label.update({r.cells[-8]: _values(r.cells, 7) for r in t3 if len(r.cells) >= 8})
    for label, values in TABLE3[name].items():
        assert by_label[label] == values, label
    # table 4: fifteen values in one row
    t4 = [_values(r.cells, 15) for r in rows if r.is_table and len(r.cells) == 15]
    assert [v for v in t4 if v] == [TABLE4[name]]
    texts = [" ".join(r.cells) for r in rows]
    # the vertical label stacked one character per line comes out whole
    assert any("三、本年度办理结果" in t for t in texts)
    # page markers (- 3 -) are dropped, prose is kept
    assert not any(re.fullmatch(r"-\s*\d+\s*-", t) for t in texts)
    assert any("政府信息公开工作年度报告" in t for t in texts)


@needs_corpus
def test_real_pdf_table2_and_wrapped_labels():
    rows = read_pdf_rows(_corpus("pdf/2023_huaian_hongzequ.pdf"))
    cells = [r.cells for r in rows if r.is_table]
    assert ["规章", "0", "0", "0"] in cells
    assert ["行政规范性文件", "0", "5", "5"] in cells
    assert ["行政事业性收费", "7730.28"] in cells
    # a label wrapped over two lines inside its cell is one cell of its row
    wrapped = [c for c in cells if any(x.startswith("（二）部分公开") for x in c)]
    assert len(wrapped) == 1
    label = next(x for x in wrapped[0] if x.startswith("（二）部分公开"))
    assert label.replace(" ", "").endswith("不计其他情形）")
    assert _values(wrapped[0], 7) == [4, 0, 0, 0, 0, 0, 4]


# --------------------------------------------------------------------------- the blank template

@needs_corpus
def test_blank_template_docx():
    rows = read_docx_rows(_corpus("templates/blank_template_guobanhan2021_30.docx"))
    cells = [r.cells for r in rows]
    assert ["政府信息公开工作年度报告格式模板"] in cells
    # a horizontally merged cell appears once
    assert ["第二十条第（一）项"] in cells
    assert ["信息内容", "本年处理决定数量"] in cells
    assert ["行政许可", ""] in cells
    # full-width spaces in an empty cell read as blank
    assert ["规章", "", "", ""] in cells
    assert ["一、本年新收政府信息公开申请数量"] + [""] * 7 in cells
    # vertically merged continuation cells give ""
    assert ["", "", "2.其他法律行政法规禁止公开"] + [""] * 7 in cells
    assert ["三、本年度办理结果", "（一）予以公开"] + [""] * 7 in cells
    # table 4: header rows then one row of fifteen blank cells
    t4 = [r for r in rows if r.is_table and len(r.cells) == 15]
    assert t4[-1].cells == [""] * 15
    assert t4[0].cells[:6] == ["", "", "", "", "", "结果维持"]
    assert all(r.is_table for r in rows if len(r.cells) > 1)


# --------------------------------------------------------------------------- hostile and broken

def _pdf(objects: list[bytes]) -> bytes:
    """A minimal PDF from numbered object bodies (1-based), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(dict_body: bytes, data: bytes) -> bytes:
    return b"<< " + dict_body + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def scanned_pdf(pages: int = 1, page_numbers: bool = False) -> bytes:
    """Image-only pages: what a scanner produces (no text layer), with printed page numbers
    (``- 1 -``, a little text over the image) if asked."""
    kids = b" ".join(b"%d 0 R" % (3 + 3 * i) for i in range(pages))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages]
    pixels = bytes((x * 7 + y * 13) % 256 for y in range(32) for x in range(32))
    for i in range(pages):
        image, content = 4 + 3 * i, 5 + 3 * i
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
                    b"<< /XObject << /Im0 %d 0 R >> /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                    % (image, 3 * pages + 3, content))
        objs.append(_stream(b"/Type /XObject /Subtype /Image /Width 32 /Height 32 "
                            b"/ColorSpace /DeviceGray /BitsPerComponent 8", pixels))
        number = b" BT /F1 10 Tf 290 30 Td (- %d -) Tj ET" % (i + 1) if page_numbers else b""
        objs.append(_stream(b"", b"q 595 0 0 842 0 0 cm /Im0 Do Q" + number))
        assert len(objs) == content
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return _pdf(objs)


def text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with Latin text lines (Helvetica), for the happy path without a corpus."""
    ops = b"BT /F1 12 Tf 72 770 Td 16 TL " + b" ".join(
        b"(" + s.encode("latin-1") + b") Tj T*" for s in lines) + b" ET"
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
        b"<< /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        _stream(b"", ops),
    ])


@pytest.mark.parametrize("page_numbers", [False, True])
def test_scanned_pdf_is_quarantined_with_reason(page_numbers):
    with pytest.raises(UnreadableFile) as e:
        read_pdf_rows(scanned_pdf(2, page_numbers), "scan.pdf")
    assert e.value.reason == "no text layer (scanned)"


def test_minimal_text_pdf_reads():
    rows = read_pdf_rows(text_pdf(["Hello world", "Total            21", "- 1 -"]))
    assert [r.cells for r in rows] == [["Hello world"], ["Total", "21"]]


@pytest.mark.parametrize("mangle", [
    lambda b: b[: len(b) // 3],  # truncated download
    lambda b: b[:20] + bytes(range(256)) * 40,  # header, then junk
])
def test_corrupt_pdf(mangle):
    with pytest.raises(UnreadableFile) as e:
        read_pdf_rows(mangle(scanned_pdf()))
    assert e.value.reason.startswith(("corrupt PDF", "no text layer"))


def test_not_a_pdf_at_all():
    with pytest.raises(UnreadableFile, match="corrupt PDF"):
        read_pdf_rows(b"<html>this is not a pdf</html>")


def test_pdf_page_limit(monkeypatch):
    monkeypatch.setattr(limits, "MAX_PDF_PAGES", 2)
    with pytest.raises(FileTooLarge, match="3 pages"):
        read_pdf_rows(scanned_pdf(3))


def test_file_size_limit(monkeypatch):
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1000)
    with pytest.raises(FileTooLarge, match="over the limit"):
        read_pdf_rows(scanned_pdf(1))
    with pytest.raises(FileTooLarge):
        read_docx_rows(_small_docx())


def _small_docx(extra: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None,
                compression=zipfile.ZIP_DEFLATED) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("淮安市人民政府2024年政府信息公开工作年度报告")
    t = d.add_table(rows=2, cols=3)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "merged"
    t.cell(1, 2).text = "7"
    buf = io.BytesIO()
    d.save(buf)
    if not extra and not replace:
        return buf.getvalue()
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as z:
        for info in src.infolist():
            data = (replace or {}).get(info.filename, src.read(info.filename))
            z.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def test_small_docx_reads():
    rows = read_docx_rows(_small_docx())
    assert [r.cells for r in rows] == [
        ["淮安市人民政府2024年政府信息公开工作年度报告"], ["merged", ""], ["", "", "7"]]


def test_zip_bomb_docx_ratio():
    bomb = _small_docx(extra={"word/media/image1.png": b"\0" * (40 * limits.MB)})
    assert len(bomb) < 200_000
    with pytest.raises(FileTooLarge) as e:
        read_docx_rows(bomb, "bomb.docx")
    assert "zip bomb" in e.value.reason and "compressed" in e.value.reason


def test_zip_bomb_docx_total(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ZIP_UNCOMPRESSED", 2 * limits.MB)
    noise = random.Random(0).randbytes(3 * limits.MB)
    assert len(zlib.compress(noise)) > limits.MB  # hardly compressible: not the ratio check
    bomb = _small_docx(extra={"word/media/image1.bin": noise})
    with pytest.raises(FileTooLarge, match="decompress to over 2 MB"):
        read_docx_rows(bomb)
    with pytest.raises(FileTooLarge, match="decompress to over 2 MB"):
        read_xlsx_rows(bomb)


XXE = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
       b"<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>")


def test_external_entities_are_refused():
    with pytest.raises(UnreadableFile, match="DOCTYPE"):
        read_docx_rows(_small_docx(replace={"word/document.xml": XXE}))
    utf16 = XXE.decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
    with pytest.raises(UnreadableFile, match="DOCTYPE"):
        read_docx_rows(_small_docx(replace={"word/document.xml": utf16.encode("utf-16")}))


def test_corrupt_docx():
    good = _small_docx()
    with pytest.raises(UnreadableFile, match="corrupt Word document"):
        read_docx_rows(good[: len(good) // 2])
    with pytest.raises(UnreadableFile, match="corrupt Word document"):
        read_docx_rows(b"\x00" * 5000)
    broken_xml = _small_docx(replace={"word/document.xml": b"<w:document><w:body>"})
    with pytest.raises(UnreadableFile, match="corrupt Word document"):
        read_docx_rows(broken_xml)


def test_xlsx_given_as_docx():
    with pytest.raises(UnreadableFile, match="not a Word document"):
        read_docx_rows(_xlsx())


def test_corrupt_xlsx():
    good = _xlsx()
    with pytest.raises(UnreadableFile, match="corrupt Excel workbook"):
        read_xlsx_rows(good[:-200])
    with pytest.raises(UnreadableFile, match="not an Excel workbook|corrupt Excel workbook"):
        read_xlsx_rows(_small_docx())


# --------------------------------------------------------------------------- Word structures

def test_docx_merges_and_nested_tables():
    import docx

    d = docx.Document()
    d.add_paragraph("title")
    t = d.add_table(rows=3, cols=4)
    t.cell(0, 0).merge(t.cell(0, 3)).text = "across"
    t.cell(1, 0).merge(t.cell(2, 0)).text = "down"
    for j in range(1, 4):
        t.cell(1, j).text = str(j)
        t.cell(2, j).text = str(10 + j)
    inner = t.cell(2, 3).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "a"
    inner.cell(0, 1).text = "b"
    d.add_paragraph("after")
    buf = io.BytesIO()
    d.save(buf)
    rows = read_docx_rows(buf.getvalue())
    assert [r.cells for r in rows] == [
        ["title"], ["across"], ["down", "1", "2", "3"], ["", "11", "12", "13"], ["a", "b"],
        ["after"]]
    assert [r.is_table for r in rows] == [False, True, True, True, True, False]


# --------------------------------------------------------------------------- Excel

def _xlsx() -> bytes:
    import openpyxl
    from openpyxl.styles import Border, Side

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表三"
    ws["B1"] = "三、收到和处理政府信息公开申请情况"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws["B3"] = "一、本年新收政府信息公开申请数量"
    ws.merge_cells("B3:C3")
    for j, v in enumerate([21, 0, 0, 0, 0, 0, 21.0]):
        ws.cell(row=3, column=4 + j, value=v)
    ws["B4"] = "三、本年度办理结果"
    ws.merge_cells("B4:B5")
    ws["C4"] = "（一）予以公开"
    ws["C5"] = "（二）部分公开"
    ws["D5"] = 7730.28
    for r in range(3, 6):
        for c in range(2, 11):
            ws.cell(row=r, column=c).border = box
    ws2 = wb.create_sheet("表四")
    ws2.append([1, 2, 3])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_rows():
    rows = read_xlsx_rows(_xlsx())
    assert [r.cells for r in rows] == [
        ["三、收到和处理政府信息公开申请情况"],
        ["一、本年新收政府信息公开申请数量", "21", "0", "0", "0", "0", "0", "21"],
        ["三、本年度办理结果", "（一）予以公开", "", "", "", "", "", "", ""],
        ["", "（二）部分公开", "7730.28", "", "", "", "", "", ""],
        ["1", "2", "3"],
    ]
    assert rows[0].is_table is False and rows[1].is_table is True
    assert rows[1].where == "sheet 表三 row 3" and rows[-1].where == "sheet 表四 row 1"


# --------------------------------------------------------------------------- legacy Office

def test_legacy_without_libreoffice(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(UnsupportedFormat) as e:
        convert_legacy(b"\xd0\xcf\x11\xe0" + b"\0" * 100, "report.doc", "docx")
    assert e.value.reason == "legacy Word file (.doc); LibreOffice is not installed to convert it"
    with pytest.raises(UnsupportedFormat, match=r"legacy Excel file \(\.xls\)"):
        convert_legacy(b"\xd0\xcf\x11\xe0", "report.xls", "xlsx")


needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice absent")


@needs_soffice
@needs_corpus
@pytest.mark.slow
def test_legacy_doc_round_trip():
    legacy = _to_legacy(_corpus("templates/blank_template_guobanhan2021_30.docx"), "doc")
    assert legacy.startswith(b"\xd0\xcf\x11\xe0")
    rows = read_docx_rows(convert_legacy(legacy, "template.doc", "docx"))
    cells = [r.cells for r in rows]
    assert ["", "", "2.其他法律行政法规禁止公开"] + [""] * 7 in cells
    assert [""] * 15 in cells


@needs_soffice
@pytest.mark.slow
def test_legacy_xls_round_trip():
    legacy = _to_legacy(_xlsx(), "xls", "xlsx")
    rows = read_xlsx_rows(convert_legacy(legacy, "report.xls", "xlsx"))
    assert [r.cells for r in rows] == [r.cells for r in read_xlsx_rows(_xlsx())]


@needs_soffice
def test_legacy_timeout():
    with pytest.raises(UnreadableFile, match="timed out"):
        convert_legacy(_small_docx(), "x.docx", "pdf", timeout=0.01)


def _to_legacy(data: bytes, fmt: str, src_fmt: str = "docx") -> bytes:
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"in.{src_fmt}"
        src.write_bytes(data)
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/p", "--headless",
                        "--convert-to", fmt, "--outdir", tmp, str(src)], check=True,
                       capture_output=True, timeout=120)
        return (Path(tmp) / f"in.{fmt}").read_bytes()


# --------------------------------------------------------------------------- PDF layout (no PDFium)

def _chars(text: str, x: float, top: float, size: float = 10.0, advance: float | None = None):
    adv = advance or size
    return [Char(ch, x + i * adv, x + i * adv + size * 0.9, top, top + size)
            for i, ch in enumerate(text) if ch != " "]


def test_layout_without_rulings_splits_on_gaps_and_drops_markers():
    numbers = [c for k, n in enumerate(["10", "1", "0", "0", "2"])
               for c in _chars(n, 72 + 40 * k, 130, advance=5.5)]
    chars = (_chars("行政许可", 72, 100) + _chars("550", 300, 100, advance=5.5) + numbers
             + _chars("-3-", 280, 800, advance=5))
    rows = page_rows(Page(595, 842, chars), 3)
    assert [r.cells for r in rows] == [["行政许可", "550"], ["10", "1", "0", "0", "2"]]
    assert rows[0].where == "page 3 line 1" and not rows[0].is_table


def test_layout_grid_with_merged_cells_and_stacked_label():
    # 3 columns x 3 rows; column 0 merged over rows 1-2; row 0 merged across columns 1-2.
    ys = [100, 130, 160, 190]  # columns at x = 50, 100, 200, 300
    h = [(ys[0], 50, 300), (ys[3], 50, 300), (ys[1], 50, 300), (ys[2], 100, 300)]
    v = [(50, 100, 190), (300, 100, 190), (100, 100, 190), (200, 130, 190)]
    chars = (_chars("表", 60, 105) + _chars("标题", 150, 105)
             + [c for k, ch in enumerate("三本年") for c in _chars(ch, 70, 132 + k * 18, size=8)]
             + _chars("12", 140, 135, advance=5) + _chars("3", 240, 135)
             + _chars("4", 140, 165) + _chars("5", 240, 165))
    rows = page_rows(Page(595, 842, chars, h, v), 1)
    assert [r.cells for r in rows] == [["表", "标题"], ["三本年", "12", "3"], ["", "4", "5"]]
    assert all(r.is_table for r in rows)


def test_row_split_by_a_page_break_is_joined():
    from nianbao.read.pdf import _join_split_row

    a = ["", "", "2.没有现成信息需要另行", "0", "0", "1", "1", "0", "0", "2"]
    b = ["", "", "制作", "", "", "", "", "", "", ""]
    assert _join_split_row(a, b) == ["", "", "2.没有现成信息需要另行制作", "0", "0", "1", "1", "0",
                                     "0", "2"]
    # a real next row (values of its own), or text where the row above had none: kept apart
    assert _join_split_row(a, ["", "", "3.补正后申请内容仍不明确"] + ["0"] * 7) is None
    assert _join_split_row(a, ["", "（五）不予处理", "", "", "", "", "", "", "", ""]) is None
    assert _join_split_row(["信息内容", "本年处理决定数量"], ["行政许可", ""]) is None


def test_rulings_drawn_as_thin_filled_rectangles():
    # Word's "Save as PDF" draws cell borders as thin filled rectangles, not stroked lines.
    rules = b"".join(b"100 %d 200 0.5 re f " % y for y in (660, 680, 700)) + b"".join(
        b"%d 660 0.5 40.5 re f " % x for x in (100, 200, 300))
    text = (b"BT /F1 10 Tf 105 685 Td (Label) Tj 100 0 Td (12) Tj -100 -20 Td (Other) Tj "
            b"100 0 Td (3) Tj ET")
    data = _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
        b"<< /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        _stream(b"", rules + text),
    ])
    rows = read_pdf_rows(data)
    assert [(r.cells, r.is_table) for r in rows] == [(["Label", "12"], True),
                                                     (["Other", "3"], True)]
