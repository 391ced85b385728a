"""Benchmark a 500-point assignment sweep on Dask with 1 and 2 workers.

Run: python bench/bench_sweep.py [--points 500] [--baseline-points 100]

The sweep is the bundled ``caspian-capacity-x-war-risk`` (war-risk premium on Russian ports x
Aktau/Alat container capacity x growth of the 2030 Middle Corridor flows, with Kazakh grain)
turned into a Monte Carlo sample of ``--points`` points; every point applies its scenario to
the bundled network and solves the assignment LP.

Measured in one run:

1. The named baseline: the same points run one after another in this process
   (``corridor.sweeps.run_sequential``), on the first ``--baseline-points`` points.
2. The sweep on a local Dask cluster of 1 worker process, then of 2, each into a fresh
   output folder. Rates count points per second from the first submission to the last
   result (worker warm-up included, cluster start-up excluded and printed apart).

Printed: points/s of each, the ratio of each to the baseline, and the scaling efficiency
rate2 / (2 x rate1). The results of the three runs are compared point by point.
"""

from __future__ import annotations

import argparse
import functools
import os
import tempfile
import time

import pandas as pd

from corridor.sweeps import load_sweep, parse_sweep, prepare, run_sequential, run_sweep, tasks

print = functools.partial(print, flush=True)


def sample_spec(n: int) -> str:
    """The bundled grid sweep as a Monte Carlo sample of ``n`` points."""
    spec = load_sweep("caspian-capacity-x-war-risk")
    data = spec.model_dump(mode="json", exclude_none=True)
    data.pop("grid")
    data["sample"] = {
        "n": n,
        "seed": 0,
        "parameters": {
            "ru_war_risk_pct": {"dist": "uniform", "low": 0.725, "high": 10},
            "caspian_teu_factor": {"dist": "uniform", "low": 1.0, "high": 2.4},
            "middle_2030_growth": {"dist": "lognormal", "median": 1.1, "sigma": 0.15},
        },
    }
    import yaml

    return yaml.safe_dump(data, sort_keys=False)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} on {os.cpu_count()} CPUs"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=500)
    parser.add_argument("--baseline-points", type=int, default=100)
    args = parser.parse_args()

    plan = prepare(parse_sweep(sample_spec(args.points), "bench-sample.yaml"))
    every = tasks(plan)
    print(f"{len(every)} points, job assign (middle-2030 + grain-2024, year 2030); {load()}")

    base = every[: args.baseline_points]
    run_sequential(plan, base[:1])  # warm the network cache and numba outside the timing
    start = time.perf_counter()
    reference = pd.DataFrame(run_sequential(plan, base))
    seq_s = time.perf_counter() - start
    rate0 = len(base) / seq_s
    print(f"baseline, sequential in-process loop: {len(base)} points in {seq_s:.1f} s, "
          f"{rate0:.2f} points/s")  # fmt: skip

    rates: dict[int, float] = {}
    frames: dict[int, pd.DataFrame] = {}
    for workers in (1, 2):
        with tempfile.TemporaryDirectory() as out:
            result = run_sweep(plan, out, workers=workers)
        s = result.summary
        rates[workers] = s.points_per_s
        frames[workers] = result.points
        print(
            f"Dask, {workers} worker(s): {s.points_computed} points in {s.compute_s:.1f} s "
            f"(cluster start {s.startup_s:.1f} s), {s.points_per_s:.2f} points/s = "
            f"{s.points_per_s / rate0:.2f}x baseline; {s.points_failed} failed; {load()}"
        )
    efficiency = rates[2] / (2 * rates[1])
    print(f"speed-up 2 vs 1 worker: {rates[2] / rates[1]:.2f}x; "
          f"scaling efficiency rate2 / (2 x rate1) = {efficiency:.2f}")  # fmt: skip

    columns = [c for c in reference.columns if c not in ("elapsed_s", "status")]
    for w in (1, 2):
        got = frames[w].head(len(base))[columns].reset_index(drop=True)
        try:
            pd.testing.assert_frame_equal(got, reference[columns], check_dtype=False)
            verdict = "equal"
        except AssertionError as exc:
            verdict = f"DIFFERENT: {exc}"
        print(f"{w} worker(s): results of the first {len(base)} points vs sequential: {verdict}")


if __name__ == "__main__":
    main()
