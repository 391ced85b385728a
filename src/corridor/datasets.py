"""Bundled datasets and loading a network by name or path."""

from __future__ import annotations

import os
from pathlib import Path

from corridor.errors import DatasetNotFoundError, ValidationError
from corridor.io.locate import bundled, locate
from corridor.model.network import Network
from corridor.model.problems import ValidationReport

#: Name of the dataset used when none is given.
DEFAULT_DATASET = "eurasia"


def bundled_datasets() -> list[str]:
    """Return the names of the datasets shipped with corridor.

    Examples
    --------
    >>> "eurasia" in bundled_datasets()
    True
    """
    return bundled("network")


def resolve_network_path(
    name_or_path: str | os.PathLike[str], relative_to: Path | None = None
) -> Path:
    """Return the folder of a bundled dataset name or a network path.

    Parameters
    ----------
    name_or_path
        A bundled dataset name (see :func:`bundled_datasets`) or a folder path.
    relative_to
        Folder that a relative path is resolved against (for ``extends:``).

    Raises
    ------
    DatasetNotFoundError
        If it is neither a bundled name nor an existing folder.
    """
    return locate("network", name_or_path, relative_to)


def read_network(
    name_or_path: str | os.PathLike[str] = DEFAULT_DATASET,
) -> tuple[Network, ValidationReport]:
    """Read and validate a network, returning it with its validation report.

    Unlike :func:`load`, problems do not raise: use this to show a report.

    Parameters
    ----------
    name_or_path
        A bundled dataset name or a network folder.
    """
    from corridor.io.diskcache import cached_with_token

    path = resolve_network_path(name_or_path)

    def read_and_validate() -> tuple[Network, ValidationReport]:
        from corridor.io.folder import read_folder
        from corridor.model.validate import validate

        network, report = read_folder(path)
        report.source = os.fspath(name_or_path)
        validate(network, report)
        return network, report

    (network, report), token = cached_with_token(
        f"network:{path.resolve()}", lambda: network_folders(path), read_and_validate
    )
    report.source = os.fspath(name_or_path)
    return (network.with_token(token) if token is not None else network), report


def network_folders(path: Path) -> list[Path]:
    """Return a network folder and every folder it ``extends``, nearest first.

    Parameters
    ----------
    path
        A network folder.

    Returns
    -------
    list of pathlib.Path
        The folders whose files the network is read from; a broken or circular ``extends``
        ends the list (reading the network reports it).
    """
    from corridor.io.meta import read_meta

    folders: list[Path] = []
    current: Path | None = path
    while current is not None and current.resolve() not in {f.resolve() for f in folders}:
        folders.append(current)
        meta = read_meta(current, ValidationReport(str(current)))
        if not meta.extends:
            break
        try:
            current = resolve_network_path(meta.extends, relative_to=current)
        except DatasetNotFoundError:
            break
    return folders


def load(name_or_path: str | os.PathLike[str] = DEFAULT_DATASET) -> Network:
    """Load a network by bundled name or folder path, validated.

    Parameters
    ----------
    name_or_path
        ``"eurasia"`` (the default bundled dataset), another bundled name, or the path of a
        folder of CSV or Parquet tables (which may extend a bundled dataset with
        ``extends: eurasia`` in its ``network.yaml``).

    Returns
    -------
    Network
        The validated network.

    Raises
    ------
    DatasetNotFoundError
        If nothing is found under that name or path.
    ValidationError
        If the network has errors; ``.report`` lists all of them.

    Examples
    --------
    >>> net = load("eurasia")
    >>> "aktau_port" in set(net.nodes["node_id"])
    True
    """
    network, report = read_network(name_or_path)
    if not report.ok:
        raise ValidationError(report)
    return network


_NETWORKS: dict[str, tuple[int, Network]] = {}


def valid_network(name_or_path: str | os.PathLike[str] = DEFAULT_DATASET) -> Network:
    """Return a validated network, reusing the last one read while its files are unchanged.

    Parameters
    ----------
    name_or_path
        A bundled dataset name or a network folder.

    Raises
    ------
    DatasetNotFoundError
        If nothing is found under that name or path.
    ValidationError
        If the network has errors.
    """
    path = resolve_network_path(name_or_path)
    stamp = max((f.stat().st_mtime_ns for f in path.iterdir() if f.is_file()), default=0)
    key = str(path.resolve())
    cached = _NETWORKS.get(key)
    if cached is None or cached[0] != stamp:
        _NETWORKS[key] = (stamp, load(path))
    return _NETWORKS[key][1]
