"""webhook faults: duplicate, reorder, delay, stale timestamp per webhook URL

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("webhook_endpoints", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("fault_duplicate", sa.Double(), server_default=sa.text("0"), nullable=False)
        )
        batch_op.add_column(
            sa.Column("fault_reorder", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("fault_delay_ms", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
        batch_op.add_column(
            sa.Column("fault_stale_seconds", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("webhook_endpoints", schema=None) as batch_op:
        for column in ("fault_stale_seconds", "fault_delay_ms", "fault_reorder", "fault_duplicate"):
            batch_op.drop_column(column)
