"""The on-disk cache of validated networks: used while files are unchanged, never after."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import TINY, set_cell

from corridor import datasets
from corridor.datasets import network_folders, read_network
from corridor.io import diskcache


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CORRIDOR_CACHE_DIR", str(folder))
    return folder


def counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count real reads of a network folder (cache misses)."""
    calls: list[str] = []
    from corridor.io import folder as folder_module

    real = folder_module.read_folder

    def spy(path: Path, *args: object, **kwargs: object) -> object:
        calls.append(str(path))
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(folder_module, "read_folder", spy)
    return calls


def test_a_second_read_comes_from_the_cache_and_is_equal(
    cache: Path, tiny_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = counting(monkeypatch)
    first, report = read_network(tiny_copy)
    second, again = read_network(tiny_copy)
    assert len(calls) == 1
    assert second is not first and second.content_hash() == first.content_hash()
    assert again.ok and report.ok
    assert list((cache / "networks").glob("*.pickle"))


def test_an_edited_added_or_removed_file_reads_afresh(
    cache: Path, tiny_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = counting(monkeypatch)
    read_network(tiny_copy)
    set_cell(tiny_copy, "nodes", "inland", "lat", "123")
    _, report = read_network(tiny_copy)
    assert len(calls) == 2 and not report.ok  # the edit is seen: the latitude is out of range
    set_cell(tiny_copy, "nodes", "inland", "lat", "43")
    read_network(tiny_copy)
    (tiny_copy / "notes.txt").write_text("x", encoding="utf-8")
    read_network(tiny_copy)
    (tiny_copy / "notes.txt").unlink()
    read_network(tiny_copy)
    assert len(calls) == 5
    read_network(tiny_copy)
    assert len(calls) == 5


def test_an_edit_of_the_extended_folder_reads_afresh(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, ext = tmp_path / "base", tmp_path / "ext"
    shutil.copytree(TINY, base)
    ext.mkdir()
    (ext / "network.yaml").write_text("name: ext\nextends: ../base\n", encoding="utf-8")
    assert [p.resolve() for p in network_folders(ext)] == [ext.resolve(), base.resolve()]
    calls = counting(monkeypatch)
    read_network(ext)
    read_network(ext)
    assert len(calls) == 2  # the extension and its base, read once
    set_cell(base, "links", "inland__port_east__rail_1520", "distance_km", "700")
    network, _ = read_network(ext)
    assert len(calls) == 4
    links = network.tables["links"].set_index("link_id")
    assert links.loc["inland__port_east__rail_1520", "distance_km"] == 700


def test_circular_extends_ends_the_folder_list(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "network.yaml").write_text("extends: ../b\n", encoding="utf-8")
    (b / "network.yaml").write_text("extends: ../a\n", encoding="utf-8")
    assert [p.name for p in network_folders(a)] == ["a", "b"]


def test_off_and_unreadable_entries_fall_back_to_reading(
    cache: Path, tiny_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = counting(monkeypatch)
    read_network(tiny_copy)
    for entry in (cache / "networks").glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    _, report = read_network(tiny_copy)
    assert report.ok and len(calls) == 2
    monkeypatch.setenv("CORRIDOR_CACHE_DIR", "off")
    assert diskcache.cache_dir() is None
    read_network(tiny_copy)
    read_network(tiny_copy)
    assert len(calls) == 4


def test_the_report_names_what_was_asked_for(cache: Path, tiny_copy: Path) -> None:
    read_network(tiny_copy)
    _, report = read_network(str(tiny_copy))
    assert report.source == str(tiny_copy)
    assert datasets.load(tiny_copy).meta.name == "tiny"
