"""Results stored once: runs with the same answer share one row of ``run_results``.

Revision ID: 0002
Revises: 0001
Create Date: 2025-02-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``run_results`` and the runs' reference to it."""
    op.create_table(
        "run_results",
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("result_digest", sa.String(64), nullable=True))
        batch.create_index("ix_runs_result_digest", ["result_digest"])


def downgrade() -> None:
    """Drop the reference and the table (runs keep only their inline results)."""
    with op.batch_alter_table("runs") as batch:
        batch.drop_index("ix_runs_result_digest")
        batch.drop_column("result_digest")
    op.drop_table("run_results")
