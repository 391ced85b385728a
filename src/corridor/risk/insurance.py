"""War-risk what-ifs: a network with other premiums, and the premium that flips a choice.

These functions never change the network they are given; they return a new one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from corridor.model.network import Network
    from corridor.routing.result import Route

#: Source id recorded for premiums set by a what-if.
SCENARIO_SOURCE = "scenario-war-risk"


def with_war_risk(network: Network, premiums: Mapping[str, float]) -> Network:
    """Return a copy of ``network`` with other war-risk premiums per port call.

    Parameters
    ----------
    network
        The base network (unchanged).
    premiums
        Country code -> premium in % of value per call. The country's premium and every node
        override in that country are set to it.

    Returns
    -------
    Network
        A new network; the premiums cite a ``scenario-war-risk`` source row of kind
        ``estimate`` whose method states the values.

    Examples
    --------
    >>> import corridor
    >>> net = corridor.load()
    >>> spiked = with_war_risk(net, {"RU": 15.0})
    >>> "taman" in corridor.route(spiked, "Kostanay", "Istanbul", "grain").nodes
    False
    >>> float(net.countries.set_index("country").loc["RU", "war_risk_pct_hull_per_call"])
    0.725
    """
    from corridor.model.network import Network

    tables = {name: table.copy() for name, table in network.tables.items()}
    countries, nodes = tables["countries"], tables["nodes"]
    for country, pct in premiums.items():
        in_country = countries["country"] == country
        countries.loc[in_country, "war_risk_pct_hull_per_call"] = float(pct)
        countries.loc[in_country, "war_risk_pct_hull_per_call_ref"] = SCENARIO_SOURCE
        overridden = (nodes["country"] == country) & nodes["war_risk_pct_hull_per_call"].notna()
        nodes.loc[overridden, "war_risk_pct_hull_per_call"] = float(pct)
        nodes.loc[overridden, "war_risk_pct_hull_per_call_ref"] = SCENARIO_SOURCE
    sources = tables["sources"]
    method = "what-if premiums (% of value per call): " + ", ".join(
        f"{c} {p:g}" for c, p in sorted(premiums.items())
    )
    row: dict[str, object] = dict.fromkeys(sources.columns, pd.NA)
    row.update({"source_id": SCENARIO_SOURCE, "kind": "estimate", "title": "War-risk what-if"})
    row["method"] = method
    sources = sources[sources["source_id"] != SCENARIO_SOURCE]
    tables["sources"] = pd.concat(
        [sources, pd.DataFrame([row]).astype(sources.dtypes.to_dict())], ignore_index=True
    )
    meta = network.meta.model_copy(
        update={"name": f"{network.meta.name}+war-risk", "extends": network.meta.name}
    )
    return Network(meta=meta, tables=tables, origins=network.origins)


def flip_premium(
    network: Network,
    country: str,
    choose: Callable[[Network], Route],
    changed: Callable[[Route], bool],
    *,
    high_pct: float = 100.0,
    tolerance_pct: float = 0.01,
) -> float | None:
    """Find the war-risk premium in ``country`` at which the chosen route changes.

    Bisection on the premium: ``choose`` picks a route on a network with that premium and
    ``changed`` tells whether it is the other choice. Assumes the choice flips once.

    Parameters
    ----------
    network
        The base network.
    country
        Country whose premium varies.
    choose
        Network -> the route chosen on it (e.g. ``lambda n: route(n, "Kostanay", ...)``).
    changed
        Route -> whether it is the alternative choice (e.g. it avoids the country).
    high_pct
        Highest premium tried, % of value per call.
    tolerance_pct
        Precision of the answer.

    Returns
    -------
    float or None
        The smallest premium (within the tolerance) at which the choice has changed, or None if
        it does not change up to ``high_pct``.
    """
    low, high = 0.0, high_pct
    if changed(choose(with_war_risk(network, {country: low}))):
        return 0.0
    if not changed(choose(with_war_risk(network, {country: high}))):
        return None
    while high - low > tolerance_pct:
        mid = (low + high) / 2
        if changed(choose(with_war_risk(network, {country: mid}))):
            high = mid
        else:
            low = mid
    return high
