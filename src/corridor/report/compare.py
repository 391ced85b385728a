"""A comparison of two networks as one self-contained HTML page.

The page holds its CSS and SVG inline and loads nothing: no scripts, fonts, images or
stylesheets from anywhere. The only addresses in it are the URLs of the scenarios' sources,
listed as citations. Differences are other minus base; better values are green and worse red,
and every difference carries its sign, so colour is never the only cue.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corridor.compare.core import verdict
from corridor.report.svg import svg_map

if TYPE_CHECKING:
    import pandas as pd

    from corridor.compare import AssignmentComparison, Comparison, ODComparison, Side
    from corridor.model.network import Network
    from corridor.routing.result import Route

BASE_COLOUR = "#6baed6"
OTHER_COLOUR = "#d94801"
_SVG_NS = ' xmlns="http://www.w3.org/2000/svg"'

_CSS = """
body{font-family:sans-serif;font-size:13px;margin:16px 24px;color:#222;max-width:1200px}
h1{font-size:20px}h2{font-size:16px;margin-top:28px;border-bottom:1px solid #ccc}
h3{font-size:13px;margin:12px 0 4px}
table{border-collapse:collapse;margin:6px 0}
th,td{padding:2px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
td.n{text-align:right;white-space:nowrap}
.better{background:#e6f4ea;color:#0b6b2a}.worse{background:#fce8e6;color:#a50e0e}
.same{color:#777}.note{color:#555}.maps{display:flex;flex-wrap:wrap;gap:12px}
.maps figure{margin:0}.maps figcaption{font-size:12px;max-width:360px}
.key span{display:inline-block;width:18px;height:4px;margin:0 4px 2px 8px}
"""


def _num(value: float | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "&ndash;"
    return f"{value:,.{digits}f}"


def _signed(value: float | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "&ndash;"
    if round(value, digits) == 0:
        return f"&plusmn;{0:.{digits}f}"
    return f"{value:+,.{digits}f}".replace("-", "&minus;")


def diff_cell(metric: str, base: float | None, other: float | None, digits: int = 0) -> str:
    """Return a ``<td>`` with ``other - base`` and the % change, classed better/worse/same.

    Parameters
    ----------
    metric
        Metric key (decides whether lower is better, see ``LOWER_IS_BETTER``).
    base, other
        The two values (``None`` for no route).
    digits
        Decimals of the absolute difference.

    Examples
    --------
    >>> diff_cell("time_days", 10.0, 8.0, 1)
    '<td class="n better">&minus;2.0 (&minus;20%)</td>'
    """
    if base is None or other is None:
        return '<td class="n">&ndash;</td>'
    delta = other - base
    pct = f" ({_signed(delta / abs(base) * 100.0)}%)" if base else ""
    kind = verdict(metric, base, other)
    css = {"better": " better", "worse": " worse", "same": " same"}.get(kind, "")
    return f'<td class="n{css}">{_signed(delta, digits)}{pct}</td>'


def _table(header: Sequence[str], rows: Sequence[str]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _td(text: Any, numeric: bool = False, digits: int = 0) -> str:
    if numeric:
        return f'<td class="n">{_num(text, digits)}</td>'
    return f"<td>{escape(str(text))}</td>"


def _svg(markup: str) -> str:
    """Inline SVG needs no namespace in HTML; dropping it keeps the page free of URLs."""
    return markup.replace(_SVG_NS, "")


# --- charts -------------------------------------------------------------------------------


def svg_bars(
    labels: Sequence[str],
    base: Sequence[float | None],
    other: Sequence[float | None],
    *,
    title: str,
    width: int = 620,
) -> str:
    """Return a horizontal bar chart with a base and an other bar per label.

    Parameters
    ----------
    labels
        One label per pair of bars.
    base, other
        Values per label; ``None`` draws no bar and says "no route".
    title
        Chart title with the unit.
    width
        Width in pixels.
    """
    left, right, row, bar = 210, 90, 26, 10
    height = 28 + row * len(labels) + 8
    values = [v for v in (*base, *other) if v is not None and math.isfinite(v)]
    top = max([abs(v) for v in values] or [1.0]) or 1.0
    span = width - left - right
    parts = [
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'style="font-family:sans-serif;font-size:11px">',
        f'<text x="0" y="14" font-weight="bold">{escape(title)}</text>',
    ]
    for i, label in enumerate(labels):
        y = 26 + row * i
        parts.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{escape(label)}</text>')
        for j, (value, colour) in enumerate(((base[i], BASE_COLOUR), (other[i], OTHER_COLOUR))):
            yy = y + 2 + j * (bar + 1)
            if value is None or not math.isfinite(value):
                parts.append(f'<text x="{left + 2}" y="{yy + 9}" fill="#777">no route</text>')
                continue
            w = max(abs(value) / top * span, 0.5)
            parts.append(
                f'<rect x="{left}" y="{yy}" width="{w:.1f}" height="{bar}" fill="{colour}">'
                f"<title>{'base' if j == 0 else 'other'}: {value:,.1f}</title></rect>"
                f'<text x="{left + w + 4:.1f}" y="{yy + 9}">{value:,.0f}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


# --- maps ---------------------------------------------------------------------------------


def _route_lines(route: Route, colour: str, stroke: float, who: str) -> list[Any]:
    where = route.node_lonlat
    return [
        ([where[leg.from_node], where[leg.to_node]], colour, stroke, f"{who}: {leg.item_id}")
        for leg in route.legs
        if leg.kind == "link" and leg.from_node in where and leg.to_node in where
    ]


def od_map(od: ODComparison, *, width: int = 360) -> str:
    """Return an SVG map of an OD pair's base route (wide, blue) and other route (thin, orange).

    Parameters
    ----------
    od
        The OD comparison.
    width
        Width in pixels.
    """
    lines: list[Any] = []
    points: list[Any] = []
    for route, colour, stroke, who in (
        (od.base, BASE_COLOUR, 6.0, "base"),
        (od.other, OTHER_COLOUR, 2.0, "other"),
    ):
        if route is None:
            continue
        lines += _route_lines(route, colour, stroke, who)
        for node in (route.origin, route.destination):
            if node in route.node_lonlat and not any(label == node for _, label in points):
                points.append((route.node_lonlat[node], node))
    if not lines:
        return ""
    return _svg(svg_map(lines, points, width=width, max_height=240))


def flow_difference_map(
    networks: Sequence[Network], flows: pd.DataFrame, *, width: int = 640
) -> str:
    """Return an SVG map of link-flow changes: blue more flow, orange less, width by size.

    Parameters
    ----------
    networks
        The networks the links may come from (both sides: a scenario may add links).
    flows
        :meth:`AssignmentComparison.link_flows`.
    width
        Width in pixels.
    """
    if flows.empty:
        return ""
    where: dict[str, tuple[float, float]] = {}
    ends: dict[str, tuple[str, str]] = {}
    for network in networks:
        nodes, links = network.nodes, network.links
        for n, x, y in zip(nodes["node_id"], nodes["lon"], nodes["lat"], strict=True):
            where.setdefault(str(n), (float(x), float(y)))
        for i, a, b in zip(links["link_id"], links["from_node"], links["to_node"], strict=True):
            ends.setdefault(str(i), (str(a), str(b)))
    biggest = float(flows["flow_difference_t_per_year"].abs().max()) or 1.0
    lines = []
    for link_id, delta in zip(flows["link_id"], flows["flow_difference_t_per_year"], strict=True):
        a, b = ends.get(str(link_id), ("", ""))
        if a not in where or b not in where:
            continue
        colour = "#2171b5" if delta > 0 else "#e6550d"
        stroke = 1.0 + 7.0 * math.sqrt(abs(float(delta)) / biggest)
        tip = f"{link_id}: {float(delta) / 1e6:+,.2f} Mt/yr"
        lines.append(([where[a], where[b]], colour, stroke, tip))
    if not lines:
        return ""
    return _svg(svg_map(lines, width=width, max_height=360))


# --- sections -----------------------------------------------------------------------------

_OD_METRICS = (
    ("time_days", "time (d)", 1),
    ("cost_usd_per_unit", "cost (USD/unit)", 0),
    ("co2_kg_per_unit", "CO2e (kg/unit)", 0),
    ("risk_usd_per_unit", "war risk (USD/unit)", 0),
    ("generalized_cost_usd_per_unit", "generalized cost (USD/unit)", 0),
)


def _od_rows(comparison: Comparison) -> list[str]:
    rows = []
    for od in comparison.ods:
        d = od.to_dict()
        a, b = d["base"], d["other"]
        cells = [
            _td(f"{od.od.origin} → {od.od.destination}"),
            _td(f"{od.od.commodity} ({od.unit or '-'})"),
            _td(od.change),
            _td(a.get("corridor_name", "no route")),
            _td(b.get("corridor_name", "no route")),
        ]
        for key, _, digits in _OD_METRICS:
            cells += [
                _td(a.get(key), numeric=True, digits=digits),
                _td(b.get(key), numeric=True, digits=digits),
                diff_cell(key, a.get(key), b.get(key), digits),
            ]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return rows


def _od_section(comparison: Comparison) -> str:
    header = ["OD", "cargo (unit)", "change", "corridor (base)", "corridor (other)"]
    for _, title, _ in _OD_METRICS:
        header += [f"{title} base", "other", "difference"]
    table = _table(header, _od_rows(comparison))
    reasons = "".join(
        f"<li><b>{escape(od.od.label)}</b>: {escape(od.od.reason)}"
        + "".join(
            f"<br><span class='note'>{escape(who)}: {escape(why)}</span>"
            for who, why in (("base", od.base_reason), ("other", od.other_reason))
            if why
        )
        + "</li>"
        for od in comparison.ods
    )
    labels = [f"{od.od.origin} → {od.od.destination}" for od in comparison.ods]
    metrics = [od.to_dict() for od in comparison.ods]
    charts = "".join(
        svg_bars(
            labels,
            [m["base"].get(key) for m in metrics],
            [m["other"].get(key) for m in metrics],
            title=f"{title} per OD",
        )
        for key, title in (
            ("generalized_cost_usd_per_unit", "generalized cost (USD per unit)"),
            ("time_days", "time (days)"),
        )
    )
    maps = "".join(
        f"<figure>{picture}<figcaption>{escape(od.od.label)}: {escape(od.change)}</figcaption>"
        "</figure>"
        for od in comparison.ods
        if (picture := od_map(od))
    )
    return (
        "<h2 id='routes'>Key routes</h2>"
        "<p class='note'>Best route by generalized cost for each pair, per unit of cargo "
        "(TEU for containers, tonne otherwise). Difference = other − base; "
        "green is better, red is worse.</p>"
        f"{table}<h3>Why these pairs</h3><ul>{reasons}</ul>{charts}"
        "<h3>Maps</h3><p class='key'>base<span style='background:"
        f"{BASE_COLOUR};height:6px'></span> other<span style='background:{OTHER_COLOUR}'>"
        f"</span></p><div class='maps'>{maps}</div>"
    )


def _totals_section(flows: AssignmentComparison) -> str:
    titles = {
        "generalized_cost_usd_per_year": ("generalized cost (M USD/yr)", 1e6, 1),
        "tonne_km_per_year": ("tonne-km (bn/yr)", 1e9, 2),
        "co2_kg_per_year": ("CO2e (kt/yr)", 1e6, 1),
        "unmet_units_per_year": ("unmet demand (units/yr)", 1.0, 0),
    }
    rows = []
    for row in flows.totals():
        title, scale, digits = titles[row["metric"]]
        a, b = row["base"] / scale, row["other"] / scale
        rows.append(
            f"<tr>{_td(title)}{_td(a, True, digits)}{_td(b, True, digits)}"
            f"{diff_cell(row['metric'], a, b, digits)}</tr>"
        )
    return _table(["total", "base", "other", "difference"], rows)


def _bottleneck_section(flows: AssignmentComparison) -> str:
    frame = flows.bottlenecks()
    rows = []
    key = "shadow_price_usd_per_unit"
    for r in frame.to_dict("records"):
        a, b = float(r[f"{key}_base"]), float(r[f"{key}_other"])
        rows.append(
            "<tr>"
            + "".join(_td(r[c]) for c in ("kind", "item_id", "unit", "status"))
            + _td(r["capacity_per_year_base"], True)
            + _td(r["capacity_per_year_other"], True)
            + _td(_pct(r["utilisation_base"]))
            + _td(_pct(r["utilisation_other"]))
            + _td(a, True, 2)
            + _td(b, True, 2)
            + diff_cell(key, a, b, 2)
            + "</tr>"
        )
    header = ["kind", "item", "unit", "status", "capacity base (units/yr)", "other"]
    header += ["utilisation base", "other", "shadow price base (USD/unit)", "other", "difference"]
    if frame.empty:
        return "<p>No capacity binds on either side.</p>"
    chart = svg_bars(
        [f"{r['kind']} {r['item_id']} ({r['unit']})" for r in frame.to_dict("records")],
        list(frame[f"{key}_base"]),
        list(frame[f"{key}_other"]),
        title="shadow price (USD per extra unit of capacity a year)",
    )
    return _table(header, rows) + chart


def _pct(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{float(value):.0%}"


def _shares_section(flows: AssignmentComparison) -> str:
    rows = []
    for r in flows.route_shares().to_dict("records"):
        rows.append(
            "<tr>"
            + _td(f"{r['origin']} → {r['destination']}")
            + _td(r["commodity"])
            + _td(r["corridor"])
            + _td(r["flow_per_year_base"], True)
            + _td(r["flow_per_year_other"], True)
            + _td(_pct(r["share_base"]))
            + _td(_pct(r["share_other"]))
            + f'<td class="n">{_signed(r["flow_difference_per_year"])}</td></tr>'
        )
    header = ["OD", "cargo", "corridor", "flow base (units/yr)", "other"]
    header += ["share base", "other", "difference (units/yr)"]
    return _table(header, rows)


def _link_section(comparison: Comparison, flows: AssignmentComparison, top: int = 25) -> str:
    frame = flows.link_flows()
    rows = [
        "<tr>"
        + _td(r["link_id"])
        + _td(r["flow_t_per_year_base"] / 1e6, True, 3)
        + _td(r["flow_t_per_year_other"] / 1e6, True, 3)
        + f'<td class="n">{_signed(r["flow_difference_t_per_year"] / 1e6, 3)}</td></tr>'
        for r in frame.head(top).to_dict("records")
    ]
    picture = flow_difference_map([comparison.other.network, comparison.base.network], frame)
    more = f"<p class='note'>{len(frame) - top} more links changed.</p>" if len(frame) > top else ""
    return (
        "<p class='key'>more flow<span style='background:#2171b5'></span> less flow"
        f"<span style='background:#e6550d'></span></p>{picture}"
        + _table(["link", "flow base (Mt/yr)", "other (Mt/yr)", "difference (Mt/yr)"], rows)
        + more
    )


def _provenance(comparison: Comparison) -> str:
    def row(role: str, side: Side, status: str) -> str:
        d = side.to_dict()
        year = "today" if d["year"] is None else str(d["year"])
        return (
            f"<tr>{_td(role)}{_td(d['name'])}{_td(d['kind'])}{_td(d['title'])}"
            f"{_td(d['network'])}<td><code>{escape(d['content_hash'])}</code></td>"
            f"{_td(year)}{_td(status)}</tr>"
        )

    flows = comparison.assignment
    statuses = ("-", "-") if flows is None else (flows.base.status, flows.other.status)
    header = ["side", "name", "kind", "title", "network", "content hash", "year", "solver"]
    rows = [
        row("base", comparison.base, statuses[0]),
        row("other", comparison.other, statuses[1]),
    ]
    params = ", ".join(f"{k}={v}" for k, v in (comparison.params or {}).items()) or "defaults"
    demand = "" if flows is None else f"<p>Demand set: <b>{escape(flows.demand)}</b> (HiGHS).</p>"
    return (
        "<h2 id='provenance'>Provenance</h2>"
        + _table(header, rows)
        + demand
        + f"<p>Cost parameters: {escape(params)}.</p>"
        + _sources(comparison)
    )


def _sources(comparison: Comparison) -> str:
    items = []
    for side in (comparison.base, comparison.other):
        if side.scenario is None:
            continue
        for source in side.scenario.sources:
            text = ", ".join(
                escape(str(source[k]))
                for k in ("source_id", "title", "publisher", "published", "figure_as_published")
                if source.get(k)
            )
            url = str(source.get("url") or "")
            link = f' <a href="{escape(url)}">{escape(url)}</a>' if url else ""
            method = f" <i>{escape(str(source['method']))}</i>" if source.get("method") else ""
            items.append(f"<li><cite>{text}</cite>{link}{method}</li>")
    if not items:
        return ""
    return (
        "<section id='sources'><h3>Sources of the scenarios' figures</h3>"
        f"<ul>{''.join(items)}</ul></section>"
    )


def _summary(comparison: Comparison) -> str:
    changes: dict[str, int] = {}
    for od in comparison.ods:
        changes[od.change] = changes.get(od.change, 0) + 1
    listed = ", ".join(f"{n} {escape(k)}" for k, n in changes.items()) or "no pairs"
    parts = [f"<p>{len(comparison.ods)} key OD pairs: {listed}.</p>"]
    flows = comparison.assignment
    if flows is not None:
        total = next(r for r in flows.totals() if r["metric"] == "generalized_cost_usd_per_year")
        frame = flows.bottlenecks()
        relieved = ", ".join(frame.loc[frame["status"] == "relieved", "item_id"].astype(str))
        new = ", ".join(frame.loc[frame["status"] == "new bottleneck", "item_id"].astype(str))
        parts.append(
            f"<p>Demand <b>{escape(flows.demand)}</b>: total generalized cost "
            f"{_num(total['base'] / 1e6, 1)} → {_num(total['other'] / 1e6, 1)} M USD/yr "
            f"({_signed(total['difference_pct'], 1)}%). Bottlenecks relieved: "
            f"{escape(relieved) or 'none'}; new: {escape(new) or 'none'}.</p>"
        )
    return "<h2 id='summary'>Summary</h2>" + "".join(parts)


def comparison_html(comparison: Comparison) -> str:
    """Return the comparison as a complete, self-contained HTML document.

    Parameters
    ----------
    comparison
        The comparison (see :func:`corridor.compare.compare`).
    """
    base, other = comparison.base.name, comparison.other.name
    title = f"corridor: {base} vs {other}"
    body = [f"<h1>{escape(title)}</h1>", _summary(comparison), _od_section(comparison)]
    flows = comparison.assignment
    if flows is not None:
        body += [
            f"<h2 id='assignment'>Assignment of {escape(flows.demand)}</h2>",
            _totals_section(flows),
            "<h3>Bottlenecks (binding capacities) and shadow prices</h3>",
            _bottleneck_section(flows),
            "<h3>Route shares per OD</h3>",
            _shares_section(flows),
            "<h3>Link-flow changes</h3>",
            _link_section(comparison, flows),
        ]
    body.append(_provenance(comparison))
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        + "".join(body)
        + "</body></html>\n"
    )


def write_report(comparison: Comparison, path: str | os.PathLike[str]) -> Path:
    """Write :func:`comparison_html` to a file (UTF-8) and return its path.

    Parameters
    ----------
    comparison
        The comparison.
    path
        Output file.
    """
    out = Path(path)
    out.write_text(comparison_html(comparison), encoding="utf-8")
    return out
