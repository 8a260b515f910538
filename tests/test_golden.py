"""Golden tests: each real report of ../shared/corpus against its hand-checked expected JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nianbao.model import TABLES
from nianbao.parse import parse_file

GOLDEN = Path(__file__).parent / "golden"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
CASES = sorted(GOLDEN.glob("*.json"))


def _source(golden: Path) -> Path:
    return CORPUS / golden.name[: -len(".json")].replace("__", "/")


def _flat(obj: dict) -> dict[str, object]:
    return {f"{t}.{r}.{c}": v for t in TABLES for r, cols in obj[t].items() for c, v in cols.items()}


def compare(expected: dict, report) -> list[str]:
    got = report.to_contract()
    diffs = []
    for key in ("office", "year", "format"):
        if got[key] != expected[key]:
            diffs.append(f"{key}: expected {expected[key]!r}, got {got[key]!r}")
    exp_cells, got_cells = _flat(expected), _flat(got)
    for k in sorted(set(exp_cells) | set(got_cells)):
        e, g = exp_cells.get(k, "<absent>"), got_cells.get(k, "<absent>")
        if not (e == g or (isinstance(e, int | float) and isinstance(g, int | float)
                           and abs(e - g) < 1e-6)):
            diffs.append(f"{k}: expected {e!r}, got {g!r}")
    kinds = {f"{c.table}.{c.row}.{c.column}": c.kind for c in report.cells}
    for k, kind in expected.get("kinds", {}).items():
        if kinds.get(k) != kind:
            diffs.append(f"kind of {k}: expected {kind}, got {kinds.get(k)}")
    for k, kind in kinds.items():
        if kind not in ("number", "derived") and k not in expected.get("kinds", {}):
            diffs.append(f"kind of {k}: expected number, got {kind}")
    if "inferred" in expected:
        inferred = {f"{c.table}.{c.row}.{c.column}" for c in report.cells if c.inferred}
        if inferred != set(expected["inferred"]):
            diffs.append(f"inferred differs: missing {sorted(set(expected['inferred']) - inferred)[:5]}, "
                         f"extra {sorted(inferred - set(expected['inferred']))[:5]}")
    return diffs


@pytest.mark.corpus
@pytest.mark.parametrize("golden", CASES, ids=[c.name for c in CASES])
def test_golden(golden: Path):
    src = _source(golden)
    if not src.exists():
        pytest.skip(f"{src} absent (../shared/corpus not here)")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    diffs = compare(expected, parse_file(src))
    assert not diffs, "\n".join(diffs[:40])
