"""Parser throughput on one core: text reports/s, HTML pages/s, and bare lxml on the same pages.

Inputs: the text, Markdown and HTML reports of ../shared/corpus when present, else generated
reports.  Each measurement is repeated; the median is printed with the spread, and HTML is also
given as a ratio to lxml.html.document_fromstring alone (the baseline run beside it).

    .venv/bin/python bench/bench_parse.py [--repeat 7] [--seconds 1.0]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import lxml.html

from nianbao.parse import parse_bytes

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _inputs() -> tuple[list[tuple[str, bytes]], list[tuple[str, bytes]]]:
    text, html = [], []
    if CORPUS.exists():
        for p in sorted(CORPUS.rglob("*")):
            if p.suffix in (".txt", ".md") and p.name != "SOURCES.md":
                text.append((str(p), p.read_bytes()))
            elif p.suffix == ".html":
                html.append((str(p), p.read_bytes()))
    if not text or not html:
        import random

        from nianbao.generate import random_report, render_file

        rng = random.Random(7)
        for i in range(20):
            rep = random_report(rng, "2021", 2023, f"示例{i}街道办事处")
            for layout, bucket in (("tsv", text), ("html", html)):
                name, data = render_file(rep, layout, rng, "utf-8")
                bucket.append((name, data))
    return text, html


def _rate(files: list[tuple[str, bytes]], fn, seconds: float, repeat: int) -> list[float]:
    """Files per second, one figure per repeat."""
    rates = []
    for _ in range(repeat):
        n = 0
        t0 = time.perf_counter()
        while True:
            for name, data in files:
                fn(data, name)
            n += len(files)
            el = time.perf_counter() - t0
            if el >= seconds:
                break
        rates.append(n / el)
    return rates


def _lxml_only(data: bytes, name: str) -> None:
    lxml.html.document_fromstring(data)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--seconds", type=float, default=1.0)
    args = ap.parse_args()
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    except (AttributeError, OSError):
        pass
    text, html = _inputs()
    kb = statistics.mean(len(d) for _, d in html) / 1024
    for _ in range(3):  # warm up imports and caches
        for name, data in text + html:
            parse_bytes(data, name)

    def show(label, rates):
        med = statistics.median(rates)
        print(f"{label:<34} {med:10.0f} /s   (min {min(rates):.0f}, max {max(rates):.0f}, "
              f"n={len(rates)})")
        return med

    print(f"inputs: {len(text)} text/Markdown reports, {len(html)} HTML pages (mean {kb:.0f} KB); "
          "one core")
    show("text reports", _rate(text, parse_bytes, args.seconds, args.repeat))
    html_rate = show("HTML pages (parse_bytes)", _rate(html, parse_bytes, args.seconds, args.repeat))
    lxml_rate = show("HTML pages (bare lxml parse)", _rate(html, _lxml_only, args.seconds, args.repeat))
    print(f"HTML parsing costs {lxml_rate / html_rate:.2f}x bare lxml (target <= 3x)")


if __name__ == "__main__":
    main()
