"""The sweep file format: pydantic models of the YAML, and parsing with located errors.

A sweep names a base (a dataset, a bundled scenario or a scenario file), parameters that
each fill ``$value`` into scenario patch templates, a design (a ``grid`` of value lists or a
Monte Carlo ``sample``) and one job run at every point (``assign``, ``route`` or
``simulate``). Problems are reported all at once, each with the file, the YAML path and the
line, in the style of :mod:`corridor.scenarios`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic import ValidationError as PydanticValidationError

from corridor.errors import CorridorError
from corridor.model.tables import suggest
from corridor.routing.params import CostParams
from corridor.scenarios.parse import _is_union_tag, _pydantic_message, parse_scenario
from corridor.scenarios.spec import (
    Located,
    ScenarioError,
    ScenarioProblem,
    _path,
    read_located_yaml,
)
from corridor.sweeps.metrics import metric_names

#: The placeholder a patch template's scalar is replaced by at each point.
PLACEHOLDER = "$value"
#: Most points a design may have.
MAX_POINTS = 1_000_000
#: Column names of the results that parameters cannot take.
RESERVED = ("point", "point_key", "status", "error_type", "error", "elapsed_s")

Scalar = str | int | float | bool
#: One point of a design: a value per parameter.
Point = dict[str, Scalar]


class SweepError(CorridorError):
    """A sweep spec is invalid, or its output folder holds another sweep's results.

    Parameters
    ----------
    problems
        Every problem, each located by file, YAML path and line.
    """

    def __init__(self, problems: Sequence[ScenarioProblem]) -> None:
        self.problems = list(problems)
        lines = [p.format() for p in self.problems]
        super().__init__(f"{len(lines)} problem(s) in sweep:\n" + "\n".join(lines))


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Uniform(_Frozen):
    """Uniform between ``low`` and ``high``."""

    dist: Literal["uniform"]
    low: float
    high: float


class Normal(_Frozen):
    """Normal with ``mean`` and standard deviation ``sd``."""

    dist: Literal["normal"]
    mean: float
    sd: float = Field(ge=0)


class LogNormal(_Frozen):
    """Lognormal with ``median`` and ``sigma``, the standard deviation of its logarithm."""

    dist: Literal["lognormal"]
    median: float = Field(gt=0)
    sigma: float = Field(ge=0)


class Choice(_Frozen):
    """One of ``values``, with optional ``weights`` (normalised to sum to one)."""

    dist: Literal["choice"]
    values: list[Scalar] = Field(min_length=1)
    weights: list[float] | None = None


Distribution = Annotated[Uniform | Normal | LogNormal | Choice, Field(discriminator="dist")]


class Sample(_Frozen):
    """A Monte Carlo design: ``n`` points drawn with ``seed`` from each parameter's law."""

    n: int = Field(ge=1, le=MAX_POINTS)
    seed: int = 0
    parameters: dict[str, Distribution]


class Parameter(_Frozen):
    """A swept parameter: scenario patch templates in which ``$value`` is replaced.

    Attributes
    ----------
    description
        What the parameter means, with its unit.
    patches
        Network patches in the scenario format (``war_risk: {RU: $value}``).
    demand
        Demand patches in the scenario format (``scale: $value``).
    """

    description: str = ""
    patches: list[dict[str, Any]] = []
    demand: list[dict[str, Any]] = []


class AssignJob(_Frozen):
    """Load demand onto the network at each point (see :func:`corridor.assign.model.assign`).

    ``demand`` is a demand set of the root network, a CSV file, or a list of them (their rows
    are loaded together). ``year`` defaults to the scenario's year, else the first set's.
    """

    demand: str | list[str]
    year: int | None = Field(default=None, ge=1850, le=2100)
    params: dict[str, Any] = {}

    @property
    def demand_sets(self) -> list[str]:
        """The demand sets, as a list."""
        return [self.demand] if isinstance(self.demand, str) else list(self.demand)


class RouteJob(_Frozen):
    """Find the best route at each point (see :func:`corridor.routing.engine.route`)."""

    origin: str
    destination: str
    commodity: str = "container"
    objective: Literal["generalized", "cost", "time", "co2", "risk"] = "generalized"
    avoid: list[str] = []
    via: list[str] = []
    year: int | None = Field(default=None, ge=1850, le=2100)
    params: dict[str, Any] = {}


class SimulateJob(_Frozen):
    """Simulate candidate routes at each point; report the best by ``by``.

    See :func:`corridor.risk.simulate.reliable_routes`.
    """

    origin: str
    destination: str
    commodity: str = "container"
    k: int = Field(default=3, ge=1, le=20)
    by: Literal["p90", "expected", "on_time"] = "p90"
    n: int = Field(default=10_000, ge=100, le=1_000_000)
    seed: int = 0
    deadline_h: float | None = Field(default=None, gt=0)
    month: int | None = Field(default=None, ge=1, le=12)
    avoid: list[str] = []
    year: int | None = Field(default=None, ge=1850, le=2100)
    params: dict[str, Any] = {}


class Job(_Frozen):
    """What runs at each point: exactly one of ``assign``, ``route`` or ``simulate``."""

    assign: AssignJob | None = None
    route: RouteJob | None = None
    simulate: SimulateJob | None = None

    @property
    def kind(self) -> str:
        """``assign``, ``route`` or ``simulate``."""
        return next(k for k in ("assign", "route", "simulate") if getattr(self, k) is not None)

    @property
    def spec(self) -> AssignJob | RouteJob | SimulateJob:
        """The job's own settings."""
        value: AssignJob | RouteJob | SimulateJob = getattr(self, self.kind)
        return value

    def cost_params(self) -> CostParams:
        """Return the generalized-cost weights of the job."""
        return CostParams(**self.spec.params)

    @model_validator(mode="after")
    def _one(self) -> Job:
        given = [k for k in ("assign", "route", "simulate") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of assign, route, simulate; found {len(given)}")
        return self


class SweepSpec(_Frozen):
    """A sweep read from YAML.

    Attributes
    ----------
    name, title, description
        Short name, one line for lists, and what the sweep asks.
    base
        A dataset name, a bundled scenario name or a scenario file (relative to the sweep's
        file) that every point starts from.
    sources
        Source rows the parameters' patches cite with ``ref`` (as in a scenario).
    parameters
        The swept parameters by name.
    grid
        Values of each parameter; the points are their cartesian product.
    sample
        Or a Monte Carlo design.
    job
        What runs at each point.
    file, lines
        Where the sweep was read from and the line of each YAML path, for messages.
    """

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    title: str = ""
    description: str = ""
    base: str = "eurasia"
    sources: tuple[dict[str, Any], ...] = ()
    parameters: dict[str, Parameter] = Field(min_length=1)
    grid: dict[str, list[Scalar]] | None = None
    sample: Sample | None = None
    job: Job
    file: str = Field(default="<text>", exclude=True)
    lines: dict[str, int] = Field(default_factory=dict, exclude=True, repr=False)

    @property
    def folder(self) -> Path:
        """Folder a relative ``base`` or demand file is resolved against."""
        return Path(self.file).parent if self.file != "<text>" else Path.cwd()

    def located(self) -> Located:
        """Return a problem collector pointing into this sweep's file."""
        return Located(self.file, self.lines)


# --------------------------------------------------------------------------------------------
# parsing


def parse_sweep(text: str, source: str = "<text>") -> SweepSpec:
    r"""Parse a sweep from YAML text, checking everything that needs no network.

    Parameters
    ----------
    text
        The YAML document.
    source
        Where it came from, for messages and to resolve a relative ``base``.

    Returns
    -------
    SweepSpec
        The parsed sweep.

    Raises
    ------
    SweepError
        With every problem found, each located by file, YAML path and line.

    Examples
    --------
    >>> spec = parse_sweep('''
    ... name: demo
    ... parameters:
    ...   growth: {demand: [{scale: $value}]}
    ... grid: {growth: [1.0, 1.5]}
    ... job: {assign: {demand: middle-2030}}
    ... ''')
    >>> spec.job.kind, spec.grid
    ('assign', {'growth': [1.0, 1.5]})
    """
    data, lines, problem = read_located_yaml(text, source)
    if problem is not None:
        raise SweepError([problem])
    out = Located(source, lines)
    if not isinstance(data, dict):
        out.add("", "a sweep must be a mapping with name, parameters, a design and a job")
        raise SweepError(out.problems)
    try:
        spec = SweepSpec.model_validate({**data, "file": source, "lines": lines})
    except PydanticValidationError as exc:
        for err in exc.errors():
            loc = [p for p in err["loc"] if not _is_union_tag(p) and p not in _DISTS]
            message = _pydantic_message(err)
            if err["type"] == "value_error":
                message = str(err["msg"]).removeprefix("Value error, ")
            out.add(_path(loc), message)
        raise SweepError(out.problems) from None
    _check_design(spec, out)
    _check_parameters(spec, out)
    _check_job(spec, out)
    if not out.problems:
        _check_templates(spec, out)
    if out.problems:
        raise SweepError(out.problems)
    return spec


_DISTS = ("uniform", "normal", "lognormal", "choice")


def _check_design(spec: SweepSpec, out: Located) -> None:
    names = list(spec.parameters)
    if (spec.grid is None) == (spec.sample is None):
        out.add("", "give exactly one design: grid (value lists) or sample (Monte Carlo)")
        return
    design: dict[str, Any]
    if spec.grid is not None:
        design, where = dict(spec.grid), "grid"
        size = 1
        for name, values in spec.grid.items():
            if not values:
                out.add(f"grid.{name}", "no values")
            size *= max(len(values), 1)
            _check_same_type(values, f"grid.{name}", out)
        if size > MAX_POINTS:
            out.add("grid", f"{size:,} points; at most {MAX_POINTS:,} (use sample)")
    else:
        assert spec.sample is not None
        design, where = dict(spec.sample.parameters), "sample.parameters"
        for name, law in spec.sample.parameters.items():
            _check_law(law, f"{where}.{name}", out)
    for name in design:
        if name not in spec.parameters:
            out.add(f"{where}.{name}", f"unknown parameter{suggest(name, names)}")
    for name in names:
        if name not in design:
            out.add(f"parameters.{name}", f"has no values in {where}")


def _check_same_type(values: Sequence[Scalar], path: str, out: Located) -> None:
    kinds = {"bool" if isinstance(v, bool) else "text" if isinstance(v, str) else "number"
             for v in values}  # fmt: skip
    if len(kinds) > 1:
        out.add(path, "values must all be numbers, all text or all true/false")


def _check_law(law: Uniform | Normal | LogNormal | Choice, path: str, out: Located) -> None:
    if isinstance(law, Uniform) and not law.low < law.high:
        out.add(f"{path}.high", f"high {law.high:g} must be above low {law.low:g}")
    if isinstance(law, Choice):
        _check_same_type(law.values, f"{path}.values", out)
        if law.weights is not None:
            if len(law.weights) != len(law.values):
                out.add(f"{path}.weights", "give one weight per value")
            elif min(law.weights) < 0 or sum(law.weights) <= 0:
                out.add(f"{path}.weights", "weights must be >= 0 with a positive sum")


def _check_parameters(spec: SweepSpec, out: Located) -> None:
    taken = {*RESERVED, *metric_names(spec.job.kind)}
    for name, param in spec.parameters.items():
        path = f"parameters.{name}"
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            out.add(path, "a parameter name is letters, digits and _ (it names a column)")
        elif name in taken:
            out.add(path, f"{name!r} is the name of a result column; choose another")
        if not param.patches and not param.demand:
            out.add(path, "give patches or demand: the templates the value goes into")
            continue
        for kind in ("patches", "demand"):
            for i, template in enumerate(getattr(param, kind)):
                if not _uses_placeholder(template):
                    out.add(f"{path}.{kind}[{i}]", f"the template never uses {PLACEHOLDER}")


def _check_job(spec: SweepSpec, out: Located) -> None:
    job = spec.job
    where = f"job.{job.kind}"
    try:
        job.cost_params()
    except PydanticValidationError as exc:
        for err in exc.errors():
            out.add(_path([where, "params", *err["loc"]]), _pydantic_message(err))
    if isinstance(job.assign, AssignJob) and not job.assign.demand_sets:
        out.add(f"{where}.demand", "name at least one demand set")


def _uses_placeholder(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_uses_placeholder(v) for v in value.values())
    if isinstance(value, list):
        return any(_uses_placeholder(v) for v in value)
    return bool(value == PLACEHOLDER)


def substitute(template: Any, value: Scalar) -> Any:
    """Return a copy of a template with every ``$value`` scalar replaced by ``value``.

    Examples
    --------
    >>> substitute({"war_risk": {"RU": "$value"}, "ref": "x"}, 5.0)
    {'war_risk': {'RU': 5.0}, 'ref': 'x'}
    """
    if isinstance(template, dict):
        return {k: substitute(v, value) for k, v in template.items()}
    if isinstance(template, list):
        return [substitute(v, value) for v in template]
    return value if template == PLACEHOLDER else template


def point_document(spec: SweepSpec, values: dict[str, Scalar], name: str) -> dict[str, Any]:
    """Return the scenario document (as data) of one point's patches.

    Patches come in the order of the parameters, each parameter's in its order.

    Parameters
    ----------
    spec
        The sweep.
    values
        The value of every parameter.
    name
        Name of the scenario.
    """
    patches: list[Any] = []
    demand: list[Any] = []
    for pname, param in spec.parameters.items():
        patches += [substitute(t, values[pname]) for t in param.patches]
        demand += [substitute(t, values[pname]) for t in param.demand]
    return {"name": name, "sources": [dict(s) for s in spec.sources], "patches": patches,
            "demand": demand}  # fmt: skip


def parse_point(spec: SweepSpec, values: dict[str, Scalar], name: str) -> Any:
    """Parse one point's patches as a scenario (in memory); raise ``ScenarioError`` if bad.

    Parameters
    ----------
    spec
        The sweep.
    values
        The value of every parameter.
    name
        Name of the scenario.

    Returns
    -------
    corridor.scenarios.Scenario
        The patches of the point, on the base ``eurasia`` (the caller sets the real base).
    """
    text = yaml.safe_dump(point_document(spec, values, name), sort_keys=False)
    return parse_scenario(text, f"{spec.file} ({name})")


def template_path(spec: SweepSpec, path: str) -> str:
    """Map a path in a point's scenario (``patches[3].set.x``) to the sweep's YAML path."""
    match = re.match(r"(patches|demand)\[(\d+)\](.*)", path)
    if match is None:
        return path
    kind, index, rest = match.group(1), int(match.group(2)), match.group(3)
    for pname, param in spec.parameters.items():
        templates = getattr(param, kind)
        if index < len(templates):
            return f"parameters.{pname}.{kind}[{index}]{rest}"
        index -= len(templates)
    return path


def relocate(spec: SweepSpec, exc: ScenarioError, out: Located, note: str = "") -> None:
    """Add a point scenario's problems to ``out``, located in the sweep's file."""
    for problem in exc.problems:
        path = template_path(spec, problem.path)
        out.add(path, problem.message + note)


def probe_points(spec: SweepSpec) -> list[tuple[Point, str]]:
    """Return the points a sweep is checked with before it runs, each with a label.

    Every value listed in a grid (or a choice) is checked, the other parameters at their first
    value; a continuous law is checked at its centre (the midpoint, mean or median), since
    single draws may fall outside a column's bounds and are then reported as failed points.
    """
    central: Point = {}
    options: dict[str, list[Scalar]] = {}
    for name in spec.parameters:
        if spec.grid is not None:
            options[name] = list(spec.grid.get(name, []))
        else:
            assert spec.sample is not None
            law = spec.sample.parameters[name]
            if isinstance(law, Uniform):
                options[name] = [(law.low + law.high) / 2]
            elif isinstance(law, Normal):
                options[name] = [law.mean]
            elif isinstance(law, LogNormal):
                options[name] = [law.median]
            else:
                options[name] = list(law.values)
        central[name] = options[name][0]
    where = "grid" if spec.grid is not None else "sample"
    probes: list[tuple[Point, str]] = [(dict(central), f"with the first value of each in {where}")]
    for name, values in options.items():
        for value in values[1:]:
            probes.append(({**central, name: value}, f"with {name} = {value!r}"))
    return probes


def _check_templates(spec: SweepSpec, out: Located) -> None:
    seen: set[tuple[str, str]] = set()
    for values, label in probe_points(spec):
        try:
            parse_point(spec, values, "probe")
        except ScenarioError as exc:
            for problem in exc.problems:
                key = (template_path(spec, problem.path), problem.message)
                if key not in seen:
                    seen.add(key)
                    out.add(key[0], f"{problem.message} ({label})")


# --------------------------------------------------------------------------------------------
# files


_SUFFIXES = (".yaml", ".yml")


def _folder() -> Path:
    return Path(str(resources.files("corridor").joinpath("data", "sweeps")))


def bundled_sweeps() -> list[str]:
    """Return the names of the sweeps shipped with corridor.

    Examples
    --------
    >>> "caspian-capacity-x-war-risk" in bundled_sweeps()
    True
    """
    folder = _folder()
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.iterdir() if p.suffix in _SUFFIXES)


def load_sweep(name_or_path: str | os.PathLike[str]) -> SweepSpec:
    """Read a sweep by bundled name or file path.

    Parameters
    ----------
    name_or_path
        A bundled sweep name (see :func:`bundled_sweeps`) or the path of a sweep YAML file.

    Raises
    ------
    SweepError
        If it cannot be found or read, or is invalid; every problem is listed.

    Examples
    --------
    >>> load_sweep("caspian-capacity-x-war-risk").job.kind
    'assign'
    """
    text_name = os.fspath(name_or_path)
    path = Path(text_name)
    label = text_name
    if not path.is_file():
        if text_name not in bundled_sweeps():
            message = (
                f"{text_name!r} is neither a bundled sweep ({', '.join(bundled_sweeps())}) nor "
                f"a sweep file{suggest(text_name, bundled_sweeps())}"
            )
            raise SweepError([ScenarioProblem(text_name, "", message)])
        path = _folder() / f"{text_name}.yaml"
        label = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SweepError([ScenarioProblem(text_name, "", f"cannot be read ({exc})")]) from None
    return parse_sweep(text, label)
