"""Refusing observations whose source is also an input of the model.

An observation can only validate the model if the model did not use it. The sources a model
figure rests on are:

- every source id in a ``*_ref`` column (or named in the ``notes``) of every network table
  other than ``observations``, and of every bundled demand set of the network;
- every source id named in the method or notes of such a source (an estimate built from a
  published figure rests on that figure), followed transitively;
- any other source row with the same address (URL) as one of those, or as an address named
  in the method or notes of one of those (an estimate may name the document it is derived
  from by its address rather than by its source id): the same document.

An observation citing one of them is an error naming the observation's row.
"""

from __future__ import annotations

import re

import pandas as pd

from corridor.model.network import Network
from corridor.model.problems import Problem, ValidationReport
from corridor.model.schema import TABLES, table_schema

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9]")
_URL = re.compile(r"https?://[^\s,;()\"']+")


def _normalise_url(url: str) -> str:
    """Return a URL without scheme, ``www.`` and trailing slash, for comparing documents.

    Examples
    --------
    >>> _normalise_url("http://www.example.org/a/")
    'example.org/a'
    """
    text = url.strip().split("://", 1)[-1]
    text = text.removeprefix("www.")
    return text.rstrip("/")


def _ids_in(values: pd.Series, known: set[str]) -> set[str]:
    found: set[str] = set()
    for cell in values.dropna().astype(str):
        found.update(tok for tok in _TOKEN.findall(cell) if tok in known)
    return found


def model_input_sources(
    network: Network, demand_tables: list[pd.DataFrame] | None = None
) -> set[str]:
    """Return the ids of every source a model figure or demand flow rests on.

    Parameters
    ----------
    network
        The network; its observations table is not an input.
    demand_tables
        Demand set tables whose ``*_ref`` columns also count as inputs.
    """
    sources = network.sources
    known = set(sources["source_id"].dropna().astype(str))
    used: set[str] = set()
    tables = [network.tables[name] for name in TABLES if name not in ("sources", "observations")]
    for table in [*tables, *(demand_tables or [])]:
        for column in table.columns:
            name = str(column)
            if name.endswith(("_ref", "_refs")) or name == "notes":
                used |= _ids_in(table[column], known)
    # Sources named in the method or notes of a used source are used too.
    by_id = sources.set_index("source_id")
    pending = set(used)
    while pending:
        rows = by_id.loc[sorted(pending & set(by_id.index))]
        named = _ids_in(pd.concat([rows["method"], rows["notes"]]), known)
        pending = named - used
        used |= pending
    # Other rows citing the same document, or a document a used source names by address.
    urls = {
        _normalise_url(str(u)) for u in by_id.loc[sorted(used), "url"].dropna() if str(u).strip()
    }
    rows = by_id.loc[sorted(used & set(by_id.index))]
    for cell in pd.concat([rows["method"], rows["notes"]]).dropna().astype(str):
        urls.update(_normalise_url(u.rstrip(".")) for u in _URL.findall(cell))
    same_document = {
        str(sid)
        for sid, url in zip(sources["source_id"], sources["url"], strict=True)
        if isinstance(url, str) and url.strip() and _normalise_url(url) in urls
    }
    return used | same_document


def observation_problems(
    network: Network, demand_tables: list[pd.DataFrame] | None = None
) -> ValidationReport:
    """Check the observations table; return a report with an error per unusable row.

    Errors: an observation citing a source that a model figure or demand flow rests on (see
    the module docstring), or a source that is not ``published``.
    """
    report = ValidationReport(source=network.meta.name)
    observations = network.tables["observations"]
    if observations.empty:
        return report
    inputs = model_input_sources(network, demand_tables)
    kinds = dict(zip(network.sources["source_id"], network.sources["kind"], strict=True))
    key = table_schema("observations").key
    for row in range(len(observations)):
        origin = network.origin("observations", row)
        obs_id = observations[key].iloc[row]
        ref = observations["source_ref"].iloc[row]
        if pd.isna(ref):
            continue  # reported by the network's own validation
        row_id = f"{key}={obs_id}"
        if ref in inputs:
            report.add(
                Problem(
                    "error",
                    origin.file,
                    origin.line,
                    "source_ref",
                    f"observation {obs_id!r} cites source {ref!r}, which a model figure or "
                    "demand flow also rests on: an input cannot validate the model",
                    row_id,
                )
            )
        elif kinds.get(ref) != "published":
            report.add(
                Problem(
                    "error",
                    origin.file,
                    origin.line,
                    "source_ref",
                    f"observation {obs_id!r} cites source {ref!r} of kind {kinds.get(ref)!r}; "
                    "an observation needs a published source",
                    row_id,
                )
            )
    return report
