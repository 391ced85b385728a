"""Caps on concurrent heavy work (Pareto, simulate, compare), per kind and per client address.

A request takes a slot before its computation starts and gives it back when the computation
ends; when no slot is free it is refused at once (the API answers 429 with ``Retry-After``)
instead of waiting for a worker thread, so a burst of heavy requests from one client cannot
hold every thread of the server.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["BusyError", "WorkLimiter"]


class BusyError(Exception):
    """No slot is free for this kind of work or this client; try again later.

    Parameters
    ----------
    message
        What is full, for the answer's detail.
    retry_after_s
        Seconds after which a retry is likely to succeed.
    """

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class WorkLimiter:
    """Count heavy computations in progress and refuse those beyond the caps.

    Parameters
    ----------
    per_kind
        Computations of one kind (``pareto``, ``simulate``, ``compare``) at once.
    per_client
        Heavy computations of any kind from one client address at once.
    retry_after_s
        Seconds suggested to a refused client.

    Examples
    --------
    >>> limiter = WorkLimiter(per_kind=1, per_client=1)
    >>> with limiter.slot("simulate", "10.0.0.1"):
    ...     limiter.in_progress("simulate")
    1
    >>> limiter.in_progress("simulate")
    0
    """

    def __init__(self, per_kind: int = 2, per_client: int = 2, retry_after_s: int = 2) -> None:
        if per_kind < 1 or per_client < 1:
            raise ValueError("the caps on heavy work must be at least 1")
        self.per_kind = per_kind
        self.per_client = per_client
        self.retry_after_s = retry_after_s
        self._lock = threading.Lock()
        self._kinds: dict[str, int] = {}
        self._clients: dict[str, int] = {}

    def in_progress(self, kind: str) -> int:
        """Return how many computations of ``kind`` hold a slot now."""
        with self._lock:
            return self._kinds.get(kind, 0)

    @contextmanager
    def slot(self, kind: str, client: str) -> Iterator[None]:
        """Hold a slot for one computation of ``kind`` from ``client`` while the block runs.

        Raises
        ------
        BusyError
            At once, when ``kind`` or ``client`` already holds as many slots as allowed.
        """
        with self._lock:
            if self._kinds.get(kind, 0) >= self.per_kind:
                raise BusyError(
                    f"{self.per_kind} {kind} computation(s) are running, the most this server "
                    f"runs at once; retry in {self.retry_after_s} s.",
                    self.retry_after_s,
                )
            if self._clients.get(client, 0) >= self.per_client:
                raise BusyError(
                    f"This client already has {self.per_client} heavy computation(s) running, "
                    f"the most allowed at once; retry in {self.retry_after_s} s.",
                    self.retry_after_s,
                )
            self._kinds[kind] = self._kinds.get(kind, 0) + 1
            self._clients[client] = self._clients.get(client, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                self._kinds[kind] -= 1
                self._clients[client] -= 1
                if self._clients[client] == 0:
                    del self._clients[client]
