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
from marketbox.store import snapshots as snapshot_store
from marketbox.store.database import Database
from marketbox.store.tables import sellers


class TenantSnapshot(Struct):
    """Every row a tenant owns; import it into a server of the same `schema_revision`."""

    format: str  # "marketbox-tenant-snapshot/1"
    schema_revision: str  # the Alembic revision of the exporting server's schema
    seller_id: s.Id
    # table → rows (column → value): timestamps ISO 8601 with zone, JSON columns as JSON, binary base64
    tables: dict[str, list[dict[str, Any]]]


def _column_schema(codec: snapshot_store.Codec) -> dict[str, Any]:
    """What a column's value may be in a snapshot (store.snapshots decodes it so)."""
    schema: dict[str, Any]
    if codec.kind == "int":
        limit = 2 ** (codec.int_bits - 1)
        schema = {"type": "integer", "minimum": -limit, "maximum": limit - 1}
    elif codec.kind == "float":
        schema = {"type": "number"}
    elif codec.kind == "bool":
        schema = {"type": "boolean"}
    elif codec.kind == "str":
        schema = {"type": "string"}
        if codec.max_length is not None:
            schema["maxLength"] = codec.max_length
        if codec.choices is not None:
            schema["enum"] = list(codec.choices)
    elif codec.kind == "datetime":
        zone = "with" if codec.aware else "without"
        schema = {"type": "string", "description": f"ISO 8601 date-time {zone} a zone"}
    elif codec.kind == "date":
        schema = {"type": "string", "description": "ISO 8601 date"}
    elif codec.kind == "bytes":
        schema = {"type": "string", "contentEncoding": "base64"}
    else:  # json
        schema = {}
    return {"anyOf": [schema, {"type": "null"}]} if codec.nullable else schema


def _tables_schema() -> dict[str, Any]:
    """Every table of this schema, each a list of rows with every exported column; the seller's own
    table holds its one row."""
    properties: dict[str, Any] = {}
    for tt in snapshot_store.tenant_tables():
        row = {
            "type": "object",
            "properties": {name: _column_schema(codec) for name, codec in tt.codecs.items()},
            "required": list(tt.codecs),
            "additionalProperties": False,
        }
        properties[tt.name] = {"type": "array", "items": row}
    properties[sellers.name] |= {"minItems": 1, "maxItems": 1}
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


class TenantSnapshotIn(Struct):
    """A document of GET /sandbox/tenants/{seller_id}/export from a server of this schema."""

    format: Annotated[str, Meta(extra_json_schema={"const": tenant_snapshots.FORMAT})]
    schema_revision: Annotated[str, Meta(extra_json_schema={"const": snapshot_store.schema_revision()})]
    seller_id: s.Id
    # Checked row by row by the service, which names the table, row and column of a problem (and that
    # the one sellers row is `seller_id`, that ids are unique and references stay inside the snapshot).
    tables: Annotated[
        dict[str, Any],
        Meta(description="table → list of rows (column → value)", extra_json_schema=_tables_schema()),
    ]


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
