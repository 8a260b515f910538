"""The compiled parser (mypyc) reads exactly what its source reads, and a stale build is never run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nianbao import _accel
from nianbao.generate import sample_files

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
TEXT_LAYOUTS = ("tsv", "markdown", "markdown_fragmented", "cell_per_line", "pipe", "flow", "spaced",
                "html")

# Parses the files named on stdin (one "path" per line) and prints one JSON contract per line.
_CHILD = """
import json, sys
from nianbao import _accel
from nianbao.parse import parse_file
print(_accel.parser_mode())
for path in sys.stdin.read().split("\\n"):
    if path:
        try:
            print(json.dumps(parse_file(path).to_contract(), ensure_ascii=False, sort_keys=True))
        except NianbaoError as e:
            print(json.dumps(["error", str(e)], ensure_ascii=False))
"""


def _inputs(tmp_path: Path) -> list[Path]:
    """Generated reports in every text layout and both formats, plus the real text reports."""
    paths = []
    for k, (name, data) in enumerate(sample_files(140, TEXT_LAYOUTS, 11, share_2019=0.25)):
        p = tmp_path / f"{k:03d}_{Path(name).name}"
        p.write_bytes(data)
        paths.append(p)
    if CORPUS.exists():
        paths += sorted(p for p in CORPUS.rglob("*") if p.suffix in (".txt", ".md", ".html")
                        and p.name != "SOURCES.md")
    return paths


def _contracts(paths: list[Path], pure: bool) -> tuple[str, list[str]]:
    env = dict(os.environ, NIANBAO_PURE="1" if pure else "0")
    out = subprocess.run([sys.executable, "-c", _CHILD], input="\n".join(map(str, paths)),
                         capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    mode, *lines = out.stdout.splitlines()
    return mode, lines


def test_build_is_not_stale():
    # `make setup` rebuilds after every edit of the compiled sources; a stale build would be
    # bypassed (slowly) at run time, and this says so here rather than in a benchmark.
    assert _accel.build_state() in ("compiled", "pure"), \
        "the compiled parser is older than its source: run `make setup`"


def test_compiled_reads_exactly_what_the_source_reads(tmp_path):
    if _accel.build_state() != "compiled":
        pytest.skip("parser not compiled on this machine (no C compiler)")
    paths = _inputs(tmp_path)
    mode_c, compiled = _contracts(paths, pure=False)
    mode_p, pure = _contracts(paths, pure=True)
    assert (mode_c, mode_p) == ("compiled", "pure")
    assert len(compiled) == len(pure) == len(paths)
    for path, a, b in zip(paths, compiled, pure, strict=True):
        assert a == b, f"compiled and pure parsers differ on {path}"


def test_stale_build_runs_the_source(tmp_path):
    """A source newer than its extension: the whole parser is imported from source, with a
    warning, and still parses."""
    if _accel.build_state() != "compiled":
        pytest.skip("parser not compiled on this machine (no C compiler)")
    code = (
        "import os, warnings\n"
        "from nianbao import _accel\n"
        "src = _accel._SOURCES['nianbao.parse.digits']\n"
        "real = os.path.getmtime\n"
        "os.path.getmtime = lambda p: real(p) + (10**6 if p == src else 0)\n"
        "with warnings.catch_warnings(record=True) as w:\n"
        "    warnings.simplefilter('always')\n"
        "    _accel.install()\n"
        "print(_accel.build_state(), _accel.parser_mode(), len(w))\n"
    )
    env = dict(os.environ, NIANBAO_PURE="0")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         cwd=ROOT, check=True)
    assert out.stdout.split() == ["stale", "pure", "1"]



def test_parsed_reports_pickle_and_copy(tmp_path):
    """Compiled classes need their own pickling; process pools and Dask send reports by pickle."""
    import copy
    import pickle

    from nianbao.parse import parse_file
    from nianbao.read import read_rows

    for path in _inputs(tmp_path)[:20]:
        report = parse_file(path)
        again = pickle.loads(pickle.dumps(report))
        assert again.to_contract() == report.to_contract()
        assert copy.deepcopy(report).cells == report.cells
        rows, _ = read_rows(path.read_bytes(), path.name)
        assert [r.cells for r in pickle.loads(pickle.dumps(rows))] == [r.cells for r in rows]
