"""``corridor calibrate``: observations from the validator, the fit, cross-validation, a report."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from corridor.calibration.design import ROUTE_KINDS, Design, ObservedRow, build_design
from corridor.calibration.fit import CrossValidation, Fit, KindScore, cross_validate, fit
from corridor.calibration.fit import score_kinds as _score
from corridor.calibration.groups import Group
from corridor.datasets import DEFAULT_DATASET
from corridor.model.network import Network
from corridor.model.tables import split_list

#: Called with (step, done, total) while the calibration runs.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class CalibrationResult:
    """Everything ``corridor calibrate`` reports.

    Attributes
    ----------
    network
        Name of the calibrated network.
    design
        The observations used and their dependence on the groups.
    fitted
        The fit on all observations.
    cv
        The k-fold cross-validation.
    before, after
        Per-kind scores with the bundled figures and with the fitted factors (routes fixed).
    skipped
        Observations not used, with the reason.
    seconds
        Wall-clock time of the calibration.
    evaluations_per_second
        Observations re-costed per second by the design (the fast evaluation).
    """

    network: str
    design: Design
    fitted: Fit
    cv: CrossValidation
    before: list[KindScore]
    after: list[KindScore]
    skipped: list[tuple[str, str]]
    seconds: float
    evaluations_per_second: float

    def to_dict(self) -> dict[str, Any]:
        """Return the report as one JSON-ready document (units and factors in key names)."""
        prior = self.design.modelled(np.array([g.group.prior for g in self.fitted.groups]))
        after = self.design.modelled(self.fitted.theta)
        residuals = [
            {
                "observation_id": r.observation_id,
                "kind": r.kind,
                "observed": r.observed,
                "low": r.low,
                "high": r.high,
                "modelled_before": round(float(b), 4),
                "modelled_after": round(float(a), 4),
                "modelled_out_of_sample": round(float(c), 4),
                "ln_ratio_before": round(float(np.log(b / r.observed)), 4),
                "ln_ratio_after": round(float(np.log(a / r.observed)), 4),
                "ln_ratio_out_of_sample": round(float(np.log(c / r.observed)), 4),
            }
            for r, b, a, c in zip(self.design.rows, prior, after, self.cv.modelled, strict=True)
        ]
        return {
            "network": self.network,
            "method": (
                "bounded robust least squares (scipy least_squares, trf, soft_l1) on "
                "ln(modelled/observed) with a prior pull; routes held fixed"
            ),
            "observations_used": len(self.design.rows),
            "folds": self.cv.folds,
            "converged": self.fitted.success,
            "groups": [g.to_dict() for g in self.fitted.groups],
            "in_sample_before": [s.to_dict() for s in self.before],
            "in_sample_after": [s.to_dict() for s in self.after],
            "out_of_sample": [s.to_dict() for s in self.cv.scores],
            "residuals": residuals,
            "skipped": [{"observation_id": o, "reason": why} for o, why in self.skipped],
            "run_time_s": round(self.seconds, 2),
            "observations_evaluated_per_s": round(self.evaluations_per_second),
        }


def observed_rows(
    network: Network,
    name_or_path: str | os.PathLike[str] = DEFAULT_DATASET,
    progress: Progress | None = None,
) -> tuple[list[ObservedRow], list[tuple[str, str]]]:
    """Validate the route observations once and keep what the design needs.

    Returns
    -------
    tuple
        The usable rows and the skipped ones with a reason (flows, not modelled, zero).
    """
    from corridor.validation import run_validation

    table = network.tables["observations"].set_index("observation_id")
    rows: list[ObservedRow] = []
    skipped: list[tuple[str, str]] = []
    for i, kind in enumerate(ROUTE_KINDS):
        if progress is not None:
            progress(f"routing {kind} observations", i, len(ROUTE_KINDS))
        result = run_validation(name_or_path, kind=kind, network=network)
        for r in result.rows:
            if r.status != "modelled" or r.modelled is None or r.modelled <= 0 or not r.legs:
                skipped.append((r.observation_id, r.reason or "modelled as 0"))
                continue
            source = table.loc[r.observation_id]
            measure: str = "route" if pd.isna(source["measure"]) else str(source["measure"])
            rows.append(
                ObservedRow(
                    observation_id=r.observation_id,
                    kind=r.kind,
                    observed=r.observed,
                    low=r.low,
                    high=r.high,
                    modelled=r.modelled,
                    measure=measure,
                    measure_ids=tuple(split_list(source["measure_ids"])),
                    legs=tuple(r.legs),
                )
            )
    for obs_id, kind in zip(table.index, table["kind"], strict=True):
        if kind not in ROUTE_KINDS:
            skipped.append((str(obs_id), f"{kind}: flows come from the assignment, not fitted"))
    return rows, skipped


def evaluations_per_second(design: Design, theta: np.ndarray, seconds: float = 0.2) -> float:
    """Measure how many observations the design re-costs per second."""
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        design.modelled(theta)
        done += len(design.rows)
    return done / (time.perf_counter() - start)


def calibrate(
    groups: list[Group],
    *,
    name_or_path: str | os.PathLike[str] = DEFAULT_DATASET,
    network: Network | None = None,
    folds: int = 5,
    rows: list[ObservedRow] | None = None,
    progress: Progress | None = None,
) -> CalibrationResult:
    """Fit ``groups`` to the route observations and cross-validate the fit.

    Parameters
    ----------
    groups
        Parameter groups (see :func:`corridor.calibration.groups.load_groups`).
    name_or_path
        Dataset name or network folder (its observations).
    network
        The network, if already loaded.
    folds
        Number of folds of the cross-validation.
    rows
        Observations already validated (skips the routing step; tests use it).
    progress
        Called with (step, done, total).
    """
    from corridor.services import valid_network

    start = time.perf_counter()
    net = network if network is not None else valid_network(name_or_path)
    skipped: list[tuple[str, str]] = []
    if rows is None:
        rows, skipped = observed_rows(net, name_or_path, progress)
    countries = dict(zip(net.nodes["node_id"], net.nodes["country"], strict=True))
    design = build_design(rows, groups, {str(k): str(v) for k, v in countries.items()})
    if progress is not None:
        progress("fitting", 0, folds + 1)
    fitted = fit(design, groups)

    def fold_done(done: int, total: int) -> None:
        if progress is not None:
            progress("cross-validating", done, total + 1)

    cv = cross_validate(design, groups, folds, progress=fold_done)
    prior = np.array([g.prior for g in groups])
    return CalibrationResult(
        network=net.meta.name,
        design=design,
        fitted=fitted,
        cv=cv,
        before=_score(design, design.modelled(prior)),
        after=_score(design, design.modelled(fitted.theta)),
        skipped=skipped,
        seconds=time.perf_counter() - start,
        evaluations_per_second=evaluations_per_second(design, fitted.theta),
    )
