"""A self-contained HTML report of a validation run (inline SVG, no external files)."""

from __future__ import annotations

import math
from html import escape

from corridor.validation.run import ObservationResult, ValidationResult

_W, _H, _PAD = 320, 320, 40


def _fmt(value: float | None, digits: int = 3) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}g}" if abs(value) < 1e4 else f"{value:,.0f}"


def _scatter(rows: list[ObservationResult]) -> str:
    """Modelled against observed on log axes; not-modelled and zero rows are listed apart."""
    points = [
        (r.observed, r.modelled, r)
        for r in rows
        if r.modelled is not None and r.modelled > 0 and r.observed > 0
    ]
    left_out = len(rows) - len(points)
    note = (
        f"<p>{left_out} row(s) not plotted: not modelled, or modelled as 0 (see the table).</p>"
        if left_out
        else ""
    )
    if not points:
        return "<p>No modelled value above zero to plot.</p>" + note
    values = [v for p in points for v in p[:2]]
    lo, hi = math.log10(min(values)) - 0.1, math.log10(max(values)) + 0.1
    if hi - lo < 0.5:
        lo, hi = lo - 0.25, hi + 0.25

    def x(v: float) -> float:
        return _PAD + (math.log10(v) - lo) / (hi - lo) * (_W - 2 * _PAD)

    def y(v: float) -> float:
        return _H - _PAD - (math.log10(v) - lo) / (hi - lo) * (_H - 2 * _PAD)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{_H}" '
        f'role="img" aria-label="modelled against observed, log axes">',
        f'<rect x="{_PAD}" y="{_PAD}" width="{_W - 2 * _PAD}" height="{_H - 2 * _PAD}" '
        'fill="none" stroke="#999"/>',
        # the 1:1 line
        f'<line x1="{x(10**lo):.1f}" y1="{y(10**lo):.1f}" x2="{x(10**hi):.1f}" '
        f'y2="{y(10**hi):.1f}" stroke="#bbb" stroke-dasharray="4 3"/>',
        f'<text x="{_W / 2}" y="{_H - 8}" text-anchor="middle" font-size="11">observed '
        "(log)</text>",
        f'<text x="12" y="{_H / 2}" text-anchor="middle" font-size="11" '
        f'transform="rotate(-90 12 {_H / 2})">modelled (log)</text>',
        f'<text x="{_PAD}" y="{_H - _PAD + 14}" font-size="9">{_fmt(10**lo)}</text>',
        f'<text x="{_W - _PAD}" y="{_H - _PAD + 14}" font-size="9" text-anchor="end">'
        f"{_fmt(10**hi)}</text>",
    ]
    for observed, modelled, r in points:
        colour = "#2a7" if r.in_band else "#c33"
        parts.append(
            f'<circle cx="{x(observed):.1f}" cy="{y(modelled):.1f}" r="4" fill="{colour}" '
            f'fill-opacity="0.8"><title>{escape(r.observation_id)}: modelled '
            f"{_fmt(modelled)} / observed {_fmt(observed)} {escape(r.unit)}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts) + note


def _source_link(r: ObservationResult) -> str:
    title = escape(str(r.source.get("title") or r.source.get("source_id", "")))
    url = str(r.source.get("url") or "")
    return f'<a href="{escape(url)}">{title}</a>' if url else title


def _table(rows: list[ObservationResult]) -> str:
    head = (
        "<tr><th>id</th><th>what</th><th>year</th><th>nature</th><th>observed</th>"
        "<th>band</th><th>modelled</th><th>ratio</th><th>in band</th><th>source</th></tr>"
    )
    body = []
    for r in rows:
        modelled = _fmt(r.modelled) if r.modelled is not None else f"not modelled: {r.reason}"
        body.append(
            f'<tr class="{"in" if r.in_band else "out"}"><td>{escape(r.observation_id)}</td>'
            f"<td>{escape(r.description)}</td><td>{r.year}</td><td>{escape(r.nature)}</td>"
            f"<td>{_fmt(r.observed)} {escape(r.unit)}</td>"
            f"<td>{_fmt(r.low)} – {_fmt(r.high)} ({r.band_from})</td>"
            f"<td>{escape(modelled)}</td><td>{_fmt(r.ratio)}</td>"
            f"<td>{'yes' if r.in_band else 'no'}</td><td>{_source_link(r)}</td></tr>"
        )
    return f"<table>{head}{''.join(body)}</table>"


def _worst(result: ValidationResult, kind: str) -> str:
    items = []
    for r in result.worst(kind, 3):
        legs = sorted(
            r.legs,
            key=lambda leg: (
                -(
                    leg["cost_usd_per_unit"]
                    if kind == "price"
                    else leg["distance_km"]
                    if kind == "distance"
                    else leg["time_h"]
                )
            ),
        )[:5]
        leg_rows = "".join(
            f"<tr><td>{escape(leg['item_id'])}</td><td>{escape(leg['mode'])}</td>"
            f"<td>{leg['distance_km']:,.0f}</td><td>{leg['time_h']:,.1f}</td>"
            f"<td>{leg['cost_usd_per_unit']:,.0f}</td></tr>"
            for leg in legs
        )
        legs_html = (
            "<table><tr><th>leg (largest first)</th><th>mode</th><th>km</th><th>h</th>"
            f"<th>USD per unit</th></tr>{leg_rows}</table>"
            if leg_rows
            else ""
        )
        what = (
            f"modelled {_fmt(r.modelled)} against observed {_fmt(r.observed)} {escape(r.unit)}"
            if r.modelled is not None
            else f"not modelled: {escape(r.reason)}"
        )
        items.append(
            f"<li><b>{escape(r.observation_id)}</b> ({escape(r.corridor or '-')}): {what}; "
            f"source {_source_link(r)}{legs_html}</li>"
        )
    return f"<ol>{''.join(items)}</ol>"


def validation_html(result: ValidationResult) -> str:
    """Return the report as one self-contained HTML document."""
    summary_rows = "".join(
        f"<tr><td>{s.kind}</td><td>{s.count}</td><td>{s.modelled}</td><td>{s.in_band}</td>"
        f"<td>{s.share_in_band:.0%}</td><td>{_fmt(s.median_ratio)}</td>"
        f"<td>{_fmt(s.median_abs_log_error)}</td><td>{result.criteria.band(s.kind).describe()}"
        "</td></tr>"
        for s in result.summaries
    )
    sections = []
    for kind in result.kinds:
        rows = [r for r in result.rows if r.kind == kind]
        sections.append(
            f'<h2 id="{kind}">{kind}</h2><div class="plot">{_scatter(rows)}</div>'
            f"<h3>Worst cases</h3>{_worst(result, kind)}<h3>All observations</h3>"
            f"{_table(rows)}"
        )
    style = (
        "body{font-family:sans-serif;max-width:1200px;margin:1em auto;font-size:14px}"
        "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;"
        "padding:2px 6px;text-align:left;vertical-align:top}tr.out td{background:#fff4f4}"
        "tr.in td{background:#f4fff6}"
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>corridor validation: {escape(result.network)}</title>"
        f"<style>{style}</style></head><body>"
        f"<h1>Validation of {escape(result.network)} against published observations</h1>"
        "<p>Each observation is a published figure with the query that reproduces it. "
        "A row is in band when the modelled value lies within the published range, else "
        "within the default band of its kind. Not-modelled rows count as outside. Green: "
        "in band; red: outside.</p>"
        "<table><tr><th>kind</th><th>count</th><th>modelled</th><th>in band</th>"
        "<th>share in band</th><th>median ratio</th><th>median |ln ratio|</th>"
        f"<th>default band</th></tr>{summary_rows}</table>{''.join(sections)}</body></html>"
    )
