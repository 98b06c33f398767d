"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "sellers",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False, start=1100000001),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("clock_offset_seconds", sa.Double(), server_default=sa.text("0"), nullable=False),
        sa.Column("data_version", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("aliexpress_token", sa.String(length=100), nullable=False),
        sa.Column("lamoda_client_id", sa.String(length=100), nullable=False),
        sa.Column("lamoda_client_secret", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sellers")),
        sa.UniqueConstraint("aliexpress_token", name=op.f("uq_sellers_aliexpress_token")),
        sa.UniqueConstraint("lamoda_client_id", name=op.f("uq_sellers_lamoda_client_id")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "handover_lists",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False, start=700001),
            nullable=False,
        ),
        sa.Column("seller_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("shipment_type", sa.String(length=20), nullable=False),
        sa.Column("arrival_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("gmt_create", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["seller_id"],
            ["sellers.id"],
            name=op.f("fk_handover_lists_seller_id_sellers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover_lists")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("handover_lists", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_handover_lists_seller_id_gmt_create"), ["seller_id", "gmt_create"], unique=False
        )

    op.create_table(
        "label_documents",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("seller_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("subject_ids", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["seller_id"],
            ["sellers.id"],
            name=op.f("fk_label_documents_seller_id_sellers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_label_documents")),
    )
    with op.batch_alter_table("label_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_label_documents_seller_id"), ["seller_id"], unique=False)

    op.create_table(
        "logistic_order_counts",
        sa.Column("seller_id", sa.BigInteger(), nullable=False),
        sa.Column("status_group", sa.String(length=40), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["seller_id"],
            ["sellers.id"],
            name=op.f("fk_logistic_order_counts_seller_id_sellers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seller_id", "status_group", name=op.f("pk_logistic_order_counts")),
    )
    op.create_table(
        "products",
        sa.Column("seller_id", sa.BigInteger(), nullable=False),
        sa.Column("sku_id", sa.BigInteger(), nullable=False),
        sa.Column("item_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("item_price", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("img_url", sa.String(length=500), nullable=False),
        sa.Column("properties", sa.JSON(), nullable=False),
        sa.Column("marking_required", sa.Boolean(), nullable=False),
        sa.Column("jewelry", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["seller_id"], ["sellers.id"], name=op.f("fk_products_seller_id_sellers"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("seller_id", "sku_id", name=op.f("pk_products")),
    )
    op.create_table(
        "trade_orders",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False, start=5000000000000001),
            nullable=False,
        ),
        sa.Column("seller_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("payment_status", sa.String(length=30), nullable=False),
        sa.Column("delivery_status", sa.String(length=30), nullable=False),
        sa.Column("antifraud_status", sa.String(length=30), nullable=False),
        sa.Column("display_status", sa.String(length=30), nullable=False),
        sa.Column("buyer_name", sa.String(length=200), nullable=False),
        sa.Column("buyer_phone", sa.String(length=40), nullable=False),
        sa.Column("buyer_country_code", sa.String(length=10), nullable=False),
        sa.Column("receiver_address", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cut_off_date", sa.DateTime(timezone=True), nullable=False),
        sa.Column("shipping_deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("total_amount", sa.BigInteger(), nullable=False),
        sa.Column("trade_order_source", sa.String(length=30), nullable=False),
        sa.Column("finish_reason", sa.String(length=60), nullable=True),
        sa.ForeignKeyConstraint(
            ["seller_id"], ["sellers.id"], name=op.f("fk_trade_orders_seller_id_sellers"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trade_orders")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("trade_orders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trade_orders_seller_id_created_at"), ["seller_id", "created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_trade_orders_seller_id_updated_at"), ["seller_id", "updated_at"], unique=False
        )

    op.create_table(
        "logistic_orders",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False, start=20000001),
            nullable=False,
        ),
        sa.Column("seller_id", sa.BigInteger(), nullable=False),
        sa.Column("trade_order_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=60), nullable=False),
        sa.Column("status_group", sa.String(length=40), nullable=False),
        sa.Column("problem_state", sa.String(length=40), nullable=True),
        sa.Column("tracking_code", sa.String(length=40), nullable=False),
        sa.Column("handover_list_id", sa.BigInteger(), nullable=True),
        sa.Column("cut_off_date", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cut_off_shifts", sa.Integer(), nullable=False),
        sa.Column("gmt_create", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("total_length", sa.Integer(), nullable=False),
        sa.Column("total_width", sa.Integer(), nullable=False),
        sa.Column("total_height", sa.Integer(), nullable=False),
        sa.Column("total_weight", sa.Double(), nullable=False),
        sa.Column("items_count", sa.Integer(), nullable=False),
        sa.Column("total_amount", sa.BigInteger(), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("creation_error", sa.String(length=500), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["handover_list_id"],
            ["handover_lists.id"],
            name=op.f("fk_logistic_orders_handover_list_id_handover_lists"),
        ),
        sa.ForeignKeyConstraint(
            ["seller_id"],
            ["sellers.id"],
            name=op.f("fk_logistic_orders_seller_id_sellers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["trade_order_id"],
            ["trade_orders.id"],
            name=op.f("fk_logistic_orders_trade_order_id_trade_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_logistic_orders")),
        sa.UniqueConstraint("tracking_code", name=op.f("uq_logistic_orders_tracking_code")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("logistic_orders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_logistic_orders_handover_list_id"), ["handover_list_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_logistic_orders_seller_id_cut_off_date_id"),
            ["seller_id", "cut_off_date", "id"],
            unique=False,
            postgresql_where=sa.text("deleted_at IS NULL"),
            sqlite_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.create_index(
            batch_op.f("ix_logistic_orders_seller_id_gmt_create_id"),
            ["seller_id", "gmt_create", "id"],
            unique=False,
            postgresql_where=sa.text("deleted_at IS NULL"),
            sqlite_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.create_index(
            batch_op.f("ix_logistic_orders_seller_id_status_group_gmt_create_id"),
            ["seller_id", "status_group", "gmt_create", "id"],
            unique=False,
            postgresql_where=sa.text("deleted_at IS NULL"),
            sqlite_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.create_index(
            batch_op.f("ix_logistic_orders_trade_order_id"), ["trade_order_id"], unique=False
        )

    op.create_table(
        "trade_order_lines",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False, start=100000001),
            nullable=False,
        ),
        sa.Column("trade_order_id", sa.BigInteger(), nullable=False),
        sa.Column("sku_id", sa.BigInteger(), nullable=False),
        sa.Column("product_source_id", sa.BigInteger(), nullable=False),
        sa.Column("item_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("item_price", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("img_url", sa.String(length=500), nullable=False),
        sa.Column("properties", sa.JSON(), nullable=False),
        sa.Column("marking_required", sa.Boolean(), nullable=False),
        sa.Column("jewelry", sa.Boolean(), nullable=False),
        sa.Column("sku_code", sa.String(length=100), nullable=False),
        sa.Column("buyer_comment", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["trade_order_id"],
            ["trade_orders.id"],
            name=op.f("fk_trade_order_lines_trade_order_id_trade_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trade_order_lines")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("trade_order_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trade_order_lines_trade_order_id"), ["trade_order_id"], unique=False
        )

    if op.get_bind().dialect.name == "sqlite":
        # SQLite's AUTOINCREMENT has no START: seed its counters to the same first ids as PostgreSQL.
        for table, start in (
            ("sellers", 1_100_000_001),
            ("trade_orders", 5_000_000_000_000_001),
            ("trade_order_lines", 100_000_001),
            ("handover_lists", 700_001),
            ("logistic_orders", 20_000_001),
        ):
            op.execute(
                sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :s)").bindparams(
                    t=table, s=start - 1
                )
            )


def downgrade() -> None:

    with op.batch_alter_table("trade_order_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trade_order_lines_trade_order_id"))

    op.drop_table("trade_order_lines")
    with op.batch_alter_table("logistic_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_logistic_orders_trade_order_id"))
        batch_op.drop_index(
            batch_op.f("ix_logistic_orders_seller_id_status_group_gmt_create_id"),
            postgresql_where=sa.text("deleted_at IS NULL"),
            sqlite_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.drop_index(
            batch_op.f("ix_logistic_orders_seller_id_gmt_create_id"),
            postgresql_where=sa.text("deleted_at IS NULL"),
            sqlite_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.drop_index(
            batch_op.f("ix_logistic_orders_seller_id_cut_off_date_id"),
            postgresql_where=sa.text("deleted_at IS NULL"),
            sqlite_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_logistic_orders_handover_list_id"))

    op.drop_table("logistic_orders")
    with op.batch_alter_table("trade_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trade_orders_seller_id_updated_at"))
        batch_op.drop_index(batch_op.f("ix_trade_orders_seller_id_created_at"))

    op.drop_table("trade_orders")
    op.drop_table("products")
    op.drop_table("logistic_order_counts")
    with op.batch_alter_table("label_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_label_documents_seller_id"))

    op.drop_table("label_documents")
    with op.batch_alter_table("handover_lists", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handover_lists_seller_id_gmt_create"))

    op.drop_table("handover_lists")
    op.drop_table("sellers")
