"""The exceptions corridor raises for problems a user can fix."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corridor.model.problems import ValidationReport


class CorridorError(Exception):
    """Base class of every error corridor raises on purpose."""


class ValidationError(CorridorError):
    """A network (or other input) failed validation.

    Parameters
    ----------
    report
        The full validation report, listing every problem found.
    """

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        super().__init__(report.format_text(max_problems=20))


class DatasetNotFoundError(CorridorError):
    """A network name or path does not point to a readable network."""


class NoRouteError(CorridorError):
    """No route satisfies the request."""


class InfeasibleError(CorridorError):
    """An optimisation model has no feasible solution."""
