from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from helpers import TINY, examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.datasets import read_network
from corridor.io.folder import read_folder, write_folder
from corridor.io.geojson import links_geojson, nodes_geojson, parse_linestring, write_geojson
from corridor.model.network import Network
from corridor.model.problems import ValidationReport


def load_tiny() -> Network:
    network, report = read_network(TINY)
    assert report.ok
    return network


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_round_trip_is_lossless(tmp_path: Path, fmt: str) -> None:
    network = load_tiny()
    write_folder(network, tmp_path / "out", fmt)  # type: ignore[arg-type]
    again, report = read_folder(tmp_path / "out")
    assert report.ok, report.format_text()
    assert again.equals(network)
    assert again.content_hash() == network.content_hash()
    for name, table in network.tables.items():
        assert list(again.tables[name].dtypes) == list(table.dtypes), name
    assert again.meta.name == "tiny"


def test_csv_writing_is_stable(tmp_path: Path) -> None:
    network = load_tiny()
    write_folder(network, tmp_path / "a")
    again, _ = read_folder(tmp_path / "a")
    write_folder(again, tmp_path / "b")
    for file in sorted((tmp_path / "a").glob("*.csv")):
        assert file.read_bytes() == (tmp_path / "b" / file.name).read_bytes(), file.name


def test_csv_and_parquet_agree(tmp_path: Path) -> None:
    network = load_tiny()
    write_folder(network, tmp_path / "c", "csv")
    write_folder(network, tmp_path / "p", "parquet")
    from_csv, _ = read_folder(tmp_path / "c")
    from_parquet, _ = read_folder(tmp_path / "p")
    assert from_csv.equals(from_parquet)


def test_writer_leaves_no_temporary_files(tmp_path: Path) -> None:
    write_folder(load_tiny(), tmp_path / "o")
    assert not [p for p in (tmp_path / "o").iterdir() if p.name.startswith(".")]


def test_geojson_nodes_and_links() -> None:
    network = load_tiny()
    nodes = nodes_geojson(network)
    links = links_geojson(network)
    assert len(nodes["features"]) == 4 and len(links["features"]) == 4
    port = next(f for f in nodes["features"] if f["id"] == "port_east")
    assert port["geometry"] == {"type": "Point", "coordinates": [51.2, 43.6]}
    assert port["properties"]["capacity_t_per_year"] == 6_000_000
    assert "lat" not in port["properties"]
    ferry = next(f for f in links["features"] if f["properties"]["mode"] == "caspian_ferry")
    # Its own geometry is used ...
    assert ferry["geometry"]["coordinates"] == [[51.2, 43.6], [50.5, 42.0], [49.9, 40.4]]
    rail = next(f for f in links["features"] if f["id"] == "inland__port_east__rail_1520")
    # ... and a link without one is a straight line between its nodes.
    assert rail["geometry"]["coordinates"] == [[52.0, 45.0], [51.2, 43.6]]
    assert rail["properties"]["distance_km"] == 400
    assert rail["properties"]["running_time_h"] is None


def test_geojson_files_are_valid_json(tmp_path: Path) -> None:
    files = write_geojson(load_tiny(), tmp_path)
    for file in files:
        data = json.loads(file.read_text(encoding="utf-8"))
        assert data["type"] == "FeatureCollection"


@pytest.mark.parametrize("bad", ["POINT (1 2)", "LINESTRING (1 2)", ""])
def test_parse_linestring_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_linestring(bad)


# Property test: arbitrary (valid) node tables survive CSV and Parquet round trips.
_text = (
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)
_ident = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)
_finite = st.floats(allow_nan=False, allow_infinity=False, min_value=0, max_value=1e12)


@st.composite
def node_tables(draw: st.DrawFn) -> pd.DataFrame:
    ids = draw(st.lists(_ident, min_size=1, max_size=6, unique=True))
    n = len(ids)
    names = draw(st.lists(_text, min_size=n, max_size=n))
    aliases = draw(
        st.lists(
            st.one_of(
                st.none(), st.lists(_text.filter(lambda s: "|" not in s), min_size=1, max_size=3)
            ),
            min_size=n,
            max_size=n,
        )
    )
    lats = draw(st.lists(st.floats(-90, 90, allow_nan=False), min_size=n, max_size=n))
    lons = draw(st.lists(st.floats(-180, 180, allow_nan=False), min_size=n, max_size=n))
    caps = draw(st.lists(st.one_of(st.none(), _finite), min_size=n, max_size=n))
    years = draw(st.lists(st.one_of(st.none(), st.integers(1850, 2100)), min_size=n, max_size=n))
    base = read_network(TINY)[0].nodes
    frame = pd.DataFrame({c: pd.Series([None] * n, dtype=base[c].dtype) for c in base.columns})
    frame["node_id"] = pd.array(ids, dtype="string")
    frame["name"] = pd.array(names, dtype="string")
    frame["aliases"] = pd.array(
        [None if a is None else "|".join(x.strip() for x in a) for a in aliases], dtype="string"
    )
    frame["country"] = pd.array(["KZ"] * n, dtype="string")
    frame["kind"] = pd.array(["city"] * n, dtype="string")
    frame["lat"], frame["lon"] = lats, lons
    frame["coord_ref"] = pd.array(["est-coords"] * n, dtype="string")
    frame["status"] = pd.array(["open"] * n, dtype="string")
    frame["opening_year"] = pd.array(years, dtype="Int64")
    frame["capacity_t_per_year"] = pd.Series(
        [math.nan if c is None else c for c in caps], dtype="float64"
    )
    frame["capacity_t_per_year_ref"] = pd.array(
        [None if c is None else "t-len" for c in caps], dtype="string"
    )
    return frame


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(nodes=node_tables())
def test_property_round_trip_of_arbitrary_nodes(
    tmp_path_factory: pytest.TempPathFactory, nodes: pd.DataFrame
) -> None:
    base = read_network(TINY)[0]
    network = Network.from_tables({**base.tables, "nodes": nodes}, base.meta)
    for fmt in ("csv", "parquet"):
        out = tmp_path_factory.mktemp(fmt)
        write_folder(network, out, fmt)  # type: ignore[arg-type]
        report = ValidationReport(source="roundtrip")
        again, _ = read_folder(out, report)
        assert not [p for p in report.problems if p.file.endswith("nodes." + fmt)], (
            report.format_text()
        )
        pd.testing.assert_frame_equal(again.nodes, network.nodes)
