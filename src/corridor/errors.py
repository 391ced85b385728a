"""The exceptions corridor raises for problems a user can fix."""

from __future__ import annotations

from collections.abc import Sequence
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


class InvalidRequestError(CorridorError):
    """A field of a request names something unknown or holds a value that cannot be used.

    The REST API answers it with a 422 naming the field.

    Parameters
    ----------
    field
        The request field, e.g. ``mode`` or ``demand``.
    message
        What is wrong, with a "did you mean" when something is close.
    value
        The value as given, if any.
    suggestions
        The closest known values.
    reason
        A short machine-readable kind: ``not_found`` (an unknown name) or ``invalid``.
    """

    def __init__(
        self,
        field: str,
        message: str,
        *,
        value: str | None = None,
        suggestions: Sequence[str] = (),
        reason: str = "invalid",
    ) -> None:
        super().__init__(message)
        self.field = field
        self.value = value
        self.suggestions = list(suggestions)
        self.reason = reason
