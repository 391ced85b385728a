"""Benchmark the Monte Carlo simulation against a plain Python loop.

Run: python bench/bench_simulate.py

Target (issue: risk and reliability): 100,000 samples for 10 alternative routes on the bundled
network in under 1 s on one core. The baseline is the same model sampled with a Python loop
(random.lognormvariate per term and sample), timed on 10,000 samples and scaled to 100,000.
"""

from __future__ import annotations

import math
import random
import time

from corridor import alternatives, load
from corridor.risk.simulate import exposure, simulate


def python_loop(exposures, n: int, seed: int) -> list[list[float]]:
    rand = random.Random(seed)
    out = []
    for exp in exposures:
        samples = []
        for _ in range(n):
            total = exp.fixed_h
            for term in exp.terms:
                total += term.base_h * rand.lognormvariate(0.0, term.sigma)
            for hit in exp.hits:
                if rand.random() < hit.probability:
                    if hit.distribution == "exponential":
                        total += rand.expovariate(math.log(2) / hit.median_h)
                    else:
                        total += hit.median_h * rand.lognormvariate(0.0, hit.sigma)
            samples.append(total)
        out.append(samples)
    return out


def main() -> None:
    net = load()
    routes = alternatives(net, "Xian", "Istanbul", "container", k=5, diverse=True)
    routes += alternatives(net, "Kostanay", "Istanbul", "grain", k=5, diverse=True)
    routes = routes[:10]
    simulate(net, routes, n=1000, seed=0)  # warm up

    n = 100_000
    start = time.perf_counter()
    results = simulate(net, routes, n=n, seed=0, month=11)
    ours = time.perf_counter() - start

    exposures = [exposure(net, r, month=11) for r in routes]
    small = 10_000
    start = time.perf_counter()
    python_loop(exposures, small, 0)
    loop = (time.perf_counter() - start) * n / small

    terms = sum(len(e.terms) + len(e.hits) for e in exposures)
    print(f"{len(routes)} routes, {terms} random terms in all, {n:,} samples per route")
    print(f"numpy (ours):             {ours * 1e3:8.1f} ms   (target < 1000 ms)")
    print(f"python loop (baseline):   {loop * 1e3:8.1f} ms   (10,000 samples, scaled)")
    print(f"loop/ours = {loop / ours:.0f}x")
    print(f"target < 1 s: {'PASS' if ours < 1.0 else 'FAIL'}")
    for r in results[:3]:
        d = r.to_dict()
        print(
            f"  {d['corridor']:28s} P50 {d['p50_time_days']:.1f} d  P90 {d['p90_time_days']:.1f} d"
        )


if __name__ == "__main__":
    main()
