"""An assignment as the web page and the API show it: every place, link and capacity named.

The solver's result speaks in ids (``baku_alat``, ``aktau_port__baku_alat__caspian_ferry``);
a reader needs names, the capacities that were used (with where they are), the flows per
origin and destination with the routes they take, and the unmet demand.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from corridor.services.networks import network_features

if TYPE_CHECKING:
    from corridor.assign.result import Assignment
    from corridor.model.network import Network

_MODE_WORDS = {
    "rail_1520": "rail 1520 mm",
    "rail_1435": "rail 1435 mm",
    "caspian_ferry": "Caspian ferry",
    "caspian_ship": "Caspian ship",
    "lake_ferry": "lake ferry",
}


def short_name(name: str) -> str:
    """Return a place name without its parenthesised detail: ``"Xi'an (dry port)"`` → ``"Xi'an"``.

    Parameters
    ----------
    name
        The node's full name.
    """
    head = name.split(" (", 1)[0].strip()
    return head or name


def _float(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _names(network: Network) -> dict[str, str]:
    return {
        str(n): str(name)
        for n, name in zip(network.nodes["node_id"], network.nodes["name"], strict=True)
    }


def _item_names(network: Network, nodes: dict[str, str]) -> dict[tuple[str, str], str]:
    """Name of every link, transfer and node that can carry a capacity."""
    names: dict[tuple[str, str], str] = {("node", k): v for k, v in nodes.items()}
    links = network.links
    for link, a, b, mode in zip(
        links["link_id"], links["from_node"], links["to_node"], links["mode"], strict=True
    ):
        what = _MODE_WORDS.get(str(mode), str(mode).replace("_", " "))
        names[("link", str(link))] = (
            f"{short_name(nodes.get(str(a), str(a)))} – {short_name(nodes.get(str(b), str(b)))}"
            f" ({what})"
        )
    transfers = network.transfers
    for item, node, a, b in zip(
        transfers["transfer_id"],
        transfers["node_id"],
        transfers["from_mode"],
        transfers["to_mode"],
        strict=True,
    ):
        place = short_name(nodes.get(str(node), str(node)))
        names[("transfer", str(item))] = (
            f"{place}: transfer {_MODE_WORDS.get(str(a), str(a))} → "
            f"{_MODE_WORDS.get(str(b), str(b))}"
        )
    return names


def capacity_names(network: Network) -> dict[tuple[str, str], str]:
    """Name every place, link and transfer that can carry a capacity, as a reader knows it.

    Parameters
    ----------
    network
        The network.

    Returns
    -------
    dict
        ``(kind, item_id)`` to a name such as ``"Aktau – Baku (ferry)"``.
    """
    return _item_names(network, _names(network))


def _node_points(network: Network) -> dict[str, tuple[float, float]]:
    return {
        str(n): (float(lon), float(lat))
        for n, lon, lat in zip(
            network.nodes["node_id"], network.nodes["lon"], network.nodes["lat"], strict=True
        )
    }


def _transfer_nodes(network: Network) -> dict[str, str]:
    transfers = network.transfers
    return {
        str(t): str(n) for t, n in zip(transfers["transfer_id"], transfers["node_id"], strict=True)
    }


def _capacity_sources(network: Network) -> dict[tuple[str, str, str], str]:
    """Return the source id of every capacity figure, per (kind, item, unit)."""
    found: dict[tuple[str, str, str], str] = {}
    for kind, table, key in (
        ("link", network.links, "link_id"),
        ("transfer", network.transfers, "transfer_id"),
        ("node", network.nodes, "node_id"),
    ):
        for unit in ("t", "teu"):
            column = f"capacity_{unit}_per_year_ref"
            if column not in table:
                continue
            for item, ref in zip(table[key], table[column], strict=True):
                if isinstance(ref, str) and ref:
                    found[(kind, str(item), unit)] = ref
    return found


def assignment_view(network: Network, assignment: Assignment, top: int = 10) -> dict[str, Any]:
    """Return an assignment with names: totals, capacities used, flows per OD and link flows.

    Parameters
    ----------
    network
        The network the demand was assigned on.
    assignment
        The result of :func:`corridor.services.assign_on`.
    top
        Number of binding capacities listed under ``bottlenecks`` (dearest first).

    Returns
    -------
    dict
        ``method``, ``status``, ``convergence``, ``totals``, ``provenance``,
        ``class_shares``; ``bottlenecks`` and ``capacities`` (every
        capacity with some use: kind, id, ``name``, unit, capacity, use, utilisation, shadow
        price in USD per extra unit a year, ``binding``, and for nodes and transfers the
        ``lon``/``lat`` of the place); ``unmet`` (per OD and commodity: names, demand,
        served and unmet); ``route_shares`` (the routes each OD's served flow takes, with
        names); ``link_flows`` (GeoJSON of the loaded links with ``from_name``,
        ``to_name``, capacities and utilisation; ``null`` utilisation means the network has
        no capacity figure for the link, not that it is free). Values may contain NaN,
        which the caller makes JSON-safe.
    """
    nodes = _names(network)
    items = _item_names(network, nodes)
    points = _node_points(network)
    transfer_node = _transfer_nodes(network)
    sources = _capacity_sources(network)

    def place_of(kind: str, item: str) -> tuple[float, float] | None:
        if kind == "node":
            return points.get(item)
        if kind == "transfer":
            return points.get(transfer_node.get(item, ""))
        return None

    def capacity_row(row: dict[Any, Any]) -> dict[str, Any]:
        kind, item = str(row["kind"]), str(row["item_id"])
        out = {
            "kind": kind,
            "item_id": item,
            "name": items.get((kind, item), item),
            "unit": str(row["unit"]),
            "capacity_per_year": _float(row["capacity_per_year"]),
            "used_per_year": _float(row["used_per_year"]),
            "utilisation": _float(row["utilisation"]),
            "shadow_price_usd_per_unit": _float(row["shadow_price_usd_per_unit"]),
            "binding": bool(row.get("binding", False)),
            "source": sources.get((kind, item, str(row["unit"]))),
        }
        point = place_of(kind, item)
        if point is not None:
            out["lon"], out["lat"] = point
        return out

    resources = assignment.resources
    used = resources[resources["used_per_year"] > 1e-9] if len(resources) else resources
    capacities = [capacity_row(r) for r in used.to_dict("records")]
    bottlenecks = [capacity_row(r) for r in assignment.bottlenecks(top).to_dict("records")]

    link_caps = resources[resources["kind"] == "link"] if len(resources) else resources
    utilisation: dict[str, float] = {}
    for item, value in zip(link_caps["item_id"], link_caps["utilisation"], strict=True):
        if not math.isnan(float(value)):
            utilisation[str(item)] = max(utilisation.get(str(item), 0.0), float(value))
    flows: dict[str, dict[str, Any]] = {}
    for row in assignment.link_flows.to_dict("records"):
        entry = flows.setdefault(str(row["link_id"]), {"flow_t_per_year": 0.0, "by_commodity": {}})
        entry["flow_t_per_year"] += float(row["flow_t_per_year"])
        entry["by_commodity"][str(row["commodity"])] = float(row["flow_units_per_year"])
    _, link_features = network_features(network)
    features = []
    for feature in link_features:
        flow = flows.get(str(feature["id"]))
        if flow is None:
            continue
        props = feature["properties"]
        features.append(
            {
                **feature,
                "properties": {
                    "link_id": props["link_id"],
                    "name": items.get(("link", str(props["link_id"])), str(props["link_id"])),
                    "mode": props["mode"],
                    "from_node": props["from_node"],
                    "to_node": props["to_node"],
                    "from_name": nodes.get(str(props["from_node"]), str(props["from_node"])),
                    "to_name": nodes.get(str(props["to_node"]), str(props["to_node"])),
                    "capacity_t_per_year": props.get("capacity_t_per_year"),
                    "capacity_teu_per_year": props.get("capacity_teu_per_year"),
                    "flow_t_per_year": flow["flow_t_per_year"],
                    "flow_units_per_year_by_commodity": flow["by_commodity"],
                    "utilisation": utilisation.get(str(feature["id"])),
                },
            }
        )

    def named(row: dict[Any, Any]) -> dict[str, Any]:
        return {
            **row,
            "origin_name": nodes.get(str(row["origin"]), str(row["origin"])),
            "destination_name": nodes.get(str(row["destination"]), str(row["destination"])),
        }

    unmet = []
    for row in assignment.unmet.to_dict("records"):
        demand, missing = float(row["demand_per_year"]), float(row["unmet_per_year"])
        unmet.append({**named(row), "served_per_year": max(0.0, demand - missing)})
    shares = [named(r) for r in assignment.route_shares.to_dict("records")]
    return {
        "method": assignment.method,
        "status": assignment.status,
        "convergence": dict(assignment.convergence),
        "class_shares": assignment.class_shares.to_dict("records"),
        "totals": dict(assignment.totals),
        "bottlenecks": bottlenecks,
        "capacities": capacities,
        "unmet": unmet,
        "route_shares": shares,
        "link_flows": {"type": "FeatureCollection", "features": features},
        "provenance": dict(assignment.provenance),
    }
