"""Validation of the model against published observations (``observations.csv``).

Every observation is a published figure with the query that reproduces it: a route's time,
price or distance, or a volume or share from assigning a bundled demand set. The criteria
(the band per kind) are declared in ``criteria.yaml``; see docs/validation.md.
"""

from __future__ import annotations

from corridor.model.observations import model_input_sources, observation_problems
from corridor.validation.criteria import KINDS, Band, Criteria, geh, load_criteria
from corridor.validation.run import (
    KindSummary,
    ObservationResult,
    ValidationResult,
    run_validation,
    score,
)

__all__ = [
    "KINDS",
    "Band",
    "Criteria",
    "KindSummary",
    "ObservationResult",
    "ValidationResult",
    "geh",
    "load_criteria",
    "model_input_sources",
    "observation_problems",
    "run_validation",
    "score",
]
