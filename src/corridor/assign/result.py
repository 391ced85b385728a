"""The result of an assignment: flows, capacities used, shadow prices, unmet demand, shares.

:class:`Assignment` is what :func:`corridor.assign.model.assign` returns; the functions here
read it off the LP solution.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from corridor.assign.decompose import _route_shares
from corridor.assign.lp import Solution
from corridor.model.records import records
from corridor.routing.graph import LINK
from corridor.routing.search import Request

if TYPE_CHECKING:
    from corridor.model.network import Network


@dataclass(frozen=True)
class Resource:
    """A capacity: what it belongs to and how much per year."""

    kind: str  # link | transfer | node
    item_id: str
    unit: str  # t | teu
    capacity: float


@dataclass(frozen=True)
class Assignment:
    """Result of loading demand onto the network.

    Attributes
    ----------
    status
        Solver status.
    resources
        Capacities with their use, utilisation and shadow price (USD per extra unit per year).
    link_flows
        Flow per link and commodity (units and tonnes per year).
    unmet
        Unmet demand per OD and commodity.
    route_shares
        Per OD and commodity, the routes its served flow takes (from a decomposition of the
        optimal flows into paths): corridor label, nodes, flow, share, time and cost per unit.
    totals
        Generalized cost, tonne-km, CO2 and unmet totals.
    provenance
        Network, hash, solver, status, build and solve times.
    method
        ``min_cost`` (the LP: least total generalized cost, the system optimum) or ``logit``
        (path-size logit equilibrium: how shippers split).
    convergence
        For ``logit``: relative gap reached, tolerance, iterations, dispersion.
    class_shares
        For ``logit``: route shares per OD and shipper class.
    contracts
        For ``logit``: each contract's bounds, use and shadow price (USD per t).
    """

    status: str
    resources: pd.DataFrame
    link_flows: pd.DataFrame
    unmet: pd.DataFrame
    totals: dict[str, float]
    provenance: dict[str, Any] = field(default_factory=dict)
    route_shares: pd.DataFrame = field(default_factory=pd.DataFrame)
    method: str = "min_cost"
    convergence: dict[str, Any] = field(default_factory=dict)
    class_shares: pd.DataFrame = field(default_factory=pd.DataFrame)
    contracts: pd.DataFrame = field(default_factory=pd.DataFrame)

    def _repr_html_(self) -> str:
        from corridor.report.notebook import assignment_html

        return assignment_html(self)

    def bottlenecks(self, top: int = 10) -> pd.DataFrame:
        """Return the binding capacities, most valuable to expand first."""
        binding = self.resources[self.resources["binding"]]
        return binding.sort_values("shadow_price_usd_per_unit", ascending=False).head(top)

    def to_dict(self, top: int = 10) -> dict[str, Any]:
        """Return the result as JSON-ready data with unit-named keys.

        Parameters
        ----------
        top
            Number of bottlenecks listed under ``bottlenecks``.
        """
        return {
            "method": self.method,
            "status": self.status,
            "convergence": dict(self.convergence),
            "totals": dict(self.totals),
            "bottlenecks": records(self.bottlenecks(top)),
            "resources": records(self.resources),
            "link_flows": records(self.link_flows),
            "route_shares": records(self.route_shares),
            "unmet": records(self.unmet),
            "class_shares": records(self.class_shares),
            "contracts": records(self.contracts),
            "provenance": dict(self.provenance),
        }

    def link_totals(self) -> pd.DataFrame:
        """Return the flow per link over all commodities, with the link's utilisation."""
        if self.link_flows.empty:
            return pd.DataFrame(columns=["link_id", "flow_t_per_year", "utilisation"])
        sums = self.link_flows.groupby("link_id")["flow_t_per_year"].sum()
        links = self.resources[self.resources["kind"] == "link"]
        util = links.groupby("item_id")["utilisation"].max()
        return pd.DataFrame(
            {
                "link_id": sums.index,
                "flow_t_per_year": sums.to_numpy(),
                "utilisation": [util.get(i, math.nan) for i in sums.index],
            }
        )

    def to_geojson(self, network: Network) -> dict[str, Any]:
        """Return the loaded links as a GeoJSON FeatureCollection.

        Each feature is a link with flow (``flow_t_per_year`` and per commodity
        ``flow_<commodity>_units_per_year``) and the utilisation of its capacity (null when
        the link has none).
        """
        from corridor.io.geojson import link_geometries

        geometry = link_geometries(network)
        per_commodity: dict[str, dict[str, float]] = {}
        flows = self.link_flows
        if not flows.empty:
            for link_id, commodity, units in zip(
                flows["link_id"].tolist(),
                flows["commodity"].tolist(),
                flows["flow_units_per_year"].tolist(),
                strict=True,
            ):
                entry = per_commodity.setdefault(str(link_id), {})
                entry[f"flow_{commodity}_units_per_year"] = float(units)
        totals = self.link_totals()
        features = []
        for link_id, tonnes, util in zip(
            totals["link_id"].tolist(),
            totals["flow_t_per_year"].tolist(),
            totals["utilisation"].tolist(),
            strict=True,
        ):
            features.append(
                {
                    "type": "Feature",
                    "geometry": geometry.get(str(link_id)),
                    "properties": {
                        "link_id": link_id,
                        "flow_t_per_year": float(tonnes),
                        "utilisation": None if math.isnan(util) else float(util),
                        **per_commodity.get(str(link_id), {}),
                    },
                }
            )
        return {"type": "FeatureCollection", "features": features}

    def write_csv(self, folder: str | os.PathLike[str]) -> list[Path]:
        """Write the result tables as CSV files into a folder (created if missing).

        Files are written under temporary names and renamed at the end, so a failure leaves
        no half-written table.

        Returns
        -------
        list of Path
            The files written.
        """
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        totals = pd.DataFrame([{**self.totals, "status": self.status}])
        tables = {
            "resources.csv": self.resources,
            "bottlenecks.csv": self.bottlenecks(len(self.resources)),
            "link_flows.csv": self.link_flows,
            "route_shares.csv": self.route_shares,
            "unmet.csv": self.unmet,
            "totals.csv": totals,
        }
        if self.method == "logit":
            tables["class_shares.csv"] = self.class_shares
            tables["contracts.csv"] = self.contracts
        staged: list[tuple[Path, Path]] = []
        try:
            for name, frame in tables.items():
                tmp = out / f".{name}.tmp"
                frame.to_csv(tmp, index=False)
                staged.append((tmp, out / name))
        except OSError:
            for tmp, _ in staged:
                tmp.unlink(missing_ok=True)
            raise
        for tmp, final in staged:
            os.replace(tmp, final)
        return [final for _, final in staged]


_SHARE_COLUMNS = [
    "origin",
    "destination",
    "commodity",
    "corridor",
    "nodes",
    "flow_per_year",
    "share",
    "time_h",
    "cost_usd_per_unit",
    "generalized_cost_usd_per_unit",
]


def _results(
    network: Network,
    resources: list[Resource],
    meta: list[tuple[Any, list[tuple[Request, float]], Any]],
    solution: Solution,
    penalty: float,
    build_s: float,
    year: int | None,
    method: str = "paths",
    *,
    route_shares: pd.DataFrame | None = None,
) -> Assignment:
    link_rows: dict[tuple[str, str], list[float]] = {}
    unmet_rows: list[dict[str, Any]] = []
    share_rows: list[dict[str, Any]] = []
    tonne_km = co2 = 0.0
    km_col, co2_col = 0, 5
    for (graph, members, keep), x, s in zip(meta, solution.flows, solution.unmet, strict=True):
        comp = graph.comp[keep]
        for j, e in enumerate(keep):
            if x[j] <= 1e-9 or graph.kind[e] != LINK:
                continue
            item = graph.edge_item[e][0]
            entry = link_rows.setdefault((item, graph.commodity), [0.0, 0.0])
            entry[0] += float(x[j])
            entry[1] += float(x[j]) * graph.t_per_unit
        tonne_km += float((x * comp[:, km_col]).sum()) * graph.t_per_unit
        co2 += float((x * comp[:, co2_col]).sum())
        if route_shares is None:
            share_rows += _route_shares(network, graph, members, keep, x, s)
        for (request, flow), unmet in zip(members, s, strict=True):
            unmet_rows.append(
                {
                    "origin": request.origin,
                    "destination": request.destination,
                    "commodity": request.commodity,
                    "demand_per_year": flow,
                    "unmet_per_year": float(unmet),
                }
            )
    unmet_total = float(sum(float(r["unmet_per_year"]) for r in unmet_rows))
    usage = solution.usage
    frame = pd.DataFrame(
        {
            "kind": [r.kind for r in resources],
            "item_id": [r.item_id for r in resources],
            "unit": [r.unit for r in resources],
            "capacity_per_year": [r.capacity for r in resources],
            "used_per_year": usage,
            "utilisation": [
                u / r.capacity if r.capacity > 0 else math.nan
                for u, r in zip(usage, resources, strict=True)
            ],
            "shadow_price_usd_per_unit": solution.shadow_price,
        }
    )
    frame["binding"] = (frame["shadow_price_usd_per_unit"] > 1e-6) | (
        frame["utilisation"] >= 1 - 1e-6
    )
    links = pd.DataFrame(
        [
            {
                "link_id": k[0],
                "commodity": k[1],
                "flow_units_per_year": v[0],
                "flow_t_per_year": v[1],
            }
            for k, v in sorted(link_rows.items())
        ]
    )
    shares = (
        route_shares
        if route_shares is not None
        else pd.DataFrame(share_rows, columns=_SHARE_COLUMNS)
    )
    return Assignment(
        route_shares=shares,
        status=solution.status,
        resources=frame,
        link_flows=links,
        unmet=pd.DataFrame(unmet_rows),
        totals={
            "objective_usd_per_year": solution.objective,
            "generalized_cost_usd_per_year": solution.objective - penalty * unmet_total,
            "tonne_km_per_year": tonne_km,
            "co2_kg_per_year": co2,
            "unmet_units_per_year": unmet_total,
        },
        provenance={
            "network": network.meta.name,
            "network_version": network.meta.version,
            "content_hash": network.content_hash(),
            "year": year,
            "solver": "HiGHS",
            "formulation": "column generation" if method == "paths" else "arc-based",
            "status": solution.status,
            "build_s": build_s,
            "solve_s": solution.solve_s,
            "unmet_penalty_usd_per_unit": penalty,
        },
    )
