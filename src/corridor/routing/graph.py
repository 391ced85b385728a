"""The multimodal state graph: a derived, cached view of a network for one commodity and year.

Every place where a mode serves a node gets two vertices, *arrival* and *departure*. Edges:

- ``link``: departure(u, mode) -> arrival(v, mode), one per usable link direction;
- ``pass``: arrival(n, mode) -> departure(n, mode), staying on the same mode through ``n``
  (costs the node's dwell time);
- ``transfer``: arrival(n, m1) -> departure(n, m2), a row of the transfers table;
- ``access``: origin(n) -> departure(n, mode) and ``egress``: arrival(n, mode) -> destination(n).

Origin and destination vertices have no incoming, respectively outgoing, edges so a route can
start and end at a node but never pass through it for free. Dwell is therefore charged at every
node a route passes or changes mode at, and never at its two ends.

Each edge carries per-unit components (km, hours split into running, border and dwell, USD,
kg CO2e, war-risk USD, sanctioned-country entries). Objectives are linear combinations of the
components, so one graph serves every objective and constraint set.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor.model.tables import split_list

if TYPE_CHECKING:
    from corridor.model.network import Network

LINK, PASS, TRANSFER, ACCESS, EGRESS = 0, 1, 2, 3, 4
EDGE_KINDS = ("link", "pass", "transfer", "access", "egress")
WATER_FAMILIES = frozenset({"sea", "ferry"})
LAND_FAMILIES = frozenset({"rail", "road"})

#: Components stored per edge, in this order, all per unit of cargo (TEU or tonne).
COMPONENTS = (
    "km",
    "run_h",
    "border_h",
    "dwell_h",
    "usd",
    "kg_co2",
    "risk_usd",
    "sanction_entries",
)


def _num(value: Any) -> float:
    """Return a float, with missing values as NaN."""
    if value is None or value is pd.NA:
        return math.nan
    return float(value)


def _text(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _is_active(status: Any, opening_year: Any, year: int | None) -> bool:
    """Whether an item with this status exists in the network of ``year``."""
    status_text = _text(status) or "open"
    if status_text == "closed":
        return False
    if status_text == "open":
        return True
    if year is None:
        return False
    opening = _num(opening_year)
    return not math.isnan(opening) and opening <= year


@dataclass(frozen=True, eq=False)
class StateGraph:
    """The state graph of one network for one commodity and year.

    Attributes
    ----------
    commodity
        Commodity id the graph was built for.
    year
        Network year (``None`` = today's open network).
    unit, t_per_unit, value_usd_per_unit, value_of_time_pct_per_day
        The commodity's unit and figures.
    node_ids
        Node id per node index.
    vertex_node
        Node index of each vertex.
    vertex_mode
        Mode of each vertex ("" for origin and destination vertices).
    origin_vertex, destination_vertex
        Vertex index of each node's origin and destination vertex.
    tails, heads
        Edge end vertices.
    kind
        Edge kind (see ``EDGE_KINDS``).
    ref
        Row position in the links, transfers or nodes table the edge comes from (links for
        ``link``, transfers for ``transfer``, nodes for the others).
    reverse
        For link edges, whether the link is traversed against its from/to direction.
    comp
        Array (n_edges, len(COMPONENTS)) of per-unit components.
    sources
        Source ids of the figures each edge used.
    edge_countries
        Countries each edge touches.
    mode_of_edge
        Mode of each edge (``from>to`` for transfers, "" for access and egress).
    edge_item
        Per edge: (link or transfer id, from node id, to node id, corridor families).
    sanctioned
        Countries with a sanctions regime in the network.
    edge_entries
        Per edge, the countries it enters (link edges whose head or listed countries differ
        from the tail's country).
    """

    commodity: str
    year: int | None
    unit: str
    t_per_unit: float
    value_usd_per_unit: float
    value_of_time_pct_per_day: float
    node_ids: tuple[str, ...]
    vertex_node: NDArray[np.int64]
    vertex_mode: tuple[str, ...]
    origin_vertex: NDArray[np.int64]
    destination_vertex: NDArray[np.int64]
    tails: NDArray[np.int64]
    heads: NDArray[np.int64]
    kind: NDArray[np.int64]
    ref: NDArray[np.int64]
    reverse: NDArray[np.bool_]
    comp: NDArray[np.float64]
    sources: tuple[tuple[str, ...], ...]
    edge_countries: tuple[frozenset[str], ...]
    mode_of_edge: tuple[str, ...]
    edge_item: tuple[tuple[str, str, str, tuple[str, ...]], ...] = ()
    sanctioned: frozenset[str] = frozenset()
    edge_entries: tuple[frozenset[str], ...] = ()
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def n_vertices(self) -> int:
        """Number of vertices."""
        return len(self.vertex_node)

    @property
    def n_edges(self) -> int:
        """Number of edges."""
        return len(self.tails)

    def column(self, name: str) -> NDArray[np.float64]:
        """Return one component column (see ``COMPONENTS``) for every edge."""
        return self.comp[:, COMPONENTS.index(name)]

    def node_index(self) -> dict[str, int]:
        """Map node id to node index."""
        cached = self._cache.get("node_index")
        if cached is None:
            cached = {node: i for i, node in enumerate(self.node_ids)}
            self._cache["node_index"] = cached
        result: dict[str, int] = cached
        return result

    def edges_by(self, key: str) -> dict[str, NDArray[np.int64]]:
        """Return edge indices grouped by country, mode or link id (``key``).

        Parameters
        ----------
        key
            ``country``, ``mode`` or ``link``.
        """
        cache_key = f"edges_by_{key}"
        if cache_key not in self._cache:
            groups: dict[str, list[int]] = {}
            for e in range(self.n_edges):
                if key == "country":
                    names: frozenset[str] | tuple[str, ...] = self.edge_countries[e]
                elif key == "mode":
                    names = (self.mode_of_edge[e],) if self.mode_of_edge[e] else ()
                else:
                    names = (self.link_ids[self.ref[e]],) if self.kind[e] == LINK else ()
                for name in names:
                    groups.setdefault(name, []).append(e)
            self._cache[cache_key] = {k: np.asarray(v, dtype=np.int64) for k, v in groups.items()}
        result: dict[str, NDArray[np.int64]] = self._cache[cache_key]
        return result

    @property
    def link_ids(self) -> tuple[str, ...]:
        """Link id per links-table row."""
        ids: tuple[str, ...] = self._cache["link_ids"]
        return ids


_GRAPHS: weakref.WeakKeyDictionary[Network, dict[tuple[str, int | None], StateGraph]] = (
    weakref.WeakKeyDictionary()
)


def state_graph(network: Network, commodity: str, year: int | None = None) -> StateGraph:
    """Return the (cached) state graph of ``network`` for ``commodity`` in ``year``.

    Parameters
    ----------
    network
        A valid network.
    commodity
        Commodity id.
    year
        Network year; ``None`` for today's open network.
    """
    per_network = _GRAPHS.setdefault(network, {})
    key = (commodity, year)
    if key not in per_network:
        per_network[key] = build_state_graph(network, commodity, year)
    return per_network[key]


def _records(table: pd.DataFrame, key: str) -> dict[str, dict[str, Any]]:
    """Rows of a table as dicts keyed by their id column."""
    return {str(row[key]): row for row in table.to_dict("records")}  # type: ignore[misc]


def _ref(row: Mapping[str, Any], column: str) -> list[str]:
    value = _text(row.get(f"{column}_ref"))
    return [value] if value else []


def build_state_graph(network: Network, commodity: str, year: int | None = None) -> StateGraph:
    """Build the state graph of ``network`` for ``commodity`` in ``year`` (uncached).

    Parameters
    ----------
    network
        A valid network.
    commodity
        Commodity id (must exist in the commodities table).
    year
        Network year; ``None`` for today's open network.
    """
    crow = _records(network.commodities, "commodity_id")[commodity]
    unit = str(crow["unit"])
    t_per_unit = float(crow["t_per_unit"])
    value = float(crow["value_usd_per_unit"])
    vot = _num(crow.get("value_of_time_pct_per_day"))
    commodity_refs = _ref(crow, "t_per_unit") + _ref(crow, "value_usd_per_unit")
    allowed_modes = set(split_list(crow["allowed_modes"]))

    nodes = network.nodes
    node_ids = tuple(str(n) for n in nodes["node_id"])
    node_index = {n: i for i, n in enumerate(node_ids)}
    node_active = np.array(
        [
            _is_active(s, y, year)
            for s, y in zip(nodes["status"], nodes["opening_year"], strict=True)
        ],
        dtype=bool,
    )
    node_country = [str(c) for c in nodes["country"]]
    dwell = np.array([_num(v) for v in nodes["dwell_h"]], dtype=float)
    node_rows = _records(nodes, "node_id")
    countries = _records(network.countries, "country")
    modes = _records(network.modes, "mode")
    mode_family = {m: str(r["family"]) for m, r in modes.items()}
    sanctioned = {c for c, r in countries.items() if _text(r["sanctions"]) not in ("", "none")}

    def war_risk(node: int) -> tuple[float, list[str]]:
        """War-risk premium (% of value) per call at a node, with its source."""
        row = node_rows[node_ids[node]]
        pct = _num(row["war_risk_pct_hull_per_call"])
        if not math.isnan(pct):
            return pct, _ref(row, "war_risk_pct_hull_per_call")
        country = node_country[node]
        if country in countries:
            crow_ = countries[country]
            for column in ("war_risk_pct_hull_per_call", "war_risk_pct_cargo"):
                pct = _num(crow_[column])
                if not math.isnan(pct):
                    return pct, _ref(crow_, column)
        return 0.0, []

    # Usable links and the (node, mode) places they create.
    links: list[dict[str, Any]] = network.links.to_dict("records")  # type: ignore[assignment]
    link_rows: list[int] = []
    for i, row in enumerate(links):
        mode = str(row["mode"])
        listed = split_list(row["commodities"])
        if mode not in allowed_modes or (listed and commodity not in listed):
            continue
        if not _is_active(row["status"], row["opening_year"], year):
            continue
        ends = (node_index[row["from_node"]], node_index[row["to_node"]])
        if not (node_active[ends[0]] and node_active[ends[1]]):
            continue
        link_rows.append(i)

    transfers: list[dict[str, Any]] = network.transfers.to_dict("records")  # type: ignore[assignment]
    transfer_rows = [
        i
        for i, row in enumerate(transfers)
        if str(row["from_mode"]) in allowed_modes
        and str(row["to_mode"]) in allowed_modes
        and _is_active(row["status"], row["opening_year"], year)
        and node_active[node_index[row["node_id"]]]
    ]

    places: dict[tuple[int, str], int] = {}
    for i in link_rows:
        row = links[i]
        for end in ("from_node", "to_node"):
            places.setdefault((node_index[row[end]], str(row["mode"])), len(places))
    for i in transfer_rows:
        row = transfers[i]
        for column in ("from_mode", "to_mode"):
            places.setdefault((node_index[row["node_id"]], str(row[column])), len(places))

    n_nodes = len(node_ids)
    n_places = len(places)
    # Vertex layout: arrival(p) = 2p, departure(p) = 2p + 1, origin(n) = 2P + n,
    # destination(n) = 2P + N + n.
    vertex_node = np.empty(2 * n_places + 2 * n_nodes, dtype=np.int64)
    vertex_mode: list[str] = [""] * len(vertex_node)
    for (node, mode), p in places.items():
        vertex_node[2 * p] = vertex_node[2 * p + 1] = node
        vertex_mode[2 * p] = vertex_mode[2 * p + 1] = mode
    origin_vertex = 2 * n_places + np.arange(n_nodes, dtype=np.int64)
    destination_vertex = origin_vertex + n_nodes
    vertex_node[origin_vertex] = np.arange(n_nodes)
    vertex_node[destination_vertex] = np.arange(n_nodes)

    tails: list[int] = []
    heads: list[int] = []
    kinds: list[int] = []
    refs: list[int] = []
    reverse: list[bool] = []
    comps: list[list[float]] = []
    sources: list[tuple[str, ...]] = []
    edge_countries: list[frozenset[str]] = []
    entries_of: dict[int, frozenset[str]] = {}
    edge_modes: list[str] = []

    def add(
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
        tails.append(tail)
        heads.append(head)
        kinds.append(kind)
        refs.append(ref)
        reverse.append(rev)
        comps.append(comp)
        sources.append(tuple(dict.fromkeys(s for s in srcs if s)))
        edge_countries.append(touched)
        edge_modes.append(mode)

    # Link edges.
    for i in link_rows:
        row = links[i]
        mode = str(row["mode"])
        mrow = modes[mode]
        family = mode_family[mode]
        km = float(row["distance_km"])
        link_refs = _ref(row, "distance_km")
        run_h = _num(row["running_time_h"])
        if not math.isnan(run_h):
            link_refs += _ref(row, "running_time_h")
        else:
            speed = _num(row["speed_kmh"])
            if not math.isnan(speed) and speed > 0:
                link_refs += _ref(row, "speed_kmh")
            else:
                speed = float(mrow["speed_kmh"])
                link_refs += _ref(mrow, "speed_kmh")
            run_h = km / speed if speed > 0 else 0.0
        usd, tariff_refs = _link_tariff(row, mrow, unit, t_per_unit, km)
        kg_co2 = float(mrow["co2e_g_per_tkm"]) * km * t_per_unit / 1000.0
        base_refs = link_refs + tariff_refs + _ref(mrow, "co2e_g_per_tkm") + commodity_refs
        u, v = node_index[row["from_node"]], node_index[row["to_node"]]
        listed_countries = split_list(row["countries"])
        touched = frozenset(listed_countries or {node_country[u], node_country[v]})
        directions = [(u, v, False)]
        directed = row["directed"]
        if directed is pd.NA or not bool(directed):
            directions.append((v, u, True))
        for a, b, rev in directions:
            border_h = 0.0
            border_refs: list[str] = []
            ca, cb = node_country[a], node_country[b]
            if (
                family in LAND_FAMILIES
                and ca != cb
                and math.isnan(dwell[a])
                and math.isnan(dwell[b])
                and cb in countries
            ):
                value_h = _num(countries[cb]["border_time_h"])
                if not math.isnan(value_h):
                    border_h = value_h
                    border_refs = _ref(countries[cb], "border_time_h")
            risk_pct, risk_refs = war_risk(b) if family in WATER_FAMILIES else (0.0, [])
            entered = frozenset(c for c in touched | {cb} if c != ca)
            entries = float(len(entered & sanctioned))
            if entered:
                entries_of[len(tails)] = entered
            add(
                2 * places[(a, mode)] + 1,
                2 * places[(b, mode)],
                LINK,
                i,
                [
                    km,
                    run_h,
                    border_h,
                    0.0,
                    usd,
                    kg_co2,
                    value * risk_pct / 100.0,
                    entries,
                ],
                base_refs + border_refs + risk_refs,
                touched,
                mode,
                rev,
            )

    # Pass-through, access and egress edges for every place.
    for (node, mode), p in places.items():
        d = 0.0 if math.isnan(dwell[node]) else float(dwell[node])
        touched = frozenset({node_country[node]})
        dwell_refs = (
            _ref(node_rows[node_ids[node]], "dwell_h") if not math.isnan(dwell[node]) else []
        )
        add(2 * p, 2 * p + 1, PASS, node, [0, 0, 0, d, 0, 0, 0, 0], dwell_refs, touched, mode)
        risk_pct, risk_refs = war_risk(node) if mode_family[mode] in WATER_FAMILIES else (0.0, [])
        add(
            int(origin_vertex[node]),
            2 * p + 1,
            ACCESS,
            node,
            [0, 0, 0, 0, 0, 0, value * risk_pct / 100.0, 0],
            risk_refs,
            touched,
            "",
        )
        add(2 * p, int(destination_vertex[node]), EGRESS, node, [0] * 8, [], touched, "")

    # Transfer edges.
    for i in transfer_rows:
        row = transfers[i]
        node = node_index[row["node_id"]]
        time_h = _num(row["time_h"])
        t_refs = _ref(row, "time_h")
        if math.isnan(time_h):
            time_h = 0.0 if math.isnan(dwell[node]) else float(dwell[node])
            t_refs = _ref(node_rows[node_ids[node]], "dwell_h")
        cost, c_refs = _per_unit(row, "cost_usd_per_t", "cost_usd_per_teu", unit, t_per_unit)
        if math.isnan(cost):
            cost, c_refs = _per_unit(
                node_rows[node_ids[node]],
                "handling_usd_per_t",
                "handling_usd_per_teu",
                unit,
                t_per_unit,
            )
        if math.isnan(cost):
            cost, c_refs = 0.0, []
        pairs = [(str(row["from_mode"]), str(row["to_mode"]))]
        bidirectional = row["bidirectional"]
        if bidirectional is pd.NA or bool(bidirectional):
            pairs.append((pairs[0][1], pairs[0][0]))
        touched = frozenset({node_country[node]})
        for m1, m2 in pairs:
            risk_pct, risk_refs = war_risk(node) if mode_family[m2] in WATER_FAMILIES else (0.0, [])
            add(
                2 * places[(node, m1)],
                2 * places[(node, m2)] + 1,
                TRANSFER,
                i,
                [0, 0, 0, time_h, cost, 0, value * risk_pct / 100.0, 0],
                t_refs + c_refs + risk_refs,
                touched,
                f"{m1}>{m2}",
            )

    items: list[tuple[str, str, str, tuple[str, ...]]] = []
    for kind, ref, rev in zip(kinds, refs, reverse, strict=True):
        if kind == LINK:
            row = links[ref]
            pair = (str(row["from_node"]), str(row["to_node"]))
            first, second = (pair[1], pair[0]) if rev else pair
            items.append((str(row["link_id"]), first, second, tuple(split_list(row["corridor"]))))
        elif kind == TRANSFER:
            node_id = str(transfers[ref]["node_id"])
            items.append((str(transfers[ref]["transfer_id"]), node_id, node_id, ()))
        else:
            items.append(("", node_ids[ref], node_ids[ref], ()))

    graph = StateGraph(
        commodity=commodity,
        year=year,
        unit=unit,
        t_per_unit=t_per_unit,
        value_usd_per_unit=value,
        value_of_time_pct_per_day=vot,
        node_ids=node_ids,
        vertex_node=vertex_node,
        vertex_mode=tuple(vertex_mode),
        origin_vertex=origin_vertex,
        destination_vertex=destination_vertex,
        tails=np.asarray(tails, dtype=np.int64),
        heads=np.asarray(heads, dtype=np.int64),
        kind=np.asarray(kinds, dtype=np.int64),
        ref=np.asarray(refs, dtype=np.int64),
        reverse=np.asarray(reverse, dtype=bool),
        comp=np.asarray(comps, dtype=np.float64).reshape(-1, len(COMPONENTS)),
        sources=tuple(sources),
        edge_countries=tuple(edge_countries),
        mode_of_edge=tuple(edge_modes),
        edge_item=tuple(items),
        sanctioned=frozenset(sanctioned),
        edge_entries=tuple(entries_of.get(e, frozenset()) for e in range(len(tails))),
    )
    graph._cache["link_ids"] = tuple(str(row["link_id"]) for row in links)
    return graph


def _per_unit(
    row: Mapping[str, Any], per_t: str, per_teu: str, unit: str, t_per_unit: float
) -> tuple[float, list[str]]:
    """Return a handling charge per unit of cargo (NaN if the table has none for the unit).

    Containers pay the per-TEU column only: a terminal's per-tonne rate is a bulk rate and
    does not apply to boxes. Bulk cargo pays the per-tonne column.
    """
    column = per_teu if unit == "teu" else per_t
    value = _num(row[column])
    if math.isnan(value):
        return math.nan, []
    return (value if unit == "teu" else value * t_per_unit), _ref(row, column)


def _link_tariff(
    row: Mapping[str, Any], mrow: Mapping[str, Any], unit: str, t_per_unit: float, km: float
) -> tuple[float, list[str]]:
    """Money per unit for one link: the link's own tariff, else the mode's per-km tariff."""
    per_teu = _num(row["tariff_usd_per_teu"])
    per_t = _num(row["tariff_usd_per_t"])
    if unit == "teu" and not math.isnan(per_teu):
        return per_teu, _ref(row, "tariff_usd_per_teu")
    if not math.isnan(per_t):
        return per_t * t_per_unit, _ref(row, "tariff_usd_per_t")
    teu_km = _num(mrow["tariff_usd_per_teu_km"])
    t_km = _num(mrow["tariff_usd_per_tkm"])
    if unit == "teu" and not math.isnan(teu_km):
        return teu_km * km, _ref(mrow, "tariff_usd_per_teu_km")
    if not math.isnan(t_km):
        return t_km * km * t_per_unit, _ref(mrow, "tariff_usd_per_tkm")
    return 0.0, []
