"""Contracts and quotas: minimum and maximum annual flows the logit assignment must respect.

A contract (a row of the network's ``contracts`` table) bounds the tonnes per year of one
commodity, optionally of one origin and destination, that pass a set of links, nodes or
corridor families (a route counts once however many of them it passes). Transit agreements
such as the KMG–SOCAR volumes for Baku–Tbilisi–Ceyhan are maxima: they allocate capacity,
shippers may use less; a published commitment to ship is a minimum.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from corridor.model.tables import split_list
from corridor.routing.graph import LINK

if TYPE_CHECKING:
    from corridor.routing.search import Request


@dataclass(frozen=True)
class Contract:
    """Bounds on a commodity's annual tonnes through some links, nodes or families.

    Attributes
    ----------
    contract_id
        Identifier (named in errors).
    commodity
        Commodity id.
    measure
        ``link``, ``node`` or ``family``.
    ids
        The links, nodes or corridor families measured.
    min_t, max_t
        Bounds in tonnes per year (``0`` and ``inf`` where there is none).
    origin, destination
        Restrict the contract to flows of this OD (empty: any).
    """

    contract_id: str
    commodity: str
    measure: str
    ids: frozenset[str]
    min_t: float = 0.0
    max_t: float = math.inf
    origin: str = ""
    destination: str = ""


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def contracts_from_table(table: pd.DataFrame, year: int | None) -> list[Contract]:
    """Read the contracts in force in ``year`` (all of them when ``year`` is None).

    Parameters
    ----------
    table
        The network's ``contracts`` table (validated against its schema).
    year
        Network year.
    """
    out: list[Contract] = []
    if table is None or table.empty:
        return out
    for row in table.to_dict("records"):
        first = row.get("year_from")
        last = row.get("year_to")
        if year is not None:
            if first is not None and not pd.isna(first) and year < int(first):
                continue
            if last is not None and not pd.isna(last) and year > int(last):
                continue
        low = row.get("min_t_per_year")
        high = row.get("max_t_per_year")
        out.append(
            Contract(
                contract_id=str(row["contract_id"]),
                commodity=str(row["commodity"]),
                measure=str(row["measure"]),
                ids=frozenset(split_list(row["measure_ids"])),
                min_t=0.0 if low is None or pd.isna(low) else float(low),
                max_t=math.inf if high is None or pd.isna(high) else float(high),
                origin=_text(row.get("origin")),
                destination=_text(row.get("destination")),
            )
        )
    return out


def contract_rows(
    contracts: Iterable[Contract], graph: Any, edges: Any, request: Request
) -> list[tuple[int, float]]:
    """Return ``(contract number, tonnes per unit)`` for every contract a path counts in.

    Parameters
    ----------
    contracts
        The contracts.
    graph
        The state graph the path runs on.
    edges
        State-graph edge indices of the path.
    request
        The path's request (for its commodity, origin and destination).
    """
    found: list[tuple[int, float]] = []
    items: dict[str, set[str]] | None = None
    for i, c in enumerate(contracts):
        if c.commodity != request.commodity:
            continue
        if (c.origin and c.origin != request.origin) or (
            c.destination and c.destination != request.destination
        ):
            continue
        if items is None:
            items = {"link": set(), "node": set(), "family": set()}
            for e in np.asarray(edges, dtype=np.int64):
                item, u, v, families = graph.edge_item[int(e)]
                items["node"].update(x for x in (u, v) if x)
                if int(graph.kind[int(e)]) == LINK:
                    items["link"].add(item)
                    items["family"].update(families)
        if items.get(c.measure, set()) & c.ids:
            found.append((i, float(graph.t_per_unit)))
    return found
