"""The sandbox's Lamoda world events beyond one item's move: the buyer cancels an order or takes part of it
at the door, Lamoda's warehouse reports marking codes, the return desk sends return boxes, the courier
receives an FBS shipment. Each is observed through the Lamoda APIs and in the notification outbox."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.conftest import Tenant, new_tenant
from tests.dialects.lamoda.helpers import Lamoda, check_documented, datamatrix

REASONS = (
    "Размер не подошёл",
    "Не соответствует описанию/фото",
    "Низкое качество изготовления, материала",
    "Брак, некомплект, следы носки",
)
BUYER_CANCEL = "Отменён покупателем"
HOOK = "http://127.0.0.1:9/hook"  # nothing listens: messages stay in the log, retried
CODE = re.compile(r"01\d{14}21[0-9A-Z]{13}")


class World(Lamoda):
    """The Lamoda client plus the sandbox's world events; every answer is checked against the OpenAPI."""

    def __init__(self, tenant: Tenant, subscribe: bool = True) -> None:
        super().__init__(tenant)
        if subscribe:
            resp = self.http.post(f"/sandbox/tenants/{self.seller_id}/webhooks", json={"url": HOOK})
            assert resp.status_code == 201, resp.text

    def event(self, path: str, body: Any = None, seller_id: int | str | None = None) -> httpx.Response:
        sid = self.seller_id if seller_id is None else seller_id
        url = f"/sandbox/tenants/{sid}/lamoda/{path}"
        resp = self.http.post(url) if body is None else self.http.post(url, json=body)
        check_documented(self.http, resp)
        return resp

    def ok(self, path: str, body: Any = None, status: int = 200) -> dict[str, Any]:
        resp = self.event(path, body)
        assert resp.status_code == status, resp.text
        return dict(resp.json())

    def v2_order(self, key: str) -> dict[str, Any]:
        resp = self.v2_get(f"orders/{key}")
        assert resp.status_code == 200, resp.text
        check_documented(self.http, resp)
        return dict(resp.json()["data"])

    def v1_order(self, nr: str) -> dict[str, Any]:
        resp = self.v1_get(f"orders/{nr}")
        assert resp.status_code == 200, resp.text
        check_documented(self.http, resp)
        return dict(resp.json())

    def v2_page(self, path: str, **params: Any) -> dict[str, Any]:
        resp = self.v2_get(path, **params)
        assert resp.status_code == 200, resp.text
        check_documented(self.http, resp)
        return dict(resp.json())

    def log(self, **params: Any) -> list[dict[str, Any]]:
        """The outbox: every notification (one subscribed URL), oldest first."""
        resp = self.http.get(
            f"/sandbox/tenants/{self.seller_id}/webhooks/messages", params={"limit": 1000, **params}
        )
        assert resp.status_code == 200, resp.text
        return list(resp.json()["messages"])

    def payloads(self, **params: Any) -> list[dict[str, Any]]:
        return [m["payload"] for m in self.log(**params)]

    def out_for_delivery(self, sku: str, quantity: int = 1) -> tuple[str, list[int]]:
        """An FBS order confirmed, packed, shipped and with the courier: its number and item ids."""
        order = self.ready_to_ship({"sku": sku, "quantity": quantity, "marking_required": False})
        nr, items = order["orderNr"], [i["id"] for i in order["items"]]
        for item in items:
            self.moved(nr, item, "Shipped", "In delivery")
        return nr, items

    def shipment(self, *orders: dict[str, Any], codes: dict[int, str] | None = None) -> dict[str, Any]:
        """A v2 FBS shipment of these ready orders (one pallet, one pack each)."""
        codes = codes or {}
        packs = [
            {
                "packId": o["packs"][0]["packNumber"],
                "items": [
                    {"unitload": i["id"], **({"datamatrix": codes[i["id"]]} if i["id"] in codes else {})}
                    for i in o["items"]
                ],
            }
            for o in orders
        ]
        resp = self.v2_post("fbs/shipments", {"pallets": [{"packs": packs}]})
        assert resp.status_code == 201, resp.text
        return dict(resp.json()["data"])


def refused(resp: httpx.Response, status: int, code: str, field: str | None = None) -> dict[str, Any]:
    """The sandbox envelope `{"error": {code, message, details}}`; returns the error."""
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}, body
    error = body["error"]
    assert error["code"] == code, error
    assert isinstance(error["message"], str) and error["message"], error
    if field is not None:
        assert error["details"]["field"] == field, error
    return dict(error)


def dated(http: httpx.Client, now: str) -> Tenant:
    resp = http.post("/sandbox/tenants", json={"name": "Dated Seller", "now": now})
    assert resp.status_code == 201, resp.text
    return Tenant(http, resp.json())


def of_type(payloads: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [p for p in payloads if p["type"] == kind]


def item_lines(payloads: list[dict[str, Any]]) -> list[tuple[int, str, str | None]]:
    return [
        (i["id"], i["status"], i.get("statusChangeReason"))
        for p in of_type(payloads, "itemStatusChanged")
        for i in p["items"]
    ]


# ---- the buyer cancels an order ----


@pytest.mark.parametrize("stage", ["New", "Confirmed", "Ready for shipment"])
def test_the_buyer_cancels_an_order(tenant: Tenant, stage: str) -> None:
    world = World(tenant)
    if stage == "Ready for shipment":
        detail = world.ready_to_ship({"sku": "COAT-1", "quantity": 2, "marking_required": False})
        nr, items = detail["orderNr"], [i["id"] for i in detail["items"]]
    else:
        placed = world.buyer_orders({"sku": "COAT-1", "quantity": 2})
        nr, items = placed["order_nr"], [i["id"] for i in placed["items"]]
        if stage == "Confirmed":
            assert world.v1_post(f"orders/{nr}/events", {"type": "confirm"}).status_code == 200
    before = world.payloads()

    body = world.ok(f"orders/{nr}/cancel")
    assert (body["order_nr"], body["status"]) == (nr, "Canceled")
    assert [(i["id"], i["status"], i["status_reason"]) for i in body["items"]] == [
        (item, "Canceled", BUYER_CANCEL) for item in items
    ]
    v2 = world.v2_order(nr)
    assert v2["status"] == "CANCELED"
    assert [(i["status"], i["statusReason"]) for i in v2["items"]] == [("CANCELED", BUYER_CANCEL)] * 2
    v1 = world.v1_order(nr)
    assert v1["status"] == "Canceled"
    assert [(i["status"], i["statusChangeReason"]) for i in v1["items"]] == [("Canceled", BUYER_CANCEL)] * 2

    new = world.payloads()[len(before) :]
    assert [p["type"] for p in new] == ["statusChanged", "itemStatusChanged"]
    assert new[0]["status"] == "Canceled" and new[0]["orderNr"] == nr
    assert item_lines(new) == [(item, "Canceled", BUYER_CANCEL) for item in items]
    numbers = [p["sequenceNumber"] for p in world.payloads(tracking_id=nr[2:])]
    assert numbers == sorted(set(numbers)) and numbers[-1] == numbers[-2] + 1


def test_cancelling_what_is_left_of_an_order(tenant: Tenant) -> None:
    world = World(tenant)
    placed = world.buyer_orders({"sku": "SOCK-2", "quantity": 2})
    nr, (first, second) = placed["order_nr"], [i["id"] for i in placed["items"]]
    world.moved(nr, first, "Canceled")
    before = len(world.log())
    body = world.ok(f"orders/{nr}/cancel")
    assert [i["status_reason"] for i in body["items"]] == [None, BUYER_CANCEL]
    new = world.payloads()[before:]
    assert item_lines(new) == [(second, "Canceled", BUYER_CANCEL)]
    assert [p["status"] for p in of_type(new, "statusChanged")] == ["Canceled"]


def test_an_fbo_order_is_cancelled_at_lamodas_warehouse(tenant: Tenant) -> None:
    world = World(tenant)
    placed = world.buyer_orders({"sku": "FBO-C", "quantity": 1}, fulfillment_type="FBO")
    assert world.ok(f"orders/{placed['order_nr']}/cancel")["status"] == "Canceled"
    assert world.v2_order(placed["order_nr"])["status"] == "CANCELED"


@pytest.mark.parametrize("stage", ["Shipped", "In delivery", "Delivered"])
def test_an_order_that_left_cannot_be_cancelled(tenant: Tenant, stage: str) -> None:
    world = World(tenant)
    detail = world.ready_to_ship({"sku": "LATE-1", "quantity": 2, "marking_required": False})
    nr, first = detail["orderNr"], detail["items"][0]["id"]
    path = {"Shipped": ["Shipped"], "In delivery": ["Shipped", "In delivery"]}.get(
        stage, ["Shipped", "In delivery", "Delivered"]
    )
    world.moved(nr, first, *path)
    before = world.payloads()
    error = refused(world.event(f"orders/{nr}/cancel"), 409, "transition_not_allowed")
    assert error["details"]["item_id"] == first and error["details"]["current"] == stage
    assert error["details"]["allowed"] and repr(stage) in error["message"]
    assert "allowed moves" in error["message"]
    # nothing changed, nothing notified: the still cancellable item stays as it was
    assert [i["status"] for i in world.v2_order(nr)["items"]] == [v2(stage), "AWAITING_SHIPMENT"]
    assert world.payloads() == before


def test_a_cancelled_order_cannot_be_cancelled_again(tenant: Tenant) -> None:
    world = World(tenant)
    nr = world.buyer_orders({"sku": "TWICE-1"})["order_nr"]
    world.ok(f"orders/{nr}/cancel")
    error = refused(world.event(f"orders/{nr}/cancel"), 409, "transition_not_allowed")
    assert error["details"] == {"current": "Canceled", "allowed": []}


# ---- the buyer decides at the door (partial buyout) ----


def test_partial_buyout_with_a_chosen_reason(tenant: Tenant) -> None:
    world = World(tenant)
    nr, (kept, refused_item, also_kept) = world.out_for_delivery("DRESS-3", 3)
    before = len(world.log())
    body = world.ok(f"orders/{nr}/buyout", {"not_bought": [{"item_id": refused_item, "reason": REASONS[1]}]})
    assert body["status"] == "Delivered"
    assert [(i["status"], i["status_reason"]) for i in body["items"]] == [
        ("Delivered", None),
        ("Not bought", REASONS[1]),
        ("Delivered", None),
    ]
    v2 = world.v2_order(nr)
    assert v2["status"] == "DELIVERED"
    assert [(i["status"], i["statusReason"]) for i in v2["items"]] == [
        ("DELIVERED", None),
        ("NOT_BOUGHT", REASONS[1]),
        ("DELIVERED", None),
    ]
    assert [i["status"] for i in world.v1_order(nr)["items"]] == ["Delivered", "Not bought", "Delivered"]
    # the refused unit comes back to the seller: a return item opens
    returns = world.v2_page("fbs/return-items", orderId=nr)["data"]
    assert [(r["itemId"], r["returnType"], r["status"], r["reason"]) for r in returns] == [
        (refused_item, "NOT_BOUGHT", "CREATED", REASONS[1])
    ]
    # one decision at the door: one statusChanged, one itemStatusChanged listing every item
    new = world.payloads()[before:]
    assert [p["type"] for p in new] == ["statusChanged", "itemStatusChanged"]
    assert new[0]["status"] == "Delivered"
    assert item_lines(new) == [
        (kept, "Delivered", None),
        (refused_item, "Not bought", REASONS[1]),
        (also_kept, "Delivered", None),
    ]
    assert [i.get("finalERPStatus") for i in new[1]["items"]] == ["sold", None, "sold"]


def test_buyout_of_everything_and_refusal_of_everything(tenant: Tenant) -> None:
    world = World(tenant)
    nr, _ = world.out_for_delivery("HAT-7", 2)
    assert world.ok(f"orders/{nr}/buyout", {})["status"] == "Delivered"
    nr, (a, b) = world.out_for_delivery("HAT-8", 2)
    body = world.ok(
        f"orders/{nr}/buyout",
        {"not_bought": [{"item_id": a, "reason": REASONS[0]}, {"item_id": b, "reason": REASONS[3]}]},
    )
    assert body["status"] == "Not bought"
    assert world.v2_order(nr)["status"] == "NOT_BOUGHT"


def test_buyout_decides_only_the_items_with_the_buyer(tenant: Tenant) -> None:
    world = World(tenant)
    detail = world.ready_to_ship({"sku": "SPLIT-1", "quantity": 2, "marking_required": False})
    nr, (here, late) = detail["orderNr"], [i["id"] for i in detail["items"]]
    world.moved(nr, here, "Shipped", "On shelf")
    world.moved(nr, late, "Shipped")
    body = world.ok(f"orders/{nr}/buyout", {})
    assert [i["status"] for i in body["items"]] == ["Delivered", "Shipped"]
    assert body["status"] == "Shipped"  # the least advanced item
    error = refused(
        world.event(f"orders/{nr}/buyout", {"not_bought": [{"item_id": late, "reason": REASONS[0]}]}),
        409,
        "transition_not_allowed",
    )
    assert (error["details"]["item_id"], error["details"]["current"]) == (late, "Shipped")


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"not_bought": [{"item_id": "<a>"}]}, 400, "reason_required", "not_bought[0].reason"),
        (
            {"not_bought": [{"item_id": "<a>", "reason": "Не понравилось"}]},
            400,
            "unknown_reason",
            "not_bought[0].reason",
        ),
        (
            {"not_bought": [{"item_id": "<a>", "reason": REASONS[0]}] * 2},
            400,
            "duplicate_item",
            "not_bought[1].item_id",
        ),
        ({"not_bought": [{"item_id": 999_999_999, "reason": REASONS[0]}]}, 404, "ItemNotFound", None),
        ({"not_bought": "all"}, 400, "ValidationError", "not_bought"),
        ({"not_bought": [{"reason": REASONS[0]}]}, 400, "ValidationError", "not_bought[0].item_id"),
        (
            {"not_bought": [{"item_id": 0, "reason": REASONS[0]}]},
            400,
            "ValidationError",
            "not_bought[0].item_id",
        ),
        ({"notBought": []}, 400, "ValidationError", None),
        ([], 400, "ValidationError", None),
    ],
)
def test_invalid_buyouts_change_nothing(
    tenant: Tenant, body: Any, status: int, code: str, field: str | None
) -> None:
    world = World(tenant)
    nr, (a, _) = world.out_for_delivery("BAD-1", 2)
    before = world.payloads()
    if isinstance(body, dict) and isinstance(body.get("not_bought"), list):
        lines = body["not_bought"]
        body = {
            "not_bought": [{**line, "item_id": a} if line.get("item_id") == "<a>" else line for line in lines]
        }
    refused(world.event(f"orders/{nr}/buyout", body), status, code, field)
    assert world.v2_order(nr)["status"] == "IN_DELIVERY"
    assert world.payloads() == before


def test_buyout_of_an_order_not_yet_with_the_buyer(tenant: Tenant) -> None:
    world = World(tenant)
    nr = world.buyer_orders({"sku": "EARLY-1"})["order_nr"]
    error = refused(world.event(f"orders/{nr}/buyout", {}), 409, "transition_not_allowed")
    assert error["details"]["current"] == "New" and error["details"]["allowed"] == ["Canceled"]


# ---- Lamoda's warehouse reports marking codes (FBO) ----


def test_the_warehouse_reports_the_codes_of_an_fbo_order(tenant: Tenant) -> None:
    world = World(tenant)
    placed = world.buyer_orders(
        {"sku": "FBO-MARK", "quantity": 2, "marking_required": True},
        {"sku": "FBO-PLAIN", "marking_required": False},
        fulfillment_type="FBO",
    )
    nr, (first, second, plain) = placed["order_nr"], [i["id"] for i in placed["items"]]
    given = datamatrix()
    before = len(world.log())
    body = world.ok(f"orders/{nr}/marking-codes", {"items": [{"item_id": first, "datamatrix": given}]})
    assert body == {
        "order_nr": nr,
        "items": [{"item_id": first, "sku": "FBO-MARK", "status": "Confirmed", "datamatrix": given}],
    }
    # without a list: every marked unit still without a code (a new, well-formed code of its GTIN)
    body = world.ok(f"orders/{nr}/marking-codes", {})
    [generated] = body["items"]
    assert generated["item_id"] == second and CODE.fullmatch(generated["datamatrix"])
    assert generated["datamatrix"] != given

    new = world.payloads()[before:]
    assert [p["type"] for p in new] == ["itemStatusChanged", "itemStatusChanged"]
    assert [(i["id"], i["status"], i["datamatrix"], i["datamatrixes"]) for p in new for i in p["items"]] == [
        (first, "Confirmed", given, [given]),
        (second, "Confirmed", generated["datamatrix"], [generated["datamatrix"]]),
    ]
    # codes travel only by notification, never in a GET answer
    for resp in (world.v1_get(f"orders/{nr}"), world.v2_get(f"orders/{nr}"), world.v2_get("orders")):
        assert resp.status_code == 200 and given not in resp.text and generated["datamatrix"] not in resp.text
    assert world.v2_order(nr)["status"] == "CONFIRMED"  # a report, not a move
    # later item notifications carry the unit's code
    world.moved(nr, first, "Ready for shipment")
    [last] = world.payloads()[-1:]
    assert [(i["id"], i["status"], i["datamatrix"]) for i in last["items"]] == [
        (first, "Ready for shipment", given)
    ]
    numbers = [p["sequenceNumber"] for p in world.payloads(tracking_id=nr[2:])]
    assert numbers == list(range(1, len(numbers) + 1))
    refused(world.event(f"orders/{nr}/marking-codes", {}), 409, "nothing_to_mark")
    refused(
        world.event(f"orders/{nr}/marking-codes", {"items": [{"item_id": plain}]}),
        409,
        "marking_not_required",
    )


def test_the_warehouse_uses_the_codes_the_seller_supplied(tenant: Tenant) -> None:
    world = World(tenant)
    resp = world.v1_post(
        "nomenclatures",
        {"sku": "SUP-MARK", "barcode": "4600000000017", "name": "x", "brand": "y", "markingRequired": True},
    )
    assert resp.status_code == 201, resp.text
    supplied = [datamatrix(), datamatrix(), datamatrix()]
    resp = world.v1_post(
        "shipments/fulfilment",
        {
            "id": "SUP-M1",
            "date": "01.12.2026",
            "items": [{"sku": "SUP-MARK", "quantity": 3, "price": 10, "datamatrixes": supplied}],
        },
    )
    assert resp.status_code == 201, resp.text
    one = world.buyer_orders({"sku": "SUP-MARK"}, fulfillment_type="FBO")
    # before the warehouse accepted the supply its units are not there: a new code
    early = world.ok(f"orders/{one['order_nr']}/marking-codes", {})["items"][0]["datamatrix"]
    assert early not in supplied and CODE.fullmatch(early)
    assert world.supply_event("SUP-M1", status="send").status_code == 200
    assert world.supply_event("SUP-M1", status="accepted").status_code == 200

    two = world.buyer_orders({"sku": "SUP-MARK", "quantity": 2}, fulfillment_type="FBO")
    nr, (a, b) = two["order_nr"], [i["id"] for i in two["items"]]
    picked = world.ok(f"orders/{nr}/marking-codes", {"items": [{"item_id": a, "datamatrix": supplied[2]}]})
    assert picked["items"][0]["datamatrix"] == supplied[2]
    auto = world.ok(f"orders/{nr}/marking-codes", {"items": [{"item_id": b}]})["items"][0]["datamatrix"]
    assert auto in supplied[:2]
    left = supplied[1] if auto == supplied[0] else supplied[0]
    # a supplied code goes to one unit only
    three = world.buyer_orders({"sku": "SUP-MARK"}, fulfillment_type="FBO")
    item = three["items"][0]["id"]
    refused(
        world.event(
            f"orders/{three['order_nr']}/marking-codes", {"items": [{"item_id": item, "datamatrix": auto}]}
        ),
        400,
        "duplicate_datamatrix",
        "items[0].datamatrix",
    )
    assert world.ok(f"orders/{three['order_nr']}/marking-codes", {})["items"][0]["datamatrix"] == left


def test_a_supplied_code_of_another_sku_is_refused(tenant: Tenant) -> None:
    world = World(tenant)
    for sku, barcode in (("SKU-A", "4600000000024"), ("SKU-B", "4600000000031")):
        body = {"sku": sku, "barcode": barcode, "name": "x", "brand": "y", "markingRequired": True}
        assert world.v1_post("nomenclatures", body).status_code == 201
    code = datamatrix()
    resp = world.v1_post(
        "shipments/fulfilment",
        {
            "id": "SUP-A",
            "date": "01.12.2026",
            "items": [{"sku": "SKU-A", "quantity": 1, "price": 1, "datamatrixes": [code]}],
        },
    )
    assert resp.status_code == 201, resp.text
    placed = world.buyer_orders({"sku": "SKU-B"}, fulfillment_type="FBO")
    body = {"items": [{"item_id": placed["items"][0]["id"], "datamatrix": code}]}
    refused(
        world.event(f"orders/{placed['order_nr']}/marking-codes", body),
        400,
        "datamatrix_of_another_sku",
        "items[0].datamatrix",
    )


def test_marking_codes_the_warehouse_never_reports(tenant: Tenant) -> None:
    world = World(tenant)
    fbs = world.buyer_orders({"sku": "FBS-MARK", "marking_required": True})
    refused(world.event(f"orders/{fbs['order_nr']}/marking-codes", {}), 409, "seller_marks")
    fbo = world.buyer_orders(
        {"sku": "FBO-MK", "quantity": 3, "marking_required": True}, fulfillment_type="FBO"
    )
    nr, (a, b, c) = fbo["order_nr"], [i["id"] for i in fbo["items"]]
    world.moved(nr, c, "Canceled")
    code = datamatrix()
    world.ok(f"orders/{nr}/marking-codes", {"items": [{"item_id": a, "datamatrix": code}]})
    before = world.payloads()
    dup = datamatrix()
    cases: list[tuple[Any, int, str, str | None]] = [
        ({"items": [{"item_id": a}]}, 409, "already_marked", None),
        ({"items": [{"item_id": c}]}, 409, "transition_not_allowed", None),
        ({"items": [{"item_id": b, "datamatrix": code}]}, 400, "duplicate_datamatrix", "items[0].datamatrix"),
        (
            {"items": [{"item_id": b, "datamatrix": "0104604060006000"}]},
            400,
            "invalid_datamatrix",
            "items[0].datamatrix",
        ),
        ({"items": [{"item_id": b}, {"item_id": b}]}, 400, "duplicate_item", "items[1].item_id"),
        (
            {"items": [{"item_id": b, "datamatrix": dup}, {"item_id": a, "datamatrix": dup}]},
            400,
            "duplicate_datamatrix",
            "items[1].datamatrix",
        ),
        ({"items": [{"item_id": 999_999_999}]}, 404, "ItemNotFound", None),
        ({"items": []}, 400, "ValidationError", "items"),
        ({"items": [{"datamatrix": code}]}, 400, "ValidationError", "items[0].item_id"),
        ({"codes": []}, 400, "ValidationError", None),
    ]
    for body, status, error_code, field in cases:
        refused(world.event(f"orders/{nr}/marking-codes", body), status, error_code, field)
    assert world.payloads() == before


# ---- the return desk sends return boxes ----


def test_return_boxes_before_2026_03_03(http: httpx.Client) -> None:
    world = World(dated(http, "2026-02-10T12:00:00+03:00"))
    bought_nr, (bought, _) = world.out_for_delivery("RET-A", 2)
    world.ok(f"orders/{bought_nr}/buyout", {})
    refused_nr, (refused_item,) = world.out_for_delivery("RET-B")
    world.ok(f"orders/{refused_nr}/buyout", {"not_bought": [{"item_id": refused_item, "reason": REASONS[0]}]})
    before = len(world.log())

    body = world.ok(
        "returns",
        {"boxes": [{"items": [{"item_id": bought, "reason": REASONS[2]}, {"item_id": refused_item}]}]},
        201,
    )
    [box] = body["boxes"]
    assert re.fullmatch(r"RB\d{10}", box["barcode"]) and box["status"] == "SENT_TO_SELLER"
    assert [
        (i["item_id"], i["order_nr"], i["return_type"], i["status"], i["reason"]) for i in box["items"]
    ] == [
        (bought, bought_nr, "CUSTOMER_RETURN", "SENT_TO_SELLER", REASONS[2]),
        (refused_item, refused_nr, "NOT_BOUGHT", "SENT_TO_SELLER", REASONS[0]),
    ]
    # the v2 return methods
    returns = world.v2_page("fbs/return-items")["data"]
    assert [(r["itemId"], r["returnType"], r["status"], r["boxId"]) for r in returns] == [
        (refused_item, "NOT_BOUGHT", "SENT_TO_SELLER", box["id"]),
        (bought, "CUSTOMER_RETURN", "SENT_TO_SELLER", box["id"]),
    ]
    history = world.v2_page(f"fbs/return-items/{box['items'][0]['id']}/status-history")["data"]
    assert [line["status"] for line in history] == ["CREATED", "SENT_TO_SELLER"]
    boxes = world.v2_page("fbs/return-boxes")["data"]
    assert [(b["id"], b["barcode"], b["status"], b["itemsCount"]) for b in boxes] == [
        (box["id"], box["barcode"], "SENT_TO_SELLER", 2)
    ]
    detail = world.v2_page(f"fbs/return-boxes/{box['id']}")["data"]
    assert sorted(i["itemId"] for i in detail["items"]) == sorted([bought, refused_item])
    # the item statuses, as both APIs show them before 2026-03-03
    assert [i["status"] for i in world.v1_order(bought_nr)["items"]] == ["Sent back to partner", "Delivered"]
    assert [i["status"] for i in world.v2_order(bought_nr)["items"]] == ["SENT_BACK_TO_PARTNER", "DELIVERED"]
    assert world.v1_order(refused_nr)["items"][0]["status"] == "Sent back to partner"
    # and notified: the buyer's claim first, then the way back to the seller
    new = world.payloads()[before:]
    assert item_lines(new) == [
        (bought, "Claimed ok", REASONS[2]),
        (bought, "Sent back to partner", None),
        (refused_item, "Sent back to partner", None),
    ]
    assert [p["status"] for p in of_type(new, "statusChanged")] == ["Sent back to partner"]
    # the seller confirms the box through v2
    resp = world.v2_post(f"fbs/return-boxes/{box['id']}/confirm", {})
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"]["status"] == "ACCEPTED_BY_SELLER"


def test_return_boxes_from_2026_03_03_are_reported_only_by_v2(http: httpx.Client) -> None:
    world = World(dated(http, "2026-03-10T12:00:00+03:00"))
    nr, (bought, refused_item) = world.out_for_delivery("RET-C", 2)
    world.ok(f"orders/{nr}/buyout", {"not_bought": [{"item_id": refused_item, "reason": REASONS[3]}]})
    before = len(world.log())
    body = world.ok(
        "returns", {"boxes": [{"items": [{"item_id": refused_item}]}, {"items": [{"item_id": bought}]}]}, 201
    )
    assert [len(b["items"]) for b in body["boxes"]] == [1, 1]
    assert body["boxes"][0]["id"] != body["boxes"][1]["id"]
    returns = world.v2_page("fbs/return-items", orderId=nr)["data"]
    assert {(r["itemId"], r["returnType"], r["status"]) for r in returns} == {
        (refused_item, "NOT_BOUGHT", "SENT_TO_SELLER"),
        (bought, "CUSTOMER_RETURN", "SENT_TO_SELLER"),
    }
    assert world.v2_page("fbs/return-boxes")["meta"]["total"] == 2
    assert [i["status"] for i in world.v2_order(nr)["items"]] == ["SENT_BACK_TO_PARTNER"] * 2
    # B2B v1 hides return statuses from 2026-03-03, and no notification reports them
    v1 = world.v1_order(nr)
    assert [i["status"] for i in v1["items"]] == ["Delivered", "Not bought"]
    # ...and what it shows keeps its reason, and the refused item its place in rejectPrice
    assert [i["statusChangeReason"] for i in v1["items"]] == [None, REASONS[3]]
    assert v1["rejectPrice"] == [i["paidPrice"] for i in v1["items"]][1] > 0
    assert world.payloads()[before:] == []


@pytest.mark.parametrize("stage", ["Shipped", "In delivery", "On shelf"])
def test_items_still_on_their_way_cannot_be_returned(tenant: Tenant, stage: str) -> None:
    world = World(tenant)
    detail = world.ready_to_ship({"sku": "WAY-1", "marking_required": False})
    nr, item = detail["orderNr"], detail["items"][0]["id"]
    world.moved(nr, item, *(["Shipped"] if stage == "Shipped" else ["Shipped", stage]))
    error = refused(
        world.event("returns", {"boxes": [{"items": [{"item_id": item}]}]}), 409, "transition_not_allowed"
    )
    assert (error["details"]["item_id"], error["details"]["current"]) == (item, stage)
    assert world.v2_page("fbs/return-items")["meta"]["total"] == 0


def test_a_return_is_all_or_nothing(tenant: Tenant) -> None:
    world = World(tenant)
    nr, (good, bad) = world.out_for_delivery("ATOM-1", 2)
    world.ok(f"orders/{nr}/buyout", {"not_bought": [{"item_id": good, "reason": REASONS[0]}]})
    world.moved(nr, bad, "Claimed ok", "Sent back to partner")  # already on its way back
    fbo = world.buyer_orders({"sku": "FBO-R"}, fulfillment_type="FBO")
    fbo_item = fbo["items"][0]["id"]
    world.moved(fbo["order_nr"], fbo_item, "Shipped", "In delivery", "Delivered")
    before = (world.payloads(), world.v2_page("fbs/return-items"), world.v2_page("fbs/return-boxes"))
    cases: list[tuple[Any, int, str, str | None]] = [
        ({"boxes": [{"items": [{"item_id": good}, {"item_id": bad}]}]}, 409, "transition_not_allowed", None),
        (
            {"boxes": [{"items": [{"item_id": good}]}, {"items": [{"item_id": fbo_item}]}]},
            409,
            "not_fbs",
            None,
        ),
        (
            {"boxes": [{"items": [{"item_id": good, "reason": REASONS[1]}]}]},
            400,
            "reason_not_applicable",
            None,
        ),
        (
            {"boxes": [{"items": [{"item_id": good}]}, {"items": [{"item_id": good}]}]},
            400,
            "duplicate_item",
            "boxes[1].items[0].item_id",
        ),
        ({"boxes": [{"items": [{"item_id": good}, {"item_id": 999_999_999}]}]}, 404, "ItemNotFound", None),
        ({"boxes": []}, 400, "ValidationError", "boxes"),
        ({"boxes": [{"items": []}]}, 400, "ValidationError", "boxes[0].items"),
        ({"items": [{"item_id": good}]}, 400, "ValidationError", None),
        ({"boxes": [{"items": [{"item_id": "x"}]}]}, 400, "ValidationError", "boxes[0].items[0].item_id"),
    ]
    for body, status, code, field in cases:
        refused(world.event("returns", body), status, code, field)
    after = (world.payloads(), world.v2_page("fbs/return-items"), world.v2_page("fbs/return-boxes"))
    assert after == before
    assert [i["status"] for i in world.v2_order(nr)["items"]] == ["NOT_BOUGHT", "SENT_BACK_TO_PARTNER"]


# ---- the courier receives an FBS shipment ----


def test_the_courier_receives_a_shipment(tenant: Tenant) -> None:
    world = World(tenant)
    marked = world.ready_to_ship({"sku": "SHIP-M", "quantity": 2, "marking_required": True})
    plain = world.ready_to_ship({"sku": "SHIP-P", "marking_required": False})
    codes = {i["id"]: datamatrix() for i in marked["items"]}
    created = world.shipment(marked, plain, codes=codes)
    shipment_id = created["id"]
    assert created["status"] == "CREATED"
    before = len(world.log())

    body = world.ok(f"shipments/{shipment_id}/receive")
    numbers = sorted([marked["orderNr"], plain["orderNr"]])
    assert (body["id"], body["status"], body["orders"]) == (shipment_id, "RECEIVED", numbers)
    all_items = [*marked["items"], *plain["items"]]
    assert body["items"] == [
        {"item_id": i["id"], "order_nr": o["orderNr"], "status": "Shipped", "without_code": False}
        for o in (marked, plain)
        for i in o["items"]
    ]
    # the shipment as both APIs show it, and its orders
    assert world.v2_page(f"fbs/shipments/{shipment_id}")["data"]["status"] == "RECEIVED"
    listed = world.v1_get("shipments")
    assert listed.status_code == 200
    assert [s["status"] for s in listed.json()["_embedded"]["shipments"]] == ["RECEIVED"]
    for order in (marked, plain):
        v2 = world.v2_order(order["orderNr"])
        assert v2["status"] == "SHIPPED" and {i["status"] for i in v2["items"]} == {"SHIPPED"}
        assert world.v1_order(order["orderNr"])["status"] == "Shipped"

    new = world.log()[before:]
    [received] = [m for m in new if m["type"] == "fulfilmentShipmentStatusChanged"]
    shipment = received["payload"]["shipment"]
    assert (shipment["id"], shipment["kind"], shipment["status"], shipment["orders"]) == (
        shipment_id,
        "FBS",
        "RECEIVED",
        numbers,
    )
    assert received["payload"]["sequenceNumber"] == 2 and received["tracking_id"] == str(shipment_id)
    [announced] = world.log(type="fulfilmentShipmentStatusChanged", tracking_id=str(shipment_id))[:1]
    assert (announced["payload"]["sequenceNumber"], announced["payload"]["shipment"]["status"]) == (
        1,
        "CREATED",
    )
    payloads = [m["payload"] for m in new]
    assert sorted(p["orderNr"] for p in of_type(payloads, "statusChanged")) == numbers
    assert {p["status"] for p in of_type(payloads, "statusChanged")} == {"Shipped"}
    shipped = {i["id"]: i for p in of_type(payloads, "itemStatusChanged") for i in p["items"]}
    assert set(shipped) == {i["id"] for i in all_items}
    assert {i["status"] for i in shipped.values()} == {"Shipped"}
    assert {item_id: shipped[item_id]["datamatrix"] for item_id in codes} == codes

    error = refused(world.event(f"shipments/{shipment_id}/receive"), 409, "transition_not_allowed")
    assert error["details"] == {"current": "RECEIVED", "allowed": []}


def test_an_item_cancelled_before_the_courier_came_stays_cancelled(tenant: Tenant) -> None:
    world = World(tenant)
    order = world.ready_to_ship({"sku": "GONE-1", "quantity": 2, "marking_required": False})
    other = world.ready_to_ship({"sku": "GONE-2", "marking_required": False})
    shipment_id = world.shipment(order, other)["id"]
    # the seller may no longer cancel what it announced for shipping; the buyer still can
    assert world.v1_post(f"orders/{order['orderNr']}/events", {"type": "cancel"}).status_code == 409
    world.ok(f"orders/{order['orderNr']}/cancel")
    body = world.ok(f"shipments/{shipment_id}/receive")
    assert [i["status"] for i in body["items"]] == ["Canceled", "Canceled", "Shipped"]
    assert world.v2_order(order["orderNr"])["status"] == "CANCELED"
    assert world.v2_order(other["orderNr"])["status"] == "SHIPPED"


def test_items_the_courier_already_scanned_move_no_further(tenant: Tenant) -> None:
    world = World(tenant)
    order = world.ready_to_ship({"sku": "SCAN-1", "quantity": 2, "marking_required": False})
    nr, (first, second) = order["orderNr"], [i["id"] for i in order["items"]]
    shipment_id = world.shipment(order)["id"]
    world.moved(nr, first, "Shipped", "Arrived to LME")
    before = len(world.log())
    body = world.ok(f"shipments/{shipment_id}/receive")
    assert [i["status"] for i in body["items"]] == ["Arrived to LME", "Shipped"]
    assert item_lines(world.payloads()[before:]) == [(second, "Shipped", None)]


def test_receiving_unknown_shipments(tenant: Tenant, other_tenant: Tenant) -> None:
    world = World(tenant)
    refused(world.event("shipments/999999999/receive"), 404, "ShipmentNotFound")
    refused(world.event("shipments/abc/receive"), 400, "InvalidShipmentId", "shipment_id")
    refused(world.event("shipments/0/receive"), 400, "InvalidShipmentId", "shipment_id")
    foreign = World(other_tenant, subscribe=False)
    order = foreign.ready_to_ship({"sku": "THEIRS-1", "marking_required": False})
    shipment_id = foreign.shipment(order)["id"]
    refused(world.event(f"shipments/{shipment_id}/receive"), 404, "ShipmentNotFound")
    assert foreign.v2_page(f"fbs/shipments/{shipment_id}")["data"]["status"] == "CREATED"


# ---- tenants ----


def test_another_tenants_objects_are_out_of_reach(tenant: Tenant, other_tenant: Tenant) -> None:
    world = World(tenant)
    theirs = World(other_tenant, subscribe=False)
    nr, (item,) = theirs.out_for_delivery("THEIRS-2")
    fbo = theirs.buyer_orders({"sku": "THEIRS-3", "marking_required": True}, fulfillment_type="FBO")
    refused(world.event(f"orders/{nr}/cancel"), 404, "OrderNotFound")
    refused(world.event(f"orders/{nr}/buyout", {}), 404, "OrderNotFound")
    refused(world.event(f"orders/{fbo['order_nr']}/marking-codes", {}), 404, "OrderNotFound")
    # an item id of theirs inside one of our orders is not ours either
    ours, _ = world.out_for_delivery("OURS-1")
    refused(
        world.event(f"orders/{ours}/buyout", {"not_bought": [{"item_id": item, "reason": REASONS[0]}]}),
        404,
        "ItemNotFound",
    )
    theirs.ok(f"orders/{nr}/buyout", {"not_bought": [{"item_id": item, "reason": REASONS[0]}]})
    refused(world.event("returns", {"boxes": [{"items": [{"item_id": item}]}]}), 404, "ItemNotFound")
    assert theirs.v2_order(nr)["status"] == "NOT_BOUGHT"
    assert theirs.v2_page("fbs/return-items")["data"][0]["status"] == "CREATED"
    assert world.v2_page("fbs/return-boxes")["meta"]["total"] == 0


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("orders/RU261123-000001/cancel", None),
        ("orders/RU261123-000001/buyout", {}),
        ("orders/RU261123-000001/marking-codes", {}),
        ("returns", {"boxes": [{"items": [{"item_id": 7000001}]}]}),
        ("shipments/1/receive", None),
    ],
)
def test_unknown_tenants_and_bad_seller_ids(http: httpx.Client, path: str, body: Any) -> None:
    world = World(new_tenant(http), subscribe=False)
    refused(world.event(path, body, seller_id=999_999_999_999), 404, "TenantNotFound")
    refused(world.event(path, body, seller_id="abc"), 400, "InvalidSellerId", "seller_id")
    refused(world.event("orders/RU000000-999999/cancel"), 404, "OrderNotFound")


@pytest.mark.parametrize(
    "path", ["orders/RU261123-000001/buyout", "orders/RU261123-000001/marking-codes", "returns"]
)
def test_bodies_must_be_json_objects(tenant: Tenant, path: str) -> None:
    url = f"/sandbox/tenants/{tenant.seller_id}/lamoda/{path}"
    for content in (b"", b"not json", b"[1, 2]"):
        resp = tenant.http.post(url, content=content, headers={"Content-Type": "application/json"})
        refused(resp, 400, "ValidationError")
        check_documented(tenant.http, resp)


def v2(status: str) -> str:
    return status.upper().replace(" ", "_")
