"""A tenant's whole state as one JSON document (export, import), and emptying a tenant (reset)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from marketbox.domain.clock import TenantClock
from marketbox.domain.errors import Conflict, InvalidInput
from marketbox.domain.sellers import Seller, SellerCredentials
from marketbox.domain.webhook_destinations import refusal
from marketbox.services.tenants import tenant_seller
from marketbox.store import sellers as seller_store
from marketbox.store import snapshots as store
from marketbox.store.database import Database
from marketbox.store.tables import webhook_endpoints, webhook_messages

FORMAT = "marketbox-tenant-snapshot/1"


@dataclass(frozen=True)
class Snapshot:
    format: str
    schema_revision: str
    seller_id: int
    tables: dict[str, Any]  # table name → rows (column name → JSON value); checked on import


async def export_tenant(db: Database, seller_id: int) -> Snapshot:
    """Every row the tenant owns, read in one snapshot of the database."""
    async with db.read() as conn:
        await tenant_seller(conn, seller_id)
        tables = await store.read_tenant(conn, seller_id)
    return Snapshot(FORMAT, store.schema_revision(), seller_id, tables)


async def import_tenant(
    db: Database, snapshot: Snapshot, allowed_networks: Sequence[str] = ()
) -> tuple[Seller, SellerCredentials]:
    """Restore a tenant with its own ids and credentials, all or nothing; 409 when any is taken, 400
    when a webhook URL is one this server would not subscribe (`allowed_networks`)."""
    if snapshot.format != FORMAT:
        raise InvalidInput(
            "UnknownSnapshotFormat",
            f"format must be {FORMAT!r} (a document of GET /sandbox/tenants/{{seller_id}}/export), "
            f"got {snapshot.format[:60]!r}",
            {"field": "format"},
        )
    revision = store.schema_revision()
    if snapshot.schema_revision != revision:
        raise InvalidInput(
            "SchemaRevisionMismatch",
            f"schema_revision is {snapshot.schema_revision[:40]!r} but this server's schema is at "
            f"{revision!r}: import it into a server at its revision, or export again from one at {revision}",
            {"field": "schema_revision", "expected": revision},
        )
    try:
        rows = store.parse_tables(snapshot.seller_id, snapshot.tables)
    except store.SnapshotError as exc:
        raise InvalidInput("InvalidSnapshot", str(exc), {"field": exc.where}) from None
    _check_destinations(rows, allowed_networks)
    seller_id = snapshot.seller_id
    try:
        # No row to lock yet: the transaction is tenant_write for what follows its commit (this
        # process forgets what it knew of the id, and its webhook worker looks for due deliveries).
        async with db.tenant_write(seller_id) as conn:
            taken = await store.find_collisions(conn, rows)
            if taken:
                raise _conflict(seller_id, taken)
            # A revision this (id, created_at) never had: read caches of any process, kept under
            # (tenant, created_at, revision), may hold answers from an earlier life of the same tenant.
            await store.insert_tenant(conn, rows, data_version=time.time_ns() // 1000)
            seller = await tenant_seller(conn, seller_id)
            credentials = await seller_store.credentials_of(conn, seller_id)
    except store.RowsTaken:
        raise Conflict(
            "SnapshotConflict",
            f"tenant {seller_id} cannot be imported: rows written meanwhile took some of its ids; "
            "nothing was imported",
        ) from None
    assert credentials is not None
    return seller, credentials


def _check_destinations(rows: store.TenantRows, allowed_networks: Sequence[str]) -> None:
    """The webhook URLs deliveries (and re-sends) of the snapshot would go to, under the policy of a
    subscription here."""
    for table in (webhook_endpoints, webhook_messages):
        for i, row in enumerate(rows.tables[table.name]):
            refused = refusal(row["url"], allowed_networks)
            if refused is not None:
                field = f"tables.{table.name}[{i}].url"
                raise InvalidInput(
                    refused.code, f"{field} {row['url']!r}: {refused.reason}", {"field": field}
                )


def _conflict(seller_id: int, taken: list[store.Collision]) -> Conflict:
    parts = []
    for c in taken:
        more = f" and {c.count - len(c.values)} more" if c.count > len(c.values) else ""
        parts.append(f"{c.table}.{'/'.join(c.columns)} {', '.join(map(repr, c.values))}{more}")
    return Conflict(
        "SnapshotConflict",
        f"tenant {seller_id} cannot be imported, nothing was: already taken here: " + "; ".join(parts),
        {
            "collisions": [
                {"table": c.table, "columns": list(c.columns), "values": c.values, "count": c.count}
                for c in taken
            ]
        },
    )


async def reset_tenant(db: Database, seller_id: int) -> tuple[Seller, SellerCredentials]:
    """Empty the tenant: everything it owns goes; its id, name, credentials and created_at stay, and
    its clock shows real time again, running."""
    async with db.tenant_write(seller_id) as conn:
        await tenant_seller(conn, seller_id)
        await store.clear_tenant(conn, seller_id)
        await seller_store.set_clock(conn, seller_id, TenantClock())
        seller = await tenant_seller(conn, seller_id)
        credentials = await seller_store.credentials_of(conn, seller_id)
    assert credentials is not None
    return seller, credentials
