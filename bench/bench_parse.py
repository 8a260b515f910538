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
from pathlib import Path

import lxml.html
from timing import rate

from nianbao.parse import parse_bytes

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


TEXT_LAYOUTS = ("tsv", "markdown", "markdown_fragmented", "cell_per_line", "pipe", "flow")


def _corpus() -> tuple[list[tuple[str, bytes]], list[tuple[str, bytes]]]:
    text, html = [], []
    if CORPUS.exists():
        for p in sorted(CORPUS.rglob("*")):
            if p.suffix in (".txt", ".md") and p.name != "SOURCES.md":
                text.append((str(p), p.read_bytes()))
            elif p.suffix == ".html":
                html.append((str(p), p.read_bytes()))
    return text, html


def _generated(n: int) -> list[tuple[str, bytes]]:
    """n distinct generated text reports, every text layout, both formats and encodings."""
    import random

    from nianbao.generate import random_office, random_report, render_file

    rng = random.Random(7)
    out = []
    while len(out) < n:
        layout = TEXT_LAYOUTS[len(out) % len(TEXT_LAYOUTS)]
        fmt = "2019" if rng.random() < 0.2 else "2021"
        rep = random_report(rng, fmt, rng.randint(2019, 2025), random_office(rng))
        try:
            out.append(render_file(rep, layout, rng, rng.choice(["utf-8", "gb18030"])))
        except ValueError:
            continue  # a report the layout cannot print (blank cells in run-together text)
    return out


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
    text, html = _corpus()
    generated = _generated(2000)
    for name, data in text + html + generated[:50]:  # warm up imports
        parse_bytes(data, name)

    def show(label, rates):
        med = statistics.median(rates)
        print(f"{label:<34} {med:10.0f} /s   (min {min(rates):.0f}, max {max(rates):.0f}, "
              f"n={len(rates)})")
        return med

    print("one core; medians of repeated runs")
    kb = statistics.mean(len(d) for _, d in generated) / 1024
    show(f"text, {len(generated)} generated ({kb:.0f} KB)",
         rate(generated, parse_bytes, args.seconds, args.repeat))
    if not html:
        print("(../shared/corpus absent: no real reports to time)")
        return
    show(f"text, {len(text)} real corpus reports", rate(text, parse_bytes, args.seconds, args.repeat))
    kb = statistics.mean(len(d) for _, d in html) / 1024
    print(f"HTML: {len(html)} real pages, mean {kb:.0f} KB")
    html_rate = show("HTML pages (parse_bytes)", rate(html, parse_bytes, args.seconds, args.repeat))
    lxml_rate = show("HTML pages (bare lxml parse)", rate(html, _lxml_only, args.seconds, args.repeat))
    print(f"HTML parsing costs {lxml_rate / html_rate:.2f}x bare lxml (target <= 3x)")


if __name__ == "__main__":
    main()
