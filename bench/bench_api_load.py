"""Load test of the REST API: concurrent route requests against a server on loopback.

Starts ``corridor serve`` in a subprocess on a free port with a throw-away SQLite database, as
users run it (one worker process per CPU unless ``--workers`` says otherwise), and sends
``POST /api/route`` from ``--concurrency`` connections for ``--duration`` seconds, twice:

``cached``
    the requests cycle through a fixed set of 20 origin-destination pairs, so after the first
    round the server answers from its result cache (the common case of a map page);
``uncached``
    every request is distinct (its CO2 price differs by a tiny amount), so every request computes
    a route, its GeoJSON and its JSON.

``mixed``
    the ``uncached`` route load, while six more connections send heavy simulations
    (n=20,000, k=10) without pause, enough to keep the heavy-work caps full (refused ones
    answer 429), and a separate process asks ``GET /api/health`` every 50 ms (a probe in the
    load client's own event loop would mostly measure that loop's delays). Its targets:
    uncached route p99 under 100 ms and health p99 under 50 ms. The route load comes from the
    same client as the other workloads (``wrk``, in its own process, when installed; the httpx
    client shares its event loop with the heavy load and adds that loop's delays), the heavy
    load from httpx.

The load generator is ``wrk`` (with a Lua script for the POST bodies and its latency
percentiles) when it is installed, otherwise a Python ``httpx`` client, which is much slower and
shares the CPU with the server, so its latencies are pessimistic (the report says which was used).

The baseline is the best route computed in this process through the service layer
(``services.routes_on``: no HTTP, no JSON, no database); the ratios show what the web stack adds.
The ``cached`` workload is the baseline over HTTP: the same stack without the computation.

The machine's load average is printed before and after each round: on a machine shared with
other work, latencies follow it. ``--repeat`` runs every workload that many times (each round
on a fresh server) and reports the spread of the targets' figures.

    .venv/bin/python bench/bench_api_load.py [--duration 20] [--concurrency 50] [--client wrk]
        [--workers N] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np

#: Origin-destination pairs of the cached workload (node ids of the bundled network).
PAIRS = [
    ("xian", "istanbul"),
    ("almaty", "baku"),
    ("urumqi", "duisburg"),
    ("aktau_port", "poti"),
    ("khorgos", "mersin"),
    ("shanghai", "rotterdam"),
    ("lianyungang", "istanbul"),
    ("tashkent", "constanta"),
    ("astana", "hamburg"),
    ("dostyk", "piraeus"),
    ("altynkol", "ankara"),
    ("shymkent", "tbilisi"),
    ("karaganda", "batumi"),
    ("chelyabinsk", "baku"),
    ("moscow", "tehran"),
    ("almaty", "warsaw"),
    ("xian", "mersin"),
    ("tashkent", "istanbul"),
    ("urumqi", "malaszewicze"),
    ("astana", "poti"),
]

TARGET_P99_MS = 100.0
TARGET_HEALTH_P99_MS = 50.0
HEAVY = {"origin": "xian", "destination": "istanbul", "n": 20000, "k": 10}

LUA = """
local pairs_ = {%(pairs)s}
local distinct = %(distinct)s
local counter = 0
local next_id = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
end

function request()
  counter = counter + 1
  local p = pairs_[(counter %% #pairs_) + 1]
  local body
  if distinct then
    -- a CO2 price unique to this thread and request: a cache miss every time
    local price = (tid * 10000000 + counter) / 10000
    body = string.format('{"origin":"%%s","destination":"%%s","co2_price_usd_per_t":%%.4f}',
                         p[1], p[2], price)
  else
    body = string.format('{"origin":"%%s","destination":"%%s"}', p[1], p[2])
  end
  return wrk.format(nil, "/api/route", nil, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests":%%d,"duration_us":%%d,"errors":%%d,"p50_us":%%d,"p99_us":%%d,"max_us":%%d}\\n',
    summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


@dataclass(frozen=True)
class Load:
    """What one workload measured."""

    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float

    @property
    def rate(self) -> float:
        """Requests per second."""
        return self.requests / self.seconds


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def baseline(rounds: int) -> np.ndarray:
    """Seconds per best route through the service layer, in this process."""
    from corridor import services

    network, _ = services.find_routes("eurasia", *PAIRS[0])  # load and compile once
    for origin, destination in PAIRS:  # every pair has a route
        services.routes_on(network, origin, destination)
    times = []
    for i in range(rounds):
        origin, destination = PAIRS[i % len(PAIRS)]
        start = time.perf_counter()
        services.routes_on(network, origin, destination)
        times.append(time.perf_counter() - start)
    return np.array(times)


def body(i: int, distinct: bool) -> dict[str, object]:
    origin, destination = PAIRS[i % len(PAIRS)]
    request: dict[str, object] = {"origin": origin, "destination": destination}
    if distinct:
        request["co2_price_usd_per_t"] = round(1000 + i / 10000, 4)
    return request


def wait_ready(base: str, proc: subprocess.Popen[bytes], timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with code {proc.returncode}")
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                # The first routes compile the kernels (in every worker); do it before timing.
                for i in range(2 * len(PAIRS)):
                    reply = httpx.post(f"{base}/api/route", json=body(i, True), timeout=120)
                    reply.raise_for_status()
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit("server did not start")


def run_wrk(base: str, concurrency: int, duration_s: float, distinct: bool) -> Load:
    """Load with wrk; its Lua ``done`` hook prints the summary as JSON."""
    pairs = ", ".join(f'{{"{o}", "{d}"}}' for o, d in PAIRS)
    script = LUA % {"pairs": pairs, "distinct": "true" if distinct else "false"}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "route.lua"
        path.write_text(script, encoding="utf-8")
        threads = min(2, concurrency)
        done = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{concurrency}", f"-d{duration_s:.0f}s", "--latency",
             "--timeout", "10s", "-s", str(path), base],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
    line = next(x for x in done.stdout.splitlines() if x.startswith("WRK "))
    data = json.loads(line[4:])
    return Load(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        errors=data["errors"],
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
    )


async def run_httpx(base: str, concurrency: int, duration_s: float, distinct: bool) -> Load:
    """Load with an asyncio httpx client (fallback without wrk)."""
    latencies: list[float] = []
    errors = 0
    counter = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        begin = time.monotonic()
        stop = begin + duration_s

        async def worker() -> None:
            nonlocal errors, counter
            while time.monotonic() < stop:
                counter += 1
                start = time.perf_counter()
                try:
                    response = await client.post("/api/route", json=body(counter, distinct))
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - start)
                errors += not ok

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.monotonic() - begin
    p50, p99 = np.percentile(np.array(latencies) * 1000, [50, 99])
    return Load(len(latencies), elapsed, errors, float(p50), float(p99))


@dataclass(frozen=True)
class Mixed:
    """What the mixed workload measured."""

    route: Load
    health_p99_ms: float
    health_errors: int
    heavy_done: int
    heavy_refused: int
    heavy_other: int


#: The health probe of the mixed workload, run in its own process: GET /api/health every
#: 50 ms for the given seconds; prints the latencies (s) and the number of errors as JSON.
HEALTH_PROBE = """
import json, sys, time
import httpx
base, duration = sys.argv[1], float(sys.argv[2])
seconds, errors = [], 0
with httpx.Client(base_url=base, timeout=30) as client:
    stop = time.monotonic() + duration
    while time.monotonic() < stop:
        start = time.perf_counter()
        try:
            ok = client.get("/api/health").status_code == 200
        except httpx.HTTPError:
            ok = False
        seconds.append(time.perf_counter() - start)
        errors += not ok
        time.sleep(0.05)
print(json.dumps({"seconds": seconds, "errors": errors}))
"""


async def run_mixed(base: str, concurrency: int, duration_s: float, client_: str) -> Mixed:
    """Uncached routes, heavy simulations saturating the caps and a health probe, at once.

    The route load comes from ``client_`` (``wrk`` in its own process, or the httpx client
    shared with the heavy load); the heavy load always from httpx.
    """
    route_times: list[float] = []
    route_errors = 0
    heavy = {"done": 0, "refused": 0, "other": 0}
    counter = 0
    limits = httpx.Limits(
        max_connections=concurrency + 8, max_keepalive_connections=concurrency + 8
    )
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        begin = time.monotonic()
        stop = begin + duration_s

        async def router_() -> None:
            nonlocal route_errors, counter
            while time.monotonic() < stop:
                counter += 1
                start = time.perf_counter()
                try:
                    ok = (await client.post("/api/route", json=body(counter, True))).status_code
                    ok = ok == 200
                except httpx.HTTPError:
                    ok = False
                route_times.append(time.perf_counter() - start)
                route_errors += not ok

        async def heavy_() -> None:
            while time.monotonic() < stop:
                try:
                    status = (await client.post("/api/simulate", json=HEAVY)).status_code
                except httpx.HTTPError:
                    status = 0
                key = "done" if status == 200 else "refused" if status == 429 else "other"
                heavy[key] += 1
                if status == 429:
                    await asyncio.sleep(0.05)

        probe = subprocess.Popen(
            [sys.executable, "-c", HEALTH_PROBE, base, str(duration_s)],
            stdout=subprocess.PIPE,
            text=True,
        )
        heavy_load = [heavy_() for _ in range(6)]
        routes: Load | None = None
        if client_ == "wrk":
            routes, *_ = await asyncio.gather(
                asyncio.to_thread(run_wrk, base, concurrency, duration_s, True), *heavy_load
            )
        else:
            await asyncio.gather(*(router_() for _ in range(concurrency)), *heavy_load)
        elapsed = time.monotonic() - begin
        out, _ = probe.communicate(timeout=duration_s + 120)
        measured = json.loads(out)
        health_times, health_errors = measured["seconds"], measured["errors"]
    if client_ != "wrk" or routes is None:
        p50, p99 = np.percentile(np.array(route_times) * 1000, [50, 99])
        routes = Load(len(route_times), elapsed, route_errors, float(p50), float(p99))
    health_p99 = float(np.percentile(np.array(health_times) * 1000, 99))
    return Mixed(routes, health_p99, health_errors, heavy["done"], heavy["refused"], heavy["other"])


def load_average() -> str:
    """The machine's 1, 5 and 15 minute load averages, as ``uptime`` prints them."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


@dataclass(frozen=True)
class Round:
    """One round: every workload against a fresh server."""

    results: dict[str, Load]
    mixed: Mixed
    load_before: str
    load_after: str

    @property
    def route_ok(self) -> bool:
        r = self.mixed.route
        return r.p99_ms < TARGET_P99_MS and r.errors == 0

    @property
    def health_ok(self) -> bool:
        m = self.mixed
        return m.health_p99_ms < TARGET_HEALTH_P99_MS and m.health_errors == 0


def one_round(client: str, concurrency: int, duration_s: float, workers: int | None) -> Round:
    """Start a server, run the cached, uncached and mixed workloads, stop it."""
    load_before = load_average()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    results: dict[str, Load] = {}
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "CORRIDOR_DATA_DIR": data_dir}
        env.pop("CORRIDOR_DATABASE_URL", None)
        env.pop("CORRIDOR_WORKERS", None)
        command = [sys.executable, "-m", "corridor.web", "--port", str(port)]
        command += ["--log-level", "warning"]
        if workers is not None:
            command += ["--workers", str(workers)]
        proc = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            wait_ready(base, proc)
            for name, distinct in (("cached", False), ("uncached", True)):
                if client == "wrk":
                    results[name] = run_wrk(base, concurrency, duration_s, distinct)
                else:
                    results[name] = asyncio.run(run_httpx(base, concurrency, duration_s, distinct))
            mixed = asyncio.run(run_mixed(base, concurrency, duration_s, client))
        finally:
            proc.terminate()
            proc.wait(timeout=90)
    return Round(results, mixed, load_before, load_average())


def report(round_: Round, b50: float, b99: float, concurrency: int, client: str) -> None:
    """Print one round's table and the targets' verdicts."""
    print(f"machine load average before {round_.load_before}; after {round_.load_after}")
    header = f"{'workload':<10}{'requests':>9}{'req/s':>8}{'errors':>8}"
    header += f"{'p50 ms':>9}{'p99 ms':>9}{'p50/base':>10}{'p99/base':>10}  target p99<100ms"
    print(header)
    for name, r in round_.results.items():
        met = "met" if r.p99_ms < TARGET_P99_MS and r.errors == 0 else "NOT met"
        print(
            f"{name:<10}{r.requests:>9}{r.rate:>8.0f}{r.errors:>8}{r.p50_ms:>9.1f}"
            f"{r.p99_ms:>9.1f}{r.p50_ms / b50:>9.1f}x{r.p99_ms / b99:>9.1f}x  {met}"
        )
    mixed = round_.mixed
    r = mixed.route
    print(
        f"mixed ({concurrency} uncached route connections from {client}, 6 heavy simulate "
        f"connections from httpx, a health probe every 50 ms from another process):"
    )
    print(
        f"  uncached route: {r.requests} requests, {r.rate:.0f} req/s, {r.errors} errors, "
        f"p50 {r.p50_ms:.1f} ms, p99 {r.p99_ms:.1f} ms (target < {TARGET_P99_MS:.0f} ms): "
        f"{'PASS' if round_.route_ok else 'FAIL'}"
    )
    print(
        f"  health: p99 {mixed.health_p99_ms:.1f} ms, {mixed.health_errors} errors "
        f"(target < {TARGET_HEALTH_P99_MS:.0f} ms): {'PASS' if round_.health_ok else 'FAIL'}"
    )
    print(
        f"  heavy simulate: {mixed.heavy_done} done, {mixed.heavy_refused} refused with 429, "
        f"{mixed.heavy_other} other"
    )


def spread(values: list[float]) -> str:
    """``min / median / max`` of some figures."""
    low, mid, high = np.percentile(np.array(values), [0, 50, 100])
    return f"{low:.1f} / {mid:.1f} / {high:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=20.0, help="Seconds per workload.")
    parser.add_argument("--concurrency", type=int, default=50, help="Connections in flight.")
    parser.add_argument("--client", choices=["auto", "wrk", "httpx"], default="auto")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="Server worker processes (default: as 'corridor serve' chooses, one per CPU).",
    )
    parser.add_argument("--repeat", type=int, default=1, help="Rounds, each on a fresh server.")
    args = parser.parse_args()

    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "httpx"
        if client == "httpx":
            print(
                "note: wrk is not installed (e.g. 'apt-get install wrk'); using the Python httpx "
                "client, which competes with the server for CPU: latencies are pessimistic."
            )

    from corridor.web.settings import default_workers

    workers = args.workers if args.workers is not None else default_workers()
    base_times = baseline(500) * 1000
    b50, b99 = np.percentile(base_times, [50, 99])
    print(
        f"cpus: {os.cpu_count()}; server workers: {workers}; client: {client}; "
        f"{args.concurrency} connections for {args.duration:.0f} s per workload"
    )
    print(f"baseline (in-process services.routes_on): p50 {b50:.2f} ms  p99 {b99:.2f} ms")
    rounds: list[Round] = []
    for i in range(args.repeat):
        if args.repeat > 1:
            print(f"--- round {i + 1} of {args.repeat}")
        rounds.append(one_round(client, args.concurrency, args.duration, args.workers))
        report(rounds[-1], b50, b99, args.concurrency, client)
        sys.stdout.flush()
    if len(rounds) > 1:
        print(f"--- spread over {len(rounds)} rounds (min / median / max)")
        for name in rounds[0].results:
            p99s = [r.results[name].p99_ms for r in rounds]
            rates = [r.results[name].rate for r in rounds]
            print(f"  {name:<9} p99 ms {spread(p99s)}; req/s {spread(rates)}")
        print(f"  mixed uncached route p99 ms {spread([r.mixed.route.p99_ms for r in rounds])}")
        print(f"  mixed health p99 ms {spread([r.mixed.health_p99_ms for r in rounds])}")
        passed = sum(r.route_ok and r.health_ok for r in rounds)
        print(f"  targets (route p99 < 100 ms and health p99 < 50 ms) met in {passed} of "
              f"{len(rounds)} rounds")  # fmt: skip


if __name__ == "__main__":
    main()
