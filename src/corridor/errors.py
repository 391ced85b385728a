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


class NameNotFoundError(CorridorError):
    """A node, country, mode or commodity name matches nothing in the network.

    Parameters
    ----------
    message
        The full message, with a "did you mean" when something is close.
    kind
        What was looked up: ``node``, ``country``, ``mode`` or ``commodity``.
    name
        The name as given.
    suggestions
        Ids of the closest matches.
    """

    def __init__(self, message: str, kind: str, name: str, suggestions: list[str]) -> None:
        super().__init__(message)
        self.kind = kind
        self.name = name
        self.suggestions = suggestions


class NoRouteError(CorridorError):
    """No route satisfies the request; the message names the constraint that cut it."""


class InfeasibleError(CorridorError):
    """An optimisation model has no feasible solution."""
