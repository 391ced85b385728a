"""The ASGI app: the REST API under ``/api``, the map page at ``/``, its files under ``/static``.

Build it with :func:`create_app`; ``corridor serve`` runs it with uvicorn.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import signal
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from corridor._version import __version__
from corridor.web.api import (
    assign,
    economics,
    errors,
    network,
    quote,
    routing,
    runs,
    scenarios,
    validation,
)
from corridor.web.api.deps import AppContext, bundled_network
from corridor.web.db.store import Store
from corridor.web.db.writer import RunWriter
from corridor.web.jobs import JobRunner
from corridor.web.security import HostCheck, SecurityHeaders
from corridor.web.settings import MAX_BODY_BYTES, MAX_PENDING_JOBS, Settings
from corridor.web.throttle import WorkLimiter

log = logging.getLogger("corridor.web")

_MISSING_ASSETS = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>corridor</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>corridor</h1>
<p>The map page needs its JavaScript libraries, which are not built yet.
Build them once with <code>make web-assets</code> (needs Node.js and npm), then reload.</p>
<p>The API works without them: see <a href="/docs">/docs</a>.</p>
</body></html>
"""


class BodyLimit:
    """ASGI middleware refusing request bodies larger than ``max_bytes`` with 413.

    Checks the declared ``Content-Length`` first and counts the bytes of bodies sent without it.
    """

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, or answer 413 once its body is too large."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for key, value in scope.get("headers", []):
            if key == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.max_bytes:
                    await self._refuse(send)
                    return
        seen = 0
        started = refused = False

        async def counted() -> Message:
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes and not refused:
                    refused = True
                    if not started:
                        await self._refuse(send)
                    # The app sees a client that went away and its own answer is dropped.
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, counted, tracking_send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {
                "detail": [
                    {
                        "loc": ["body"],
                        "msg": f"The request body is larger than {self.max_bytes} bytes.",
                        "type": "too_large",
                    }
                ]
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def static_dir() -> Path:
    """Folder of the page's files (``index.html``, scripts, styles, ``vendor/``)."""
    return Path(str(resources.files("corridor.web").joinpath("static")))


def warm_up(network_name: str, *, freeze_gc: bool = False) -> threading.Thread:
    """Load the network and run one route in a background thread (compiles numba kernels).

    With ``freeze_gc``, the objects alive after the warm-up are then frozen (:func:`gc.freeze`).
    """

    def run() -> None:
        from corridor import services

        try:
            net = bundled_network(network_name)
            nodes = list(net.nodes["node_id"])
            if len(nodes) >= 2:
                services.routes_on(net, nodes[0], nodes[-1])
        except Exception as exc:  # a warm-up failure must not stop the server
            log.info("warm-up route did not complete: %s", exc)
        if freeze_gc:
            # Everything loaded so far lives as long as the server: keep it out of the
            # collector's full passes, which otherwise stall every request for ~0.1 s.
            gc.collect()
            gc.freeze()
        log.info("routing cache warm")

    thread = threading.Thread(target=run, name="corridor-warm-up", daemon=True)
    thread.start()
    return thread


def create_app(
    settings: Settings | None = None,
    *,
    migrate: bool = True,
    freeze_gc: bool = False,
    recover: bool = True,
) -> FastAPI:
    """Build the web app.

    Parameters
    ----------
    settings
        Settings; default: read from the environment.
    migrate
        Bring the database schema up to date first.
    freeze_gc
        After the warm-up, move every object alive into the garbage collector's permanent
        generation (:func:`gc.freeze`), so full collections under load stay short. Meant for a
        server process (``corridor serve``), not for apps built and dropped in tests.
    recover
        Mark the jobs an earlier server left queued or running as failed. The worker
        processes of ``corridor serve --workers`` leave that to the command, which does it
        once before they start (a worker must not fail the jobs of its siblings).

    Returns
    -------
    FastAPI
        The app; ``app.state.ctx`` holds the settings, the store, the job runner and the
        run writer (finished runs are written in the background and flushed on shutdown).
    """
    settings = settings or Settings.from_env()
    store = open_store(settings)
    if migrate:
        store.migrate()
    if recover:
        recover_jobs(store)
    # With several worker processes, each takes its share of the server-wide caps.
    jobs = JobRunner(
        store, workers=settings.job_workers, max_pending=settings.per_worker(MAX_PENDING_JOBS)
    )
    writer = RunWriter(store)
    limiter = WorkLimiter(
        per_kind=settings.per_worker(settings.max_heavy_per_kind),
        per_client=settings.per_worker(settings.max_heavy_per_client),
    )
    ctx = AppContext(settings=settings, store=store, jobs=jobs, runs=writer, limiter=limiter)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        jobs.start()
        warm_up(settings.network, freeze_gc=freeze_gc)
        yield
        jobs.shutdown()
        writer.close()
        store.close()

    app = FastAPI(
        title="corridor API",
        version=__version__,
        description=(
            "Routes, risks and bottlenecks of the Kazakhstan–Türkiye (Middle Corridor) "
            "transport system. Figures carry units in their names (`time_h`, `distance_km`, "
            "`cost_usd`); per-unit figures are per TEU for containers and per tonne otherwise."
        ),
        lifespan=lifespan,
        responses={
            400: {"description": "The body is not readable JSON"},
            413: {"description": f"The body is larger than {MAX_BODY_BYTES} bytes"},
        },
    )
    app.state.ctx = ctx
    errors.install(app)
    for module in (network, routing, quote, assign, economics, scenarios, runs, validation):
        app.include_router(module.router)
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(SecurityHeaders)
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )
    # Added last, so it runs first: a request for another host gets no further.
    app.add_middleware(HostCheck, allowed=settings.allowed_hosts)
    _mount_page(app)
    if not settings.write_auth:
        log.warning(
            "WRITES ARE OPEN: CORRIDOR_API_TOKEN is not set, so any client on this machine "
            "(loopback) may save and delete scenarios and runs; writes from other addresses "
            "are refused. Set CORRIDOR_API_TOKEN before serving other machines."
        )
    return app


def open_store(settings: Settings) -> Store:
    """Return the store the settings describe: database, runs kept and SQLite lock wait.

    Parameters
    ----------
    settings
        The app's settings.
    """
    return Store(
        settings.database_url,
        max_runs=settings.max_runs,
        sqlite_busy_ms=settings.sqlite_busy_ms,
    )


def recover_jobs(store: Store) -> int:
    """Mark the jobs an earlier server left queued or running as failed; return how many."""
    interrupted = store.fail_unfinished("interrupted: the server stopped before the job finished")
    if interrupted:
        log.warning("%d unfinished job(s) from an earlier start marked failed", interrupted)
    return interrupted


def worker_app() -> FastAPI:
    """Build the app of one worker process of ``corridor serve --workers N`` (a uvicorn factory).

    The settings come from the environment, where the command put its options; the command
    has migrated the database and recovered interrupted jobs before starting the workers. A
    worker whose parent process is gone (killed without passing on the signal) stops by itself,
    writing its queued runs first.
    """
    _stop_with_parent()
    return create_app(Settings.from_env(), migrate=False, freeze_gc=True, recover=False)


def _stop_with_parent(interval_s: float = 1.0) -> None:
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval_s)
        log.warning("the server's main process is gone; this worker stops")
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="corridor-parent-watch", daemon=True).start()


def _mount_page(app: FastAPI) -> None:
    root = static_dir()
    index = root / "index.html"
    vendor = root / "vendor"

    @app.get("/", include_in_schema=False, response_model=None)
    def page() -> Any:
        if not index.is_file() or not vendor.is_dir() or not any(vendor.iterdir()):
            return HTMLResponse(_MISSING_ASSETS)
        return FileResponse(index)

    if root.is_dir():
        app.mount("/static", StaticFiles(directory=root), name="static")
