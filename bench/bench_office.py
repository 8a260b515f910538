"""Office formats on one core: PDF pages/s, DOCX and XLSX files/s (reader alone and full parse).

Inputs: the real PDFs of ../shared/corpus when present, plus generated reports (DOCX and XLSX by
nianbao.generate.office; PDF printed from the DOCX by LibreOffice when it is installed — the
printing is not timed).  For the choice of PDF library, pdfplumber's own table extraction runs on
the same PDFs beside our PDFium reader.  Each figure is the median of the repeats.

    .venv/bin/python bench/bench_office.py [--repeat 5] [--seconds 1.0] [--generated 12]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import statistics
from pathlib import Path

from timing import rate

from nianbao.parse import parse_bytes
from nianbao.read.docx import read_docx_rows
from nianbao.read.pdf import read_pdf_rows
from nianbao.read.xlsx import read_xlsx_rows

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _pdf_pages(data: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return len(doc)
    finally:
        doc.close()


def _inputs(n: int):
    from nianbao.generate import random_report
    from nianbao.generate.office import render_docx, render_pdf, render_xlsx

    rng = random.Random(11)
    reports = [random_report(rng, "2021" if i % 3 else "2019") for i in range(n)]
    docx = [(f"g{i}.docx", render_docx(r, random.Random(i))) for i, r in enumerate(reports)]
    xlsx = [(f"g{i}.xlsx", render_xlsx(r, random.Random(i))) for i, r in enumerate(reports)]
    real_pdf = ([(str(p), p.read_bytes()) for p in sorted((CORPUS / "real" / "pdf").glob("*.pdf"))]
                if CORPUS.exists() else [])
    gen_pdf = []
    if shutil.which("soffice"):
        gen_pdf = [(f"g{i}.pdf", render_pdf(r, random.Random(i)))
                   for i, r in enumerate(reports[: max(1, n // 3)])]
    return real_pdf, gen_pdf, docx, xlsx


def _plumber_tables(data: bytes, name: str) -> None:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.extract_words()


def _show(label: str, rates: list[float], unit: str) -> None:
    med = statistics.median(rates)
    print(f"  {label:<42} {med:8.1f} {unit}/s   (min {min(rates):.1f}, max {max(rates):.1f})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--generated", type=int, default=12)
    args = ap.parse_args()
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    except (AttributeError, OSError):
        pass
    real_pdf, gen_pdf, docx, xlsx = _inputs(args.generated)
    pages = {name: _pdf_pages(data) for name, data in real_pdf + gen_pdf}

    def page_count(name, data):
        return pages[name]

    def parse(data, name):
        parse_bytes(data, name)

    print(f"office formats, one core, median of {args.repeat} runs of >= {args.seconds:g} s")
    for label, files in (("real PDFs", real_pdf), ("generated PDFs (LibreOffice)", gen_pdf)):
        if not files:
            print(f"  {label}: none (no corpus / no soffice)")
            continue
        n_pages = sum(pages[n] for n, _ in files)
        print(f" {label}: {len(files)} files, {n_pages} pages")
        _show("PDF read (PDFium + ruling grid)", rate(files, read_pdf_rows, args.seconds,
                                                         args.repeat, page_count), "pages")
        _show("PDF parse (read + parse)", rate(files, parse, args.seconds, args.repeat,
                                                page_count), "pages")
        _show("pdfplumber extract_tables+words (baseline)",
              rate(files, _plumber_tables, args.seconds, max(3, args.repeat // 2), page_count),
              "pages")
    print(f" generated DOCX: {len(docx)} files, {sum(len(d) for _, d in docx) // len(docx)} B avg")
    _show("DOCX read", rate(docx, read_docx_rows, args.seconds, args.repeat), "files")
    _show("DOCX parse (read + parse)", rate(docx, parse, args.seconds, args.repeat), "files")
    print(f" generated XLSX: {len(xlsx)} files, {sum(len(d) for _, d in xlsx) // len(xlsx)} B avg")
    _show("XLSX read", rate(xlsx, read_xlsx_rows, args.seconds, args.repeat), "files")
    _show("XLSX parse (read + parse)", rate(xlsx, parse, args.seconds, args.repeat), "files")


if __name__ == "__main__":
    main()
