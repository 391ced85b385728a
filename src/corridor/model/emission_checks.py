"""Checks of the emission-factor table and of the modes, links and transfers that name factors.

Parsing already refuses NaN, infinite and negative figures and :mod:`corridor.model.validate`
unknown factor ids; these checks need more than one cell: a transport factor has both halves of
its WTT/TTW split, per-TEU figures agree with the per-tonne ones, modes and links name transport
factors and transfers hub factors, and every commodity a mode carries has an emission figure.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd

from corridor.model.network import Network
from corridor.model.problems import Problem
from corridor.model.tables import split_list

#: Relative tolerance between a per t-km figure and its per TEU-km figure / TEU load.
TEU_TOLERANCE = 0.01

Locate = Callable[[str, int, str | None, str], Problem]

_PAIRS = {
    "transport": (("wtt_g_per_tkm", "ttw_g_per_tkm"), ("wtt_g_per_teu_km", "ttw_g_per_teu_km")),
    "hub": (("hub_wtt_kg_per_t", "hub_ttw_kg_per_t"), ("hub_wtt_kg_per_teu", "hub_ttw_kg_per_teu")),
}


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def emission_problems(network: Network, at: Locate) -> Iterator[Problem]:
    """Every problem of the emission factors and of their use, located by ``at``.

    Parameters
    ----------
    network
        The network to check.
    at
        Builds a located problem from (table, row, column, message).
    """
    factors = network.tables["emission_factors"]
    kinds: dict[str, str] = {}
    records: list[dict[str, Any]] = factors.to_dict("records")  # type: ignore[assignment]
    for row, record in enumerate(records):
        kind = str(record["applies_to"])
        kinds[str(record["factor_id"])] = kind
        yield from _factor_row(record, row, kind, at)
    yield from _named_kinds(network, kinds, at)
    yield from _coverage(network, at)


def _factor_row(record: dict[str, Any], row: int, kind: str, at: Locate) -> Iterator[Problem]:
    if kind not in _PAIRS:
        return
    (per_t, per_teu) = _PAIRS[kind]
    for column in per_t:
        if _missing(record[column]):
            yield at(
                "emission_factors", row, column,
                f"a {kind} factor needs {per_t[0]} and {per_t[1]} (the WTT/TTW split)",
            )  # fmt: skip
    given = [c for c in per_teu if not _missing(record[c])]
    if len(given) == 1:
        other = per_teu[1] if given[0] == per_teu[0] else per_teu[0]
        yield at("emission_factors", row, other, f"{given[0]} is given, so {other} is needed")
    if kind != "transport" or len(given) != 2:
        return
    load = record["load_t_per_teu"]
    if _missing(load) or float(load) <= 0:
        yield at(
            "emission_factors", row, "load_t_per_teu",
            "per TEU-km figures need the TEU load (t per TEU) their per t-km figures used",
        )  # fmt: skip
        return
    for t_col, teu_col in zip(per_t, per_teu, strict=True):
        if _missing(record[t_col]):
            continue
        expected = float(record[teu_col]) / float(load)
        if not math.isclose(float(record[t_col]), expected, rel_tol=TEU_TOLERANCE, abs_tol=1e-9):
            yield at(
                "emission_factors", row, t_col,
                f"{record[t_col]:g} g/t-km disagrees with {teu_col}={record[teu_col]:g} / "
                f"load_t_per_teu={load:g} = {expected:.4g} g/t-km",
            )  # fmt: skip


def _named_kinds(network: Network, kinds: dict[str, str], at: Locate) -> Iterator[Problem]:
    """Modes and links name transport factors, transfers name hub factors."""
    for table, wanted in (("modes", "transport"), ("links", "transport"), ("transfers", "hub")):
        frame = network.tables[table]
        if "emission_factors" not in frame:
            continue
        for row, cell in enumerate(frame["emission_factors"]):
            for factor_id in split_list(cell):
                kind = kinds.get(factor_id)
                if kind is not None and kind != wanted:
                    yield at(
                        table, row, "emission_factors",
                        f"factor {factor_id!r} is a {kind} factor; {table} need {wanted} factors",
                    )  # fmt: skip


def _applies(factors: dict[str, dict[str, Any]], listed: list[str], commodity: str) -> bool:
    for factor_id in listed:
        row = factors.get(factor_id)
        if row is None:
            continue
        allowed = split_list(row.get("commodities"))
        if not allowed or commodity in allowed:
            return True
    return False


def _coverage(network: Network, at: Locate) -> Iterator[Problem]:
    """Every commodity a mode carries has an emission figure on it.

    A link's own factors need not cover every commodity: those they do not cover use the mode's.
    """
    records: list[dict[str, Any]] = network.tables["emission_factors"].to_dict("records")  # type: ignore[assignment]
    factors = {str(r["factor_id"]): r for r in records}
    carried: dict[str, list[str]] = {}
    commodities = network.commodities
    for cid, modes in zip(commodities["commodity_id"], commodities["allowed_modes"], strict=True):
        for mode in split_list(modes):
            carried.setdefault(mode, []).append(str(cid))
    for row, record in enumerate(network.modes.to_dict("records")):
        mode = str(record["mode"])
        listed = split_list(record.get("emission_factors"))
        fallback = not _missing(record.get("co2e_g_per_tkm"))
        for commodity in carried.get(mode, []):
            if not _applies(factors, listed, commodity) and not fallback:
                yield at(
                    "modes", row, "emission_factors",
                    f"no emission factor applies to commodity {commodity!r} on mode {mode!r} "
                    "and the mode has no co2e_g_per_tkm",
                )  # fmt: skip
