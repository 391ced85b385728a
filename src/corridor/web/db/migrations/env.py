"""Alembic environment: run migrations on the connection or URL that corridor passes in."""

from __future__ import annotations

from alembic import context
from alembic.config import Config
from sqlalchemy import create_engine

from corridor.web.db.models import Base

target_metadata = Base.metadata


def _run(config: Config) -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


def _config() -> Config | None:
    try:
        return context.config
    except (NameError, AttributeError):  # imported outside an Alembic command (doctests)
        return None


_CONFIG = _config()
if _CONFIG is not None:
    _run(_CONFIG)
