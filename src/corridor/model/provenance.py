"""Provenance of a result: network, version, content hash, and the kinds of its sources.

It says which network (name, version, content hash) and which corridor version computed a
result, and which kinds of sources stand behind the figures it used. Every result that leaves
corridor (a route, an assignment, an appraisal, an outlook, a comparison, a sweep, a
validation) carries this block, so a reader can tell a published figure from an estimate and
reproduce the run.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from corridor.model.network import Network

#: The kinds of source rows, in the order they are reported.
SOURCE_KINDS = ("published", "computed", "estimate", "calibrated", "user")

#: Emission-factor versions by network (networks are read-only, so a version never changes).
_EF_VERSIONS: weakref.WeakKeyDictionary[Network, str] = weakref.WeakKeyDictionary()


def source_kind_counts(network: Network, sources: Iterable[str] | None = None) -> dict[str, int]:
    """Count source rows by kind: of ``sources`` (ids), or of the whole network.

    An id the sources table does not hold counts as ``unknown``, so a missing row never
    passes for a published one.

    Examples
    --------
    >>> import corridor
    >>> counts = source_kind_counts(corridor.load(), ["osm-rail", "est-coords", "nowhere"])
    >>> counts["computed"], counts["estimate"], counts["unknown"]
    (1, 1, 1)
    """
    table = network.sources
    kinds = dict(zip(table["source_id"].astype(str), table["kind"].astype(str), strict=True))
    ids = list(dict.fromkeys(sources)) if sources is not None else list(kinds)
    counts: dict[str, int] = {}
    for source in ids:
        kind = kinds.get(str(source), "unknown")
        counts[kind] = counts.get(kind, 0) + 1
    ordered = {k: counts.pop(k) for k in SOURCE_KINDS if k in counts}
    return {**ordered, **dict(sorted(counts.items()))}


def refs_of_rows(network: Network, table: str, ids: Iterable[str]) -> list[str]:
    """Return every source id cited (``*_ref`` columns) by the rows ``ids`` of ``table``.

    Parameters
    ----------
    network
        The network.
    table
        ``nodes``, ``links``, ``transfers``, ``modes``, ``commodities`` or ``countries``.
    ids
        Values of the table's id column (its first column).
    """
    frame = network.tables[table]
    if frame.empty:
        return []
    key = frame.columns[0]
    wanted = set(map(str, ids))
    rows = frame[frame[key].astype(str).isin(wanted)]
    refs: list[str] = []
    for column in (c for c in rows.columns if c.endswith("_ref")):
        for value in rows[column].dropna():
            refs.extend(part for part in str(value).split("|") if part)
    return list(dict.fromkeys(refs))


def provenance(
    network: Network,
    *,
    scenario: str | None = None,
    params: Mapping[str, Any] | None = None,
    sources: Iterable[str] | None = None,
) -> dict[str, Any]:
    """Return the provenance block of a result computed on ``network``.

    Parameters
    ----------
    network
        The network the result was computed on (a dataset, or a scenario applied to one).
    scenario
        The scenario's name, if one was applied.
    params
        The parameters of the run (weights, years, rates ...), JSON-ready.
    sources
        The source ids behind the result's figures; ``None`` when the result draws on the
        whole network (then ``source_kinds`` counts the network's sources and ``sources_used``
        is ``None``).

    Returns
    -------
    dict
        ``network``, ``network_version``, ``content_hash``, ``corridor_version``,
        ``scenario``, ``params``, ``source_kinds`` (counts by kind), ``sources_used`` (ids or
        ``None``), ``source_scope`` (``used`` or ``network``) and
        ``emission_factors_version`` (see :func:`emission_factors_version`).
    """
    from corridor._version import __version__

    used = None if sources is None else list(dict.fromkeys(map(str, sources)))
    return {
        "network": network.meta.name,
        "network_version": network.meta.version,
        "content_hash": network.content_hash(),
        "corridor_version": __version__,
        "scenario": scenario,
        "params": dict(params or {}),
        "source_kinds": source_kind_counts(network, used),
        "sources_used": used,
        "source_scope": "network" if used is None else "used",
        "emission_factors_version": emission_factors_version(network),
    }


def emission_factors_version(network: Network) -> str:
    """Version of a network's emission-factor table: the standards its rows follow and a hash.

    E.g. ``GLEC Framework v3.0 (2023); estimate · sha256:1a2b3c4d5e6f``; ``none`` for a network
    without an emission-factor table.

    Parameters
    ----------
    network
        The network.

    Notes
    -----
    Computed once per network object (every route reports it, and hashing the table costs
    milliseconds); networks are read-only, a changed one is a new object.
    """
    found = _EF_VERSIONS.get(network)
    if found is not None:
        return found
    import hashlib

    table = network.tables["emission_factors"]
    if table.empty:
        version = "none"
    else:
        standards = sorted({str(s) for s in table["standard"].dropna()})
        text = table.to_csv(index=False, lineterminator="\n")
        digest = hashlib.sha256(text.encode()).hexdigest()
        version = f"{'; '.join(standards)} · sha256:{digest[:12]}"
    _EF_VERSIONS[network] = version
    return version
