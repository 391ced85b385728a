"""An on-disk cache of validated networks, keyed by the content of the files they came from.

Reading and validating the bundled network takes about a second; unpickling the result takes
about ten milliseconds. An entry records the SHA-256 of every file it was read from (the
folder and every folder it ``extends``), the list of those folders' files, and a fingerprint
of the code that reads and validates networks. It is used only while all of them are
unchanged, so an edited, added or removed file, or a new version of corridor, reads afresh.

The cache lives in ``$CORRIDOR_CACHE_DIR`` (default ``$XDG_CACHE_HOME/corridor`` or
``~/.cache/corridor``); ``CORRIDOR_CACHE_DIR=off`` turns it off. Entries are pickles written
by this user's own corridor; a cache folder that others can write to should not be used.
Writes are atomic (a temporary file renamed into place) and a cache that cannot be read or
written is ignored: the network is then read from its files.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

#: Bumped when the layout of an entry changes.
FORMAT = 2

_CODE_FINGERPRINT: str | None = None


def cache_dir() -> Path | None:
    """Return the cache folder, or None when caching is off.

    Returns
    -------
    pathlib.Path or None
        ``$CORRIDOR_CACHE_DIR``, else ``$XDG_CACHE_HOME/corridor``, else ``~/.cache/corridor``.
    """
    configured = os.environ.get("CORRIDOR_CACHE_DIR", "")
    if configured.lower() in {"off", "0", "none", "false"}:
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "corridor"


def _code_fingerprint() -> str:
    """Hash the package files whose change can change a read or validated network."""
    global _CODE_FINGERPRINT
    if _CODE_FINGERPRINT is None:
        root = Path(__file__).resolve().parent.parent
        digest = hashlib.sha256(str(FORMAT).encode())
        for folder, pattern in (("model", "*.py"), ("io", "*.py"), ("schema", "*.csv")):
            for path in sorted((root / folder).glob(pattern)):
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
        for name in ("datasets.py", "errors.py"):
            with contextlib.suppress(OSError):
                digest.update((root / name).read_bytes())
        _CODE_FINGERPRINT = digest.hexdigest()
    return _CODE_FINGERPRINT


def _folder_state(folders: list[Path]) -> dict[str, str]:
    """Return ``{file path: sha256}`` for every regular file directly in the folders."""
    state: dict[str, str] = {}
    for folder in folders:
        for path in sorted(folder.iterdir()):
            if path.is_file():
                state[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return state


def cached(key: str, folders: Callable[[], list[Path]], compute: Callable[[], T]) -> T:
    """Return ``compute()``, reusing a stored result while the folders' files are unchanged.

    Parameters
    ----------
    key : str
        What is cached (e.g. the resolved path of a network folder).
    folders : callable
        Returns the folders whose files the result depends on.
    compute : callable
        Computes the result (must be picklable).

    Returns
    -------
    object
        The stored or freshly computed result.
    """
    return cached_with_token(key, folders, compute)[0]


def cached_with_token(
    key: str, folders: Callable[[], list[Path]], compute: Callable[[], T]
) -> tuple[T, str | None]:
    """Like :func:`cached`, also returning a token of the files and code the result came from.

    Parameters
    ----------
    key, folders, compute
        See :func:`cached`.

    Returns
    -------
    tuple
        The result and a hex digest of the key, the folders' files and corridor's code that
        read them; ``None`` when caching is off or the folders cannot be read.
    """
    root = cache_dir()
    if root is None:
        return compute(), None
    name = hashlib.sha256(f"{key}\0{_code_fingerprint()}".encode()).hexdigest()[:32]
    entry = root / "networks" / f"{name}.pickle"
    try:
        deps = folders()
        state = _folder_state(deps)
    except OSError:
        return compute(), None
    token = hashlib.sha256(f"{name}\0{sorted(state.items())}".encode()).hexdigest()
    stored = _read(entry)
    if stored is not None and stored.get("state") == state:
        return stored["value"], token
    value = compute()
    _write(entry, {"format": FORMAT, "state": state, "value": value})
    return value, token


def _read(entry: Path) -> dict[str, Any] | None:
    try:
        with entry.open("rb") as handle:
            data = pickle.load(handle)
    except Exception:  # a missing, partial or outdated entry is a miss
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    return data


def _write(entry: Path, data: dict[str, Any]) -> None:
    with contextlib.suppress(Exception):
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, entry)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
