"""Acknowledged runs survive a crash, and a graceful stop writes every queued run.

A server runs in a subprocess on loopback with a SQLite database. A burst of route requests
comes from a few threads while another connection holds the database's write lock for part
of the time (a stalled writer); the server is then killed with SIGKILL at a random moment.
Every run the API acknowledged as stored (``"stored": true``) must be in the database after
the crash. The server runs as users run it (``corridor serve``, with its worker processes on a
machine of several cores), and the kill takes all of its processes at once. Every load is
bounded in requests and seconds.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow

ROUTE = {"origin": "xian", "destination": "istanbul"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _server(
    data_dir: Path, extra_env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = _free_port()
    env = {**os.environ, "CORRIDOR_DATA_DIR": str(data_dir), "CORRIDOR_STORE_WAIT_S": "1"}
    env.update(extra_env or {})
    env.pop("CORRIDOR_DATABASE_URL", None)
    env.pop("CORRIDOR_API_TOKEN", None)
    log = (data_dir / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "corridor.web", "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: a kill takes the workers too
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert proc.poll() is None, (data_dir / "server.log").read_text()
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail("the server did not start in 120 s")
        assert httpx.post(f"{base}/api/route", json=ROUTE, timeout=60).status_code == 200
        yield base, proc
    finally:
        if proc.poll() is None:
            _kill_all(proc)
        proc.wait(timeout=30)
        log.close()


def _kill_all(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the server and its worker processes at once (a crash of the machine's server)."""
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


@contextmanager
def _locked(database: Path) -> Iterator[None]:
    """Hold the database's write lock (as another process's long transaction would)."""
    connection = sqlite3.connect(database, timeout=10, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        yield
    finally:
        connection.execute("ROLLBACK")
        connection.close()


def _burst(base: str, stop: threading.Event, replies: list[tuple[str, bool]]) -> None:
    with httpx.Client(base_url=base, timeout=30) as client:
        for _ in range(2000):
            if stop.is_set():
                return
            try:
                reply = client.post("/api/route", json=ROUTE)
            except httpx.TransportError:
                return
            if reply.status_code == 200:
                body = reply.json()
                replies.append((body["run_id"], bool(body.get("stored", True))))


def _stored_ids(database: Path) -> set[str]:
    with sqlite3.connect(database, timeout=30) as connection:
        return {row[0] for row in connection.execute("SELECT run_id FROM runs")}


def test_runs_acknowledged_as_stored_survive_a_kill(tmp_path: Path) -> None:
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    database = tmp_path / "corridor.db"
    replies: list[tuple[str, bool]] = []
    with _server(tmp_path) as (base, proc):
        stop = threading.Event()
        threads = [
            threading.Thread(target=_burst, args=(base, stop, replies), daemon=True)
            for _ in range(6)
        ]
        for thread in threads:
            thread.start()
        try:
            time.sleep(rng.uniform(0.3, 1.0))
            # The writer stalls for a while; the kill comes during the stall or soon after.
            stall_s = rng.uniform(1.5, 3.0)
            kill_at = rng.uniform(0.5, stall_s + 0.5)
            with _locked(database):
                time.sleep(min(kill_at, stall_s))
                if kill_at < stall_s:
                    _kill_all(proc)
            if proc.poll() is None:
                time.sleep(kill_at - stall_s)
                _kill_all(proc)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
    acknowledged = {run_id for run_id, stored in replies if stored}
    assert acknowledged, f"no answer said stored (seed {seed})"
    lost = acknowledged - _stored_ids(database)
    assert not lost, f"{len(lost)} of {len(acknowledged)} acknowledged runs lost (seed {seed})"


def test_a_graceful_stop_waits_for_a_locked_database(tmp_path: Path) -> None:
    database = tmp_path / "corridor.db"
    replies: list[tuple[str, bool]] = []
    # A short busy timeout (2 s) so that the lock can outlast it twice in a few seconds.
    with _server(tmp_path, {"CORRIDOR_SQLITE_BUSY_MS": "2000"}) as (base, proc):
        stop = threading.Event()
        with _locked(database):
            threads = [
                threading.Thread(target=_burst, args=(base, stop, replies), daemon=True)
                for _ in range(4)
            ]
            for thread in threads:
                thread.start()
            time.sleep(2.5)
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
            proc.send_signal(signal.SIGTERM)
            # The lock outlasts twice the database's busy timeout (2 s) before it is
            # released: the writer must keep trying rather than drop what it holds.
            time.sleep(5)
        # uvicorn re-raises the signal after its graceful shutdown.
        assert proc.wait(timeout=90) in (0, -signal.SIGTERM)
    answered = {run_id for run_id, _ in replies}
    assert answered
    lost = answered - _stored_ids(database)
    assert not lost, f"{len(lost)} of {len(answered)} answered runs lost on SIGTERM"
