"""A HiGHS solver that never writes to standard output.

HiGHS (highspy 1.16 and later) prints its banner on standard output when a solver object is
created, before any option can be set, so ``output_flag=False`` alone cannot keep it off the
answer stream of ``--json`` and ``--geojson`` commands. :func:`new_solver` creates the solver
with file descriptor 1 pointed at the null device (the banner is a licence notice, not
progress: it is not moved to standard error either), flushing the C library's buffers on both
sides, then switches all logging off before the solver does anything else.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
import threading
from collections.abc import Iterator
from typing import Any

_LOCK = threading.Lock()


def _flush_c_streams() -> None:
    """Flush every C ``FILE*`` stream of the process (banner text buffered by the C library)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None).fflush(None)


@contextlib.contextmanager
def stdout_discarded() -> Iterator[None]:
    """Discard whatever is written to file descriptor 1 for a moment.

    Works below Python's ``sys.stdout``, so text printed by compiled libraries is caught too.
    Falls back to doing nothing when the descriptors cannot be duplicated (e.g. a closed
    stdout), since then nothing can be written there anyway.
    """
    with _LOCK:
        try:
            sys.stdout.flush()
            saved = os.dup(1)
        except (OSError, ValueError):
            yield
            return
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            _flush_c_streams()
            os.dup2(null, 1)
            yield
        finally:
            _flush_c_streams()
            os.dup2(saved, 1)
            os.close(saved)
            os.close(null)


def new_solver(threads: int = 1) -> Any:
    """Create a silent HiGHS solver.

    Parameters
    ----------
    threads : int
        The number of threads HiGHS may use.

    Returns
    -------
    highspy.Highs
        A solver with ``output_flag`` and ``log_to_console`` off.
    """
    import highspy

    with stdout_discarded():
        highs: Any = highspy.Highs()  # type: ignore[no-untyped-call]
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("log_to_console", False)
    highs.setOptionValue("threads", threads)
    return highs
