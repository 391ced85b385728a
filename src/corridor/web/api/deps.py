"""What the routers share: the app context, write authorisation, networks and scenarios."""

from __future__ import annotations

import asyncio
import difflib
import hashlib
import hmac
import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

from fastapi import Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from corridor import services
from corridor.datasets import bundled_datasets
from corridor.errors import CorridorError
from corridor.io.locate import data_folder, identify
from corridor.model.network import Network
from corridor.model.records import json_safe as json_safe  # the one JSON rule, for routers
from corridor.scenarios import apply_scenario, parse_scenario
from corridor.web.api.errors import ApiError
from corridor.web.db.store import NotFoundError, Store
from corridor.web.db.writer import RunWriter
from corridor.web.jobs import JobRunner
from corridor.web.security import is_loopback
from corridor.web.settings import Settings
from corridor.web.throttle import BusyError, WorkLimiter

log = logging.getLogger(__name__)


@dataclass
class AppContext:
    """Everything a request handler needs, created once per app."""

    settings: Settings
    store: Store
    jobs: JobRunner
    runs: RunWriter
    limiter: WorkLimiter = field(default_factory=WorkLimiter)
    reads: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(2, thread_name_prefix="corridor-read")
    )
    networks: list[str] = field(default_factory=bundled_datasets)
    started: float = field(default_factory=time.time)
    _scenario_cache: dict[tuple[str, str, str], tuple[Network, Network]] = field(
        default_factory=dict
    )
    _lock: threading.Lock = field(default_factory=threading.Lock)


def app_context(request: Request) -> AppContext:
    """Return the app context of a request."""
    ctx: AppContext = request.app.state.ctx
    return ctx


async def context(request: Request) -> AppContext:
    """Return the app context (a FastAPI dependency).

    Declared ``async`` so that FastAPI calls it on the event loop: a plain function would be
    sent to the thread pool and back on every request.
    """
    return app_context(request)


T = TypeVar("T")


async def read(ctx: AppContext, work: Callable[[], T]) -> T:
    """Run a blocking read of the store in the app's own small executor.

    Reads of runs and jobs then never wait for the threads that run computations, and a
    stalled database holds at most the executor's few threads.
    """
    return await asyncio.get_running_loop().run_in_executor(ctx.reads, work)


async def stored(ctx: AppContext, written: Future[None]) -> bool:
    """Wait (on the event loop) until a run is committed; return whether it was in time.

    Waits at most ``store_wait_s`` seconds of the settings; ``False`` means the run is still
    queued (or could not be written) and the answer must say ``"stored": false``.
    """
    try:
        await asyncio.wait_for(
            asyncio.shield(asyncio.wrap_future(written)), ctx.settings.store_wait_s
        )
    except Exception:  # timed out, or the write failed: not stored
        return False
    return True


def wait_stored(ctx: AppContext, written: Future[None]) -> bool:
    """Wait (in a worker thread) until a run is committed; return whether it was in time."""
    try:
        written.result(timeout=ctx.settings.store_wait_s)
    except Exception:  # timed out, or the write failed: not stored
        return False
    return True


def client_address(request: Request) -> str:
    """Return the address of the client that sent a request (``""`` when unknown)."""
    return request.client.host if request.client is not None else ""


@contextmanager
def heavy(ctx: AppContext, request: Request, kind: str) -> Iterator[None]:
    """Hold a slot of heavy work of ``kind`` for the request's client while the block runs.

    Raises
    ------
    ApiError
        429 with ``Retry-After`` when the kind or the client has no free slot.
    """
    try:
        with ctx.limiter.slot(kind, client_address(request)):
            yield
    except BusyError as exc:
        raise ApiError(
            429,
            ["body"],
            str(exc),
            "busy",
            headers={"Retry-After": str(exc.retry_after_s)},
            retry_after_s=exc.retry_after_s,
        ) from None


bearer = HTTPBearer(
    auto_error=False, description="Needed for writes when CORRIDOR_API_TOKEN is set"
)


def require_write(request: Request, credentials: HTTPAuthorizationCredentials | None) -> None:
    """Refuse a write without the right bearer token when the server has one.

    Without a token (open writes), only clients on the loopback interface may write.

    Raises
    ------
    ApiError
        401 (with ``WWW-Authenticate: Bearer``) when the token is missing or wrong; 403 for
        an open write from another machine.
    """
    token = app_context(request).settings.api_token
    if token is None:
        if not is_loopback(client_address(request)):
            raise ApiError(
                403,
                ["header", "Authorization"],
                "Writes are open only to clients on this machine; the server needs "
                "CORRIDOR_API_TOKEN set to accept writes from other addresses.",
                "forbidden",
            )
        return
    given = credentials.credentials if credentials is not None else ""
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise ApiError(
            401,
            ["header", "Authorization"],
            "This server needs a bearer token for writes: send 'Authorization: Bearer <token>'.",
            "unauthorized",
            headers={"WWW-Authenticate": 'Bearer realm="corridor"'},
        )


def is_owner(ctx: AppContext, request: Request) -> bool:
    """Whether a request carries the server's bearer token (never when there is none).

    Runs recorded for such requests are the owner's and are never pruned.
    """
    token = ctx.settings.api_token
    if token is None:
        return False
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode("utf-8", "replace"), token.encode()
    )


def network_name(ctx: AppContext, name: str | None, loc: list[str | int]) -> str:
    """Return a bundled dataset name, checked: a request can never name a folder on the server."""
    chosen = name or ctx.settings.network
    if loaded_network(chosen) is not None:
        return chosen
    available = bundled_datasets()
    if chosen not in available:
        raise ApiError(
            422,
            loc,
            f"Unknown network {chosen!r}; bundled networks: {', '.join(available)}.",
            "not_found",
            input=chosen,
            suggestions=difflib.get_close_matches(chosen, available, n=3),
        )
    return chosen


#: Seconds between checks of a bundled network's files for changes.
NETWORK_RECHECK_S = 1.0
_BUNDLED: dict[str, tuple[float, Network]] = {}
_BUNDLED_LOCK = threading.Lock()
_RECHECKING: set[str] = set()


def bundled_network(name: str) -> Network:
    """Return a bundled dataset, validated and cached (never a path from a request).

    The first call loads it; later calls return the loaded network at once and, every
    :data:`NETWORK_RECHECK_S` seconds, have a background thread check its files (a changed
    file gives a new network object for the calls after the check).
    """
    found = loaded_network(name)
    if found is not None:
        return found
    # One thread loads at a time: concurrent first requests and the warm-up share one network
    # object, so they share its cached answers too.
    with _BUNDLED_LOCK:
        cached = _BUNDLED.get(name)
        if cached is not None:
            return cached[1]
        return _load(name)


def _load(name: str) -> Network:
    """Read (or re-check) a bundled dataset; call with ``_BUNDLED_LOCK`` held."""
    network = services.valid_network(data_folder(name))
    _BUNDLED[name] = (time.monotonic(), network)
    return network


def _recheck(name: str) -> None:
    try:
        with _BUNDLED_LOCK:
            _load(name)
    except Exception as exc:  # a broken file must not stop the server: keep serving
        _BUNDLED[name] = (time.monotonic(), _BUNDLED[name][1])
        log.warning("network %r was not reloaded, its files have errors: %s", name, exc)
    finally:
        _RECHECKING.discard(name)


def loaded_network(name: str) -> Network | None:
    """Return a bundled dataset if it is loaded, else ``None``; never waits for I/O.

    Starts a background check of its files when the last one is older than
    :data:`NETWORK_RECHECK_S`; until it ends, the loaded network is returned.
    """
    cached = _BUNDLED.get(name)
    if cached is None:
        return None
    if time.monotonic() - cached[0] >= NETWORK_RECHECK_S and name not in _RECHECKING:
        _RECHECKING.add(name)
        threading.Thread(
            target=_recheck, args=(name,), name="corridor-network-check", daemon=True
        ).start()
    return cached[1]


def scenario_text(ctx: AppContext, name: str) -> tuple[str, str, bool]:
    """Return the YAML text, a revision key and whether the scenario is bundled.

    Raises
    ------
    NotFoundError
        If there is no saved or bundled scenario of that name.
    """
    try:
        stored = ctx.store.get_scenario(name)
        return stored.yaml_text, f"rev{stored.revision}", False
    except NotFoundError as exc:
        found = identify(name, paths=False)
        if found is not None and found.kind == "scenario" and found.path.is_file():
            return found.path.read_text(encoding="utf-8"), "bundled", True
        names = ctx.store.scenario_names() + services.list_scenarios()
        raise NotFoundError(
            "scenario", name, difflib.get_close_matches(name, names, n=3, cutoff=0.6)
        ) from exc


def network_for(
    ctx: AppContext, network: str | None, scenario: str | None, loc: list[str | int]
) -> tuple[str, Network]:
    """Return the network a request asks for: a bundled dataset with a scenario applied.

    Parameters
    ----------
    ctx
        The app context.
    network
        Bundled dataset name, or ``None`` for the server's default.
    scenario
        Saved or bundled scenario name, or ``None``.
    loc
        Location of the ``scenario`` field, for errors.
    """
    name = network_name(ctx, network, [*loc[:-1], "network"])
    base = bundled_network(name)
    if scenario is None:
        return name, base
    try:
        text, revision, _ = scenario_text(ctx, scenario)
    except NotFoundError as exc:
        raise ApiError(
            422, loc, str(exc), "not_found", input=scenario, suggestions=exc.suggestions
        ) from None
    # The key is the content of the whole chain (the scenario and every saved base it names),
    # so a child follows its parent's updates; the cached entry also remembers the network
    # object it was built on, which changes when the dataset's files do.
    key = (name, scenario, chain_digest(ctx, text, scenario, revision))
    with ctx._lock:
        cached = ctx._scenario_cache.get(key)
    if cached is not None and cached[0] is base:
        return name, cached[1]
    applied = apply_scenario_text(ctx, text, scenario, base, loc)
    with ctx._lock:
        if len(ctx._scenario_cache) > 32:
            ctx._scenario_cache.clear()
        ctx._scenario_cache[key] = (base, applied)
    return name, applied


def chain_digest(ctx: AppContext, text: str, name: str, revision: str) -> str:
    """Return a digest of a scenario's text and of the texts of the saved bases it extends.

    Parameters
    ----------
    ctx
        The app context.
    text
        The scenario's YAML text.
    name
        Its name.
    revision
        Its revision key (from :func:`scenario_text`).

    Returns
    -------
    str
        SHA-256 over every (name, revision, text) of the chain, the scenario first. A base
        that cannot be read or parsed ends the chain (applying it reports the error).
    """
    digest = hashlib.sha256()
    seen: set[str] = set()
    for _ in range(10):
        digest.update(f"{name}\0{revision}\0{text}\0".encode("utf-8", "backslashreplace"))
        seen.add(name)
        try:
            parent = str(getattr(parse_scenario(text, source=name), "base", "") or "")
        except CorridorError:
            break
        if not parent or parent in seen or identify(parent, paths=False) is not None:
            break
        try:
            text, revision, _ = scenario_text(ctx, parent)
        except NotFoundError:
            break
        name = parent
    return digest.hexdigest()


def apply_scenario_text(
    ctx: AppContext,
    text: str,
    name: str,
    base: Network,
    loc: list[str | int],
    depth: int = 0,
) -> Network:
    """Parse and apply a scenario whose base is a bundled dataset, bundled or saved scenario.

    A base is looked up by name only, so a saved scenario cannot make the server read a file.
    """
    if depth > 8:
        raise ApiError(422, loc, f"Scenario {name!r}: bases nest too deep (a cycle?).", "invalid")
    try:
        parsed = parse_scenario(text, source=name)
    except CorridorError as exc:
        raise ApiError(422, loc, f"Scenario {name!r}: {exc}", "invalid_scenario") from None
    parent = str(getattr(parsed, "base", "") or "")
    network = base
    if identify(parent, paths=False) is None:
        # Only names: a saved scenario's base is another saved scenario, never a file.
        try:
            parent_text, _, _ = scenario_text(ctx, parent)
        except NotFoundError as exc:
            hint = f" Did you mean {exc.suggestions[0]!r}?" if exc.suggestions else ""
            raise ApiError(
                422,
                loc,
                f"Scenario {name!r}: base {parent!r} is not a bundled dataset or scenario, nor a "
                f"saved scenario.{hint}",
                "not_found",
            ) from None
        network = apply_scenario_text(ctx, parent_text, parent, base, loc, depth + 1)
        parsed = parsed.model_copy(update={"base": base.meta.name})
    try:
        applied = apply_scenario(parsed, network)
    except CorridorError as exc:
        raise ApiError(422, loc, f"Scenario {name!r}: {exc}", "invalid_scenario") from None
    return applied
