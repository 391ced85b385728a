"""The service layer: one function per user question, shared by the CLI, API and web app.

Adapters (CLI, REST API, web page) call these functions and only present their results.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from corridor.datasets import DEFAULT_DATASET, read_network
from corridor.errors import ValidationError
from corridor.model.network import Network
from corridor.model.problems import ValidationReport
from corridor.summary import NetworkSummary, summarize

ExportFormat = Literal["csv", "parquet", "geojson"]


def check_network(name_or_path: str | os.PathLike[str] = DEFAULT_DATASET) -> ValidationReport:
    """Validate a network and return the report of every problem found.

    Parameters
    ----------
    name_or_path
        A bundled dataset name or a network folder.
    """
    _, report = read_network(name_or_path)
    return report


def _valid_network(name_or_path: str | os.PathLike[str]) -> tuple[Network, ValidationReport]:
    network, report = read_network(name_or_path)
    if not report.ok:
        raise ValidationError(report)
    return network, report


def summarize_network(
    name_or_path: str | os.PathLike[str] = DEFAULT_DATASET,
) -> tuple[NetworkSummary, ValidationReport]:
    """Load a network and summarise it.

    Parameters
    ----------
    name_or_path
        A bundled dataset name or a network folder.

    Returns
    -------
    tuple of NetworkSummary and ValidationReport
        The summary and the validation report (warnings only: errors raise).

    Raises
    ------
    ValidationError
        If the network has errors.
    """
    network, report = _valid_network(name_or_path)
    return summarize(network), report


def export_network(
    name_or_path: str | os.PathLike[str],
    out: str | os.PathLike[str],
    fmt: ExportFormat = "csv",
) -> list[Path]:
    """Write a network in another format.

    Parameters
    ----------
    name_or_path
        A bundled dataset name or a network folder.
    out
        Output folder.
    fmt
        ``csv`` or ``parquet`` (a full network folder) or ``geojson`` (nodes and links).

    Returns
    -------
    list of Path
        The files written.
    """
    from corridor.io.folder import write_folder
    from corridor.io.geojson import write_geojson

    network, _ = _valid_network(name_or_path)
    if fmt == "geojson":
        return write_geojson(network, out)
    return write_folder(network, out, fmt)
