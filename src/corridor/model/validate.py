"""Cross-table validation of a network: every problem, located, at once.

Parsing (types, required cells, allowed values, bounds) happens in
:mod:`corridor.model.tables`; this module checks what needs more than one cell: unique ids,
references between tables, sources of figures, planned items, mode rules and connectivity.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from corridor.model.geometry import parse_linestring
from corridor.model.network import Network
from corridor.model.problems import Problem, Severity, ValidationReport
from corridor.model.schema import TABLES, table_schema
from corridor.model.tables import split_list, suggest

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_EARTH_RADIUS_KM = 6371.0088


def validate(network: Network, report: ValidationReport | None = None) -> ValidationReport:
    """Check a network's tables against each other and return every problem found.

    Parameters
    ----------
    network
        The network to check (typically as read by :func:`corridor.io.folder.read_folder`).
    report
        Report to add to; a new one if omitted.

    Returns
    -------
    ValidationReport
        The report, with errors and warnings located by file, line and column.
    """
    report = report or ValidationReport(source=network.meta.name)
    checks = (
        _unique_keys,
        _references,
        _figure_sources,
        _source_rows,
        _planned_items,
        _links,
        _transfers,
        _sailings,
        _connectivity,
        _distances_vs_great_circle,
        _risk_targets,
        _observation_sources,
        _emissions,
        _shipper_classes_and_contracts,
    )
    for check in checks:
        report.extend(check(network))
    return report


def _emissions(network: Network) -> Iterator[Problem]:
    from corridor.model.emission_checks import emission_problems

    def at(table: str, row: int, column: str | None, message: str) -> Problem:
        return _at(network, table, row, column, message)

    yield from emission_problems(network, at)


def _at(
    network: Network,
    table: str,
    row: int,
    column: str | None,
    message: str,
    severity: Severity = "error",
) -> Problem:
    origin = network.origin(table, row)
    key = table_schema(table).key
    value = network.tables[table][key].iloc[row]
    row_id = None if pd.isna(value) else f"{key}={value}"
    return Problem(severity, origin.file, origin.line, column, message, row_id)


def _unique_keys(network: Network) -> Iterator[Problem]:
    for name in TABLES:
        key = table_schema(name).key
        ids = network.tables[name][key]
        first: dict[str, int] = {}
        for row, value in enumerate(ids):
            if pd.isna(value):
                continue
            if value in first:
                where = network.origin(name, first[value])
                yield _at(
                    network,
                    name,
                    row,
                    key,
                    f"duplicate id {value!r} (first at {where.file}:{where.line})",
                )
            else:
                first[value] = row


def _id_set(network: Network, reference: str) -> set[str]:
    table, column = reference.split(".")
    return set(network.tables[table][column].dropna())


def _references(network: Network) -> Iterator[Problem]:
    for name in TABLES:
        schema = table_schema(name)
        table = network.tables[name]
        for spec in schema.columns:
            if not spec.references:
                continue
            known = _id_set(network, spec.references)
            target = spec.references.split(".")[0]
            for row, cell in enumerate(table[spec.name]):
                values = (
                    split_list(cell) if spec.dtype == "list" else ([] if pd.isna(cell) else [cell])
                )
                for value in values:
                    if value not in known:
                        yield _at(
                            network,
                            name,
                            row,
                            spec.name,
                            f"unknown {target} id {value!r}{suggest(value, sorted(known))}",
                        )


def _figure_sources(network: Network) -> Iterator[Problem]:
    for name in TABLES:
        schema = table_schema(name)
        table = network.tables[name]
        for spec in schema.figures:
            values = table[spec.name]
            refs = table[spec.ref]
            missing = values.notna().to_numpy() & refs.isna().to_numpy()
            for row in np.flatnonzero(missing):
                yield _at(
                    network,
                    name,
                    int(row),
                    spec.ref,
                    f"figure {spec.name}={values.iloc[row]} has no source: name a row of "
                    "sources.csv (kind published, computed, estimate or calibrated)",
                )


def _source_rows(network: Network) -> Iterator[Problem]:
    sources = network.sources
    required = {
        "published": ("url", "published", "figure_as_published"),
        "computed": ("method",),
        "estimate": ("method",),
        "calibrated": ("method",),
    }
    for row in range(len(sources)):
        kind = sources["kind"].iloc[row]
        for column in required.get(str(kind), ()):
            if pd.isna(sources[column].iloc[row]):
                yield _at(network, "sources", row, column, f"a {kind} source needs a {column}")
        date = sources["published"].iloc[row]
        if not pd.isna(date) and not _DATE.match(str(date)):
            yield _at(
                network, "sources", row, "published", f"{date!r} is not YYYY, YYYY-MM or YYYY-MM-DD"
            )


def _planned_items(network: Network) -> Iterator[Problem]:
    for name in ("nodes", "links", "transfers"):
        table = network.tables[name]
        planned = (table["status"] == "planned").fillna(False).to_numpy()
        no_year = table["opening_year"].isna().to_numpy()
        for row in np.flatnonzero(planned & no_year):
            yield _at(
                network, name, int(row), "opening_year", "a planned item needs an opening_year"
            )


def _allowed_modes(network: Network) -> dict[str, set[str]]:
    commodities = network.commodities
    return {
        str(cid): set(split_list(modes))
        for cid, modes in zip(
            commodities["commodity_id"], commodities["allowed_modes"], strict=True
        )
        if not pd.isna(cid)
    }


def _links(network: Network) -> Iterator[Problem]:
    links = network.links
    allowed = _allowed_modes(network)
    for row in range(len(links)):
        a, b, mode = (
            links["from_node"].iloc[row],
            links["to_node"].iloc[row],
            links["mode"].iloc[row],
        )
        if not pd.isna(a) and a == b:
            yield _at(network, "links", row, "to_node", f"link starts and ends at {a!r}")
        geometry = links["geometry"].iloc[row] if "geometry" in links else None
        if isinstance(geometry, str) and geometry.strip():
            try:
                parse_linestring(geometry)
            except ValueError as exc:
                yield _at(network, "links", row, "geometry", str(exc))
        for commodity in split_list(links["commodities"].iloc[row]):
            if commodity in allowed and not pd.isna(mode) and mode not in allowed[commodity]:
                yield _at(
                    network,
                    "links",
                    row,
                    "commodities",
                    f"commodity {commodity!r} cannot use mode {mode!r} (its allowed modes: "
                    f"{', '.join(sorted(allowed[commodity]))})",
                )


def _modes_at_nodes(network: Network) -> dict[str, set[str]]:
    served: dict[str, set[str]] = {}
    links = network.links
    for a, b, mode in zip(links["from_node"], links["to_node"], links["mode"], strict=True):
        if pd.isna(mode):
            continue
        for node in (a, b):
            if not pd.isna(node):
                served.setdefault(str(node), set()).add(str(mode))
    return served


def _transfers(network: Network) -> Iterator[Problem]:
    transfers = network.transfers
    served = _modes_at_nodes(network)
    connected: dict[str, set[str]] = {}
    seen: dict[tuple[str, str, str], int] = {}
    for row in range(len(transfers)):
        node = transfers["node_id"].iloc[row]
        m_from, m_to = transfers["from_mode"].iloc[row], transfers["to_mode"].iloc[row]
        if pd.isna(node) or pd.isna(m_from) or pd.isna(m_to):
            continue
        if m_from == m_to:
            yield _at(network, "transfers", row, "to_mode", "a transfer must change the mode")
            continue
        key = (str(node), str(m_from), str(m_to))
        if key in seen:
            yield _at(
                network,
                "transfers",
                row,
                "to_mode",
                f"second transfer {m_from}→{m_to} at {node!r} (first at line "
                f"{network.origin('transfers', seen[key]).line})",
            )
        seen[key] = row
        for column, mode in (("from_mode", m_from), ("to_mode", m_to)):
            if mode not in served.get(str(node), set()):
                yield _at(
                    network,
                    "transfers",
                    row,
                    column,
                    f"no {mode} link touches node {node!r}",
                )
        connected.setdefault(str(node), set()).update((str(m_from), str(m_to)))
    node_rows = {str(n): i for i, n in enumerate(network.nodes["node_id"]) if not pd.isna(n)}
    for node, modes in sorted(served.items()):
        if len(modes) < 2 or node not in node_rows:
            continue
        isolated = sorted(modes - connected.get(node, set()))
        if isolated:
            yield _at(
                network,
                "nodes",
                node_rows[node],
                None,
                f"served by {', '.join(sorted(modes))} but no transfer connects "
                f"{', '.join(isolated)} to another mode here",
                "warning",
            )


def _sailings(network: Network) -> Iterator[Problem]:
    """Warn of a sailing headway that no transfer onto its mode at its port waits for."""
    sailings = network.tables.get("sailings")
    if sailings is None or sailings.empty:
        return
    transfers = network.transfers
    onto: set[tuple[str, str]] = set()
    for node, m_from, m_to, both in zip(
        transfers["node_id"],
        transfers["from_mode"],
        transfers["to_mode"],
        transfers["bidirectional"],
        strict=True,
    ):
        onto.add((str(node), str(m_to)))
        if pd.isna(both) or bool(both):
            onto.add((str(node), str(m_from)))
    for row in range(len(sailings)):
        node, mode = sailings["node_id"].iloc[row], sailings["mode"].iloc[row]
        if pd.isna(node) or pd.isna(mode):
            continue
        if (str(node), str(mode)) not in onto:
            yield _at(
                network,
                "sailings",
                row,
                "mode",
                f"no transfer at {node!r} leads onto {mode}: the headway is never waited for",
                "warning",
            )


def _connectivity(network: Network) -> Iterator[Problem]:
    nodes = network.nodes
    links = network.links
    # A closed node (e.g. in a country a scenario closes) needs no open link.
    closed = (nodes["status"] == "closed").fillna(False).to_numpy(bool)
    ids = [
        str(n)
        for n, shut in zip(nodes["node_id"], closed, strict=True)
        if not pd.isna(n) and not shut
    ]
    if not ids:
        return
    index = {n: i for i, n in enumerate(ids)}
    usable = links[(links["status"] != "closed").fillna(True)]
    pairs = [
        (index[a], index[b])
        for a, b in zip(usable["from_node"], usable["to_node"], strict=True)
        if a in index and b in index
    ]
    rows = np.array([p[0] for p in pairs], dtype=np.int64)
    cols = np.array([p[1] for p in pairs], dtype=np.int64)
    graph = coo_matrix((np.ones(len(pairs)), (rows, cols)), shape=(len(ids), len(ids)))
    count, labels = connected_components(graph, directed=False)
    if count <= 1:
        return
    main = int(np.bincount(labels).argmax())
    node_rows = {str(n): i for i, n in enumerate(nodes["node_id"]) if not pd.isna(n)}
    for component in range(count):
        if component == main:
            continue
        members = [ids[i] for i in np.flatnonzero(labels == component)]
        shown = ", ".join(members[:8]) + (
            f" and {len(members) - 8} more" if len(members) > 8 else ""
        )
        message = (
            "node has no open or planned link"
            if len(members) == 1
            else f"corridor piece disconnected from the main network: {shown}"
        )
        yield _at(network, "nodes", node_rows[members[0]], None, message)


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in km between two WGS84 points (haversine).

    Examples
    --------
    >>> round(great_circle_km(0, 0, 0, 1), 1)
    111.2
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return float(2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(h)))


def _distances_vs_great_circle(network: Network) -> Iterator[Problem]:
    nodes = network.nodes.drop_duplicates("node_id").set_index("node_id")
    links = network.links
    for row in range(len(links)):
        a, b, dist = (
            links["from_node"].iloc[row],
            links["to_node"].iloc[row],
            links["distance_km"].iloc[row],
        )
        if pd.isna(dist) or a not in nodes.index or b not in nodes.index:
            continue
        pa, pb = nodes.loc[a], nodes.loc[b]
        if any(pd.isna(v) for v in (pa["lat"], pa["lon"], pb["lat"], pb["lon"])):
            continue
        gc = great_circle_km(pa["lat"], pa["lon"], pb["lat"], pb["lon"])
        # Coordinates are rounded to about 1 km, so allow 3 km of slack.
        if dist + 3.0 < 0.95 * gc:
            yield _at(
                network,
                "links",
                row,
                "distance_km",
                f"{dist:g} km is shorter than the {gc:.0f} km great-circle distance between "
                f"{a} and {b}",
            )


_TARGETS = {
    "mode": ("modes", "mode"),
    "node": ("nodes", "node_id"),
    "transfer": ("transfers", "transfer_id"),
    "link": ("links", "link_id"),
    "border": ("countries", "country"),
    "country": ("countries", "country"),
}


def _risk_targets(network: Network) -> Iterator[Problem]:
    """Variability and disruption rows name a target of the kind they apply to."""
    for name in ("variability", "disruptions"):
        table = network.tables[name]
        for row, (kind, target) in enumerate(
            zip(table["applies_to"], table["target"], strict=True)
        ):
            if pd.isna(kind) or pd.isna(target) or kind not in _TARGETS:
                continue
            if target == "*" and name == "variability":
                continue
            known = _id_set(network, ".".join(_TARGETS[kind]))
            if target not in known:
                yield _at(
                    network,
                    name,
                    row,
                    "target",
                    f"unknown {kind} {target!r}{suggest(str(target), sorted(known))}",
                )
        if name == "disruptions":
            medians, p90s = table["delay_median_h"], table["delay_p90_h"]
            for index in np.flatnonzero((p90s < medians).fillna(False).to_numpy()):
                row = int(index)
                yield _at(
                    network,
                    name,
                    row,
                    "delay_p90_h",
                    f"P90 delay {p90s.iloc[row]} h is below the median {medians.iloc[row]} h",
                )


def _observation_sources(network: Network) -> Iterator[Problem]:
    """Warn about observations citing a source a model figure rests on.

    ``corridor validate`` refuses them (an error there); as a network they are still usable.
    """
    from corridor.model.observations import observation_problems

    for problem in observation_problems(network).problems:
        yield Problem("warning", problem.file, problem.line, problem.column, problem.message,
                      problem.row_id)  # fmt: skip


def _shipper_classes_and_contracts(network: Network) -> Iterator[Problem]:
    """Check that class shares add up to 1 per cargo and no contract's minimum exceeds its max."""
    classes = network.tables["shipper_classes"]
    if not classes.empty:
        sums = classes.groupby("commodity")["share_ratio"].sum()
        for commodity, total in sums.items():
            if abs(float(total) - 1.0) > 1e-6:
                row = int(np.flatnonzero((classes["commodity"] == commodity).to_numpy())[0])
                yield _at(
                    network, "shipper_classes", row, "share_ratio",
                    f"the shares of {commodity}'s shipper classes add up to {float(total):g}, "
                    "not 1",
                )  # fmt: skip
    contracts = network.tables["contracts"]
    for row, (low, high) in enumerate(
        zip(contracts["min_t_per_year"], contracts["max_t_per_year"], strict=True)
    ):
        if not pd.isna(low) and not pd.isna(high) and float(low) > float(high):
            yield _at(
                network, "contracts", row, "min_t_per_year",
                f"minimum {float(low):,.0f} t/yr exceeds the maximum {float(high):,.0f} t/yr",
            )  # fmt: skip
