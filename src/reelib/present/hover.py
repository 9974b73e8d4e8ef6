"""A hover layer for time-series figures: an inline SVG beside the static figure whose
points show their values when the pointer rests on them (SVG ``<title>``, no script, no
library, works from a file). Drawn from ``figure_data`` -- exactly what the figure drew.
The static PNG/SVG stays the figure to cite; this is for reading values off the chart.
"""

from __future__ import annotations

import html

import pandas as pd

WIDTH, HEIGHT, PAD = 720, 260, 36
PALETTE = ("#c8102e", "#1f4e9c", "#2ca02c", "#e69f00", "#6a3d9a", "#555555", "#17becf")


def _x_numbers(x: pd.Series) -> pd.Series | None:
    """x as numbers (years, or dates as fractional years); None when not a time axis."""
    num = pd.to_numeric(x, errors="coerce")
    if num.notna().all() and num.between(1800, 2200).all():
        return num.astype(float)
    dates = pd.to_datetime(x, errors="coerce", format="mixed")
    if dates.notna().all():
        return dates.dt.year + (dates.dt.dayofyear - 1) / 365.25
    return None


def _label(x) -> str:
    text = str(x)
    return text[:10] if len(text) >= 10 and text[4] == "-" else text.removesuffix(".0")


def hover_svg(data: pd.DataFrame, *, title: str = "") -> str | None:
    """The hover layer of a figure's data, or None when it has no time-series lines."""
    lines = data[data["kind"].isin(["line", "point"])].copy()
    if lines.empty:
        return None
    lines["yv"] = pd.to_numeric(lines["y"], errors="coerce")
    xs = _x_numbers(lines["x"])
    if xs is None:
        return None
    lines["xv"] = xs
    lines = lines.dropna(subset=["xv", "yv"])
    if lines.empty or lines["xv"].nunique() < 2:
        return None
    x0, x1 = lines["xv"].min(), lines["xv"].max()
    y0, y1 = min(0.0, lines["yv"].min()), lines["yv"].max() or 1.0

    def px(x: float) -> float:
        return PAD + (x - x0) / (x1 - x0) * (WIDTH - 2 * PAD)

    def py(y: float) -> float:
        return HEIGHT - PAD - (y - y0) / (y1 - y0 or 1) * (HEIGHT - 2 * PAD)

    parts = [f'<svg class="hover-layer" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-label="{html.escape(title or "values of the figure")}">',
             f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
             'stroke="#999"/>',
             f'<text x="{PAD}" y="{HEIGHT - 8}" font-size="11">'
             f'{html.escape(_label(lines.loc[lines["xv"].idxmin(), "x"]))}</text>'
             f'<text x="{WIDTH - PAD}" y="{HEIGHT - 8}" font-size="11" text-anchor="end">'
             f'{html.escape(_label(lines.loc[lines["xv"].idxmax(), "x"]))}</text>']
    for i, ((panel, series), g) in enumerate(lines.groupby(["panel", "series"], sort=False)):
        color = PALETTE[i % len(PALETTE)]
        g = g.sort_values("xv")
        pts = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in zip(g["xv"], g["yv"]))
        if (g["kind"] == "line").all() and len(g) > 1:
            parts.append(f'<polyline points="{pts}" fill="none" stroke="{color}" '
                         'stroke-width="1.5" opacity="0.8"/>')
        for x, y, xv, yv in zip(g["x"], g["yv"], g["xv"], g["yv"]):
            tip = html.escape(f"{series}: {_label(x)}: {y:,.{2 if abs(y) < 100 else 0}f}")
            parts.append(f'<circle cx="{px(xv):.1f}" cy="{py(yv):.1f}" r="4" fill="{color}">'
                         f"<title>{tip}</title></circle>")
    parts.append("</svg>")
    return "".join(parts)
