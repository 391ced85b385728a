from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import TINY, read_rows, set_cell, write_rows

from corridor.datasets import load, read_network
from corridor.errors import DatasetNotFoundError, ValidationError
from corridor.model.problems import Problem

Mutate = Callable[[str, str, str, str], Path]


def errors_of(folder: Path) -> list[Problem]:
    _, report = read_network(folder)
    return report.errors


def test_tiny_fixture_is_valid() -> None:
    _, report = read_network(TINY)
    assert report.ok, report.format_text()
    assert report.warnings == []


# One case per kind of error: (table, row id, column, bad value, expected file, line, column,
# words the message must contain).
BROKEN = [
    (
        "links",
        "inland__port_east__rail_1520",
        "to_node",
        "port_eastt",
        "links.csv",
        2,
        "to_node",
        ["unknown nodes id 'port_eastt'", "did you mean 'port_east'"],
    ),
    (
        "nodes",
        "port_west",
        "node_id",
        "port_east",
        "nodes.csv",
        4,
        "node_id",
        ["duplicate id 'port_east'", "tiny/nodes.csv:3"],
    ),
    (
        "links",
        "port_west__city_west__rail_1520",
        "distance_km",
        "-5",
        "links.csv",
        4,
        "distance_km",
        ["below the minimum 0 km"],
    ),
    (
        "links",
        "port_west__city_west__rail_1520",
        "distance_km",
        "",
        "links.csv",
        4,
        "distance_km",
        ["required value is missing"],
    ),
    (
        "links",
        "port_west__city_west__rail_1520",
        "distance_km",
        "380 km",
        "links.csv",
        4,
        "distance_km",
        ["'380 km' is not a number"],
    ),
    (
        "links",
        "port_east__port_west__caspian_ferry",
        "capacity_t_per_year",
        "-1",
        "links.csv",
        3,
        "capacity_t_per_year",
        ["below the minimum"],
    ),
    (
        "links",
        "port_west__city_west__rail_1520",
        "commodities",
        "grain|crude_oil",
        "links.csv",
        4,
        "commodities",
        ["unknown commodities id 'crude_oil'"],
    ),
    (
        "links",
        "inland__city_west__rail_1520",
        "opening_year",
        "",
        "links.csv",
        5,
        "opening_year",
        ["planned item needs an opening_year"],
    ),
    (
        "links",
        "inland__city_west__rail_1520",
        "opening_year_ref",
        "",
        "links.csv",
        5,
        "opening_year_ref",
        ["figure opening_year=2030 has no source"],
    ),
    (
        "links",
        "port_west__city_west__rail_1520",
        "distance_km_ref",
        "",
        "links.csv",
        4,
        "distance_km_ref",
        ["distance_km=380", "has no source"],
    ),
    (
        "links",
        "port_west__city_west__rail_1520",
        "distance_km_ref",
        "t-lenn",
        "links.csv",
        4,
        "distance_km_ref",
        ["unknown sources id 't-lenn'", "did you mean 't-len'"],
    ),
    ("nodes", "inland", "lat", "95", "nodes.csv", 2, "lat", ["above the maximum 90 deg"]),
    ("nodes", "inland", "lon", "-181", "nodes.csv", 2, "lon", ["below the minimum -180 deg"]),
    (
        "nodes",
        "inland",
        "kind",
        "railway_station",
        "nodes.csv",
        2,
        "kind",
        ["not one of", "did you mean 'rail_station'"],
    ),
    (
        "links",
        "inland__port_east__rail_1520",
        "mode",
        "rail1520",
        "links.csv",
        2,
        "mode",
        ["unknown modes id 'rail1520'", "did you mean 'rail_1520'"],
    ),
    (
        "links",
        "inland__port_east__rail_1520",
        "directed",
        "maybe",
        "links.csv",
        2,
        "directed",
        ["'maybe' is not true or false"],
    ),
    ("sources", "t-len", "url", "", "sources.csv", 3, "url", ["a published source needs a url"]),
    (
        "sources",
        "t-est",
        "method",
        "",
        "sources.csv",
        5,
        "method",
        ["a estimate source needs a method"],
    ),
    (
        "sources",
        "t-len",
        "published",
        "May 2024",
        "sources.csv",
        3,
        "published",
        ["not YYYY, YYYY-MM or YYYY-MM-DD"],
    ),
    (
        "transfers",
        "port_east__rail_1520__caspian_ferry",
        "to_mode",
        "rail_1520",
        "transfers.csv",
        2,
        "to_mode",
        ["must change the mode"],
    ),
    (
        "links",
        "inland__port_east__rail_1520",
        "to_node",
        "inland",
        "links.csv",
        2,
        "to_node",
        ["starts and ends at 'inland'"],
    ),
    (
        "links",
        "port_west__city_west__rail_1520",
        "distance_km",
        "100",
        "links.csv",
        4,
        "distance_km",
        ["shorter than the", "great-circle"],
    ),
    (
        "nodes",
        "city_west",
        "country",
        "TR",
        "nodes.csv",
        5,
        "country",
        ["unknown countries id 'TR'"],
    ),
]


@pytest.mark.parametrize(
    ("table", "row_id", "column", "value", "file", "line", "where", "words"),
    BROKEN,
    ids=[f"{c[0]}.{c[2]}={c[3]!r}" for c in BROKEN],
)
def test_broken_dataset_is_reported_with_location(
    mutate: Mutate,
    table: str,
    row_id: str,
    column: str,
    value: str,
    file: str,
    line: int,
    where: str,
    words: list[str],
) -> None:
    folder = mutate(table, row_id, column, value)
    errors = errors_of(folder)
    matching = [
        e
        for e in errors
        if e.file == f"tiny/{file}"
        and e.line == line
        and e.column == where
        and all(w in e.message for w in words)
    ]
    assert matching, "\n".join(e.format() for e in errors) or "no errors reported"


def test_commodity_that_cannot_use_the_mode(tiny_copy: Path) -> None:
    set_cell(tiny_copy, "commodities", "grain", "allowed_modes", "caspian_ferry")
    errors = errors_of(tiny_copy)
    assert any(
        e.file == "tiny/links.csv"
        and e.line == 4
        and e.column == "commodities"
        and "'grain' cannot use mode 'rail_1520'" in e.message
        for e in errors
    ), [e.format() for e in errors]


def test_disconnected_corridor_piece(tiny_copy: Path) -> None:
    nodes = read_rows(tiny_copy / "nodes.csv")
    links = read_rows(tiny_copy / "links.csv")
    for node_id, lon in (("island_a", "60.0"), ("island_b", "60.5")):
        row = dict(nodes[0], node_id=node_id, name=node_id, lon=lon)
        nodes.append(row)
    links.append(
        dict(
            links[0],
            link_id="island",
            from_node="island_a",
            to_node="island_b",
            distance_km="60",
            distance_km_ref="t-est",
        )
    )
    write_rows(tiny_copy / "nodes.csv", nodes)
    write_rows(tiny_copy / "links.csv", links)
    errors = errors_of(tiny_copy)
    assert any(
        "disconnected from the main network: island_a, island_b" in e.message
        and e.file == "tiny/nodes.csv"
        and e.line == 6
        for e in errors
    ), [e.format() for e in errors]


def test_node_without_links(tiny_copy: Path) -> None:
    nodes = read_rows(tiny_copy / "nodes.csv")
    nodes.append(dict(nodes[0], node_id="lonely", name="Lonely"))
    write_rows(tiny_copy / "nodes.csv", nodes)
    assert any("no open or planned link" in e.message for e in errors_of(tiny_copy))


def test_closed_link_does_not_connect(tiny_copy: Path) -> None:
    # Closing the only link to city_west and the planned bypass cuts city_west off.
    set_cell(tiny_copy, "links", "port_west__city_west__rail_1520", "status", "closed")
    set_cell(tiny_copy, "links", "inland__city_west__rail_1520", "status", "closed")
    assert any(e.line == 5 and "no open or planned link" in e.message for e in errors_of(tiny_copy))


def test_transfer_for_a_mode_that_does_not_serve_the_node(tiny_copy: Path) -> None:
    set_cell(tiny_copy, "transfers", "port_east__rail_1520__caspian_ferry", "node_id", "inland")
    errors = errors_of(tiny_copy)
    assert any(
        e.column == "to_mode" and "no caspian_ferry link touches node 'inland'" in e.message
        for e in errors
    ), [e.format() for e in errors]


def test_missing_transfer_is_a_warning(tiny_copy: Path) -> None:
    rows = read_rows(tiny_copy / "transfers.csv")[:1]
    write_rows(tiny_copy / "transfers.csv", rows)
    _, report = read_network(tiny_copy)
    assert report.ok
    assert any(
        w.file == "tiny/nodes.csv" and w.line == 4 and "no transfer connects" in w.message
        for w in report.warnings
    )


def test_every_problem_is_reported_at_once(tiny_copy: Path) -> None:
    set_cell(tiny_copy, "nodes", "inland", "lat", "99")
    set_cell(tiny_copy, "links", "port_west__city_west__rail_1520", "distance_km", "abc")
    set_cell(tiny_copy, "links", "inland__port_east__rail_1520", "mode", "hyperloop")
    set_cell(tiny_copy, "sources", "t-len", "url", "")
    errors = errors_of(tiny_copy)
    columns = {(e.file, e.column) for e in errors}
    assert {
        ("tiny/nodes.csv", "lat"),
        ("tiny/links.csv", "distance_km"),
        ("tiny/links.csv", "mode"),
        ("tiny/sources.csv", "url"),
    } <= columns


def test_missing_required_column_and_table(tiny_copy: Path) -> None:
    rows = read_rows(tiny_copy / "links.csv")
    for row in rows:
        del row["distance_km"]
    write_rows(tiny_copy / "links.csv", rows)
    (tiny_copy / "modes.csv").unlink()
    errors = errors_of(tiny_copy)
    assert any(
        e.file == "tiny/links.csv"
        and e.line == 1
        and e.column == "distance_km"
        and "missing from header" in e.message
        for e in errors
    )
    assert any(
        e.file == "tiny/modes.csv" and "required table file is missing" in e.message for e in errors
    )


def test_ragged_and_undecodable_files(tiny_copy: Path) -> None:
    with (tiny_copy / "links.csv").open("a", encoding="utf-8") as handle:
        handle.write("only,three,fields\n")
    (tiny_copy / "countries.csv").write_bytes(b"country,name\nKZ,\xff\xfe\n")
    errors = errors_of(tiny_copy)
    assert any(
        e.file == "tiny/links.csv" and e.line == 6 and "3 fields" in e.message for e in errors
    )
    assert any(e.file == "tiny/countries.csv" and "not UTF-8" in e.message for e in errors)


def test_unknown_column_is_a_warning(tiny_copy: Path) -> None:
    rows = read_rows(tiny_copy / "nodes.csv")
    for row in rows:
        row["capacity_tpy"] = ""
    write_rows(tiny_copy / "nodes.csv", rows)
    _, report = read_network(tiny_copy)
    assert report.ok
    assert any(
        w.column == "capacity_tpy" and "unknown column" in w.message for w in report.warnings
    )


def test_load_raises_with_the_full_report(mutate: Mutate) -> None:
    folder = mutate("nodes", "inland", "lat", "99")
    with pytest.raises(ValidationError) as info:
        load(folder)
    assert not info.value.report.ok
    assert "tiny/nodes.csv:2" in str(info.value)


def test_load_unknown_name() -> None:
    with pytest.raises(DatasetNotFoundError, match="neither a bundled dataset"):
        load("atlantis")


def test_bad_network_yaml(tiny_copy: Path) -> None:
    (tiny_copy / "network.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    errors = errors_of(tiny_copy)
    assert any(e.file == "tiny/network.yaml" and "invalid YAML" in e.message for e in errors)


def test_yaml_is_loaded_safely(tiny_copy: Path) -> None:
    (tiny_copy / "network.yaml").write_text(
        "name: !!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8"
    )
    errors = errors_of(tiny_copy)
    # A safe loader refuses the tag; an unsafe one would run it and fail later on the type.
    assert any(e.file == "tiny/network.yaml" and "invalid YAML" in e.message for e in errors)


def test_extends_adds_and_replaces_rows(tmp_path: Path) -> None:
    base = tmp_path / "base"
    shutil.copytree(TINY, base)
    ext = tmp_path / "ext"
    ext.mkdir()
    (ext / "network.yaml").write_text("name: ext\nextends: ../base\n", encoding="utf-8")
    nodes = read_rows(TINY / "nodes.csv")
    new = dict(nodes[3], node_id="far_city", name="Far City", lon="45.0")
    renamed = dict(nodes[0], name="Inland Junction")
    write_rows(ext / "nodes.csv", [renamed, new])
    links = read_rows(TINY / "links.csv")
    write_rows(
        ext / "links.csv",
        [
            dict(
                links[2],
                link_id="city_west__far_city",
                from_node="city_west",
                to_node="far_city",
                distance_km="130",
                distance_km_ref="t-est",
                commodities="",
            )
        ],
    )
    network, report = read_network(ext)
    assert report.ok, report.format_text()
    ids = list(network.nodes["node_id"])
    assert ids.count("inland") == 1 and "far_city" in ids
    assert network.nodes.set_index("node_id").loc["inland", "name"] == "Inland Junction"
    assert len(network.links) == 5
    # An error in the extension is reported against the extension's file.
    set_cell(ext, "nodes", "far_city", "lat", "-100")
    errors = errors_of(ext)
    assert any(e.file == "ext/nodes.csv" and e.line == 3 for e in errors)


def test_extends_unknown_base(tiny_copy: Path) -> None:
    (tiny_copy / "network.yaml").write_text("name: t\nextends: nowhere\n", encoding="utf-8")
    assert any(e.column == "extends" for e in errors_of(tiny_copy))
