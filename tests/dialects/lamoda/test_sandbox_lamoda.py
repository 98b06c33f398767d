"""The sandbox's Lamoda contract: buyer orders, the world's item moves through Lamoda's item-status
vocabulary (and the moves it refuses), and a tenant clock started at a given moment."""

from __future__ import annotations

import re
from typing import Any

import httpx
import jsonschema
import pytest

from tests.conftest import Tenant
from tests.dialects.lamoda.helpers import Lamoda, check_documented, documented

REASONS = (
    "Размер не подошёл",
    "Не соответствует описанию/фото",
    "Низкое качество изготовления, материала",
    "Брак, некомплект, следы носки",
)
NEEDS_REASON = {"Not bought"}
CONFIRM, ASSEMBLE = "<confirm>", "<assemble>"  # the seller's moves on the way to a status

# What the world (couriers, buyers, pickup points, return desks) may do to an item, per status.
LAST_MILE_ENDS = ["Delivered", "Not bought", "Not delivered", "Rejected"]
ALLOWED: dict[str, list[str]] = {
    "New": ["Canceled"],
    "Confirmed": ["Canceled"],
    "Canceled": [],
    "Ready for shipment": ["Canceled", "Shipped"],
    "Shipped": ["Arrived to LME", "Given to delivery", "In delivery", "Left LME", "On shelf"],
    "Arrived to LME": ["Given to delivery", "In delivery", "Left LME", "On shelf"],
    "Left LME": ["Given to delivery", "In delivery", "On shelf"],
    "Given to delivery": [
        "Delivered",
        "Delivery incidence",
        "In delivery",
        "Not bought",
        "Not delivered",
        "On shelf",
        "Postponed",
        "Rejected",
    ],
    "Postponed": sorted(["Delivery incidence", "In delivery", "On shelf", *LAST_MILE_ENDS]),
    "Delivery incidence": sorted(["In delivery", "On shelf", "Postponed", *LAST_MILE_ENDS]),
    "In delivery": sorted(["Delivery incidence", "On shelf", "Postponed", *LAST_MILE_ENDS]),
    "On shelf": sorted(["Delivery incidence", "In delivery", "Postponed", *LAST_MILE_ENDS]),
    "Delivered": ["Claimed ok"],
    "Not delivered": ["Sent back to partner"],
    "Not bought": ["Sent back to partner"],
    "Rejected": ["Sent back to partner"],
    "Claimed ok": ["Ready to refund", "Refund by partner", "Sent back to partner"],
    "Sent back to partner": ["Ready to refund", "Refund by partner"],
    "Ready to refund": ["Refund by partner", "Refunded"],
    "Refunded": [],
    "Refund by partner": [],
}

_SHIPPED = [CONFIRM, ASSEMBLE, "Shipped"]
# One way to bring a fresh single-item FBS order to each status.
PATHS: dict[str, list[str]] = {
    "New": [],
    "Confirmed": [CONFIRM],
    "Canceled": ["Canceled"],
    "Ready for shipment": [CONFIRM, ASSEMBLE],
    "Shipped": _SHIPPED,
    "Arrived to LME": [*_SHIPPED, "Arrived to LME"],
    "Left LME": [*_SHIPPED, "Arrived to LME", "Left LME"],
    "Given to delivery": [*_SHIPPED, "Arrived to LME", "Left LME", "Given to delivery"],
    "In delivery": [*_SHIPPED, "In delivery"],
    "Postponed": [*_SHIPPED, "In delivery", "Postponed"],
    "Delivery incidence": [*_SHIPPED, "In delivery", "Delivery incidence"],
    "On shelf": [*_SHIPPED, "On shelf"],
    "Delivered": [*_SHIPPED, "In delivery", "Delivered"],
    "Not delivered": [*_SHIPPED, "In delivery", "Not delivered"],
    "Not bought": [*_SHIPPED, "On shelf", "Not bought"],
    "Rejected": [*_SHIPPED, "In delivery", "Rejected"],
    "Claimed ok": [*_SHIPPED, "In delivery", "Delivered", "Claimed ok"],
    "Sent back to partner": [*_SHIPPED, "In delivery", "Delivered", "Claimed ok", "Sent back to partner"],
    "Ready to refund": [*_SHIPPED, "In delivery", "Delivered", "Claimed ok", "Ready to refund"],
    "Refunded": [*_SHIPPED, "In delivery", "Delivered", "Claimed ok", "Ready to refund", "Refunded"],
    "Refund by partner": [*_SHIPPED, "In delivery", "Delivered", "Claimed ok", "Refund by partner"],
}
EDGES = [(source, target) for source, targets in ALLOWED.items() for target in targets]


class Client(Lamoda):
    """The helper's client, with every answer (sandbox ones too) checked against the OpenAPI document."""

    def checked(self, resp: httpx.Response) -> httpx.Response:
        if resp.status_code == 409:  # not in the document: see test_sandbox_conflicts_are_documented
            document, _ = documented(self.http)
            path = resp.request.url.path
            name = "SandboxErrorBody" if path.startswith("/sandbox/") else "V1Error"
            if path.startswith("/api/v2/"):
                name = "V2Error"
            schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
            jsonschema.Draft202012Validator(schema).validate(resp.json())
        else:
            check_documented(self.http, resp)
        return resp

    def v1_post(self, path: str, body: Any) -> httpx.Response:
        return self.checked(super().v1_post(path, body))

    def v2_post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        return self.checked(super().v2_post(path, body))

    def v2_get(self, path: str, **params: Any) -> httpx.Response:
        return self.checked(super().v2_get(path, **params))

    def move(self, order_nr: str, item_id: int, status: str, reason: str | None = None) -> httpx.Response:
        return self.checked(super().move(order_nr, item_id, status, reason))

    def place(self, body: Any, seller_id: int | None = None) -> httpx.Response:
        sid = self.seller_id if seller_id is None else seller_id
        return self.checked(self.http.post(f"/sandbox/tenants/{sid}/lamoda/orders", json=body))

    def buyer_orders(self, *items: dict[str, Any], **extra: Any) -> dict[str, Any]:
        resp = self.place({"items": list(items), **extra})
        assert resp.status_code == 201, resp.text
        return dict(resp.json())

    def reach(self, status: str) -> tuple[str, int]:
        """A fresh single-item order whose item is now `status`."""
        placed = self.buyer_orders({"sku": "WALK-1", "marking_required": False})
        nr, item = placed["order_nr"], placed["items"][0]["id"]
        for step in PATHS[status]:
            if step == CONFIRM:
                resp = self.v1_post(f"orders/{nr}/events", {"type": "confirm"})
            elif step == ASSEMBLE:
                resp = self.v2_post(f"orders/{nr}/assembly", {"packs": [{"itemIds": [item]}]})
            else:
                resp = self.move(nr, item, step, REASONS[0] if step in NEEDS_REASON else None)
            assert resp.status_code == 200, f"{step}: {resp.text}"
        return nr, item

    def item_status(self, nr: str) -> tuple[str, str]:
        """(order status, first item status) as v2 shows them."""
        resp = self.v2_get(f"orders/{nr}")
        assert resp.status_code == 200, resp.text
        data = resp.json()["data"]
        return data["status"], data["items"][0]["status"]


def sandbox_error(resp: httpx.Response, status: int, code: str, field: str | None = None) -> dict[str, Any]:
    """`{"error": {code, message, details}}`; returns the error."""
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "details"}, error
    assert error["code"] == code, error
    assert isinstance(error["message"], str) and error["message"], error
    if field is not None:
        assert error["details"]["field"] == field, error
    return dict(error)


def v2_name(status: str) -> str:
    return {"Ready for shipment": "AWAITING_SHIPMENT"}.get(status, status.upper().replace(" ", "_"))


# ---- buyer orders ----


def test_buyer_order_contract(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    resp = lamoda.place(
        {
            "items": [
                {"sku": "DRESS-RED-42", "quantity": 3, "price": 349900, "marking_required": True},
                {"sku": "SCARF-01", "marking_required": False},
            ]
        }
    )
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert isinstance(body["order_nr"], str) and re.fullmatch(r"RU\d{6}-\d{6}", body["order_nr"])
    assert isinstance(body["id"], str) and body["id"].isdigit()
    assert (body["seller_id"], body["fulfillment_type"], body["status"]) == (tenant.seller_id, "FBS", "New")
    items = body["items"]
    assert [(i["sku"], i["status"], i["price"], i["marking_required"]) for i in items] == [
        ("DRESS-RED-42", "New", 349900, True),
        ("DRESS-RED-42", "New", 349900, True),
        ("DRESS-RED-42", "New", 349900, True),
        ("SCARF-01", "New", items[3]["price"], False),
    ]
    assert all(type(i["id"]) is int for i in items) and len({i["id"] for i in items}) == 4
    assert all(isinstance(i["sku"], str) and isinstance(i["status"], str) for i in items)
    assert all(i["status_reason"] is None for i in items)
    # one Lamoda SKU per seller SKU
    assert len({i["lamoda_sku"] for i in items[:3]}) == 1 and items[0]["lamoda_sku"] != items[3]["lamoda_sku"]

    # the order is the seller's at once, in both APIs
    v2 = lamoda.v2_get(f"orders/{body['id']}").json()["data"]
    assert (v2["orderNr"], v2["status"]) == (body["order_nr"], "NEW")
    assert [i["itemId"] for i in v2["items"]] == [i["id"] for i in items]


def test_buyer_order_defaults(http: httpx.Client) -> None:
    resp = http.post("/sandbox/tenants", json={"name": "Defaults", "now": "2026-02-02T09:00:00+03:00"})
    assert resp.status_code == 201, resp.text
    lamoda = Client(Tenant(http, resp.json()))
    placed = lamoda.buyer_orders({"sku": "PLAIN-1"})
    assert placed["order_nr"].startswith("RU260202-")
    assert (placed["fulfillment_type"], placed["status"]) == ("FBS", "New")
    assert placed["created_at"].startswith("2026-02-02T06:00:0") and placed["created_at"].endswith("+00:00")
    assert placed["cut_off"] == "2026-02-03T10:00:00.000000+00:00"  # the next day, 13:00 Moscow time
    [item] = placed["items"]
    assert (item["sku"], item["status"], item["status_reason"]) == ("PLAIN-1", "New", None)
    assert isinstance(item["price"], int) and item["price"] > 0
    assert isinstance(item["marking_required"], bool) and item["name"]
    # the same SKU keeps its made-up details
    again = lamoda.buyer_orders({"sku": "PLAIN-1"})["items"][0]
    assert (again["lamoda_sku"], again["name"], again["price"], again["marking_required"]) == (
        item["lamoda_sku"],
        item["name"],
        item["price"],
        item["marking_required"],
    )


def test_buyer_order_of_a_hundred_units(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    placed = lamoda.buyer_orders(
        {"sku": "SOCK-A", "quantity": 60, "price": 0}, {"sku": "SOCK-B", "quantity": 40}
    )
    assert len(placed["items"]) == 100 and len({i["id"] for i in placed["items"]}) == 100
    assert [i["sku"] for i in placed["items"]] == ["SOCK-A"] * 60 + ["SOCK-B"] * 40
    assert {i["price"] for i in placed["items"][:60]} == {0}


def test_fbo_buyer_order_arrives_confirmed(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    placed = lamoda.buyer_orders({"sku": "FBO-1", "quantity": 2}, fulfillment_type="FBO")
    assert (placed["fulfillment_type"], placed["status"]) == ("FBO", "Confirmed")
    assert [i["status"] for i in placed["items"]] == ["Confirmed", "Confirmed"]


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({}, "ValidationError", "items"),
        ({"items": []}, "ValidationError", "items"),
        ({"items": "DRESS-1"}, "ValidationError", "items"),
        ({"items": [{"quantity": 1}]}, "ValidationError", "items[0].sku"),
        ({"items": [{"sku": ""}]}, "ValidationError", "items[0].sku"),
        ({"items": [{"sku": "   "}]}, "invalid_order", "items[0].sku"),
        ({"items": [{"sku": "A", "quantity": 0}]}, "ValidationError", "items[0].quantity"),
        ({"items": [{"sku": "A", "quantity": 101}]}, "ValidationError", "items[0].quantity"),
        ({"items": [{"sku": "A", "quantity": 1.5}]}, "ValidationError", "items[0].quantity"),
        ({"items": [{"sku": "A", "quantity": 60}, {"sku": "B", "quantity": 41}]}, "invalid_order", "items"),
        ({"items": [{"sku": "A", "price": -1}]}, "ValidationError", "items[0].price"),
        (
            {"items": [{"sku": "A", "marking_required": "yes"}]},
            "ValidationError",
            "items[0].marking_required",
        ),
        ({"items": [{"sku": "A"}], "fulfillment_type": "DBS"}, "ValidationError", "fulfillment_type"),
        ({"items": [{"sku": "A"}], "cut_off": "tomorrow"}, "InvalidDate", "cut_off"),
        ({"items": [{"sku": "A"}], "cut_off": 1767225600}, "ValidationError", "cut_off"),
        ([{"sku": "A"}], "ValidationError", None),
    ],
)
def test_invalid_buyer_orders(tenant: Tenant, body: Any, code: str, field: str | None) -> None:
    lamoda = Client(tenant)
    sandbox_error(lamoda.place(body), 400, code, field)
    assert lamoda.v2_get("orders").json()["meta"]["total"] == 0


def test_buyer_order_body_must_be_json(tenant: Tenant) -> None:
    resp = tenant.http.post(
        f"/sandbox/tenants/{tenant.seller_id}/lamoda/orders",
        content=b"items=A",
        headers={"Content-Type": "application/json"},
    )
    sandbox_error(resp, 400, "ValidationError")
    check_documented(tenant.http, resp)


def test_buyer_order_for_an_unknown_tenant(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    sandbox_error(lamoda.place({"items": [{"sku": "A"}]}, seller_id=999_999_999_999), 404, "TenantNotFound")
    resp = tenant.http.post("/sandbox/tenants/abc/lamoda/orders", json={"items": [{"sku": "A"}]})
    sandbox_error(resp, 400, "InvalidSellerId", "seller_id")


def test_a_deleted_tenant_gets_no_orders(http: httpx.Client) -> None:
    resp = http.post("/sandbox/tenants", json={"name": "Short-lived"})
    assert resp.status_code == 201, resp.text
    seller_id = resp.json()["seller_id"]
    placed = http.post(f"/sandbox/tenants/{seller_id}/lamoda/orders", json={"items": [{"sku": "A"}]})
    assert placed.status_code == 201, placed.text
    assert http.delete(f"/sandbox/tenants/{seller_id}").status_code == 204
    again = http.post(f"/sandbox/tenants/{seller_id}/lamoda/orders", json={"items": [{"sku": "A"}]})
    sandbox_error(again, 404, "TenantNotFound")
    nr, item = placed.json()["order_nr"], placed.json()["items"][0]["id"]
    move = http.post(
        f"/sandbox/tenants/{seller_id}/lamoda/orders/{nr}/items/{item}/status", json={"status": "Canceled"}
    )
    sandbox_error(move, 404, "TenantNotFound")


# ---- the world's moves ----


@pytest.mark.parametrize(("source", "target"), EDGES, ids=[f"{s}->{t}" for s, t in EDGES])
def test_every_allowed_world_move(tenant: Tenant, source: str, target: str) -> None:
    lamoda = Client(tenant)
    nr, item = lamoda.reach(source)
    reason = REASONS[2] if target in NEEDS_REASON else None
    resp = lamoda.move(nr, item, target, reason)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["order_nr"] == nr and body["status"] == target
    assert [(i["id"], i["status"], i["status_reason"]) for i in body["items"]] == [(item, target, reason)]
    assert lamoda.item_status(nr) == (v2_name(target), v2_name(target))


@pytest.mark.parametrize("status", list(ALLOWED))
def test_refused_moves_name_the_allowed_statuses(tenant: Tenant, status: str) -> None:
    lamoda = Client(tenant)
    nr, item = lamoda.reach(status)
    # "New" is never a move of the world: always refused, whatever the status
    error = sandbox_error(lamoda.move(nr, item, "New"), 409, "transition_not_allowed", "status")
    assert error["details"]["current"] == status
    assert error["details"]["allowed"] == ALLOWED[status]
    if ALLOWED[status]:
        assert f"(allowed: {', '.join(ALLOWED[status])})" in error["message"]
    else:
        assert "no further status is possible" in error["message"]
    assert lamoda.item_status(nr) == (v2_name(status), v2_name(status))


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("New", "Delivered"),
        ("New", "Shipped"),
        ("Confirmed", "Shipped"),
        ("Ready for shipment", "Delivered"),
        ("Shipped", "Ready for shipment"),
        ("Left LME", "Arrived to LME"),
        ("In delivery", "Given to delivery"),
        ("In delivery", "Claimed ok"),
        ("Delivered", "Shipped"),
        ("Delivered", "Not bought"),
        ("Delivered", "Refunded"),
        ("Not bought", "Delivered"),
        ("Sent back to partner", "Refunded"),
        ("Canceled", "New"),
        ("Canceled", "Shipped"),
        ("Canceled", "Delivered"),
        ("Canceled", "Canceled"),
        ("Refunded", "Delivered"),
        ("Refund by partner", "Refunded"),
        ("Delivered", "Delivered"),
    ],
)
def test_moves_lamoda_never_makes(tenant: Tenant, source: str, target: str) -> None:
    lamoda = Client(tenant)
    nr, item = lamoda.reach(source)
    reason = REASONS[0] if target in NEEDS_REASON else None
    if target in ("Confirmed", "Ready for shipment"):
        error = sandbox_error(lamoda.move(nr, item, target, reason), 409, "seller_action", "status")
    else:
        error = sandbox_error(lamoda.move(nr, item, target, reason), 409, "transition_not_allowed", "status")
        assert error["details"]["allowed"] == ALLOWED[source]
        assert repr(source) in error["message"] and repr(target) in error["message"]
    assert lamoda.item_status(nr) == (v2_name(source), v2_name(source))


def test_full_journey_to_refund(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    order = lamoda.ready_to_ship({"sku": "COAT-9", "marking_required": False})
    nr, item = order["orderNr"], order["items"][0]["id"]
    journey = [
        "Shipped",
        "Arrived to LME",
        "Left LME",
        "Given to delivery",
        "Postponed",
        "In delivery",
        "Delivered",
        "Claimed ok",
        "Sent back to partner",
        "Ready to refund",
        "Refunded",
    ]
    for status in journey:
        resp = lamoda.move(nr, item, status)
        assert resp.status_code == 200, f"{status}: {resp.text}"
        assert resp.json()["items"][0]["status"] == status and resp.json()["status"] == status
    history = lamoda.v2_get(f"orders/{nr}/status-history").json()["data"]
    assert [line["status"] for line in history] == [
        "NEW",
        "CONFIRMED",
        "AWAITING_SHIPMENT",
        *(v2_name(s) for s in journey),
    ]


def test_the_buyer_cancels_one_unit(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    placed = lamoda.buyer_orders({"sku": "SOCKS-3", "quantity": 2})
    nr, (first, second) = placed["order_nr"], [i["id"] for i in placed["items"]]
    body = lamoda.move(nr, first, "Canceled").json()
    assert body["status"] == "New"
    assert [i["status"] for i in body["items"]] == ["Canceled", "New"]
    assert lamoda.move(nr, second, "Canceled").json()["status"] == "Canceled"


@pytest.mark.parametrize("status", ["Confirmed", "Ready for shipment"])
def test_seller_moves_are_refused(tenant: Tenant, status: str) -> None:
    lamoda = Client(tenant)
    placed = lamoda.buyer_orders({"sku": "HAT-2"})
    nr, item = placed["order_nr"], placed["items"][0]["id"]
    error = sandbox_error(lamoda.move(nr, item, status), 409, "seller_action", "status")
    assert "seller's move" in error["message"]
    assert lamoda.item_status(nr) == ("NEW", "NEW")


@pytest.mark.parametrize("via", ["In delivery", "On shelf", "Given to delivery", "Postponed"])
def test_not_bought_needs_a_known_reason(tenant: Tenant, via: str) -> None:
    lamoda = Client(tenant)
    nr, item = lamoda.reach(via)
    error = sandbox_error(lamoda.move(nr, item, "Not bought"), 400, "reason_required", "reason")
    assert error["details"]["allowed"] == list(REASONS)
    error = sandbox_error(
        lamoda.move(nr, item, "Not bought", "Не понравилось"), 400, "unknown_reason", "reason"
    )
    assert error["details"]["allowed"] == list(REASONS)
    assert lamoda.item_status(nr)[1] == v2_name(via)
    for reason in REASONS:  # every listed reason is accepted (checked on fresh items)
        nr2, item2 = lamoda.reach(via)
        body = lamoda.move(nr2, item2, "Not bought", reason).json()
        assert (body["items"][0]["status"], body["items"][0]["status_reason"]) == ("Not bought", reason)


def test_rejected_may_carry_a_reason_from_the_list(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    nr, item = lamoda.reach("In delivery")
    sandbox_error(lamoda.move(nr, item, "Rejected", "Просто так"), 400, "unknown_reason", "reason")
    body = lamoda.move(nr, item, "Rejected").json()
    assert (body["items"][0]["status"], body["items"][0]["status_reason"]) == ("Rejected", None)
    nr, item = lamoda.reach("In delivery")
    body = lamoda.move(nr, item, "Rejected", REASONS[1]).json()
    assert body["items"][0]["status_reason"] == REASONS[1]


@pytest.mark.parametrize("status", ["Lost", "delivered", "DELIVERED", "In Delivery", "Cancelled"])
def test_unknown_status(tenant: Tenant, status: str) -> None:
    lamoda = Client(tenant)
    nr, item = lamoda.reach("In delivery")
    error = sandbox_error(lamoda.move(nr, item, status), 400, "unknown_status", "status")
    assert "Delivered" in error["message"]
    assert lamoda.item_status(nr) == ("IN_DELIVERY", "IN_DELIVERY")


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "status"), ({"status": ""}, "status"), ({"status": "Not bought", "reason": ""}, "reason")],
)
def test_invalid_move_bodies(tenant: Tenant, body: dict[str, Any], field: str) -> None:
    lamoda = Client(tenant)
    nr, item = lamoda.reach("In delivery")
    resp = lamoda.checked(
        tenant.http.post(
            f"/sandbox/tenants/{tenant.seller_id}/lamoda/orders/{nr}/items/{item}/status", json=body
        )
    )
    sandbox_error(resp, 400, "ValidationError", field)


def test_unknown_order_or_item(tenant: Tenant, other_tenant: Tenant) -> None:
    lamoda = Client(tenant)
    placed = lamoda.buyer_orders({"sku": "BAG-3"})
    nr, item = placed["order_nr"], placed["items"][0]["id"]
    other = lamoda.buyer_orders({"sku": "BAG-4"})
    foreign = Client(other_tenant).buyer_orders({"sku": "BAG-5"})
    sandbox_error(lamoda.move("RU000000-999999", item, "Canceled"), 404, "OrderNotFound")
    sandbox_error(
        lamoda.move(foreign["order_nr"], foreign["items"][0]["id"], "Canceled"), 404, "OrderNotFound"
    )
    sandbox_error(lamoda.move(nr, 999_999_999, "Canceled"), 404, "ItemNotFound")
    sandbox_error(lamoda.move(nr, other["items"][0]["id"], "Canceled"), 404, "ItemNotFound")
    bad_item = tenant.http.post(
        f"/sandbox/tenants/{tenant.seller_id}/lamoda/orders/{nr}/items/x1/status", json={"status": "Canceled"}
    )
    sandbox_error(bad_item, 400, "InvalidItemId", "item_id")
    unknown_tenant = tenant.http.post(
        f"/sandbox/tenants/999999999999/lamoda/orders/{nr}/items/{item}/status", json={"status": "Canceled"}
    )
    sandbox_error(unknown_tenant, 404, "TenantNotFound")
    assert lamoda.item_status(nr) == ("NEW", "NEW")
    assert Client(other_tenant).item_status(foreign["order_nr"]) == ("NEW", "NEW")


def test_the_world_assembles_and_delivers_an_fbo_order(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    placed = lamoda.buyer_orders({"sku": "FBO-2", "quantity": 2}, fulfillment_type="FBO")
    nr, (first, second) = placed["order_nr"], [i["id"] for i in placed["items"]]
    error = sandbox_error(lamoda.move(nr, first, "Delivered"), 409, "transition_not_allowed", "status")
    assert error["details"]["allowed"] == ["Canceled", "Ready for shipment", "Shipped"]
    sandbox_error(lamoda.move(nr, first, "Confirmed"), 409, "seller_action", "status")
    # Lamoda's own warehouse assembles FBO orders: "Ready for shipment" is the world's move there
    body = lamoda.move(nr, first, "Ready for shipment").json()
    assert body["status"] == "Confirmed"  # the least advanced item
    assert [i["status"] for i in body["items"]] == ["Ready for shipment", "Confirmed"]
    sandbox_error(lamoda.move(nr, first, "Ready for shipment"), 409, "seller_action", "status")
    lamoda.moved(nr, second, "Ready for shipment")
    assert lamoda.item_status(nr) == ("AWAITING_SHIPMENT", "AWAITING_SHIPMENT")
    for item in (first, second):
        lamoda.moved(nr, item, "Shipped", "In delivery")
    lamoda.moved(nr, first, "Delivered")
    final = lamoda.moved(nr, second, "Not bought", reason=REASONS[0])
    assert final["status"] == "Delivered"
    assert [(i["status"], i["status_reason"]) for i in final["items"]] == [
        ("Delivered", None),
        ("Not bought", REASONS[0]),
    ]
    assert lamoda.item_status(nr) == ("DELIVERED", "DELIVERED")


def test_an_fbs_item_is_never_assembled_by_the_world(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    nr, item = lamoda.reach("Confirmed")
    sandbox_error(lamoda.move(nr, item, "Ready for shipment"), 409, "seller_action", "status")
    assert lamoda.item_status(nr) == ("CONFIRMED", "CONFIRMED")


def test_sandbox_conflicts_are_documented(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    placed = lamoda.buyer_orders({"sku": "DOC-2"})
    resp = lamoda.move(placed["order_nr"], placed["items"][0]["id"], "Delivered")
    assert resp.status_code == 409, resp.text
    check_documented(tenant.http, resp)


# ---- the tenant clock ----


def test_a_tenant_started_at_a_given_moment(http: httpx.Client) -> None:
    resp = http.post("/sandbox/tenants", json={"name": "Back in time", "now": "2026-02-01T10:00:00+03:00"})
    assert resp.status_code == 201, resp.text
    check_documented(http, resp)
    body = resp.json()
    assert body["now"].startswith("2026-02-01T07:00:0") and body["now"].endswith("+00:00")
    assert body["created_at"].startswith("2026-02-01T07:00:0")
    seller_id = body["seller_id"]

    clock = http.get(f"/sandbox/tenants/{seller_id}/clock")
    assert clock.status_code == 200, clock.text
    assert clock.json()["now"].startswith("2026-02-01T07:00:0")
    assert http.get(f"/sandbox/tenants/{seller_id}").json()["now"].startswith("2026-02-01T07:00:0")

    moved = http.post(f"/sandbox/tenants/{seller_id}/clock/advance", json={"seconds": 3600})
    assert moved.status_code == 200, moved.text
    assert moved.json()["now"].startswith("2026-02-01T08:00:0")

    lamoda = Client(Tenant(http, body))
    placed = lamoda.buyer_orders({"sku": "CLOCK-1"})
    assert placed["order_nr"].startswith("RU260201-")
    assert placed["created_at"].startswith("2026-02-01T08:00:0")
    v1 = lamoda.v1_get(f"orders/{placed['order_nr']}").json()
    assert v1["createdAt"].startswith("2026-02-01T11:00:0") and v1["createdAt"].endswith("+03:00")


@pytest.mark.parametrize(
    ("now", "code"),
    [
        ("yesterday", "InvalidDate"),
        ("1999-12-31T23:59:59Z", "ClockTooFar"),
        ("9000-01-01T00:00:00Z", "ClockTooFar"),
    ],
)
def test_a_tenant_clock_must_start_at_a_sane_moment(http: httpx.Client, now: str, code: str) -> None:
    resp = http.post("/sandbox/tenants", json={"name": "Odd clock", "now": now})
    sandbox_error(resp, 400, code, "now")
    check_documented(http, resp)
