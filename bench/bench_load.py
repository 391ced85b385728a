"""Benchmark: loading the bundled network, against plain pandas CSV reading.

Baseline: ``pandas.read_csv`` of the seven table files with no typing or validation. Measured:
corridor's CSV reader (typed parse), full load with cross-table validation, and the Parquet
reader. Prints median times and ratios to the baseline from the same run.

Run: ``.venv/bin/python bench/bench_load.py``
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from corridor.datasets import read_network, resolve_network_path
from corridor.io.folder import read_folder, write_folder
from corridor.model.schema import TABLES


def median_seconds(fn: Callable[[], object], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    folder = resolve_network_path("eurasia")
    with tempfile.TemporaryDirectory() as tmp:
        network, _ = read_network("eurasia")
        write_folder(network, Path(tmp), "parquet")
        cases: dict[str, Callable[[], object]] = {
            "baseline: pandas.read_csv x7": lambda: [
                pd.read_csv(folder / f"{name}.csv") for name in TABLES
            ],
            "read_folder (csv, typed)": lambda: read_folder(folder),
            "read_network (csv, typed + validated)": lambda: read_network("eurasia"),
            "read_folder (parquet, typed)": lambda: read_folder(Path(tmp)),
        }
        base = None
        print(f"{'case':42} {'median ms':>10} {'ratio':>7}")
        for name, fn in cases.items():
            seconds = median_seconds(fn)
            base = base or seconds
            print(f"{name:42} {seconds * 1e3:10.1f} {seconds / base:7.1f}x")


if __name__ == "__main__":
    main()
