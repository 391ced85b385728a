"""A summary of a network: what it covers and how well its figures are sourced."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from corridor.model.network import Network
from corridor.model.schema import TABLES, table_schema

#: Figure families whose sourcing share is the dataset's quality target.
CORE_FAMILIES: tuple[str, ...] = ("distance", "time", "capacity", "tariff")


@dataclass(frozen=True)
class ProvenanceCount:
    """How the figures of one family are backed.

    Attributes
    ----------
    family
        Figure family (``distance``, ``time``, ...).
    figures
        Number of cells holding a figure.
    published, computed, estimate, calibrated
        How many of them cite a source of that kind (``calibrated``: fitted to the published
        observations by ``corridor calibrate``; neither sourced nor a stated estimate).
    """

    family: str
    figures: int
    published: int
    computed: int
    estimate: int
    calibrated: int = 0

    @property
    def sourced(self) -> int:
        """Figures backed by a published or computed source."""
        return self.published + self.computed

    @property
    def sourced_share(self) -> float:
        """Share of figures that are sourced (1.0 if there are none)."""
        return self.sourced / self.figures if self.figures else 1.0


@dataclass(frozen=True)
class NetworkSummary:
    """Counts and sourcing statistics of a network.

    Attributes
    ----------
    name, version
        Network metadata.
    content_hash
        SHA-256 of the tables (see :meth:`Network.content_hash`).
    table_rows
        Number of rows per table.
    links_by_mode
        Per mode: number of links and total length in km.
    links_by_status
        Number of links per status.
    nodes_by_country
        Number of nodes per country code.
    nodes_by_kind
        Number of nodes per kind.
    provenance
        Sourcing per figure family.
    """

    name: str
    version: str
    content_hash: str
    table_rows: dict[str, int]
    links_by_mode: dict[str, dict[str, float]]
    links_by_status: dict[str, int]
    nodes_by_country: dict[str, int]
    nodes_by_kind: dict[str, int]
    provenance: list[ProvenanceCount] = field(default_factory=list)

    @property
    def core(self) -> ProvenanceCount:
        """Sourcing of distances, times, capacities and tariffs together."""
        rows = [p for p in self.provenance if p.family in CORE_FAMILIES]
        return ProvenanceCount(
            "core",
            sum(p.figures for p in rows),
            sum(p.published for p in rows),
            sum(p.computed for p in rows),
            sum(p.estimate for p in rows),
            sum(p.calibrated for p in rows),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as a JSON-ready dict with units in key names."""
        data = asdict(self)
        data["provenance"] = [
            {**asdict(p), "sourced": p.sourced, "sourced_share": round(p.sourced_share, 4)}
            for p in [*self.provenance, self.core]
        ]
        return data


def _counts(series: pd.Series) -> dict[str, int]:
    counts = series.fillna("(none)").value_counts().sort_index()
    return {str(k): int(v) for k, v in counts.items()}


def provenance_counts(network: Network) -> list[ProvenanceCount]:
    """Count figures per family by the kind of source they cite.

    Parameters
    ----------
    network
        The network to inspect.

    Returns
    -------
    list of ProvenanceCount
        One entry per figure family, sorted by family name.
    """
    kinds = dict(zip(network.sources["source_id"], network.sources["kind"], strict=True))
    tally: dict[str, dict[str, int]] = {}
    for name in TABLES:
        table = network.tables[name]
        for spec in table_schema(name).figures:
            filled = table[spec.name].notna()
            refs = table.loc[filled, spec.ref]
            bucket = tally.setdefault(
                spec.figure,
                {"figures": 0, "published": 0, "computed": 0, "estimate": 0, "calibrated": 0},
            )
            bucket["figures"] += int(filled.sum())
            for ref in refs:
                kind = kinds.get(ref)
                if kind in ("published", "computed", "estimate", "calibrated"):
                    bucket[str(kind)] += 1
    return [ProvenanceCount(family, **tally[family]) for family in sorted(tally)]


def summarize(network: Network) -> NetworkSummary:
    """Summarise a network's coverage and the sourcing of its figures.

    Parameters
    ----------
    network
        The network to summarise.

    Returns
    -------
    NetworkSummary
        Counts by table, mode, status, country and kind, and sourcing per figure family.
    """
    links = network.links
    by_mode: dict[str, dict[str, float]] = {}
    for mode, group in links.groupby("mode", dropna=False):
        by_mode[str(mode)] = {
            "links": len(group),
            "length_km": round(float(group["distance_km"].sum()), 1),
        }
    return NetworkSummary(
        name=network.meta.name,
        version=network.meta.version,
        content_hash=network.content_hash(),
        table_rows={name: len(network.tables[name]) for name in TABLES},
        links_by_mode=by_mode,
        links_by_status=_counts(links["status"]),
        nodes_by_country=_counts(network.nodes["country"]),
        nodes_by_kind=_counts(network.nodes["kind"]),
        provenance=provenance_counts(network),
    )
