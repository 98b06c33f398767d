"""The schema. Alembic migrations under `migrations/` must produce exactly this."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Identity,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from marketbox.domain.marking_codes import MarkingPolicy

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# First ids handed out. Explicit ids below them stay free for fixtures that replay documented examples.
SELLER_ID_START = 1_100_000_001
TRADE_ORDER_ID_START = 5_000_000_000_000_001
LOGISTIC_ORDER_ID_START = 20_000_001
HANDOVER_LIST_ID_START = 700_001


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite keeps no zone, so it is stripped and restored)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Timestamp = UtcDateTime()
# SQLite only autoincrements an INTEGER PRIMARY KEY; PostgreSQL gets BIGINT identities.
Id = BigInteger().with_variant(Integer(), "sqlite")

sellers = Table(
    "sellers",
    metadata,
    Column("id", Id, Identity(start=SELLER_ID_START), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Column("clock_offset_seconds", Double, nullable=False, server_default=text("0")),
    # Set while the tenant's clock stands still: the real instant its time stands at (+ the offset).
    Column("clock_frozen_at", Timestamp, nullable=True),
    # What the world does on its own (domain/progression.py).
    Column("progression", String(10), nullable=False, server_default=text("'manual'")),
    # May its marked items ship without their DataMatrix code (domain/marking_codes.py MarkingPolicy).
    Column(
        "marking",
        String(10),
        nullable=False,
        server_default=text("'lenient'"),
        info={"choices": tuple(p.value for p in MarkingPolicy)},
    ),
    # Bumped by every write of the tenant: read responses are cached per (tenant, version).
    Column("data_version", BigInteger, nullable=False, server_default=text("0")),
    Column("aliexpress_token", String(100), nullable=False, unique=True),
    Column("lamoda_client_id", String(100), nullable=False, unique=True),
    Column("lamoda_client_secret", String(100), nullable=False),
    sqlite_autoincrement=True,
)

products = Table(
    "products",
    metadata,
    Column("seller_id", BigInteger, ForeignKey("sellers.id", ondelete="CASCADE"), primary_key=True),
    Column("sku_id", BigInteger, primary_key=True),
    Column("item_id", BigInteger, nullable=False),
    Column("name", String(500), nullable=False),
    Column("item_price", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("img_url", String(500), nullable=False),
    Column("properties", JSON, nullable=False),
    Column("marking_required", Boolean, nullable=False),
    Column("jewelry", Boolean, nullable=False),
)

trade_orders = Table(
    "trade_orders",
    metadata,
    Column("id", Id, Identity(start=TRADE_ORDER_ID_START), primary_key=True),
    Column("seller_id", BigInteger, ForeignKey("sellers.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(30), nullable=False),
    Column("payment_status", String(30), nullable=False),
    Column("delivery_status", String(30), nullable=False),
    Column("antifraud_status", String(30), nullable=False),
    Column("display_status", String(30), nullable=False),
    Column("buyer_name", String(200), nullable=False),
    Column("buyer_phone", String(40), nullable=False),
    Column("buyer_country_code", String(10), nullable=False),
    Column("receiver_address", JSON, nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Column("paid_at", Timestamp, nullable=True),
    Column("updated_at", Timestamp, nullable=False),
    Column("cut_off_date", Timestamp, nullable=False),
    Column("shipping_deadline", Timestamp, nullable=False),
    Column("total_amount", BigInteger, nullable=False),
    Column("trade_order_source", String(30), nullable=False),
    Column("finish_reason", String(60), nullable=True),
    Index(None, "seller_id", "created_at"),
    Index(None, "seller_id", "updated_at"),
    sqlite_autoincrement=True,
)

trade_order_lines = Table(
    "trade_order_lines",
    metadata,
    Column("id", Id, Identity(start=100_000_001), primary_key=True),
    Column(
        "trade_order_id",
        BigInteger,
        ForeignKey("trade_orders.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("sku_id", BigInteger, nullable=False),
    Column("product_source_id", BigInteger, nullable=False),
    Column("item_id", BigInteger, nullable=False),
    Column("name", String(500), nullable=False),
    Column("item_price", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("img_url", String(500), nullable=False),
    Column("properties", JSON, nullable=False),
    Column("marking_required", Boolean, nullable=False),
    Column("jewelry", Boolean, nullable=False),
    Column("sku_code", String(100), nullable=False),
    Column("buyer_comment", String(500), nullable=False),
    sqlite_autoincrement=True,
)

handover_lists = Table(
    "handover_lists",
    metadata,
    Column("id", Id, Identity(start=HANDOVER_LIST_ID_START), primary_key=True),
    Column("seller_id", BigInteger, ForeignKey("sellers.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(30), nullable=False),
    Column("shipment_type", String(20), nullable=False),
    Column("arrival_date", Timestamp, nullable=True),
    Column("gmt_create", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    Index(None, "seller_id", "gmt_create"),
    sqlite_autoincrement=True,
)

logistic_orders = Table(
    "logistic_orders",
    metadata,
    Column("id", Id, Identity(start=LOGISTIC_ORDER_ID_START), primary_key=True),
    Column("seller_id", BigInteger, ForeignKey("sellers.id", ondelete="CASCADE"), nullable=False),
    Column(
        "trade_order_id",
        BigInteger,
        ForeignKey("trade_orders.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("status", String(60), nullable=False),
    Column("status_group", String(40), nullable=False),
    Column("problem_state", String(40), nullable=True),
    Column("tracking_code", String(40), nullable=False, unique=True),
    Column("handover_list_id", BigInteger, ForeignKey("handover_lists.id"), nullable=True, index=True),
    Column("cut_off_date", Timestamp, nullable=False),
    Column("cut_off_shifts", Integer, nullable=False),
    Column("gmt_create", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    Column("total_length", Integer, nullable=False),
    Column("total_width", Integer, nullable=False),
    Column("total_height", Integer, nullable=False),
    Column("total_weight", Double, nullable=False),
    Column("items_count", Integer, nullable=False),
    Column("total_amount", BigInteger, nullable=False),
    # The lines never change after creation: one JSON document keeps a page of orders one index scan.
    Column("lines", JSON, nullable=False),
    Column("creation_error", String(500), nullable=True),
    Column("deleted_at", Timestamp, nullable=True),
    Index(
        None,
        "seller_id",
        "status_group",
        "gmt_create",
        "id",
        postgresql_where=text("deleted_at IS NULL"),
        sqlite_where=text("deleted_at IS NULL"),
    ),
    Index(
        None,
        "seller_id",
        "gmt_create",
        "id",
        postgresql_where=text("deleted_at IS NULL"),
        sqlite_where=text("deleted_at IS NULL"),
    ),
    Index(
        None,
        "seller_id",
        "cut_off_date",
        "id",
        postgresql_where=text("deleted_at IS NULL"),
        sqlite_where=text("deleted_at IS NULL"),
    ),
    sqlite_autoincrement=True,
)

# Live logistic orders per seller and status group, kept in step by every write, so that the
# `total` of a page costs one row read instead of a count over millions.
logistic_order_counts = Table(
    "logistic_order_counts",
    metadata,
    Column("seller_id", BigInteger, ForeignKey("sellers.id", ondelete="CASCADE"), primary_key=True),
    Column("status_group", String(40), primary_key=True),
    Column("n", BigInteger, nullable=False),
)

label_documents = Table(
    "label_documents",
    metadata,
    Column("token", String(64), primary_key=True),
    Column("seller_id", BigInteger, ForeignKey("sellers.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(30), nullable=False),
    Column("subject_ids", JSON, nullable=False),
    Column("created_at", Timestamp, nullable=False),
)

# Bearer tokens handed out by the marketplaces' token endpoints; they expire on the seller's clock.
access_tokens = Table(
    "access_tokens",
    metadata,
    Column("token", String(64), primary_key=True),
    Column("seller_id", BigInteger, ForeignKey("sellers.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("api", String(30), nullable=False),
    Column("scope", String(100), nullable=False),
    Column("issued_at", Timestamp, nullable=False),
    Column("expires_at", Timestamp, nullable=False),
)

# ---- Lamoda ---------------------------------------------------------------------------------------

LAMODA_ORDER_ID_START = 84_000_001
LAMODA_ITEM_ID_START = 7_000_001
LAMODA_SHIPMENT_ID_START = 300_001
LAMODA_SUPPLY_ID_START = 500_001
LAMODA_RETURN_ID_START = 900_001
LAMODA_BOX_ID_START = 40_001


def _seller_fk() -> Column[int]:
    return Column("seller_id", BigInteger, ForeignKey("sellers.id", ondelete="CASCADE"), nullable=False)


# The seller's catalogue on Lamoda: `external_sku` is the seller's SKU, `sku` Lamoda's.
lamoda_nomenclatures = Table(
    "lamoda_nomenclatures",
    metadata,
    Column("seller_id", BigInteger, ForeignKey("sellers.id", ondelete="CASCADE"), primary_key=True),
    Column("external_sku", String(100), primary_key=True),
    Column("sku", String(40), nullable=False, unique=True),
    Column("parent_sku", String(40), nullable=False),
    Column("name", String(500), nullable=False),
    Column("brand", String(200), nullable=False),
    Column("color", String(100), nullable=False),
    Column("size", String(40), nullable=False),
    Column("barcode", String(20), nullable=False),
    Column("category", String(200), nullable=False),
    Column("price", BigInteger, nullable=False),
    Column("marking_required", Boolean, nullable=False),
    Column("fbo_stock", BigInteger, nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
)

lamoda_orders = Table(
    "lamoda_orders",
    metadata,
    Column("id", Id, Identity(start=LAMODA_ORDER_ID_START), primary_key=True),
    _seller_fk(),
    Column("order_nr", String(40), nullable=False, unique=True),
    Column("fulfillment_type", String(10), nullable=False),
    Column("status", String(40), nullable=False),
    # What B2B v1 shows from 2026-03-03 on (return statuses hidden), for its status filter.
    Column("v1_status", String(40), nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    Column("cut_off", Timestamp, nullable=True),
    Column("details", JSON, nullable=False),
    # Status lines of the order and its items, oldest first (an order's history stays short).
    Column("history", JSON, nullable=False),
    Column("pack_numbers", JSON, nullable=False),
    Column("sequence_number", BigInteger, nullable=False),
    Index(None, "seller_id", "created_at", "id"),
    Index(None, "seller_id", "updated_at", "id"),
    sqlite_autoincrement=True,
)

lamoda_order_items = Table(
    "lamoda_order_items",
    metadata,
    Column("id", Id, Identity(start=LAMODA_ITEM_ID_START), primary_key=True),
    Column(
        "order_id", BigInteger, ForeignKey("lamoda_orders.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    _seller_fk(),
    Column("sku", String(40), nullable=False),
    Column("external_sku", String(100), nullable=False),
    Column("name", String(500), nullable=False),
    Column("brand", String(200), nullable=False),
    Column("size", String(40), nullable=False),
    Column("color", String(100), nullable=False),
    Column("price", BigInteger, nullable=False),
    Column("paid_price", BigInteger, nullable=False),
    Column("status", String(40), nullable=False),
    Column("status_reason", String(200), nullable=True),
    Column("marking_required", Boolean, nullable=False),
    Column("pack_index", Integer, nullable=True),
    Column("shipment_id", BigInteger, nullable=True),
    Column("updated_at", Timestamp, nullable=False),
    sqlite_autoincrement=True,
)

# Pack numbers (order packs) and pallet barcodes (FBS shipments), per seller: pallet barcodes are the
# seller's own and may repeat across sellers; pack numbers are unique everywhere (public tracking).
lamoda_containers = Table(
    "lamoda_containers",
    metadata,
    Column("seller_id", BigInteger, ForeignKey("sellers.id", ondelete="CASCADE"), primary_key=True),
    Column("barcode", String(60), primary_key=True),
    Column("kind", String(10), nullable=False),
    Column(
        "order_id", BigInteger, ForeignKey("lamoda_orders.id", ondelete="CASCADE"), nullable=True, index=True
    ),
    Column("shipment_id", BigInteger, nullable=True),
    Column("created_at", Timestamp, nullable=False),
    Index(None, "barcode"),
)

lamoda_shipments = Table(
    "lamoda_shipments",
    metadata,
    Column("id", Id, Identity(start=LAMODA_SHIPMENT_ID_START), primary_key=True),
    _seller_fk(),
    Column("status", String(20), nullable=False),
    Column("external_id", String(100), nullable=True),
    Column("source", String(200), nullable=True),
    Column("destination", String(200), nullable=True),
    Column("ship_at", Timestamp, nullable=True),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    Column("pallets", JSON, nullable=False),
    Index(None, "seller_id", "created_at", "id"),
    sqlite_autoincrement=True,
)

lamoda_supplies = Table(
    "lamoda_supplies",
    metadata,
    Column("id", Id, Identity(start=LAMODA_SUPPLY_ID_START), primary_key=True),
    _seller_fk(),
    Column("code", String(100), nullable=False),
    Column("status", String(20), nullable=False),
    Column("supply_date", Date, nullable=False),
    Column("document_number", String(100), nullable=True),
    Column("pallets", JSON, nullable=False),
    Column("items", JSON, nullable=False),
    Column("reject_reason", String(200), nullable=True),
    Column("history", JSON, nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    UniqueConstraint("seller_id", "code"),
    Index(None, "seller_id", "created_at", "id"),
    sqlite_autoincrement=True,
)

# Every marking code a seller sent: a code identifies one physical unit, so it is accepted once
# (per tenant: tenants never learn of each other's data, and may replay the same documented codes).
lamoda_marking_codes = Table(
    "lamoda_marking_codes",
    metadata,
    Column("seller_id", BigInteger, ForeignKey("sellers.id", ondelete="CASCADE"), primary_key=True),
    Column("code", String(120), primary_key=True),
    Column(
        "order_item_id", BigInteger, ForeignKey("lamoda_order_items.id", ondelete="CASCADE"), nullable=True
    ),
    Column("supply_id", BigInteger, ForeignKey("lamoda_supplies.id", ondelete="CASCADE"), nullable=True),
    Column("sku", String(100), nullable=False),
    Column("created_at", Timestamp, nullable=False),
)

lamoda_return_boxes = Table(
    "lamoda_return_boxes",
    metadata,
    Column("id", Id, Identity(start=LAMODA_BOX_ID_START), primary_key=True),
    _seller_fk(),
    Column("barcode", String(40), nullable=False, unique=True),
    Column("status", String(30), nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    Index(None, "seller_id", "created_at", "id"),
    sqlite_autoincrement=True,
)

lamoda_return_items = Table(
    "lamoda_return_items",
    metadata,
    Column("id", Id, Identity(start=LAMODA_RETURN_ID_START), primary_key=True),
    _seller_fk(),
    Column("order_id", BigInteger, ForeignKey("lamoda_orders.id", ondelete="CASCADE"), nullable=False),
    Column(
        "order_item_id", BigInteger, ForeignKey("lamoda_order_items.id", ondelete="CASCADE"), nullable=False
    ),
    Column("box_id", BigInteger, ForeignKey("lamoda_return_boxes.id"), nullable=True, index=True),
    Column("return_type", String(30), nullable=False),
    Column("status", String(30), nullable=False),
    Column("reason", String(200), nullable=True),
    Column("return_date", Timestamp, nullable=False),
    Column("history", JSON, nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    Index(None, "seller_id", "updated_at", "id"),
    Index(None, "order_item_id"),
    sqlite_autoincrement=True,
)

# ---- notifications (webhooks) ---------------------------------------------------------------------

# A seller's webhook URLs, each with its signing secret (`previous_secret` signs too until it lapses).
webhook_endpoints = Table(
    "webhook_endpoints",
    metadata,
    Column("id", String(40), primary_key=True),
    _seller_fk(),
    Column("url", String(2000), nullable=False),
    Column("types", JSON, nullable=True),  # None: every type
    Column("secret", String(100), nullable=False),
    Column("previous_secret", String(100), nullable=True),
    Column("previous_secret_until", Timestamp, nullable=True),
    Column("disabled_at", Timestamp, nullable=True),
    Column("created_at", Timestamp, nullable=False),
    # Faults the seller ordered for its receiver (domain/webhook_faults.py).
    Column("fault_duplicate", Double, nullable=False, server_default=text("0")),
    Column("fault_reorder", Boolean, nullable=False, server_default=false()),
    Column("fault_delay_ms", Integer, nullable=False, server_default=text("0")),
    Column("fault_stale_seconds", Integer, nullable=False, server_default=text("0")),
    Index(None, "seller_id"),
)

# The outbox: every notification, written in the transaction of the change that causes it.
webhook_events = Table(
    "webhook_events",
    metadata,
    Column("id", String(40), primary_key=True),  # the `webhook-id` of every delivery of it
    _seller_fk(),
    Column("type", String(60), nullable=False),
    Column("tracking_id", String(40), nullable=True),
    Column("sequence_number", BigInteger, nullable=False),
    Column("payload", JSON, nullable=False),
    Column("created_at", Timestamp, nullable=False),  # seller's clock
    Index(None, "seller_id", "created_at"),
)

# One delivery of an event to one URL; re-sends add deliveries of the same event.
webhook_messages = Table(
    "webhook_messages",
    metadata,
    Column("id", Id, Identity(start=1), primary_key=True),
    Column(
        "event_id",
        String(40),
        ForeignKey("webhook_events.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    _seller_fk(),
    Column("endpoint_id", String(40), ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), nullable=False),
    Column("url", String(2000), nullable=False),
    Column("tracking_id", String(40), nullable=True),
    Column("sequence_number", BigInteger, nullable=False),
    Column("status", String(20), nullable=False),
    Column("attempts", Integer, nullable=False),
    # When the next attempt is due, in real time (a clock jump of the seller moves it earlier).
    Column("due_at", Timestamp, nullable=True),
    Column("lease_until", Timestamp, nullable=True),  # a worker holds it until then
    Column("created_at", Timestamp, nullable=False),  # seller's clock
    Column("updated_at", Timestamp, nullable=False),
    # Workers read pending deliveries in due order and stop at their batch size.
    Index(
        "ix_webhook_messages_pending_due",
        "due_at",
        "id",
        postgresql_where=text("status = 'pending'"),
        sqlite_where=text("status = 'pending'"),
    ),
    Index(None, "seller_id", "created_at"),
    Index(None, "endpoint_id", "tracking_id", "sequence_number"),
    sqlite_autoincrement=True,
)

webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    Column("id", Id, Identity(start=1), primary_key=True),
    Column(
        "message_id",
        BigInteger,
        ForeignKey("webhook_messages.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("at", Timestamp, nullable=False),  # seller's clock
    Column("url", String(2000), nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("latency_ms", Double, nullable=False),
    Column("response_excerpt", String(500), nullable=True),
    Column("error", String(500), nullable=True),
    sqlite_autoincrement=True,
)

# ---- faults (sandbox) -----------------------------------------------------------------------------

# A seller's fault rules for its marketplace calls (domain/faults.py), checked in id order.
fault_rules = Table(
    "fault_rules",
    metadata,
    Column("id", Id, Identity(start=1), primary_key=True),
    _seller_fk(),
    Column("method", String(10), nullable=False),
    Column("path", String(500), nullable=False),
    Column("action", String(10), nullable=False),
    Column("latency_ms", Integer, nullable=True),
    Column("status", Integer, nullable=True),
    Column("retry_after", Integer, nullable=True),
    Column("error_when", String(10), nullable=True),
    Column("count", Integer, nullable=True),
    Column("remaining", Integer, nullable=True),  # decremented atomically by each fault; None: no limit
    Column("probability", Double, nullable=False),
    Column("hits", BigInteger, nullable=False, server_default=text("0")),
    Column("created_at", Timestamp, nullable=False),  # seller's clock
    Index(None, "seller_id", "id"),
    sqlite_autoincrement=True,
)
