"""What validation returns: a row per observation, a summary per kind, and the scoring rule."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from corridor.validation.criteria import KINDS, Criteria


class NotModelledError(Exception):
    """The model cannot answer an observation; the message says why."""


@dataclass(frozen=True)
class ObservationResult:
    """One observation against the model.

    ``modelled``, ``observed``, ``low`` and ``high`` are in ``unit``. ``ratio`` is modelled /
    observed; ``abs_log_error`` is ``|ln(ratio)|`` (None when the model gives 0 or nothing).
    A ``not_modelled`` row has no modelled value and is outside its band.
    """

    observation_id: str
    kind: str
    description: str
    status: str  # modelled | not_modelled
    reason: str
    modelled: float | None
    observed: float
    unit: str
    low: float
    high: float
    band_from: str  # published | default
    in_band: bool
    ratio: float | None
    abs_log_error: float | None
    geh: float | None
    year: int
    nature: str
    query: dict[str, Any]
    source: dict[str, Any]
    corridor: str = ""
    legs: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the row as JSON-ready data (keys name their units where they have one)."""
        return {
            "observation_id": self.observation_id,
            "kind": self.kind,
            "description": self.description,
            "status": self.status,
            "reason": self.reason,
            "unit": self.unit,
            "modelled_value": self.modelled,
            "observed_value": self.observed,
            "low_value": self.low,
            "high_value": self.high,
            "band_from": self.band_from,
            "in_band": self.in_band,
            "ratio": self.ratio,
            "abs_log_error": self.abs_log_error,
            "geh": self.geh,
            "year": self.year,
            "nature": self.nature,
            "query": self.query,
            "source": self.source,
            "corridor": self.corridor,
            "legs": self.legs,
        }


@dataclass(frozen=True)
class KindSummary:
    """Summary of the observations of one kind.

    Attributes
    ----------
    count
        Observations of the kind.
    modelled
        Those the model could answer.
    in_band
        Those inside their band (not-modelled rows never are).
    median_ratio, median_abs_log_error
        Over the modelled rows with a positive modelled value (None if there are none).
    zero_modelled
        Modelled rows whose modelled value is 0 (left out of the two medians).
    geh_below_threshold
        Volumes only: modelled rows with GEH below the criteria's threshold.
    """

    kind: str
    count: int
    modelled: int
    in_band: int
    median_ratio: float | None
    median_abs_log_error: float | None
    zero_modelled: int
    geh_below_threshold: int | None

    @property
    def share_in_band(self) -> float:
        """In-band rows over all rows of the kind (0 if there are none)."""
        return self.in_band / self.count if self.count else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as JSON-ready data."""
        data: dict[str, Any] = {
            "kind": self.kind,
            "count": self.count,
            "modelled": self.modelled,
            "not_modelled": self.count - self.modelled,
            "in_band": self.in_band,
            "share_in_band": self.share_in_band,
            "median_ratio": self.median_ratio,
            "median_abs_log_error": self.median_abs_log_error,
            "zero_modelled": self.zero_modelled,
        }
        if self.geh_below_threshold is not None:
            data["geh_below_threshold"] = self.geh_below_threshold
            data["share_geh_below_threshold"] = (
                self.geh_below_threshold / self.count if self.count else 0.0
            )
        return data


@dataclass(frozen=True)
class ValidationResult:
    """Every observation against the model, with a summary per kind."""

    network: str
    criteria: Criteria
    rows: list[ObservationResult]
    provenance: dict[str, Any] | None = None

    @property
    def summaries(self) -> list[KindSummary]:
        """One summary per kind that has observations, in :data:`KINDS` order."""
        return [summarize(self.rows, kind, self.criteria) for kind in self.kinds]

    @property
    def kinds(self) -> list[str]:
        """Kinds present, in report order."""
        present = {r.kind for r in self.rows}
        return [k for k in KINDS if k in present]

    def worst(self, kind: str, n: int = 5) -> list[ObservationResult]:
        """Return the ``n`` rows of ``kind`` furthest from their observation.

        Not-modelled rows and rows modelled as 0 come first, then the largest log errors.
        """
        rows = [r for r in self.rows if r.kind == kind]
        return sorted(
            rows,
            key=lambda r: (
                r.abs_log_error is not None,
                -(r.abs_log_error or 0.0),
                r.observation_id,
            ),
        )[:n]

    def summary_markdown(self) -> str:
        """Return the summary per kind as a Markdown table (as in docs/validation.md)."""

        def num(value: float | None) -> str:
            return "–" if value is None else f"{value:.2f}"

        lines = [
            "| kind | count | modelled | in band | share in band | median ratio "
            "| median \\|ln ratio\\| |",
            "|---|---|---|---|---|---|---|",
        ]
        for s in self.summaries:
            lines.append(
                f"| {s.kind} | {s.count} | {s.modelled} | {s.in_band} | "
                f"{s.share_in_band:.0%} | {num(s.median_ratio)} | "
                f"{num(s.median_abs_log_error)} |"
            )
        total = len(self.rows)
        modelled = sum(r.status == "modelled" for r in self.rows)
        in_band = sum(r.in_band for r in self.rows)
        share = in_band / total if total else 0.0
        lines.append(f"| **all** | {total} | {modelled} | {in_band} | {share:.0%} | | |")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Return the whole result as one JSON-ready document with stable keys."""
        rows = len(self.rows)
        in_band = sum(r.in_band for r in self.rows)
        return {
            "network": self.network,
            "criteria": self.criteria.to_dict(),
            "summary": [s.to_dict() for s in self.summaries],
            "total": {
                "count": rows,
                "in_band": in_band,
                "share_in_band": in_band / rows if rows else 0.0,
            },
            "observations": [r.to_dict() for r in self.rows],
            **({} if self.provenance is None else {"provenance": self.provenance}),
        }


def summarize(rows: Sequence[ObservationResult], kind: str, criteria: Criteria) -> KindSummary:
    """Summarise the rows of one kind."""
    mine = [r for r in rows if r.kind == kind]
    modelled = [r for r in mine if r.status == "modelled"]
    ratios = [r.ratio for r in modelled if r.ratio is not None and r.ratio > 0]
    errors = [r.abs_log_error for r in modelled if r.abs_log_error is not None]
    gehs = [r.geh for r in modelled if r.geh is not None]
    return KindSummary(
        kind=kind,
        count=len(mine),
        modelled=len(modelled),
        in_band=sum(r.in_band for r in mine),
        median_ratio=statistics.median(ratios) if ratios else None,
        median_abs_log_error=statistics.median(errors) if errors else None,
        zero_modelled=sum(1 for r in modelled if r.modelled == 0),
        geh_below_threshold=(
            sum(1 for g in gehs if g < criteria.geh_threshold) if kind == "volume" else None
        ),
    )


def score(
    kind: str,
    observed: float,
    modelled: float | None,
    low: float | None,
    high: float | None,
    criteria: Criteria,
) -> tuple[float, float, str, bool, float | None, float | None]:
    """Return (low, high, band_from, in_band, ratio, abs_log_error) of one observation.

    The published range is the band when the row gives one; otherwise the kind's default band.

    Examples
    --------
    >>> from corridor.validation.criteria import load_criteria
    >>> score("price", 100.0, 125.0, None, None, load_criteria())[:4]
    (70.0, 130.0, 'default', True)
    >>> score("transit_time", 15.0, 20.0, 13.0, 17.0, load_criteria())[:4]
    (13.0, 17.0, 'published', False)
    """
    if low is not None and high is not None:
        lo, hi, band_from = low, high, "published"
    else:
        lo, hi = criteria.band(kind).around(observed)
        band_from = "default"
    if modelled is None:
        return lo, hi, band_from, False, None, None
    ratio = modelled / observed if observed else None
    log_error = abs(math.log(ratio)) if ratio is not None and ratio > 0 else None
    return lo, hi, band_from, lo <= modelled <= hi, ratio, log_error
