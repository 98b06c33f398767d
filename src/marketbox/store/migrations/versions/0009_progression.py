"""progression: a tenant's automatic world (manual, immediate, timed)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN: batch mode would rebuild the table on SQLite and lose its AUTOINCREMENT.
    op.add_column(
        "sellers",
        sa.Column("progression", sa.String(length=10), server_default=sa.text("'manual'"), nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table("sellers", schema=None) as batch_op:
        batch_op.drop_column("progression")
