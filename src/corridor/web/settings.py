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
    Runs kept in the database; older ones are deleted; default 5000.
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
    """

    database_url: str
    data_dir: Path
    api_token: str | None = None
    cors_origins: tuple[str, ...] = ()
    network: str = "eurasia"
    max_runs: int = 5000
    job_workers: int = 1

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
        max_runs_text = env.get("CORRIDOR_MAX_RUNS") or "5000"
        try:
            max_runs = int(max_runs_text)
        except ValueError:
            raise CorridorError(
                f"CORRIDOR_MAX_RUNS must be a whole number, got {max_runs_text!r}"
            ) from None
        if max_runs < 1:
            raise CorridorError(f"CORRIDOR_MAX_RUNS must be at least 1, got {max_runs}")
        settings = cls(
            database_url=url,
            data_dir=data_dir,
            api_token=token,
            cors_origins=origins,
            network=env.get("CORRIDOR_NETWORK") or "eurasia",
            max_runs=max_runs,
        )
        settings = replace(settings, **{k: v for k, v in overrides.items() if v is not None})
        if not settings.database_url:
            settings = replace(settings, database_url=sqlite_url(settings.data_dir))
        return replace(settings, database_url=normalize_url(settings.database_url))

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
