"""Tenant snapshots over real HTTP: export a tenant's whole state, import it back (on the same server or
a fresh one, on either database), refuse what collides or is malformed, and reset a tenant to empty."""

from __future__ import annotations

import copy
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Column, ForeignKey, Integer, LargeBinary, MetaData, String, Table

from marketbox.store import snapshots
from marketbox.store.tables import metadata
from tests.conftest import BACKENDS, Tenant, new_tenant
from tests.databases import fresh_database
from tests.dialects.lamoda.helpers import Lamoda, datamatrix
from tests.dialects.lamoda.test_fbo_supplies import nomenclature, supply_body
from tests.servers import RunningServer, running_server

FORMAT = "marketbox-tenant-snapshot/1"
# Tables the rich tenant below fills; every other table of the schema is still exported (maybe empty).
FILLED = {
    "sellers",
    "products",
    "trade_orders",
    "trade_order_lines",
    "logistic_orders",
    "logistic_order_counts",
    "handover_lists",
    "label_documents",
    "access_tokens",
    "lamoda_nomenclatures",
    "lamoda_orders",
    "lamoda_order_items",
    "lamoda_containers",
    "lamoda_shipments",
    "lamoda_supplies",
    "lamoda_marking_codes",
    "lamoda_return_boxes",
    "lamoda_return_items",
    "webhook_endpoints",
    "webhook_events",
    "webhook_messages",
    "webhook_attempts",
}


# ---- a webhook receiver: /ok/... answers 200, /gone/... 410 (which disables the URL) ----------------


class _Hook(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", "0")))
        self.send_response(410 if self.path.startswith("/gone") else 200)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def hooks() -> Iterator[str]:
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=receiver.serve_forever, name="snapshot-hooks", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{receiver.server_address[1]}"
    finally:
        receiver.shutdown()
        receiver.server_close()


# ---- a tenant with data in both marketplaces ---------------------------------------------------------


@dataclass
class Rich:
    tenant: Tenant
    bearer: str  # a Lamoda token issued before the export, valid while the clock stands still
    order_nr: str
    supply_code: str


def ae_ok(tenant: Tenant, path: str, payload: Any) -> dict[str, Any]:
    resp = tenant.ae(path, payload)
    assert resp.status_code == 200, resp.text
    body: dict[str, Any] = resp.json()
    assert body.get("error") is None, resp.text
    return body


def subscribe(tenant: Tenant, url: str) -> None:
    resp = tenant.http.post(f"/sandbox/tenants/{tenant.seller_id}/webhooks", json={"url": url})
    assert resp.status_code == 201, resp.text


def rich_tenant(http: httpx.Client, hooks: str) -> Rich:
    """AliExpress orders split into logistic orders, one deleted, two in a transferred handover list,
    a label; Lamoda orders confirmed, packed, shipped, bought, refused and sent back, one cancelled, an
    FBO supply accepted with marking codes; webhooks delivered to one URL and refused (410) by another.
    The clock ends advanced and stopped, so every answer stays the same until it moves."""
    tenant = new_tenant(http, "Snapshot Seller")
    subscribe(tenant, f"{hooks}/ok/{uuid.uuid4().hex[:8]}")
    subscribe(tenant, f"{hooks}/gone/{uuid.uuid4().hex[:8]}")

    split = tenant.order({"sku_id": 101, "quantity": 2}, {"sku_id": 102, "quantity": 1})
    created = ae_ok(
        tenant,
        "logistic-order/create",
        {
            "orders": [
                {
                    "trade_order_id": split["trade_order_id"],
                    "total_length": 20,
                    "total_width": 10,
                    "total_height": 5,
                    "total_weight": 1.5,
                    "items": [{"sku_id": line["sku_id"], "quantity": line["quantity"]}],
                }
                for line in split["lines"]
            ]
        },
    )
    listed = [lo["id"] for o in created["data"]["orders"] for lo in o["logistic_orders"]]
    assert len(listed) == 2
    handover = ae_ok(tenant, "handover-list/create", {"logistic_order_ids": listed})["data"]
    ae_ok(tenant, "handover-list/transfer", {"handover_list_id": handover["handover_list_id"]})
    [dropped] = tenant.ship(tenant.order({"sku_id": 301, "quantity": 1}))
    ae_ok(tenant, "logistic-order/delete", {"logistic_order_ids": [dropped]})
    ae_ok(tenant, "labels/orders/get", {"logistic_order_ids": listed[:1]})
    tenant.order({"sku_id": 401, "quantity": 3})  # left unshipped

    lamoda = Lamoda(tenant)
    placed = lamoda.buyer_orders(
        {"sku": "SNAP-DRESS", "quantity": 2, "price": 349900, "marking_required": True}
    )
    nr, items = placed["order_nr"], [i["id"] for i in placed["items"]]
    assert lamoda.v1_post(f"orders/{nr}/events", {"type": "confirm"}).status_code == 200
    resp = lamoda.v2_post(f"orders/{placed['id']}/assembly", {"packs": [{"itemIds": items}]})
    assert resp.status_code == 200, resp.text
    resp = lamoda.v2_post(f"orders/{placed['id']}/packs", {"count": 1})
    assert resp.status_code == 200, resp.text
    [pack] = [p["packNumber"] for p in resp.json()["data"]["packs"]]
    pallets = [
        {"packs": [{"packId": pack, "items": [{"unitload": i, "datamatrix": datamatrix()} for i in items]}]}
    ]
    resp = lamoda.v2_post("fbs/shipments", {"pallets": pallets})
    assert resp.status_code == 201, resp.text
    for item in items:
        lamoda.moved(nr, item, "Shipped", "Arrived to LME", "Given to delivery", "In delivery")
    lamoda.moved(nr, items[0], "Delivered")
    lamoda.moved(nr, items[1], "Not bought", "Sent back to partner", reason="Размер не подошёл")
    cancelled = lamoda.buyer_orders({"sku": "SNAP-SCARF"})
    assert lamoda.v1_post(f"orders/{cancelled['order_nr']}/events", {"type": "cancel"}).status_code == 200
    lamoda.buyer_orders({"sku": "SNAP-SCARF", "quantity": 2}, cut_off=None)

    nomenclature(lamoda, "SNAP-COAT", marked=True)
    resp = lamoda.v1_post(
        "shipments/fulfilment", supply_body("SNAP-SUP", ("SNAP-COAT", 2, [datamatrix(), datamatrix()]))
    )
    assert resp.status_code == 201, resp.text
    for status, extra in (
        ("send", {}),
        ("accepted", {"items": [{"sku": "SNAP-COAT", "receipt": 2, "damaged": 1}]}),
    ):
        assert lamoda.supply_event("SNAP-SUP", status=status, **extra).status_code == 200

    tenant.advance(3 * 3600)
    bearer = lamoda.new_token()  # the first one expired with the jump
    assert http.post(f"/sandbox/tenants/{tenant.seller_id}/clock/freeze").status_code == 200
    return Rich(tenant, bearer, nr, "SNAP-SUP")


def export(http: httpx.Client, seller_id: int) -> dict[str, Any]:
    resp = http.get(f"/sandbox/tenants/{seller_id}/export")
    assert resp.status_code == 200, resp.text
    body: dict[str, Any] = resp.json()
    return body


def settled_export(http: httpx.Client, seller_id: int) -> dict[str, Any]:
    """The export once the webhook worker is done with the tenant: nothing leased, nothing pending
    but for the disabled URL, and two exports in a row alike."""
    deadline = time.monotonic() + 30
    previous: dict[str, Any] | None = None
    while True:
        doc = export(http, seller_id)
        tables = doc["tables"]
        disabled = {e["id"] for e in tables["webhook_endpoints"] if e["disabled_at"] is not None}
        quiet = all(
            m["lease_until"] is None and (m["status"] != "pending" or m["endpoint_id"] in disabled)
            for m in tables["webhook_messages"]
        )
        if quiet and disabled and doc == previous:
            return doc
        assert time.monotonic() < deadline, "the webhook worker did not settle"
        previous = doc if quiet else None
        time.sleep(0.2)


def views(http: httpx.Client, rich: Rich) -> dict[str, Any]:
    """What the tenant's integration and the sandbox show of it, the server's own URL left out."""
    t = rich.tenant
    sid = t.seller_id
    ae = {"x-auth-token": t.token}
    bearer = {"Authorization": f"Bearer {rich.bearer}"}
    calls: list[tuple[str, Callable[[], httpx.Response]]] = [
        (path, lambda path=path, body=body: http.post(f"/seller-api/v1/{path}", json=body, headers=ae))
        for path, body in (
            ("order/get-order-list", {"page": 1, "page_size": 100, "trade_order_info": "LogisticInfo"}),
            ("logistic-order/get", {"page": 1, "page_size": 100}),
            ("handover-list/get-by-filter", {"page_size": 50, "page_number": 1}),
        )
    ]
    calls += [
        (path, lambda path=path, params=params: http.get(path, params=params, headers=bearer))
        for path, params in (
            ("/api/v1/orders", {"limit": 100}),
            (f"/api/v1/orders/{rich.order_nr}/statuses", {}),
            ("/api/v1/nomenclatures", {}),
            ("/api/v1/stock/goods", {}),
            ("/api/v1/shipments", {}),
            (f"/api/v1/shipments/fulfilment/{rich.supply_code}", {}),
            (f"/api/v1/ordersTracking/{rich.order_nr[2:]}", {}),
            ("/api/v2/orders", {"sellerId": sid, "limit": 100}),
            ("/api/v2/fbs/shipments", {"sellerId": sid}),
            ("/api/v2/fbs/return-items", {"sellerId": sid}),
            ("/api/v2/fbs/return-boxes", {"sellerId": sid}),
            ("/api/v2/fbo/shipments", {"sellerId": sid}),
            ("/api/v2/stocks-summary", {"sellerId": sid}),
            ("/api/v2/nomenclatures", {"sellerId": sid, "country": "RU"}),
        )
    ]
    calls += [
        (path, lambda path=path: http.get(path))
        for path in (
            f"/sandbox/tenants/{sid}",
            f"/sandbox/tenants/{sid}/clock",
            f"/sandbox/tenants/{sid}/webhooks",
            f"/sandbox/tenants/{sid}/webhooks/messages?limit=1000",
        )
    ]
    seen: dict[str, Any] = {}
    for name, call in calls:
        resp = call()
        assert resp.status_code == 200, (name, resp.text)
        seen[name] = httpx.Response(200, text=resp.text.replace(str(http.base_url).rstrip("/"), "")).json()
    return seen


def import_(http: httpx.Client, doc: dict[str, Any]) -> httpx.Response:
    return http.post("/sandbox/tenants/import", json=doc)


def ids(doc: dict[str, Any], table: str, column: str = "id") -> set[Any]:
    return {row[column] for row in doc["tables"][table]}


def fresh_ids_after_import(http: httpx.Client, rich: Rich, doc: dict[str, Any]) -> None:
    """New tenants, orders, logistic orders and notifications get ids past the imported ones."""
    other = new_tenant(http, "After Import")
    assert other.seller_id > rich.tenant.seller_id
    order = rich.tenant.order({"sku_id": 901, "quantity": 1})
    assert order["trade_order_id"] > max(ids(doc, "trade_orders"))
    assert all(line["id"] > max(ids(doc, "trade_order_lines")) for line in order["lines"])
    [lo] = rich.tenant.ship(order)
    assert lo > max(ids(doc, "logistic_orders"))
    placed = http.post(
        f"/sandbox/tenants/{rich.tenant.seller_id}/lamoda/orders", json={"items": [{"sku": "NEW-1"}]}
    )
    assert placed.status_code == 201, placed.text
    assert int(placed.json()["id"]) > max(ids(doc, "lamoda_orders"))
    assert placed.json()["items"][0]["id"] > max(ids(doc, "lamoda_order_items"))
    later = export(http, rich.tenant.seller_id)
    assert min(ids(later, "webhook_messages") - ids(doc, "webhook_messages")) > max(
        ids(doc, "webhook_messages")
    )


# ---- the schema walk ---------------------------------------------------------------------------------


def test_every_table_of_the_schema_is_in_a_snapshot() -> None:
    walked = snapshots.tenant_tables()
    assert [tt.name for tt in walked] == [t.name for t in metadata.sorted_tables]
    via = {tt.name: tt.parent.name for tt in walked if tt.parent is not None}
    assert via["trade_order_lines"] == "trade_orders" and via["webhook_attempts"] == "webhook_messages"


def test_a_table_no_tenant_owns_stops_the_walk() -> None:
    schema = MetaData()
    root = Table("sellers", schema, Column("id", Integer, primary_key=True))
    Table(
        "orders",
        schema,
        Column("id", Integer, primary_key=True),
        Column("seller_id", ForeignKey("sellers.id")),
    )
    Table("rates", schema, Column("code", String(3), primary_key=True))
    with pytest.raises(RuntimeError, match="table rates belongs to no tenant"):
        snapshots.walk(schema.sorted_tables, root)


def test_column_values_cross_json_by_type() -> None:
    schema = MetaData()
    blob = snapshots.codec_for(Table("b", schema, Column("data", LargeBinary, nullable=False)).c.data)
    assert blob.encode(b"\x00\xff") == "AP8=" and blob.decode("AP8=") == b"\x00\xff"
    with pytest.raises(ValueError, match="base64"):
        blob.decode("not base64!")
    with pytest.raises(ValueError, match="must not be null"):
        blob.decode(None)
    stamp = snapshots.codec_for(metadata.tables["trade_orders"].c.created_at)
    moment = datetime(2026, 11, 23, 10, 0, 0, 1, tzinfo=UTC)
    assert stamp.decode(stamp.encode(moment)) == moment
    with pytest.raises(ValueError, match="no zone"):
        stamp.decode("2026-11-23T10:00:00")
    day = snapshots.codec_for(metadata.tables["lamoda_supplies"].c.supply_date)
    assert day.encode(date(2026, 12, 1)) == "2026-12-01" and day.decode("2026-12-01") == date(2026, 12, 1)
    small = snapshots.codec_for(metadata.tables["logistic_orders"].c.cut_off_shifts)
    with pytest.raises(ValueError, match="32-bit"):
        small.decode(2**31)
    with pytest.raises(ValueError, match="integer"):
        small.decode(True)


# ---- export, delete, import ----------------------------------------------------------------------------


def test_export_delete_import_restores_every_answer(http: httpx.Client, hooks: str) -> None:
    rich = rich_tenant(http, hooks)
    bystander = new_tenant(http, "Bystander")
    bystander.ship(bystander.order({"sku_id": 5, "quantity": 1}))
    sid = rich.tenant.seller_id
    doc = settled_export(http, sid)
    before = views(http, rich)
    bystander_doc = export(http, bystander.seller_id)

    assert (doc["format"], doc["seller_id"]) == (FORMAT, sid)
    assert doc["schema_revision"] == snapshots.schema_revision()
    assert list(doc["tables"]) == [t.name for t in metadata.sorted_tables]
    filled = {name for name, rows in doc["tables"].items() if rows}
    assert not FILLED - filled, FILLED - filled
    [seller] = doc["tables"]["sellers"]
    assert seller["aliexpress_token"] == rich.tenant.token and "data_version" not in seller
    assert (
        seller["clock_offset_seconds"] >= 3 * 3600
        and datetime.fromisoformat(seller["clock_frozen_at"]).tzinfo
    )
    assert isinstance(doc["tables"]["trade_orders"][0]["receiver_address"], dict)
    assert date.fromisoformat(doc["tables"]["lamoda_supplies"][0]["supply_date"])
    assert ids(doc, "trade_order_lines", "trade_order_id") <= ids(doc, "trade_orders")
    assert ids(doc, "webhook_attempts", "message_id") <= ids(doc, "webhook_messages")
    assert ids(doc, "trade_orders").isdisjoint(ids(bystander_doc, "trade_orders"))

    assert http.delete(f"/sandbox/tenants/{sid}").status_code == 204
    assert rich.tenant.ae("logistic-order/get", {"page": 1, "page_size": 100}).status_code == 401
    resp = import_(http, doc)
    assert resp.status_code == 201, resp.text
    assert resp.json() == before[f"/sandbox/tenants/{sid}"]
    assert views(http, rich) == before
    assert export(http, sid) == doc
    assert export(http, bystander.seller_id) == bystander_doc
    fresh_ids_after_import(http, rich, doc)


@pytest.mark.parametrize("target", BACKENDS)
def test_import_into_a_fresh_server(
    http: httpx.Client, server: RunningServer, hooks: str, target: str, tmp_path: Path
) -> None:
    rich = rich_tenant(http, hooks)
    doc = settled_export(http, rich.tenant.seller_id)
    before = views(http, rich)
    with (
        fresh_database(target, tmp_path) as url,
        running_server(url, target) as elsewhere,
        httpx.Client(base_url=elsewhere.base_url, timeout=30) as there,
    ):
        resp = import_(there, doc)
        assert resp.status_code == 201, resp.text
        moved = Rich(Tenant(there, resp.json()), rich.bearer, rich.order_nr, rich.supply_code)
        assert views(there, moved) == before
        assert export(there, rich.tenant.seller_id) == doc
        fresh_ids_after_import(there, moved, doc)
    assert export(http, rich.tenant.seller_id) == doc  # the source is untouched


def test_running_clock_keeps_its_offset(http: httpx.Client) -> None:
    tenant = new_tenant(http, "Clockwork")
    tenant.advance(10 * 86400)
    doc = export(http, tenant.seller_id)
    assert http.delete(f"/sandbox/tenants/{tenant.seller_id}").status_code == 204
    assert import_(http, doc).status_code == 201
    clock = http.get(f"/sandbox/tenants/{tenant.seller_id}/clock").json()
    ahead = datetime.fromisoformat(clock["now"]) - datetime.now(UTC)
    assert clock["frozen"] is False and abs(ahead.total_seconds() - 10 * 86400) < 60


def test_an_import_is_never_answered_from_what_was_cached_before(http: httpx.Client) -> None:
    """Read caches are kept per (tenant, revision): an imported tenant must not meet its former life's."""
    tenant = new_tenant(http, "Cached")
    query = {"page": 1, "page_size": 10}

    def listed() -> list[int]:
        found = ae_ok(tenant, "order/get-order-list", query)["data"]["orders"]
        return sorted(o["id"] for o in found)

    assert listed() == []
    kept = tenant.order({"sku_id": 1, "quantity": 1})["trade_order_id"]
    assert listed() == [kept]
    doc = export(http, tenant.seller_id)
    gone = tenant.order({"sku_id": 2, "quantity": 1})["trade_order_id"]
    assert listed() == [kept, gone]
    assert http.delete(f"/sandbox/tenants/{tenant.seller_id}").status_code == 204
    assert import_(http, doc).status_code == 201
    assert listed() == [kept]
    added = tenant.order({"sku_id": 3, "quantity": 1})["trade_order_id"]
    assert listed() == [kept, added]


ADMIN = "snapshot-admin-token"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_guarded_server_imports_only_for_its_admin(backend: str, tmp_path: Path) -> None:
    with (
        fresh_database(backend, tmp_path) as url,
        running_server(url, backend, admin_token=ADMIN) as srv,
        httpx.Client(base_url=srv.base_url, headers={"Authorization": f"Bearer {ADMIN}"}) as admin,
        httpx.Client(base_url=srv.base_url) as anyone,
    ):
        body = admin.post("/sandbox/tenants", json={"name": "Guarded"}).json()
        sid, own = body["seller_id"], {"x-auth-token": body["aliexpress"]["token"]}
        doc = anyone.get(f"/sandbox/tenants/{sid}/export", headers=own)  # a tenant may export itself
        assert doc.status_code == 200, doc.text
        assert anyone.post(f"/sandbox/tenants/{sid}/reset", headers=own).status_code == 200
        assert anyone.get(f"/sandbox/tenants/{sid}/export").status_code == 401
        assert admin.delete(f"/sandbox/tenants/{sid}").status_code == 204
        refused = anyone.post("/sandbox/tenants/import", json=doc.json(), headers=own)
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "Unauthorized"
        assert admin.get(f"/sandbox/tenants/{sid}").status_code == 404
        assert admin.post("/sandbox/tenants/import", json=doc.json()).status_code == 201


# ---- what an import refuses --------------------------------------------------------------------------


def test_importing_what_exists_conflicts_and_writes_nothing(http: httpx.Client) -> None:
    tenant = new_tenant(http, "Twice")
    tenant.ship(tenant.order({"sku_id": 11, "quantity": 1}))
    doc = export(http, tenant.seller_id)
    count = len(http.get("/sandbox/tenants").json()["tenants"])

    resp = import_(http, doc)
    assert resp.status_code == 409, resp.text
    error = resp.json()["error"]
    assert error["code"] == "SnapshotConflict"
    assert f"sellers.id {tenant.seller_id}" in error["message"]
    taken = {(c["table"], tuple(c["columns"])) for c in error["details"]["collisions"]}
    assert {("sellers", ("id",)), ("sellers", ("aliexpress_token",)), ("trade_orders", ("id",))} <= taken
    assert export(http, tenant.seller_id) == doc
    assert len(http.get("/sandbox/tenants").json()["tenants"]) == count


def test_an_id_taken_by_another_tenant_conflicts_and_nothing_is_written(http: httpx.Client) -> None:
    pinned = 4_000_000_000_000_000 + uuid.uuid4().int % 10**15
    tenant = new_tenant(http, "Pinned")
    tenant.order({"sku_id": 12, "quantity": 1}, trade_order_id=pinned)
    doc = export(http, tenant.seller_id)
    assert http.delete(f"/sandbox/tenants/{tenant.seller_id}").status_code == 204
    squatter = new_tenant(http, "Squatter")
    squatter.order({"sku_id": 13, "quantity": 1}, trade_order_id=pinned)
    squatter_doc = export(http, squatter.seller_id)

    resp = import_(http, doc)
    assert resp.status_code == 409, resp.text
    error = resp.json()["error"]
    assert error["details"]["collisions"] == [
        {"table": "trade_orders", "columns": ["id"], "values": [pinned], "count": 1}
    ]
    assert f"trade_orders.id {pinned}" in error["message"]
    assert http.get(f"/sandbox/tenants/{tenant.seller_id}").status_code == 404
    assert tenant.ae("order/get-order-list", {"page": 1, "page_size": 10}).status_code == 401
    assert export(http, squatter.seller_id) == squatter_doc


@dataclass(frozen=True)
class Source:
    doc: dict[str, Any]  # of a deleted tenant: importing it as is would succeed
    other: dict[str, Any]  # of a live tenant


@pytest.fixture(scope="module")
def source(server: RunningServer) -> Iterator[Source]:
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        tenant, other = new_tenant(http, "Tampered"), new_tenant(http, "Victim")
        for t in (tenant, other):
            t.ship(t.order({"sku_id": 21, "quantity": 1}, {"sku_id": 22, "quantity": 2}))
        doc = export(http, tenant.seller_id)
        assert http.delete(f"/sandbox/tenants/{tenant.seller_id}").status_code == 204
        yield Source(doc, export(http, other.seller_id))


def _set(path: str, value: Any) -> Callable[[dict[str, Any], dict[str, Any]], None]:
    def change(doc: dict[str, Any], _: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = doc
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        if value is _DELETE:
            del node[last]
        else:
            node[int(last) if last.isdigit() else last] = value

    return change


_DELETE = object()


def _foreign_line(doc: dict[str, Any], other: dict[str, Any]) -> None:
    doc["tables"]["trade_order_lines"][0]["trade_order_id"] = other["tables"]["trade_orders"][0]["id"]


def _foreign_owner(doc: dict[str, Any], other: dict[str, Any]) -> None:
    doc["tables"]["trade_orders"][0]["seller_id"] = other["seller_id"]


def _duplicate(doc: dict[str, Any], _: dict[str, Any]) -> None:
    lines = doc["tables"]["trade_order_lines"]
    lines.append({**lines[0]})


def _seller_id(doc: dict[str, Any], _: dict[str, Any]) -> None:
    doc["seller_id"] += 1


TAMPERED: dict[str, tuple[Callable[[dict[str, Any], dict[str, Any]], None], str, str]] = {
    "other revision": (_set("schema_revision", "0001"), "SchemaRevisionMismatch", "schema_revision"),
    "other format": (_set("format", "something-else/1"), "UnknownSnapshotFormat", "format"),
    "missing table": (_set("tables.products", _DELETE), "InvalidSnapshot", "tables.products"),
    "unknown table": (_set("tables.invoices", []), "InvalidSnapshot", "tables.invoices"),
    "unknown column": (
        _set("tables.trade_orders.0.colour", "red"),
        "InvalidSnapshot",
        "tables.trade_orders[0].colour",
    ),
    "missing column": (
        _set("tables.trade_orders.0.status", _DELETE),
        "InvalidSnapshot",
        "tables.trade_orders[0].status",
    ),
    "string for a number": (
        _set("tables.trade_orders.0.total_amount", "12"),
        "InvalidSnapshot",
        "tables.trade_orders[0].total_amount",
    ),
    "timestamp without zone": (
        _set("tables.trade_orders.0.created_at", "2026-11-23T10:00:00"),
        "InvalidSnapshot",
        "tables.trade_orders[0].created_at",
    ),
    "null where required": (_set("tables.sellers.0.name", None), "InvalidSnapshot", "tables.sellers[0].name"),
    "name too long": (_set("tables.sellers.0.name", "x" * 201), "InvalidSnapshot", "tables.sellers[0].name"),
    "unknown marking setting": (
        _set("tables.sellers.0.marking", "loose"),
        "InvalidSnapshot",
        "tables.sellers[0].marking",
    ),
    "row of another seller": (_foreign_owner, "InvalidSnapshot", "tables.trade_orders[0].seller_id"),
    "line of another seller's order": (
        _foreign_line,
        "InvalidSnapshot",
        "tables.trade_order_lines[0].trade_order_id",
    ),
    "repeated row": (_duplicate, "InvalidSnapshot", "tables.trade_order_lines[2].id"),
    "seller id of no row": (_seller_id, "InvalidSnapshot", "tables.sellers"),
    "tables not an object": (_set("tables", []), "ValidationError", "tables"),
    "rows not a list": (_set("tables.products", {}), "InvalidSnapshot", "tables.products"),
    "row not an object": (_set("tables.trade_orders.0", [1]), "InvalidSnapshot", "tables.trade_orders[0]"),
    "no format": (_set("format", _DELETE), "ValidationError", "format"),
}


@pytest.mark.parametrize("case", sorted(TAMPERED))
def test_tampered_or_foreign_documents_are_refused(http: httpx.Client, source: Source, case: str) -> None:
    change, code, field = TAMPERED[case]
    doc = copy.deepcopy(source.doc)
    change(doc, source.other)
    resp = import_(http, doc)
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert (error["code"], error["details"]["field"]) == (code, field), error
    assert field.split(".")[-1].split("[")[0] in error["message"]
    assert http.get(f"/sandbox/tenants/{source.doc['seller_id']}").status_code == 404
    assert export(http, source.other["seller_id"]) == source.other


def test_malformed_bodies_are_refused(http: httpx.Client, source: Source) -> None:
    assert import_(http, {"x": 1}).status_code == 400
    resp = http.post(
        "/sandbox/tenants/import", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "ValidationError"
    resp = import_(http, {**source.doc, "schema_revision": "0006"})
    assert resp.status_code == 400
    assert resp.json()["error"]["details"]["expected"] == snapshots.schema_revision()
    assert "0006" in resp.json()["error"]["message"]


# ---- reset ---------------------------------------------------------------------------------------------


def test_reset_empties_the_tenant_and_keeps_its_credentials(http: httpx.Client, hooks: str) -> None:
    rich = rich_tenant(http, hooks)
    sid = rich.tenant.seller_id
    bystander = new_tenant(http, "Bystander")
    bystander.ship(bystander.order({"sku_id": 5, "quantity": 1}))
    old = settled_export(http, sid)
    seen = views(http, rich)  # the AliExpress reads are cached now
    bystander_doc = export(http, bystander.seller_id)

    resp = http.post(f"/sandbox/tenants/{sid}/reset")
    assert resp.status_code == 200, resp.text
    body = resp.json()
    kept = seen[f"/sandbox/tenants/{sid}"]
    assert {k: v for k, v in body.items() if k != "now"} == {k: v for k, v in kept.items() if k != "now"}
    clock = http.get(f"/sandbox/tenants/{sid}/clock").json()
    assert clock["frozen"] is False
    assert abs((datetime.fromisoformat(clock["now"]) - datetime.now(UTC)).total_seconds()) < 60

    ae = {"page": 1, "page_size": 100}
    assert ae_ok(rich.tenant, "logistic-order/get", ae)["data"]["logistic_orders"] == []
    assert (
        ae_ok(rich.tenant, "order/get-order-list", {**ae, "trade_order_info": "LogisticInfo"})["data"][
            "total_count"
        ]
        == 0
    )
    assert (
        ae_ok(rich.tenant, "handover-list/get-by-filter", {"page_size": 50, "page_number": 1})["data"][
            "data_source"
        ]
        == []
    )
    stale = httpx.Headers({"Authorization": f"Bearer {rich.bearer}"})
    assert http.get("/api/v1/orders", headers=stale).status_code == 401  # issued tokens went with the data
    lamoda = Lamoda(rich.tenant)  # the client credentials still work
    assert lamoda.v1_get("orders").json()["total"] == 0
    assert lamoda.v2_get("orders").json()["meta"]["total"] == 0
    assert lamoda.v2_get("nomenclatures", country="RU").json()["meta"]["total"] == 0
    assert lamoda.v1_get(f"shipments/fulfilment/{rich.supply_code}").status_code == 404
    assert http.get(f"/sandbox/tenants/{sid}/webhooks").json()["webhooks"] == []

    # What is left is what a new tenant starts with.
    emptied = export(http, sid)
    newcomer = new_tenant(http, "Newcomer")
    blank = export(http, newcomer.seller_id)
    for name, rows in blank["tables"].items():
        if name not in ("sellers", "access_tokens"):
            expected = [{**r, "seller_id": sid} if "seller_id" in r else r for r in rows]
            assert emptied["tables"][name] == expected, name
    assert [r["token"] for r in emptied["tables"]["access_tokens"]] == [lamoda.token]
    assert export(http, bystander.seller_id) == bystander_doc

    order = rich.tenant.order({"sku_id": 1, "quantity": 1})
    assert order["trade_order_id"] > max(ids(old, "trade_orders"))  # ids are not handed out again


def test_unknown_tenants_are_404(http: httpx.Client) -> None:
    for resp in (http.get("/sandbox/tenants/999999/export"), http.post("/sandbox/tenants/999999/reset")):
        assert resp.status_code == 404, resp.text
        assert resp.json()["error"]["code"] == "TenantNotFound"
    assert http.get("/sandbox/tenants/abc/export").status_code == 400
    assert http.post("/sandbox/tenants/0/reset").json()["error"]["code"] == "InvalidSellerId"
