"""Server-side SVG charts (no script, nothing fetched): a line chart, a sequential colour scale and its legend.

Each chart is returned as Markup: an <svg role="img"> with a title/description; the page puts it in a
<figure> with a caption and a table view of the same numbers (screen readers and people who want digits)."""
from __future__ import annotations

from typing import Sequence

from markupsafe import Markup, escape

# Colour-blind-safe categorical palette (Okabe-Ito) and a sequential blue scale with enough contrast steps.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999999")
SEQUENTIAL = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")


def scale_class(value: float | None, top: float, steps: int = len(SEQUENTIAL)) -> int | None:
    """0..steps-1 for a value in [0, top] (None: no data)."""
    if value is None or top <= 0:
        return None
    return min(int(steps * value / top), steps - 1) if value > 0 else 0


def legend_steps(top: float, *, percent: bool = False) -> list[dict[str, str]]:
    n = len(SEQUENTIAL)
    out = []
    for i, colour in enumerate(SEQUENTIAL):
        lo, hi = top * i / n, top * (i + 1) / n
        text = f"%{lo * 100:.0f}–%{hi * 100:.0f}" if percent else f"{lo:.0f}–{hi:.0f}"
        out.append({"colour": colour, "text": text})
    return out


def _nice_top(value: float) -> float:
    if value <= 0:
        return 1.0
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step:
            return float(step)
    return float(value)


def line_chart(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *, title: str,
               chart_id: str, percent: bool = False, width: int = 640, height: int = 240) -> Markup:
    """Lines over shared x labels (weeks); None leaves a gap (e.g. a hidden small count)."""
    left, right, top_pad, bottom = 44, 130, 12, 34
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    values = [v for _, vs in series for v in vs if v is not None]
    top = 1.0 if percent else _nice_top(max(values, default=0))
    n = max(len(labels), 1)

    def x(i: int) -> float:
        return round(left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2), 1)

    def y(v: float) -> float:
        return round(top_pad + plot_h * (1 - v / top), 1)

    parts = [f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-labelledby="{escape(chart_id)}-t"><title id="{escape(chart_id)}-t">{escape(title)}</title>']
    for k in range(5):  # horizontal grid and y labels
        v = top * k / 4
        label = f"%{v * 100:.0f}" if percent else (f"{v:.0f}" if top >= 4 else f"{v:g}")
        parts.append(f'<line class="grid" x1="{left}" x2="{left + plot_w}" y1="{y(v)}" y2="{y(v)}"/>'
                     f'<text class="axis" x="{left - 6}" y="{y(v) + 4}" text-anchor="end">{label}</text>')
    every = max(1, n // 8)
    for i, lab in enumerate(labels):
        if i % every == 0 or i == n - 1:
            parts.append(f'<text class="axis" x="{x(i)}" y="{height - 14}" text-anchor="middle">{escape(lab)}</text>')
    for s, (name, vs) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        segs, cur = [], []
        for i, v in enumerate(vs):
            if v is None:
                if cur:
                    segs.append(cur)
                cur = []
            else:
                cur.append(f"{x(i)},{y(v)}")
        if cur:
            segs.append(cur)
        for seg in segs:
            if len(seg) == 1:
                cx, cy = seg[0].split(",")
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{colour}"/>')
            else:
                dash = ' stroke-dasharray="6 3"' if s % 2 else ""
                parts.append(f'<polyline class="line" fill="none" stroke="{colour}" stroke-width="2"{dash} '
                             f'points="{" ".join(seg)}" data-series="{escape(name)}"/>')
        ly = top_pad + 14 * s + 6
        parts.append(f'<line x1="{left + plot_w + 8}" x2="{left + plot_w + 24}" y1="{ly}" y2="{ly}" stroke="{colour}" '
                     f'stroke-width="3"/><text class="key" x="{left + plot_w + 28}" y="{ly + 4}">'
                     f'{escape(name[:18])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
