"""Networks: reading, checking, summarising, exporting and viewing them; scenario networks."""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from corridor.datasets import DEFAULT_DATASET, read_network, valid_network
from corridor.errors import InvalidRequestError, NameNotFoundError, ValidationError
from corridor.model.network import Network
from corridor.model.problems import ValidationReport

if TYPE_CHECKING:
    from corridor.summary import NetworkSummary

ExportFormat = Literal["csv", "parquet", "geojson"]


def network_of(name_or_path: str | os.PathLike[str] | Network) -> Network:
    """Return the network itself, or the validated network of a name or folder.

    Parameters
    ----------
    name_or_path
        A network, a bundled dataset name or a network folder.
    """
    if isinstance(name_or_path, Network):
        return name_or_path
    return valid_network(name_or_path)


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
    from corridor.summary import summarize

    return summarize(network), report


def export_network(
    name_or_path: str | os.PathLike[str] | Network,
    out: str | os.PathLike[str],
    fmt: ExportFormat = "csv",
) -> list[Path]:
    """Write a network in another format.

    Parameters
    ----------
    name_or_path
        A bundled dataset name, a network folder or a network (e.g. a scenario's).
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

    if isinstance(name_or_path, Network):
        network = name_or_path
    else:
        network, _ = _valid_network(name_or_path)
    if fmt == "geojson":
        return write_geojson(network, out)
    return write_folder(network, out, fmt)


def network_geojson(network: Network) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the nodes and the links of a network as GeoJSON FeatureCollections."""
    from corridor.io.geojson import links_geojson, nodes_geojson

    return nodes_geojson(network), links_geojson(network)


# --- the network view of the map page and the REST API -------------------------------------

#: Columns of each table in the network view, in order (the REST API's response models).
LINK_COLUMNS = (
    "link_id",
    "from_node",
    "to_node",
    "mode",
    "status",
    "opening_year",
    "distance_km",
    "capacity_t_per_year",
    "capacity_teu_per_year",
    "corridor",
    "countries",
)
#: Link columns renamed in the view.
LINK_RENAMES = {"corridor": "corridors"}
NODE_COLUMNS = ("node_id", "name", "country", "kind")
COMMODITY_COLUMNS = (
    "commodity_id",
    "name",
    "unit",
    "t_per_unit",
    "value_usd_per_unit",
    "value_of_time_pct_per_day",
    "allowed_modes",
)
COUNTRY_COLUMNS = ("country", "name", "sanctions", "war_risk_pct_cargo", "border_time_h")
SOURCE_COLUMNS = (
    "source_id",
    "kind",
    "title",
    "publisher",
    "url",
    "published",
    "figure_as_published",
    "method",
    "notes",
)

#: Link statuses a view may filter on.
STATUSES = ("open", "planned", "closed")


def table_rows(network: Network, table: str, columns: Sequence[str]) -> list[dict[str, Any]]:
    """Return some columns of a network table as JSON-ready rows; list cells become lists.

    Parameters
    ----------
    network
        The network.
    table
        Table name, e.g. ``nodes``.
    columns
        Columns to keep, in order.
    """
    from corridor.model.records import records
    from corridor.model.schema import table_schema
    from corridor.model.tables import split_list

    schema = table_schema(table)
    lists = {c for c in columns if schema.column(c).dtype == "list"}
    rows = records(network.tables[table][list(columns)])
    for row in rows:
        for column in lists:
            row[column] = split_list(row[column])
    return rows


@lru_cache(maxsize=16)
def network_features(network: Network) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return the node and the link features of the network view, cached per network object.

    Parameters
    ----------
    network
        The network.

    Returns
    -------
    tuple of two lists
        GeoJSON features of the nodes and of the links, with the view's properties.
    """
    nodes_fc, links_fc = network_geojson(network)
    node_country = {
        str(n): str(c)
        for n, c in zip(network.nodes["node_id"], network.nodes["country"], strict=True)
    }
    link_features = []
    for feature, props in zip(
        links_fc["features"], table_rows(network, "links", LINK_COLUMNS), strict=True
    ):
        countries = props["countries"] or list(
            dict.fromkeys([node_country[props["from_node"]], node_country[props["to_node"]]])
        )
        props = {LINK_RENAMES.get(k, k): v for k, v in props.items()}
        props["countries"] = countries
        props["feature"] = "link"
        link_features.append(
            {
                "type": "Feature",
                "id": feature["id"],
                "geometry": feature["geometry"],
                "properties": props,
            }
        )
    node_features = []
    for feature, props in zip(
        nodes_fc["features"], table_rows(network, "nodes", NODE_COLUMNS), strict=True
    ):
        props["feature"] = "node"
        node_features.append(
            {
                "type": "Feature",
                "id": feature["id"],
                "geometry": feature["geometry"],
                "properties": props,
            }
        )
    return node_features, link_features


def network_view(
    network: Network,
    *,
    modes: Sequence[str] = (),
    countries: Sequence[str] = (),
    statuses: Sequence[str] = (),
) -> dict[str, Any]:
    """Return the network's links and nodes as one GeoJSON FeatureCollection, filtered.

    A link matches a country when it touches or crosses it; the nodes are those of the
    matching links (and, with a country filter and no mode filter, the country's nodes).

    Parameters
    ----------
    network
        The network.
    modes
        Modes or mode families (``rail``, ``sea``); any of them matches.
    countries
        Country codes or names.
    statuses
        Link statuses: ``open``, ``planned`` or ``closed``.

    Raises
    ------
    InvalidRequestError
        For an unknown mode, country or status; ``field`` is ``mode``, ``country`` or
        ``status``.
    """
    from corridor.routing.names import names

    index = names(network)
    wanted_modes: set[str] = set()
    wanted_countries: set[str] = set()
    try:
        for name in modes:
            wanted_modes.update(index.modes_named(name))
        for name in countries:
            wanted_countries.add(index.countries.resolve(name))
    except NameNotFoundError as exc:
        raise InvalidRequestError(
            "mode" if exc.kind == "mode" else "country",
            str(exc),
            value=exc.name,
            suggestions=exc.suggestions,
            reason="not_found",
        ) from None
    wanted_statuses = set(statuses)
    unknown = wanted_statuses - set(STATUSES)
    if unknown:
        raise InvalidRequestError(
            "status", f"Unknown status {sorted(unknown)}; use open, planned or closed."
        )
    node_features, link_features = network_features(network)
    links = [
        f
        for f in link_features
        if (not wanted_modes or f["properties"]["mode"] in wanted_modes)
        and (not wanted_statuses or f["properties"]["status"] in wanted_statuses)
        and (not wanted_countries or wanted_countries & set(f["properties"]["countries"]))
    ]
    if wanted_modes or wanted_statuses or wanted_countries:
        used = {f["properties"][end] for f in links for end in ("from_node", "to_node")}
        nodes = [
            f
            for f in node_features
            if f["id"] in used
            or (
                wanted_countries
                and f["properties"]["country"] in wanted_countries
                and not wanted_modes
            )
        ]
    else:
        nodes = node_features
    return {"type": "FeatureCollection", "features": [*links, *nodes]}


# --- scenarios -----------------------------------------------------------------------------


def list_scenarios() -> list[str]:
    """Return the names of the bundled scenarios."""
    from corridor.scenarios import bundled_scenarios

    return bundled_scenarios()


def scenario_network(name_or_path: str | os.PathLike[str]) -> Network:
    """Return the network a scenario describes, applied to its base and validated.

    Parameters
    ----------
    name_or_path
        A bundled scenario name or the path of a scenario YAML file.

    Raises
    ------
    corridor.scenarios.ScenarioError
        If the scenario or its result is invalid; every problem is listed.
    """
    from corridor.scenarios import apply_scenario, load_scenario

    return apply_scenario(load_scenario(name_or_path))


def scenario_network_and_year(name_or_path: str | os.PathLike[str]) -> tuple[Network, int | None]:
    """Return a scenario's network and the year it is set in (``None``: today).

    Parameters
    ----------
    name_or_path
        A bundled scenario name or the path of a scenario YAML file.
    """
    from corridor.scenarios import apply_scenario, load_scenario, scenario_year

    scenario = load_scenario(name_or_path)
    return apply_scenario(scenario), scenario_year(scenario)
