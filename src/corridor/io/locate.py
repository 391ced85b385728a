"""Where things are: bundled data, and what a name or path given by a user points to.

Every question "is this name a bundled dataset, a network folder or a scenario?" is answered
here, by :func:`locate` (find one kind of thing) and :func:`identify` (find which kind it is),
so the CLI, the web API, comparisons, sweeps and scenario chains all answer it alike.

Examples
--------
>>> locate("network", "eurasia").name
'eurasia'
>>> identify("zangezur-open").kind
'scenario'
>>> identify("no-such-thing") is None
True
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from corridor.errors import DatasetNotFoundError
from corridor.model.text import suggest

#: What can be located: a network (a folder of tables) or a scenario (a YAML file).
Kind = Literal["network", "scenario"]

#: File suffixes of scenario files.
SCENARIO_SUFFIXES = (".yaml", ".yml")


def data_folder(*parts: str) -> Path:
    """Return a folder (or file) under the package's bundled ``data`` folder.

    Parameters
    ----------
    *parts
        Path parts below ``data`` (none for the folder itself).
    """
    return Path(str(resources.files("corridor").joinpath("data", *parts)))


def bundled(kind: Kind) -> list[str]:
    """Return the names of the bundled networks or scenarios, sorted.

    Parameters
    ----------
    kind
        ``network`` (the bundled datasets) or ``scenario``.

    Examples
    --------
    >>> "eurasia" in bundled("network"), "zangezur-open" in bundled("scenario")
    (True, True)
    """
    if kind == "scenario":
        folder = data_folder("scenarios")
        if not folder.is_dir():
            return []
        return sorted(p.stem for p in folder.iterdir() if p.suffix in SCENARIO_SUFFIXES)
    return sorted(
        p.name
        for p in data_folder().iterdir()
        if p.is_dir()
        and not p.name.startswith("_")
        # Only folders holding a network; data/scenarios holds scenario files.
        and (p.joinpath("network.yaml").is_file() or p.joinpath("nodes.csv").is_file())
    )


def _candidate(text: str, relative_to: Path | None) -> Path:
    candidate = Path(text)
    if relative_to is not None and not candidate.is_absolute():
        candidate = relative_to / candidate
    return candidate


def locate(
    kind: Kind, name_or_path: str | os.PathLike[str], relative_to: Path | None = None
) -> Path:
    """Return the folder of a network or the file of a scenario, by bundled name or path.

    A path that exists wins over a bundled name.

    Parameters
    ----------
    kind
        ``network`` (a folder of tables) or ``scenario`` (a YAML file).
    name_or_path
        A bundled name (see :func:`bundled`) or a path.
    relative_to
        Folder that a relative path is resolved against (the folder of the file naming it).

    Returns
    -------
    Path
        The network folder or the scenario file.

    Raises
    ------
    DatasetNotFoundError
        If it is neither a bundled name nor an existing path; the message lists the bundled
        names (and, for a scenario, the closest ones), or if it is not a name or path at all.
    """
    if not isinstance(name_or_path, str | os.PathLike):
        raise DatasetNotFoundError(
            f"a {kind} must be given by a bundled name or a path, not "
            f"{name_or_path!r} ({type(name_or_path).__name__})"
        )
    text = os.fspath(name_or_path)
    candidate = _candidate(text, relative_to)
    names = bundled(kind)
    if kind == "network":
        if candidate.is_dir():
            return candidate
        if text in names:
            return data_folder(text)
        raise DatasetNotFoundError(
            f"{text!r} is neither a bundled dataset ({', '.join(names)}) nor an existing folder"
        )
    if candidate.is_file():
        return candidate
    if text in names:
        return data_folder("scenarios", f"{text}.yaml")
    raise DatasetNotFoundError(
        f"{text!r} is neither a bundled scenario ({', '.join(names)}) nor a "
        f"scenario file{suggest(text, names)}"
    )


@dataclass(frozen=True)
class Found:
    """What a name or path points to.

    Attributes
    ----------
    kind
        ``network`` or ``scenario``.
    bundled
        Whether it is a bundled name (else a path that exists).
    path
        The network folder or the scenario file.
    """

    kind: Kind
    bundled: bool
    path: Path


def identify(
    name_or_path: str | os.PathLike[str],
    *,
    relative_to: Path | None = None,
    paths: bool = True,
) -> Found | None:
    """Say whether a name is a bundled dataset, a network folder or a scenario (name or file).

    Networks are tried first (a folder, then a bundled dataset), then scenarios (a bundled
    scenario, then a ``.yaml`` or ``.yml`` file).

    Parameters
    ----------
    name_or_path
        What a user gave.
    relative_to
        Folder that a relative path is resolved against.
    paths
        ``False`` to accept bundled names only (a request to a server must never name a
        file on it).

    Returns
    -------
    Found or None
        ``None`` if it is none of these.

    Examples
    --------
    >>> identify("eurasia").kind, identify("eurasia").bundled
    ('network', True)
    """
    text = os.fspath(name_or_path)
    candidate = _candidate(text, relative_to)
    if paths and candidate.is_dir():
        return Found("network", False, candidate)
    if text in bundled("network"):
        return Found("network", True, data_folder(text))
    if text in bundled("scenario"):
        return Found("scenario", True, data_folder("scenarios", f"{text}.yaml"))
    if paths and candidate.is_file() and candidate.suffix in SCENARIO_SUFFIXES:
        return Found("scenario", False, candidate)
    return None


def known_names() -> list[str]:
    """Return every bundled dataset and scenario name (for "did you mean" suggestions)."""
    return [*bundled("network"), *bundled("scenario")]
