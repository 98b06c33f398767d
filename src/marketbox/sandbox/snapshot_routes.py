"""Sandbox tenant snapshots: export a tenant's whole state as JSON, import it (here or on another
server), and reset a tenant to empty while keeping its id and credentials."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from msgspec import Meta, Struct
from starlette.requests import Request
from starlette.responses import Response

from marketbox.httpapi.endpoints import Endpoint, json_response
from marketbox.sandbox import schemas as s
from marketbox.sandbox.routes import _seller_id, sandbox_endpoint, tenant_out
from marketbox.services import tenant_snapshots
from marketbox.store.database import Database


class TenantSnapshot(Struct):
    """Every row a tenant owns; import it into a server of the same `schema_revision`."""

    format: str  # "marketbox-tenant-snapshot/1"
    schema_revision: str  # the Alembic revision of the exporting server's schema
    seller_id: s.Id
    # table → rows (column → value): timestamps ISO 8601 with zone, JSON columns as JSON, binary base64
    tables: dict[str, list[dict[str, Any]]]


class TenantSnapshotIn(Struct):
    """A document of GET /sandbox/tenants/{seller_id}/export."""

    format: str
    schema_revision: str
    seller_id: s.Id
    # Checked row by row by the service, which names the table, row and column of a problem.
    tables: Annotated[dict[str, Any], Meta(description="table → list of rows (column → value)")]


def endpoints(db: Database, allowed_networks: Sequence[str]) -> list[Endpoint]:
    """`allowed_networks`: the webhook policy an import's URLs must pass, as a subscription's do."""

    async def export(request: Request, _: None) -> Response:
        snap = await tenant_snapshots.export_tenant(db, _seller_id(request))
        return json_response(TenantSnapshot(snap.format, snap.schema_revision, snap.seller_id, snap.tables))

    async def import_(_: Request, body: TenantSnapshotIn) -> Response:
        snap = tenant_snapshots.Snapshot(body.format, body.schema_revision, body.seller_id, body.tables)
        seller, credentials = await tenant_snapshots.import_tenant(db, snap, allowed_networks)
        return json_response(tenant_out(seller, credentials), 201)

    async def reset(request: Request, _: None) -> Response:
        seller, credentials = await tenant_snapshots.reset_tenant(db, _seller_id(request))
        return json_response(tenant_out(seller, credentials))

    base = "/sandbox/tenants"
    return [
        sandbox_endpoint(
            "GET",
            base + "/{seller_id}/export",
            "Export the tenant's whole state (every row it owns) as one JSON document",
            export,
            None,
            TenantSnapshot,
        ),
        sandbox_endpoint(
            "POST",
            base + "/import",
            "Import an exported tenant with its ids and credentials (409 if any is taken)",
            import_,
            TenantSnapshotIn,
            s.TenantOut,
            201,
        ),
        sandbox_endpoint(
            "POST",
            base + "/{seller_id}/reset",
            "Empty the tenant (orders, lists, webhooks, ...) but keep its id and credentials",
            reset,
            None,
            s.TenantOut,
        ),
    ]
