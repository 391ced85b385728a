#!/usr/bin/env python3
"""Fill missing link distances of a `corridor` network from open networks (build-time tool).

This script is a data-build tool kept in the repository. It is NOT part of the runtime
package `corridor` and its dependencies are not runtime dependencies. Install them with::

    pip install "scgraph<3" scgraph-data searoute

(scgraph-data 2.0.0 imports ``scgraph.core``, which is gone in scgraph 3; the railway and
highway networks of scgraph-data take about 300 MB.)

What it does
------------
For every link in ``links.csv`` whose ``distance_km`` is blank and whose ``distance_km_ref`` is

* ``osm-rail``   -- shortest path on the OpenStreetMap world railway network
  (``scgraph_data.world_railways.world_railways_geograph``),
* ``osm-road``   -- shortest path on the OpenStreetMap world highway network
  (``scgraph_data.world_highways.world_highways_geograph``),
* ``marnet-sea`` -- shortest sea route on the Eurostat MARNET network
  (``searoute.searoute([lon, lat], [lon, lat], units="km", append_orig_dest=True)``),

the distance between the two end nodes is computed and rounded to whole km. The straight
segments joining each end node to its nearest network node are included in the length.

Every result is checked and printed in a table:

* ``gc_km``: great-circle distance; ``ratio`` = computed / great-circle, flagged if
  < ``--min-ratio`` (1.0) or > ``--max-ratio`` (1.8). Long deep-sea legs around continents
  legitimately exceed 1.8: review them and accept them with ``--accept LINK_ID``.
* ``snapA``/``snapB``: distance from each end node to the network node it was joined to,
  flagged if > ``--max-snap-km`` (25 km).
* ``marnet-sea`` only: a route between two Caspian ends (link mode ``caspian_*``, node kind
  ``caspian_port``, or both ends inside the Caspian box lon 46-56E, lat 36-48N) is flagged if any
  path point leaves that box; any sea route is flagged if a path point lies in the Volga-Don
  box (lon 38-48E, lat 46-49N), because MARNET joins the Caspian to the Black Sea through an
  untagged Volga-Don line (Russian inland waterways). Routes to Azov ports (Rostov) and to
  Astrakhan fall in that box too: check the path and accept them by id if they are right.
* a ref that does not fit the link's mode (e.g. ``osm-rail`` on a ``road`` link) is flagged.

Flagged links are NOT written unless ``--accept-flagged`` (all) or ``--accept LINK_ID`` (one
link, repeatable) is given; they are listed at the end, with their simplified path as WKT,
for a human to review.

With ``--geometry`` the path is also written, where the ``geometry`` cell is blank, as a WKT
``LINESTRING (lon lat, lon lat, ...)`` simplified to at most ``--max-points`` (25) points (the
most significant vertices, Douglas-Peucker order) with coordinates rounded to 0.01 degrees. Links
with an osm-/marnet- ref and a distance already filled but a blank geometry are routed too,
for the geometry only; their distance is left as it is.

Files are edited in place: the columns and their order are unchanged and every other cell, and
every other line, stays byte-identical (records are split and re-joined on the raw text; only
the edited cells are re-encoded, quoted as the csv module's QUOTE_MINIMAL would). Nothing is
written with ``--dry-run``.

Folders
-------
Each positional DIR is a network folder (or a fragment folder) with ``links.csv``; its
``nodes.csv`` (if any) is loaded too. ``--nodes-from DIR`` (repeatable) loads more
``nodes.csv`` files for coordinate look-up only, so a fragment may reference nodes defined by
other fragments. A node defined with different coordinates in two folders is reported and
links using it are flagged.

``--sources DIR`` (repeatable): make sure ``DIR/sources.csv`` has the shared rows
``osm-rail``, ``osm-road``, ``marnet-sea`` (computed; the method names the package versions
installed and the ODbL attribution) and ``est-coords`` (estimate). Missing rows are appended;
existing rows are never changed.

Usage
-----
::

    python tools/compute_distances.py data-raw/part_a --nodes-from data-raw/part_b --dry-run
    python tools/compute_distances.py data-raw/part_* --geometry --sources data-raw/shared
    python tools/compute_distances.py DIR --accept aktau_port__baku_alat__caspian_ship

Exit status: 0 when every candidate link was written (or would be, with ``--dry-run``), 1 when
some links were flagged and left unwritten or could not be computed, 2 on usage errors.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import heapq
import importlib
import io
import math
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

# --------------------------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------------------------

EARTH_RADIUS_KM = 6371.0088

REF_RAIL = "osm-rail"
REF_ROAD = "osm-road"
REF_SEA = "marnet-sea"
COMPUTED_REFS = (REF_RAIL, REF_ROAD, REF_SEA)

#: Modes each computed ref may be used for (prefix match on the link's mode id).
REF_MODE_PREFIXES: dict[str, tuple[str, ...]] = {
    REF_RAIL: ("rail",),
    REF_ROAD: ("road",),
    REF_SEA: ("sea", "caspian_"),
}

#: (lon_min, lon_max, lat_min, lat_max) boxes used by the sea-route checks.
CASPIAN_BOX = (46.0, 56.0, 36.0, 48.0)
VOLGA_DON_BOX = (38.0, 48.0, 46.0, 49.0)

Point = tuple[float, float]  # (lat, lon)


# --------------------------------------------------------------------------------------------
# Byte-preserving CSV handling
# --------------------------------------------------------------------------------------------


def _split_raw_fields(body: str) -> list[str]:
    """Split one CSV record (without its line terminator) into raw, still-quoted fields."""
    fields: list[str] = []
    start = 0
    in_quotes = False
    for i, ch in enumerate(body):
        if ch == '"':
            in_quotes = not in_quotes
        elif ch == "," and not in_quotes:
            fields.append(body[start:i])
            start = i + 1
    fields.append(body[start:])
    return fields


def _unquote(raw: str) -> str:
    if len(raw) >= 2 and raw[0] == '"' and raw[-1] == '"':
        return raw[1:-1].replace('""', '"')
    return raw


def _quote(value: str) -> str:
    """Encode a cell the way csv.writer(QUOTE_MINIMAL) does."""
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


@dataclass
class CsvRecord:
    """One raw record of a CSV file: its text, line terminator and (lazily) its fields."""

    body: str
    terminator: str
    raw_fields: list[str] = field(default_factory=list)
    edited: bool = False

    @property
    def values(self) -> list[str]:
        return [_unquote(f) for f in self.raw_fields]

    def text(self) -> str:
        if self.edited:
            return ",".join(self.raw_fields) + self.terminator
        return self.body + self.terminator


@dataclass
class CsvFile:
    """A CSV file that can be edited cell by cell and written back byte-identically."""

    path: Path
    bom: str
    header: list[str]
    records: list[CsvRecord]  # records[0] is the header
    newline: str

    @classmethod
    def read(cls, path: Path) -> CsvFile:
        data = path.read_bytes().decode("utf-8")
        bom = "\ufeff" if data.startswith("\ufeff") else ""
        text = data[len(bom) :]
        records: list[CsvRecord] = []
        pending = ""
        for line in re.findall(r"[^\n]*\n|[^\n]+$", text):
            pending += line
            if pending.count('"') % 2:  # newline inside a quoted cell
                continue
            if pending.endswith("\r\n"):
                body, term = pending[:-2], "\r\n"
            elif pending.endswith("\n"):
                body, term = pending[:-1], "\n"
            else:
                body, term = pending, ""
            rec = CsvRecord(body=body, terminator=term)
            if body.strip():
                rec.raw_fields = _split_raw_fields(body)
                parsed = next(csv.reader(io.StringIO(body, newline="")), [])
                if parsed != rec.values:
                    raise ValueError(f"{path}: cannot parse record safely: {body[:80]!r}")
            records.append(rec)
            pending = ""
        if pending:
            raise ValueError(f"{path}: unbalanced quotes at end of file")
        if not records or not records[0].raw_fields:
            raise ValueError(f"{path}: no header row")
        newline = records[0].terminator or "\n"
        return cls(path, bom, records[0].values, records, newline)

    def rows(self) -> Iterable[tuple[CsvRecord, dict[str, str]]]:
        for rec in self.records[1:]:
            if rec.raw_fields:
                vals = rec.values
                vals += [""] * (len(self.header) - len(vals))
                yield rec, dict(zip(self.header, vals, strict=False))

    def set_cell(self, rec: CsvRecord, column: str, value: str) -> None:
        idx = self.header.index(column)
        if len(rec.raw_fields) <= idx:
            rec.raw_fields += [""] * (idx + 1 - len(rec.raw_fields))
        rec.raw_fields[idx] = _quote(value)
        rec.edited = True

    def append_row(self, values: dict[str, str]) -> None:
        last = self.records[-1]
        if not last.terminator:
            last.terminator = self.newline
        raw = [_quote(values.get(col, "")) for col in self.header]
        self.records.append(CsvRecord(body=",".join(raw), terminator=self.newline, raw_fields=raw))

    def text(self) -> str:
        return self.bom + "".join(r.text() for r in self.records)

    def write(self) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(self.text().encode("utf-8"))
            os.chmod(tmp, self.path.stat().st_mode & 0o777)
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise


# --------------------------------------------------------------------------------------------
# Geometry helpers
# --------------------------------------------------------------------------------------------


def haversine_km(a: Point, b: Point) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def in_box(p: Point, box: tuple[float, float, float, float]) -> bool:
    lon_min, lon_max, lat_min, lat_max = box
    return lon_min <= p[1] <= lon_max and lat_min <= p[0] <= lat_max


def _seg_dist(p: Point, a: Point, b: Point) -> float:
    """Planar distance (degrees) from p to segment ab; good enough for ranking vertices."""
    ax, ay, bx, by, px, py = a[1], a[0], b[1], b[0], p[1], p[0]
    dx, dy = bx - ax, by - ay
    if dx == 0 and dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def simplify(path: Sequence[Point], max_points: int, min_dev: float = 0.005) -> list[Point]:
    """Keep the end points and the most significant vertices (Douglas-Peucker order).

    Vertices are added by decreasing deviation (degrees) until ``max_points`` are kept or the
    largest remaining deviation is below ``min_dev`` (half the 0.01-degree rounding step).
    """
    n = len(path)
    if n <= max_points:
        return list(path)
    keep = {0, n - 1}
    heap: list[tuple[float, int, int, int]] = []

    def push(i: int, j: int) -> None:
        best, best_k = -1.0, -1
        for k in range(i + 1, j):
            d = _seg_dist(path[k], path[i], path[j])
            if d > best:
                best, best_k = d, k
        if best_k >= 0 and best >= min_dev:
            heapq.heappush(heap, (-best, best_k, i, j))

    push(0, n - 1)
    while heap and len(keep) < max_points:
        _, k, i, j = heapq.heappop(heap)
        keep.add(k)
        push(i, k)
        push(k, j)
    return [path[k] for k in sorted(keep)]


def _fmt_coord(v: float) -> str:
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def to_wkt(path: Sequence[Point], max_points: int) -> str:
    """Simplified, 0.01-degree WKT LINESTRING (lon lat, ...) of a (lat, lon) path."""
    pts: list[str] = []
    for lat, lon in simplify(path, max_points):
        p = f"{_fmt_coord(lon)} {_fmt_coord(lat)}"
        if not pts or pts[-1] != p:
            pts.append(p)
    if len(pts) == 1:
        pts.append(pts[0])
    return "LINESTRING (" + ", ".join(pts) + ")"


# --------------------------------------------------------------------------------------------
# Routers
# --------------------------------------------------------------------------------------------


@dataclass
class Route:
    length_km: float
    path: list[Point]  # starts at the origin node and ends at the destination node
    snap_a_km: float
    snap_b_km: float
    seconds: float
    note: str = ""


def _close(p: Point, q: Point) -> bool:
    return abs(p[0] - q[0]) < 1e-6 and abs(p[1] - q[1]) < 1e-6


def _finish_path(a: Point, b: Point, path: list[Point]) -> tuple[list[Point], float, float]:
    """Make the path start at a and end at b; return it with both snapping distances."""
    if not path:
        return [a, b], haversine_km(a, b), 0.0
    if not _close(path[0], a):
        path = [a, *path]
    if not _close(path[-1], b):
        path = [*path, b]
    snap_a = haversine_km(path[0], path[1]) if len(path) > 2 else 0.0
    snap_b = haversine_km(path[-2], path[-1]) if len(path) > 2 else 0.0
    return path, snap_a, snap_b


class ScgraphRouter:
    """Shortest path on a scgraph-data GeoGraph (scgraph < 3)."""

    def __init__(self, module: str, attr: str, fallback_bound: float) -> None:
        self.module = module
        self.attr = attr
        self.fallback_bound = fallback_bound
        self._graph: Any = None
        self.load_seconds = 0.0

    def _load(self) -> Any:
        if self._graph is None:
            t0 = time.perf_counter()
            self._graph = getattr(importlib.import_module(self.module), self.attr)
            self._graph.warmup()
            self.load_seconds = time.perf_counter() - t0
        return self._graph

    def route(self, a: Point, b: Point) -> Route:
        graph = self._load()
        origin = {"latitude": a[0], "longitude": a[1]}
        dest = {"latitude": b[0], "longitude": b[1]}
        t0 = time.perf_counter()
        note = ""
        sink = io.StringIO()
        try:
            with contextlib.redirect_stdout(sink):
                out = graph.get_shortest_path(
                    origin_node=origin, destination_node=dest, output_units="km", silent=True
                )
        except Exception:  # disconnected with the default (nearest-node) joining
            note = f"fallback: joined to all nodes within {self.fallback_bound:g} deg"
            with contextlib.redirect_stdout(sink):
                out = graph.get_shortest_path(
                    origin_node=origin,
                    destination_node=dest,
                    output_units="km",
                    node_addition_type="all",
                    destination_node_addition_type="all",
                    node_addition_lat_lon_bound=self.fallback_bound,
                    silent=True,
                )
        seconds = time.perf_counter() - t0
        raw = [(float(p[0]), float(p[1])) for p in out["coordinate_path"]]
        path, snap_a, snap_b = _finish_path(a, b, raw)
        return Route(float(out["length"]), path, snap_a, snap_b, seconds, note)


class SearouteRouter:
    """Shortest sea route on the MARNET network of the searoute package."""

    def __init__(self) -> None:
        self._fn: Callable[..., Any] | None = None
        self.load_seconds = 0.0

    def route(self, a: Point, b: Point) -> Route:
        if self._fn is None:
            t0 = time.perf_counter()
            self._fn = importlib.import_module("searoute").searoute
            self.load_seconds = time.perf_counter() - t0
        t0 = time.perf_counter()
        feature = self._fn(
            [a[1], a[0]],
            [b[1], b[0]],
            units="km",
            append_orig_dest=True,
            return_passages=True,
        )
        seconds = time.perf_counter() - t0
        props = feature["properties"]
        length = float(props["length"])
        coords = feature["geometry"]["coordinates"]
        if not coords or not math.isfinite(length):
            raise RuntimeError("searoute found no route")
        raw = [(float(c[1]), float(c[0])) for c in coords]
        path, snap_a, snap_b = _finish_path(a, b, raw)
        passages = props.get("traversed_passages") or []
        note = ("passages: " + "|".join(sorted(passages))) if passages else ""
        return Route(length, path, snap_a, snap_b, seconds, note)


# --------------------------------------------------------------------------------------------
# Network folders
# --------------------------------------------------------------------------------------------


@dataclass
class Node:
    node_id: str
    point: Point
    kind: str
    origin: Path


@dataclass
class Job:
    links: CsvFile
    rec: CsvRecord
    row: dict[str, str]
    ref: str
    write_distance: bool
    write_geometry: bool
    route: Route | None = None
    gc_km: float | None = None
    flags: list[str] = field(default_factory=list)
    error: str = ""
    accepted: bool = False

    @property
    def link_id(self) -> str:
        return self.row.get("link_id", "?")


def load_nodes(
    dirs: Sequence[Path],
) -> tuple[dict[str, Node], dict[str, list[str]], list[str]]:
    nodes: dict[str, Node] = {}
    conflicts: dict[str, list[str]] = {}
    messages: list[str] = []
    for d in dirs:
        path = d / "nodes.csv"
        if not path.is_file():
            continue
        table = CsvFile.read(path)
        for _, row in table.rows():
            nid = row.get("node_id", "").strip()
            if not nid:
                continue
            try:
                point = (float(row["lat"]), float(row["lon"]))
            except (KeyError, ValueError):
                messages.append(f"{path}: node {nid} has no usable lat/lon")
                continue
            node = Node(nid, point, row.get("kind", "").strip(), path)
            prev = nodes.get(nid)
            if prev is None:
                nodes[nid] = node
            elif prev.point != point:
                conflicts.setdefault(nid, [f"{prev.origin}: {prev.point}"]).append(
                    f"{path}: {point}"
                )
    for nid, where in conflicts.items():
        messages.append(f"node {nid} has different coordinates: " + "; ".join(where))
    return nodes, conflicts, messages


def is_caspian_leg(mode: str, a: Node, b: Node) -> bool:
    if mode.startswith("caspian_"):
        return True
    if a.kind == "caspian_port" and b.kind == "caspian_port":
        return True
    return in_box(a.point, CASPIAN_BOX) and in_box(b.point, CASPIAN_BOX)


def check(job: Job, a: Node, b: Node, args: argparse.Namespace) -> None:
    route = job.route
    assert route is not None
    mode = job.row.get("mode", "")
    if not mode.startswith(REF_MODE_PREFIXES[job.ref]):
        job.flags.append(f"ref {job.ref} on mode {mode or '(blank)'}")
    gc = job.gc_km = haversine_km(a.point, b.point)
    if gc > 0:
        ratio = route.length_km / gc
        if ratio < args.min_ratio or ratio > args.max_ratio:
            job.flags.append(f"ratio {ratio:.2f}")
    for end, snap in ((a, route.snap_a_km), (b, route.snap_b_km)):
        if snap > args.max_snap_km:
            job.flags.append(f"snap {end.node_id} {snap:.0f} km")
    if job.ref == REF_SEA:
        if is_caspian_leg(mode, a, b) and not all(in_box(p, CASPIAN_BOX) for p in route.path):
            job.flags.append("leaves the Caspian")
        if any(in_box(p, VOLGA_DON_BOX) for p in route.path):
            job.flags.append("Volga-Don box")


def collect_jobs(
    link_files: Sequence[CsvFile], only: set[str], geometry: bool
) -> tuple[list[Job], list[str]]:
    jobs: list[Job] = []
    messages: list[str] = []
    for table in link_files:
        cols = set(table.header)
        missing = {"link_id", "from_node", "to_node", "distance_km", "distance_km_ref"} - cols
        if missing:
            messages.append(f"{table.path}: missing columns {sorted(missing)}; skipped")
            continue
        has_geom = "geometry" in cols
        if geometry and not has_geom:
            messages.append(f"{table.path}: no geometry column; geometry not written")
        for rec, row in table.rows():
            ref = row["distance_km_ref"].strip()
            blank_dist = not row["distance_km"].strip()
            if ref not in COMPUTED_REFS:
                if blank_dist:
                    messages.append(
                        f"{table.path}: {row['link_id']}: blank distance_km with ref "
                        f"{ref or '(blank)'}: not handled"
                    )
                continue
            if ref not in only:
                continue
            want_geom = geometry and has_geom and not row["geometry"].strip()
            if blank_dist or want_geom:
                jobs.append(Job(table, rec, row, ref, blank_dist, want_geom))
    return jobs, messages


# --------------------------------------------------------------------------------------------
# Shared source rows
# --------------------------------------------------------------------------------------------

OSM_ATTRIBUTION = (
    "Data © OpenStreetMap contributors, available under the Open Database License (ODbL) 1.0 "
    "(https://www.openstreetmap.org/copyright)."
)


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        raise SystemExit(
            f"{dist} is not installed; the source rows name the package versions used. "
            'Install with: pip install "scgraph<3" scgraph-data searoute'
        ) from None


def shared_source_rows() -> list[dict[str, str]]:
    sc, scd, sr = _version("scgraph"), _version("scgraph-data"), _version("searoute")
    common = (
        "The end nodes are joined to the nearest network node by a straight line, included in "
        "the length; rounded to whole km; checked by tools/compute_distances.py against the "
        "great-circle distance (ratio 1.0-1.8) and the joining distance (at most 25 km)."
    )

    def osm(kind: str, module: str) -> dict[str, str]:
        return {
            "source_id": f"osm-{kind}",
            "kind": "computed",
            "title": f"OpenStreetMap world {'railway' if kind == 'rail' else 'highway'} "
            f"network (scgraph-data {module})",
            "publisher": "OpenStreetMap contributors",
            "url": "https://www.openstreetmap.org",
            "method": f"Shortest path between the end nodes on the OpenStreetMap world "
            f"{'railway' if kind == 'rail' else 'highway'} network as packaged in scgraph-data "
            f"{scd} ({module}), computed with scgraph {sc}. {common} {OSM_ATTRIBUTION}",
            "notes": "Network packaged by scgraph-data (MIT licence): "
            "https://github.com/connor-makowski/scgraph_data",
        }

    return [
        osm("rail", "world_railways_geograph"),
        osm("road", "world_highways_geograph"),
        {
            "source_id": REF_SEA,
            "kind": "computed",
            "title": "Eurostat MARNET maritime network (SeaRoute)",
            "publisher": "Eurostat",
            "url": "https://github.com/eurostat/searoute",
            "method": f"Shortest sea route between the end nodes on the MARNET maritime network "
            f"with the searoute Python package {sr} (searoute.searoute(origin, destination, "
            f"units='km', append_orig_dest=True), default restrictions). {common} Caspian legs "
            "are checked to stay in the Caspian basin and no route may use the Volga-Don line "
            "of the network.",
            "notes": "searoute Python package (Apache-2.0): "
            "https://github.com/genthalili/searoute-py",
        },
        {
            "source_id": "est-coords",
            "kind": "estimate",
            "title": "Approximate coordinates",
            "method": "approximate WGS84 coordinates of the station, port or city, rounded to "
            "0.01 degrees (about 1 km)",
        },
    ]


def ensure_sources(dirs: Sequence[Path], dry_run: bool) -> None:
    if not dirs:
        return
    wanted = shared_source_rows()
    for d in dirs:
        path = d / "sources.csv"
        if not path.is_file():
            print(f"sources: {path} does not exist; nothing done")
            continue
        table = CsvFile.read(path)
        if "source_id" not in table.header:
            print(f"sources: {path} has no source_id column; nothing done")
            continue
        have = {row["source_id"].strip() for _, row in table.rows()}
        added = [r["source_id"] for r in wanted if r["source_id"] not in have]
        for row in wanted:
            if row["source_id"] not in have:
                table.append_row(row)
        present = sorted({r["source_id"] for r in wanted} & have)
        if present:
            print(f"sources: {path}: already present (left unchanged): {', '.join(present)}")
        if added:
            verb = "would add" if dry_run else "added"
            print(f"sources: {path}: {verb} {', '.join(added)}")
            if not dry_run:
                table.write()


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Fill blank distance_km of osm-rail / osm-road / marnet-sea links "
        "(build-time tool; see the module docstring).",
    )
    p.add_argument("dirs", nargs="*", type=Path, help="network or fragment folders to edit")
    p.add_argument(
        "--nodes-from",
        action="append",
        default=[],
        type=Path,
        metavar="DIR",
        help="also load DIR/nodes.csv for coordinates (repeatable; not edited)",
    )
    p.add_argument(
        "--sources",
        action="append",
        default=[],
        type=Path,
        metavar="DIR",
        help="ensure the shared source rows exist in DIR/sources.csv (repeatable)",
    )
    p.add_argument("--geometry", action="store_true", help="also write blank geometry cells")
    p.add_argument("--dry-run", action="store_true", help="compute and print; write nothing")
    p.add_argument("--accept-flagged", action="store_true", help="write flagged links too")
    p.add_argument(
        "--accept",
        action="append",
        default=[],
        metavar="LINK_ID",
        help="write this flagged link after review (repeatable)",
    )
    p.add_argument(
        "--only",
        action="append",
        choices=COMPUTED_REFS,
        help="handle only this ref (repeatable; default: all three)",
    )
    p.add_argument("--min-ratio", type=float, default=1.0)
    p.add_argument("--max-ratio", type=float, default=1.8)
    p.add_argument("--max-snap-km", type=float, default=25.0)
    p.add_argument("--max-points", type=int, default=25, help="geometry points (default 25)")
    p.add_argument(
        "--fallback-bound",
        type=float,
        default=180.0,
        help="lat/lon box (deg) for joining end nodes when the rail/road graph is "
        "disconnected near them (default 180; slower but always connects)",
    )
    args = p.parse_args(argv)
    if not args.dirs and not args.sources:
        p.error("give at least one folder or --sources DIR")
    if args.max_points < 2:
        p.error("--max-points must be at least 2")
    return args


def print_table(jobs: Sequence[Job]) -> None:
    head = (
        f"{'link_id':<44} {'ref':<10} {'gc_km':>7} {'km':>7} {'ratio':>5} "
        f"{'snapA':>6} {'snapB':>6} {'query_s':>7}  result"
    )
    print(head)
    print("-" * len(head))
    for j in jobs:
        r = j.route
        if r is None:
            print(
                f"{j.link_id:<44} {j.ref:<10} {'':>7} {'':>7} {'':>5} {'':>6} {'':>6} "
                f"{'':>7}  ERROR {j.error}"
            )
            continue
        gc = j.gc_km or 0.0
        ratio = f"{r.length_km / gc:.2f}" if gc > 0 else "-"
        if j.flags:
            result = ("ACCEPTED " if j.accepted else "FLAGGED ") + "; ".join(j.flags)
        else:
            result = "ok"
        if not j.write_distance:
            result += " (geometry only)"
        if r.note:
            result += f" [{r.note}]"
        print(
            f"{j.link_id:<44} {j.ref:<10} {gc:>7.0f} {r.length_km:>7.0f} {ratio:>5} "
            f"{r.snap_a_km:>6.1f} {r.snap_b_km:>6.1f} {r.seconds:>7.3f}  {result}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    only = set(args.only or COMPUTED_REFS)
    edit_dirs: list[Path] = args.dirs
    for d in [*edit_dirs, *args.nodes_from, *args.sources]:
        if not d.is_dir():
            print(f"error: {d} is not a folder", file=sys.stderr)
            return 2

    nodes, conflicts, messages = load_nodes([*edit_dirs, *args.nodes_from])
    link_files = [CsvFile.read(d / "links.csv") for d in edit_dirs if (d / "links.csv").is_file()]
    for d in edit_dirs:
        if not (d / "links.csv").is_file():
            messages.append(f"{d}: no links.csv")
    jobs, more = collect_jobs(link_files, only, args.geometry)
    messages += more

    routers: dict[str, ScgraphRouter | SearouteRouter] = {
        REF_RAIL: ScgraphRouter(
            "scgraph_data.world_railways", "world_railways_geograph", args.fallback_bound
        ),
        REF_ROAD: ScgraphRouter(
            "scgraph_data.world_highways", "world_highways_geograph", args.fallback_bound
        ),
        REF_SEA: SearouteRouter(),
    }
    cache: dict[tuple[str, Point, Point], Route] = {}
    accept = set(args.accept)

    for job in jobs:
        a = nodes.get(job.row["from_node"].strip())
        b = nodes.get(job.row["to_node"].strip())
        if a is None or b is None:
            missing = [n for n, x in ((job.row["from_node"], a), (job.row["to_node"], b)) if not x]
            job.error = "unknown node " + ", ".join(missing) + " (use --nodes-from)"
            continue
        key = (job.ref, a.point, b.point)
        try:
            if key not in cache:
                cache[key] = routers[job.ref].route(a.point, b.point)
            job.route = cache[key]
        except Exception as exc:  # report and continue with the other links
            job.error = f"{type(exc).__name__}: {exc}"
            continue
        check(job, a, b, args)
        for n in (a, b):
            if n.node_id in conflicts:
                job.flags.append(f"node {n.node_id} defined twice")
        job.accepted = bool(job.flags) and (args.accept_flagged or job.link_id in accept)

    if jobs:
        print_table(jobs)
    else:
        print("no links to compute")
    for name, router in routers.items():
        if router.load_seconds:
            print(f"loaded {name} network in {router.load_seconds:.1f} s")
    for m in messages:
        print(f"note: {m}")

    # Apply the results to the CSV files.
    changed: set[int] = set()
    written = 0
    for job in jobs:
        if job.route is None or (job.flags and not job.accepted):
            continue
        if job.write_distance:
            km = math.floor(job.route.length_km + 0.5)  # round half up
            job.links.set_cell(job.rec, "distance_km", str(km))
        if job.write_geometry:
            job.links.set_cell(job.rec, "geometry", to_wkt(job.route.path, args.max_points))
        changed.add(id(job.links))
        written += 1
    for table in link_files:
        if id(table) in changed and not args.dry_run:
            table.write()

    unresolved = [j for j in jobs if j.route is None or (j.flags and not j.accepted)]
    verb = "would write" if args.dry_run else "wrote"
    print(f"\n{verb} {written} of {len(jobs)} links", end="")
    print(f" in {sum(1 for t in link_files if id(t) in changed)} file(s)")
    if unresolved:
        print("\nFor review (not written):")
        for j in unresolved:
            what = j.error or "; ".join(j.flags)
            length = f" {j.route.length_km:.0f} km" if j.route else ""
            print(f"  {j.links.path}: {j.link_id} ({j.ref}){length}: {what}")
            if j.route is not None:
                print(f"    path: {to_wkt(j.route.path, args.max_points)}")
        print("After checking, rerun with --accept LINK_ID (or --accept-flagged).")

    ensure_sources(args.sources, args.dry_run)
    return 1 if unresolved else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into head, less, ...
        sys.stderr.close()
        sys.exit(1)
