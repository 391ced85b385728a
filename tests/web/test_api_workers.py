"""``corridor serve --workers N``: several processes share the port, the caps and the database.

Each worker process has its own caps on heavy work and its own job queue, so they take a share
of the server-wide settings; the command migrates the database and fails interrupted jobs once,
before the workers start (a worker started later must not fail its siblings' jobs); a worker
whose main process is killed stops by itself.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from corridor.web.app import create_app
from corridor.web.db.store import Store
from corridor.web.settings import MAX_PENDING_JOBS, Settings, sqlite_url


def _settings(tmp_path: Path, **fields: object) -> Settings:
    return Settings.from_env({"CORRIDOR_DATA_DIR": str(tmp_path)}, **fields)


def test_each_worker_takes_its_share_of_the_caps(tmp_path: Path) -> None:
    settings = _settings(tmp_path, workers=2, max_heavy_per_kind=4, max_heavy_per_client=3)
    ctx = create_app(settings).state.ctx
    assert (ctx.limiter.per_kind, ctx.limiter.per_client) == (2, 1)
    assert ctx.jobs.max_pending == MAX_PENDING_JOBS // 2
    single = create_app(_settings(tmp_path, max_heavy_per_kind=4)).state.ctx
    assert single.limiter.per_kind == 4 and single.jobs.max_pending == MAX_PENDING_JOBS


def test_the_worker_count_is_read_from_the_environment(tmp_path: Path) -> None:
    env = {"CORRIDOR_DATA_DIR": str(tmp_path), "CORRIDOR_WORKERS": "3"}
    assert Settings.from_env(env).workers == 3
    assert Settings.from_env({"CORRIDOR_DATA_DIR": str(tmp_path)}).workers == 1


def test_a_worker_app_leaves_the_jobs_of_its_siblings_alone(tmp_path: Path) -> None:
    store = Store(sqlite_url(tmp_path))
    store.migrate()
    queued = store.add_run("assign", {}, network="eurasia", status="queued")
    create_app(_settings(tmp_path), recover=False)
    assert store.get_run(queued.run_id).status == "queued"
    create_app(_settings(tmp_path))
    assert store.get_run(queued.run_id).status == "failed"
    store.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_two_workers_serve_and_stop_with_their_main_process(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "CORRIDOR_DATA_DIR": str(tmp_path)}
    env.pop("CORRIDOR_DATABASE_URL", None)
    env.pop("CORRIDOR_WORKERS", None)
    command = [sys.executable, "-m", "corridor.web", "--port", str(port), "--workers", "2"]
    log = (tmp_path / "server.log").open("wb")
    proc = subprocess.Popen(
        [*command, "--log-level", "warning"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, (tmp_path / "server.log").read_text()
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not start in 120 s"
            time.sleep(0.2)
        ids = []
        with httpx.Client(base_url=base, timeout=60) as client:
            for i in range(12):
                body = {"origin": "xian", "destination": "istanbul", "co2_price_usd_per_t": i}
                reply = client.post("/api/route", json=body)
                assert reply.status_code == 200 and reply.json()["stored"] is True
                ids.append(reply.json()["run_id"])
            # Whichever worker answers, every acknowledged run is there.
            for run_id in ids:
                assert client.get(f"/api/runs/{run_id}").status_code == 200
        workers = {p for p in _children(proc.pid) if _alive(p)}
        assert len(workers) >= 2
        proc.send_signal(signal.SIGKILL)  # the main process only
        proc.wait(timeout=30)
        deadline = time.monotonic() + 30
        while any(_alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_alive(p) for p in workers), "workers outlived their main process"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        log.close()


def test_the_sqlite_busy_timeout_is_a_setting_that_reaches_each_connection(tmp_path: Path) -> None:
    from sqlalchemy import text

    from corridor.errors import CorridorError

    env = {"CORRIDOR_DATA_DIR": str(tmp_path), "CORRIDOR_SQLITE_BUSY_MS": "1500"}
    settings = Settings.from_env(env)
    assert settings.sqlite_busy_ms == 1500
    assert Settings.from_env({"CORRIDOR_DATA_DIR": str(tmp_path)}).sqlite_busy_ms == 10_000
    store = Store(settings.database_url, sqlite_busy_ms=settings.sqlite_busy_ms)
    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 1500
    with pytest.raises(CorridorError, match="CORRIDOR_SQLITE_BUSY_MS must be a whole number"):
        Settings.from_env({**env, "CORRIDOR_SQLITE_BUSY_MS": "soon"})
