"""Seller isolation, authentication and error hygiene of every Lamoda endpoint (v1 and v2), on every backend.

Seller A owns orders in every state (new; assembled, shipped on a pallet, partly returned in a box),
an FBO supply and nomenclature; seller B (its own valid token) owns a few objects of its own. B can
neither read nor change anything of A's: A's ids answer B exactly as ids that never existed do (404 in
the API's own body, never 403). Bad input never answers 500 and never writes half a request.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pypdfium2 as pdfium  # type: ignore[import-untyped, unused-ignore]
import pytest
import zxingcpp

from tests.conftest import Tenant, new_tenant
from tests.dialects.lamoda.helpers import Lamoda, check_documented, documented
from tests.servers import RunningServer

Json = dict[str, Any]
INT64_MAX = 2**63 - 1
V1_MESSAGES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 409: "Conflict"}
V2_CODES = {
    400: "VALIDATION_FAILED",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    409: "CONFLICT",
}
NEVER_ORDER_NR = "RU991231-999999"
NEVER_ID = 99_999_999


# --- envelopes -----------------------------------------------------------------------------------
def api_of(resp: httpx.Response) -> str:
    return "v1" if resp.request.url.path.startswith("/api/v1") else "v2"


def error_body(resp: httpx.Response) -> tuple[str, list[tuple[str, str]]]:
    """The message and the (field, text) details of an error in its API's own body; asserts the shape."""
    assert "Traceback" not in resp.text
    assert resp.headers["content-type"].startswith("application/json"), resp.headers
    body = resp.json()
    if api_of(resp) == "v1":
        assert isinstance(body, dict) and set(body) == {"code", "message", "description", "errors"}, body
        assert body["code"] == resp.status_code, body
        assert isinstance(body["message"], str) and body["message"], body
        assert isinstance(body["description"], str) and body["description"], body
        assert isinstance(body["errors"], list), body
        return body["description"], [(e["field"], e["message"]) for e in body["errors"]]
    assert isinstance(body, dict) and set(body) == {"error"}, body
    error = body["error"]
    assert isinstance(error, dict) and set(error) == {"code", "message", "details"}, body
    assert isinstance(error["message"], str) and error["message"], body
    assert isinstance(error["details"], list), body
    return error["message"], [(d["field"], d["issue"]) for d in error["details"]]


def assert_error(
    http: httpx.Client,
    resp: httpx.Response,
    status: int,
    field: str | None = None,
    *,
    documented: bool = True,
) -> str:
    """`status` in the API's own error body (naming `field` when given); returns the message."""
    assert resp.status_code == status, f"{resp.request.method} {resp.request.url}: {resp.text[:400]}"
    message, details = error_body(resp)
    body = resp.json()
    if api_of(resp) == "v1":
        assert body["message"] == V1_MESSAGES[status], body
    else:
        assert body["error"]["code"] == V2_CODES[status], body
    if field is not None:
        assert details, body
        assert details[0][0] == field, body
    if documented:
        check_documented(http, resp)
    return message


def assert_ok(http: httpx.Client, resp: httpx.Response, status: int = 200) -> Json:
    assert resp.status_code == status, f"{resp.request.method} {resp.request.url}: {resp.text[:400]}"
    check_documented(http, resp)
    body: Json = resp.json()
    return body


def call(
    http: httpx.Client,
    method: str,
    path: str,
    *,
    token: str | None = None,
    params: dict[str, Any] | None = None,
    body: Any = None,
    raw: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    all_headers = dict(headers or {})
    if token is not None:
        all_headers["Authorization"] = f"Bearer {token}"
    if raw is not None:
        all_headers["content-type"] = "application/json"
        return http.request(method, path, params=params, content=raw, headers=all_headers)
    if body is not None:
        return http.request(method, path, params=params, json=body, headers=all_headers)
    return http.request(method, path, params=params, headers=all_headers)


def label_barcodes(http: httpx.Client, url: str) -> list[list[str]]:
    """The Code 128 values on each page of a label PDF, fetched by its absolute URL."""
    resp = http.get(httpx.URL(url).path)
    assert resp.status_code == 200, resp.text
    assert resp.content.startswith(b"%PDF")
    pdf = pdfium.PdfDocument(io.BytesIO(resp.content))
    try:
        return [
            [
                r.text
                for r in zxingcpp.read_barcodes(page.render(scale=300 / 72).to_pil())
                if r.format == zxingcpp.BarcodeFormat.Code128
            ]
            for page in pdf
        ]
    finally:
        pdf.close()


# --- the world -----------------------------------------------------------------------------------
def ship(seller: Lamoda, order: Json, pallet: str) -> Json:
    """A v2 FBS shipment of the whole (assembled, packed) order on one pallet."""
    resp = seller.v2_post(
        "fbs/shipments",
        {
            "pallets": [
                {
                    "palletBarcode": pallet,
                    "packs": [
                        {
                            "packId": order["packs"][0]["packNumber"],
                            "items": [{"unitload": i["id"]} for i in order["items"]],
                        }
                    ],
                }
            ]
        },
    )
    assert resp.status_code == 201, resp.text
    return dict(resp.json()["data"])


def nomenclature(seller: Lamoda, sku: str, **extra: Any) -> httpx.Response:
    body = {"sku": sku, "barcode": "4600000000017", "name": "Платье", "brand": "MB", **extra}
    return seller.v1_post("nomenclatures", {"markingRequired": False, **body})


def supply(seller: Lamoda, code: str, sku: str, **extra: Any) -> httpx.Response:
    body = {"id": code, "date": "01.12.2026", "items": [{"sku": sku, "quantity": 2, "price": 100}], **extra}
    return seller.v1_post("shipments/fulfilment", body)


@dataclass
class World:
    """Seller A (`a`, the victim) with objects in every state, and seller B (`b`, the intruder)."""

    a: Lamoda
    b: Lamoda
    new_order: Json  # A's order awaiting confirmation (sandbox body)
    shipped: Json  # A's order, shipped on `pallet` in `shipment_id` (v2 detail when it was shipped)
    pack: str
    pallet: str
    shipment_id: int
    return_id: int
    box_id: int
    supply_code: str
    sku: str
    b_order: Json  # B's own shipped order
    b_pack: str
    b_pallet: str
    b_shipment_id: int
    a_items: list[int] = field(default_factory=list)

    @property
    def http(self) -> httpx.Client:
        return self.a.http

    def a_strings(self) -> list[str]:
        """Values only A's objects carry: none may appear in anything B reads."""
        return [
            self.new_order["order_nr"],
            self.shipped["orderNr"],
            self.pack,
            self.pallet,
            self.supply_code,
            self.sku,
        ]


def build_world(tenant: Tenant, other_tenant: Tenant) -> World:
    a, b = Lamoda(tenant), Lamoda(other_tenant)
    shipped = a.ready_to_ship({"sku": f"A-DRESS-{a.seller_id}", "quantity": 2, "marking_required": False})
    pallet = f"PAL-A-{a.seller_id}"
    shipment = ship(a, shipped, pallet)
    nr = shipped["orderNr"]
    items = [i["id"] for i in shipped["items"]]
    for item in items:
        a.moved(nr, item, "Shipped", "In delivery")
    a.moved(nr, items[0], "Not bought", reason="Размер не подошёл")
    a.moved(nr, items[0], "Sent back to partner")
    a.moved(nr, items[1], "Delivered")
    [returned] = a.v2_get("fbs/return-items").json()["data"]
    [box] = a.v2_get("fbs/return-boxes").json()["data"]
    assert returned["boxId"] == box["id"] and box["status"] == "SENT_TO_SELLER"
    new_order = a.buyer_orders({"sku": f"A-SHIRT-{a.seller_id}", "marking_required": False})
    sku = f"A-FBO-{a.seller_id}"
    assert nomenclature(a, sku).status_code == 201
    code = f"SUP-A-{a.seller_id}"
    assert supply(a, code, sku).status_code == 201

    b_order = b.ready_to_ship({"sku": "B-COAT", "quantity": 2, "marking_required": False})
    b_pallet = f"PAL-B-{b.seller_id}"
    b_shipment = ship(b, b_order, b_pallet)
    assert nomenclature(b, "B-FBO").status_code == 201
    assert supply(b, f"SUP-B-{b.seller_id}", "B-FBO").status_code == 201
    return World(
        a=a,
        b=b,
        new_order=new_order,
        shipped=shipped,
        pack=shipped["packs"][0]["packNumber"],
        pallet=pallet,
        shipment_id=shipment["id"],
        return_id=returned["id"],
        box_id=box["id"],
        supply_code=code,
        sku=sku,
        b_order=b_order,
        b_pack=b_order["packs"][0]["packNumber"],
        b_pallet=b_pallet,
        b_shipment_id=b_shipment["id"],
        a_items=[*items, *(i["id"] for i in new_order["items"])],
    )


@pytest.fixture
def world(tenant: Tenant, other_tenant: Tenant) -> World:
    return build_world(tenant, other_tenant)


def snapshot(seller: Lamoda, w: World | None = None) -> Json:
    """Everything a seller can read about its own objects (every list, and A's details)."""
    reads = {
        "v1 orders": seller.v1_get("orders", limit=1000),
        "v1 shipments": seller.v1_get("shipments", limit=1000),
        "v1 nomenclatures": seller.v1_get("nomenclatures", limit=1000),
        "v1 stock": seller.v1_get("stock/goods", limit=1000, withZeroQuantity=1),
        "v2 orders": seller.v2_get("orders", limit=100),
        "v2 shipments": seller.v2_get("fbs/shipments", limit=100),
        "v2 returns": seller.v2_get("fbs/return-items", limit=100),
        "v2 boxes": seller.v2_get("fbs/return-boxes", limit=100),
        "v2 nomenclatures": seller.v2_get("nomenclatures", country="RU", limit=25),
        "v2 stock": seller.v2_get("stocks-summary"),
        "v2 fbo": seller.v2_get("fbo/shipments", limit=100),
    }
    if w is not None:
        for nr in (w.new_order["order_nr"], w.shipped["orderNr"]):
            reads[f"v1 {nr}"] = seller.v1_get(f"orders/{nr}")
            reads[f"v1 {nr} statuses"] = seller.v1_get(f"orders/{nr}/statuses")
            reads[f"v2 {nr} items"] = seller.v2_get(f"orders/{nr}/item-statuses")
        reads["box"] = seller.v2_get(f"fbs/return-boxes/{w.box_id}")
        reads["return"] = seller.v2_get(f"fbs/return-items/{w.return_id}/status-history")
        reads["shipment"] = seller.v2_get(f"fbs/shipments/{w.shipment_id}/items")
        reads["pallet"] = seller.v2_get(f"fbs/order-containers/{w.pallet}")
        reads["supply"] = seller.v1_get(f"shipments/fulfilment/{w.supply_code}")
    out: Json = {}
    for name, resp in reads.items():
        out[name] = assert_ok(seller.http, resp)
    return out


def same_as_never_existing(
    w: World, send: Callable[[Any], httpx.Response], known: Any, never: Any, status: int = 404
) -> str:
    """B's answer for A's `known` id(s) equals its answer for ids that never existed; returns the message."""
    mine = send(known)
    unknown = send(never)
    message = assert_error(w.http, mine, status)
    assert_error(w.http, unknown, status)

    def normal(text: str, values: Any) -> str:
        for i, value in enumerate(values if isinstance(values, list) else [values]):
            text = text.replace(str(value), f"<ID{i}>")
        return text

    assert normal(mine.text, known) == normal(unknown.text, never)
    echoed = normal(mine.text, known)  # what B sent comes back; nothing else of A's may
    for text in (w.a.tenant.body["name"], str(w.a.seller_id), *w.a_strings()):
        assert text not in echoed, (text, mine.text)
    return message


# --- attacks: B with its own valid token against A's objects ----------------------------------------
def attack_v1_order_reads(w: World) -> None:
    for key in (w.shipped["orderNr"], w.shipped["id"], w.new_order["order_nr"], w.new_order["id"]):
        never = NEVER_ORDER_NR if key.startswith("RU") else str(NEVER_ID)
        same_as_never_existing(w, lambda k: w.b.v1_get(f"orders/{k}"), key, never)
        same_as_never_existing(w, lambda k: w.b.v1_get(f"orders/{k}/statuses"), key, never)


def attack_v1_order_events(w: World) -> None:
    for event in ("confirm", "cancel"):
        for key in (w.new_order["order_nr"], w.new_order["id"]):
            never = NEVER_ORDER_NR if key.startswith("RU") else str(NEVER_ID)
            same_as_never_existing(
                w, lambda k, e=event: w.b.v1_post(f"orders/{k}/events", {"type": e}), key, never
            )


def attack_v1_supply(w: World) -> None:
    same_as_never_existing(w, lambda c: w.b.v1_get(f"shipments/fulfilment/{c}"), w.supply_code, "SUP-NEVER")


def attack_v2_order_reads(w: World) -> None:
    for key in (w.shipped["id"], w.shipped["orderNr"], w.new_order["id"]):
        never = NEVER_ORDER_NR if key.startswith("RU") else str(NEVER_ID)
        for suffix in ("", "/item-statuses", "/status-history"):
            same_as_never_existing(w, lambda k, s=suffix: w.b.v2_get(f"orders/{k}{s}"), key, never)


def attack_v2_order_changes(w: World) -> None:
    items = [i["id"] for i in w.new_order["items"]]
    for key in (w.new_order["id"], w.new_order["order_nr"]):
        never = NEVER_ORDER_NR if key.startswith("RU") else str(NEVER_ID)
        same_as_never_existing(
            w, lambda k: w.b.v2_post(f"orders/{k}/assembly", {"packs": [{"itemIds": items}]}), key, never
        )
        same_as_never_existing(w, lambda k: w.b.v2_post(f"orders/{k}/packs", {"count": 1}), key, never)


def attack_item_labels(w: World) -> None:
    theirs = [i["id"] for i in w.shipped["items"]]
    message = same_as_never_existing(
        w,
        lambda ids: w.b.v2_post("labels/order-items", {"items": ids}),
        theirs,
        [NEVER_ID, NEVER_ID + 1],
        400,
    )
    assert "none of the items" in message
    own = [i["id"] for i in w.b_order["items"]]
    resp = w.b.v2_post("labels/order-items", {"items": [theirs[0], *own, theirs[1]], "labelFormat": "S"})
    data = assert_ok(w.http, resp)["data"]
    assert data["excludedItems"] == theirs
    assert label_barcodes(w.http, data["fileUrl"]) == [[str(i)] for i in own]


def attack_pack_labels(w: World) -> None:
    message = same_as_never_existing(
        w, lambda p: w.b.v2_post("labels/order-packs", {"packs": [p]}), w.pack, NEVER_ORDER_NR + "-1", 400
    )
    assert "none of the packs" in message
    resp = w.b.v2_post("labels/order-packs", {"packs": [w.pack, w.b_pack]})
    data = assert_ok(w.http, resp)["data"]
    assert data["excludedPacks"] == [w.pack]
    assert label_barcodes(w.http, data["fileUrl"]) == [[w.b_pack]]


def attack_pallet_labels(w: World) -> None:
    message = same_as_never_existing(
        w, lambda p: w.b.v2_post("labels/pallets", {"palletBarcodes": [p]}), w.pallet, "PAL-NEVER-1", 400
    )
    assert "none of the palletBarcodes" in message
    # A's pack number is no pallet of B's either.
    resp = w.b.v2_post(
        "labels/pallets", {"palletBarcodes": [w.b_pallet, w.pallet, w.pack], "labelFormat": "L"}
    )
    data = assert_ok(w.http, resp)["data"]
    assert data["excludedPallets"] == [w.pallet, w.pack]
    assert label_barcodes(w.http, data["fileUrl"]) == [[w.b_pallet]]


def attack_shipments(w: World) -> None:
    for suffix in ("", "/items"):
        same_as_never_existing(
            w, lambda s, x=suffix: w.b.v2_get(f"fbs/shipments/{s}{x}"), str(w.shipment_id), str(NEVER_ID)
        )


def attack_containers(w: World) -> None:
    same_as_never_existing(
        w, lambda c: w.b.v2_get(f"fbs/order-containers/{c}"), w.pack, NEVER_ORDER_NR + "-1"
    )
    same_as_never_existing(w, lambda c: w.b.v2_get(f"fbs/order-containers/{c}"), w.pallet, "PAL-NEVER-1")


def attack_returns(w: World) -> None:
    same_as_never_existing(
        w,
        lambda r: w.b.v2_get(f"fbs/return-items/{r}/status-history"),
        str(w.return_id),
        str(NEVER_ID),
    )
    same_as_never_existing(
        w, lambda o: w.b.v2_get("fbs/return-items", orderId=o), w.shipped["orderNr"], NEVER_ORDER_NR
    )


def attack_return_boxes(w: World) -> None:
    same_as_never_existing(w, lambda x: w.b.v2_get(f"fbs/return-boxes/{x}"), str(w.box_id), str(NEVER_ID))
    same_as_never_existing(
        w, lambda x: w.b.v2_post(f"fbs/return-boxes/{x}/confirm", {}), str(w.box_id), str(NEVER_ID)
    )


def attack_shipping_their_packs(w: World) -> None:
    items = [{"unitload": i["id"]} for i in w.shipped["items"]]
    v2 = w.b.v2_post("fbs/shipments", {"pallets": [{"packs": [{"packId": w.pack, "items": items}]}]})
    assert_error(w.http, v2, 400, "pallets[0].packs[0].packId")
    v1 = w.b.v1_post(
        "shipments/out",
        {
            "containers": [
                {"barcode": f"PAL-B2-{w.b.seller_id}", "containers": [{"barcode": w.pack, "items": items}]}
            ]
        },
    )
    assert_error(w.http, v1, 400, "containers[0].containers[0].barcode")
    # A's items under B's own (already shipped) pack are not found either.
    v2 = w.b.v2_post("fbs/shipments", {"pallets": [{"packs": [{"packId": w.b_pack, "items": items}]}]})
    assert_error(w.http, v2, 400)


def attack_lists(w: World) -> None:
    theirs = snapshot(w.b)
    text = json.dumps(theirs, ensure_ascii=False)
    for value in w.a_strings():
        assert value not in text, value
    assert [o["orderNr"] for o in theirs["v2 orders"]["data"]] == [w.b_order["orderNr"]]
    assert [o["orderNr"] for o in theirs["v1 orders"]["_embedded"]["orders"]] == [w.b_order["orderNr"]]
    assert [s["id"] for s in theirs["v2 shipments"]["data"]] == [w.b_shipment_id]
    assert [s["id"] for s in theirs["v1 shipments"]["_embedded"]["shipments"]] == [w.b_shipment_id]
    assert theirs["v2 returns"]["data"] == [] and theirs["v2 returns"]["meta"]["total"] == 0
    assert theirs["v2 boxes"]["data"] == [] and theirs["v2 boxes"]["meta"]["total"] == 0
    assert [s["code"] for s in theirs["v2 fbo"]["data"]] == [f"SUP-B-{w.b.seller_id}"]
    assert {n["supplier_sku"] for n in theirs["v1 nomenclatures"]["_embedded"]["nomenclatures"]} == {
        "B-COAT",
        "B-FBO",
    }
    assert theirs["v2 nomenclatures"]["meta"]["total"] == 2
    assert theirs["v2 stock"]["data"]["summary"]["skuCount"] == 2
    assert not set(item_ids(theirs)) & set(w.a_items)
    assert set(item_ids(theirs)) == {i["id"] for i in w.b_order["items"]}


def item_ids(value: Any) -> list[int]:
    """Every order item id anywhere in a JSON answer."""
    if isinstance(value, list):
        return [i for v in value for i in item_ids(v)]
    if not isinstance(value, dict):
        return []
    found = [v for k, v in value.items() if k in ("itemId", "unitload", "orderItemId") and isinstance(v, int)]
    if "items" in value and isinstance(value.get("items"), list):
        found += [i["id"] for i in value["items"] if isinstance(i, dict) and isinstance(i.get("id"), int)]
    return found + [i for v in value.values() for i in item_ids(v)]


def attack_same_seller_codes(w: World) -> None:
    """B may use the SKU and supply code A uses: they are B's own, and A's stay untouched."""
    assert_ok(w.http, nomenclature(w.b, w.sku), 201)
    created = assert_ok(w.http, supply(w.b, w.supply_code, w.sku), 201)
    assert created["code"] == w.supply_code
    got = assert_ok(w.http, w.b.v1_get(f"shipments/fulfilment/{w.supply_code}"))
    assert got["id"] == created["id"]


ATTACKS: list[Callable[[World], None]] = [
    attack_v1_order_reads,
    attack_v1_order_events,
    attack_v1_supply,
    attack_v2_order_reads,
    attack_v2_order_changes,
    attack_item_labels,
    attack_pack_labels,
    attack_pallet_labels,
    attack_shipments,
    attack_containers,
    attack_returns,
    attack_return_boxes,
    attack_shipping_their_packs,
    attack_lists,
    attack_same_seller_codes,
]


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.__name__.removeprefix("attack_") for a in ATTACKS])
def test_another_seller_can_neither_read_nor_change_my_objects(
    world: World, attack: Callable[[World], None]
) -> None:
    before = snapshot(world.a, world)
    attack(world)
    assert snapshot(world.a, world) == before


def test_my_objects_still_work_for_me_after_the_attacks(world: World) -> None:
    for attack in ATTACKS:
        attack(world)
    a, http = world.a, world.http
    nr = world.new_order["order_nr"]
    assert assert_ok(http, a.v1_post(f"orders/{nr}/events", {"type": "confirm"}))["status"] == "Confirmed"
    items = [i["id"] for i in world.new_order["items"]]
    assembled = a.v2_post(f"orders/{nr}/assembly", {"packs": [{"itemIds": items}]})
    assert assert_ok(http, assembled)["data"]["status"] == "AWAITING_SHIPMENT"
    box = assert_ok(http, a.v2_post(f"fbs/return-boxes/{world.box_id}/confirm", {}))["data"]
    assert box["status"] == "ACCEPTED_BY_SELLER" and [i["id"] for i in box["items"]] == [world.return_id]
    labels = assert_ok(http, a.v2_post("labels/pallets", {"palletBarcodes": [world.pallet]}))["data"]
    assert labels["excludedPallets"] == []


# --- sellerId (v2) ---------------------------------------------------------------------------------
def v2_gets(w: World) -> list[tuple[str, dict[str, Any]]]:
    order = w.shipped["id"]
    return [
        ("orders", {}),
        (f"orders/{order}", {}),
        (f"orders/{order}/item-statuses", {}),
        (f"orders/{order}/status-history", {}),
        ("fbs/shipments", {}),
        (f"fbs/shipments/{w.shipment_id}", {}),
        (f"fbs/shipments/{w.shipment_id}/items", {}),
        (f"fbs/order-containers/{w.pallet}", {}),
        ("fbs/return-items", {}),
        (f"fbs/return-items/{w.return_id}/status-history", {}),
        ("fbs/return-boxes", {}),
        (f"fbs/return-boxes/{w.box_id}", {}),
        ("nomenclatures", {"country": "RU"}),
        ("stocks-summary", {}),
        ("fbo/shipments", {}),
    ]


def v2_posts(w: World) -> list[tuple[str, Json]]:
    items = [i["id"] for i in w.new_order["items"]]
    order = w.new_order["id"]
    return [
        (f"orders/{order}/assembly", {"packs": [{"itemIds": items}]}),
        (f"orders/{order}/packs", {"count": 1}),
        ("labels/order-items", {"items": items}),
        ("labels/order-packs", {"packs": [w.pack]}),
        ("labels/pallets", {"palletBarcodes": [w.pallet]}),
        ("fbs/shipments", {"pallets": [{"packs": [{"packId": w.pack, "items": [{"unitload": items[0]}]}]}]}),
        (f"fbs/return-boxes/{w.box_id}/confirm", {}),
    ]


def test_a_seller_id_that_is_not_the_tokens_is_403(world: World) -> None:
    """B's token naming A's sellerId reads and changes nothing of A's; neither does A's naming B's."""
    before = snapshot(world.a, world)
    http = world.http
    for caller, victim in ((world.b, world.a), (world.a, world.b)):
        for path, params in v2_gets(world):
            resp = call(
                http,
                "GET",
                f"/api/v2/{path}",
                token=caller.token,
                params={**params, "sellerId": victim.seller_id},
            )
            message = assert_error(http, resp, 403, "sellerId")
            assert str(victim.seller_id) in message
            for value in world.a_strings():
                assert value not in resp.text.replace(path, "")
        for path, body in v2_posts(world):
            resp = call(
                http,
                "POST",
                f"/api/v2/{path}",
                token=caller.token,
                body={"sellerId": victim.seller_id, **body},
            )
            assert_error(http, resp, 403, "sellerId")
    assert snapshot(world.a, world) == before


def test_a_missing_or_malformed_seller_id_is_400_naming_it(world: World) -> None:
    http, a = world.http, world.a
    for path, params in v2_gets(world):
        resp = call(http, "GET", f"/api/v2/{path}", token=a.token, params=params)
        assert_error(http, resp, 400, "sellerId")
        for bad in ("", "abc", "0", "-1", "1.0", str(INT64_MAX + 1), "9" * 30, "١٢"):
            resp = call(http, "GET", f"/api/v2/{path}", token=a.token, params={**params, "sellerId": bad})
            assert_error(http, resp, 400, "sellerId")
    for path, body in v2_posts(world):
        assert_error(http, call(http, "POST", f"/api/v2/{path}", token=a.token, body=body), 400, "sellerId")
        # (a.seller_id + 0.5 is no id; float(a.seller_id), a zero fraction, is the seller's own id)
        bad_ids = (None, f"{a.seller_id}a", "", 0, -1, INT64_MAX + 1, 2**64, a.seller_id + 0.5, [1])
        for bad in bad_ids:
            resp = call(http, "POST", f"/api/v2/{path}", token=a.token, body={**body, "sellerId": bad})
            assert_error(http, resp, 400, "sellerId")


# --- authentication --------------------------------------------------------------------------------
def v1_and_v2_calls(seller: Lamoda, token_header: dict[str, str]) -> list[httpx.Response]:
    """A v1 and a v2 GET and POST with the given headers; the bodies are garbage (auth comes first)."""
    http = seller.http
    return [
        http.get("/api/v1/orders", headers=token_header),
        http.post("/api/v1/orders/1/events", content=b"{oops", headers=token_header),
        http.get("/api/v2/orders", params={"sellerId": seller.seller_id}, headers=token_header),
        http.get("/api/v2/orders", headers=token_header),  # no sellerId: still 401 first
        http.post("/api/v2/labels/order-items", content=b"[]", headers=token_header),
    ]


def assert_all_401(http: httpx.Client, responses: list[httpx.Response], why: str = "") -> None:
    for resp in responses:
        message = assert_error(http, resp, 401)
        assert why in message, message


AUTH_HEADERS: dict[str, Callable[[Tenant, str], dict[str, str]]] = {
    "no header": lambda t, token: {},
    "empty": lambda t, token: {"Authorization": ""},
    "scheme only": lambda t, token: {"Authorization": "Bearer"},
    "basic": lambda t, token: {"Authorization": "Basic dXNlcjpwYXNz"},
    "token without scheme": lambda t, token: {"Authorization": token},
    "other scheme": lambda t, token: {"Authorization": f"Token {token}"},
    "unknown token": lambda t, token: {"Authorization": "Bearer not-a-lamoda-token"},
    "token in another case": lambda t, token: {"Authorization": f"Bearer {token.swapcase()}"},
    "client secret": lambda t, token: {"Authorization": f"Bearer {t.body['lamoda']['client_secret']}"},
    "aliexpress token": lambda t, token: {"Authorization": f"Bearer {t.token}"},
    "token in another header": lambda t, token: {"X-Auth-Token": token},
}


@pytest.mark.parametrize("case", list(AUTH_HEADERS))
def test_missing_malformed_or_unknown_tokens_are_401_in_each_apis_body(tenant: Tenant, case: str) -> None:
    seller = Lamoda(tenant)
    assert_all_401(seller.http, v1_and_v2_calls(seller, AUTH_HEADERS[case](tenant, seller.token)))
    assert_ok(seller.http, seller.v1_get("orders"))  # the real token still works


def test_a_deleted_tenants_token_is_401(http: httpx.Client, tenant: Tenant) -> None:
    other = Lamoda(tenant)
    gone = Lamoda(new_tenant(http, "Gone Seller"))
    order = gone.ready_to_ship({"sku": "GONE-1", "marking_required": False})
    assert_ok(http, gone.v2_get(f"orders/{order['id']}"))
    assert http.delete(f"/sandbox/tenants/{gone.seller_id}").status_code == 204
    assert_all_401(http, v1_and_v2_calls(gone, gone.headers), "unknown or was revoked")
    for resp in (
        gone.v1_get(f"orders/{order['orderNr']}"),
        gone.v2_get(f"orders/{order['id']}"),
        gone.v2_post("labels/order-items", {"items": [order["items"][0]["id"]]}),
    ):
        assert_error(http, resp, 401)
    assert_ok(http, other.v1_get("orders"))  # other sellers are unaffected


def test_an_expired_token_is_401_until_a_new_one_is_issued(http: httpx.Client, tenant: Tenant) -> None:
    seller = Lamoda(tenant)
    bystander = Lamoda(new_tenant(http, "Bystander"))
    tenant.advance(899)
    assert_ok(http, seller.v1_get("orders"))
    assert_ok(http, seller.v2_get("orders"))
    resp = http.post(f"/sandbox/tenants/{tenant.seller_id}/clock/advance", json={"seconds": 2})
    assert resp.status_code == 200, resp.text
    assert_all_401(http, v1_and_v2_calls(seller, seller.headers), "expired")
    assert_ok(http, bystander.v2_get("orders"))  # its clock did not move
    seller.token = seller.new_token()
    assert_ok(http, seller.v1_get("orders"))
    assert_ok(http, seller.v2_get("orders"))


def test_public_tracking_needs_no_token(http: httpx.Client, tenant: Tenant) -> None:
    seller = Lamoda(tenant)
    order = seller.ready_to_ship({"sku": "TRACK-1", "marking_required": False})
    pack = order["packs"][0]["packNumber"]
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic x"}):
        for path in (f"ordersTracking/{order['orderNr']}", f"packsTracking/{pack}"):
            body = assert_ok(http, http.get(f"/api/v1/{path}", headers=headers))
            assert body["orderNr"] == order["orderNr"]
            assert set(body) == {
                "orderNr",
                "trackingId",
                "deliveryDate",
                "deliveryIntervalFrom",
                "deliveryIntervalTo",
                "orderRepresentStatus",
            }
        assert_error(http, http.get(f"/api/v1/ordersTracking/{NEVER_ORDER_NR}", headers=headers), 404)
        assert_error(http, http.get("/api/v1/packsTracking/NO-SUCH-PACK", headers=headers), 404)


# --- bad input: 400 naming the field, nothing written -----------------------------------------------
def test_malformed_bodies_are_400_in_each_apis_body(tenant: Tenant) -> None:
    seller = Lamoda(tenant)
    http = seller.http
    posts = [
        "/api/v1/orders/1/events",
        "/api/v1/shipments/out",
        "/api/v1/shipments/fulfilment",
        "/api/v1/nomenclatures",
        "/api/v2/orders/1/assembly",
        "/api/v2/orders/1/packs",
        "/api/v2/labels/order-items",
        "/api/v2/labels/order-packs",
        "/api/v2/labels/pallets",
        "/api/v2/fbs/shipments",
        "/api/v2/fbs/return-boxes/1/confirm",
    ]
    for path in posts:
        for raw, why in (
            (b"", "body is required"),
            (b"   ", "body is required"),
            (b"{", "not valid JSON"),
            (b"{'sellerId': 1}", "not valid JSON"),
            (b"\xff\xfe\x00\x00", "not valid JSON"),
            (b"[]", "Expected `object`, got `array`"),
            (b"[{}]", "Expected `object`, got `array`"),
            (b"null", "Expected `object`, got `null`"),
            (b'"x"', "Expected `object`, got `str`"),
            (b"1", "Expected `object`, got `int`"),
            (b"[" * 10_000 + b"]" * 10_000, ""),
            (b'{"a": ' + b"[" * 5000 + b"]" * 5000 + b"}", ""),
            (b'{"sellerId": NaN}', "not valid JSON"),
            (b'{"sellerId": 1} trailing', ""),
        ):
            message = assert_error(http, call(http, "POST", path, token=seller.token, raw=raw), 400)
            assert why in message, (path, raw[:40], message)
    assert snapshot(seller)["v2 orders"]["meta"]["total"] == 0


def bad_field_cases(w: World) -> list[tuple[str, Json, str]]:
    """(path, body, the field the 400 must name) for wrong types, missing fields and values past limits."""
    sid = w.a.seller_id
    order = w.new_order["id"]
    items = [i["id"] for i in w.new_order["items"]]
    pack = {"packId": w.pack, "items": [{"unitload": items[0]}]}
    return [
        # v1: missing fields, wrong types
        (f"/api/v1/orders/{order}/events", {}, "type"),
        (f"/api/v1/orders/{order}/events", {"type": "ship"}, "type"),
        (f"/api/v1/orders/{order}/events", {"type": 1}, "type"),
        ("/api/v1/shipments/out", {}, "containers"),
        ("/api/v1/shipments/out", {"containers": {}}, "containers"),
        ("/api/v1/shipments/out", {"containers": [{}]}, "containers[0].barcode"),
        ("/api/v1/shipments/out", {"containers": [{"barcode": "a b"}]}, "containers[0].barcode"),
        ("/api/v1/shipments/out", {"containers": [{"barcode": "P", "type": "box"}]}, "containers[0].type"),
        (
            "/api/v1/shipments/out",
            {
                "containers": [
                    {"barcode": "P", "containers": [{"barcode": "K", "items": [{"unitload": "1a"}]}]}
                ]
            },
            "containers[0].containers[0].items[0].unitload",
        ),
        (
            "/api/v1/shipments/out",
            {
                "containers": [
                    {"barcode": "P", "containers": [{"barcode": "K", "items": [{"unitload": 2**63}]}]}
                ]
            },
            "containers[0].containers[0].items[0].unitload",
        ),
        ("/api/v1/shipments/out", {"containers": [{"barcode": "P", "containers": []}] * 101}, "containers"),
        ("/api/v1/shipments/fulfilment", {"items": []}, "date"),
        ("/api/v1/shipments/fulfilment", {"date": "2026-12-01", "items": []}, "date"),
        (
            "/api/v1/shipments/fulfilment",
            {"date": "31.02.2026", "items": [{"sku": w.sku, "quantity": 1, "price": 1}]},
            "date",
        ),
        ("/api/v1/shipments/fulfilment", {"date": "01.12.2026"}, "items"),
        (
            "/api/v1/shipments/fulfilment",
            {"date": "01.12.2026", "items": [{"sku": w.sku, "quantity": "1", "price": 1}]},
            "items[0].quantity",
        ),
        (
            "/api/v1/shipments/fulfilment",
            {"date": "01.12.2026", "items": [{"sku": w.sku, "quantity": 2**64, "price": 1}]},
            "items[0].quantity",
        ),
        (
            "/api/v1/shipments/fulfilment",
            {"date": "01.12.2026", "items": [{"sku": w.sku, "quantity": 1, "price": 1e300}]},
            "items[0].price",
        ),
        (
            "/api/v1/shipments/fulfilment",
            {
                "date": "01.12.2026",
                "items": [{"sku": f"S{i}", "quantity": 1, "price": 1} for i in range(1001)],
            },
            "items",
        ),
        ("/api/v1/nomenclatures", {"barcode": "4600000000017", "name": "n", "brand": "b"}, "sku"),
        ("/api/v1/nomenclatures", {"sku": "X", "barcode": "abc", "name": "n", "brand": "b"}, "barcode"),
        (
            "/api/v1/nomenclatures",
            {"sku": "X", "barcode": 4600000000017, "name": "n", "brand": "b"},
            "barcode",
        ),
        ("/api/v1/nomenclatures", {"sku": "", "barcode": "4600000000017", "name": "n", "brand": "b"}, "sku"),
        (
            "/api/v1/nomenclatures",
            {"sku": "X", "barcode": "4600000000017", "name": "n", "brand": "b", "markingRequired": "yes"},
            "markingRequired",
        ),
        # v2: missing fields, wrong types, int64 overflow, lists past the documented maxima
        (f"/api/v2/orders/{order}/assembly", {"sellerId": sid}, "packs"),
        (f"/api/v2/orders/{order}/assembly", {"sellerId": sid, "packs": []}, "packs"),
        (f"/api/v2/orders/{order}/assembly", {"sellerId": sid, "packs": [{}]}, "packs[0].itemIds"),
        (
            f"/api/v2/orders/{order}/assembly",
            {"sellerId": sid, "packs": [{"itemIds": ["1a"]}]},
            "packs[0].itemIds[0]",
        ),
        (
            f"/api/v2/orders/{order}/assembly",
            {"sellerId": sid, "packs": [{"itemIds": [INT64_MAX + 1]}]},
            "packs[0].itemIds[0]",
        ),
        (
            f"/api/v2/orders/{order}/assembly",
            {"sellerId": sid, "packs": [{"itemIds": [10**30]}]},
            "packs[0].itemIds[0]",
        ),
        (
            f"/api/v2/orders/{order}/assembly",
            {"sellerId": sid, "packs": [{"itemIds": list(range(1, 102))}]},
            "packs[0].itemIds",
        ),
        (f"/api/v2/orders/{order}/assembly", {"sellerId": sid, "packs": [{"itemIds": [1]}] * 101}, "packs"),
        (f"/api/v2/orders/{order}/packs", {"sellerId": sid}, "count"),
        (f"/api/v2/orders/{order}/packs", {"sellerId": sid, "count": "1"}, "count"),
        (f"/api/v2/orders/{order}/packs", {"sellerId": sid, "count": 0}, "count"),
        (f"/api/v2/orders/{order}/packs", {"sellerId": sid, "count": 2**64}, "count"),
        ("/api/v2/labels/order-items", {"sellerId": sid}, "items"),
        ("/api/v2/labels/order-items", {"sellerId": sid, "items": "1"}, "items"),
        ("/api/v2/labels/order-items", {"sellerId": sid, "items": [1.5]}, "items[0]"),
        ("/api/v2/labels/order-items", {"sellerId": sid, "items": [INT64_MAX + 1]}, "items[0]"),
        ("/api/v2/labels/order-items", {"sellerId": sid, "items": [-1]}, "items[0]"),
        ("/api/v2/labels/order-items", {"sellerId": sid, "items": []}, "items"),
        ("/api/v2/labels/order-items", {"sellerId": sid, "items": list(range(1, 1002))}, "items"),
        ("/api/v2/labels/order-packs", {"sellerId": sid, "packs": [1]}, "packs[0]"),
        ("/api/v2/labels/order-packs", {"sellerId": sid, "packs": [""]}, "packs[0]"),
        ("/api/v2/labels/order-packs", {"sellerId": sid, "packs": ["x" * 61]}, "packs[0]"),
        ("/api/v2/labels/order-packs", {"sellerId": sid, "packs": [f"P{i}" for i in range(1001)]}, "packs"),
        ("/api/v2/labels/pallets", {"sellerId": sid}, "palletBarcodes"),
        ("/api/v2/labels/pallets", {"sellerId": sid, "palletBarcodes": [None]}, "palletBarcodes[0]"),
        (
            "/api/v2/labels/pallets",
            {"sellerId": sid, "palletBarcodes": [f"P{i}" for i in range(1001)]},
            "palletBarcodes",
        ),
        ("/api/v2/fbs/shipments", {"sellerId": sid}, "pallets"),
        ("/api/v2/fbs/shipments", {"sellerId": sid, "pallets": []}, "pallets"),
        ("/api/v2/fbs/shipments", {"sellerId": sid, "pallets": [{}]}, "pallets[0].packs"),
        (
            "/api/v2/fbs/shipments",
            {"sellerId": sid, "pallets": [{"packs": [{"items": [{"unitload": 1}]}]}]},
            "pallets[0].packs[0].packId",
        ),
        (
            "/api/v2/fbs/shipments",
            {"sellerId": sid, "pallets": [{"packs": [{"packId": w.pack, "items": [{"unitload": -5}]}]}]},
            "pallets[0].packs[0].items[0].unitload",
        ),
        (
            "/api/v2/fbs/shipments",
            {"sellerId": sid, "pallets": [{"packs": [{"packId": w.pack, "items": [{"unitload": 2**64}]}]}]},
            "pallets[0].packs[0].items[0].unitload",
        ),
        (
            "/api/v2/fbs/shipments",
            {"sellerId": sid, "pallets": [{"palletBarcode": "a b", "packs": [pack]}]},
            "pallets[0].palletBarcode",
        ),
        ("/api/v2/fbs/shipments", {"sellerId": sid, "pallets": [{"packs": [pack]}] * 101}, "pallets"),
        ("/api/v2/fbs/shipments", {"sellerId": sid, "pallets": [{"packs": [pack]}], "shipAt": 5}, "shipAt"),
        (
            "/api/v2/fbs/shipments",
            {"sellerId": sid, "pallets": [{"packs": [pack]}], "shipAt": "next tuesday"},
            "shipAt",
        ),
        (f"/api/v2/fbs/return-boxes/{w.box_id}/confirm", {}, "sellerId"),
        (f"/api/v2/fbs/return-boxes/{w.box_id}/confirm", {"sellerId": f"{sid}a"}, "sellerId"),
    ]


def test_wrong_types_missing_fields_and_overflows_are_400_naming_the_field(world: World) -> None:
    before = snapshot(world.a, world)
    failures = []
    for path, body, name in bad_field_cases(world):
        resp = call(world.http, "POST", path, token=world.a.token, body=body)
        try:
            message = assert_error(world.http, resp, 400, name)
            leaf = name.rsplit(".", 1)[-1].split("[", 1)[0]
            assert leaf in message, message  # the message names the field too
        except AssertionError as exc:
            failures.append(f"{path} {json.dumps(body)[:100]}: {str(exc)[:300]}")
    assert not failures, "\n".join(failures)
    assert snapshot(world.a, world) == before


@pytest.mark.parametrize("label_format", ["XL", "s", "", "A4", 1, None, ["S"]])
def test_an_unknown_label_format_is_400_naming_it(world: World, label_format: Any) -> None:
    a = world.a
    for path, body in (
        ("labels/order-items", {"items": [i["id"] for i in world.shipped["items"]]}),
        ("labels/order-packs", {"packs": [world.pack]}),
        ("labels/pallets", {"palletBarcodes": [world.pallet]}),
    ):
        assert_error(world.http, a.v2_post(path, {**body, "labelFormat": label_format}), 400, "labelFormat")
        assert_ok(world.http, a.v2_post(path, {**body, "labelFormat": "M"}))


def test_nul_characters_in_bodies_are_refused_and_nothing_is_written(world: World) -> None:
    a, http = world.a, world.http
    before = snapshot(a, world)
    nul = "\u0000"
    item = world.new_order["items"][0]["id"]
    for path, body in (
        (f"/api/v1/orders/{world.new_order['order_nr']}/events", {"type": "confirm", "data": {"note": nul}}),
        ("/api/v1/nomenclatures", {"sku": f"N{nul}", "barcode": "4600000000017", "name": "n", "brand": "b"}),
        ("/api/v1/nomenclatures", {"sku": "NUL-2", "barcode": "4600000000017", "name": nul, "brand": "b"}),
        (
            "/api/v1/shipments/fulfilment",
            {"id": nul, "date": "01.12.2026", "items": [{"sku": world.sku, "quantity": 1, "price": 1}]},
        ),
        (
            "/api/v1/shipments/out",
            {
                "id": nul,
                "containers": [
                    {"barcode": "P1", "containers": [{"barcode": world.pack, "items": [{"unitload": item}]}]}
                ],
            },
        ),
        ("/api/v2/labels/order-packs", {"sellerId": a.seller_id, "packs": [f"{world.pack}{nul}"]}),
        ("/api/v2/labels/order-items", {"sellerId": a.seller_id, "items": [item], "labelFormat": f"S{nul}"}),
        ("/api/v2/labels/order-items", {"sellerId": a.seller_id, "items": [item], nul: 1}),
        (
            "/api/v2/fbs/shipments",
            {
                "sellerId": a.seller_id,
                "pallets": [
                    {"packs": [{"packId": world.pack, "items": [{"unitload": item, "datamatrix": nul}]}]}
                ],
            },
        ),
    ):
        resp = call(http, "POST", path, token=a.token, body=body)
        if nul in "".join(map(str, body)):  # a member the API does not read is ignored, NUL and all
            assert resp.status_code == 200, resp.text
            continue
        message = assert_error(http, resp, 400)
        # named as NUL, or (an enum) as a value that is none of the allowed ones
        assert "NUL" in message or "Invalid enum value 'S\\x00'" in message, message
    assert snapshot(a, world) == before


def test_path_ids_that_are_not_numbers_are_400_naming_the_id(world: World) -> None:
    a, http = world.a, world.http
    for template in (
        "fbs/shipments/{}",
        "fbs/shipments/{}/items",
        "fbs/return-items/{}/status-history",
        "fbs/return-boxes/{}",
    ):
        for bad in (
            "abc",
            "-1",
            "1.5",
            "1e3",
            "0x10",
            "99999999999999999999",
            str(INT64_MAX + 1),
            "%20",
            "%EF%BC%91",
        ):
            assert_error(http, a.v2_get(template.format(bad)), 400, "id")
        assert_error(http, a.v2_get(template.format(NEVER_ID)), 404)
    for bad in ("abc", "99999999999999999999"):
        resp = a.v2_post(f"fbs/return-boxes/{bad}/confirm", {})
        assert_error(http, resp, 400, "id")
    assert_error(http, a.v2_post(f"fbs/return-boxes/{NEVER_ID}/confirm", {}), 404)
    # Order ids are ids or numbers: whatever is not an order is 404, however long.
    for key in ("abc", "-1", "0", "99999999999999999999", str(INT64_MAX + 1), "9" * 200, "%20"):
        assert_error(http, a.v1_get(f"orders/{key}"), 404)
        assert_error(http, a.v2_get(f"orders/{key}"), 404)
        assert_error(http, a.v2_post(f"orders/{key}/packs", {"count": 1}), 404)


def test_query_parameters_out_of_range_are_400_naming_them(world: World) -> None:
    a, http = world.a, world.http
    for path in ("orders", "shipments", "nomenclatures", "stock/goods"):
        for name, value in (
            ("page", "0"),
            ("page", "abc"),
            ("limit", "1001"),
            ("limit", "0"),
            ("limit", str(2**64)),
        ):
            assert_error(http, a.v1_get(path, **{name: value}), 400, name)
    assert_error(http, a.v1_get("orders", sort="price"), 400, "sort")
    for bad in ("price>1", "status>New", "updatedAt>=yesterday", "createdAt>=20261399000000"):
        assert_error(http, a.v1_get("orders", filter=bad), 400, "filter")
    for path, params in (
        ("orders", {}),
        ("fbs/shipments", {}),
        ("fbs/return-items", {}),
        ("fbs/return-boxes", {}),
        ("fbo/shipments", {}),
    ):
        for name, value in (("page", "0"), ("limit", "101"), ("limit", "-1"), ("page", str(INT64_MAX + 1))):
            assert_error(http, a.v2_get(path, **{**params, name: value}), 400, name)
    assert_error(http, a.v2_get("nomenclatures", country="RU", limit=26), 400, "limit")
    assert_error(http, a.v2_get("nomenclatures"), 400, "country")
    assert_error(http, a.v2_get("nomenclatures", country="US"), 400, "country")
    assert_error(http, a.v2_get("orders", fulfillmentType="FBX"), 400, "fulfillmentType")
    for name in ("updatedAtFrom", "updatedAtTo"):
        assert_error(http, a.v2_get("orders", **{name: "yesterday"}), 400, name)
    for name in ("updatedAtFrom", "returnDateFrom", "returnDateTo"):
        assert_error(http, a.v2_get("fbs/return-items", **{name: "2026-13-01"}), 400, name)
    for name in ("from", "to"):
        assert_error(http, a.v2_get("fbo/shipments", **{name: "01.12.2026"}), 400, name)


def two_ready_orders(seller: Lamoda) -> tuple[Json, Json]:
    return (
        seller.ready_to_ship({"sku": "PART-1", "quantity": 2, "marking_required": False}),
        seller.ready_to_ship({"sku": "PART-2", "marking_required": True}),
    )


def unshipped(http: httpx.Client, seller: Lamoda, *orders: Json) -> None:
    """None of the orders' items and packs is in a shipment; no shipment exists."""
    assert assert_ok(http, seller.v2_get("fbs/shipments"))["meta"]["total"] == 0
    for order in orders:
        detail = assert_ok(http, seller.v2_get(f"orders/{order['id']}"))["data"]
        assert detail["status"] == "AWAITING_SHIPMENT"
        assert [i["shipmentId"] for i in detail["items"]] == [None] * len(detail["items"])
        pack = assert_ok(http, seller.v2_get(f"fbs/order-containers/{order['packs'][0]['packNumber']}"))
        assert pack["data"]["shipmentId"] is None


def test_a_refused_shipment_writes_nothing(tenant: Tenant) -> None:
    seller = Lamoda(tenant)
    http = seller.http
    # strict: a marked item without its code is one of the refusals
    strict = http.put(f"/sandbox/tenants/{tenant.seller_id}/marking", json={"mode": "strict"})
    assert strict.status_code == 200, strict.text
    first, second = two_ready_orders(seller)
    good = {
        "packId": first["packs"][0]["packNumber"],
        "items": [{"unitload": i["id"]} for i in first["items"]],
    }
    marked = second["items"][0]["id"]
    bad_packs: list[tuple[Json, str]] = [
        ({"packId": second["packs"][0]["packNumber"], "items": [{"unitload": marked}]}, "datamatrix"),
        (
            {
                "packId": second["packs"][0]["packNumber"],
                "items": [{"unitload": marked, "datamatrix": "nope"}],
            },
            "datamatrix",
        ),
        ({"packId": second["packs"][0]["packNumber"], "items": [{"unitload": NEVER_ID}]}, "items[0]"),
        ({"packId": "NO-SUCH-PACK", "items": [{"unitload": marked}]}, "packId"),
        (
            {"packId": first["packs"][0]["packNumber"], "items": [{"unitload": first["items"][0]["id"]}]},
            "packId",
        ),
    ]
    pallet = f"PAL-PART-{seller.seller_id}"
    for bad, name in bad_packs:
        body = {"pallets": [{"palletBarcode": pallet, "packs": [good]}, {"packs": [bad]}]}
        resp = seller.v2_post("fbs/shipments", body)
        message = assert_error(http, resp, 400)
        assert name in resp.json()["error"]["details"][0]["field"], message
        assert resp.json()["error"]["details"][0]["field"].startswith("pallets[1]"), message
        v1 = seller.v1_post(
            "shipments/out",
            {
                "containers": [
                    {"barcode": pallet, "containers": [{"barcode": good["packId"], "items": good["items"]}]},
                    {
                        "barcode": pallet + "-2",
                        "containers": [{"barcode": bad["packId"], "items": bad["items"]}],
                    },
                ]
            },
        )
        assert_error(http, v1, 400)
        assert v1.json()["errors"][0]["field"].startswith("containers[1]")
        unshipped(http, seller, first, second)
    # The pallet barcode of the refused requests is free: nothing of them was kept.
    created = assert_ok(
        http, seller.v2_post("fbs/shipments", {"pallets": [{"palletBarcode": pallet, "packs": [good]}]}), 201
    )
    assert created["data"]["pallets"][0]["palletBarcode"] == pallet


def test_a_refused_supply_or_assembly_writes_nothing(tenant: Tenant) -> None:
    seller = Lamoda(tenant)
    http = seller.http
    assert nomenclature(seller, "SUP-SKU").status_code == 201
    body = {
        "id": "SUP-PART",
        "date": "01.12.2026",
        "items": [
            {"sku": "SUP-SKU", "quantity": 1, "price": 1},
            {"sku": "NOT-MINE", "quantity": 1, "price": 1},
        ],
    }
    resp = seller.v1_post("shipments/fulfilment", body)
    assert_error(http, resp, 400, "items[1].sku")
    assert_error(http, seller.v1_get("shipments/fulfilment/SUP-PART"), 404)
    assert assert_ok(http, seller.v2_get("fbo/shipments"))["meta"]["total"] == 0
    body["items"] = body["items"][:1]
    assert_ok(http, seller.v1_post("shipments/fulfilment", body), 201)

    order = seller.buyer_orders({"sku": "ASM-1", "quantity": 2, "marking_required": False})
    before = assert_ok(http, seller.v2_get(f"orders/{order['id']}"))
    items = [i["id"] for i in order["items"]]
    for packs, name in (
        ([{"itemIds": items[:1]}, {"itemIds": [NEVER_ID]}], "packs[1].itemIds"),
        ([{"itemIds": items[:1]}, {"itemIds": items[:1]}], "packs[1].itemIds"),
        ([{"itemIds": items[:1]}], "packs"),
    ):
        assert_error(http, seller.v2_post(f"orders/{order['id']}/assembly", {"packs": packs}), 400, name)
        assert assert_ok(http, seller.v2_get(f"orders/{order['id']}")) == before


# --- unknown paths and wrong methods -------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nope",
        "/api/v1/orders/1/nope",
        "/api/v1/orders/1/events/extra",
        "/api/v1/Orders",
        "/api/v1/auth/token",
        "/api/v2/nope",
        "/api/v2/orders/1/nope",
        "/api/v2/fbs",
        "/api/v2/fbs/shipments/1/items/2",
        "/api/v2/labels",
        "/api/v2/Orders",
    ],
)
def test_unknown_paths_are_404_in_that_apis_body(tenant: Tenant, path: str) -> None:
    seller = Lamoda(tenant)
    for method in ("GET", "POST", "DELETE"):
        resp = call(seller.http, method, path, token=seller.token, params={"sellerId": seller.seller_id})
        message = assert_error(seller.http, resp, 404, documented=False)
        assert path in message and method in message
    # without a token too: the path is unknown whoever asks
    assert_error(seller.http, seller.http.get(path + "/x"), 404, documented=False)


WRONG_METHODS = [
    ("DELETE", "/api/v1/orders"),
    ("PUT", "/api/v1/orders/1"),
    ("GET", "/api/v1/orders/1/events"),
    ("GET", "/api/v1/shipments/out"),
    ("PATCH", "/api/v1/nomenclatures"),
    ("POST", "/api/v1/ordersTracking/1"),
    ("POST", "/api/v2/orders"),
    ("GET", "/api/v2/orders/1/assembly"),
    ("GET", "/api/v2/labels/order-items"),
    ("DELETE", "/api/v2/fbs/shipments/1"),
    ("GET", "/api/v2/fbs/return-boxes/1/confirm"),
    ("PUT", "/api/v2/auth-token"),
]


@pytest.mark.parametrize(("method", "path"), WRONG_METHODS)
def test_wrong_methods_are_405_in_that_apis_body(tenant: Tenant, method: str, path: str) -> None:
    seller = Lamoda(tenant)
    resp = call(seller.http, method, path, token=seller.token)
    assert resp.status_code == 405, resp.text
    message, _ = error_body(resp)
    assert method in message and path in message


@pytest.mark.parametrize(
    ("method", "path", "allowed"), [("DELETE", "/api/v1/orders", "GET"), ("POST", "/api/v2/orders", "GET")]
)
def test_a_405_is_named_method_not_allowed(tenant: Tenant, method: str, path: str, allowed: str) -> None:
    seller = Lamoda(tenant)
    resp = call(seller.http, method, path, token=seller.token)
    assert resp.status_code == 405
    body = resp.json()
    if path.startswith("/api/v1/"):
        assert body["message"] == "Method Not Allowed", body
    else:
        assert body["error"]["code"] == "METHOD_NOT_ALLOWED", body
    assert allowed in resp.headers.get("allow", ""), resp.headers


def test_the_api_roots_answer_404_in_that_apis_body(tenant: Tenant) -> None:
    seller = Lamoda(tenant)
    for path in ("/api/v1", "/api/v2"):
        resp = call(seller.http, "GET", path, token=seller.token)
        assert_error(seller.http, resp, 404, documented=False)


# --- the sweep: every documented Lamoda operation with garbage --------------------------------------
PATH_GARBAGE = ["abc", "0", "-1", "99999999999999999999", "1.5", "x" * 300, "%E2%82%AC", "%20", "null"]
QUERY_GARBAGE = ["", "abc", "-1", "0", "99999999999999999999", "x" * 2000, "1.5", "٣", "[]"]
VALUE_GARBAGE: list[Any] = [
    "x",
    "",
    -1,
    0,
    INT64_MAX + 1,
    10**30,
    1.5,
    True,
    None,
    [],
    {},
    ["\u0000"],
    [{}],
    "x" * 5000,
]
BODY_GARBAGE = [
    b"",
    b" ",
    b"{",
    b"}",
    b"[]",
    b"null",
    b"true",
    b"0",
    b'"x"',
    b"{}",
    b'{"": null}',
    b"\xff\xfe\x00",
    b"[" * 10000,
    b'{"a": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    b'{"sellerId": 1e400}',
    b'{"sellerId": "\\u0000"}',
]


@dataclass
class Operation:
    method: str
    template: str
    spec: Json
    document: Json

    @property
    def public(self) -> bool:
        return "security" not in self.spec

    @property
    def query(self) -> list[str]:
        return [p["name"] for p in self.spec.get("parameters", []) if p["in"] == "query"]

    @property
    def body_properties(self) -> list[str]:
        ref = self.spec.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
        if ref is None:
            return []
        schema = self.document["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]
        return list(schema.get("properties", {}))

    def path(self, value: str = "1") -> str:
        return re.sub(r"\{[^}]+\}", value, self.template)


def lamoda_operations(http: httpx.Client) -> list[Operation]:
    document, _ = documented(http)
    return [
        Operation(method.upper(), path, spec, document)
        for path, methods in document["paths"].items()
        if path.startswith(("/api/v1/", "/api/v2/"))
        for method, spec in methods.items()
    ]


def sweep_requests(op: Operation, seller: Lamoda) -> list[tuple[str, dict[str, Any], Any, bytes | None]]:
    """(path, query, json body, raw body) with one thing wrong in each."""
    base_query: dict[str, Any] = {"sellerId": seller.seller_id} if "sellerId" in op.query else {}
    if "country" in op.query:
        base_query["country"] = "RU"
    props = op.body_properties
    base_body: Json | None = None
    if op.method == "POST":
        base_body = {"sellerId": seller.seller_id} if "sellerId" in props else {}
    out: list[tuple[str, dict[str, Any], Any, bytes | None]] = []
    if "{" in op.template:
        out += [(op.path(v), base_query, base_body, None) for v in PATH_GARBAGE]
    else:
        out.append((op.path(), base_query, base_body, None))
    for name in op.query:
        out += [(op.path(), {**base_query, name: v}, base_body, None) for v in QUERY_GARBAGE]
    if op.method == "POST":
        out += [(op.path(), base_query, None, raw) for raw in BODY_GARBAGE]
        for name in props:
            out += [(op.path(), base_query, {**(base_body or {}), name: v}, None) for v in VALUE_GARBAGE]
    return out


def test_every_lamoda_operation_survives_garbage(http: httpx.Client, tenant: Tenant) -> None:
    seller = Lamoda(tenant)
    seller.ready_to_ship({"sku": "SWEEP-1", "marking_required": False})  # something to find
    operations = lamoda_operations(http)
    swept = {(op.method, op.template) for op in operations}
    assert {
        ("GET", "/api/v1/orders/{id}"),
        ("POST", "/api/v1/orders/{id}/events"),
        ("GET", "/api/v1/shipments/fulfilment/{code}"),
        ("GET", "/api/v1/ordersTracking/{trackingId}"),
        ("POST", "/api/v2/auth-token"),
        ("POST", "/api/v2/orders/{id}/assembly"),
        ("POST", "/api/v2/labels/pallets"),
        ("GET", "/api/v2/fbs/return-boxes/{id}"),
        ("POST", "/api/v2/fbs/return-boxes/{id}/confirm"),
        ("GET", "/api/v2/fbo/shipments"),
    } <= swept
    assert len(swept) >= 36
    failures: list[str] = []
    total = 0
    for op in operations:
        attempts: list[tuple[str, httpx.Response, int | None]] = []
        for path, query, body, raw in sweep_requests(op, seller):
            resp = call(http, op.method, path, token=seller.token, params=query, body=body, raw=raw)
            attempts.append((f"{path[:80]} {query} {str(body)[:80]} {(raw or b'')[:40]!r}", resp, None))
        if not op.public:
            for headers in ({}, {"Authorization": "Bearer nope"}):
                resp = call(
                    http,
                    op.method,
                    op.path(),
                    params={"sellerId": seller.seller_id},
                    raw=b"{",
                    headers=headers,
                )
                attempts.append((f"{op.path()} without a valid token", resp, 401))
            if "sellerId" in op.query:
                resp = call(http, op.method, op.path(), token=seller.token)
                attempts.append((f"{op.path()} without sellerId", resp, 400))
            elif "sellerId" in op.body_properties:
                resp = call(http, op.method, op.path(), token=seller.token, body={})
                attempts.append((f"{op.path()} without sellerId", resp, 400))
        for what, resp, expected in attempts:
            total += 1
            problem = None
            try:
                if resp.status_code >= 500:
                    problem = f"HTTP {resp.status_code}"
                elif expected is not None and resp.status_code != expected:
                    problem = f"HTTP {resp.status_code}, expected {expected}"
                elif str(resp.status_code) not in op.spec["responses"]:
                    problem = f"HTTP {resp.status_code} is not documented"
                else:
                    if resp.status_code >= 400:
                        _, details = error_body(resp)
                        if expected == 400:
                            assert details and details[0][0] == "sellerId", resp.text
                    check_documented(http, resp)
            except (AssertionError, ValueError, KeyError) as exc:
                problem = f"{type(exc).__name__}: {str(exc)[:200]}"
            if problem:
                failures.append(f"{op.method} {what}: {problem} -> {resp.text[:160]}")
    assert total > 1000
    assert not failures, f"{len(failures)} of {total} requests failed:\n" + "\n".join(failures[:40])


# --- known bugs ------------------------------------------------------------------------------------
NUL_CASES = [
    ("GET", "/api/v1/orders/RU%00", None, (400,)),
    ("GET", "/api/v1/orders/%00/statuses", None, (400,)),
    ("POST", "/api/v1/orders/%00/events", {"type": "confirm"}, (400,)),
    ("GET", "/api/v1/shipments/fulfilment/SUP%00", None, (400,)),
    ("GET", "/api/v1/ordersTracking/%00", None, (400,)),
    ("GET", "/api/v1/packsTracking/%00", None, (400,)),
    ("GET", "/api/v1/orders?filter=status%3D%00", None, (400,)),
    ("GET", "/api/v2/orders/%00", None, (400,)),
    ("GET", "/api/v2/orders/%00/item-statuses", None, (400,)),
    ("POST", "/api/v2/orders/%00/packs", {"count": 1}, (400,)),
    ("GET", "/api/v2/fbs/order-containers/%00", None, (400,)),
    ("GET", "/api/v2/fbs/return-items?orderId=%00", None, (400,)),
]


@pytest.mark.parametrize(("method", "path", "body", "allowed"), NUL_CASES, ids=[c[1] for c in NUL_CASES])
def test_nul_characters_in_paths_and_queries_are_not_a_server_error(
    server: RunningServer,
    request: pytest.FixtureRequest,
    tenant: Tenant,
    method: str,
    path: str,
    body: Json | None,
    allowed: tuple[int, ...],
) -> None:
    seller = Lamoda(tenant)
    http = seller.http
    url = path + ("&" if "?" in path else "?") + f"sellerId={seller.seller_id}"
    if body is not None and path.startswith("/api/v2/"):
        body = {"sellerId": seller.seller_id, **body}
    resp = http.request(method, url, json=body, headers=seller.headers)
    assert resp.status_code in allowed, resp.text
    assert_error(http, resp, resp.status_code)
    assert "must not contain NUL characters" in resp.text


LONG = "L" * 150  # past the varchar(100) columns of the store (PostgreSQL enforces them)


def long_values(seller: Lamoda, field_name: str) -> list[str]:
    """Where the over-long value of `field_name` would be listed."""
    if field_name == "sku":
        return [
            n["supplier_sku"] for n in seller.v1_get("nomenclatures").json()["_embedded"]["nomenclatures"]
        ]
    if field_name == "shipment id":
        return [s["externalId"] for s in seller.v1_get("shipments").json()["_embedded"]["shipments"]]
    key = "code" if field_name == "id" else "documentNumber"
    return [s[key] for s in seller.v2_get("fbo/shipments").json()["data"]]


@pytest.mark.parametrize("field_name", ["sku", "id", "documentNumber", "shipment id"])
def test_strings_the_schema_allows_are_stored_or_refused_never_a_server_error(
    tenant: Tenant, field_name: str
) -> None:
    seller = Lamoda(tenant)
    http = seller.http
    if field_name == "sku":
        resp = nomenclature(seller, LONG)
    elif field_name == "shipment id":
        order = seller.ready_to_ship({"sku": "LONG-1", "marking_required": False})
        pack = {"barcode": order["packs"][0]["packNumber"], "items": [{"unitload": order["items"][0]["id"]}]}
        body = {"id": LONG, "containers": [{"barcode": f"PAL-L-{seller.seller_id}", "containers": [pack]}]}
        resp = seller.v1_post("shipments/out", body)
    else:
        assert nomenclature(seller, "LONG-SKU").status_code == 201
        code = LONG if field_name == "id" else "SUP-LONG"
        resp = supply(
            seller, code, "LONG-SKU", **({"documentNumber": LONG} if field_name == "documentNumber" else {})
        )
    if resp.status_code == 201:
        check_documented(http, resp)
        assert long_values(seller, field_name) == [LONG]
    else:
        assert long_values(seller, field_name) == []  # a refused request leaves nothing behind
        assert_error(http, resp, 400, "id" if field_name == "shipment id" else field_name)


DATE_CASES = [
    ("GET", "/api/v1/orders", {"filter": "updatedAt>=9999-12-31T23:59:59-05:00"}, "filter"),
    ("GET", "/api/v1/orders", {"filter": "createdAt>=0001-01-01T00:00:00+05:00"}, "filter"),
    ("GET", "/api/v1/orders", {"filter": "createdAt=<0001-01-01,20261231>"}, "filter"),
    ("GET", "/api/v2/orders", {"updatedAtFrom": "0001-01-01T00:00:00+05:00"}, "updatedAtFrom"),
    ("GET", "/api/v2/orders", {"updatedAtTo": "9999-12-31T23:59:59-05:00"}, "updatedAtTo"),
    ("GET", "/api/v2/fbs/return-items", {"returnDateFrom": "9999-12-31T23:59:59-05:00"}, "returnDateFrom"),
    ("GET", "/api/v2/fbs/return-items", {"updatedAtFrom": "0001-01-01T00:00:00+01:00"}, "updatedAtFrom"),
    ("POST", "/api/v2/fbs/shipments", {"shipAt": "9999-12-31T23:59:59-05:00"}, "shipAt"),
    ("POST", "/api/v1/shipments/out", {"shippedAt": "0001-01-01T00:00:00+05:00"}, "shippedAt"),
]


@pytest.mark.parametrize(
    ("method", "path", "values", "name"), DATE_CASES, ids=[f"{c[1]}-{c[3]}" for c in DATE_CASES]
)
def test_dates_at_the_ends_of_the_calendar_are_not_a_server_error(
    tenant: Tenant, method: str, path: str, values: dict[str, str], name: str
) -> None:
    seller = Lamoda(tenant)
    http = seller.http
    if method == "GET":
        params: dict[str, Any] = {**values}
        if path.startswith("/api/v2/"):
            params["sellerId"] = seller.seller_id
        resp = call(http, "GET", path, token=seller.token, params=params)
        assert resp.status_code in (200, 400), resp.text
        if resp.status_code == 400:
            assert_error(http, resp, 400, name)
        else:
            check_documented(http, resp)
        return
    order = seller.ready_to_ship({"sku": "DATE-1", "marking_required": False})
    pack = order["packs"][0]["packNumber"]
    units = [{"unitload": i["id"]} for i in order["items"]]
    if path.startswith("/api/v2/"):
        body: Json = {
            "sellerId": seller.seller_id,
            "pallets": [{"packs": [{"packId": pack, "items": units}]}],
        }
    else:
        body = {
            "containers": [
                {"barcode": f"PAL-D-{seller.seller_id}", "containers": [{"barcode": pack, "items": units}]}
            ]
        }
    resp = call(http, "POST", path, token=seller.token, body={**body, **values})
    assert_error(http, resp, 400, name)
    unshipped(http, seller, order)


@pytest.mark.parametrize("case", ["v1 event", "box confirm", "duplicate nomenclature", "duplicate supply"])
def test_conflicts_are_documented(world: World, case: str) -> None:
    a, http = world.a, world.http
    if case == "v1 event":
        resp = a.v1_post(f"orders/{world.shipped['orderNr']}/events", {"type": "cancel"})
    elif case == "box confirm":
        assert_ok(http, a.v2_post(f"fbs/return-boxes/{world.box_id}/confirm", {}))
        resp = a.v2_post(f"fbs/return-boxes/{world.box_id}/confirm", {})
    elif case == "duplicate nomenclature":
        resp = nomenclature(a, world.sku)
    else:
        resp = supply(a, world.supply_code, world.sku)
    assert_error(http, resp, 409)  # validates the answer against the OpenAPI document


@pytest.mark.parametrize(
    ("path", "schema", "name"),
    [
        ("labels/order-items", "ItemLabelsIn", "items"),
        ("labels/order-packs", "PackLabelsIn", "packs"),
        ("labels/pallets", "PalletLabelsIn", "palletBarcodes"),
    ],
)
def test_label_requests_up_to_the_documented_maximum_are_accepted(
    world: World, path: str, schema: str, name: str
) -> None:
    a, http = world.a, world.http
    document, _ = documented(http)
    most = document["components"]["schemas"][schema]["properties"][name]["maxItems"]
    own: Any = {
        "items": world.shipped["items"][1]["id"],
        "packs": world.pack,
        "palletBarcodes": world.pallet,
    }[name]
    filler = [NEVER_ID + i for i in range(most)] if name == "items" else [f"NOPE-{i}" for i in range(most)]
    values = [own, *filler[: most - 1]]
    data = assert_ok(http, a.v2_post(path, {name: values}))["data"]
    assert len(next(v for k, v in data.items() if k.startswith("excluded"))) == most - 1
    assert_error(http, a.v2_post(path, {name: [own, *filler]}), 400, name)


def test_a_pallet_barcode_of_another_seller_is_free_for_me(world: World) -> None:
    b, http = world.b, world.http
    order = b.ready_to_ship({"sku": "B-PAL", "marking_required": False})
    resp = b.v2_post(
        "fbs/shipments",
        {
            "pallets": [
                {
                    "palletBarcode": world.pallet,
                    "packs": [
                        {
                            "packId": order["packs"][0]["packNumber"],
                            "items": [{"unitload": i["id"]} for i in order["items"]],
                        }
                    ],
                }
            ]
        },
    )
    assert_ok(http, resp, 201)
    container = assert_ok(http, b.v2_get(f"fbs/order-containers/{world.pallet}"))["data"]
    assert container["shipmentId"] == resp.json()["data"]["id"]
    assert assert_ok(http, world.a.v2_get(f"fbs/order-containers/{world.pallet}"))["data"]["shipmentId"] == (
        world.shipment_id
    )


def test_a_reused_pallet_barcode_is_named_by_its_v2_field(tenant: Tenant) -> None:
    seller = Lamoda(tenant)
    first = seller.ready_to_ship({"sku": "REUSE-1", "marking_required": False})
    second = seller.ready_to_ship({"sku": "REUSE-2", "marking_required": False})
    pallet = f"PAL-R-{seller.seller_id}"
    ship(seller, first, pallet)
    resp = seller.v2_post(
        "fbs/shipments",
        {
            "pallets": [
                {
                    "palletBarcode": pallet,
                    "packs": [
                        {
                            "packId": second["packs"][0]["packNumber"],
                            "items": [{"unitload": i["id"]} for i in second["items"]],
                        }
                    ],
                }
            ]
        },
    )
    assert_error(seller.http, resp, 400, "pallets[0].palletBarcode")
