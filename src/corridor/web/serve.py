"""``corridor serve``: run the web app (API and map page) with uvicorn.

The command lives with the web app so that ``python -m corridor.web`` runs it too; the
``corridor`` command registers it.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from corridor.errors import CorridorError

console = Console(stderr=True)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    database: Annotated[
        str | None,
        typer.Option(
            help="Database URL (default: CORRIDOR_DATABASE_URL, else a SQLite file in "
            "CORRIDOR_DATA_DIR or ./.corridor).",
        ),
    ] = None,
    network: Annotated[
        str | None, typer.Option("--network", "-n", help="Bundled dataset to serve.")
    ] = None,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
    workers: Annotated[
        int | None,
        typer.Option(
            help="Server processes sharing the port (default: CORRIDOR_WORKERS, else one per "
            "CPU, at most 4). The caps on heavy work and queued jobs are shared out among them.",
            min=1,
        ),
    ] = None,
) -> None:
    """Run the web app: migrate the database, print where it listens, then serve."""
    import os

    import uvicorn

    from corridor.datasets import bundled_datasets
    from corridor.web.app import create_app, open_store, recover_jobs
    from corridor.web.settings import Settings, default_workers

    if workers is None and not os.environ.get("CORRIDOR_WORKERS"):
        workers = default_workers()
    settings = Settings.from_env(database_url=database, network=network, workers=workers)
    if settings.network not in bundled_datasets():
        raise CorridorError(
            f"--network {settings.network!r} is not a bundled dataset "
            f"({', '.join(bundled_datasets())})"
        )
    app = None
    try:
        if settings.workers == 1:
            app = create_app(settings, freeze_gc=True)
        else:
            # Once, before the workers start: they share the database and the jobs in it.
            store = open_store(settings)
            try:
                store.migrate()
                recover_jobs(store)
            finally:
                store.close()
    except Exception as exc:  # e.g. the database cannot be reached
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(exc, SQLAlchemyError | OSError):
            raise CorridorError(
                f"cannot open the database {settings.describe()['database']}: {exc}"
            ) from None
        raise
    described = settings.describe()
    shown_host = f"[{host}]" if ":" in host else host
    console.print(f"corridor {network or settings.network}: http://{shown_host}:{port}/")
    console.print(f"  API docs  http://{shown_host}:{port}/docs")
    console.print(f"  database  {described['database']}")
    console.print(f"  writes    {described['auth']}")
    console.print(f"  CORS      {described['cors']}")
    console.print(f"  workers   {settings.workers} process(es)")
    if not settings.write_auth:
        console.print(
            "[bold red]WARNING: writes are open (CORRIDOR_API_TOKEN is not set): any program "
            "on this machine may save and delete scenarios and runs. Writes from other "
            "machines are refused; set CORRIDOR_API_TOKEN to allow them with a token.[/]"
        )
    if host not in ("127.0.0.1", "localhost", "::1") and not settings.allowed_hosts:
        console.print(
            "[bold yellow]note: only requests for localhost, 127.0.0.1 and [::1] are answered; "
            "list the names clients use for this server in CORRIDOR_ALLOWED_HOSTS.[/]"
        )
    if app is not None:
        uvicorn.run(app, host=host, port=port, log_level=log_level)
        return
    # The workers read their settings from the environment (a spawned process's only input).
    os.environ.update(
        CORRIDOR_DATABASE_URL=settings.database_url,
        CORRIDOR_NETWORK=settings.network,
        CORRIDOR_WORKERS=str(settings.workers),
    )
    uvicorn.run(
        "corridor.web.app:worker_app",
        factory=True,
        host=host,
        port=port,
        log_level=log_level,
        workers=settings.workers,
    )


def main() -> None:
    """Run ``corridor serve`` on its own (``python -m corridor.web``)."""
    typer.run(serve)
