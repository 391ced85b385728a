"""Validation problems and the report that collects them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One problem found in the input, located as precisely as possible.

    Attributes
    ----------
    severity
        ``error`` (the network cannot be used) or ``warning`` (it can, but look).
    file
        File the problem is in (e.g. ``links.csv``), or the table name for in-memory tables.
    line
        Line number in the file (the header is line 1), if the problem is in one row.
    column
        Column the problem is in, if any.
    message
        What is wrong, in words a user can act on.
    row_id
        Identifier of the row, if it has one.
    """

    severity: Severity
    file: str
    line: int | None
    column: str | None
    message: str
    row_id: str | None = None

    def format(self) -> str:
        """Return a one-line description, e.g. ``links.csv:12 [distance_km] ...``."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.row_id:
            where += f" ({self.row_id})"
        col = f" [{self.column}]" if self.column else ""
        return f"{self.severity}: {where}{col}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """Return the problem as a JSON-ready dict."""
        return asdict(self)


@dataclass
class ValidationReport:
    """Every problem found in one validation run.

    Attributes
    ----------
    source
        What was validated (a path or a network name).
    problems
        All problems, errors and warnings, in the order found.
    """

    source: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        """Append one problem."""
        self.problems.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        """Append several problems."""
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        """The problems with severity ``error``."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems with severity ``warning``."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True if there is no error (warnings are allowed)."""
        return not self.errors

    def format_text(self, max_problems: int | None = None) -> str:
        """Return the report as plain text, one problem per line.

        Parameters
        ----------
        max_problems
            Show at most this many problems (errors first); ``None`` shows all.
        """
        ordered = self.errors + self.warnings
        shown = ordered if max_problems is None else ordered[:max_problems]
        lines = [p.format() for p in shown]
        if len(shown) < len(ordered):
            lines.append(f"... and {len(ordered) - len(shown)} more")
        lines.append(f"{self.source}: {len(self.errors)} error(s), {len(self.warnings)} warning(s)")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-ready dict."""
        return {
            "source": self.source,
            "ok": self.ok,
            "error_count": len(self.errors),
            "warning_count": len(self.warnings),
            "problems": [p.to_dict() for p in self.errors + self.warnings],
        }
