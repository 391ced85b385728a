"""Rich display: HTML tables with units, inline SVG maps and charts; plain text stays text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import corridor
from corridor.assign.model import assign
from corridor.report.notebook import (
    assignment_html,
    reliabilities_html,
    route_html,
    route_map,
    routes_html,
)
from corridor.report.svg import Html, svg_histogram, svg_map, table
from corridor.risk.simulate import simulate


@pytest.fixture(scope="module")
def net() -> corridor.Network:
    return corridor.load()


@pytest.fixture(scope="module")
def middle(net: corridor.Network) -> corridor.Route:
    return corridor.route(net, "Xian", "Istanbul", "container", avoid=["RU", "IR"])


def _svgs(html: str) -> list[ET.Element]:
    """Every <svg> element in the markup, parsed as XML (so it must be well-formed)."""
    return [ET.fromstring(m) for m in re.findall(r"<svg.*?</svg>", html, flags=re.S)]


def test_route_html_has_every_leg_units_and_a_map(middle: corridor.Route) -> None:
    html = middle._repr_html_()
    assert html == route_html(middle)
    for leg in middle.legs:
        assert f">{leg.from_name}<" in html.replace("&#x27;", "'")
    assert html.count("<tr>") == 2 + 1 + len(middle.legs)  # totals, header + legs
    for unit in ("time (d)", "distance (km)", "cost (USD/teu)", "CO2e (kg/teu)"):
        assert unit in html
    assert f"{middle.totals.cost_usd:,.0f}" in html
    [svg] = _svgs(html)
    lines = svg.findall("{http://www.w3.org/2000/svg}polyline")
    assert len(lines) == len(middle.link_ids)
    assert "caspian_ferry" in html  # the legend names the modes used


def test_route_map_follows_the_coordinates(middle: corridor.Route, net: corridor.Network) -> None:
    """West is left and north is up: Istanbul is drawn left of Xi'an."""
    nodes = net.nodes.set_index("node_id")
    assert middle.node_lonlat[middle.origin] == (
        float(nodes.loc[middle.origin, "lon"]),
        float(nodes.loc[middle.origin, "lat"]),
    )
    [svg] = _svgs(route_map(middle))
    circles = svg.findall("{http://www.w3.org/2000/svg}circle")
    (x_origin, _), (x_dest, _) = [(float(c.get("cx", 0)), float(c.get("cy", 0))) for c in circles]
    assert x_dest < x_origin
    assert route_map(replace(middle, node_lonlat={})) == ""


def test_names_are_escaped(middle: corridor.Route) -> None:
    evil = "<script>alert(1)</script>"
    legs = (replace(middle.legs[0], from_name=evil, mode=evil), *middle.legs[1:])
    html = route_html(replace(middle, legs=legs, corridor=evil))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    _svgs(html)  # still well-formed


def test_table_formats_numbers_and_escapes_text() -> None:
    html = table(["a & b", "x (km)"], [["<i>", 1234.56]], digits=[0, 1])
    assert "a &amp; b" in html
    assert "&lt;i&gt;" in html
    assert "1,234.6" in html
    assert 'text-align:right">1,234.6' in html


def test_plain_text_stays_text(middle: corridor.Route) -> None:
    assert "<" not in str(routes_html([middle]))
    assert str(routes_html([middle])).startswith("1. middle")
    assert isinstance(routes_html([middle]), Html)
    assert "<table" in routes_html([middle])._repr_html_()
    assert "<table" not in repr(middle)


def test_pareto_html_plots_every_route(net: corridor.Network) -> None:
    result = corridor.pareto(net, "Kostanay", "Istanbul", "grain")
    html = result._repr_html_()
    [svg] = _svgs(html)
    points = svg.findall("{http://www.w3.org/2000/svg}circle")
    assert len(points) == len(result.front) + len(result.dominated)
    assert "cost (USD/t)" in html


def test_reliability_html_histogram_and_deadline(net: corridor.Network) -> None:
    found = corridor.route(net, "Xian", "Istanbul", avoid=["RU", "IR"])
    [rel] = simulate(net, found, n=2_000, seed=1, deadline_h=20 * 24)
    html = rel._repr_html_()
    svgs = _svgs(html)
    assert len(svgs) == 1  # histogram (the reliability view has no map)
    bars = svgs[0].findall("{http://www.w3.org/2000/svg}rect")
    assert len(bars) == 40
    assert "deadline 20.0 d" in html
    assert f"{rel.p_on_time:.0%}" in html
    assert "P90 (d)" in html
    text = str(reliabilities_html([rel]))
    assert "P90" in text and "<" not in text


def test_histogram_bars_count_the_samples() -> None:
    samples = np.array([24.0] * 3 + [48.0] * 1)  # 1 d and 2 d
    svg = ET.fromstring(svg_histogram(samples, {}, bins=2, width=100, height=100))
    heights = [float(r.get("height", 0)) for r in svg.findall("{http://www.w3.org/2000/svg}rect")]
    assert heights[0] == pytest.approx(3 * heights[1])


def test_svg_map_keeps_aspect_and_orientation() -> None:
    svg = ET.fromstring(
        svg_map([([(0.0, 0.0), (10.0, 0.0)], "red", 2.0, "t")], [((0.0, 10.0), "N")])
    )
    line = svg.find("{http://www.w3.org/2000/svg}polyline")
    assert line is not None
    (x0, y0), (x1, y1) = [tuple(map(float, p.split(","))) for p in line.get("points", "").split()]
    circle = svg.find("{http://www.w3.org/2000/svg}circle")
    assert circle is not None
    assert x1 > x0 and y0 == y1  # east is right
    assert float(circle.get("cy", 0)) < y0  # north is up
    # A degree of longitude at latitude 5 is shorter than a degree of latitude.
    assert (x1 - x0) < (y0 - float(circle.get("cy", 0)))


def test_assignment_html_with_flow_map(net: corridor.Network) -> None:
    demand = pd.DataFrame(
        [
            {
                "origin": "Kostanay",
                "destination": "Istanbul",
                "commodity": "grain",
                "flow_per_year": 1e6,
            }
        ]
    )
    result = assign(net, demand)
    html = assignment_html(result, net)
    assert "generalized cost (M USD/yr)" in html
    [svg] = _svgs(html)
    lines = svg.findall("{http://www.w3.org/2000/svg}polyline")
    assert len(lines) == result.link_flows["link_id"].nunique()
    assert "<svg" not in result._repr_html_()  # no network, no map
