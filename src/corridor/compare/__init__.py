"""Compare two networks (bundled datasets or scenarios) side by side.

A comparison routes key origin-destination pairs on both networks and, given a demand set,
loads it onto both with the capacitated assignment. Every figure is given for the base, for
the other network and as a difference (other minus base, absolute and in %).

Examples
--------
>>> from corridor.compare import compare
>>> c = compare("eurasia", "zangezur-open", ods=["Baku:Nakhchivan:general_cargo"])
>>> c.ods[0].change
'route opens'
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from corridor.compare.core import (
    LOWER_IS_BETTER,
    ROUTE_METRICS,
    TOTAL_METRICS,
    KeyOD,
    ODComparison,
    Side,
    compare_od,
    difference,
    key_ods,
    parse_od,
    resolve_side,
    route_metrics,
    verdict,
)
from corridor.compare.flows import AssignmentComparison
from corridor.errors import CorridorError

if TYPE_CHECKING:
    from corridor.routing.params import CostParams

__all__ = [
    "LOWER_IS_BETTER",
    "ROUTE_METRICS",
    "TOTAL_METRICS",
    "AssignmentComparison",
    "Comparison",
    "KeyOD",
    "ODComparison",
    "Side",
    "compare",
    "compare_od",
    "difference",
    "key_ods",
    "parse_od",
    "resolve_side",
    "route_metrics",
    "verdict",
]


@dataclass(frozen=True)
class Comparison:
    """Two networks compared: key routes and, with a demand set, the assignments.

    Attributes
    ----------
    base, other
        The two sides (their networks, years and scenarios).
    ods
        One comparison per OD pair, in the order asked.
    assignment
        The two assignments, or ``None`` without a demand set.
    params
        Generalized-cost weights used on both sides (as a dict).
    """

    base: Side
    other: Side
    ods: tuple[ODComparison, ...]
    assignment: AssignmentComparison | None = None
    params: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the comparison as JSON-ready data with stable, unit-named keys.

        Top-level keys: ``base``, ``other`` (name, kind, title, year, network, content_hash),
        ``params``, ``ods`` (see :meth:`ODComparison.to_dict`) and ``assignment`` (``null``
        without a demand set; see :meth:`AssignmentComparison.to_dict`).
        """
        return {
            "base": self.base.to_dict(),
            "other": self.other.to_dict(),
            "params": dict(self.params or {}),
            "ods": [od.to_dict() for od in self.ods],
            "assignment": None if self.assignment is None else self.assignment.to_dict(),
            "provenance": self.provenance(),
        }

    def provenance(self) -> dict[str, Any]:
        """Return the provenance of each side: network, hash, version, sources by kind.

        The sources are those the compared routes cite; with an assignment and no OD pairs,
        those of the whole network.
        """
        from corridor.model.provenance import provenance

        out: dict[str, Any] = {}
        for key, side in (("base", self.base), ("other", self.other)):
            routes = [getattr(od, key) for od in self.ods]
            used = [s for r in routes if r is not None for s in r.sources]
            scenario = side.name if side.kind == "scenario" else None
            out[key] = provenance(
                side.network, scenario=scenario, params={**(self.params or {}), "year": side.year},
                sources=used if self.ods else None,
            )  # fmt: skip
        return out


def compare(
    base: str | os.PathLike[str],
    other: str | os.PathLike[str],
    *,
    demand: str | os.PathLike[str] | None = None,
    ods: Sequence[KeyOD | str] | None = None,
    year: int | None = None,
    params: CostParams | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> Comparison:
    """Compare two networks on key routes and, with a demand set, on assigned flows.

    Parameters
    ----------
    base, other
        Each a bundled dataset (``eurasia``), a network folder, a bundled scenario
        (``zangezur-open``) or a scenario YAML file.
    demand
        A demand set of the base's dataset (``middle-2030``) or a demand CSV file. It is
        assigned on both sides; a scenario's demand patches change its side's copy.
    ods
        OD pairs as :class:`KeyOD` or ``FROM:TO[:CARGO]`` text; default :func:`key_ods`
        (pairs whose nodes neither network has are then skipped).
    year
        Network year on both sides. By default each side's scenario year, else the demand
        set's year (with ``demand``), else today.
    params
        Generalized-cost weights, the same on both sides.
    progress
        Called as ``progress(stage, done, total)``.

    Returns
    -------
    Comparison
        Nothing passed in is changed.

    Raises
    ------
    CorridorError
        If a side, an OD name or the demand set is not found, or an input is invalid.
    """
    left, right = resolve_side(base, year=year), resolve_side(other, year=year)
    loaded = None
    if demand is not None:
        loaded = _read_demand(demand, left, right)
        demand_year = loaded[0].year
        left, right = (_with_year(s, demand_year) for s in (left, right))
    explicit = ods is not None
    wanted: list[KeyOD] = []
    problems: list[str] = []
    for od in ods or key_ods():
        try:
            wanted.append(parse_od(od) if isinstance(od, str) else od)
        except CorridorError as exc:
            problems.append(str(exc))
    found: list[ODComparison] = []
    for i, pair in enumerate(wanted):
        if progress is not None:
            progress("routes", i, len(wanted))
        try:
            found.append(compare_od(left, right, pair, params=params))
        except CorridorError as exc:
            if explicit:
                problems.append(str(exc))
    if problems:
        raise CorridorError(
            f"{len(problems)} problem(s) with the OD pairs:\n" + "\n".join(problems)
        )
    flows = None
    if loaded is not None:
        flows = _assign_both(left, right, loaded, params, progress)
    return Comparison(
        left,
        right,
        tuple(found),
        flows,
        params=(params.model_dump(mode="json") if params is not None else None),
    )


def _with_year(side: Side, demand_year: int | None) -> Side:
    from dataclasses import replace

    return side if side.year is not None else replace(side, year=demand_year)


def _read_demand(demand: str | os.PathLike[str], left: Side, right: Side) -> tuple[Any, Any]:
    """Read the demand set once per side (ids are checked against each network)."""
    from corridor.demand import read_demand

    return (
        read_demand(demand, left.network, network_name=left.root),
        read_demand(demand, right.network, network_name=left.root),
    )


def _assign_both(
    left: Side,
    right: Side,
    loaded: tuple[Any, Any],
    params: CostParams | None,
    progress: Callable[[str, int, int], None] | None,
) -> AssignmentComparison:
    from corridor.assign.model import assign
    from corridor.scenarios import apply_demand

    results = []
    for i, (side, table) in enumerate(zip((left, right), loaded, strict=True)):
        if progress is not None:
            progress("assign", i, 2)
        rows = table.table
        if side.scenario is not None:
            rows = apply_demand(side.scenario, rows)
        results.append(assign(side.network, rows, year=side.year, params=params, method="min_cost"))
    if progress is not None:
        progress("assign", 2, 2)
    return AssignmentComparison(loaded[0].name, results[0], results[1], left.year, right.year)
