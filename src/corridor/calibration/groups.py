"""Parameter groups as data: which legs a group scales, its range and its sources.

The bundled groups are ``corridor/calibration/groups.yaml``; users can pass a file of their
own. Every problem in a groups file is reported at once, each naming the file and the group.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from corridor.errors import CorridorError

#: Leg components a group can scale.
COMPONENTS: tuple[str, ...] = ("running", "border", "dwell", "cost")
#: Leg kinds a group can select.
LEG_KINDS: tuple[str, ...] = ("link", "transfer")
_SELECT_KEYS = frozenset({"leg", "modes", "nodes", "countries"})
_GROUP_KEYS = frozenset(
    {"id", "title", "select", "component", "prior", "low", "high", "refs", "reasoning"}
)


class GroupsError(CorridorError):
    """A groups file is invalid; the message lists every problem."""


@dataclass(frozen=True)
class Group:
    """One parameter group: a factor on one component of the legs it selects.

    Attributes
    ----------
    group_id
        Identifier, e.g. ``caspian-port-wait``.
    title
        One line saying what the factor scales.
    leg
        ``link`` or ``transfer``.
    modes, nodes, countries
        Selection of legs (empty: any); see the groups file's header.
    component
        ``running``, ``border``, ``dwell`` or ``cost``.
    prior, low, high
        Prior factor (1 = the bundled figures) and its plausible range.
    refs
        Source ids of the figures the group scales.
    reasoning
        Why the range is plausible.
    """

    group_id: str
    title: str
    leg: str
    modes: tuple[str, ...]
    nodes: tuple[str, ...]
    countries: tuple[str, ...]
    component: str
    prior: float
    low: float
    high: float
    refs: tuple[str, ...]
    reasoning: str

    def matches(self, leg: dict[str, Any], to_country: str) -> bool:
        """Return whether a leg row (validation legs) is selected by this group."""
        if leg["kind"] != self.leg:
            return False
        if self.modes:
            modes = str(leg["mode"]).split(">")
            if not set(modes) & set(self.modes):
                return False
        if self.nodes and leg["from_node"] not in self.nodes:
            return False
        return not (self.countries and to_country not in self.countries)


def _strings(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _group(raw: Any, where: str, problems: list[str]) -> Group | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: a group is a mapping")
        return None
    before = len(problems)
    for key in sorted(set(raw) - _GROUP_KEYS):
        problems.append(f"{where}: unknown key {key!r}")
    gid = raw.get("id")
    if not isinstance(gid, str) or not gid:
        problems.append(f"{where}: id is required (text)")
    select = raw.get("select")
    if not isinstance(select, dict):
        problems.append(f"{where}: select is required (a mapping)")
        select = {}
    for key in sorted(set(select) - _SELECT_KEYS):
        problems.append(f"{where}: select: unknown key {key!r}")
    leg = select.get("leg")
    if leg not in LEG_KINDS:
        problems.append(f"{where}: select.leg must be one of {', '.join(LEG_KINDS)}")
    lists = {key: _strings(select.get(key)) for key in ("modes", "nodes", "countries")}
    for key, value in lists.items():
        if value is None:
            problems.append(f"{where}: select.{key} must be a list of ids")
    component = raw.get("component")
    if component not in COMPONENTS:
        problems.append(f"{where}: component must be one of {', '.join(COMPONENTS)}")
    numbers = {
        key: _number(raw.get(key, 1.0 if key == "prior" else None))
        for key in ("prior", "low", "high")
    }
    for key, number in numbers.items():
        if number is None or number <= 0:
            problems.append(f"{where}: {key} must be a finite number above 0")
    low, high, prior = numbers["low"], numbers["high"], numbers["prior"]
    if low is not None and high is not None and prior is not None and not low <= prior <= high:
        problems.append(f"{where}: needs low <= prior <= high (got {low}, {prior}, {high})")
    refs = _strings(raw.get("refs"))
    if not refs:
        problems.append(f"{where}: refs must name at least one source id")
    if len(problems) > before:
        return None
    assert low is not None and high is not None and prior is not None and refs
    return Group(
        group_id=str(gid),
        title=str(raw.get("title") or gid),
        leg=str(leg),
        modes=lists["modes"] or (),
        nodes=lists["nodes"] or (),
        countries=lists["countries"] or (),
        component=str(component),
        prior=prior,
        low=low,
        high=high,
        refs=refs,
        reasoning=str(raw.get("reasoning") or ""),
    )


def parse_groups(text: str, file: str) -> list[Group]:
    """Parse a groups file.

    Parameters
    ----------
    text
        YAML text with a top-level ``groups`` list.
    file
        Name used in messages.

    Raises
    ------
    GroupsError
        Naming every problem with the file and the group.
    """
    import yaml

    from corridor.io.yamlsafe import YamlLimitError, compose_yaml, construct_yaml

    try:
        data = construct_yaml(compose_yaml(text))
    except (YamlLimitError, yaml.YAMLError) as exc:
        raise GroupsError(f"{file}: not a valid YAML file ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("groups"), list):
        raise GroupsError(f"{file}: needs a top-level 'groups' list")
    problems: list[str] = []
    groups: list[Group] = []
    for i, raw in enumerate(data["groups"]):
        label = raw.get("id") if isinstance(raw, dict) else None
        where = f"{file}: groups[{i}]" + (f" ({label})" if label else "")
        group = _group(raw, where, problems)
        if group is not None:
            groups.append(group)
    seen: set[str] = set()
    for group in groups:
        if group.group_id in seen:
            problems.append(f"{file}: group id {group.group_id!r} is used twice")
        seen.add(group.group_id)
    if problems:
        raise GroupsError(f"{len(problems)} problem(s) in groups:\n" + "\n".join(problems))
    return groups


def load_groups(path: str | Path | None = None, only: list[str] | None = None) -> list[Group]:
    """Load the bundled groups (or a file's), optionally only the named ones.

    Raises
    ------
    GroupsError
        If the file is invalid or a name in ``only`` is not a group.
    """
    if path is None:
        text = resources.files("corridor").joinpath("calibration", "groups.yaml").read_text()
        file = "groups.yaml"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise GroupsError(f"cannot read groups file {path}: {exc}") from exc
        file = str(path)
    groups = parse_groups(text, file)
    if only:
        known = {g.group_id for g in groups}
        unknown = [name for name in only if name not in known]
        if unknown:
            raise GroupsError(
                f"unknown group(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        groups = [g for g in groups if g.group_id in only]
    return groups
