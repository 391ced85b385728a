"""Route results: a leg table, totals, corridor family, GeoJSON and provenance.

Results are plain immutable values computed from a network; they never change it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from corridor.io.geojson import NetworkLines, network_lines

if TYPE_CHECKING:
    import pandas as pd

    from corridor.model.network import Network


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    """Names of a dataclass's fields, in order (:func:`dataclasses.fields` is slow per call)."""
    found = _FIELD_NAMES.get(cls)
    if found is None:
        found = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return found


def leg_coordinates(lines: NetworkLines, leg: Leg) -> list[list[float]]:
    """Return a link leg's points from its start: the link's geometry, else a straight line.

    Parameters
    ----------
    lines
        The network's node points and link geometries (:func:`corridor.io.geojson.network_lines`).
    leg
        A leg of kind ``link``.
    """
    start = lines.nodes[leg.from_node]
    line = lines.links.get(leg.item_id) or (start, lines.nodes[leg.to_node])
    if math.dist(line[0], start) > math.dist(line[-1], start):
        line = line[::-1]
    return [[x, y] for x, y in line]


@dataclass(frozen=True)
class Leg:
    """One leg of a route: a link, or a transfer between modes at a node.

    All money, time, CO2 and risk figures are per unit of cargo (TEU or tonne, see
    :attr:`Route.unit`).

    Attributes
    ----------
    kind
        ``link`` or ``transfer``.
    item_id
        Link id or transfer id.
    from_node, to_node
        Node ids (equal for a transfer).
    from_name, to_name
        Display names.
    mode
        Mode id, or ``from_mode>to_mode`` for a transfer.
    distance_km
        Length of the leg.
    running_h
        Time moving.
    border_h
        Border-crossing time charged on this leg.
    dwell_h
        Time at the node the leg ends at (dwell when passing through, or transfer time).
    time_h
        ``running_h + border_h + dwell_h``.
    cost_usd
        Tariffs, handling and transfer charges.
    co2_kg
        Well-to-wake (WTW) CO2e: the leg's transport, or for a transfer the handling at the hub.
    risk_usd
        Expected war-risk insurance premium.
    countries
        Countries the leg touches.
    corridors
        Corridor families the link belongs to.
    sources
        Ids of the sources (rows of ``sources.csv``) of every figure the leg used.
    co2_wtt_kg
        Well-to-tank part of ``co2_kg`` (fuel and electricity supply); ``None`` when the figure
        used has no split (never shown as zero). ``co2_ttw_kg`` is the tank-to-wake rest.
    """

    kind: str
    item_id: str
    from_node: str
    to_node: str
    from_name: str
    to_name: str
    mode: str
    distance_km: float
    running_h: float
    border_h: float
    dwell_h: float
    cost_usd: float
    co2_kg: float
    risk_usd: float
    countries: tuple[str, ...]
    corridors: tuple[str, ...]
    sources: tuple[str, ...]
    co2_wtt_kg: float | None = None

    @property
    def time_h(self) -> float:
        """Total time of the leg in hours."""
        return self.running_h + self.border_h + self.dwell_h

    @property
    def co2_ttw_kg(self) -> float | None:
        """Tank-to-wake CO2e of the leg (``co2_kg - co2_wtt_kg``; None if the split is unknown)."""
        return None if self.co2_wtt_kg is None else self.co2_kg - self.co2_wtt_kg

    def to_dict(self) -> dict[str, Any]:
        """Return the leg as a JSON-ready dict (lists instead of tuples)."""
        data = {name: getattr(self, name) for name in _field_names(Leg)}
        data["time_h"] = self.time_h
        data["co2_ttw_kg"] = self.co2_ttw_kg
        for key in ("countries", "corridors", "sources"):
            data[key] = list(data[key])
        return data


@dataclass(frozen=True)
class Totals:
    """Route totals per unit of cargo.

    Attributes
    ----------
    distance_km, time_h, cost_usd, co2_kg, risk_usd
        Sums over the legs (``co2_kg`` is well-to-wake, hub emissions included).
    time_value_usd
        Value of time: ``vot/100 * cargo value * time_h / 24``.
    carbon_cost_usd
        ``co2_price * co2_kg / 1000``.
    sanctions_penalty_usd
        Penalty for entering sanctioned countries (policy ``penalize`` only).
    generalized_cost_usd
        ``cost + time value + carbon cost + risk_weight * risk + sanctions penalty``.
    co2_wtt_kg
        Well-to-tank part of ``co2_kg``; ``None`` when a leg's split is unknown.
        ``co2_ttw_kg`` is the tank-to-wake rest.
    """

    distance_km: float
    time_h: float
    cost_usd: float
    co2_kg: float
    risk_usd: float
    time_value_usd: float
    carbon_cost_usd: float
    sanctions_penalty_usd: float
    generalized_cost_usd: float
    co2_wtt_kg: float | None = None

    @property
    def time_days(self) -> float:
        """Total time in days."""
        return self.time_h / 24.0

    @property
    def co2_ttw_kg(self) -> float | None:
        """Tank-to-wake CO2e (``co2_kg - co2_wtt_kg``; None when the split is unknown)."""
        return None if self.co2_wtt_kg is None else self.co2_kg - self.co2_wtt_kg

    def to_dict(self) -> dict[str, float | None]:
        """Return the totals as a dict, including ``time_days`` and the CO2e split."""
        data: dict[str, float | None] = {name: getattr(self, name) for name in _field_names(Totals)}
        data["time_days"] = self.time_days
        data["co2_ttw_kg"] = self.co2_ttw_kg
        return data

    def criteria(self) -> tuple[float, float, float, float]:
        """Return the Pareto criteria ``(cost_usd, time_h, co2_kg, risk_usd + penalty)``."""
        return (
            self.cost_usd,
            self.time_h,
            self.co2_kg,
            self.risk_usd + self.sanctions_penalty_usd,
        )


@dataclass(frozen=True)
class Route:
    """A route for one commodity between two nodes.

    Attributes
    ----------
    origin, destination
        Node ids.
    commodity
        Commodity id; ``unit`` is what all per-unit figures refer to (``teu`` or ``t``).
    objective
        What the route minimises.
    legs
        The leg table, in order.
    totals
        Sums and the generalized cost.
    corridor
        The corridor family the route belongs to (the one covering most of its distance,
        links shared by several families counting fractionally).
    corridor_km
        Distance on links of each corridor family (a link in two families counts for both).
    sanctioned_countries
        Sanctioned countries the route touches.
    provenance
        Network name, version and hash, corridor version, parameters, constraints.
    node_lonlat
        Longitude and latitude of the nodes the route visits, for maps.
    """

    origin: str
    destination: str
    commodity: str
    unit: str
    objective: str
    legs: tuple[Leg, ...]
    totals: Totals
    corridor: str
    corridor_km: dict[str, float]
    sanctioned_countries: tuple[str, ...]
    provenance: dict[str, Any] = field(default_factory=dict, compare=False)
    node_lonlat: dict[str, tuple[float, float]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def _repr_html_(self) -> str:
        from corridor.report.notebook import route_html

        return route_html(self)

    @property
    def nodes(self) -> list[str]:
        """Node ids visited, in order (a node appears once even if the route transfers)."""
        visited = [self.origin]
        for leg in self.legs:
            if leg.to_node != visited[-1]:
                visited.append(leg.to_node)
        return visited

    @property
    def corridor_name(self) -> str:
        """The corridor as a reader knows it, with the countries crossed.

        E.g. ``Northern route via Russia and the Black Sea · CN–KZ–RU–TR``; see
        :func:`corridor.routing.corridor_names.corridor_name`. The internal families stay in
        :attr:`corridor` and :attr:`corridor_km`.
        """
        from corridor.routing.corridor_names import corridor_name

        return corridor_name(self.legs, self.countries)

    @property
    def link_ids(self) -> list[str]:
        """Link ids used, in order."""
        return [leg.item_id for leg in self.legs if leg.kind == "link"]

    @property
    def modes(self) -> list[str]:
        """Modes used, in order of first use."""
        return list(dict.fromkeys(leg.mode for leg in self.legs if leg.kind == "link"))

    @property
    def countries(self) -> list[str]:
        """Countries touched, in order of first touch."""
        return list(dict.fromkeys(c for leg in self.legs for c in leg.countries))

    @property
    def sources(self) -> list[str]:
        """Every source id the route's figures cite."""
        return list(dict.fromkeys(s for leg in self.legs for s in leg.sources))

    def legs_frame(self) -> pd.DataFrame:
        """Return the leg table as a DataFrame (one row per leg)."""
        import pandas as pd

        return pd.DataFrame([leg.to_dict() for leg in self.legs])

    def summary(self) -> str:
        """One line: corridor, nodes, days, USD, kg CO2."""
        t = self.totals
        return (
            f"{self.corridor}: {' - '.join(self.nodes)} | {t.time_days:.1f} d | "
            f"{t.cost_usd:,.0f} USD/{self.unit} | {t.co2_kg:,.0f} kg CO2e/{self.unit}"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict with stable keys (units in key names)."""
        return self._as_dict(with_legs=True)

    def _as_dict(self, *, with_legs: bool) -> dict[str, Any]:
        """:meth:`to_dict`, optionally without the legs."""
        data: dict[str, Any] = {
            "origin": self.origin,
            "destination": self.destination,
            "commodity": self.commodity,
            "unit": self.unit,
            "objective": self.objective,
            "corridor": self.corridor,
            "corridor_name": self.corridor_name,
            "corridor_km": dict(self.corridor_km),
            "nodes": self.nodes,
            "modes": self.modes,
            "countries": self.countries,
            "sanctioned_countries": list(self.sanctioned_countries),
            "totals": self.totals.to_dict(),
        }
        if with_legs:
            data["legs"] = [leg.to_dict() for leg in self.legs]
        data["sources"] = self.sources
        data["provenance"] = self.provenance
        return data

    def to_geojson(self, network: Network) -> dict[str, Any]:
        """Return the route as a GeoJSON FeatureCollection, one LineString per link leg.

        Parameters
        ----------
        network
            The network the route was computed on (for coordinates and link geometry).
        """
        lines = network_lines(network)
        features: list[dict[str, Any]] = []
        for i, leg in enumerate(self.legs):
            if leg.kind != "link":
                continue
            coords = leg_coordinates(lines, leg)
            properties = leg.to_dict()
            properties["seq"] = i
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": coords},
                    "properties": properties,
                }
            )
        return {
            "type": "FeatureCollection",
            "features": features,
            "properties": self._as_dict(with_legs=False),
        }
