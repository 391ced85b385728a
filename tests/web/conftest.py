"""Fixtures of the web API tests: apps on SQLite and on a temporary PostgreSQL cluster.

The PostgreSQL cluster is created with ``initdb`` on a free port for the test session and
stopped at its end; without PostgreSQL installed, the PostgreSQL variants skip with a reason.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from helpers import local_client

from corridor.web.app import create_app
from corridor.web.settings import Settings


def _skip(reason: str) -> None:
    """Skip, or fail where PostgreSQL must be there (CI sets ``CORRIDOR_PG_REQUIRED``)."""
    if os.environ.get("CORRIDOR_PG_REQUIRED"):
        pytest.fail(f"PostgreSQL tests required but cannot run: {reason}")
    pytest.skip(reason)


def _pg_bindir() -> Path | None:
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres_user() -> list[str]:
    """PostgreSQL refuses to run as root: run its programs as the ``postgres`` user then."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        _skip("running as root and there is no 'postgres' user to run PostgreSQL as")
    runuser = shutil.which("runuser")
    if runuser is None:
        _skip("running as root without runuser to start PostgreSQL as 'postgres'")
    return [runuser, "-u", "postgres", "--"]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """Start a throw-away PostgreSQL cluster; yield the URL of its ``postgres`` database."""
    bindir = _pg_bindir()
    if bindir is None:
        _skip("PostgreSQL is not installed (initdb and pg_ctl not found)")
    prefix = _as_postgres_user()
    root = Path(tempfile.mkdtemp(prefix="corridor-pg-"))
    if prefix:
        entry = pwd.getpwnam("postgres")
        os.chown(root, entry.pw_uid, entry.pw_gid)
    data = root / "data"
    port = _free_port()
    run = {"check": True, "capture_output": True, "text": True, "timeout": 120}
    try:
        subprocess.run(
            [*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "corridor",
             "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"],
            **run,
        )  # fmt: skip
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l", str(root / "log"),
             "-o", f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
            **run,
        )  # fmt: skip
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(root, ignore_errors=True)
        _skip(f"could not start PostgreSQL: {exc.stderr.strip()[:300]}")
    try:
        yield f"postgresql://corridor@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty database on the session's cluster, dropped after the test."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield pg_server.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'corridor.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


AppFactory = Callable[..., FastAPI]


@pytest.fixture
def make_app(tmp_path: Path) -> AppFactory:
    """Build apps on one SQLite file (so a second app is a restart); keywords set settings."""

    def make(**overrides: object) -> FastAPI:
        environ = {"CORRIDOR_DATA_DIR": str(tmp_path / "data")}
        return create_app(Settings.from_env(environ, **overrides))

    return make


@pytest.fixture
def client(make_app: AppFactory) -> Iterator[TestClient]:
    """A client of an app with open writes on a fresh SQLite database."""
    with local_client(make_app()) as test_client:
        yield test_client
