"""Random reports rendered as DOCX, XLSX and PDF read back: by the readers, and by the parser.

Two levels: the reader's rows must carry every printed cell of the three tables in the shape the
parser expects (a label, then the row's values; table 4 as fifteen cells), and the whole round
trip ``parse(render(report)) == report`` must hold, values and blank/dash kinds included.  PDF
renderings go through LibreOffice (about a second each) and are skipped without it.
"""

from __future__ import annotations

import random
import re
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao.generate import random_report
from nianbao.generate.office import DASHES, render_docx, render_pdf, render_xlsx
from nianbao.model import (
    FORMAT_2019,
    FORMAT_2021,
    TABLE_ACTIVE,
    TABLE_APPLICATIONS,
    TABLE_REVIEW,
    active_items,
    application_columns,
    application_rows,
    cell_keys,
    codes,
    review_groups,
    review_outcomes,
)
from nianbao.read.docx import read_docx_rows
from nianbao.read.pdf import read_pdf_rows
from nianbao.read.xlsx import read_xlsx_rows

SEEDS = st.integers(0, 2**32 - 1)
FORMATS = st.sampled_from((FORMAT_2021, FORMAT_2019))
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (soffice) is not installed")
SLOW = [HealthCheck.too_slow]

NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _token(text: str) -> str | None:
    """A value cell as a comparable token; None for text that is no value."""
    if text in DASHES:
        return "dash"
    if text == "" or NUMBER.match(text):
        return text
    return None


def _printed(report: dict, key: tuple[str, str, str]) -> str:
    kind = report["kinds"].get(".".join(key), "number")
    if kind != "number":
        return "" if kind == "blank" else "dash"
    v = report[key[0]][key[1]][key[2]]
    return str(int(v)) if float(v).is_integer() else f"{v:.2f}".rstrip("0")


def reader_problems(report: dict, rows) -> list[str]:
    """Check the reader's rows against the report: table 2 items, table 3 rows, table 4."""
    fmt = report["format"]
    problems = []
    cells = [r.cells for r in rows]
    labels = {it["code"]: it["label"] for it in
              codes()["active_disclosure_2019" if fmt == FORMAT_2019 else "active_disclosure"][
                  "items"]}
    for item, metrics in active_items(fmt):
        want = [_printed(report, (TABLE_ACTIVE, item, m)) for m in metrics]
        got = [[_token(x) for x in c[1:]] for c in cells if c and c[0] == labels[item]]
        if want not in got:
            problems.append(f"table 2 {item}: {want} not in {got}")
    want3 = [[_printed(report, (TABLE_APPLICATIONS, row, col)) for col in application_columns()]
             for row in application_rows(fmt)]
    got3 = []
    for c in cells:
        if 8 <= len(c) < 15 and any(_token(x) is None for x in c[:-7]):
            tail = [_token(x) for x in c[-7:]]
            if None not in tail:
                got3.append(tail)
    if got3 != want3:
        problems.append(f"table 3: {got3} != {want3}")
    want4 = [_printed(report, (TABLE_REVIEW, g, o)) for g in review_groups()
             for o in review_outcomes()]
    got4 = [[_token(x) for x in c] for c in cells if len(c) == 15]
    got4 = [t for t in got4 if None not in t]
    if got4 != [want4]:
        problems.append(f"table 4: {got4} != {[want4]}")
    return problems


@settings(max_examples=40, deadline=None, suppress_health_check=SLOW)
@given(seed=SEEDS, fmt=FORMATS)
def test_docx_rows_carry_every_cell(seed, fmt):
    report = random_report(random.Random(seed), fmt)
    rows = read_docx_rows(render_docx(report, random.Random(seed)))
    assert reader_problems(report, rows) == []
    assert rows[0].cells[0].startswith(report["office"])


@settings(max_examples=40, deadline=None, suppress_health_check=SLOW)
@given(seed=SEEDS, fmt=FORMATS, layout=st.sampled_from(("one", "sheets")))
def test_xlsx_rows_carry_every_cell(seed, fmt, layout):
    report = random_report(random.Random(seed), fmt)
    rows = read_xlsx_rows(render_xlsx(report, random.Random(seed), layout=layout))
    assert reader_problems(report, rows) == []
    sheets = {r.where.split(" row ")[0] for r in rows}
    assert len(sheets) == (1 if layout == "one" else 3)


@needs_soffice
@pytest.mark.slow
@settings(max_examples=4, deadline=None, suppress_health_check=SLOW)
@given(seed=SEEDS, fmt=FORMATS, stacked=st.booleans())
def test_pdf_rows_carry_every_cell(seed, fmt, stacked):
    report = random_report(random.Random(seed), fmt)
    rows = read_pdf_rows(render_pdf(report, random.Random(seed), stacked=stacked))
    assert reader_problems(report, rows) == []
    if stacked:  # the group label printed one character per line comes back whole
        assert any("三、本年度办理结果" in "".join(r.cells) for r in rows)


# --------------------------------------------------------------------------- the whole round trip

def round_trip_problems(report: dict, parsed) -> list[str]:
    problems = [f"{f}: {getattr(parsed, f)!r} != {report[f]!r}"
                for f in ("office", "year", "format") if getattr(parsed, f) != report[f]]
    if problems:
        return problems
    cells = parsed.cell_map()
    for key in cell_keys(report["format"]):
        expected = report[key[0]][key[1]][key[2]]
        cell = cells.get(key)
        got = None if cell is None else cell.value
        if got is None or isinstance(got, bool) or abs(got - expected) > 1e-6:
            problems.append(f"{'.'.join(key)}: {got!r} != {expected!r}")
            continue
        derived = report["format"] == FORMAT_2021 and key[1] == "other_handling"
        kind = report["kinds"].get(".".join(key), "number")
        if not derived and cell.kind != kind:
            problems.append(f"{'.'.join(key)}: kind {cell.kind!r} != {kind!r} ({cell.raw!r})")
    return problems


def _parse_bytes():
    try:
        from nianbao.parse import parse_bytes
    except ImportError:  # pragma: no cover
        pytest.skip("nianbao.parse.parse_bytes is not there yet")
    return parse_bytes


RENDER = {
    "docx": lambda r, rng: render_docx(r, rng),
    "xlsx": lambda r, rng: render_xlsx(r, rng),
}


@pytest.mark.parametrize("ext", sorted(RENDER))
@settings(max_examples=30, deadline=None, suppress_health_check=SLOW)
@given(seed=SEEDS, fmt=FORMATS)
def test_office_round_trip(ext, seed, fmt):
    parse_bytes = _parse_bytes()
    report = random_report(random.Random(seed), fmt)
    data = RENDER[ext](report, random.Random(seed))
    parsed = parse_bytes(data, f"report.{ext}")
    assert parsed.source_format == ext
    assert round_trip_problems(report, parsed) == []


@needs_soffice
@pytest.mark.slow
@settings(max_examples=4, deadline=None, suppress_health_check=SLOW)
@given(seed=SEEDS, fmt=FORMATS)
def test_pdf_round_trip(seed, fmt):
    parse_bytes = _parse_bytes()
    report = random_report(random.Random(seed), fmt)
    parsed = parse_bytes(render_pdf(report, random.Random(seed)), "report.pdf")
    assert parsed.source_format == "pdf"
    assert round_trip_problems(report, parsed) == []
