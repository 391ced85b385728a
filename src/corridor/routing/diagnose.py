"""Why there is no route: which constraint cut the last connection, or when one opens."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from corridor.model.text import split_list
from corridor.routing.graph import (
    state_graph,
)
from corridor.routing.names import names
from corridor.routing.search import (
    Request,
    _shortest,
    build_problem,
    sanctioned_countries,
)

if TYPE_CHECKING:
    from corridor.model.network import Network


def diagnose(network: Network, request: Request) -> str:
    """Explain why no route exists: which constraint cut the last connection.

    Parameters
    ----------
    network
        The network.
    request
        The request that has no route.
    """
    index = names(network)
    label = {k: v.split(" (")[0] for k, v in index.nodes.labels.items()}
    head = (
        f"No route from {label[request.origin]} to {label[request.destination]} "
        f"for {request.commodity}"
    )

    def reachable(candidate: Request) -> bool:
        problem = build_problem(network, candidate)
        return _shortest(problem, "generalized") is not None

    c = request.constraints
    culprits: list[str] = []
    for field_name, items in (
        ("avoid_countries", c.avoid_countries),
        ("avoid_nodes", c.avoid_nodes),
        ("avoid_links", c.avoid_links),
        ("avoid_modes", c.avoid_modes),
    ):
        for item in sorted(items):
            relaxed = c.model_copy(update={field_name: frozenset(items - {item})})
            if reachable(Request(**{**request.__dict__, "constraints": relaxed})):
                what = {"avoid_countries": "country", "avoid_nodes": "node"}.get(
                    field_name, field_name.removeprefix("avoid_").rstrip("s")
                )
                culprits.append(f"avoiding {what} {item}")
        if len(items) > 1 and not culprits:
            relaxed = c.without(field_name)
            if reachable(Request(**{**request.__dict__, "constraints": relaxed})):
                culprits.append(f"avoiding {', '.join(sorted(items))} together")
    if c.via and reachable(Request(**{**request.__dict__, "constraints": c.without("via")})):
        culprits.append(f"passing via {', '.join(c.via)}")
    if request.params.max_war_risk_pct is not None:
        relaxed_params = request.params.model_copy(update={"max_war_risk_pct": None})
        if reachable(Request(**{**request.__dict__, "params": relaxed_params})):
            culprits.append(
                f"treating war-risk premiums above {request.params.max_war_risk_pct} % as "
                "uninsurable"
            )
    if request.params.sanctions == "forbid":
        relaxed_params = request.params.model_copy(update={"sanctions": "flag"})
        if reachable(Request(**{**request.__dict__, "params": relaxed_params})):
            countries = ", ".join(
                sorted(sanctioned_countries(state_graph(network, request.commodity, c.year)))
            )
            culprits.append(f"forbidding sanctioned countries ({countries})")
    rules = network.tables["sanction_rules"]
    forbidding = [
        str(rule["rule_id"])
        for rule in rules.to_dict("records")
        if rule["action"] == "forbid"
        and request.commodity in (split_list(rule["commodities"]) or [request.commodity])
    ]
    if forbidding:
        from corridor.model.network import Network

        tables = dict(network.tables)
        tables["sanction_rules"] = rules.iloc[0:0]
        relaxed_net = Network(meta=network.meta, tables=tables, origins=network.origins)
        if _shortest(build_problem(relaxed_net, request), "generalized") is not None:
            culprits.append(
                f"sanction rules forbidding {request.commodity} ({', '.join(forbidding)})"
            )
    opening = _earliest_opening(network, request, reachable)
    later = f"planned links connect them from {opening} (give --year {opening})" if opening else ""
    if culprits:
        if len(culprits) == 1:
            tail = f"; without it, {later}" if later else ""
            return f"{head}: {culprits[0]} cuts the last connection{tail}."
        tail = f"; or wait: {later}" if later else ""
        return (
            f"{head}: the last connection is cut by {', or by '.join(culprits)}; "
            f"drop any one of them to get a route{tail}."
        )
    if later:
        return f"{head} in the network of {c.year or 'today'}: only {later}."
    graph = state_graph(network, request.commodity, c.year)
    node_index = graph.node_index()
    for end in (request.origin, request.destination):
        if not np.any(
            (graph.vertex_node == node_index[end])
            & (np.arange(graph.n_vertices) < graph.origin_vertex[0])
        ):
            allowed = split_list(
                network.commodities.set_index("commodity_id").loc[
                    request.commodity, "allowed_modes"
                ]
            )
            return (
                f"{head}: no link that {request.commodity} may use ({', '.join(allowed)}) "
                f"serves {label[end]}."
            )
    return f"{head}: the two nodes are not connected for this commodity, even without constraints."


def _earliest_opening(network: Network, request: Request, reachable: Any) -> int | None:
    """Return the first year in which planned items connect the request's ends, or None."""
    years: set[int] = set()
    for table in (network.links, network.nodes, network.transfers):
        for value in table["opening_year"].dropna():
            if request.constraints.year is None or int(value) > request.constraints.year:
                years.add(int(value))
    for year in sorted(years):
        relaxed = request.constraints.model_copy(update={"year": year})
        if reachable(Request(**{**request.__dict__, "constraints": relaxed})):
            return year
    return None
