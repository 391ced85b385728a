"""Building the state graph of a network for one commodity and year, step by step.

The state graph itself (vertices, edge kinds, components) is described in
:mod:`corridor.routing.state`; :func:`corridor.routing.graph.state_graph` caches what
:func:`build_state_graph` builds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from corridor.model.text import is_missing, split_list
from corridor.routing.emissions import factor_table, hub_emission, link_emission
from corridor.routing.state import (
    ACCESS,
    COMPONENTS,
    EGRESS,
    LAND_FAMILIES,
    LINK,
    PASS,
    TRANSFER,
    WATER_FAMILIES,
    StateGraph,
    _is_active,
    _num,
    _text,
)
from corridor.routing.tariffs import (
    link_tariff,
    per_unit_charge,
    section_rate,
    source_refs,
    tariff_rows,
)

if TYPE_CHECKING:
    import pandas as pd

    from corridor.model.network import Network


def _rows_by_id(table: pd.DataFrame, key: str) -> dict[str, dict[str, Any]]:
    """Rows of a table as dicts keyed by their id column (raw values, NaN kept)."""
    return {str(row[key]): row for row in table.to_dict("records")}  # type: ignore[misc]


@dataclass
class _Inputs:
    """The network's rows and figures the state graph of one commodity and year is built from."""

    network: Network
    commodity: str
    year: int | None
    unit: str
    t_per_unit: float
    value: float
    vot: float
    commodity_refs: list[str]
    allowed_modes: set[str]
    node_ids: tuple[str, ...]
    node_index: dict[str, int]
    node_active: NDArray[np.bool_]
    node_country: list[str]
    dwell: NDArray[np.float64]
    node_rows: dict[str, dict[str, Any]]
    countries: dict[str, dict[str, Any]]
    modes: dict[str, dict[str, Any]]
    mode_family: dict[str, str]
    sanctioned: set[str]
    links: list[dict[str, Any]]
    transfers: list[dict[str, Any]]
    factors: dict[str, dict[str, Any]]
    tariffs: list[dict[str, Any]] = field(default_factory=list)
    sailing_waits: dict[tuple[int, str], tuple[float, list[str]]] = field(default_factory=dict)

    def war_risk(self, node: int, mode: str) -> tuple[float, list[str]]:
        """War-risk premium in USD per unit of cargo for a call at a node by a mode, with sources.

        A premium in % of hull value (the node's, else its country's) is charged on the ship's
        value allocated per unit of cargo (the mode's ``hull_value_usd_per_teu`` for containers,
        else ``hull_value_usd_per_t`` times tonnes per unit; the cargo value if the mode has
        neither). A premium in % of cargo value (country ``war_risk_pct_cargo``) is charged on
        the cargo value.
        """
        row = self.node_rows[self.node_ids[node]]
        pct = _num(row["war_risk_pct_hull_per_call"])
        refs = source_refs(row, "war_risk_pct_hull_per_call")
        country = self.node_country[node]
        crow_ = self.countries.get(country)
        if math.isnan(pct) and crow_ is not None:
            pct = _num(crow_["war_risk_pct_hull_per_call"])
            refs = source_refs(crow_, "war_risk_pct_hull_per_call")
        if not math.isnan(pct):
            hull, hull_refs = self.hull_value(mode)
            return hull * pct / 100.0, refs + hull_refs
        if crow_ is not None:
            pct = _num(crow_["war_risk_pct_cargo"])
            if not math.isnan(pct):
                return self.value * pct / 100.0, source_refs(crow_, "war_risk_pct_cargo")
        return 0.0, []

    def hull_value(self, mode: str) -> tuple[float, list[str]]:
        """Ship value allocated per unit of cargo carried by a water mode, with its source."""
        mrow = self.modes[mode]
        if self.unit == "teu":
            per_teu = _num(mrow.get("hull_value_usd_per_teu"))
            if not math.isnan(per_teu):
                return per_teu, source_refs(mrow, "hull_value_usd_per_teu")
        per_t = _num(mrow.get("hull_value_usd_per_t"))
        if not math.isnan(per_t):
            return per_t * self.t_per_unit, source_refs(mrow, "hull_value_usd_per_t")
        return self.value, self.commodity_refs

    def water_risk(self, node: int, mode: str) -> tuple[float, list[str]]:
        """War risk (USD per unit) at a node for a water mode, nothing for the others."""
        if self.mode_family[mode] in WATER_FAMILIES:
            return self.war_risk(node, mode)
        return 0.0, []


def _inputs(network: Network, commodity: str, year: int | None) -> _Inputs:
    """Step 1: the commodity's figures and the rows of the tables, indexed."""
    crow = _rows_by_id(network.commodities, "commodity_id")[commodity]
    nodes = network.nodes
    node_ids = tuple(str(n) for n in nodes["node_id"])
    countries = _rows_by_id(network.countries, "country")
    modes = _rows_by_id(network.modes, "mode")
    return _Inputs(
        network=network,
        commodity=commodity,
        year=year,
        unit=str(crow["unit"]),
        t_per_unit=float(crow["t_per_unit"]),
        value=float(crow["value_usd_per_unit"]),
        vot=_num(crow.get("value_of_time_pct_per_day")),
        commodity_refs=source_refs(crow, "t_per_unit") + source_refs(crow, "value_usd_per_unit"),
        allowed_modes=set(split_list(crow["allowed_modes"])),
        node_ids=node_ids,
        node_index={n: i for i, n in enumerate(node_ids)},
        node_active=np.array(
            [
                _is_active(s, y, year)
                for s, y in zip(nodes["status"], nodes["opening_year"], strict=True)
            ],
            dtype=bool,
        ),
        node_country=[str(c) for c in nodes["country"]],
        dwell=np.array([_num(v) for v in nodes["dwell_h"]], dtype=float),
        node_rows=_rows_by_id(nodes, "node_id"),
        countries=countries,
        modes=modes,
        mode_family={m: str(r["family"]) for m, r in modes.items()},
        sanctioned={c for c, r in countries.items() if _text(r["sanctions"]) not in ("", "none")},
        links=network.links.to_dict("records"),  # type: ignore[arg-type]
        transfers=network.transfers.to_dict("records"),  # type: ignore[arg-type]
        factors=factor_table(network),
        tariffs=tariff_rows(network, commodity),
        sailing_waits=_sailing_waits(network, {n: i for i, n in enumerate(node_ids)}),
    )


def _sailing_waits(
    network: Network, node_index: dict[str, int]
) -> dict[tuple[int, str], tuple[float, list[str]]]:
    """Mean wait for a departure, by (node, water mode): half the headway, with its source.

    Cargo that reaches a port at a random time waits half the interval between regular
    departures on average. If a port and mode are listed twice, the first row counts.
    """
    table = network.tables.get("sailings")
    waits: dict[tuple[int, str], tuple[float, list[str]]] = {}
    if table is None or table.empty:
        return waits
    rows: list[dict[str, Any]] = table.to_dict("records")  # type: ignore[assignment]
    for row in rows:
        headway = _num(row["headway_h"])
        if math.isnan(headway):
            continue
        key = (node_index[str(row["node_id"])], str(row["mode"]))
        waits.setdefault(key, (headway / 2.0, source_refs(row, "headway_h")))
    return waits


def _usable_links(inp: _Inputs) -> list[int]:
    """Step 2: rows of the links the commodity may use in the year, between active nodes."""
    link_rows: list[int] = []
    for i, row in enumerate(inp.links):
        mode = str(row["mode"])
        listed = split_list(row["commodities"])
        if mode not in inp.allowed_modes or (listed and inp.commodity not in listed):
            continue
        if not _is_active(row["status"], row["opening_year"], inp.year):
            continue
        ends = (inp.node_index[row["from_node"]], inp.node_index[row["to_node"]])
        if not (inp.node_active[ends[0]] and inp.node_active[ends[1]]):
            continue
        link_rows.append(i)
    return link_rows


def _usable_transfers(inp: _Inputs) -> list[int]:
    """Step 2: rows of the transfers between allowed modes, active in the year."""
    return [
        i
        for i, row in enumerate(inp.transfers)
        if str(row["from_mode"]) in inp.allowed_modes
        and str(row["to_mode"]) in inp.allowed_modes
        and _is_active(row["status"], row["opening_year"], inp.year)
        and inp.node_active[inp.node_index[row["node_id"]]]
    ]


def _places(
    inp: _Inputs, link_rows: list[int], transfer_rows: list[int]
) -> dict[tuple[int, str], int]:
    """Step 3: the (node, mode) places the usable links and transfers create, numbered."""
    places: dict[tuple[int, str], int] = {}
    for i in link_rows:
        row = inp.links[i]
        for end in ("from_node", "to_node"):
            places.setdefault((inp.node_index[row[end]], str(row["mode"])), len(places))
    for i in transfer_rows:
        row = inp.transfers[i]
        for column in ("from_mode", "to_mode"):
            places.setdefault((inp.node_index[row["node_id"]], str(row[column])), len(places))
    return places


@dataclass
class _Vertices:
    """Step 4: the vertex layout.

    Arrival(p) = 2p, departure(p) = 2p + 1, origin(n) = 2P + n, destination(n) = 2P + N + n.
    """

    node: NDArray[np.int64]
    mode: list[str]
    origin: NDArray[np.int64]
    destination: NDArray[np.int64]

    @classmethod
    def layout(cls, n_nodes: int, places: dict[tuple[int, str], int]) -> _Vertices:
        n_places = len(places)
        vertex_node = np.empty(2 * n_places + 2 * n_nodes, dtype=np.int64)
        vertex_mode: list[str] = [""] * len(vertex_node)
        for (node, mode), p in places.items():
            vertex_node[2 * p] = vertex_node[2 * p + 1] = node
            vertex_mode[2 * p] = vertex_mode[2 * p + 1] = mode
        origin_vertex = 2 * n_places + np.arange(n_nodes, dtype=np.int64)
        destination_vertex = origin_vertex + n_nodes
        vertex_node[origin_vertex] = np.arange(n_nodes)
        vertex_node[destination_vertex] = np.arange(n_nodes)
        return cls(vertex_node, vertex_mode, origin_vertex, destination_vertex)


@dataclass
class _Edges:
    """The edges added so far, one list per attribute."""

    tails: list[int] = field(default_factory=list)
    heads: list[int] = field(default_factory=list)
    kinds: list[int] = field(default_factory=list)
    refs: list[int] = field(default_factory=list)
    reverse: list[bool] = field(default_factory=list)
    comps: list[list[float]] = field(default_factory=list)
    sources: list[tuple[str, ...]] = field(default_factory=list)
    countries: list[frozenset[str]] = field(default_factory=list)
    entries_of: dict[int, frozenset[str]] = field(default_factory=dict)
    modes: list[str] = field(default_factory=list)

    def add(
        self,
        tail: int,
        head: int,
        kind: int,
        ref: int,
        comp: list[float],
        srcs: list[str],
        touched: frozenset[str],
        mode: str,
        rev: bool = False,
    ) -> None:
        self.tails.append(tail)
        self.heads.append(head)
        self.kinds.append(kind)
        self.refs.append(ref)
        self.reverse.append(rev)
        self.comps.append(comp)
        self.sources.append(tuple(dict.fromkeys(s for s in srcs if s)))
        self.countries.append(touched)
        self.modes.append(mode)


def _running_time(row: dict[str, Any], mrow: dict[str, Any], km: float) -> tuple[float, list[str]]:
    """Return the running hours of a link (its own, else from a speed) and their sources."""
    link_refs = source_refs(row, "distance_km")
    run_h = _num(row["running_time_h"])
    if not math.isnan(run_h):
        return run_h, link_refs + source_refs(row, "running_time_h")
    speed = _num(row["speed_kmh"])
    if not math.isnan(speed) and speed > 0:
        link_refs += source_refs(row, "speed_kmh")
    else:
        speed = float(mrow["speed_kmh"])
        link_refs += source_refs(mrow, "speed_kmh")
    return (km / speed if speed > 0 else 0.0), link_refs


def _border(inp: _Inputs, family: str, a: int, b: int) -> tuple[float, list[str]]:
    """Border hours entering ``b``'s country over land, where neither end is a terminal."""
    ca, cb = inp.node_country[a], inp.node_country[b]
    if (
        family in LAND_FAMILIES
        and ca != cb
        and math.isnan(inp.dwell[a])
        and math.isnan(inp.dwell[b])
        and cb in inp.countries
    ):
        value_h = _num(inp.countries[cb]["border_time_h"])
        if not math.isnan(value_h):
            return value_h, source_refs(inp.countries[cb], "border_time_h")
    return 0.0, []


def _add_link_edges(
    inp: _Inputs, places: dict[tuple[int, str], int], link_rows: list[int], edges: _Edges
) -> None:
    """Step 5: one edge per usable link direction, departure(u) -> arrival(v)."""
    for i in link_rows:
        row = inp.links[i]
        mode = str(row["mode"])
        mrow = inp.modes[mode]
        family = inp.mode_family[mode]
        km = float(row["distance_km"])
        run_h, link_refs = _running_time(row, mrow, km)
        u, v = inp.node_index[row["from_node"]], inp.node_index[row["to_node"]]
        listed_countries = split_list(row["countries"])
        touched = frozenset(listed_countries or {inp.node_country[u], inp.node_country[v]})
        rate_row = section_rate(inp.tariffs, mode, touched, inp.unit)
        usd, tariff_refs = link_tariff(row, rate_row or mrow, inp.unit, inp.t_per_unit, km)
        co2 = link_emission(inp.factors, row, mrow, inp.commodity, inp.unit, inp.t_per_unit, km)
        base_refs = link_refs + tariff_refs + list(co2.sources) + inp.commodity_refs
        directions = [(u, v, False)]
        directed = row["directed"]
        if is_missing(directed) or not bool(directed):
            directions.append((v, u, True))
        for a, b, rev in directions:
            border_h, border_refs = _border(inp, family, a, b)
            risk_usd, risk_refs = inp.water_risk(b, mode)
            ca, cb = inp.node_country[a], inp.node_country[b]
            entered = frozenset(c for c in touched | {cb} if c != ca)
            entries = float(len(entered & inp.sanctioned))
            if entered:
                edges.entries_of[len(edges.tails)] = entered
            edges.add(
                2 * places[(a, mode)] + 1,
                2 * places[(b, mode)],
                LINK,
                i,
                [km, run_h, border_h, 0.0, usd, co2.wtw_kg, risk_usd, entries, co2.wtt_kg],
                base_refs + border_refs + risk_refs,
                touched,
                mode,
                rev,
            )


def _add_place_edges(
    inp: _Inputs, places: dict[tuple[int, str], int], vertices: _Vertices, edges: _Edges
) -> None:
    """Step 6: pass-through, access and egress edges for every place."""
    for (node, mode), p in places.items():
        dwell = inp.dwell[node]
        d = 0.0 if math.isnan(dwell) else float(dwell)
        touched = frozenset({inp.node_country[node]})
        dwell_refs = (
            source_refs(inp.node_rows[inp.node_ids[node]], "dwell_h")
            if not math.isnan(dwell)
            else []
        )
        pass_comp = [0, 0, 0, d, 0, 0, 0, 0, 0]
        edges.add(2 * p, 2 * p + 1, PASS, node, pass_comp, dwell_refs, touched, mode)
        risk_usd, risk_refs = inp.water_risk(node, mode)
        edges.add(
            int(vertices.origin[node]),
            2 * p + 1,
            ACCESS,
            node,
            [0, 0, 0, 0, 0, 0, risk_usd, 0, 0],
            risk_refs,
            touched,
            "",
        )
        edges.add(2 * p, int(vertices.destination[node]), EGRESS, node, [0] * 9, [], touched, "")


def _transfer_figures(
    inp: _Inputs, row: dict[str, Any], node: int
) -> tuple[float, float, list[str]]:
    """Hours and cost per unit of a transfer (else the node's dwell and handling), sources."""
    node_row = inp.node_rows[inp.node_ids[node]]
    time_h = _num(row["time_h"])
    t_refs = source_refs(row, "time_h")
    if math.isnan(time_h):
        time_h = 0.0 if math.isnan(inp.dwell[node]) else float(inp.dwell[node])
        t_refs = source_refs(node_row, "dwell_h")
    unit, t_per_unit = inp.unit, inp.t_per_unit
    cost, c_refs = per_unit_charge(row, "cost_usd_per_t", "cost_usd_per_teu", unit, t_per_unit)
    if math.isnan(cost):
        cost, c_refs = per_unit_charge(
            node_row, "handling_usd_per_t", "handling_usd_per_teu", unit, t_per_unit
        )
    if math.isnan(cost):
        cost, c_refs = 0.0, []
    return time_h, cost, t_refs + c_refs


def _add_transfer_edges(
    inp: _Inputs, places: dict[tuple[int, str], int], transfer_rows: list[int], edges: _Edges
) -> None:
    """Step 7: arrival(n, m1) -> departure(n, m2) for every usable transfer (both ways if so).

    A transfer onto a mode with a listed sailing headway at the node also waits half of it.
    """
    for i in transfer_rows:
        row = inp.transfers[i]
        node = inp.node_index[row["node_id"]]
        time_h, cost, refs = _transfer_figures(inp, row, node)
        hub = hub_emission(inp.factors, row, inp.commodity, inp.unit, inp.t_per_unit)
        refs = refs + list(hub.sources)
        pairs = [(str(row["from_mode"]), str(row["to_mode"]))]
        bidirectional = row["bidirectional"]
        if is_missing(bidirectional) or bool(bidirectional):
            pairs.append((pairs[0][1], pairs[0][0]))
        touched = frozenset({inp.node_country[node]})
        for m1, m2 in pairs:
            risk_usd, risk_refs = inp.water_risk(node, m2)
            wait_h, wait_refs = inp.sailing_waits.get((node, m2), (0.0, []))
            edges.add(
                2 * places[(node, m1)],
                2 * places[(node, m2)] + 1,
                TRANSFER,
                i,
                [0, 0, 0, time_h + wait_h, cost, hub.wtw_kg, risk_usd, 0, hub.wtt_kg],
                refs + wait_refs + risk_refs,
                touched,
                f"{m1}>{m2}",
            )


def _edge_items(inp: _Inputs, edges: _Edges) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """Step 8: per edge, its link or transfer id, its end nodes and its corridor families."""
    items: list[tuple[str, str, str, tuple[str, ...]]] = []
    for kind, ref, rev in zip(edges.kinds, edges.refs, edges.reverse, strict=True):
        if kind == LINK:
            row = inp.links[ref]
            pair = (str(row["from_node"]), str(row["to_node"]))
            first, second = (pair[1], pair[0]) if rev else pair
            items.append((str(row["link_id"]), first, second, tuple(split_list(row["corridor"]))))
        elif kind == TRANSFER:
            node_id = str(inp.transfers[ref]["node_id"])
            items.append((str(inp.transfers[ref]["transfer_id"]), node_id, node_id, ()))
        else:
            items.append(("", inp.node_ids[ref], inp.node_ids[ref], ()))
    return items


def build_state_graph(network: Network, commodity: str, year: int | None = None) -> StateGraph:
    """Build the state graph of ``network`` for ``commodity`` in ``year`` (uncached).

    The steps: index the tables (:func:`_inputs`), keep the usable links and transfers, number
    the (node, mode) places and lay out the vertices, then add the link, place (pass, access,
    egress) and transfer edges with their per-unit components and sources.

    Parameters
    ----------
    network
        A valid network.
    commodity
        Commodity id (must exist in the commodities table).
    year
        Network year; ``None`` for today's open network.
    """
    inp = _inputs(network, commodity, year)
    link_rows = _usable_links(inp)
    transfer_rows = _usable_transfers(inp)
    places = _places(inp, link_rows, transfer_rows)
    vertices = _Vertices.layout(len(inp.node_ids), places)
    edges = _Edges()
    _add_link_edges(inp, places, link_rows, edges)
    _add_place_edges(inp, places, vertices, edges)
    _add_transfer_edges(inp, places, transfer_rows, edges)
    n_edges = len(edges.tails)
    graph = StateGraph(
        commodity=commodity,
        year=year,
        unit=inp.unit,
        t_per_unit=inp.t_per_unit,
        value_usd_per_unit=inp.value,
        value_of_time_pct_per_day=inp.vot,
        node_ids=inp.node_ids,
        vertex_node=vertices.node,
        vertex_mode=tuple(vertices.mode),
        origin_vertex=vertices.origin,
        destination_vertex=vertices.destination,
        tails=np.asarray(edges.tails, dtype=np.int64),
        heads=np.asarray(edges.heads, dtype=np.int64),
        kind=np.asarray(edges.kinds, dtype=np.int64),
        ref=np.asarray(edges.refs, dtype=np.int64),
        reverse=np.asarray(edges.reverse, dtype=bool),
        comp=np.asarray(edges.comps, dtype=np.float64).reshape(-1, len(COMPONENTS)),
        sources=tuple(edges.sources),
        edge_countries=tuple(edges.countries),
        mode_of_edge=tuple(edges.modes),
        edge_item=tuple(_edge_items(inp, edges)),
        sanctioned=frozenset(inp.sanctioned),
        edge_entries=tuple(edges.entries_of.get(e, frozenset()) for e in range(n_edges)),
    )
    graph._cache["link_ids"] = tuple(str(row["link_id"]) for row in inp.links)
    return graph
