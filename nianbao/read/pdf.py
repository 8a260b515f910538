"""PDF reader: a text layer -> rows of cells, using the positions of characters and ruling lines.

pypdfium2 (PDFium) gives every character with its box and every path object with its segments;
the layout is rebuilt here in plain Python:

* ruling lines (stroked horizontal/vertical segments, and filled rectangles thin enough to be a
  line) that cross each other form a table; its distinct x and y positions make a grid, and a grid
  edge with no line on it joins the two grid cells (a merged cell).  Every character goes to the
  cell under its centre; a cell's lines are joined (so a label wrapped over several lines, or a
  vertical label stacked one character per line, comes out as one string).  A table row gives one
  cell per merged cell that starts in it; a cell merged down from the row above gives "".
* characters outside tables are grouped into lines by their vertical position; a line is split
  into cells where a gap is wider than two characters (tables drawn without lines, table 4 printed
  as one line of 15 numbers).  Page markers (``- 4 -``, ``第 4 页``) are dropped.

Measured on the three real reports of the corpus (5-6 pages each): pypdfium2 took ~10 ms per
file for characters and paths, pdfplumber ~220 ms for its words alone (it parses the page with
pdfminer in Python), with the same characters; the table grids built here agree with
pdfplumber's ``find_tables`` on those pages.
"""

from __future__ import annotations

import bisect
import ctypes
import re
import threading
from dataclasses import dataclass, field

from nianbao.errors import NianbaoError, UnreadableFile
from nianbao.read import Row, limits

# PDFium is not thread-safe: one document at a time in this process.
_LOCK = threading.Lock()

TOL = 3.0  # points: lines closer than this are the same line; gaps smaller than this are closed
THIN = 2.5  # a filled rectangle thinner than this is a ruling line
MAX_SEGMENTS = 3000  # per page; more and the page is read without tables


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float  # distance from the top of the page
    bottom: float
    spaces: int = 0  # space characters that follow this one in the text layer

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def size(self) -> float:
        return max(self.bottom - self.top, 1.0)


@dataclass(slots=True)
class Page:
    width: float
    height: float
    chars: list[Char] = field(default_factory=list)
    hsegs: list[tuple[float, float, float]] = field(default_factory=list)  # (y, x0, x1)
    vsegs: list[tuple[float, float, float]] = field(default_factory=list)  # (x, y0, y1)
    images: int = 0


# --------------------------------------------------------------------------------------------
# Extraction with PDFium


def read_pdf_rows(data: bytes, name: str = "") -> list[Row]:
    pages = extract_pages(data)
    n_chars = sum(len(p.chars) for p in pages)
    # A scan: no text at all, or images with no more text than a stamp or page numbers.
    if n_chars == 0 or (n_chars < 20 * len(pages) and any(p.images for p in pages)
                        and n_chars < 200):
        raise UnreadableFile("no text layer (scanned)")
    _check_unicode(pages)
    rows: list[Row] = []
    for no, page in enumerate(pages, 1):
        more = page_rows(page, no)
        if rows and more and rows[-1].is_table and more[0].is_table:
            merged = _join_split_row(rows[-1].cells, more[0].cells)
            if merged is not None:
                rows[-1] = Row(merged, rows[-1].where, True)
                more = more[1:]
        rows.extend(more)
    if not rows:
        raise UnreadableFile("no text layer (scanned)")
    return rows


def extract_pages(data: bytes) -> list[Page]:
    """Characters and ruling segments of every page (top-down coordinates, in points)."""
    limits.check_size(data, "PDF")
    if b"%PDF-" not in data[:1024]:
        raise UnreadableFile("corrupt PDF: no %PDF header")
    import pypdfium2 as pdfium

    with _LOCK:
        try:
            doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as e:
            msg = str(e)
            if "password" in msg.lower():
                raise UnreadableFile("encrypted PDF: a password is required") from None
            raise UnreadableFile(f"corrupt PDF: {msg}") from None
        try:
            n = len(doc)
            if n == 0:
                raise UnreadableFile("corrupt PDF: no pages")
            limits.check_pages(n)
            return [_extract_page(doc, i) for i in range(n)]
        except NianbaoError:
            raise
        except Exception as e:  # PdfiumError and anything PDFium trips on inside a page
            raise UnreadableFile(f"corrupt PDF: {type(e).__name__}: {e}") from None
        finally:
            doc.close()


def _extract_page(doc, index: int) -> Page:
    import pypdfium2.raw as raw

    page = doc[index]
    try:
        width, height = page.get_size()
        if page.get_rotation() in (90, 270):  # get_size is as displayed; we work unrotated
            width, height = height, width
        out = Page(width=width, height=height)
        tp = page.get_textpage()
        try:
            _extract_chars(raw, tp.raw, height, out)
        finally:
            tp.close()
        _extract_paths(raw, page.raw, height, out)
        return out
    finally:
        page.close()


def _extract_chars(raw, tp, height: float, out: Page) -> None:
    n = raw.FPDFText_CountChars(tp)
    start = len(out.chars)
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    loose = raw.FS_RECTF()
    for i in range(n):
        if raw.FPDFText_IsGenerated(tp, i):
            continue
        code = raw.FPDFText_GetUnicode(tp, i)
        if code in (0x20, 0x09, 0xA0, 0x3000):
            if out.chars and start <= len(out.chars) - 1:
                out.chars[-1].spaces += 1  # kept as a mark on the character before it
            continue
        if code in (0x0A, 0x0D, 0xFEFF, 0):
            continue
        if not raw.FPDFText_GetCharBox(tp, i, left, right, bottom, top):
            continue
        x0, x1, b, t = left.value, right.value, bottom.value, top.value
        w, h = x1 - x0, t - b
        # The loose box spans the font's ascent..descent (the same for every glyph of a line);
        # some stacked or oddly scaled glyphs get absurd loose boxes: fall back on the tight one.
        if raw.FPDFText_GetLooseCharBox(tp, i, loose):
            lw, lh = loose.right - loose.left, loose.top - loose.bottom
            em = max(w, h, 1.0)
            if 0 < lw <= 2.5 * em + 2 and 0 < lh <= 2.5 * em + 2:
                b, t = loose.bottom, loose.top
            else:
                cy = (b + t) / 2
                b, t = cy - em / 2, cy + em / 2
        try:
            ch = chr(code)
        except ValueError:
            ch = "\ufffd"
        out.chars.append(Char(ch, x0, x1, height - t, height - b))


def _mat_mul(m, n):
    """m then n (PDF matrices a b c d e f)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E,
            e * B + f * D + F)


def _extract_paths(raw, page, height: float, out: Page) -> None:
    fs = raw.FS_MATRIX()
    px, py = ctypes.c_float(), ctypes.c_float()
    fill, stroke = ctypes.c_int(), ctypes.c_int()

    def matrix_of(obj):
        if raw.FPDFPageObj_GetMatrix(obj, fs):
            return (fs.a, fs.b, fs.c, fs.d, fs.e, fs.f)
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

    def add(p, q):
        (x0, y0), (x1, y1) = p, q
        if abs(y0 - y1) <= 0.5 and abs(x0 - x1) > 1.0:
            out.hsegs.append((height - y0, min(x0, x1), max(x0, x1)))
        elif abs(x0 - x1) <= 0.5 and abs(y0 - y1) > 1.0:
            out.vsegs.append((x0, height - max(y0, y1), height - min(y0, y1)))

    def path(obj, m):
        raw.FPDFPath_GetDrawMode(obj, fill, stroke)
        stroked = bool(stroke.value)
        if not stroked and not fill.value:
            return
        a, b, c, d, e, f = m
        pts: list[tuple[float, float]] = []
        edges = []
        start = cur = None
        for i in range(raw.FPDFPath_CountSegments(obj)):
            seg = raw.FPDFPath_GetPathSegment(obj, i)
            raw.FPDFPathSegment_GetPoint(seg, px, py)
            x, y = px.value, py.value
            pt = (a * x + c * y + e, b * x + d * y + f)
            kind = raw.FPDFPathSegment_GetType(seg)
            if kind == raw.FPDF_SEGMENT_MOVETO:
                start = cur = pt
            elif kind == raw.FPDF_SEGMENT_LINETO and cur is not None:
                edges.append((cur, pt))
                cur = pt
            else:
                cur = pt
            pts.append(pt)
            if raw.FPDFPathSegment_GetClose(seg) and start is not None and cur is not None:
                edges.append((cur, start))
                cur = start
        if not pts:
            return
        if stroked:
            for p, q in edges:
                add(p, q)
            return
        # Filled only: a thin rectangle is a line; a cell background is not a ruling.
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        w, h = max(xs) - min(xs), max(ys) - min(ys)
        if h <= THIN and w > 1.0:
            y = (max(ys) + min(ys)) / 2
            add((min(xs), y), (max(xs), y))
        elif w <= THIN and h > 1.0:
            x = (max(xs) + min(xs)) / 2
            add((x, min(ys)), (x, max(ys)))

    def walk(objs, m, depth):
        for obj in objs:
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_PATH:
                path(obj, _mat_mul(matrix_of(obj), m))
            elif kind == raw.FPDF_PAGEOBJ_IMAGE:
                out.images += 1
            elif kind == raw.FPDF_PAGEOBJ_FORM and depth < 8:
                fm = _mat_mul(matrix_of(obj), m)
                k = raw.FPDFFormObj_CountObjects(obj)
                walk((raw.FPDFFormObj_GetObject(obj, j) for j in range(max(k, 0))), fm, depth + 1)

    count = raw.FPDFPage_CountObjects(page)
    walk((raw.FPDFPage_GetObject(page, i) for i in range(count)), (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), 0)


def _check_unicode(pages: list[Page]) -> None:
    total = bad = 0
    for p in pages:
        for c in p.chars:
            total += 1
            o = ord(c.text)
            if c.text == "\ufffd" or 0xE000 <= o <= 0xF8FF or o < 0x20:
                bad += 1
    if total and bad > total / 2:
        raise UnreadableFile("text layer is not readable: its fonts have no Unicode mapping")


# --------------------------------------------------------------------------------------------
# Layout: pure Python over Page, testable without PDFium

_PAGE_MARK = re.compile(r"^(?:[-—–－‐‒~～]+\s*\d{1,4}\s*[-—–－‐‒~～]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})$")
_NUMBER_ONLY = re.compile(r"^\d{1,4}$")


_VALUE = re.compile(r"^(?:[-—－/无]|[0-9０-９][0-9０-９,，.．]*)$")


def _join_split_row(a: list[str], b: list[str]) -> list[str] | None:
    """A table row broken by a page break: its values stay on the first page (cells are top
    aligned) and only label text runs over.  `a` ends one page, `b` starts the next, both in a
    table; join them when `b` holds no value, only more text of cells that `a` has text in."""
    if len(a) != len(b) or not any(_VALUE.match(x) for x in a):
        return None
    if not any(b) or any(_VALUE.match(y) for y in b if y):
        return None
    if any(y and not x for x, y in zip(a, b, strict=True)):
        return None
    return [_join_text([x, y]) for x, y in zip(a, b, strict=True)]


def _is_wide(ch: str) -> bool:
    o = ord(ch)
    return o >= 0x2E80 or 0x2000 <= o <= 0x206F  # CJK, full-width forms, general punctuation


def _join_text(parts: list[str]) -> str:
    """Join the lines of one cell: nothing between CJK, a space between Latin words."""
    out = ""
    for part in parts:
        if not part:
            continue
        if out and not (_is_wide(out[-1]) or _is_wide(part[0])):
            out += " "
        out += part
    return out


def _group_lines(chars: list[Char]) -> list[list[Char]]:
    """Characters -> lines (top to bottom), each sorted left to right, duplicates removed."""
    if not chars:
        return []
    chars = sorted(chars, key=lambda c: c.cy)
    lines: list[list[Char]] = []
    cur: list[Char] = [chars[0]]
    top, bottom = chars[0].top, chars[0].bottom
    for c in chars[1:]:
        overlap = min(bottom, c.bottom) - max(top, c.top)
        if overlap >= 0.5 * min(bottom - top, c.size):
            cur.append(c)
            top, bottom = min(top, c.top), max(bottom, c.bottom)
        else:
            lines.append(cur)
            cur, top, bottom = [c], c.top, c.bottom
    lines.append(cur)
    out = []
    for line in lines:
        line.sort(key=lambda c: c.x0)
        dedup: list[Char] = []
        for c in line:
            p = dedup[-1] if dedup else None
            # Fake bold: the same glyph drawn twice a fraction of its width apart.
            if p and p.text == c.text and abs(p.x0 - c.x0) < 0.35 * max(p.x1 - p.x0, 1.0):
                continue
            dedup.append(c)
        out.append(dedup)
    return out


def _line_segments(line: list[Char], split_gap: float | None) -> list[str]:
    """Text of one line; split into several strings at gaps wider than `split_gap` (if given)."""
    em = sorted(c.size for c in line)[len(line) // 2]
    parts: list[str] = []
    buf = ""
    prev: Char | None = None
    for c in line:
        if prev is not None:
            gap = c.x0 - prev.x1
            # Ink boxes of full-width glyphs (、，（) are narrower than their advance: between wide
            # characters only a gap of more than a whole em is a space.
            wide = _is_wide(prev.text) or _is_wide(c.text)
            if split_gap is not None and (gap > split_gap * em or (prev.spaces >= 3 and gap > 0)):
                parts.append(buf)
                buf = ""
            elif (prev.spaces and gap > 0) or gap > (1.2 if wide else 0.45) * em:
                buf += " "
        buf += c.text
        prev = c
    parts.append(buf)
    return [p.strip() for p in parts]


def _cell_text(chars: list[Char]) -> str:
    return _join_text([_line_segments(line, None)[0] for line in _group_lines(chars)])


def _merge_segments(segs: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Join collinear segments (same position within 1 pt) that overlap or nearly touch."""
    out: list[tuple[float, float, float]] = []
    segs = sorted(segs)
    i = 0
    while i < len(segs):
        j = i + 1
        while j < len(segs) and segs[j][0] - segs[j - 1][0] <= 1.0:
            j += 1
        group = segs[i:j]
        pos = sum(s[0] for s in group) / len(group)
        spans = sorted((a, b) for _, a, b in group)
        a0, b0 = spans[0]
        for a, b in spans[1:]:
            if a <= b0 + TOL:
                b0 = max(b0, b)
            else:
                out.append((pos, a0, b0))
                a0, b0 = a, b
        out.append((pos, a0, b0))
        i = j
    return out


def _cluster(values: list[float]) -> list[float]:
    values = sorted(values)
    groups: list[list[float]] = []
    for v in values:
        if groups and v - groups[-1][-1] <= TOL:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [sum(g) / len(g) for g in groups]


@dataclass(slots=True)
class Table:
    xs: list[float]
    ys: list[float]
    group: list[list[int]]  # grid cell (row, col) -> merged cell id
    spans: dict[int, tuple[int, int, int, int]]  # id -> (r0, r1, c0, c1)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def contains(self, x: float, y: float) -> bool:
        return self.xs[0] - 1 <= x <= self.xs[-1] + 1 and self.ys[0] - 1 <= y <= self.ys[-1] + 1

    def cell_at(self, x: float, y: float) -> int:
        i = min(max(bisect.bisect_right(self.ys, y) - 1, 0), len(self.ys) - 2)
        j = min(max(bisect.bisect_right(self.xs, x) - 1, 0), len(self.xs) - 2)
        return self.group[i][j]


def find_tables(hsegs, vsegs) -> list[Table]:
    h = _merge_segments(list(hsegs))
    v = _merge_segments(list(vsegs))
    nh = len(h)
    parent = list(range(nh + len(v)))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for i, (y, x0, x1) in enumerate(h):
        for j, (x, y0, y1) in enumerate(v):
            if x0 - TOL <= x <= x1 + TOL and y0 - TOL <= y <= y1 + TOL:
                parent[find(i)] = find(nh + j)
    comps: dict[int, tuple[list, list]] = {}
    for i in range(nh + len(v)):
        hs, vs = comps.setdefault(find(i), ([], []))
        (hs.append(h[i]) if i < nh else vs.append(v[i - nh]))
    tables = []
    for hs, vs in comps.values():
        if len(hs) < 2 or len(vs) < 2:
            continue
        t = _grid(hs, vs)
        if t is not None:
            tables.append(t)
    tables.sort(key=lambda t: (t.ys[0], t.xs[0]))
    return tables


def _grid(hs, vs) -> Table | None:
    xs = _cluster([x for x, _, _ in vs] + [min(a for _, a, _ in hs), max(b for _, _, b in hs)])
    ys = _cluster([y for y, _, _ in hs] + [min(a for _, a, _ in vs), max(b for _, _, b in vs)])
    if len(xs) < 2 or len(ys) < 2:
        return None
    nr, nc = len(ys) - 1, len(xs) - 1

    def by_line(segs, lines):
        """Segments filed under the grid line they lie on (lines are > TOL apart)."""
        out: list[list[tuple[float, float]]] = [[] for _ in lines]
        for pos, a, b in segs:
            k = bisect.bisect_left(lines, pos)
            for kk in (k - 1, k):
                if 0 <= kk < len(lines) and abs(lines[kk] - pos) <= TOL:
                    out[kk].append((a, b))
        return out

    v_at, h_at = by_line(vs, xs), by_line(hs, ys)

    def vline(k, ym):
        return any(a - TOL <= ym <= b + TOL for a, b in v_at[k])

    def hline(k, xm):
        return any(a - TOL <= xm <= b + TOL for a, b in h_at[k])

    parent = list(range(nr * nc))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for i in range(nr):
        ym = (ys[i] + ys[i + 1]) / 2
        for j in range(nc - 1):
            if not vline(j + 1, ym):
                parent[find(i * nc + j)] = find(i * nc + j + 1)
    for j in range(nc):
        xm = (xs[j] + xs[j + 1]) / 2
        for i in range(nr - 1):
            if not hline(i + 1, xm):
                parent[find(i * nc + j)] = find((i + 1) * nc + j)
    group = [[find(i * nc + j) for j in range(nc)] for i in range(nr)]
    spans: dict[int, tuple[int, int, int, int]] = {}
    for i in range(nr):
        for j in range(nc):
            g = group[i][j]
            r0, r1, c0, c1 = spans.get(g, (i, i, j, j))
            spans[g] = (min(r0, i), max(r1, i), min(c0, j), max(c1, j))
    return Table(xs, ys, group, spans)


def _table_rows(t: Table, chars: list[Char], page_no: int, table_no: int) -> list[Row]:
    by_cell: dict[int, list[Char]] = {}
    for c in chars:
        by_cell.setdefault(t.cell_at(c.cx, c.cy), []).append(c)
    texts = {g: _cell_text(cs) for g, cs in by_cell.items()}
    rows = []
    nr, nc = len(t.ys) - 1, len(t.xs) - 1
    for i in range(nr):
        cells: list[str] = []
        starts = False
        seen: set[int] = set()
        for j in range(nc):
            g = t.group[i][j]
            if g in seen:
                continue
            seen.add(g)
            r0 = t.spans[g][0]
            if r0 == i:
                starts = True
                cells.append(texts.get(g, ""))
            else:
                cells.append("")  # merged down from a row above
        if starts:
            rows.append(Row(cells, f"page {page_no} table {table_no} row {len(rows) + 1}", True))
    return rows


def page_rows(page: Page, page_no: int) -> list[Row]:
    # A page drawn with thousands of line segments (a chart, a hostile file) is read as text:
    # table finding is quadratic in the number of segments.
    few = len(page.hsegs) + len(page.vsegs) <= MAX_SEGMENTS
    tables = find_tables(page.hsegs, page.vsegs) if few else []
    inside: list[list[Char]] = [[] for _ in tables]
    free: list[Char] = []
    for c in page.chars:
        for k, t in enumerate(tables):
            if t.contains(c.cx, c.cy):
                inside[k].append(c)
                break
        else:
            free.append(c)
    items: list[tuple[float, int, list[Row]]] = []
    for k, t in enumerate(tables):
        trs = _table_rows(t, inside[k], page_no, k + 1)
        if trs:
            items.append((t.ys[0], 0, trs))
    line_no = 0
    for line in _group_lines(free):
        cells = [s for s in _line_segments(line, 1.5) if s]
        if not cells:
            continue
        top = min(c.top for c in line)
        bottom = max(c.bottom for c in line)
        joined = "".join(cells).replace(" ", "")
        if _PAGE_MARK.match(joined) or (
            _NUMBER_ONLY.match(joined)
            and (bottom > page.height * 0.92 or top < page.height * 0.06)
        ):
            continue
        line_no += 1
        items.append((top, 1, [Row(cells, f"page {page_no} line {line_no}", False)]))
    items.sort(key=lambda it: (it[0], it[1]))
    return [r for _, _, rs in items for r in rs]
