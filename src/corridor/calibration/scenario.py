"""The calibrated values as a scenario: patches whose sources are of kind ``calibrated``.

Only groups whose fit is adopted (identifiable, not collinear, strictly inside the plausible
range) become patches. Each patch sets the figure of one link or transfer (or scales the
border time of countries) to the fitted factor times today's figure, and cites a
``calibrated`` source row that records the method, the observations used and the fit.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import yaml

from corridor.calibration.fit import GroupFit
from corridor.calibration.groups import Group
from corridor.calibration.run import CalibrationResult
from corridor.model.network import Network
from corridor.model.tables import split_list

_LABEL = {
    "running": "running time",
    "border": "border time",
    "dwell": "transfer time",
    "cost": "money per TEU",
}


def _num(value: Any) -> float:
    return math.nan if value is None or pd.isna(value) else float(value)


def _records(table: pd.DataFrame, key: str) -> dict[str, dict[str, Any]]:
    """Return the rows of a table as dicts keyed by their id (the key column kept)."""
    return {str(row[key]): {str(k): v for k, v in row.items()} for row in table.to_dict("records")}


def _link_selected(group: Group, row: dict[str, Any]) -> bool:
    return not group.modes or str(row["mode"]) in group.modes


def _transfer_selected(group: Group, row: dict[str, Any]) -> bool:
    if group.modes and not {str(row["from_mode"]), str(row["to_mode"])} & set(group.modes):
        return False
    return not group.nodes or str(row["node_id"]) in group.nodes


def _teu_rate(network: Network, row: dict[str, Any], mode_row: dict[str, Any]) -> float:
    """Return the per-TEU-km rate a container pays on a link without its own tariff."""
    countries = set(split_list(row["countries"])) or {
        str(c)
        for c in network.nodes.set_index("node_id").loc[[row["from_node"], row["to_node"]]][
            "country"
        ]
    }
    tariffs = network.tables["tariffs"]
    for rate in tariffs.to_dict("records"):
        listed = set(split_list(rate["commodities"]))
        if str(rate["mode"]) != str(row["mode"]) or (listed and "container" not in listed):
            continue
        if set(split_list(rate["countries"])) and not countries <= set(
            split_list(rate["countries"])
        ):
            continue
        value = _num(rate["tariff_usd_per_teu_km"])
        if not math.isnan(value):
            return value
    return _num(mode_row["tariff_usd_per_teu_km"])


def _patches(fitted: GroupFit, network: Network, ref: str) -> list[dict[str, Any]]:
    group, factor = fitted.group, fitted.value
    modes = _records(network.modes, "mode")
    nodes = _records(network.nodes, "node_id")
    link_rows = list(_records(network.links, "link_id").values())
    transfer_rows = list(_records(network.transfers, "transfer_id").values())
    out: list[dict[str, Any]] = []

    def put(table: str, item: str, column: str, value: float) -> None:
        if math.isfinite(value) and value > 0:
            out.append({table: {"ids": item}, "set": {column: round(value, 4)}, "ref": ref})

    if group.leg == "link":
        for row in link_rows:
            if not _link_selected(group, row):
                continue
            mode = modes[row["mode"]]
            km = float(row["distance_km"])
            if group.component == "running":
                hours = _num(row["running_time_h"])
                if math.isnan(hours):
                    speed = _num(row["speed_kmh"])
                    speed = speed if speed > 0 else _num(mode["speed_kmh"])
                    hours = km / speed if speed > 0 else math.nan
                put("links", str(row["link_id"]), "running_time_h", factor * hours)
            elif group.component == "cost":
                per_teu = _num(row["tariff_usd_per_teu"])
                if math.isnan(per_teu):
                    per_teu = _teu_rate(network, row, {"mode": row["mode"], **mode}) * km
                put("links", str(row["link_id"]), "tariff_usd_per_teu", factor * per_teu)
        if group.component == "border":
            countries = network.countries
            has = countries["border_time_h"].notna()
            if group.countries:
                has &= countries["country"].isin(group.countries)
            ids = sorted(str(c) for c in countries.loc[has, "country"])
            if ids:
                out.append(
                    {"countries": {"ids": ids}, "scale": {"border_time_h": factor}, "ref": ref}
                )
        return out
    for row in transfer_rows:
        if not _transfer_selected(group, row):
            continue
        node = nodes[row["node_id"]]
        if group.component == "dwell":
            hours = _num(row["time_h"])
            hours = _num(node["dwell_h"]) if math.isnan(hours) else hours
            put("transfers", str(row["transfer_id"]), "time_h", factor * hours)
        elif group.component == "cost":
            per_teu = _num(row["cost_usd_per_teu"])
            per_teu = _num(node["handling_usd_per_teu"]) if math.isnan(per_teu) else per_teu
            put("transfers", str(row["transfer_id"]), "cost_usd_per_teu", factor * per_teu)
    return out


def calibrated_scenario(result: CalibrationResult, network: Network, base: str) -> dict[str, Any]:
    """Return the calibrated scenario as a YAML-ready mapping.

    Parameters
    ----------
    result
        The calibration.
    network
        The network that was calibrated (today's figures are read from it).
    base
        What the scenario applies to (the dataset name or network folder).
    """
    used = ", ".join(r.observation_id for r in result.design.rows)
    after = next(s for s in result.after if s.kind == "all")
    cv = next(s for s in result.cv.scores if s.kind == "all")
    stats = (
        f"{after.in_band}/{after.count} observations in band in sample, {cv.in_band}/"
        f"{cv.count} out of sample ({result.cv.folds}-fold)"
    )
    sources: list[dict[str, Any]] = []
    patches: list[dict[str, Any]] = []
    for fitted in result.fitted.groups:
        if not fitted.adopted:
            continue
        group = fitted.group
        ref = f"cal-{group.group_id}"
        sources.append(
            {
                "source_id": ref,
                "kind": "calibrated",
                "title": f"Calibrated factor: {group.title}",
                "method": (
                    f"factor {fitted.value:.4f} (95 % interval {fitted.low_95:.4f}-"
                    f"{fitted.high_95:.4f}; prior {group.prior:g}, plausible range "
                    f"{group.low:g}-{group.high:g}) on the {_LABEL[group.component]} of the "
                    f"selected {group.leg}s, fitted by bounded robust least squares on "
                    f"ln(modelled/observed) with a prior pull (routes held fixed); scales "
                    f"{', '.join(group.refs)}; {stats}; observations: {used}"
                ),
                "notes": group.reasoning,
            }
        )
        patches.extend(_patches(fitted, network, ref))
    kept = [f.group.group_id for f in result.fitted.groups if f.adopted]
    left = [f.group.group_id for f in result.fitted.groups if not f.adopted]
    return {
        "name": "calibrated",
        "title": "Figures fitted to the published observations (corridor calibrate)",
        "description": (
            f"Groups adopted: {', '.join(kept) or 'none'}. Not adopted (not identifiable, "
            f"weakly identified, collinear or at a bound of the plausible range): "
            f"{', '.join(left) or 'none'}. "
            f"{stats}."
        ),
        "base": base,
        "sources": sources,
        "patches": patches,
    }


def scenario_yaml(scenario: dict[str, Any]) -> str:
    """Return the scenario as YAML text, with a header saying where it comes from."""
    header = (
        "# Written by `corridor calibrate --out`: each patch sets a figure to the fitted factor\n"
        "# times the bundled figure; each cited source (kind calibrated) records the fit.\n"
    )
    return header + yaml.safe_dump(scenario, sort_keys=False, allow_unicode=True, width=100)
