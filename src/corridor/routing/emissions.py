"""Emission factors applied to links and transfers: well-to-wake CO2e with its WTT/TTW split.

A mode (or a link, overriding its mode) names transport factors of ``emission_factors.csv``, a
transfer names hub factors; the first factor in the list whose ``commodities`` include the
commodity (or that lists none) applies, a link's own list before its mode's. Containers use a
factor's per-TEU figures where it has them, other cargo its per-tonne figures times tonnes per
unit. A mode without factors falls back
to its ``co2e_g_per_tkm`` (well-to-wake), whose split is unknown (NaN).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from corridor.model.text import split_list
from corridor.routing.state import _num, _text

if TYPE_CHECKING:
    from corridor.model.network import Network


@dataclass(frozen=True)
class Emission:
    """CO2e of one edge per unit of cargo: well-to-wake and its well-to-tank part, in kg.

    Attributes
    ----------
    wtw_kg
        Well-to-wake kg CO2e (WTT + TTW).
    wtt_kg
        Well-to-tank kg CO2e; NaN when the figure used has no split.
    sources
        Source ids of the figures used.
    factor_id
        The emission factor used ("" for a mode's own ``co2e_g_per_tkm`` or none).
    """

    wtw_kg: float
    wtt_kg: float
    sources: tuple[str, ...]
    factor_id: str = ""


NO_EMISSION = Emission(0.0, 0.0, ())


def _ref(row: Mapping[str, Any]) -> tuple[str, ...]:
    value = _text(row.get("factor_ref"))
    return (value,) if value else ()


def choose(
    factors: Mapping[str, Mapping[str, Any]], listed: list[str], commodity: str
) -> Mapping[str, Any] | None:
    """Return the first factor of ``listed`` that applies to ``commodity`` (None if none does)."""
    for factor_id in listed:
        row = factors.get(factor_id)
        if row is None:
            continue
        allowed = split_list(row.get("commodities"))
        if not allowed or commodity in allowed:
            return row
    return None


def link_emission(
    factors: Mapping[str, Mapping[str, Any]],
    link: Mapping[str, Any],
    mode_row: Mapping[str, Any],
    commodity: str,
    unit: str,
    t_per_unit: float,
    km: float,
) -> Emission:
    """CO2e per unit of cargo over ``km`` of a link (see the module docstring for the rules)."""
    row = choose(factors, split_list(link.get("emission_factors")), commodity)
    if row is None:
        row = choose(factors, split_list(mode_row.get("emission_factors")), commodity)
    if row is None:
        g_wtw = _num(mode_row.get("co2e_g_per_tkm"))
        if math.isnan(g_wtw):
            return Emission(math.nan, math.nan, ())
        ref = _text(mode_row.get("co2e_g_per_tkm_ref"))
        kg = g_wtw * km * t_per_unit / 1000.0
        return Emission(kg, math.nan, (ref,) if ref else ())
    wtt_teu, ttw_teu = _num(row.get("wtt_g_per_teu_km")), _num(row.get("ttw_g_per_teu_km"))
    if unit == "teu" and not (math.isnan(wtt_teu) or math.isnan(ttw_teu)):
        per_unit_km_wtt, per_unit_km_ttw = wtt_teu, ttw_teu
    else:
        per_unit_km_wtt = _num(row.get("wtt_g_per_tkm")) * t_per_unit
        per_unit_km_ttw = _num(row.get("ttw_g_per_tkm")) * t_per_unit
    wtt = per_unit_km_wtt * km / 1000.0
    ttw = per_unit_km_ttw * km / 1000.0
    return Emission(wtt + ttw, wtt, _ref(row), str(row["factor_id"]))


def hub_emission(
    factors: Mapping[str, Mapping[str, Any]],
    transfer: Mapping[str, Any],
    commodity: str,
    unit: str,
    t_per_unit: float,
) -> Emission:
    """CO2e per unit of cargo handled at a transfer (nothing when it names no hub factor)."""
    row = choose(factors, split_list(transfer.get("emission_factors")), commodity)
    if row is None:
        return NO_EMISSION
    wtt_teu, ttw_teu = _num(row.get("hub_wtt_kg_per_teu")), _num(row.get("hub_ttw_kg_per_teu"))
    if unit == "teu" and not (math.isnan(wtt_teu) or math.isnan(ttw_teu)):
        wtt, ttw = wtt_teu, ttw_teu
    else:
        wtt = _num(row.get("hub_wtt_kg_per_t")) * t_per_unit
        ttw = _num(row.get("hub_ttw_kg_per_t")) * t_per_unit
    if math.isnan(wtt) or math.isnan(ttw):
        return Emission(math.nan, math.nan, _ref(row), str(row["factor_id"]))
    return Emission(wtt + ttw, wtt, _ref(row), str(row["factor_id"]))


def factor_table(network: Network) -> dict[str, dict[str, Any]]:
    """Rows of the network's emission-factor table keyed by factor id."""
    table = network.tables["emission_factors"]
    return {str(r["factor_id"]): r for r in table.to_dict("records")}  # type: ignore[misc]
