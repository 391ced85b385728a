"""Views derived from a network, cached on disk under the token of its files.

A route from a fresh process takes the network and the views it needs (name indexes, the state
graph, sanction rules, coordinates) from the cache, so it never imports pandas; the answer must
be the same as one computed from the tables, and any change to the files must be seen.
"""

from __future__ import annotations

import functools
import json
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from corridor.datasets import read_network, resolve_network_path
from corridor.io import viewcache
from corridor.model.network import Network, StoredTables

# Runs the CLI, then reports on stderr whether pandas was imported.
RUN = (
    "import atexit, sys\n"
    "atexit.register(lambda: print('PANDAS', 'pandas' in sys.modules, file=sys.stderr))\n"
    "sys.argv = ['corridor', *sys.argv[1:]]\n"
    "from corridor.cli.main import main\n"
    "main()\n"
)


def cli(cache: Path, *args: str) -> tuple[str, bool]:
    env = {"CORRIDOR_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", RUN, *args], capture_output=True, text=True, env=env, timeout=300,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout, "PANDAS True" in done.stderr


@pytest.mark.slow
def test_a_route_from_a_warm_cache_needs_no_pandas_and_gives_the_same_answer(
    tmp_path: Path,
) -> None:
    args = ("route", "--from", "Xian", "--to", "Istanbul", "--k", "2", "--json")
    first, pandas_first = cli(tmp_path, *args)
    again, pandas_again = cli(tmp_path, *args)
    assert pandas_first  # the first run read the tables and computed the views
    assert not pandas_again
    assert json.loads(again) == json.loads(first)
    off, _ = cli(Path("off"), *args)  # no cache at all: everything from the tables
    assert json.loads(off) == json.loads(first)


@pytest.mark.slow
def test_a_changed_file_is_seen_through_the_cached_views(tmp_path: Path) -> None:
    folder = tmp_path / "net"
    shutil.copytree(resolve_network_path("eurasia"), folder)
    cache = tmp_path / "cache"
    args = ("route", "--from", "Xian", "--to", "Istanbul", "--network", str(folder), "--json")
    before = json.loads(cli(cache, *args)[0])
    links = pd.read_csv(folder / "links.csv", dtype=str, keep_default_na=False)
    first_leg = before["routes"][0]["legs"][0]["item_id"]
    row = links["link_id"] == first_leg
    links.loc[row, "distance_km"] = str(float(links.loc[row, "distance_km"].iloc[0]) + 1000)
    links.to_csv(folder / "links.csv", index=False)
    after = json.loads(cli(cache, *args)[0])
    assert (
        after["routes"][0]["totals"]["distance_km"] != before["routes"][0]["totals"]["distance_km"]
    )


def test_a_pickled_network_keeps_its_tables_and_token_and_reads_them_lazily() -> None:
    network, _ = read_network("eurasia")
    restored = pickle.loads(pickle.dumps(network))
    assert isinstance(restored.tables, StoredTables)
    assert restored.token == network.token
    assert restored.content_hash() == network.content_hash()
    assert restored.nodes.equals(network.nodes)


def test_a_network_made_from_another_has_no_token_and_keeps_views_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CORRIDOR_CACHE_DIR", str(tmp_path))
    network, _ = read_network("eurasia")
    assert network.token is not None
    made = Network(meta=network.meta, tables=dict(network.tables), origins=network.origins)
    assert made.token is None
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return 42

    assert viewcache.derived(made, "test_view", (1,), compute) == 42
    assert viewcache.derived(made, "test_view", (1,), compute) == 42
    assert len(calls) == 1
    assert not (tmp_path / "views").exists()
    assert viewcache.derived(network, "test_view", (1,), compute) == 42
    assert len(list((tmp_path / "views").glob("*.pickle"))) == 1


def test_stored_views_are_pruned_to_the_newest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    monkeypatch.setenv("CORRIDOR_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(viewcache, "MAX_STORED_VIEWS", 3)
    network, _ = read_network("eurasia")
    for i in range(5):
        viewcache.derived(network, "test_prune", (i,), functools.partial(int, i))
        for path in (tmp_path / "views").glob("*.pickle"):  # make write order visible
            os.utime(path, (path.stat().st_atime, path.stat().st_mtime - 1))
    assert len(list((tmp_path / "views").glob("*.pickle"))) == 3
    entries = [viewcache._entry(network.token, ("test_prune", i)) for i in range(5)]
    kept = [i for i, entry in enumerate(entries) if entry is not None and entry.exists()]
    assert kept == [2, 3, 4]
