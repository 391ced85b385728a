"""Bundled scenarios and loading a scenario by name or path."""

from __future__ import annotations

import os
from pathlib import Path

from corridor.errors import DatasetNotFoundError
from corridor.io.locate import bundled, data_folder, locate
from corridor.scenarios.parse import parse_scenario
from corridor.scenarios.spec import Scenario, ScenarioError, ScenarioProblem


def _folder() -> Path:
    return data_folder("scenarios")


def bundled_scenarios() -> list[str]:
    """Return the names of the scenarios shipped with corridor.

    Examples
    --------
    >>> "zangezur-open" in bundled_scenarios()
    True
    """
    return bundled("scenario")


def scenario_path(name_or_path: str | os.PathLike[str], relative_to: Path | None = None) -> Path:
    """Return the file of a bundled scenario name or a scenario path.

    Parameters
    ----------
    name_or_path
        A bundled scenario name (see :func:`bundled_scenarios`) or the path of a YAML file.
    relative_to
        Folder a relative path is resolved against (the folder of the scenario naming it).

    Raises
    ------
    ScenarioError
        If it is neither.
    """
    try:
        return locate("scenario", name_or_path, relative_to)
    except DatasetNotFoundError as exc:
        text = os.fspath(name_or_path)
        raise ScenarioError([ScenarioProblem(text, "", str(exc))]) from None


def load_scenario(name_or_path: str | os.PathLike[str]) -> Scenario:
    """Read a scenario by bundled name or file path.

    Parameters
    ----------
    name_or_path
        A bundled scenario name or the path of a scenario YAML file.

    Raises
    ------
    ScenarioError
        If it cannot be found or read, or is invalid; every problem is listed.

    Examples
    --------
    >>> load_scenario("zangezur-open").base
    'eurasia'
    """
    path = scenario_path(name_or_path)
    label = path.name if path.parent == _folder() else os.fspath(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([ScenarioProblem(label, "", f"cannot be read ({exc})")]) from None
    return parse_scenario(text, label)
