"""Record finished runs from a background thread, many runs per transaction.

A request hands its finished run to :meth:`RunWriter.add`, which returns a future set once the
run's transaction has committed; the writer thread stores whatever has queued up since its last
transaction in the next one (group commit), so waiting for one's own run costs one shared
commit, not one per request. Readers call :meth:`RunWriter.flush` first so that a run is listed
as soon as its answer was sent, and :meth:`RunWriter.close` (on app shutdown) writes
everything still queued.

A write that fails because the database is busy or unreachable is retried (with a growing
pause) rather than dropped, until :meth:`RunWriter.close` gives up after its timeout.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
import uuid
from concurrent.futures import Future

from sqlalchemy.exc import OperationalError

from corridor.web.db.store import NewRun, Store

log = logging.getLogger(__name__)


class _RandomBytes:
    """Random bytes from the operating system, read a few kilobytes at a time."""

    def __init__(self, chunk: int = 4096) -> None:
        self.chunk = chunk
        self._buffer = b""
        self._at = 0
        self._lock = threading.Lock()

    def take(self, n: int) -> bytes:
        with self._lock:
            if self._at + n > len(self._buffer):
                self._buffer, self._at = os.urandom(max(self.chunk, n)), 0
            self._at += n
            return self._buffer[self._at - n : self._at]


_RANDOM = _RandomBytes()


def new_run_id() -> str:
    """Return a new random (version 4) UUID as text.

    The same as ``str(uuid.uuid4())``, with the system's random bytes read in chunks: a busy
    server then asks the kernel once per 256 runs instead of once per run.
    """
    return str(uuid.UUID(bytes=_RANDOM.take(16), version=4))


class WriterFullError(RuntimeError):
    """The run queue is full: the database has not taken runs for a while (an outage)."""

    def __init__(self, pending: int, retry_after_s: int = 5) -> None:
        super().__init__(
            f"{pending} runs are waiting to be written to the database, the most this server "
            "holds in memory; the database is not taking writes. Retry later."
        )
        self.retry_after_s = retry_after_s


class RunWriter:
    """Queue finished runs and write them in batches from one thread.

    Parameters
    ----------
    store
        Where runs are written.
    max_batch
        Most runs written in one transaction.
    max_pending
        Most runs held in memory waiting for the database; more are refused with
        :class:`WriterFullError` (so an outage cannot grow the queue without bound).
    """

    def __init__(self, store: Store, *, max_batch: int = 500, max_pending: int = 10_000) -> None:
        self.store = store
        self.max_batch = max_batch
        self.max_pending = max_pending
        self._queue: queue.SimpleQueue[tuple[NewRun, Future[None]] | None] = queue.SimpleQueue()
        self._done = threading.Condition()
        self._queued = 0
        self._written = 0
        self._waiting: set[str] = set()
        self._closed = False
        self._give_up_at = float("inf")
        self._thread = threading.Thread(target=self._loop, name="corridor-run-writer", daemon=True)
        self._thread.start()

    def add(self, run: NewRun) -> Future[None]:
        """Queue a finished run; return a future done once it is committed.

        The future's exception is set if the run could not be written. Once the writer is
        closed, the run is written at once, in this thread.

        Raises
        ------
        WriterFullError
            If ``max_pending`` runs are already waiting for the database.
        """
        written: Future[None] = Future()
        with self._done:
            if not self._closed:
                if self._queued - self._written >= self.max_pending:
                    raise WriterFullError(self._queued - self._written)
                self._queued += 1
                self._waiting.add(run.run_id)
                self._queue.put((run, written))
                return written
        self._write([(run, written)])
        return written

    def is_pending(self, run_id: str) -> bool:
        """Whether a run is queued and not yet written (nor given up)."""
        with self._done:
            return run_id in self._waiting

    def flush(self, timeout: float | None = 30.0) -> bool:
        """Wait until every run queued before this call is written; return whether they are."""
        with self._done:
            target = self._queued
            return self._done.wait_for(lambda: self._written >= target, timeout)

    @property
    def pending(self) -> int:
        """Runs queued and not yet written."""
        with self._done:
            return self._queued - self._written

    def close(self, timeout: float | None = 60.0) -> None:
        """Write every queued run and stop the thread.

        A busy database is retried until ``timeout``; runs still unwritten then are logged.
        """
        with self._done:
            if self._closed:
                return
            self._closed = True
            if timeout is not None:
                self._give_up_at = time.monotonic() + timeout
        self._queue.put(None)
        self._thread.join(None if timeout is None else timeout + 5)
        if self._thread.is_alive() or self.pending:
            log.error("%d run(s) were not written before shutdown", self.pending)

    def _loop(self) -> None:
        stop = False
        while not stop:
            batch: list[tuple[NewRun, Future[None]]] = []
            item = self._queue.get()
            while item is not None:
                batch.append(item)
                if len(batch) >= self.max_batch:
                    break
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            stop = item is None
            self._write(batch)
            with self._done:
                self._written += len(batch)
                self._waiting.difference_update(run.run_id for run, _ in batch)
                self._done.notify_all()

    def _write(self, batch: list[tuple[NewRun, Future[None]]]) -> None:
        """Write a batch and settle its futures.

        A busy or unreachable database is retried until :meth:`close` gives up; any other
        failure writes the runs one by one and logs those that fail.
        """
        if not batch:
            return
        runs = [run for run, _ in batch]
        pause = 0.05
        while True:
            try:
                self.store.add_runs(runs)
            except OperationalError as exc:
                if time.monotonic() >= self._give_up_at:
                    log.error("%d run(s) could not be recorded: %s", len(runs), exc)
                    for _, written in batch:
                        written.set_exception(exc)
                    return
                log.warning("the database is busy (%s); retrying in %.2f s", exc, pause)
                time.sleep(pause)
                pause = min(pause * 2, 2.0)
                continue
            except Exception as exc:
                if len(batch) == 1:
                    log.exception("run %s could not be recorded", runs[0].run_id)
                    batch[0][1].set_exception(exc)
                    return
                break
            for _, written in batch:
                written.set_result(None)
            return
        for item in batch:
            self._write([item])
