"""A row of printed cells: what every reader gives the parser."""

from __future__ import annotations


class Row:
    """One printed row: a line of text, a ``<tr>``, a table row of a Word or Excel file or a line
    of a PDF page.  (A plain class rather than a dataclass: its ``__init__`` is then compiled
    with the parser, see ``nianbao._accel``.)"""

    __slots__ = ("cells", "where", "is_table", "soft_edges")

    def __init__(self, cells: list[str], where: str, is_table: bool = False,
                 soft_edges: bool = False) -> None:
        self.cells = cells
        self.where = where  # "line 12", "table 2 row 5", "page 3 line 7", "sheet 表三 row 9"
        self.is_table = is_table  # cells come from a real table structure (blank cells are real)
        # the first and last cells lie outside a Markdown row's outer pipes: empty there may be
        # nothing at all (Markdown) or a blank cell (a pipe-separated copy); the parser decides
        self.soft_edges = soft_edges

    def __reduce__(self) -> tuple:
        return (Row, (self.cells, self.where, self.is_table, self.soft_edges))

    def __repr__(self) -> str:
        return (f"Row({self.cells!r}, {self.where!r}, is_table={self.is_table}, "
                f"soft_edges={self.soft_edges})")
