"""Building blocks of the rich display: HTML tables with units, inline SVG maps and charts.

Everything is drawn from the numbers given (lon/lat, samples): no network access and no
plotting library, so the output works offline in notebooks and on the documentation site.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

import numpy as np

#: Line colours of the modes on maps; other modes are grey.
MODE_COLOURS = {
    "rail_1520": "#1f77b4",
    "rail_1435": "#17becf",
    "road": "#8c564b",
    "caspian_ferry": "#d62728",
    "caspian_roro": "#9467bd",
    "caspian_ship": "#ff7f0e",
    "lake_ferry": "#e377c2",
    "sea": "#2ca02c",
    "pipeline": "#7f7f7f",
}
OTHER_COLOUR = "#999999"
FONT_STYLE = "font-family:sans-serif;font-size:12px"
_TABLE = 'style="border-collapse:collapse;margin:4px 0"'

LonLat = tuple[float, float]


class Html:
    """A piece of HTML that notebooks display rendered and terminals show as text.

    Parameters
    ----------
    html
        The markup.
    text
        What ``str()`` and ``repr()`` show; default: the markup.

    Examples
    --------
    >>> Html("<b>5</b> d", "5 d")
    5 d
    """

    def __init__(self, html: str, text: str | None = None) -> None:
        self.html = html
        self.text = html if text is None else text

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


def _fmt(value: Any, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, int | float | np.floating | np.integer):
        return f"{float(value):,.{digits}f}"
    return escape(str(value))


def table(
    header: Sequence[str], rows: Iterable[Sequence[Any]], digits: Sequence[int] | None = None
) -> str:
    """Return an HTML table; numbers are right-aligned and rounded, text is escaped.

    Parameters
    ----------
    header
        Column titles, with units, e.g. ``"time (d)"``.
    rows
        One sequence of cells per row.
    digits
        Decimals per column for numbers (default 0).

    Examples
    --------
    >>> html = table(["node", "dwell (h)"], [["A<B", 1.26]], digits=[0, 1])
    >>> "A&lt;B" in html and ">1.3</td>" in html
    True
    """
    cell = 'style="padding:1px 8px;border-bottom:1px solid #ddd;text-align:{}"'
    head = "".join(f"<th {cell.format('left')}>{escape(h)}</th>" for h in header)
    body = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            numeric = isinstance(value, int | float | np.floating | np.integer)
            d = digits[i] if digits is not None else 0
            align = "right" if numeric else "left"
            cells.append(f"<td {cell.format(align)}>{_fmt(value, d)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table {_TABLE}><tr>{head}</tr>{''.join(body)}</table>"


class _Projection:
    """Equirectangular projection of lon/lat points onto a box of ``width`` pixels."""

    def __init__(self, points: Sequence[LonLat], width: int, max_height: int, pad: int) -> None:
        lons = [p[0] for p in points] or [0.0]
        lats = [p[1] for p in points] or [0.0]
        self.k = math.cos(math.radians((min(lats) + max(lats)) / 2))
        self.x0, self.y1 = min(lons) * self.k, max(lats)
        span_x = max((max(lons) - min(lons)) * self.k, 1e-6)
        span_y = max(max(lats) - min(lats), 1e-6)
        self.scale = min((width - 2 * pad) / span_x, (max_height - 2 * pad) / span_y)
        self.pad = pad
        self.width = width
        self.height = int(min(max_height, span_y * self.scale + 2 * pad))

    def __call__(self, p: LonLat) -> tuple[float, float]:
        return (
            self.pad + (p[0] * self.k - self.x0) * self.scale,
            self.pad + (self.y1 - p[1]) * self.scale,
        )


def svg_map(
    lines: Sequence[tuple[Sequence[LonLat], str, float, str]],
    points: Sequence[tuple[LonLat, str]] = (),
    *,
    width: int = 520,
    max_height: int = 300,
) -> str:
    """Return an inline SVG map of lines and labelled points (no basemap).

    Parameters
    ----------
    lines
        ``(coordinates, colour, stroke width, tooltip)`` per line; coordinates are lon/lat.
    points
        ``(lon/lat, label)`` per labelled point.
    width, max_height
        Size in pixels.
    """
    every = [p for coords, *_ in lines for p in coords] + [p for p, _ in points]
    proj = _Projection(every, width, max_height, pad=14)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{proj.width}" height="{proj.height}" '
        f'viewBox="0 0 {proj.width} {proj.height}" style="background:#f8f8f4;{FONT_STYLE}">'
    ]
    for coords, colour, stroke, tip in lines:
        xy = " ".join(f"{x:.1f},{y:.1f}" for x, y in map(proj, coords))
        parts.append(
            f'<polyline points="{xy}" fill="none" stroke="{escape(colour)}" '
            f'stroke-width="{stroke:.1f}" stroke-linecap="round"><title>{escape(tip)}</title>'
            "</polyline>"
        )
    for p, label in points:
        x, y = proj(p)
        anchor = "end" if x > proj.width * 0.7 else "start"
        dx = -5 if anchor == "end" else 5
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#222"/>'
            f'<text x="{x + dx:.1f}" y="{y - 5:.1f}" text-anchor="{anchor}">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def legend(modes: Iterable[str]) -> str:
    """Return an HTML legend of the mode colours.

    Parameters
    ----------
    modes
        Mode ids, in the order to list (duplicates are dropped).
    """
    items = [
        f'<span style="color:{MODE_COLOURS.get(m, OTHER_COLOUR)}">&#9644;</span> {escape(m)}'
        for m in dict.fromkeys(modes)
    ]
    return f'<div style="{FONT_STYLE}">' + " &nbsp; ".join(items) + "</div>"


def svg_scatter(
    points: Sequence[tuple[float, float, str, str]],
    *,
    x_label: str,
    y_label: str,
    width: int = 420,
    height: int = 240,
) -> str:
    """Return an SVG scatter plot with axes labels and min/max ticks.

    Parameters
    ----------
    points
        ``(x, y, colour, tooltip)`` per point.
    x_label, y_label
        Axis titles, with units.
    width, height
        Size in pixels.
    """
    left, bottom, pad = 56, 34, 10
    xs = [p[0] for p in points] or [0.0]
    ys = [p[1] for p in points] or [0.0]
    x0, x1 = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
    y0, y1 = min(ys), max(ys) if max(ys) > min(ys) else min(ys) + 1

    def sx(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * (width - left - pad)

    def sy(y: float) -> float:
        return height - bottom - (y - y0) / (y1 - y0) * (height - bottom - pad)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" style="{FONT_STYLE}">',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - pad}" y2="{height - bottom}" '
        'stroke="#444"/>',
        f'<line x1="{left}" y1="{pad}" x2="{left}" y2="{height - bottom}" stroke="#444"/>',
        f'<text x="{left}" y="{height - bottom + 14}">{x0:,.1f}</text>',
        f'<text x="{width - pad}" y="{height - bottom + 14}" text-anchor="end">{x1:,.1f}</text>',
        f'<text x="{(left + width) / 2:.0f}" y="{height - 4}" text-anchor="middle">'
        f"{escape(x_label)}</text>",
        f'<text x="{left - 4}" y="{height - bottom}" text-anchor="end">{y0:,.0f}</text>',
        f'<text x="{left - 4}" y="{pad + 10}" text-anchor="end">{y1:,.0f}</text>',
        f'<text transform="translate(12,{(height - bottom) / 2:.0f}) rotate(-90)" '
        f'text-anchor="middle">{escape(y_label)}</text>',
    ]
    for x, y, colour, tip in points:
        parts.append(
            f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="4" fill="{escape(colour)}" '
            f'fill-opacity="0.8"><title>{escape(tip)}</title></circle>'
        )
    parts.append("</svg>")
    return "".join(parts)


def svg_histogram(
    samples_h: np.ndarray[Any, Any],
    markers: Mapping[str, float],
    *,
    bins: int = 40,
    width: int = 420,
    height: int = 160,
) -> str:
    """Return an SVG histogram of transit times in days with labelled vertical markers.

    Parameters
    ----------
    samples_h
        Samples in hours.
    markers
        Label -> value in hours (e.g. P50, P90, deadline).
    bins
        Number of bars.
    width, height
        Size in pixels.
    """
    days = np.asarray(samples_h, dtype=float) / 24.0
    extra = [v / 24.0 for v in markers.values()]
    lo = float(min(days.min(), *extra)) if extra else float(days.min())
    hi = float(max(np.quantile(days, 0.999), *extra)) if extra else float(np.quantile(days, 0.999))
    if hi <= lo:
        hi = lo + 1.0
    counts, edges = np.histogram(np.clip(days, lo, hi), bins=bins, range=(lo, hi))
    left, bottom, pad = 10, 30, 10
    bar_w = (width - left - pad) / bins
    top = max(int(counts.max()), 1)

    def sx(d: float) -> float:
        return left + (d - lo) / (hi - lo) * (width - left - pad)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" style="{FONT_STYLE}">'
    ]
    for i, c in enumerate(counts):
        h = (height - bottom - pad) * c / top
        parts.append(
            f'<rect x="{left + i * bar_w:.1f}" y="{height - bottom - h:.1f}" '
            f'width="{max(bar_w - 1, 1):.1f}" height="{h:.1f}" fill="#9ecae1">'
            f"<title>{edges[i]:.1f}-{edges[i + 1]:.1f} d: {c / len(days):.1%}</title></rect>"
        )
    parts.append(
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - pad}" y2="{height - bottom}" '
        'stroke="#444"/>'
        f'<text x="{left}" y="{height - bottom + 13}">{lo:.1f} d</text>'
        f'<text x="{width - pad}" y="{height - bottom + 13}" text-anchor="end">{hi:.1f} d</text>'
    )
    for i, (label, value) in enumerate(markers.items()):
        x = sx(value / 24.0)
        colour = "#d62728" if "deadline" in label else "#333"
        parts.append(
            f'<line x1="{x:.1f}" y1="{pad}" x2="{x:.1f}" y2="{height - bottom}" '
            f'stroke="{colour}" stroke-dasharray="3,2"/>'
            f'<text x="{x + 2:.1f}" y="{pad + 10 + 11 * i}" fill="{colour}">'
            f"{escape(label)} {value / 24:.1f} d</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
