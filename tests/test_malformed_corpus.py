"""A corpus of malformed inputs: every one gives a located error, none a traceback, a hang or a
wrong success.

Cases are made from the schema (every numeric column of the tiny network gets text, NaN,
infinity, an overflow and, where it has a minimum, a value below it; every reference column an
unknown id), plus hand-written ones for geometry, ``extends``, YAML metadata and files. Each
is read with :func:`corridor.datasets.read_network`, which must return a report naming the
file, the line and the column; a sample also goes through ``corridor data check``.
"""

from __future__ import annotations

import csv
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import PROFILE, TINY, read_rows, run_cli, write_rows

from corridor.datasets import read_network
from corridor.model.schema import table_schema

Mutation = Callable[[Path], None]


def _set(table: str, column: str, value: str, row: int = 0) -> Mutation:
    def mutate(folder: Path) -> None:
        path = folder / f"{table}.csv"
        rows = read_rows(path)
        with path.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        if column not in header:
            header.append(column)
            for r in rows:
                r.setdefault(column, "")
        rows[row][column] = value
        write_rows(path, rows, header)

    return mutate


def _write(name: str, text: str) -> Mutation:
    def mutate(folder: Path) -> None:
        (folder / name).write_text(text, encoding="utf-8")

    return mutate


def _tables() -> list[str]:
    return sorted(p.stem for p in TINY.glob("*.csv"))


def _schema_cases() -> dict[str, tuple[Mutation, str, str]]:
    """(mutation, file, column) for every numeric and reference column of the tiny tables."""
    cases: dict[str, tuple[Mutation, str, str]] = {}
    for table in _tables():
        rows = read_rows(TINY / f"{table}.csv")
        if not rows:
            continue
        schema = table_schema(table)
        for column in schema.columns:
            name = column.name
            if column.dtype in ("float", "int"):
                bad = ["abc", "nan", "inf", "-inf", "1e400"]
                if column.minimum is not None:
                    bad.append(str(column.minimum - 1000))
                if column.maximum is not None:
                    bad.append(str(column.maximum + 1000))
                for value in bad:
                    cases[f"{table}.{name}={value}"] = (_set(table, name, value), table, name)
            if column.references and not column.references.startswith("sources."):
                value = "no_such_id"
                cases[f"{table}.{name}->{value}"] = (_set(table, name, value), table, name)
            if column.allowed:
                cases[f"{table}.{name}=not-allowed"] = (
                    _set(table, name, "not-allowed"),
                    table,
                    name,
                )
    return cases


HAND: dict[str, tuple[Mutation, str, str | None]] = {
    "geometry with a one-number point": (
        _set("links", "geometry", "LINESTRING (1 2, 3)"),
        "links",
        "geometry",
    ),
    "geometry with one point": (_set("links", "geometry", "LINESTRING (1 2)"), "links", "geometry"),
    "geometry that is a point": (_set("links", "geometry", "POINT (1 2)"), "links", "geometry"),
    "geometry with text": (
        _set("links", "geometry", "LINESTRING (1 2, 3 4, x y)"),
        "links",
        "geometry",
    ),
    "geometry off the globe": (
        _set("links", "geometry", "LINESTRING (200 2, 3 4)"),
        "links",
        "geometry",
    ),
    "geometry not closed": (
        _set("links", "geometry", "LINESTRING (1 2, 3 4"),
        "links",
        "geometry",
    ),
    "duplicate node id": (_set("nodes", "node_id", "port_east", row=0), "nodes", "node_id"),
    "empty required id": (_set("links", "link_id", ""), "links", "link_id"),
    "latitude 123": (_set("nodes", "lat", "123"), "nodes", "lat"),
    "extends nowhere": (
        _write("network.yaml", "name: t\nextends: nowhere\n"),
        "network",
        "extends",
    ),
    "extends itself": (_write("network.yaml", "name: t\nextends: .\n"), "network", "extends"),
    "metadata not a mapping": (_write("network.yaml", "- a\n- b\n"), "network", None),
    "metadata not YAML": (_write("network.yaml", "name: [unclosed\n"), "network", None),
    "metadata with infinity": (_write("network.yaml", "name: t\nversion: .inf\n"), "network", None),
    "links file empty": (_write("links.csv", ""), "links", None),
    "links header only of other columns": (_write("links.csv", "a,b\n1,2\n"), "links", None),
}

CASES = {**_schema_cases(), **HAND}
# The developer's fast loop reads every fifth generated case and every hand-written one; CI
# reads them all.
RUN = (
    CASES
    if PROFILE != "fast"
    else {k: v for i, (k, v) in enumerate(sorted(CASES.items())) if k in HAND or i % 5 == 0}
)


def test_the_corpus_is_large() -> None:
    assert len(CASES) >= 150, len(CASES)


@pytest.mark.parametrize("case", sorted(RUN))
def test_malformed_input_gives_a_located_error(case: str, tmp_path: Path) -> None:
    mutate, file, column = CASES[case]
    folder = tmp_path / "net"
    shutil.copytree(TINY, folder)
    mutate(folder)
    start = time.perf_counter()
    _, report = read_network(folder)
    assert time.perf_counter() - start < 10
    assert not report.ok, f"{case}: accepted"
    located = [p for p in report.errors if file in p.file]
    assert located, f"{case}: no error in {file}: {report.format_text()}"
    if column is not None:
        assert any(p.column == column for p in located), report.format_text()
        assert any(p.line is not None for p in located if p.column == column)


def test_two_folders_that_extend_each_other_are_one_located_error(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(TINY, a)
    b.mkdir()
    (a / "network.yaml").write_text("name: a\nextends: ../b\n", encoding="utf-8")
    (b / "network.yaml").write_text("name: b\nextends: ../a\n", encoding="utf-8")
    result = run_cli("data", "check", a)
    assert result.returncode == 1
    assert "extends" in result.stdout and "circular" in result.stdout
    assert "File name too long" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "case",
    ["geometry with a one-number point", "links.distance_km=inf", "nodes.lat=nan"],
)
def test_data_check_and_export_refuse_without_a_traceback(case: str, tmp_path: Path) -> None:
    mutate, _, _ = CASES[case]
    folder = tmp_path / "net"
    shutil.copytree(TINY, folder)
    mutate(folder)
    check = run_cli("data", "check", folder)
    assert check.returncode == 1 and "error" in check.stdout
    export = run_cli("data", "export", tmp_path / "out", "--network", folder, "--format", "geojson")
    assert export.returncode == 1
    assert "Traceback" not in export.stdout + export.stderr
    assert not (tmp_path / "out" / "links.geojson").exists()
