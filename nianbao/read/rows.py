"""A row of printed cells: what every reader gives the parser."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Row:
    cells: list[str]
    where: str  # "line 12", "table 2 row 5", "page 3 line 7", "sheet 表三 row 9"
    is_table: bool = False  # cells come from a real table structure (blank cells are real cells)
    # the first and last cells lie outside a Markdown row's outer pipes: empty there may be
    # nothing at all (Markdown) or a blank cell (a pipe-separated copy); the parser decides
    soft_edges: bool = False
