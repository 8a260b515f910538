"""The normalised report: its cells, their codes and provenance.

The codes come from ``codes.json`` (a copy of the project spec's ``codes.json``): every row, column
and cell of tables 2, 3 and 4 has a stable English code.  A :class:`Report` holds one
:class:`Cell` per cell of the format it was printed in; ``to_contract()`` gives the JSON object of
the ``nianbao parse`` contract.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Final

FORMAT_2021: Final = "2021"
FORMAT_2019: Final = "2019"

TABLE_ACTIVE: Final = "active_disclosure"
TABLE_APPLICATIONS: Final = "applications"
TABLE_REVIEW: Final = "review_litigation"
TABLES = (TABLE_ACTIVE, TABLE_APPLICATIONS, TABLE_REVIEW)

# Cell kinds.  `blank` and `dash` count as 0 in the arithmetic, but stay visible as such.
NUMBER: Final = "number"
BLANK: Final = "blank"
DASH: Final = "dash"
TEXT: Final = "text"
MISSING: Final = "missing"
DERIVED: Final = "derived"

OTHER_SUBROWS = ("other_no_correction", "other_no_fee_paid", "other_other")


@cache
def codes() -> dict:
    with resources.files("nianbao").joinpath("codes.json").open(encoding="utf-8") as f:
        return json.load(f)


@cache
def active_items(fmt: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(item code, metric codes) of table 2 in the given format, in printed order."""
    key = "active_disclosure_2019" if fmt == FORMAT_2019 else "active_disclosure"
    return tuple((it["code"], tuple(it["metrics"])) for it in codes()[key]["items"])


@cache
def application_columns() -> tuple[str, ...]:
    return tuple(c["code"] for c in codes()["applications"]["columns"])


@cache
def application_rows(fmt: str) -> tuple[str, ...]:
    """Data rows of table 3 as printed in the format (2019: one `other_handling` row)."""
    return tuple(r["code"] for r in codes()["applications"]["rows"] if r.get("format", fmt) == fmt)


@cache
def contract_application_rows(fmt: str) -> tuple[str, ...]:
    """Rows of table 3 in the contract: 2021 reports also carry the derived `other_handling`."""
    rows = application_rows(fmt)
    if fmt == FORMAT_2019:
        return rows
    i = rows.index("other_other") + 1
    return (*rows[:i], "other_handling", *rows[i:])


@cache
def review_groups() -> tuple[str, ...]:
    return tuple(g["code"] for g in codes()["review_litigation"]["groups"])


@cache
def review_outcomes() -> tuple[str, ...]:
    return tuple(o["code"] for o in codes()["review_litigation"]["outcomes"])


@cache
def cell_keys(fmt: str) -> tuple[tuple[str, str, str], ...]:
    """Every (table, row, column) of the contract for a format, in printed order."""
    keys: list[tuple[str, str, str]] = []
    for item, metrics in active_items(fmt):
        keys += [(TABLE_ACTIVE, item, m) for m in metrics]
    for row in contract_application_rows(fmt):
        keys += [(TABLE_APPLICATIONS, row, c) for c in application_columns()]
    for g in review_groups():
        keys += [(TABLE_REVIEW, g, o) for o in review_outcomes()]
    return tuple(keys)


class Cell:
    """One cell of tables 2-4 with what was printed and where.  (A plain class rather than a
    dataclass: its ``__init__`` is then compiled with the parser, see ``nianbao._accel``.)"""

    __slots__ = ("table", "row", "column", "value", "kind", "raw", "label", "where", "inferred")

    def __init__(self, table: str, row: str, column: str, value: int | float | None,
                 kind: str = NUMBER, raw: str = "", label: str = "", where: str = "",
                 inferred: bool = False) -> None:
        self.table = table
        self.row = row
        self.column = column
        self.value = value
        self.kind = kind
        self.raw = raw
        self.label = label  # the row label as printed
        self.where = where  # line, element or page where the value was found
        self.inferred = inferred  # split out of digits printed run together, by the arithmetic

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.table, self.row, self.column)

    def as_dict(self) -> dict:
        """Provenance for the JSON contract: the value always, other fields when set."""
        out: dict = {"table": self.table, "row": self.row, "column": self.column,
                     "value": self.value, "kind": self.kind}
        for name, v in (("raw", self.raw), ("label", self.label), ("where", self.where)):
            if v:
                out[name] = v
        if self.inferred:
            out["inferred"] = True
        return out

    def _fields(self) -> tuple:
        return (self.table, self.row, self.column, self.value, self.kind, self.raw, self.label,
                self.where, self.inferred)

    def __reduce__(self) -> tuple:
        return (Cell, self._fields())  # (pickle and copy: the compiled class needs its arguments)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Cell):
            return NotImplemented
        return self._fields() == other._fields()

    def __repr__(self) -> str:
        return "Cell(" + ", ".join(f"{n}={v!r}" for n, v in zip(
            self.__slots__, self._fields(), strict=True)) + ")"


@dataclass
class Report:
    office: str | None
    year: int | None
    format: str
    cells: list[Cell]
    source_format: str = ""  # text, markdown, html, pdf, docx, xlsx
    source_path: str = ""
    narrative: str = ""  # prose outside the tables, for the narrative check
    warnings: list[str] = field(default_factory=list)

    def cell_map(self) -> dict[tuple[str, str, str], Cell]:
        return {c.key: c for c in self.cells}

    def value(self, table: str, row: str, column: str):
        c = self.cell_map().get((table, row, column))
        return None if c is None else c.value

    def to_contract(self, provenance: bool = True) -> dict:
        """The JSON object of ``nianbao parse --json`` (spec: "The contract for one parsed report")."""
        cmap = self.cell_map()
        out: dict = {"office": self.office, "year": self.year, "format": self.format}
        tables: dict[str, dict] = {TABLE_ACTIVE: {}, TABLE_APPLICATIONS: {}, TABLE_REVIEW: {}}
        for key in cell_keys(self.format):
            t, r, c = key
            cell = cmap.get(key)
            tables[t].setdefault(r, {})[c] = None if cell is None else cell.value
        out.update(tables)
        out["source_format"] = self.source_format
        if provenance:
            out["cells"] = [c.as_dict() for c in self.cells]
            out["warnings"] = list(self.warnings)
        return out


def derive_other_handling(cells: list[Cell]) -> list[Cell]:
    """2021 reports: `other_handling` = the sum of the three （六） sub-rows, column by column."""
    sums: dict[str, int | float] = {}
    counts: dict[str, int] = {}
    for c in cells:
        if c.row in OTHER_SUBROWS and c.table == TABLE_APPLICATIONS and c.value is not None:
            sums[c.column] = sums.get(c.column, 0) + c.value
            counts[c.column] = counts.get(c.column, 0) + 1
    derived = []
    for col in application_columns():
        value = sums[col] if counts.get(col) == len(OTHER_SUBROWS) else None
        derived.append(Cell(TABLE_APPLICATIONS, "other_handling", col, value, kind=DERIVED,
                            label="（六）其他处理", where="sum of the three （六） sub-rows"))
    return derived
