"""The scenario file format: pydantic models of the YAML, and the located YAML reader.

A scenario file is YAML, loaded safely (no Python tags); :func:`read_located_yaml` keeps the
line of every YAML path so that each problem names its file, path and line. Parsing text into
a checked :class:`Scenario` is :func:`corridor.scenarios.parse.parse_scenario`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from corridor.errors import CorridorError

Scalar = str | int | float | bool | None
Cell = Scalar | list[str]

#: Tables a patch can select rows of.
PATCH_TABLES: tuple[str, ...] = ("nodes", "links", "transfers", "countries")
#: Tables a patch can add rows to.
ADD_TABLES: tuple[str, ...] = ("nodes", "links", "transfers")
#: Operations on selected rows.
OPERATIONS: tuple[str, ...] = ("set", "scale", "open", "close")
#: Operations that stand alone (no selector).
STANDALONE: tuple[str, ...] = ("add", "war_risk", "sanctions")
#: Columns of a demand table that patches read.
DEMAND_KEYS: tuple[str, ...] = ("origin", "destination", "commodity")


@dataclass(frozen=True)
class ScenarioProblem:
    """One problem in a scenario, located in its file.

    Attributes
    ----------
    file
        The scenario file (or ``<text>``), or the network file a row came from.
    path
        YAML path of the offending value, e.g. ``patches[2].set.capacity_t_per_year``.
    message
        What is wrong.
    line
        Line in the file, if known.
    """

    file: str
    path: str
    message: str
    line: int | None = None

    def format(self) -> str:
        """Return a one-line description: ``file:line: path: message``."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """Return the problem as a JSON-ready dict."""
        return {"file": self.file, "line": self.line, "path": self.path, "message": self.message}


class ScenarioError(CorridorError):
    """A scenario is invalid; ``problems`` lists every problem found.

    Parameters
    ----------
    problems
        All problems, each located by file, YAML path and line.
    """

    def __init__(self, problems: Sequence[ScenarioProblem]) -> None:
        self.problems = list(problems)
        lines = [p.format() for p in self.problems]
        super().__init__(f"{len(lines)} problem(s) in scenario:\n" + "\n".join(lines))


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Selector(_Frozen):
    """Which rows of a table a patch changes; criteria are combined with AND.

    Each criterion takes one value or a list (any of them). ``ids: "*"`` selects every row.

    Attributes
    ----------
    ids
        Row ids (node ids, link ids, transfer ids or country codes).
    mode
        Link mode; for transfers, the mode on either side.
    country
        Country of a node; for links, a country the link crosses or ends in; for transfers,
        the country of the node.
    corridor
        Corridor family of a link (``middle``, ``btk``, ``zangezur``, ...).
    status
        ``open``, ``planned`` or ``closed``.
    """

    ids: str | list[str] | None = None
    mode: str | list[str] | None = None
    country: str | list[str] | None = None
    corridor: str | list[str] | None = None
    status: str | list[str] | None = None

    def criteria(self) -> dict[str, list[str]]:
        """Return the criteria that are given, each as a list of values."""
        out: dict[str, list[str]] = {}
        for key in ("ids", "mode", "country", "corridor", "status"):
            value = getattr(self, key)
            if value is not None:
                out[key] = [value] if isinstance(value, str) else list(value)
        return out


class Patch(_Frozen):
    """One change to the network.

    A patch names one table with a selector (``nodes``, ``links``, ``transfers`` or
    ``countries``) and one operation (``set``, ``scale``, ``open`` or ``close``), or it is one
    of the standalone operations ``add``, ``war_risk`` or ``sanctions``. ``ref`` names the
    source row of every figure the patch sets, scales or adds.
    """

    nodes: Selector | None = None
    links: Selector | None = None
    transfers: Selector | None = None
    countries: Selector | None = None
    set: dict[str, Cell] | None = None
    scale: dict[str, float] | None = None
    open: bool | int | None = None
    close: bool | None = None
    add: dict[str, list[dict[str, Cell]]] | None = None
    war_risk: dict[str, float] | None = None
    sanctions: dict[str, str] | None = None
    ref: str | None = None
    note: str | None = None

    @property
    def table(self) -> str | None:
        """The table the selector applies to, if any."""
        return next((t for t in PATCH_TABLES if getattr(self, t) is not None), None)

    @property
    def selector(self) -> Selector | None:
        """The selector, if any."""
        table = self.table
        return None if table is None else getattr(self, table)

    @property
    def operation(self) -> str | None:
        """The operation (``set``, ``scale``, ``open``, ``close``, ``add``, ...)."""
        return next((o for o in (*OPERATIONS, *STANDALONE) if getattr(self, o) is not None), None)


class DemandWhere(_Frozen):
    """Which demand rows a demand patch changes: ids, lists of ids, or ``*`` (any)."""

    origin: str | list[str] = "*"
    destination: str | list[str] = "*"
    commodity: str | list[str] = "*"


class DemandPatch(_Frozen):
    """One change to a demand table (annual flows per origin, destination and commodity).

    Exactly one of ``scale`` (multiply ``flow_per_year``), ``set`` (replace it), ``subtract``
    (take this flow off the selected rows in proportion, never below zero) or ``add`` (new
    rows) is given.
    """

    where: DemandWhere = Field(default_factory=DemandWhere)
    scale: float | None = Field(default=None, ge=0)
    set: float | None = Field(default=None, ge=0)
    subtract: float | None = Field(default=None, ge=0)
    add: list[dict[str, Scalar]] | None = None
    ref: str | None = None
    note: str | None = None

    @property
    def operation(self) -> str | None:
        """The operation given."""
        return next(
            (o for o in ("scale", "set", "subtract", "add") if getattr(self, o) is not None), None
        )


class Scenario(_Frozen):
    """A named set of changes to a base network (and to demand), read from YAML.

    Attributes
    ----------
    name
        Short name (``zangezur-open``).
    title
        One line for lists.
    description
        What the scenario assumes and why.
    base
        A dataset name (``eurasia``), a network folder, a bundled scenario name or the path of
        another scenario file, whose result this scenario changes.
    year
        Year to route and assign in (planned items open from their year); ``None`` inherits
        the base scenario's year.
    patches
        Changes to the network, applied in order.
    demand
        Changes to demand tables, applied in order by :func:`apply_demand`.
    sources
        Source rows added to the network's sources table, citable by ``ref``.
    file
        Where the scenario was read from (for messages and relative base paths).
    lines
        Line of each YAML path in the file, for messages.
    """

    name: str
    title: str = ""
    description: str = ""
    base: str = "eurasia"
    year: int | None = Field(default=None, ge=1850, le=2100)
    patches: tuple[Patch, ...] = ()
    demand: tuple[DemandPatch, ...] = ()
    sources: tuple[dict[str, Scalar], ...] = ()
    file: str = Field(default="<text>", exclude=True)
    lines: dict[str, int] = Field(default_factory=dict, exclude=True, repr=False)


# --------------------------------------------------------------------------------------------
# YAML with line numbers


def _path(loc: Iterable[str | int]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _lines(node: yaml.Node, loc: tuple[str | int, ...], out: dict[str, int]) -> None:
    out[_path(loc)] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = str(key.value)
            out[_path((*loc, name))] = key.start_mark.line + 1
            _lines(value, (*loc, name), out)
            out[_path((*loc, name))] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _lines(item, (*loc, i), out)


class Located:
    """Collects problems of one file, finding each path's line."""

    def __init__(self, file: str, lines: dict[str, int]) -> None:
        self.file = file
        self.lines = lines
        self.problems: list[ScenarioProblem] = []

    def line(self, path: str) -> int | None:
        """Return the line of ``path``, or of its nearest parent that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return None

    def add(self, path: str, message: str) -> None:
        """Record a problem at ``path``."""
        self.problems.append(ScenarioProblem(self.file, path, message, self.line(path)))


def read_located_yaml(text: str, source: str) -> tuple[Any, dict[str, int], ScenarioProblem | None]:
    """Load YAML safely and note the line of every mapping key and list item.

    Parameters
    ----------
    text
        The YAML text.
    source
        File name used in problems.

    Returns
    -------
    tuple
        The data, the line of each YAML path (e.g. ``patches[0].set``), and a problem if the
        text is not valid YAML or uses a tag the safe loader refuses (then the data is None).
    """
    from corridor.io.yamlsafe import YamlLimitError, compose_yaml, construct_yaml

    try:
        node = compose_yaml(text)  # dates stay text; limits size, depth, aliases; finite numbers
        data = construct_yaml(node)
    except YamlLimitError as exc:
        return None, {}, ScenarioProblem(source, "", f"refused YAML: {exc.problem}", exc.line)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        return None, {}, ScenarioProblem(source, "", f"invalid or unsafe YAML: {problem}", line)
    lines: dict[str, int] = {}
    if node is not None:
        _lines(node, (), lines)
    return data, lines, None
