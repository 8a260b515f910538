"""Bar charts as inline SVG text: no script, no network, every label escaped."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from nianbao.wording import number_zh

WIDTH, HEIGHT = 560, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 44, 36
PALETTE = ("#2f6db5", "#5aa469", "#e0a93b", "#c8553d", "#8a6bbe", "#7a8793")


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float]  # one per category; None counts as 0
    color: str = ""


def stacked_bar_chart(title: str, categories: list[str], series: list[Series],
                      unit: str = "") -> str:
    """A vertical stacked bar chart: one bar per category, one segment per series, the total
    printed above each bar and every segment's value in its tooltip."""
    series = [s if s.color else Series(s.name, s.values, PALETTE[i % len(PALETTE)])
              for i, s in enumerate(series)]
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(categories))]
    top = _nice_ceiling(max(totals, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(categories), 1)
    bar_w = min(48.0, slot * 0.6)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        *_legend(series),
        *_axis(top, plot_h, unit),
    ]
    for i, category in enumerate(categories):
        x = LEFT + slot * i + (slot - bar_w) / 2
        y = TOP + plot_h
        for s in series:
            value = s.values[i] or 0
            height = plot_h * value / top if top else 0
            y -= height
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{height:.1f}" '
                f'fill="{s.color}"><title>{escape(category)} {escape(s.name)}：'
                f"{number_zh(value)}{escape(unit)}</title></rect>")
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                     f'class="total">{number_zh(totals[i])}</text>')
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{TOP + plot_h + 18}" '
                     f'text-anchor="middle">{escape(category)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _legend(series: list[Series]) -> list[str]:
    out, x = [], LEFT
    for s in series:
        out.append(f'<rect x="{x}" y="10" width="12" height="12" fill="{s.color}"/>'
                   f'<text x="{x + 16}" y="21">{escape(s.name)}</text>')
        x += 28 + 14 * len(s.name)
    return out


def _axis(top: float, plot_h: float, unit: str) -> list[str]:
    out = []
    for k in range(5):
        value = top * k / 4
        y = TOP + plot_h - plot_h * k / 4
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                   f'class="grid"/><text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
                   f"{number_zh(value)}</text>")
    if unit:
        out.append(f'<text x="{LEFT - 6}" y="{TOP - 8}" text-anchor="end">{escape(unit)}</text>')
    return out


def _nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 4 or 8 × 10^k not below ``value`` (4 for an empty chart), so that its
    quarters, the axis ticks, are round."""
    if value <= 0:
        return 4
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 4, 8):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude
