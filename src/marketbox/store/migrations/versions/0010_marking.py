"""marking: may a tenant's marked items ship without their DataMatrix code (lenient, strict)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN: batch mode would rebuild the table on SQLite and lose its AUTOINCREMENT.
    op.add_column(
        "sellers",
        sa.Column("marking", sa.String(length=10), server_default=sa.text("'lenient'"), nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table("sellers", schema=None) as batch_op:
        batch_op.drop_column("marking")
