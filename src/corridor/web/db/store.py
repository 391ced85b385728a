"""The store: saved scenarios and runs, each write in one transaction.

SQLite (a file in the data directory) by default, PostgreSQL when a ``postgresql://`` URL is
given. :meth:`Store.migrate` brings the schema up to date with the Alembic migrations.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import math
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Engine,
    Insert,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from corridor.errors import CorridorError
from corridor.web.db.models import ResultRow, RunRow, ScenarioRow

RUN_STATUSES = ("queued", "running", "done", "failed")


class NotFoundError(CorridorError):
    """A stored scenario, run or job does not exist.

    Parameters
    ----------
    kind
        What was looked up (``scenario``, ``run``, ``job``).
    name
        The name or id given.
    suggestions
        Close names that do exist.
    """

    def __init__(self, kind: str, name: str, suggestions: list[str] | None = None) -> None:
        self.kind = kind
        self.name = name
        self.suggestions = suggestions or []
        hint = (
            f" Did you mean {' or '.join(map(repr, self.suggestions))}?" if self.suggestions else ""
        )
        super().__init__(f"No {kind} named {name!r}.{hint}")


class ConflictError(CorridorError):
    """A write clashes with what is stored (e.g. a scenario name that is already taken)."""


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; every stored time is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _iso(value: datetime | None) -> str | None:
    aware = _aware(value)
    return aware.isoformat() if aware is not None else None


@dataclass(frozen=True)
class StoredScenario:
    """A saved scenario: its YAML text and when it was written."""

    name: str
    yaml_text: str
    description: str
    revision: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: ScenarioRow) -> StoredScenario:
        """Copy a database row into a plain value."""
        return cls(
            name=row.name,
            yaml_text=row.yaml_text,
            description=row.description,
            revision=row.revision,
            created_at=_aware(row.created_at) or _now(),
            updated_at=_aware(row.updated_at) or _now(),
        )


@dataclass(frozen=True)
class RunRecord:
    """A run: what was asked, its status and timings, and its result once done."""

    run_id: str
    kind: str
    status: str
    network: str
    scenario: str | None
    request: dict[str, Any]
    result: dict[str, Any] | None
    error: dict[str, Any] | None
    progress: float
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    duration_s: float | None

    @classmethod
    def from_row(cls, row: RunRow, *, with_result: bool = True) -> RunRecord:
        """Copy a database row into a plain value (optionally without its result)."""
        return cls(
            run_id=row.run_id,
            kind=row.kind,
            status=row.status,
            network=row.network,
            scenario=row.scenario,
            request=row.request,
            result=row.result if with_result else None,
            error=row.error,
            progress=row.progress,
            created_at=_aware(row.created_at) or _now(),
            started_at=_aware(row.started_at),
            finished_at=_aware(row.finished_at),
            duration_s=row.duration_s,
        )

    def summary(self) -> dict[str, Any]:
        """Return everything but the result, as JSON-ready values."""
        return {
            "run_id": self.run_id,
            "kind": self.kind,
            "status": self.status,
            "network": self.network,
            "scenario": self.scenario,
            "request": self.request,
            "error": self.error,
            "progress": self.progress,
            "created_at": _iso(self.created_at),
            "started_at": _iso(self.started_at),
            "finished_at": _iso(self.finished_at),
            "duration_s": self.duration_s,
        }


@dataclass(frozen=True)
class NewRun:
    """A finished run to record with :meth:`Store.add_runs`.

    Attributes
    ----------
    run_id, kind, status, network, scenario, request, error, started_at, finished_at
        As in :class:`RunRecord`; ``status`` is ``done`` or ``failed``.
    result_json
        The result as JSON text (stored once however many runs give the same text), or ``None``.
    owner
        Whether the request carried the bearer token; such runs are never pruned.
    """

    run_id: str
    kind: str
    status: str
    network: str
    scenario: str | None
    request: dict[str, Any]
    result_json: str | None
    error: dict[str, Any] | None
    started_at: datetime
    finished_at: datetime
    owner: bool = False


def _sqlite_pragmas(busy_ms: int) -> Callable[[Any, Any], None]:
    def set_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        cursor.close()

    return set_pragmas


class Store:
    """Saved scenarios and runs in a SQL database.

    Parameters
    ----------
    url
        SQLAlchemy URL (``sqlite:///path.db`` or ``postgresql+psycopg://...``). The folder of a
        SQLite file is created if needed.
    prune_every
        Check the number of stored runs after this many new runs.
    max_runs
        Runs kept; the oldest finished runs beyond this are deleted.
    sqlite_busy_ms
        For SQLite: how long a write waits for another connection's lock before failing.
    """

    def __init__(
        self,
        url: str,
        *,
        max_runs: int = 5000,
        prune_every: int = 100,
        sqlite_busy_ms: int = 10_000,
    ) -> None:
        from corridor.web.settings import normalize_url

        url = normalize_url(url)
        parsed = make_url(url)
        self.url = url
        self.max_runs = max_runs
        self._prune_every = prune_every
        self._added = 0
        self._pruned_at = -math.inf
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database or ""
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(
                url, connect_args={"check_same_thread": False, "timeout": sqlite_busy_ms / 1000}
            )
            event.listen(self.engine, "connect", _sqlite_pragmas(sqlite_busy_ms))
        else:
            self.engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def migrate(self) -> None:
        """Create or upgrade the tables to the newest migration."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        location = resources.files("corridor.web.db").joinpath("migrations")
        config.set_main_option("script_location", str(location))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def _session(self) -> Session:
        return self._sessions()

    # Scenarios --------------------------------------------------------------------------

    def scenario_names(self) -> list[str]:
        """Return the names of the saved scenarios, sorted."""
        with self._session() as session:
            return list(session.scalars(select(ScenarioRow.name).order_by(ScenarioRow.name)))

    def list_scenarios(self) -> list[StoredScenario]:
        """Return every saved scenario, sorted by name."""
        with self._session() as session:
            rows = session.scalars(select(ScenarioRow).order_by(ScenarioRow.name))
            return [StoredScenario.from_row(r) for r in rows]

    def get_scenario(self, name: str) -> StoredScenario:
        """Return a saved scenario.

        Raises
        ------
        NotFoundError
            If there is none of that name (with close names as suggestions).
        """
        with self._session() as session:
            row = session.get(ScenarioRow, name)
            if row is None:
                raise NotFoundError("scenario", name, self._close(name, self.scenario_names()))
            return StoredScenario.from_row(row)

    def create_scenario(self, name: str, yaml_text: str, description: str = "") -> StoredScenario:
        """Save a new scenario.

        Raises
        ------
        ConflictError
            If the name is taken.
        """
        now = _now()
        row = ScenarioRow(
            name=name,
            yaml_text=yaml_text,
            description=description,
            revision=1,
            created_at=now,
            updated_at=now,
        )
        try:
            with self._session() as session, session.begin():
                session.add(row)
        except IntegrityError:
            raise ConflictError(
                f"A scenario named {name!r} exists; update it with PUT or choose another name."
            ) from None
        return StoredScenario.from_row(row)

    def update_scenario(self, name: str, yaml_text: str, description: str = "") -> StoredScenario:
        """Replace a saved scenario's text; its revision goes up by one.

        Raises
        ------
        NotFoundError
            If there is none of that name.
        """
        with self._session() as session, session.begin():
            done = session.execute(
                update(ScenarioRow)
                .where(ScenarioRow.name == name)
                .values(
                    yaml_text=yaml_text,
                    description=description,
                    revision=ScenarioRow.revision + 1,
                    updated_at=_now(),
                )
            )
            if getattr(done, "rowcount", 0) == 0:
                raise NotFoundError("scenario", name, self._close(name, self.scenario_names()))
        return self.get_scenario(name)

    def delete_scenario(self, name: str) -> None:
        """Delete a saved scenario.

        Raises
        ------
        NotFoundError
            If there is none of that name.
        """
        with self._session() as session, session.begin():
            done = session.execute(delete(ScenarioRow).where(ScenarioRow.name == name))
            if getattr(done, "rowcount", 0) == 0:
                raise NotFoundError("scenario", name, self._close(name, self.scenario_names()))

    # Runs -------------------------------------------------------------------------------

    def add_run(
        self,
        kind: str,
        request: dict[str, Any],
        *,
        network: str,
        scenario: str | None = None,
        status: str = "queued",
        result: dict[str, Any] | None = None,
        error: dict[str, Any] | None = None,
        started_at: datetime | None = None,
        finished_at: datetime | None = None,
        run_id: str | None = None,
        owner: bool = False,
    ) -> RunRecord:
        """Record a run and return it.

        A finished run (``done`` or ``failed``) is written with its result in one transaction.
        A run of the token holder (``owner``) is never pruned.
        """
        now = _now()
        duration = (
            (finished_at - started_at).total_seconds()
            if finished_at is not None and started_at is not None
            else None
        )
        row = RunRow(
            run_id=run_id or str(uuid.uuid4()),
            kind=kind,
            status=status,
            network=network,
            scenario=scenario,
            request=request,
            result=result,
            error=error,
            progress=1.0 if status in ("done", "failed") else 0.0,
            created_at=started_at or now,
            started_at=started_at,
            finished_at=finished_at,
            duration_s=duration,
            owner=owner,
        )
        with self._session() as session, session.begin():
            session.add(row)
        record = RunRecord.from_row(row)
        self._added += 1
        if self._added % self._prune_every == 0:
            self.prune_runs(self.max_runs)
        return record

    def add_runs(self, runs: Sequence[NewRun]) -> None:
        """Record finished runs in one transaction.

        A result is stored once, keyed by the SHA-256 of its text; runs with the same answer
        share it.
        """
        if not runs:
            return
        results: dict[str, str] = {}
        rows: list[dict[str, Any]] = []
        for run in runs:
            digest = None
            if run.result_json is not None:
                digest = hashlib.sha256(run.result_json.encode()).hexdigest()
                results.setdefault(digest, run.result_json)
            rows.append(
                {
                    "run_id": run.run_id,
                    "kind": run.kind,
                    "status": run.status,
                    "network": run.network,
                    "scenario": run.scenario,
                    "request": run.request,
                    "result_digest": digest,
                    "error": run.error,
                    "progress": 1.0,
                    "created_at": run.started_at,
                    "started_at": run.started_at,
                    "finished_at": run.finished_at,
                    "duration_s": (run.finished_at - run.started_at).total_seconds(),
                    "owner": run.owner,
                }
            )
        now = _now()
        with self.engine.begin() as connection:
            if results:
                connection.execute(
                    self._insert_result(),
                    [
                        {"digest": d, "result": text, "created_at": now}
                        for d, text in results.items()
                    ],
                )
            connection.execute(insert(RunRow), rows)
        before = self._added
        self._added += len(runs)
        if before // self._prune_every != self._added // self._prune_every:
            # Under load, check at most once a second: a few more runs are kept meanwhile.
            now_s = time.monotonic()
            if now_s - self._pruned_at >= 1.0:
                self._pruned_at = now_s
                self.prune_runs(self.max_runs)

    def _insert_result(self) -> Insert:
        """Return an INSERT of results that skips those already stored."""
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            return pg_insert(ResultRow).on_conflict_do_nothing()
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(ResultRow).on_conflict_do_nothing()

    def update_run(self, run_id: str, **values: Any) -> None:
        """Change fields of a run (status, progress, result, error, times) in one transaction.

        ``finished_at`` also sets ``duration_s`` from the stored ``started_at``.
        """
        with self._session() as session, session.begin():
            row = session.get(RunRow, run_id, with_for_update=self.dialect == "postgresql")
            if row is None:
                raise NotFoundError("run", run_id)
            for key, value in values.items():
                setattr(row, key, value)
            if values.get("finished_at") is not None and row.started_at is not None:
                row.duration_s = (
                    values["finished_at"] - (_aware(row.started_at) or values["finished_at"])
                ).total_seconds()

    def get_run(self, run_id: str, *, with_result: bool = True) -> RunRecord:
        """Return a run.

        Raises
        ------
        NotFoundError
            If there is no run with that id.
        """
        with self._session() as session:
            row = session.get(RunRow, run_id)
            if row is None:
                raise NotFoundError("run", run_id)
            record = RunRecord.from_row(row, with_result=with_result)
            if with_result and record.result is None and row.result_digest is not None:
                text = session.scalar(
                    select(ResultRow.result).where(ResultRow.digest == row.result_digest)
                )
                if text is not None:
                    record = dataclasses.replace(record, result=json.loads(text))
            return record

    def list_runs(
        self,
        *,
        kind: str | None = None,
        status: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[int, list[RunRecord]]:
        """Return the number of matching runs and one page of them, newest first (no results)."""
        columns = [c for c in RunRow.__table__.columns if c.name != "result"]
        query = select(*columns)
        counter = select(func.count()).select_from(RunRow)
        if kind is not None:
            query = query.where(RunRow.kind == kind)
            counter = counter.where(RunRow.kind == kind)
        if status is not None:
            query = query.where(RunRow.status == status)
            counter = counter.where(RunRow.status == status)
        query = query.order_by(RunRow.created_at.desc(), RunRow.run_id).limit(limit).offset(offset)
        with self._session() as session:
            total = int(session.scalar(counter) or 0)
            rows = session.execute(query).mappings().all()
        records = [RunRecord.from_row(RunRow(**dict(r), result=None)) for r in rows]
        return total, records

    def delete_run(self, run_id: str) -> None:
        """Delete a run.

        Raises
        ------
        NotFoundError
            If there is no run with that id.
        """
        with self._session() as session, session.begin():
            done = session.execute(delete(RunRow).where(RunRow.run_id == run_id))
            if getattr(done, "rowcount", 0) == 0:
                raise NotFoundError("run", run_id)

    def fail_unfinished(self, message: str) -> int:
        """Mark runs left queued or running (e.g. by a stopped server) as failed."""
        with self._session() as session, session.begin():
            done = session.execute(
                update(RunRow)
                .where(RunRow.status.in_(("queued", "running")))
                .values(status="failed", error={"message": message}, finished_at=_now())
            )
            return int(getattr(done, "rowcount", 0))

    def prune_runs(self, keep: int) -> int:
        """Delete the oldest finished runs so that at most ``keep`` remain; return how many.

        Runs of the token holder (``owner``) are neither deleted nor counted: anonymous calls
        cannot push them out. Results no run refers to any more are deleted too.
        """
        anonymous = RunRow.owner.is_(False)
        with self._session() as session, session.begin():
            cutoff = session.scalar(
                select(RunRow.created_at)
                .where(anonymous)
                .order_by(RunRow.created_at.desc())
                .offset(keep)
                .limit(1)
            )
            if cutoff is None:
                return 0
            done = session.execute(
                delete(RunRow).where(
                    anonymous,
                    RunRow.created_at <= cutoff,
                    RunRow.status.in_(("done", "failed")),
                )
            )
            used = select(RunRow.result_digest).where(RunRow.result_digest.is_not(None))
            session.execute(delete(ResultRow).where(ResultRow.digest.not_in(used)))
            return int(getattr(done, "rowcount", 0))

    @staticmethod
    def _close(name: str, names: list[str]) -> list[str]:
        return difflib.get_close_matches(name, names, n=3, cutoff=0.6)
