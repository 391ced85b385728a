"""Load test of the REST API: concurrent route requests against a server on loopback.

Starts ``corridor serve`` in a subprocess on a free port with a throw-away SQLite database,
sends route requests from ``--concurrency`` clients for ``--duration`` seconds, and reports
latency percentiles, throughput and errors. The baseline is the same route computed in this
process through the service layer (no HTTP, no JSON, no database); the ratio shows what the
web stack adds.

    .venv/bin/python bench/bench_api_load.py [--duration 20] [--concurrency 50]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time

import httpx
import numpy as np

PAIRS = [
    ("Xian", "Istanbul"),
    ("Almaty", "Baku"),
    ("Urumqi", "Duisburg"),
    ("Aktau", "Poti"),
    ("Khorgos", "Mersin"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def baseline(rounds: int) -> np.ndarray:
    from corridor import services

    network, _ = services.find_routes("eurasia", *PAIRS[0])  # load and compile once
    times = []
    for i in range(rounds):
        origin, destination = PAIRS[i % len(PAIRS)]
        start = time.perf_counter()
        services.routes_on(network, origin, destination)
        times.append(time.perf_counter() - start)
    return np.array(times)


def wait_ready(base: str, proc: subprocess.Popen[bytes], timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with code {proc.returncode}")
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                # The first route compiles the kernels; do it before timing.
                httpx.post(f"{base}/api/route", json={"origin": "Xian", "destination": "Baku"},
                           timeout=120)  # fmt: skip
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit("server did not start")


async def load(base: str, concurrency: int, duration_s: float) -> tuple[list[float], int, int]:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        stop = time.monotonic() + duration_s

        async def worker(seed: int) -> None:
            nonlocal errors
            i = seed
            while time.monotonic() < stop:
                origin, destination = PAIRS[i % len(PAIRS)]
                i += 1
                start = time.perf_counter()
                try:
                    response = await client.post(
                        "/api/route", json={"origin": origin, "destination": destination}
                    )
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - start)
                errors += not ok

        await asyncio.gather(*(worker(s) for s in range(concurrency)))
    return latencies, errors, len(latencies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=50)
    args = parser.parse_args()

    base_times = baseline(500)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "CORRIDOR_DATA_DIR": data_dir}
        env.pop("CORRIDOR_DATABASE_URL", None)
        proc = subprocess.Popen(
            [sys.executable, "-m", "corridor.web", "--port", str(port), "--log-level", "warning"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_ready(base, proc)
            latencies, errors, total = asyncio.run(load(base, args.concurrency, args.duration))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    lat = np.array(latencies) * 1000
    b = base_times * 1000
    p50, p99 = np.percentile(lat, [50, 99])
    b50, b99 = np.percentile(b, [50, 99])
    print(f"cpus: {os.cpu_count()}; {args.concurrency} clients for {args.duration:.0f} s")
    print(f"baseline (in-process services.routes_on): p50 {b50:.2f} ms  p99 {b99:.2f} ms")
    print(
        f"HTTP POST /api/route: {total} requests, {total / args.duration:.0f} req/s, "
        f"{errors} errors; p50 {p50:.1f} ms  p99 {p99:.1f} ms"
    )
    print(f"ratio HTTP / in-process: p50 {p50 / b50:.1f}x  p99 {p99 / b99:.1f}x")
    print(f"target p99 < 100 ms: {'met' if p99 < 100 else 'NOT met'}")


if __name__ == "__main__":
    main()
