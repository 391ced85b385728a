"""Database tables: saved scenarios, runs and their shared results.

Migrations in ``migrations/`` create them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, Index, Integer, String, Text, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of corridor's tables."""


class ScenarioRow(Base):
    """A scenario saved by a user, kept as the YAML text it was written in."""

    __tablename__ = "scenarios"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    yaml_text: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RunRow(Base):
    """One call of a model (route, pareto, simulate, assign, compare) and its result."""

    __tablename__ = "runs"
    __table_args__ = (Index("ix_runs_created_at", "created_at"),)

    run_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(10))
    network: Mapped[str] = mapped_column(String(100))
    scenario: Mapped[str | None] = mapped_column(String(100), nullable=True)
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    result_digest: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    duration_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    #: Recorded for a request that carried the bearer token: never pruned.
    owner: Mapped[bool] = mapped_column(Boolean, server_default=false())


class ResultRow(Base):
    """A run's answer as JSON text, stored once and shared by the runs that gave it.

    ``digest`` is the SHA-256 of the text; a run refers to it by ``RunRow.result_digest``.
    """

    __tablename__ = "run_results"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    result: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
