"""Parser throughput on one core: text reports/s, HTML pages/s, and bare lxml on the same pages.

Inputs: 2,000 distinct generated text reports (every text layout), and the text, Markdown and
HTML reports of ../shared/corpus when present.  Each measurement is repeated; the median is
printed with the spread, and HTML is also given as a ratio to lxml.html.document_fromstring alone
(the baseline run beside it).  The parser normally runs compiled (mypyc, see nianbao/_accel.py);
the same code run as plain Python is timed beside it, in a child process with NIANBAO_PURE=1.

    .venv/bin/python bench/bench_parse.py [--repeat 7] [--seconds 1.0] [--no-pure]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import lxml.html
from timing import rate

from nianbao import _accel
from nianbao.parse import clear_memos, parse_bytes

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


TEXT_LAYOUTS = ("tsv", "markdown", "markdown_fragmented", "cell_per_line", "pipe", "flow", "spaced")


def _corpus() -> tuple[list[tuple[str, bytes]], list[tuple[str, bytes]]]:
    text, html = [], []
    if CORPUS.exists():
        for p in sorted(CORPUS.rglob("*")):
            if p.suffix in (".txt", ".md") and p.name != "SOURCES.md":
                text.append((str(p), p.read_bytes()))
            elif p.suffix == ".html":
                html.append((str(p), p.read_bytes()))
    return text, html


def _generated(n: int, seed: int = 7) -> list[tuple[str, bytes]]:
    """n distinct generated text reports, every text layout, both formats and encodings."""
    from nianbao.generate import sample_files

    return sample_files(n, TEXT_LAYOUTS, seed)


def _lxml_only(data: bytes, name: str) -> None:
    lxml.html.document_fromstring(data)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--no-pure", action="store_true", help="skip the plain-Python comparison")
    ap.add_argument("--text-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    except (AttributeError, OSError):
        pass
    text, html = _corpus()
    generated = _generated(2000)
    for name, data in text + html + generated[:50]:  # warm up imports
        parse_bytes(data, name)

    def show(label, rates):
        med = statistics.median(rates)
        print(f"{label:<34} {med:10.0f} /s   (min {min(rates):.0f}, max {max(rates):.0f}, "
              f"n={len(rates)})")
        return med

    mode = _accel.parser_mode()
    if args.text_only:  # the child process of the plain-Python comparison
        print(statistics.median(rate(generated, parse_bytes, args.seconds, args.repeat)))
        return
    print(f"one core; medians of repeated runs; parser {mode}"
          + (" (build older than its source: run `make setup`)"
             if _accel.build_state() == "stale" else ""))
    kb = statistics.mean(len(d) for _, d in generated) / 1024
    text_rate = show(f"text, {len(generated)} generated ({kb:.0f} KB)",
                     rate(generated, parse_bytes, args.seconds, args.repeat))
    show("  the same, each seen once", _first_sight(generated, args.repeat))
    if mode == "compiled" and not args.no_pure:
        pure = _pure_rate(args)
        print(f"{'  the same, as plain Python':<34} {pure:10.0f} /s   "
              f"(compiled is {text_rate / pure:.2f}x)")
    if not html:
        print("(../shared/corpus absent: no real reports to time)")
        return
    show(f"text, {len(text)} real corpus reports", rate(text, parse_bytes, args.seconds, args.repeat))
    kb = statistics.mean(len(d) for _, d in html) / 1024
    print(f"HTML: {len(html)} real pages, mean {kb:.0f} KB")
    html_rate = show("HTML pages (parse_bytes)", rate(html, parse_bytes, args.seconds, args.repeat))
    lxml_rate = show("HTML pages (bare lxml parse)", rate(html, _lxml_only, args.seconds, args.repeat))
    print(f"HTML parsing costs {lxml_rate / html_rate:.2f}x bare lxml (target <= 3x)")


def _first_sight(files: list[tuple[str, bytes]], repeat: int) -> list[float]:
    """One pass over reports the parser has not seen (its memos of cells, lines and labels
    emptied, then warmed on 300 other reports, as a nightly run's first reports warm them)."""
    warm = _generated(300, seed=8)
    rates = []
    for _ in range(repeat):
        clear_memos()
        for name, data in warm:
            parse_bytes(data, name)
        t0 = time.perf_counter()
        for name, data in files:
            parse_bytes(data, name)
        rates.append(len(files) / (time.perf_counter() - t0))
    return rates


def _pure_rate(args) -> float:
    """The generated-text rate of the uncompiled parser, in a child process (one core too)."""
    env = dict(os.environ, NIANBAO_PURE="1")
    out = subprocess.run([sys.executable, __file__, "--text-only", "--repeat", str(args.repeat),
                          "--seconds", str(args.seconds)],
                         env=env, capture_output=True, text=True, check=True)
    return float(out.stdout.split()[-1])


if __name__ == "__main__":
    main()
