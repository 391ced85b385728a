"""Background jobs: long computations run in worker threads, tracked as runs in the store.

A job is a run whose status moves ``queued`` -> ``running`` -> ``done`` or ``failed``; its
progress (0..1) and result are written to the store, so any server process can report them and
they survive restarts (a job interrupted by a restart is marked failed).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from corridor.web.db.store import RunRecord, Store

log = logging.getLogger(__name__)

Progress = Callable[[float], None]
"""Called by a job with its progress between 0 and 1."""

Work = Callable[[Progress], dict[str, Any]]
"""A job: computes a JSON-ready result, reporting progress."""


class TooManyJobsError(Exception):
    """The queue is full; try again later."""


class JobRunner:
    """Run jobs in a thread pool and record their state in the store.

    Parameters
    ----------
    store
        Where runs are recorded.
    workers
        Threads running jobs at once.
    max_pending
        Jobs queued or running at once; :meth:`submit` refuses more.
    """

    def __init__(self, store: Store, *, workers: int = 1, max_pending: int = 16) -> None:
        self.store = store
        self.max_pending = max_pending
        self.workers = workers
        self._pool = self._new_pool()
        self._stopped = False
        self._lock = threading.Lock()
        self._pending: dict[str, Future[None]] = {}

    def _new_pool(self) -> ThreadPoolExecutor:
        return ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="corridor-job")

    def start(self) -> None:
        """Take jobs again after :meth:`shutdown` (an app whose lifespan starts again)."""
        with self._lock:
            if self._stopped:
                self._pool = self._new_pool()
                self._stopped = False

    def submit(
        self,
        kind: str,
        request: dict[str, Any],
        work: Work,
        *,
        network: str,
        scenario: str | None = None,
        error_body: Callable[[Exception], dict[str, Any]] | None = None,
        owner: bool = False,
    ) -> RunRecord:
        """Queue a job and return its run record (status ``queued``).

        ``owner`` marks the run as the token holder's (never pruned).

        Raises
        ------
        TooManyJobsError
            If ``max_pending`` jobs are already queued or running.
        """
        with self._lock:
            if self._stopped:
                raise TooManyJobsError("the server is stopping and takes no new jobs")
            if len(self._pending) >= self.max_pending:
                raise TooManyJobsError(
                    f"{len(self._pending)} jobs are queued or running (at most "
                    f"{self.max_pending}); try again when one has finished."
                )
            record = self.store.add_run(
                kind, request, network=network, scenario=scenario, status="queued", owner=owner
            )
            future = self._pool.submit(self._run, record.run_id, work, error_body)
            self._pending[record.run_id] = future
        future.add_done_callback(lambda _: self._forget(record.run_id))
        return record

    def _forget(self, run_id: str) -> None:
        with self._lock:
            self._pending.pop(run_id, None)

    @property
    def pending(self) -> int:
        """Jobs queued or running now."""
        with self._lock:
            return len(self._pending)

    def _run(
        self,
        run_id: str,
        work: Work,
        error_body: Callable[[Exception], dict[str, Any]] | None,
    ) -> None:
        self.store.update_run(run_id, status="running", started_at=datetime.now(UTC), progress=0.0)

        def progress(value: float) -> None:
            self.store.update_run(run_id, progress=min(max(float(value), 0.0), 1.0))

        try:
            result = work(progress)
        except Exception as exc:  # a failed job is reported, never raised into the pool
            if error_body is None or type(exc).__module__.startswith("builtins"):
                log.exception("job %s failed", run_id)
            body = error_body(exc) if error_body is not None else {"message": str(exc)}
            self.store.update_run(
                run_id, status="failed", error=body, progress=1.0, finished_at=datetime.now(UTC)
            )
            return
        self.store.update_run(
            run_id, status="done", result=result, progress=1.0, finished_at=datetime.now(UTC)
        )

    def wait(self, timeout: float | None = None) -> None:
        """Wait until the jobs pending now have finished (used by tests and shutdown)."""
        with self._lock:
            futures = list(self._pending.values())
        for future in futures:
            future.result(timeout=timeout)

    def shutdown(self) -> None:
        """Stop taking jobs; let running ones finish."""
        with self._lock:
            self._stopped = True
        self._pool.shutdown(wait=True, cancel_futures=True)
