"""Views derived from a network (name indexes, state graphs, ...), cached in memory and on disk.

A view is computed once per network object and kept while the network lives. A network read
from files carries a token of those files and of the code that read them
(:attr:`corridor.model.network.Network.token`); its views are also stored under that token and
a fingerprint of corridor's whole source, so a fresh process reuses them without reading a
table, and so without importing pandas. A network made or changed in memory (a scenario's) has
no token: its views live in memory only. A view must be picklable and hold no pandas objects
(missing values as ``None`` or NaN).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
import threading
import weakref
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from corridor.io.diskcache import cache_dir

if TYPE_CHECKING:
    from corridor.model.network import Network

T = TypeVar("T")

_MEMORY: weakref.WeakKeyDictionary[Network, dict[tuple[Hashable, ...], Any]] = (
    weakref.WeakKeyDictionary()
)
_LOCK = threading.Lock()
_SOURCE_FINGERPRINT: str | None = None
#: Stored views kept at most (the oldest are removed when a new one is written): a few
#: hundred kB each, so the folder stays under about 100 MB across datasets and code versions.
MAX_STORED_VIEWS = 400


def _source_fingerprint() -> str:
    """Hash every Python file of the corridor package: any code change retires stored views."""
    global _SOURCE_FINGERPRINT
    if _SOURCE_FINGERPRINT is None:
        root = Path(__file__).resolve().parent.parent
        digest = hashlib.sha256()
        for path in sorted(root.rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
        _SOURCE_FINGERPRINT = digest.hexdigest()
    return _SOURCE_FINGERPRINT


def derived(network: Network, name: str, args: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """Return the view ``name(args)`` of ``network``, computing it at most once.

    Parameters
    ----------
    network
        The network the view is derived from.
    name
        What the view is (e.g. ``state_graph``).
    args
        What else the view depends on (e.g. the commodity and year); must have a stable
        ``repr``.
    compute
        Computes the view from the network.

    Returns
    -------
    object
        The view, shared by every caller: treat it as read-only.
    """
    key = (name, *args)
    with _LOCK:
        per_network = _MEMORY.setdefault(network, {})
        if key in per_network:
            return per_network[key]  # type: ignore[no-any-return]
    entry = _entry(network.token, key)
    value: Any = _read(entry) if entry is not None else None
    if value is None:
        value = compute()
        if entry is not None:
            _write(entry, value)
    with _LOCK:
        return per_network.setdefault(key, value)  # type: ignore[no-any-return]


def _entry(token: str | None, key: tuple[Hashable, ...]) -> Path | None:
    root = cache_dir()
    if token is None or root is None:
        return None
    name = hashlib.sha256(f"{token}\0{_source_fingerprint()}\0{key!r}".encode()).hexdigest()
    return root / "views" / f"{name[:40]}.pickle"


def _read(entry: Path) -> Any:
    try:
        with entry.open("rb") as handle:
            stored = pickle.load(handle)
    except Exception:  # a missing, partial or unreadable entry is a miss
        return None
    return stored.get("value") if isinstance(stored, dict) else None


def _write(entry: Path, value: Any) -> None:
    # Written to a temporary file and renamed, so a reader never sees half an entry.
    with contextlib.suppress(Exception):
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump({"value": value}, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, entry)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        _prune(entry.parent)


def _prune(folder: Path) -> None:
    """Remove the least recently written views beyond :data:`MAX_STORED_VIEWS`."""
    entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[MAX_STORED_VIEWS:]:
        with contextlib.suppress(OSError):
            old.unlink()
