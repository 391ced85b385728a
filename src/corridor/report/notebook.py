"""Rich display of results in Jupyter: HTML tables with units, inline SVG maps and charts.

Results call these functions from their ``_repr_html_`` methods, so a route, a Pareto front,
a reliability estimate or an assignment shows as a table, a small map and a chart in a
notebook, and as plain text in a terminal. Everything is drawn from the data in the result
(node coordinates, samples): no network access, no plotting library.

Examples
--------
>>> import corridor
>>> net = corridor.load()
>>> html = route_html(corridor.route(net, "Aktau", "Baku"))
>>> "<svg" in html and "distance (km)" in html
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from corridor.report.svg import (
    FONT_STYLE,
    MODE_COLOURS,
    OTHER_COLOUR,
    Html,
    legend,
    svg_histogram,
    svg_map,
    svg_scatter,
    table,
)

if TYPE_CHECKING:
    from corridor.assign.model import Assignment
    from corridor.model.network import Network
    from corridor.risk.simulate import Reliability
    from corridor.routing.engine import ParetoResult
    from corridor.routing.result import Route


def route_map(route: Route, *, width: int = 520) -> str:
    """Return an SVG map of a route's link legs coloured by mode (empty without coordinates).

    Parameters
    ----------
    route
        The route; its ``node_lonlat`` gives the coordinates.
    width
        Width in pixels.
    """
    where = route.node_lonlat
    lines = [
        (
            [where[leg.from_node], where[leg.to_node]],
            MODE_COLOURS.get(leg.mode, OTHER_COLOUR),
            3.0,
            f"{leg.from_name} - {leg.to_name}: {leg.mode}, {leg.distance_km:,.0f} km",
        )
        for leg in route.legs
        if leg.kind == "link" and leg.from_node in where and leg.to_node in where
    ]
    if not lines:
        return ""
    names = {leg.from_node: leg.from_name for leg in route.legs}
    names.update({leg.to_node: leg.to_name for leg in route.legs})
    ends = [route.origin, route.destination]
    points = [(where[n], _short(names.get(n, n))) for n in ends if n in where]
    return svg_map(lines, points, width=width) + legend(
        leg.mode for leg in route.legs if leg.kind == "link"
    )


def _short(name: str) -> str:
    """Drop a parenthesised part of a name for map labels: ``Xi'an (dry port)`` -> ``Xi'an``."""
    return name.split(" (")[0].strip() or name


def _route_title(route: Route) -> str:
    names = {leg.from_node: leg.from_name for leg in route.legs}
    names.update({leg.to_node: leg.to_name for leg in route.legs})
    sanctioned = ""
    if route.sanctioned_countries:
        listed = escape(", ".join(route.sanctioned_countries))
        sanctioned = f" &middot; <span style='color:#b00'>sanctioned: {listed}</span>"
    return (
        f"<p style='{FONT_STYLE}'><b>{escape(names.get(route.origin, route.origin))} &rarr; "
        f"{escape(names.get(route.destination, route.destination))}</b> &middot; "
        f"corridor <b>{escape(route.corridor_name)}</b> &middot; {escape(route.commodity)}, "
        f"figures per {escape(route.unit)} &middot; by {escape(route.objective)}{sanctioned}</p>"
    )


def _totals_row(route: Route) -> list[Any]:
    t = route.totals
    return [
        route.corridor_name,
        t.time_days,
        t.distance_km,
        t.cost_usd,
        t.co2_kg,
        t.risk_usd,
        t.generalized_cost_usd,
        ", ".join(route.sanctioned_countries),
    ]


def _totals_header(unit: str) -> list[str]:
    return [
        "corridor",
        "time (d)",
        "distance (km)",
        f"cost (USD/{unit})",
        f"CO2e (kg/{unit})",
        f"war-risk premium (USD/{unit})",
        f"generalized cost (USD/{unit})",
        "sanctioned",
    ]


_TOTALS_DIGITS = [0, 1, 0, 0, 0, 0, 0, 0]


def legs_table(route: Route) -> str:
    """Return the leg table of a route as HTML, with units in the header.

    Parameters
    ----------
    route
        The route.
    """
    u = route.unit
    return table(
        [
            "from",
            "to",
            "mode",
            "distance (km)",
            "time (h)",
            "border (h)",
            f"cost (USD/{u})",
            f"CO2e (kg/{u})",
            "sources",
        ],
        [
            [
                leg.from_name,
                leg.to_name,
                leg.mode,
                leg.distance_km,
                leg.time_h,
                leg.border_h,
                leg.cost_usd,
                leg.co2_kg,
                ", ".join(leg.sources),
            ]
            for leg in route.legs
        ],
        digits=[0, 0, 0, 0, 1, 1, 0, 0, 0],
    )


def route_html(route: Route) -> str:
    """Return a route as HTML: title, totals with units, a map and the collapsible leg table.

    Parameters
    ----------
    route
        The route.
    """
    totals = table(_totals_header(route.unit), [_totals_row(route)], digits=_TOTALS_DIGITS)
    return (
        f"<div class='corridor-route'>{_route_title(route)}{totals}{route_map(route)}"
        f"<details><summary style='{FONT_STYLE}'>{len(route.legs)} legs</summary>"
        f"{legs_table(route)}</details></div>"
    )


def routes_html(routes: Sequence[Route]) -> Html:
    """Return a comparison table of several routes (e.g. from :func:`corridor.alternatives`).

    Parameters
    ----------
    routes
        The routes, in the order to show.

    Returns
    -------
    Html
        Rendered in a notebook, one line per route in a terminal.
    """
    unit = routes[0].unit if routes else "unit"
    html = table(
        ["#", *_totals_header(unit)],
        [[i + 1, *_totals_row(r)] for i, r in enumerate(routes)],
        digits=[0, *_TOTALS_DIGITS],
    )
    text = "\n".join(f"{i + 1}. {r.summary()}" for i, r in enumerate(routes))
    return Html(html, text)


def pareto_html(result: ParetoResult) -> str:
    """Return a Pareto front as HTML: a time-cost chart and tables of the front and the rest.

    Parameters
    ----------
    result
        The Pareto result.
    """
    if not result.front:
        return "<p>empty Pareto front</p>"
    unit = result.front[0].unit
    points = [
        (r.totals.time_days, r.totals.cost_usd, "#1f77b4", f"{r.corridor}: {r.summary()}")
        for r in result.front
    ] + [
        (r.totals.time_days, r.totals.cost_usd, "#d62728", f"dominated {r.corridor}")
        for r, _ in result.dominated
    ]
    chart = svg_scatter(points, x_label="time (d)", y_label=f"cost (USD/{unit})")
    front = table(
        ["#", *_totals_header(unit)],
        [[i + 1, *_totals_row(r)] for i, r in enumerate(result.front)],
        digits=[0, *_TOTALS_DIGITS],
    )
    dominated = table(
        ["corridor", "time (d)", f"cost (USD/{unit})", "dominated by", "its time (d)", "its cost"],
        [
            [
                loser.corridor_name,
                loser.totals.time_days,
                loser.totals.cost_usd,
                winner.corridor_name,
                winner.totals.time_days,
                winner.totals.cost_usd,
            ]
            for loser, winner in result.dominated
        ],
        digits=[0, 1, 0, 0, 1, 0],
    )
    return (
        f"<div class='corridor-pareto'><p style='{FONT_STYLE}'><b>{len(result.front)}</b> "
        "non-dominated routes over cost, time, CO2e and risk (blue); best route of each "
        f"dominated corridor in red.</p>{chart}"
        f"<details open><summary style='{FONT_STYLE}'>front</summary>{front}</details>"
        f"<details><summary style='{FONT_STYLE}'>dominated corridors</summary>{dominated}</details>"
        "</div>"
    )


def _reliability_row(r: Reliability) -> list[Any]:
    d = r.to_dict()
    return [
        r.route.corridor_name,
        r.route.totals.time_days,
        d["p50_time_days"],
        d["p90_time_days"],
        d["p95_time_h"] / 24,
        d["mean_generalized_cost_usd"],
        "" if r.p_on_time is None else f"{r.p_on_time:.0%}",
    ]


def _reliability_header(unit: str) -> list[str]:
    return [
        "corridor",
        "plan (d)",
        "P50 (d)",
        "P90 (d)",
        "P95 (d)",
        f"mean generalized cost (USD/{unit})",
        "P(on time)",
    ]


def reliability_html(result: Reliability) -> str:
    """Return a reliability estimate as HTML: quantiles, a histogram and the disruptions.

    Parameters
    ----------
    result
        The simulated route.
    """
    stats = table(
        _reliability_header(result.route.unit),
        [_reliability_row(result)],
        digits=[0, 1, 1, 1, 1, 0, 0],
    )
    markers = {"P50": result.quantile_h(0.5), "P90": result.quantile_h(0.9)}
    if result.deadline_h is not None:
        markers["deadline"] = result.deadline_h
    hist = svg_histogram(result.time_h, markers)
    hits = table(
        ["disruption", "probability per trip", "share of samples hit"],
        [
            [h.name, f"{h.probability:.1%}", f"{result.hit_share[h.disruption_id]:.1%}"]
            for h in result.exposure.hits
        ],
    )
    month = "year average" if result.month is None else f"month {result.month}"
    return (
        f"<div class='corridor-reliability'>{_route_title(result.route)}"
        f"<p style='{FONT_STYLE}'>{result.n:,} samples, seed {result.seed}, {month}</p>"
        f"{stats}{hist}{hits if result.exposure.hits else ''}</div>"
    )


def reliabilities_html(results: Sequence[Reliability]) -> Html:
    """Return a comparison table of simulated routes (e.g. from ``reliable_routes``).

    Parameters
    ----------
    results
        The simulated routes, in the order to show.
    """
    unit = results[0].route.unit if results else "unit"
    html = table(
        ["#", *_reliability_header(unit)],
        [[i + 1, *_reliability_row(r)] for i, r in enumerate(results)],
        digits=[0, 0, 1, 1, 1, 1, 0, 0],
    )
    text = "\n".join(
        f"{i + 1}. {r.route.corridor_name}: P50 {r.quantile_h(0.5) / 24:.1f} d, "
        f"P90 {r.quantile_h(0.9) / 24:.1f} d"
        for i, r in enumerate(results)
    )
    return Html(html, text)


def flow_map(network: Network, assignment: Assignment, *, width: int = 560) -> str:
    """Return an SVG map of the links carrying flow, line width growing with tonnes per year.

    Parameters
    ----------
    network
        The network the assignment was solved on (for coordinates).
    assignment
        The assignment.
    width
        Width in pixels.
    """
    flows = assignment.link_flows
    if flows.empty:
        return ""
    per_link = flows.groupby("link_id")["flow_t_per_year"].sum()
    where = {
        str(n): (float(x), float(y))
        for n, x, y in zip(
            network.nodes["node_id"], network.nodes["lon"], network.nodes["lat"], strict=True
        )
    }
    links = network.links
    ends = {
        str(i): (str(a), str(b), str(m))
        for i, a, b, m in zip(
            links["link_id"], links["from_node"], links["to_node"], links["mode"], strict=True
        )
    }
    biggest = float(per_link.max()) or 1.0
    lines = []
    for link_id, tonnes in per_link.sort_values().items():
        a, b, mode = ends[str(link_id)]
        lines.append(
            (
                [where[a], where[b]],
                MODE_COLOURS.get(mode, OTHER_COLOUR),
                1.0 + 7.0 * math.sqrt(float(tonnes) / biggest),
                f"{link_id}: {float(tonnes) / 1e6:,.2f} Mt/yr",
            )
        )
    return svg_map(lines, width=width, max_height=340) + legend(
        ends[str(i)][2] for i in per_link.index
    )


def assignment_html(assignment: Assignment, network: Network | None = None, top: int = 8) -> str:
    """Return an assignment as HTML: totals, bottlenecks, unmet demand and (with a network) a map.

    Parameters
    ----------
    assignment
        The assignment.
    network
        The network it was solved on, for the flow map; without it no map is drawn.
    top
        Rows of the bottleneck and flow tables.
    """
    t = assignment.totals
    totals = table(
        [
            "status",
            "generalized cost (M USD/yr)",
            "tonne-km (bn/yr)",
            "CO2e (kt/yr)",
            "unmet (units/yr)",
        ],
        [
            [
                assignment.status,
                t["generalized_cost_usd_per_year"] / 1e6,
                t["tonne_km_per_year"] / 1e9,
                t["co2_kg_per_year"] / 1e6,
                t["unmet_units_per_year"],
            ]
        ],
        digits=[0, 1, 2, 1, 0],
    )
    binding = assignment.bottlenecks(top)
    bottlenecks = table(
        [
            "kind",
            "item",
            "unit",
            "capacity (units/yr)",
            "used (units/yr)",
            "utilisation",
            "shadow price (USD/unit)",
        ],
        [
            [
                r["kind"],
                r["item_id"],
                r["unit"],
                r["capacity_per_year"],
                r["used_per_year"],
                f"{r['utilisation']:.0%}",
                r["shadow_price_usd_per_unit"],
            ]
            for r in binding.to_dict("records")
        ],
        digits=[0, 0, 0, 0, 0, 0, 2],
    )
    unmet = assignment.unmet
    short = unmet[unmet["unmet_per_year"] > 1e-6] if not unmet.empty else unmet
    unmet_html = (
        table(
            ["origin", "destination", "commodity", "demand (units/yr)", "unmet (units/yr)"],
            short[
                ["origin", "destination", "commodity", "demand_per_year", "unmet_per_year"]
            ].itertuples(index=False),
        )
        if not short.empty
        else ""
    )
    picture = flow_map(network, assignment) if network is not None else ""
    return (
        f"<div class='corridor-assignment'>{totals}{picture}"
        f"<p style='{FONT_STYLE}'><b>{len(binding)}</b> binding capacities, "
        "most valuable first</p>"
        f"{bottlenecks if len(binding) else ''}{unmet_html}</div>"
    )
