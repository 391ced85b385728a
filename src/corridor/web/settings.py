"""Settings of the web app, read from the environment once at start-up.

Environment variables
---------------------
``CORRIDOR_DATABASE_URL``
    SQLAlchemy URL of the database (``postgresql://user@host/db``); default: a SQLite file in
    the data directory.
``CORRIDOR_DATA_DIR``
    Folder of the default SQLite database; default ``./.corridor``.
``CORRIDOR_API_TOKEN``
    When set, write endpoints need ``Authorization: Bearer <token>``.
``CORRIDOR_CORS_ORIGINS``
    Comma-separated origins allowed to call the API from a browser; default none (CORS off).
``CORRIDOR_NETWORK``
    Bundled dataset served by default; default ``eurasia``.
``CORRIDOR_MAX_RUNS``
    Runs kept in the database; older ones are deleted; default 5000. Runs recorded for a
    request that carried the bearer token (when ``CORRIDOR_API_TOKEN`` is set) are never
    deleted this way.
``CORRIDOR_MAX_HEAVY_PER_KIND``
    Pareto, simulate or compare computations of one kind running at once; more are refused
    with 429 and ``Retry-After``; default 2.
``CORRIDOR_MAX_HEAVY_PER_CLIENT``
    Heavy computations (of any kind) one client address may run at once; default 2.
``CORRIDOR_STORE_WAIT_S``
    Seconds an answer waits for its run to be written before it is sent with
    ``"stored": false``; default 5.
``CORRIDOR_SQLITE_BUSY_MS``
    Milliseconds a SQLite write waits for a lock held by another connection before it fails
    and is tried again by the run writer; default 10000.
``CORRIDOR_ALLOWED_HOSTS``
    Comma-separated host names the server answers to (the ``Host`` header), besides
    ``localhost``, ``127.0.0.1`` and ``[::1]``; ``*`` allows any. Default none.
``CORRIDOR_WORKERS``
    Worker processes of ``corridor serve``; default one per CPU, at most
    :data:`MAX_AUTO_WORKERS`. The caps on heavy work and on queued jobs are shared out among
    them (see :attr:`Settings.workers`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from corridor.errors import CorridorError
from corridor.limits import MAX_DEMAND_ROWS, MAX_K, MAX_NAME_CHARS, MAX_SAMPLES

__all__ = ["MAX_DEMAND_ROWS", "MAX_K", "MAX_NAME_CHARS", "MAX_SAMPLES"]

#: Largest request body accepted, in bytes (a scenario's YAML fits with room to spare).
MAX_BODY_BYTES = 256 * 1024
#: Largest number of distinct commodities in one assignment request.
MAX_COMMODITIES = 5
#: Jobs waiting or running at once; more are refused with 429.
MAX_PENDING_JOBS = 16
#: Most worker processes ``corridor serve`` starts by itself (one per CPU up to this).
MAX_AUTO_WORKERS = 4


def default_workers() -> int:
    """Return the worker processes ``corridor serve`` starts without a setting: one per CPU."""
    return max(1, min(os.cpu_count() or 1, MAX_AUTO_WORKERS))


@dataclass(frozen=True)
class Settings:
    """Settings of one app instance.

    Attributes
    ----------
    database_url
        SQLAlchemy URL; ``postgresql://`` URLs use the psycopg (3) driver.
    data_dir
        Folder of the default SQLite database.
    api_token
        Bearer token required by write endpoints, or ``None`` for open writes.
    cors_origins
        Origins allowed by CORS; empty means CORS is off.
    network
        Bundled dataset served when a request names none.
    max_runs
        Runs kept; the oldest are deleted beyond this.
    job_workers
        Threads running background jobs (assignments).
    max_heavy_per_kind
        Pareto, simulate or compare computations of one kind running at once.
    max_heavy_per_client
        Heavy computations one client address may run at once.
    store_wait_s
        Seconds an answer waits for its run to be committed before saying ``"stored": false``.
    allowed_hosts
        Host names accepted in the ``Host`` header besides the loopback names; ``*`` allows any.
    sqlite_busy_ms
        Milliseconds a SQLite write waits for another connection's lock before failing.
    workers
        Server processes sharing the port (``corridor serve --workers``). Each has its own
        caps, so the caps on heavy work and on queued jobs are divided among them (see
        :meth:`per_worker`); 1 for an app built in a process of its own.
    """

    database_url: str
    data_dir: Path
    api_token: str | None = None
    cors_origins: tuple[str, ...] = ()
    network: str = "eurasia"
    max_runs: int = 5000
    job_workers: int = 1
    max_heavy_per_kind: int = 2
    max_heavy_per_client: int = 2
    store_wait_s: float = 5.0
    sqlite_busy_ms: int = 10_000
    allowed_hosts: tuple[str, ...] = ()
    workers: int = 1

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Read the settings from environment variables, then apply ``overrides``.

        Parameters
        ----------
        environ
            Variables to read; default ``os.environ``.
        **overrides
            Field values that win over the environment (e.g. from command-line options).

        Raises
        ------
        CorridorError
            If a variable has a value that cannot be used.
        """
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("CORRIDOR_DATA_DIR") or ".corridor")
        url = env.get("CORRIDOR_DATABASE_URL") or ""
        token = env.get("CORRIDOR_API_TOKEN") or None
        origins = tuple(
            o.strip() for o in (env.get("CORRIDOR_CORS_ORIGINS") or "").split(",") if o.strip()
        )
        max_runs = _whole(env, "CORRIDOR_MAX_RUNS", 5000)
        hosts = tuple(
            h.strip().lower()
            for h in (env.get("CORRIDOR_ALLOWED_HOSTS") or "").split(",")
            if h.strip()
        )
        wait_text = env.get("CORRIDOR_STORE_WAIT_S") or "5"
        try:
            store_wait_s = float(wait_text)
        except ValueError:
            store_wait_s = -1.0
        if not 0 <= store_wait_s <= 600:
            raise CorridorError(
                f"CORRIDOR_STORE_WAIT_S must be a number of seconds from 0 to 600, got "
                f"{wait_text!r}"
            )
        settings = cls(
            database_url=url,
            data_dir=data_dir,
            api_token=token,
            cors_origins=origins,
            network=env.get("CORRIDOR_NETWORK") or "eurasia",
            max_runs=max_runs,
            max_heavy_per_kind=_whole(env, "CORRIDOR_MAX_HEAVY_PER_KIND", 2),
            max_heavy_per_client=_whole(env, "CORRIDOR_MAX_HEAVY_PER_CLIENT", 2),
            store_wait_s=store_wait_s,
            sqlite_busy_ms=_whole(env, "CORRIDOR_SQLITE_BUSY_MS", 10_000),
            allowed_hosts=hosts,
            workers=_whole(env, "CORRIDOR_WORKERS", 1),
        )
        settings = replace(settings, **{k: v for k, v in overrides.items() if v is not None})
        if not settings.database_url:
            settings = replace(settings, database_url=sqlite_url(settings.data_dir))
        return replace(settings, database_url=normalize_url(settings.database_url))

    def per_worker(self, cap: int) -> int:
        """Return one worker process's share of a server-wide cap (at least 1).

        Examples
        --------
        >>> settings = Settings(database_url="sqlite://", data_dir=Path("."), workers=2)
        >>> settings.per_worker(2), settings.per_worker(16), settings.per_worker(1)
        (1, 8, 1)
        """
        return max(1, cap // self.workers)

    @property
    def write_auth(self) -> bool:
        """Whether write endpoints need a bearer token."""
        return self.api_token is not None

    def describe(self) -> dict[str, str]:
        """Return what to print at start-up: the database (without password) and auth mode."""
        from sqlalchemy.engine import make_url

        url = make_url(self.database_url)
        shown = url.render_as_string(hide_password=True)
        auth = (
            "write endpoints need a bearer token (CORRIDOR_API_TOKEN is set)"
            if self.write_auth
            else "open: anyone who can reach the server may write (set CORRIDOR_API_TOKEN)"
        )
        cors = ", ".join(self.cors_origins) if self.cors_origins else "off"
        return {"database": shown, "auth": auth, "cors": cors, "network": self.network}


def _whole(env: Mapping[str, str], name: str, default: int) -> int:
    """Return a variable's value as a whole number of at least 1 (``default`` if unset)."""
    text = env.get(name) or str(default)
    try:
        value = int(text)
    except ValueError:
        raise CorridorError(f"{name} must be a whole number, got {text!r}") from None
    if value < 1:
        raise CorridorError(f"{name} must be at least 1, got {value}")
    return value


def sqlite_url(data_dir: Path) -> str:
    """Return the URL of the SQLite database file in ``data_dir``."""
    return f"sqlite:///{(data_dir / 'corridor.db').as_posix()}"


def normalize_url(url: str) -> str:
    """Make ``postgresql://`` and ``postgres://`` URLs use the psycopg 3 driver.

    Examples
    --------
    >>> normalize_url("postgresql://u@localhost/db")
    'postgresql+psycopg://u@localhost/db'
    >>> normalize_url("sqlite:///x.db")
    'sqlite:///x.db'
    """
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
