"""fault rules: per-tenant latency and errors on the marketplace APIs

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "fault_rules",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False, start=1),
            nullable=False,
        ),
        sa.Column("seller_id", sa.BigInteger(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("latency_ms", sa.Integer(), nullable=True),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("retry_after", sa.Integer(), nullable=True),
        sa.Column("error_when", sa.String(length=10), nullable=True),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("remaining", sa.Integer(), nullable=True),
        sa.Column("probability", sa.Double(), nullable=False),
        sa.Column("hits", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["seller_id"],
            ["sellers.id"],
            name=op.f("fk_fault_rules_seller_id_sellers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fault_rules")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("fault_rules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fault_rules_seller_id_id"), ["seller_id", "id"], unique=False)

    if op.get_bind().dialect.name == "sqlite":
        # SQLite's AUTOINCREMENT has no START: seed its counter to the same first id as PostgreSQL.
        op.execute(sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES ('fault_rules', 0)"))


def downgrade() -> None:
    with op.batch_alter_table("fault_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fault_rules_seller_id_id"))

    op.drop_table("fault_rules")
