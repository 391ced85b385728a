"""Record finished runs from a background thread, many runs per transaction.

A request hands its finished run to :meth:`RunWriter.add` and answers at once; the writer thread
stores whatever has queued up since its last transaction in the next one. Readers call
:meth:`RunWriter.flush` first so that a run is listed as soon as its answer was sent, and
:meth:`RunWriter.close` (on app shutdown) writes everything still queued.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import uuid

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


class RunWriter:
    """Queue finished runs and write them in batches from one thread.

    Parameters
    ----------
    store
        Where runs are written.
    max_batch
        Most runs written in one transaction.
    """

    def __init__(self, store: Store, *, max_batch: int = 500) -> None:
        self.store = store
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[NewRun | None] = queue.SimpleQueue()
        self._done = threading.Condition()
        self._queued = 0
        self._written = 0
        self._closed = False
        self._thread = threading.Thread(target=self._loop, name="corridor-run-writer", daemon=True)
        self._thread.start()

    def add(self, run: NewRun) -> None:
        """Queue a finished run (written at once, in this thread, once the writer is closed)."""
        with self._done:
            if not self._closed:
                self._queued += 1
                self._queue.put(run)
                return
        self._write([run])

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
        """Write every queued run and stop the thread."""
        with self._done:
            if self._closed:
                return
            self._closed = True
        self._queue.put(None)
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.error("%d run(s) were not written before shutdown", self.pending)

    def _loop(self) -> None:
        stop = False
        while not stop:
            batch: list[NewRun] = []
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
                self._done.notify_all()

    def _write(self, batch: list[NewRun]) -> None:
        """Write a batch; if that fails, write its runs one by one and log those that fail."""
        if not batch:
            return
        try:
            self.store.add_runs(batch)
            return
        except Exception:
            if len(batch) == 1:
                log.exception("run %s could not be recorded", batch[0].run_id)
                return
        for run in batch:
            try:
                self.store.add_runs([run])
            except Exception:
                log.exception("run %s could not be recorded", run.run_id)
