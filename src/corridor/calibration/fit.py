"""Fitting parameter groups to the observations: bounded robust least squares with a prior.

For factors ``theta`` (one per group, searched as ``x = log theta`` inside the group's
plausible range) the residuals are

- per observation: ``ln(modelled / observed) / sigma_i``, with ``sigma_i`` a quarter of the
  log width of the observation's band (a band is read as +-2 standard deviations);
- per group (the prior pull): ``(x_g - ln prior_g) / sigma_g``, with ``sigma_g`` a quarter of
  the log width of the group's range;

minimised by :func:`scipy.optimize.least_squares` (trust region reflective, ``soft_l1`` loss,
so one wild observation cannot drag a group). Intervals come from the Gauss-Newton
covariance at the optimum, ``(J^T J)^-1``, scaled up by the squared robust residual scale
(1.4826 times the median absolute residual) when it exceeds 1. A group no observation
depends on stays at its prior and is reported as not identifiable; groups whose columns of
the Jacobian are (almost) parallel are reported as collinear; a group whose interval covers
(almost) its whole range is reported as weakly identified.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import least_squares

from corridor.calibration.design import Design
from corridor.calibration.groups import Group

#: Lowest observation sigma (log units): a very narrow published range is not exact.
MIN_SIGMA = 0.02
#: |cosine| between two groups' sensitivities above which they are called collinear.
COLLINEAR = 0.99
#: Sensitivity (log units per log factor, summed in quadrature) below which a group is not
#: identified by the observations.
MIN_SENSITIVITY = 1e-6
#: Share of the range's log width the 95 % interval may cover before the group is called
#: weakly identified (the observations barely narrow the range).
WEAK = 0.9


@dataclass(frozen=True)
class GroupFit:
    """The fitted factor of one group.

    Attributes
    ----------
    group
        The group.
    value
        Fitted factor (1 = the bundled figures).
    low_95, high_95
        95 % interval of the factor (inside the plausible range).
    sensitivity
        How strongly the observations depend on the group (0: not at all).
    identifiable
        Whether any observation depends on the group.
    at_bound
        Whether the fit stopped at an end of the plausible range.
    collinear_with
        Groups the observations cannot tell apart from this one.
    weak
        Whether the 95 % interval covers (almost) the whole plausible range.
    observations
        Number of observations that depend on the group.
    """

    group: Group
    value: float
    low_95: float
    high_95: float
    sensitivity: float
    identifiable: bool
    at_bound: bool
    collinear_with: tuple[str, ...]
    observations: int
    weak: bool = False

    @property
    def adopted(self) -> bool:
        """Whether the calibrated value may replace the bundled figures."""
        return self.identifiable and not self.at_bound and not self.collinear_with and not self.weak

    def to_dict(self) -> dict[str, Any]:
        """Return the fit as a JSON-ready dict."""
        g = self.group
        return {
            "group": g.group_id,
            "title": g.title,
            "component": g.component,
            "prior_factor": g.prior,
            "low_factor": g.low,
            "high_factor": g.high,
            "fitted_factor": round(self.value, 4),
            "interval_95_factor": [round(self.low_95, 4), round(self.high_95, 4)],
            "observations": self.observations,
            "sensitivity": round(self.sensitivity, 4),
            "identifiable": self.identifiable,
            "at_bound": self.at_bound,
            "collinear_with": list(self.collinear_with),
            "weakly_identified": self.weak,
            "adopted": self.adopted,
            "refs": list(g.refs),
        }


@dataclass(frozen=True)
class Fit:
    """The result of one fit: factors, their fits and the least-squares status."""

    theta: NDArray[np.float64]
    groups: tuple[GroupFit, ...]
    cost: float
    success: bool
    message: str


def _sigmas(design: Design) -> NDArray[np.float64]:
    widths = np.array([math.log(r.high / r.low) if r.low > 0 else 0.5 for r in design.rows])
    return np.asarray(np.maximum(widths / 4.0, MIN_SIGMA), dtype=np.float64)


def _prior_sigma(groups: list[Group]) -> NDArray[np.float64]:
    return np.array([max(math.log(g.high / g.low) / 4.0, MIN_SIGMA) for g in groups])


def _observed(design: Design) -> NDArray[np.float64]:
    return np.array([r.observed for r in design.rows], dtype=np.float64)


def _obs_jacobian(design: Design, theta: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return d ln(modelled_i) / d ln(theta_g), unweighted."""
    inner = design.base + design.matrix @ theta
    return np.asarray(design.matrix * theta[None, :] / inner[:, None], dtype=np.float64)


def fit(design: Design, groups: list[Group]) -> Fit:
    """Fit the groups' factors to the observations of ``design``.

    Parameters
    ----------
    design
        The observations and their linear dependence on the groups.
    groups
        The groups, in the design's column order.

    Returns
    -------
    Fit
        Factors, intervals and identifiability of every group.
    """
    n_groups = len(groups)
    prior = np.log([g.prior for g in groups])
    lower = np.log([g.low for g in groups])
    upper = np.log([g.high for g in groups])
    sig_obs, sig_prior = _sigmas(design), _prior_sigma(groups)
    log_obs = np.log(_observed(design))

    # Search z = x - x0 from z = 0: x0 is the prior moved strictly inside the range (a prior
    # may sit on a bound), and at z = 0 the solver starts with a unit trust region (it scales
    # the first region by |x0|, which would be tiny next to a prior of 1 = ln 0).
    x0 = np.clip(prior, lower + 1e-6, upper - 1e-6)

    def residuals(z: NDArray[np.float64]) -> NDArray[np.float64]:
        x = z + x0
        modelled = design.modelled(np.exp(x))
        obs_part = (np.log(modelled) - log_obs) / sig_obs
        return np.concatenate([obs_part, (x - prior) / sig_prior])

    def jacobian(z: NDArray[np.float64]) -> NDArray[np.float64]:
        top = _obs_jacobian(design, np.exp(z + x0)) / sig_obs[:, None]
        return np.vstack([top, np.diag(1.0 / sig_prior)])

    out = least_squares(
        residuals,
        np.zeros(n_groups),
        jac=jacobian,
        bounds=(lower - x0, upper - x0),
        loss="soft_l1",
        f_scale=1.0,
        method="trf",
    )
    z = np.asarray(out.x, dtype=np.float64)
    x = z + x0
    jac = jacobian(z)
    m_obs = len(design.rows)
    dof = max(m_obs - n_groups, 1)
    # robust residual scale (1.4826 x median absolute residual): the outliers that the
    # soft_l1 loss discounts must not widen every interval
    spread = float(1.4826 * np.median(np.abs(residuals(z)[:m_obs]))) if m_obs else 1.0
    scale2 = max(spread**2 * m_obs / dof, 1.0)
    cov = np.linalg.pinv(jac.T @ jac) * scale2
    sd = np.sqrt(np.maximum(np.diag(cov), 0.0))
    sens_matrix = _obs_jacobian(design, np.exp(x))
    sensitivity = np.sqrt(np.sum(sens_matrix**2, axis=0))
    used = (design.matrix > 0).sum(axis=0)
    fits: list[GroupFit] = []
    for g, group in enumerate(groups):
        identifiable = bool(sensitivity[g] > MIN_SENSITIVITY)
        partners: list[str] = []
        for h, other in enumerate(groups):
            if h == g or not identifiable or sensitivity[h] <= MIN_SENSITIVITY:
                continue
            cosine = float(
                sens_matrix[:, g] @ sens_matrix[:, h] / (sensitivity[g] * sensitivity[h])
            )
            if abs(cosine) > COLLINEAR:
                partners.append(other.group_id)
        value = float(np.exp(x[g]))
        at_bound = bool(identifiable and (x[g] - lower[g] < 1e-4 or upper[g] - x[g] < 1e-4))
        low_95 = float(max(np.exp(x[g] - 1.96 * sd[g]), group.low))
        high_95 = float(min(np.exp(x[g] + 1.96 * sd[g]), group.high))
        width = math.log(group.high / group.low)
        fits.append(
            GroupFit(
                group=group,
                value=value,
                low_95=low_95,
                high_95=high_95,
                sensitivity=float(sensitivity[g]),
                identifiable=identifiable,
                at_bound=at_bound,
                collinear_with=tuple(partners),
                observations=int(used[g]),
                weak=bool(width > 0 and math.log(high_95 / low_95) >= WEAK * width),
            )
        )
    return Fit(np.exp(x), tuple(fits), float(out.cost), bool(out.success), str(out.message))


@dataclass(frozen=True)
class KindScore:
    """Share in band and median |ln(modelled/observed)| of one kind, for one parameter set."""

    kind: str
    count: int
    in_band: int
    median_abs_log_error: float

    def to_dict(self) -> dict[str, Any]:
        """Return the score as a JSON-ready dict."""
        return {
            "kind": self.kind,
            "count": self.count,
            "in_band": self.in_band,
            "share_in_band": round(self.in_band / self.count, 4) if self.count else None,
            "median_abs_log_error": round(self.median_abs_log_error, 4),
        }


def score_kinds(design: Design, modelled: NDArray[np.float64]) -> list[KindScore]:
    """Score modelled values against the observations' bands, per kind and for all."""
    kinds = [r.kind for r in design.rows]
    out: list[KindScore] = []
    for kind in [*dict.fromkeys(kinds), "all"]:
        idx = [i for i, k in enumerate(kinds) if kind in ("all", k)]
        rows = [design.rows[i] for i in idx]
        values = modelled[idx]
        inside = sum(1 for r, v in zip(rows, values, strict=True) if r.low <= v <= r.high)
        errors = np.abs(np.log(values / np.array([r.observed for r in rows])))
        out.append(KindScore(kind, len(rows), inside, float(np.median(errors))))
    return out


@dataclass(frozen=True)
class CrossValidation:
    """Out-of-sample modelled values from k-fold cross-validation."""

    folds: int
    modelled: NDArray[np.float64]
    scores: list[KindScore] = field(default_factory=list)


def cross_validate(
    design: Design,
    groups: list[Group],
    folds: int,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> CrossValidation:
    """Predict every observation from a fit on the other folds (shuffled with ``seed``).

    Raises
    ------
    ValueError
        If there are fewer observations than folds, or fewer than 2 folds.
    """
    n = len(design.rows)
    if folds < 2 or folds > n:
        raise ValueError(f"--folds must be between 2 and the {n} observations, not {folds}")
    order = np.random.default_rng(seed).permutation(n)
    predicted = np.empty(n)
    for k in range(folds):
        test = np.sort(order[k::folds])
        train = np.setdiff1d(np.arange(n), test)
        theta = fit(design.subset(train), groups).theta
        predicted[test] = design.subset(test).modelled(theta)
        if progress is not None:
            progress(k + 1, folds)
    return CrossValidation(folds, predicted, score_kinds(design, predicted))
