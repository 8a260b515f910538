"""Excel (.xlsx) reader: every worksheet in order, one row per sheet row.

openpyxl loads the workbook with cached formula values (``data_only``): a formula whose value was
never calculated and cached reads as blank.  Merged ranges: the value appears once; the other
columns of a horizontal span are left out, and a row inside a vertical span gets ``""`` for it
(the same shape as a Word table).  Numbers are written as printed without formatting: ``21``,
``7730.28`` (a float with no fraction is written as an integer).

Only cells that exist are visited (a single formatted cell at XFD1048576 does not make us walk
a million rows).  A row with no value and no border is dropped; trailing blank cells without a
border are trimmed, so a title above the tables becomes a one-cell row.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from nianbao.errors import FileTooLarge, NianbaoError, UnreadableFile
from nianbao.read import Row, limits

MAX_CELLS = 500_000  # per workbook; a report has about a thousand


def read_xlsx_rows(data: bytes, name: str = "") -> list[Row]:
    zf = limits.open_zip(data, "Excel workbook")
    sheet_bytes = sum(
        i.file_size for i in zf.infolist() if i.filename.lower().startswith("xl/worksheets/")
    )
    zf.close()
    if sheet_bytes > limits.MAX_XLSX_SHEET_BYTES:
        raise FileTooLarge(
            f"Excel worksheets decompress to {sheet_bytes / limits.MB:.0f} MB, over the limit of "
            f"{limits.MAX_XLSX_SHEET_BYTES // limits.MB} MB"
        )
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    except NianbaoError:
        raise
    except InvalidFileException as e:
        raise UnreadableFile(f"not an Excel workbook: {e}") from None
    except (KeyError, zipfile.BadZipFile) as e:
        raise UnreadableFile(f"corrupt Excel workbook: {e}") from None
    except Exception as e:  # XML parse errors and the like
        raise UnreadableFile(f"corrupt Excel workbook: {type(e).__name__}: {e}") from None
    try:
        rows: list[Row] = []
        total = 0
        for ws in wb.worksheets:
            total += len(getattr(ws, "_cells", ()))
            if total > MAX_CELLS:
                raise FileTooLarge(f"Excel workbook has over {MAX_CELLS} cells")
            rows.extend(_sheet_rows(ws))
        return rows
    finally:
        wb.close()


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


def _has_border(cell) -> bool:
    b = getattr(cell, "border", None)
    if b is None:
        return False
    return any(getattr(getattr(b, side, None), "style", None) for side in ("left", "right", "top", "bottom"))


def _sheet_rows(ws) -> list[Row]:
    # openpyxl 3.1 keeps the existing cells in ws._cells {(row, col): cell}; walk only those.
    cells_map = getattr(ws, "_cells", None)
    if cells_map is None:  # pragma: no cover - other openpyxl versions
        cells_map = {(c.row, c.column): c for row in ws.iter_rows() for c in row}
    # Merged ranges: (row, col) -> "skip" | "continue" for every cell but the top-left one.
    covered: dict[tuple[int, int], str] = {}
    border_cells: set[tuple[int, int]] = set()
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) == (rng.min_row, rng.min_col):
                    continue
                covered[(r, c)] = "continue" if (r > rng.min_row and c == rng.min_col) else "skip"
        if len(covered) > MAX_CELLS:
            raise FileTooLarge(f"Excel sheet {ws.title} merges over {MAX_CELLS} cells")
    by_row: dict[int, dict[int, object]] = {}
    for (r, c), cell in cells_map.items():
        by_row.setdefault(r, {})[c] = cell
        if _has_border(cell):
            border_cells.add((r, c))
    for (r, _c), how in covered.items():
        if how == "continue":
            by_row.setdefault(r, {})
    used = [c for (r, c), cell in cells_map.items() if cell.value not in (None, "")]
    used += [c for (r, c) in border_cells] + [rng.min_col for rng in ws.merged_cells.ranges]
    if not used:
        return []
    first = min(used)  # columns left of the table that nothing uses are not cells
    continues: dict[int, int] = {}
    for (r, c), how in covered.items():
        if how == "continue":
            continues[r] = max(continues.get(r, 0), c)
    out: list[Row] = []
    for r in sorted(by_row):
        row = by_row[r]
        max_c = max([*row, continues.get(r, 0)], default=0)
        cells: list[str] = []
        bordered: list[bool] = []
        for c in range(first, max_c + 1):
            how = covered.get((r, c))
            if how == "skip":
                continue
            if how == "continue":
                cells.append("")
                bordered.append(True)
                continue
            cell = row.get(c)
            cells.append(cell_text(cell.value) if cell is not None else "")
            bordered.append((r, c) in border_cells)
        while cells and cells[-1] == "" and not bordered[-1]:
            cells.pop()
            bordered.pop()
        if not any(cells) and not any(bordered):
            continue
        is_table = any(bordered) or sum(1 for x in cells if x) > 1
        out.append(Row(cells, f"sheet {ws.title} row {r}", is_table))
    return out
