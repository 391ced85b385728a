"""GeoJSON export of nodes and links, ready to draw on a web map."""

from __future__ import annotations

import json
import os
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corridor.model.geometry import parse_linestring
from corridor.model.network import Network
from corridor.model.text import is_missing

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["parse_linestring"]


def _properties(row: pd.Series, skip: set[str]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for key, value in row.items():
        if key in skip:
            continue
        if is_missing(value):
            props[str(key)] = None
        elif hasattr(value, "item"):
            props[str(key)] = value.item()
        else:
            props[str(key)] = value
    return props


def nodes_geojson(network: Network) -> dict[str, Any]:
    """Return the nodes as a GeoJSON FeatureCollection of Points.

    Every column except ``lat`` and ``lon`` becomes a property.
    """
    features = [
        {
            "type": "Feature",
            "id": row["node_id"],
            "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
            "properties": _properties(row, {"lat", "lon"}),
        }
        for _, row in network.nodes.iterrows()
    ]
    return {"type": "FeatureCollection", "features": features}


def link_geometries(network: Network) -> dict[str, dict[str, Any]]:
    """Return each link's GeoJSON LineString geometry, keyed by link id.

    A link with its own ``geometry`` (WKT) is drawn with it; otherwise as a straight line
    between its end nodes' coordinates.
    """
    nodes = network.nodes
    coords: dict[str, list[float]] = {
        str(n): [float(lon), float(lat)]
        for n, lon, lat in zip(nodes["node_id"], nodes["lon"], nodes["lat"], strict=True)
    }
    found: dict[str, dict[str, Any]] = {}
    links = network.links
    for link_id, a, b, geometry in zip(
        links["link_id"], links["from_node"], links["to_node"], links["geometry"], strict=True
    ):
        if isinstance(geometry, str) and geometry.strip():
            line = parse_linestring(geometry)
        else:
            line = [coords[str(a)], coords[str(b)]]
        found[str(link_id)] = {"type": "LineString", "coordinates": line}
    return found


@dataclass(frozen=True)
class NetworkLines:
    """Coordinates of a network's nodes and links, read once (see :func:`network_lines`).

    Attributes
    ----------
    nodes
        ``(lon, lat)`` of each node, keyed by node id.
    links
        Each link's points ``((lon, lat), ...)`` from its ``from_node`` to its ``to_node`` end,
        keyed by link id: its own ``geometry`` (WKT) or else the straight line between its ends.
    """

    nodes: dict[str, tuple[float, float]]
    links: dict[str, tuple[tuple[float, float], ...]]


_LINES: weakref.WeakKeyDictionary[Network, NetworkLines] = weakref.WeakKeyDictionary()
_LINES_LOCK = threading.Lock()


def network_lines(network: Network) -> NetworkLines:
    """Return the node and link coordinates of a network, computed once per network object.

    Networks are immutable, so the answer is kept while the network object lives (a changed
    network is a new object). The tuples are shared: copy them before changing them.
    """
    with _LINES_LOCK:
        found = _LINES.get(network)
    if found is not None:
        return found
    nodes = {
        str(n): (float(lon), float(lat))
        for n, lon, lat in zip(
            network.nodes["node_id"], network.nodes["lon"], network.nodes["lat"], strict=True
        )
    }
    lines = {
        link_id: tuple((x, y) for x, y in geometry["coordinates"])
        for link_id, geometry in link_geometries(network).items()
    }
    found = NetworkLines(nodes=nodes, links=lines)
    with _LINES_LOCK:
        _LINES[network] = found
    return found


def links_geojson(network: Network) -> dict[str, Any]:
    """Return the links as a GeoJSON FeatureCollection of LineStrings.

    Geometries as in :func:`link_geometries`.
    """
    geometry = link_geometries(network)
    features = [
        {
            "type": "Feature",
            "id": row["link_id"],
            "geometry": geometry[str(row["link_id"])],
            "properties": _properties(row, {"geometry"}),
        }
        for _, row in network.links.iterrows()
    ]
    return {"type": "FeatureCollection", "features": features}


def write_geojson(network: Network, folder: str | os.PathLike[str]) -> list[Path]:
    """Write ``nodes.geojson`` and ``links.geojson`` into a folder.

    Parameters
    ----------
    network
        The network to export.
    folder
        Output folder, created if needed.

    Returns
    -------
    list of Path
        The two files written.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, collection in (("nodes", nodes_geojson(network)), ("links", links_geojson(network))):
        path = out / f"{name}.geojson"
        tmp = out / f".{name}.geojson.tmp"
        tmp.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
        written.append(path)
    return written
