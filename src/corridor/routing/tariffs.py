"""Money per unit on links and at places: tariffs by section and cargo, handling charges.

A link's own tariff comes first; else the most specific matching row of the tariffs table (by
mode, countries crossed and cargo); else the mode's rate. Used by
:mod:`corridor.routing.build`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from corridor.model.text import split_list
from corridor.routing.state import _num, _text

if TYPE_CHECKING:
    from corridor.model.network import Network


def source_refs(row: Mapping[str, Any], column: str) -> list[str]:
    """Return the source of a figure: the row's ``<column>_ref`` cell as a list (maybe empty)."""
    value = _text(row.get(f"{column}_ref"))
    return [value] if value else []


def tariff_rows(network: Network, commodity: str) -> list[dict[str, Any]]:
    """Rows of the tariffs table that apply to ``commodity``, most specific first.

    A row for named commodities comes before a row for every commodity, and a row for named
    countries before a row for any country; the file order breaks ties.
    """
    table = network.tables.get("tariffs")
    if table is None or table.empty:
        return []
    rows: list[dict[str, Any]] = table.to_dict("records")  # type: ignore[assignment]
    keep = [
        r
        for r in rows
        if not split_list(r["commodities"]) or commodity in split_list(r["commodities"])
    ]
    return sorted(
        keep, key=lambda r: (not split_list(r["commodities"]), not split_list(r["countries"]))
    )


def per_unit_charge(
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
    return (value if unit == "teu" else value * t_per_unit), source_refs(row, column)


def section_rate(
    tariffs: list[dict[str, Any]], mode: str, countries: frozenset[str], unit: str
) -> dict[str, Any] | None:
    """Return the first tariffs row (most specific first) with a rate for a ``mode`` link.

    A row matches when its mode is the link's and every country the link crosses is among
    the row's countries (any country if it lists none), and it has a rate for the unit
    (per TEU-km for containers, else per tonne-km). ``None``: the mode's rate applies.
    """
    column = "tariff_usd_per_teu_km" if unit == "teu" else "tariff_usd_per_tkm"
    for row in tariffs:
        if str(row["mode"]) != mode or math.isnan(_num(row[column])):
            continue
        listed = set(split_list(row["countries"]))
        if listed and not countries <= listed:
            continue
        return row
    return None


def link_tariff(
    row: Mapping[str, Any], mrow: Mapping[str, Any], unit: str, t_per_unit: float, km: float
) -> tuple[float, list[str]]:
    """Money per unit for one link: the link's own tariff, else a per-km rate.

    The per-km rate comes from ``mrow``: the matching row of the tariffs table (by section
    and cargo), else the mode's row. A container rate falls back to the per-tonne rate of
    the same row only when that row has no per-TEU rate.
    """
    per_teu = _num(row["tariff_usd_per_teu"])
    per_t = _num(row["tariff_usd_per_t"])
    if unit == "teu" and not math.isnan(per_teu):
        return per_teu, source_refs(row, "tariff_usd_per_teu")
    if not math.isnan(per_t):
        return per_t * t_per_unit, source_refs(row, "tariff_usd_per_t")
    teu_km = _num(mrow["tariff_usd_per_teu_km"])
    t_km = _num(mrow["tariff_usd_per_tkm"])
    if unit == "teu" and not math.isnan(teu_km):
        return teu_km * km, source_refs(mrow, "tariff_usd_per_teu_km")
    if not math.isnan(t_km):
        return t_km * km * t_per_unit, source_refs(mrow, "tariff_usd_per_tkm")
    return 0.0, []
