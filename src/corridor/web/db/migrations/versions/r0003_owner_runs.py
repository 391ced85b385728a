"""Runs recorded for the token holder are kept: ``runs.owner`` exempts them from pruning.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``owner`` (false for every existing run)."""
    with op.batch_alter_table("runs") as batch:
        batch.add_column(
            sa.Column("owner", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    """Drop ``owner``."""
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("owner")
