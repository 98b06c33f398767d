"""lamoda

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "lamoda_nomenclatures",
        sa.Column("seller_id", sa.BigInteger(), nullable=False),
        sa.Column("external_sku", sa.String(length=100), nullable=False),
        sa.Column("sku", sa.String(length=40), nullable=False),
        sa.Column("parent_sku", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("brand", sa.String(length=200), nullable=False),
        sa.Column("color", sa.String(length=100), nullable=False),
        sa.Column("size", sa.String(length=40), nullable=False),
        sa.Column("barcode", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=200), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("marking_required", sa.Boolean(), nullable=False),
        sa.Column("fbo_stock", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["seller_id"],
            ["sellers.id"],
            name=op.f("fk_lamoda_nomenclatures_seller_id_sellers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seller_id", "external_sku", name=op.f("pk_lamoda_nomenclatures")),
        sa.UniqueConstraint("sku", name=op.f("uq_lamoda_nomenclatures_sku")),
    )
    op.create_table(
        "lamoda_orders",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False, start=84000001),
            nullable=False,
        ),
        sa.Column("seller_id", sa.BigInteger(), nullable=False),
        sa.Column("order_nr", sa.String(length=40), nullable=False),
        sa.Column("fulfillment_type", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("v1_status", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cut_off", sa.DateTime(timezone=True), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.Column("pack_numbers", sa.JSON(), nullable=False),
        sa.Column("sequence_number", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["seller_id"], ["sellers.id"], name=op.f("fk_lamoda_orders_seller_id_sellers"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lamoda_orders")),
        sa.UniqueConstraint("order_nr", name=op.f("uq_lamoda_orders_order_nr")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("lamoda_orders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lamoda_orders_seller_id_created_at_id"),
            ["seller_id", "created_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_lamoda_orders_seller_id_updated_at_id"),
            ["seller_id", "updated_at", "id"],
            unique=False,
        )

    op.create_table(
        "lamoda_return_boxes",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False, start=40001),
            nullable=False,
        ),
        sa.Column("seller_id", sa.BigInteger(), nullable=False),
        sa.Column("barcode", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["seller_id"],
            ["sellers.id"],
            name=op.f("fk_lamoda_return_boxes_seller_id_sellers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lamoda_return_boxes")),
        sa.UniqueConstraint("barcode", name=op.f("uq_lamoda_return_boxes_barcode")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("lamoda_return_boxes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lamoda_return_boxes_seller_id_created_at_id"),
            ["seller_id", "created_at", "id"],
            unique=False,
        )

    op.create_table(
        "lamoda_shipments",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False, start=300001),
            nullable=False,
        ),
        sa.Column("seller_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("destination", sa.String(length=200), nullable=True),
        sa.Column("ship_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pallets", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["seller_id"],
            ["sellers.id"],
            name=op.f("fk_lamoda_shipments_seller_id_sellers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lamoda_shipments")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("lamoda_shipments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lamoda_shipments_seller_id_created_at_id"),
            ["seller_id", "created_at", "id"],
            unique=False,
        )

    op.create_table(
        "lamoda_supplies",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False, start=500001),
            nullable=False,
        ),
        sa.Column("seller_id", sa.BigInteger(), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("supply_date", sa.Date(), nullable=False),
        sa.Column("document_number", sa.String(length=100), nullable=True),
        sa.Column("pallets", sa.JSON(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("reject_reason", sa.String(length=200), nullable=True),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["seller_id"],
            ["sellers.id"],
            name=op.f("fk_lamoda_supplies_seller_id_sellers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lamoda_supplies")),
        sa.UniqueConstraint("seller_id", "code", name=op.f("uq_lamoda_supplies_seller_id_code")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("lamoda_supplies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lamoda_supplies_seller_id_created_at_id"),
            ["seller_id", "created_at", "id"],
            unique=False,
        )

    op.create_table(
        "lamoda_containers",
        sa.Column("seller_id", sa.BigInteger(), nullable=False),
        sa.Column("barcode", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=True),
        sa.Column("shipment_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["lamoda_orders.id"],
            name=op.f("fk_lamoda_containers_order_id_lamoda_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["seller_id"],
            ["sellers.id"],
            name=op.f("fk_lamoda_containers_seller_id_sellers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seller_id", "barcode", name=op.f("pk_lamoda_containers")),
    )
    with op.batch_alter_table("lamoda_containers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lamoda_containers_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lamoda_containers_barcode"), ["barcode"], unique=False)

    op.create_table(
        "lamoda_order_items",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False, start=7000001),
            nullable=False,
        ),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("seller_id", sa.BigInteger(), nullable=False),
        sa.Column("sku", sa.String(length=40), nullable=False),
        sa.Column("external_sku", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("brand", sa.String(length=200), nullable=False),
        sa.Column("size", sa.String(length=40), nullable=False),
        sa.Column("color", sa.String(length=100), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("paid_price", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("status_reason", sa.String(length=200), nullable=True),
        sa.Column("marking_required", sa.Boolean(), nullable=False),
        sa.Column("pack_index", sa.Integer(), nullable=True),
        sa.Column("shipment_id", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["lamoda_orders.id"],
            name=op.f("fk_lamoda_order_items_order_id_lamoda_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["seller_id"],
            ["sellers.id"],
            name=op.f("fk_lamoda_order_items_seller_id_sellers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lamoda_order_items")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("lamoda_order_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lamoda_order_items_order_id"), ["order_id"], unique=False)

    op.create_table(
        "lamoda_marking_codes",
        sa.Column("seller_id", sa.BigInteger(), nullable=False),
        sa.Column("code", sa.String(length=120), nullable=False),
        sa.Column("order_item_id", sa.BigInteger(), nullable=True),
        sa.Column("supply_id", sa.BigInteger(), nullable=True),
        sa.Column("sku", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_item_id"],
            ["lamoda_order_items.id"],
            name=op.f("fk_lamoda_marking_codes_order_item_id_lamoda_order_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["seller_id"],
            ["sellers.id"],
            name=op.f("fk_lamoda_marking_codes_seller_id_sellers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["supply_id"],
            ["lamoda_supplies.id"],
            name=op.f("fk_lamoda_marking_codes_supply_id_lamoda_supplies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seller_id", "code", name=op.f("pk_lamoda_marking_codes")),
    )

    op.create_table(
        "lamoda_return_items",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False, start=900001),
            nullable=False,
        ),
        sa.Column("seller_id", sa.BigInteger(), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("order_item_id", sa.BigInteger(), nullable=False),
        sa.Column("box_id", sa.BigInteger(), nullable=True),
        sa.Column("return_type", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("return_date", sa.DateTime(timezone=True), nullable=False),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["box_id"],
            ["lamoda_return_boxes.id"],
            name=op.f("fk_lamoda_return_items_box_id_lamoda_return_boxes"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["lamoda_orders.id"],
            name=op.f("fk_lamoda_return_items_order_id_lamoda_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["order_item_id"],
            ["lamoda_order_items.id"],
            name=op.f("fk_lamoda_return_items_order_item_id_lamoda_order_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["seller_id"],
            ["sellers.id"],
            name=op.f("fk_lamoda_return_items_seller_id_sellers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lamoda_return_items")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("lamoda_return_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lamoda_return_items_box_id"), ["box_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_lamoda_return_items_order_item_id"), ["order_item_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lamoda_return_items_seller_id_updated_at_id"),
            ["seller_id", "updated_at", "id"],
            unique=False,
        )

    if op.get_bind().dialect.name == "sqlite":
        # SQLite's AUTOINCREMENT has no START: seed its counters to the same first ids as PostgreSQL.
        for table, start in (
            ("lamoda_orders", 84_000_001),
            ("lamoda_order_items", 7_000_001),
            ("lamoda_shipments", 300_001),
            ("lamoda_supplies", 500_001),
            ("lamoda_return_boxes", 40_001),
            ("lamoda_return_items", 900_001),
        ):
            op.execute(
                sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :s)").bindparams(
                    t=table, s=start - 1
                )
            )


def downgrade() -> None:

    with op.batch_alter_table("lamoda_return_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lamoda_return_items_seller_id_updated_at_id"))
        batch_op.drop_index(batch_op.f("ix_lamoda_return_items_order_item_id"))
        batch_op.drop_index(batch_op.f("ix_lamoda_return_items_box_id"))

    op.drop_table("lamoda_return_items")
    op.drop_table("lamoda_marking_codes")
    with op.batch_alter_table("lamoda_order_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lamoda_order_items_order_id"))

    op.drop_table("lamoda_order_items")
    with op.batch_alter_table("lamoda_containers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lamoda_containers_barcode"))
        batch_op.drop_index(batch_op.f("ix_lamoda_containers_order_id"))

    op.drop_table("lamoda_containers")
    with op.batch_alter_table("lamoda_supplies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lamoda_supplies_seller_id_created_at_id"))

    op.drop_table("lamoda_supplies")
    with op.batch_alter_table("lamoda_shipments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lamoda_shipments_seller_id_created_at_id"))

    op.drop_table("lamoda_shipments")
    with op.batch_alter_table("lamoda_return_boxes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lamoda_return_boxes_seller_id_created_at_id"))

    op.drop_table("lamoda_return_boxes")
    with op.batch_alter_table("lamoda_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lamoda_orders_seller_id_updated_at_id"))
        batch_op.drop_index(batch_op.f("ix_lamoda_orders_seller_id_created_at_id"))

    op.drop_table("lamoda_orders")
    op.drop_table("lamoda_nomenclatures")
