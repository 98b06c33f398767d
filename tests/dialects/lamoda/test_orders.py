"""Reading and changing Lamoda orders through B2B v1 and REST v2: lists, filters, detail, events,
status histories, assembly, packs, partial buyout and public tracking."""

from __future__ import annotations

from typing import Any

import httpx
import jsonschema
import pytest

from tests.conftest import Tenant
from tests.dialects.lamoda.helpers import Lamoda, check_documented, documented

V1_MESSAGES = {400: "Bad Request", 404: "Not Found", 409: "Conflict"}
V2_CODES = {400: "VALIDATION_FAILED", 403: "FORBIDDEN", 404: "NOT_FOUND", 409: "CONFLICT"}
CANCELLED_BY_SELLER = "Отменён продавцом"
ON_THE_WAY = ("Shipped", "Arrived to LME", "Left LME", "Given to delivery", "In delivery")


def check_conflict(http: httpx.Client, resp: httpx.Response) -> None:
    """409 is not in the OpenAPI document (see test_conflicts_are_documented): check the error body
    against the error schema the API documents for its other failures."""
    document, _ = documented(http)
    path = resp.request.url.path
    name = "V1Error" if path.startswith("/api/v1/") else "V2Error"
    if path.startswith("/sandbox/"):
        name = "SandboxErrorBody"
    schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    jsonschema.Draft202012Validator(schema).validate(resp.json())


class Client(Lamoda):
    """The helper's client, with every answer (sandbox ones too) checked against the OpenAPI document."""

    def checked(self, resp: httpx.Response) -> httpx.Response:
        if resp.status_code == 409:
            check_conflict(self.http, resp)
        else:
            check_documented(self.http, resp)
        return resp

    def v1_get(self, path: str, **params: Any) -> httpx.Response:
        return self.checked(super().v1_get(path, **params))

    def v1_post(self, path: str, body: Any) -> httpx.Response:
        return self.checked(super().v1_post(path, body))

    def v2_get(self, path: str, **params: Any) -> httpx.Response:
        return self.checked(super().v2_get(path, **params))

    def v2_post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        return self.checked(super().v2_post(path, body))

    def move(self, order_nr: str, item_id: int, status: str, reason: str | None = None) -> httpx.Response:
        return self.checked(super().move(order_nr, item_id, status, reason))

    def buyer_orders(self, *items: dict[str, Any], **extra: Any) -> dict[str, Any]:
        resp = self.checked(
            self.http.post(
                f"/sandbox/tenants/{self.seller_id}/lamoda/orders", json={"items": list(items), **extra}
            )
        )
        assert resp.status_code == 201, resp.text
        return dict(resp.json())

    def public_get(self, path: str) -> httpx.Response:
        """A call without any Authorization header."""
        return self.checked(self.http.get(f"/api/v1/{path}"))

    def follow(self, href: str) -> httpx.Response:
        return self.checked(self.http.get(href, headers=self.headers))

    # ---- shortcuts ----

    def advance(self, seconds: float) -> None:
        """Move the tenant's clock; the token may have expired meanwhile, so take a fresh one."""
        self.tenant.advance(seconds)
        self.token = self.new_token()

    def confirm(self, order_nr: str) -> dict[str, Any]:
        resp = self.v1_post(f"orders/{order_nr}/events", {"type": "confirm"})
        assert resp.status_code == 200, resp.text
        return dict(resp.json())

    def assemble(self, order_id: str, *packs: list[int]) -> dict[str, Any]:
        resp = self.v2_post(f"orders/{order_id}/assembly", {"packs": [{"itemIds": p} for p in packs]})
        assert resp.status_code == 200, resp.text
        return dict(resp.json()["data"])

    def v1_numbers(self, **params: Any) -> list[str]:
        resp = self.v1_get("orders", **params)
        assert resp.status_code == 200, resp.text
        return [o["orderNr"] for o in resp.json()["_embedded"]["orders"]]

    def v2_numbers(self, **params: Any) -> list[str]:
        resp = self.v2_get("orders", **params)
        assert resp.status_code == 200, resp.text
        return [o["orderNr"] for o in resp.json()["data"]]

    def v1_order(self, key: str) -> dict[str, Any]:
        resp = self.v1_get(f"orders/{key}")
        assert resp.status_code == 200, resp.text
        return dict(resp.json())

    def v2_order(self, key: str) -> dict[str, Any]:
        resp = self.v2_get(f"orders/{key}")
        assert resp.status_code == 200, resp.text
        return dict(resp.json()["data"])


def v1_error(resp: httpx.Response, status: int, field: str | None = None) -> str:
    """A v1 error body `{code, message, description, errors}`; returns the description."""
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["code"] == status and body["message"] == V1_MESSAGES[status], body
    if field is not None:
        assert [e["field"] for e in body["errors"]] == [field], body
        assert body["errors"][0]["message"] == body["description"]
    return str(body["description"])


def v2_error(resp: httpx.Response, status: int, field: str | None = None) -> str:
    """A v2 error body `{"error": {code, message, details}}`; returns the message."""
    assert resp.status_code == status, resp.text
    error = resp.json()["error"]
    assert error["code"] == V2_CODES[status], error
    if field is not None:
        assert [d["field"] for d in error["details"]] == [field], error
        assert error["details"][0]["issue"] == error["message"]
    return str(error["message"])


def tenant_at(http: httpx.Client, now: str, name: str = "Clocked Seller") -> Tenant:
    resp = http.post("/sandbox/tenants", json={"name": name, "now": now})
    assert resp.status_code == 201, resp.text
    return Tenant(http, resp.json())


def three_orders(http: httpx.Client) -> tuple[Client, Tenant, str, str, str]:
    """A and B placed at 09:00 MSK on 2026-02-02; A confirmed at 11:00; C placed at 13:00."""
    tenant = tenant_at(http, "2026-02-02T09:00:00+03:00")
    lamoda = Client(tenant)
    a = lamoda.buyer_orders({"sku": "A-1"})["order_nr"]
    b = lamoda.buyer_orders({"sku": "B-1"})["order_nr"]
    lamoda.advance(2 * 3600)
    lamoda.confirm(a)
    lamoda.advance(2 * 3600)
    c = lamoda.buyer_orders({"sku": "C-1"})["order_nr"]
    return lamoda, tenant, a, b, c


# ---- v1 lists ----


def test_v1_list_pages_and_links(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    numbers = [lamoda.buyer_orders({"sku": f"SKU-{n}"})["order_nr"] for n in range(5)]

    first = lamoda.v1_get("orders", limit=2)
    assert first.status_code == 200, first.text
    body = first.json()
    assert (body["page"], body["limit"], body["pages"], body["total"]) == (1, 2, 3, 5)
    assert [o["orderNr"] for o in body["_embedded"]["orders"]] == numbers[:2]
    assert body["_links"] == {
        "self": {"href": "/api/v1/orders?page=1&limit=2"},
        "first": {"href": "/api/v1/orders?page=1&limit=2"},
        "last": {"href": "/api/v1/orders?page=3&limit=2"},
        "next": {"href": "/api/v1/orders?page=2&limit=2"},
    }

    last = lamoda.v1_get("orders", page=3, limit=2).json()
    assert [o["orderNr"] for o in last["_embedded"]["orders"]] == numbers[4:]
    assert last["_links"]["prev"] == {"href": "/api/v1/orders?page=2&limit=2"}
    assert "next" not in last["_links"]

    # following `next` walks every order once
    seen: list[str] = []
    href: str | None = "/api/v1/orders?limit=2"
    while href is not None:
        page = lamoda.follow(href).json()
        seen += [o["orderNr"] for o in page["_embedded"]["orders"]]
        href = page["_links"].get("next", {}).get("href")
    assert seen == numbers

    beyond = lamoda.v1_get("orders", page=4, limit=2).json()
    assert (beyond["page"], beyond["pages"], beyond["total"]) == (4, 3, 5)
    assert beyond["_embedded"]["orders"] == [] and "next" not in beyond["_links"]

    default = lamoda.v1_get("orders").json()
    assert (default["page"], default["limit"], default["pages"], default["total"]) == (1, 25, 1, 5)
    assert "next" not in default["_links"] and "prev" not in default["_links"]
    assert lamoda.v1_numbers(limit=1000) == numbers


def test_v1_page_links_keep_sort_and_filter(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    numbers = [lamoda.buyer_orders({"sku": f"SKU-{n}"})["order_nr"] for n in range(5)]
    for nr in numbers[:3]:
        lamoda.confirm(nr)
    first = lamoda.v1_get("orders", limit=2, sort="-id", filter="status=Confirmed").json()
    assert [o["orderNr"] for o in first["_embedded"]["orders"]] == [numbers[2], numbers[1]]
    assert first["pages"] == 2
    second = lamoda.follow(first["_links"]["next"]["href"]).json()
    assert [o["orderNr"] for o in second["_embedded"]["orders"]] == [numbers[0]]


@pytest.mark.parametrize(
    ("name", "value"), [("limit", 0), ("limit", 1001), ("limit", -1), ("limit", "ten"), ("page", 0)]
)
def test_v1_list_paging_bounds(tenant: Tenant, name: str, value: object) -> None:
    lamoda = Client(tenant)
    lamoda.buyer_orders({"sku": "SKU-1"})
    description = v1_error(lamoda.v1_get("orders", **{name: value}), 400, name)
    assert name in description


def test_v1_list_limit_upper_bound_is_accepted(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    lamoda.buyer_orders({"sku": "SKU-1"})
    body = lamoda.v1_get("orders", limit=1000).json()
    assert (body["limit"], body["pages"], body["total"]) == (1000, 1, 1)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (None, "abc"),
        ("id", "abc"),
        ("-id", "cba"),
        ("createdAt", "abc"),
        ("-createdAt", "cba"),
        ("updatedAt", "bac"),
        ("-updatedAt", "cab"),
    ],
)
def test_v1_list_sort(http: httpx.Client, sort: str | None, expected: str) -> None:
    lamoda, _, a, b, c = three_orders(http)
    by_letter = {"a": a, "b": b, "c": c}
    params = {"sort": sort} if sort is not None else {}
    assert lamoda.v1_numbers(**params) == [by_letter[x] for x in expected]


@pytest.mark.parametrize("sort", ["price", "created_at", "+id", "createdAt,id"])
def test_v1_list_bad_sort(tenant: Tenant, sort: str) -> None:
    lamoda = Client(tenant)
    assert "sort must be one of" in v1_error(lamoda.v1_get("orders", sort=sort), 400, "sort")


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("updatedAt>=20260202100000", "ac"),  # 10:00 Moscow time, 07:00 UTC
        ("updatedAt<=20260202100000", "b"),
        ("updatedAt>=20260202100000;status=New", "c"),
        ("status=Confirmed", "a"),
        ("status=New", "bc"),
        ("status=New|Confirmed", "abc"),
        ("status=Canceled", ""),
        ("createdAt=<20260202080000,20260202120000>", "ab"),
        ("createdAt=<20260202120000,20260202140000>", "c"),
        ("createdAt>=20260202120000", "c"),
        ("createdAt<20260202120000", "ab"),
        ("updatedAt>=2026-02-02T10:00:00", "ac"),  # ISO without a zone: Moscow time as well
        ("updatedAt>=2026-02-02T07:00:00Z", "ac"),
        ("createdAt>=20260202", "abc"),  # a day alone: its midnight in Moscow
        ("createdAt>=20260203", ""),
        ("createdAt<=20260202", ""),
    ],
)
def test_v1_list_filter(http: httpx.Client, condition: str, expected: str) -> None:
    lamoda, _, a, b, c = three_orders(http)
    by_letter = {"a": a, "b": b, "c": c}
    resp = lamoda.v1_get("orders", filter=condition)
    assert resp.status_code == 200, resp.text
    assert [o["orderNr"] for o in resp.json()["_embedded"]["orders"]] == [by_letter[x] for x in expected]
    assert resp.json()["total"] == len(expected)


def test_unencoded_plus_in_an_offset_is_read_as_one(http: httpx.Client) -> None:
    """Clients often leave `+03:00` unencoded in a query string; it arrives as a space."""
    lamoda, _, a, _b, c = three_orders(http)
    v2 = lamoda.checked(
        lamoda.http.get(
            f"/api/v2/orders?sellerId={lamoda.seller_id}&updatedAtFrom=2026-02-02T10:00:00+03:00",
            headers=lamoda.headers,
        )
    )
    assert v2.status_code == 200, v2.text
    assert [o["orderNr"] for o in v2.json()["data"]] == [a, c]
    v1 = lamoda.checked(
        lamoda.http.get("/api/v1/orders?filter=updatedAt>=2026-02-02T10:00:00+03:00", headers=lamoda.headers)
    )
    assert v1.status_code == 200, v1.text
    assert [o["orderNr"] for o in v1.json()["_embedded"]["orders"]] == [a, c]


@pytest.mark.parametrize(
    "condition",
    [
        "garbage",
        "price>=100",
        "updatedAt>=tomorrow",
        "updatedAt>=20261341000000",  # month 13
        "status>New",
        "createdAt=<20260202080000>",
        "updatedAt>=",
    ],
)
def test_v1_list_bad_filter(tenant: Tenant, condition: str) -> None:
    lamoda = Client(tenant)
    lamoda.buyer_orders({"sku": "SKU-1"})
    v1_error(lamoda.v1_get("orders", filter=condition), 400, "filter")


# ---- v1 detail ----


def test_v1_detail_by_number_and_by_id(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    placed = lamoda.buyer_orders({"sku": "DRESS-1", "quantity": 2, "price": 250000})
    nr = placed["order_nr"]
    by_nr = lamoda.v1_order(nr)
    assert lamoda.v1_order(placed["id"]) == by_nr
    assert by_nr["id"] == int(placed["id"])
    assert (by_nr["orderNr"], by_nr["trackingId"]) == (nr, nr[2:])
    assert (by_nr["status"], by_nr["isConfirmed"], by_nr["fulfillmentType"]) == ("New", False, "FBS")
    assert (by_nr["fullSum"], by_nr["rejectPrice"]) == (5000.0, 0.0)
    assert by_nr["shopName"] == "Test Seller"
    assert by_nr["dates"] == {"confirmed": None, "shipped": None, "delivered": None}
    assert by_nr["_links"] == {"self": {"href": f"/api/v1/orders/{nr}"}}
    assert by_nr["_embedded"] == {"packNumbers": []}
    assert [
        (i["id"], i["sku"], i["status"], i["paidPrice"], i["statusChangeReason"], i["packNumber"])
        for i in by_nr["items"]
    ] == [(item["id"], "DRESS-1", "New", 2500.0, None, None) for item in placed["items"]]
    assert {i["lamodaSku"] for i in by_nr["items"]} == {placed["items"][0]["lamoda_sku"]}

    v2 = lamoda.v2_order(nr)
    assert lamoda.v2_order(placed["id"]) == v2
    assert (v2["id"], v2["orderId"], v2["orderNr"], v2["sellerId"]) == (
        placed["id"],
        nr,
        nr,
        tenant.seller_id,
    )
    assert (v2["status"], v2["fulfillmentType"]) == ("NEW", "FBS")
    assert v2["totalPrice"] == {"amount": 500000, "currency": "RUB"}
    assert [(i["itemId"], i["externalSku"], i["status"], i["price"]["amount"]) for i in v2["items"]] == [
        (item["id"], "DRESS-1", "NEW", 250000) for item in placed["items"]
    ]


def test_unknown_and_foreign_orders_are_not_found(tenant: Tenant, other_tenant: Tenant) -> None:
    lamoda = Client(tenant)
    foreign = Client(other_tenant).buyer_orders({"sku": "THEIRS"})
    for key in ("RU260101-999999", "999999999", foreign["order_nr"], foreign["id"]):
        v1_error(lamoda.v1_get(f"orders/{key}"), 404)
        v1_error(lamoda.v1_get(f"orders/{key}/statuses"), 404)
        v1_error(lamoda.v1_post(f"orders/{key}/events", {"type": "confirm"}), 404)
        v2_error(lamoda.v2_get(f"orders/{key}"), 404)
        v2_error(lamoda.v2_get(f"orders/{key}/status-history"), 404)
        v2_error(lamoda.v2_post(f"orders/{key}/assembly", {"packs": [{"itemIds": [1]}]}), 404)
    assert Client(other_tenant).v1_order(foreign["order_nr"])["status"] == "New"


# ---- v1 events ----


def test_v1_confirm_only_a_new_order(http: httpx.Client) -> None:
    tenant = tenant_at(http, "2026-02-02T09:00:00+03:00")
    lamoda = Client(tenant)
    placed = lamoda.buyer_orders({"sku": "COAT-1", "quantity": 2})
    nr = placed["order_nr"]
    lamoda.advance(3600)
    confirmed = lamoda.confirm(nr)
    assert (confirmed["status"], confirmed["isConfirmed"]) == ("Confirmed", True)
    assert [i["status"] for i in confirmed["items"]] == ["Confirmed", "Confirmed"]
    assert confirmed["dates"]["confirmed"].startswith("2026-02-02T10:00:0")
    assert confirmed["dates"]["confirmed"].endswith("+03:00")
    assert lamoda.v1_order(nr) == confirmed

    again = lamoda.v1_post(f"orders/{nr}/events", {"type": "confirm"})
    assert "only a new order can be confirmed" in v1_error(again, 409)
    assert lamoda.v1_order(nr)["status"] == "Confirmed"
    assert lamoda.v2_order(nr)["status"] == "CONFIRMED"


@pytest.mark.parametrize("stage", ["new", "confirmed", "assembled", "packed"])
def test_v1_cancel_before_shipment(tenant: Tenant, stage: str) -> None:
    lamoda = Client(tenant)
    placed = lamoda.buyer_orders({"sku": "BAG-1", "quantity": 2, "price": 100000})
    nr, items = placed["order_nr"], [i["id"] for i in placed["items"]]
    if stage != "new":
        lamoda.confirm(nr)
    if stage in ("assembled", "packed"):
        lamoda.assemble(placed["id"], items)
    if stage == "packed":
        assert lamoda.v2_post(f"orders/{nr}/packs", {"count": 1}).status_code == 200

    resp = lamoda.v1_post(f"orders/{nr}/events", {"type": "cancel"})
    assert resp.status_code == 200, resp.text
    cancelled = resp.json()
    assert cancelled["status"] == "Canceled"
    assert [(i["status"], i["statusChangeReason"]) for i in cancelled["items"]] == [
        ("Canceled", CANCELLED_BY_SELLER)
    ] * 2
    assert cancelled["fullSum"] == 0.0
    v2 = lamoda.v2_order(nr)
    assert (v2["status"], v2["allowedForAssembly"], v2["totalPrice"]["amount"]) == ("CANCELED", False, 0)
    assert [i["status"] for i in v2["items"]] == ["CANCELED", "CANCELED"]
    assert lamoda.v1_numbers(filter="status=Canceled") == [nr]
    lines = lamoda.v2_get(f"orders/{nr}/item-statuses").json()["data"]
    assert [(line["itemId"], line["status"], line["reason"]) for line in lines[-2:]] == [
        (item_id, "CANCELED", CANCELLED_BY_SELLER) for item_id in items
    ]

    assert "only before it is shipped" in v1_error(
        lamoda.v1_post(f"orders/{nr}/events", {"type": "cancel"}), 409
    )
    v1_error(lamoda.v1_post(f"orders/{nr}/events", {"type": "confirm"}), 409)


def test_v1_cancel_after_the_world_shipped_it(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    order = lamoda.ready_to_ship({"sku": "BOOTS-1", "quantity": 2, "marking_required": False})
    nr = order["orderNr"]
    for item in order["items"]:
        lamoda.moved(nr, item["id"], "Shipped")
    description = v1_error(lamoda.v1_post(f"orders/{nr}/events", {"type": "cancel"}), 409)
    assert "'Shipped'" in description and "only before it is shipped" in description
    detail = lamoda.v1_order(nr)
    assert detail["status"] == "Shipped"
    assert [i["status"] for i in detail["items"]] == ["Shipped", "Shipped"]


def test_v1_cancel_after_an_fbs_shipment_is_created(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    order = lamoda.ready_to_ship({"sku": "BELT-1", "marking_required": False})
    pack = order["packs"][0]["packNumber"]
    shipment = lamoda.v2_post(
        "fbs/shipments",
        {"pallets": [{"packs": [{"packId": pack, "items": [{"unitload": order["items"][0]["id"]}]}]}]},
    )
    assert shipment.status_code == 201, shipment.text
    v1_error(lamoda.v1_post(f"orders/{order['orderNr']}/events", {"type": "cancel"}), 409)
    assert lamoda.v1_order(order["orderNr"])["status"] == "Ready for shipment"


@pytest.mark.parametrize("body", [{"type": "ship"}, {"type": "CONFIRM"}, {"type": 1}, {}])
def test_v1_unknown_event_type(tenant: Tenant, body: dict[str, Any]) -> None:
    lamoda = Client(tenant)
    nr = lamoda.buyer_orders({"sku": "HAT-1"})["order_nr"]
    v1_error(lamoda.v1_post(f"orders/{nr}/events", body), 400, "type")
    assert lamoda.v1_order(nr)["status"] == "New"


def test_fbo_orders_are_not_the_sellers_to_change(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    placed = lamoda.buyer_orders({"sku": "FBO-1", "quantity": 2}, fulfillment_type="FBO")
    nr, items = placed["order_nr"], [i["id"] for i in placed["items"]]
    detail = lamoda.v1_order(nr)
    assert (detail["status"], detail["isConfirmed"], detail["fulfillmentType"]) == ("Confirmed", True, "FBO")
    for event in ("confirm", "cancel"):
        assert "FBO" in v1_error(lamoda.v1_post(f"orders/{nr}/events", {"type": event}), 409)
    v2_error(lamoda.v2_post(f"orders/{nr}/assembly", {"packs": [{"itemIds": items}]}), 409)
    v2_error(lamoda.v2_post(f"orders/{nr}/packs", {"count": 1}), 409)
    v2 = lamoda.v2_order(nr)
    assert (v2["status"], v2["fulfillmentType"], v2["allowedForAssembly"]) == ("CONFIRMED", "FBO", False)
    assert lamoda.v1_order(nr) == detail


def test_v1_status_history(http: httpx.Client) -> None:
    tenant = tenant_at(http, "2026-02-02T09:00:00+03:00")
    lamoda = Client(tenant)
    nr = lamoda.buyer_orders({"sku": "SOCKS-1", "quantity": 2})["order_nr"]
    lamoda.advance(3600)
    lamoda.confirm(nr)
    lamoda.advance(3600)
    assert lamoda.v1_post(f"orders/{nr}/events", {"type": "cancel"}).status_code == 200
    resp = lamoda.v1_get(f"orders/{nr}/statuses")
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["orderNr"] == nr
    lines = body["_embedded"]["statuses"]
    assert [line["status"] for line in lines] == ["New", "Confirmed", "Canceled"]
    for line, hour in zip(lines, ("09", "10", "11"), strict=True):
        assert line["createdAt"].startswith(f"2026-02-02T{hour}:00:0"), line
        assert line["createdAt"].endswith("+03:00"), line


# ---- v2 lists ----


def test_v2_list_fulfillment_type(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    fbs = [lamoda.buyer_orders({"sku": "S-1"})["order_nr"], lamoda.buyer_orders({"sku": "S-2"})["order_nr"]]
    fbo = lamoda.buyer_orders({"sku": "O-1"}, fulfillment_type="FBO")["order_nr"]
    assert lamoda.v2_numbers(fulfillmentType="FBS") == fbs
    assert lamoda.v2_numbers(fulfillmentType="FBO") == [fbo]
    assert lamoda.v2_numbers() == [*fbs, fbo]
    assert [o["fulfillmentType"] for o in lamoda.v2_get("orders").json()["data"]] == ["FBS", "FBS", "FBO"]


@pytest.mark.parametrize("value", ["fbs", "DBS", "FBS,FBO"])
def test_v2_list_bad_fulfillment_type(tenant: Tenant, value: str) -> None:
    lamoda = Client(tenant)
    v2_error(lamoda.v2_get("orders", fulfillmentType=value), 400, "fulfillmentType")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"updatedAtFrom": "2026-02-02T07:00:00Z"}, "ac"),
        ({"updatedAtTo": "2026-02-02T07:00:00Z"}, "b"),
        ({"updatedAtFrom": "2026-02-02T07:00:00Z", "updatedAtTo": "2026-02-02T09:00:00Z"}, "a"),
        ({"updatedAtFrom": "2026-02-02T10:00:00+03:00"}, "ac"),
        ({"updatedAtFrom": "2026-02-02T11:00:00Z"}, ""),
    ],
)
def test_v2_list_updated_at(http: httpx.Client, params: dict[str, str], expected: str) -> None:
    lamoda, _, a, b, c = three_orders(http)
    by_letter = {"a": a, "b": b, "c": c}
    resp = lamoda.v2_get("orders", **params)
    assert resp.status_code == 200, resp.text
    assert [o["orderNr"] for o in resp.json()["data"]] == [by_letter[x] for x in expected]
    assert resp.json()["meta"]["total"] == len(expected)


@pytest.mark.parametrize("name", ["updatedAtFrom", "updatedAtTo"])
def test_v2_list_bad_updated_at(tenant: Tenant, name: str) -> None:
    lamoda = Client(tenant)
    v2_error(lamoda.v2_get("orders", **{name: "02.02.2026"}), 400, name)


def test_v2_list_paging_meta(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    numbers = [lamoda.buyer_orders({"sku": f"SKU-{n}"})["order_nr"] for n in range(3)]
    first = lamoda.v2_get("orders", limit=2).json()
    assert first["meta"] == {"page": 1, "limit": 2, "total": 3, "totalPages": 2}
    assert [o["orderNr"] for o in first["data"]] == numbers[:2]
    second = lamoda.v2_get("orders", limit=2, page=2).json()
    assert second["meta"] == {"page": 2, "limit": 2, "total": 3, "totalPages": 2}
    assert [o["orderNr"] for o in second["data"]] == numbers[2:]
    assert lamoda.v2_get("orders").json()["meta"] == {"page": 1, "limit": 20, "total": 3, "totalPages": 1}
    assert lamoda.v2_get("orders", limit=100).json()["meta"]["limit"] == 100


@pytest.mark.parametrize(("name", "value"), [("limit", 101), ("limit", 0), ("page", 0), ("limit", "x")])
def test_v2_list_paging_bounds(tenant: Tenant, name: str, value: object) -> None:
    lamoda = Client(tenant)
    assert name in v2_error(lamoda.v2_get("orders", **{name: value}), 400, name)


# ---- v2 detail ----


@pytest.mark.parametrize(
    ("clock", "expected"),
    [
        ("2026-02-01T10:00:00+03:00", "2026-02-02T10:00:00Z"),  # Sunday: Monday 13:00 MSK
        ("2026-02-02T14:00:00+03:00", "2026-02-04T10:00:00Z"),  # past 13:00 the next day: Wednesday
        ("2026-02-06T12:00:00+03:00", "2026-02-09T10:00:00Z"),  # Friday: the weekend is skipped
    ],
)
def test_v2_cut_off_computed_when_absent(http: httpx.Client, clock: str, expected: str) -> None:
    lamoda = Client(tenant_at(http, clock))
    placed = lamoda.buyer_orders({"sku": "CUT-1"})
    assert placed["cut_off"] == expected.replace("Z", ".000000+00:00")
    v2 = lamoda.v2_order(placed["id"])
    assert v2["cutOff"] == expected and v2["deliveryMethod"]["cutOff"] == expected
    v1 = lamoda.v1_order(placed["order_nr"])
    assert v1["cutOff"] == expected.replace("T10:", "T13:").replace("Z", "+03:00")


@pytest.mark.parametrize(
    ("cut_off", "v2_cut_off", "v1_cut_off"),
    [
        (None, None, None),
        ("2026-03-01T09:30:00Z", "2026-03-01T09:30:00Z", "2026-03-01T12:30:00+03:00"),
        ("2026-03-01T12:30:00+03:00", "2026-03-01T09:30:00Z", "2026-03-01T12:30:00+03:00"),
    ],
)
def test_v2_cut_off_given(
    tenant: Tenant, cut_off: str | None, v2_cut_off: str | None, v1_cut_off: str | None
) -> None:
    lamoda = Client(tenant)
    placed = lamoda.buyer_orders({"sku": "CUT-2"}, cut_off=cut_off)
    v2 = lamoda.v2_order(placed["id"])
    assert (v2["cutOff"], v2["deliveryMethod"]["cutOff"]) == (v2_cut_off, v2_cut_off)
    assert lamoda.v1_order(placed["order_nr"])["cutOff"] == v1_cut_off


def test_v2_allowed_for_assembly(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    placed = lamoda.buyer_orders({"sku": "SHIRT-1", "quantity": 2})
    nr, items = placed["order_nr"], [i["id"] for i in placed["items"]]
    assert lamoda.v2_order(nr)["allowedForAssembly"] is True
    lamoda.moved(nr, items[0], "Canceled")  # the buyer drops one unit
    one_left = lamoda.v2_order(nr)
    assert (one_left["status"], one_left["allowedForAssembly"]) == ("NEW", True)
    lamoda.confirm(nr)
    assert lamoda.v2_order(nr)["allowedForAssembly"] is True
    assembled = lamoda.assemble(placed["id"], [items[1]])
    assert (assembled["status"], assembled["allowedForAssembly"]) == ("AWAITING_SHIPMENT", False)
    other = lamoda.buyer_orders({"sku": "SHIRT-2"})
    lamoda.v1_post(f"orders/{other['order_nr']}/events", {"type": "cancel"})
    assert lamoda.v2_order(other["order_nr"])["allowedForAssembly"] is False


def test_v2_item_statuses_and_status_history(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    placed = lamoda.buyer_orders({"sku": "SKIRT-1", "quantity": 2, "marking_required": False})
    nr, (first, second) = placed["order_nr"], [i["id"] for i in placed["items"]]
    lamoda.confirm(nr)
    lamoda.assemble(placed["id"], [first, second])
    lamoda.moved(nr, first, "Shipped")
    assert lamoda.v2_order(nr)["status"] == "AWAITING_SHIPMENT"  # the least advanced item
    lamoda.moved(nr, second, "Shipped")
    assert lamoda.v2_order(nr)["status"] == "SHIPPED"

    resp = lamoda.v2_get(f"orders/{nr}/item-statuses")
    assert resp.status_code == 200, resp.text
    lines = [line for line in resp.json()["data"] if line["status"] != "NEW"]
    assert [(line["itemId"], line["status"]) for line in lines] == [
        (first, "CONFIRMED"),
        (second, "CONFIRMED"),
        (first, "AWAITING_SHIPMENT"),
        (second, "AWAITING_SHIPMENT"),
        (first, "SHIPPED"),
        (second, "SHIPPED"),
    ]
    assert {(line["sku"], line["externalSku"]) for line in lines} == {
        (placed["items"][0]["lamoda_sku"], "SKIRT-1")
    }
    assert all(line["createdAt"].endswith("Z") and line["reason"] is None for line in lines)

    history = lamoda.v2_get(f"orders/{placed['id']}/status-history")
    assert history.status_code == 200, history.text
    assert [line["status"] for line in history.json()["data"]] == [
        "NEW",
        "CONFIRMED",
        "AWAITING_SHIPMENT",
        "SHIPPED",
    ]


# ---- v2 assembly and packs ----


@pytest.mark.parametrize(
    ("shape", "field", "words"),
    [
        ("missing", "packs", "missing"),
        ("unknown", "packs[0].itemIds", "is not in order"),
        ("foreign", "packs[0].itemIds", "is not in order"),
        ("two_packs", "packs[1].itemIds", "in two packs"),
        ("twice", "packs[0].itemIds", "in two packs"),
        ("empty_pack", "packs[1].itemIds", ""),
        ("no_packs", "packs", ""),
    ],
)
def test_v2_assembly_rules(tenant: Tenant, shape: str, field: str, words: str) -> None:
    lamoda = Client(tenant)
    placed = lamoda.buyer_orders({"sku": "JACKET-1", "quantity": 3})
    nr, (i1, i2, i3) = placed["order_nr"], [i["id"] for i in placed["items"]]
    foreign = lamoda.buyer_orders({"sku": "JACKET-2"})["items"][0]["id"]
    packs = {
        "missing": [[i1, i2]],
        "unknown": [[i1, i2, i3, 999_999_999]],
        "foreign": [[i1, i2, i3, foreign]],
        "two_packs": [[i1, i2], [i2, i3]],
        "twice": [[i1, i1, i2, i3]],
        "empty_pack": [[i1, i2, i3], []],
        "no_packs": [],
    }[shape]
    resp = lamoda.v2_post(f"orders/{nr}/assembly", {"packs": [{"itemIds": p} for p in packs]})
    assert words in v2_error(resp, 400, field)
    unchanged = lamoda.v2_order(nr)
    assert (unchanged["status"], unchanged["allowedForAssembly"]) == ("NEW", True)
    assert {(i["status"], i["packNumber"]) for i in unchanged["items"]} == {("NEW", None)}


def test_v2_assembly_into_packs(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    placed = lamoda.buyer_orders({"sku": "JACKET-3", "quantity": 3})
    nr, (i1, i2, i3) = placed["order_nr"], [i["id"] for i in placed["items"]]
    assembled = lamoda.assemble(nr, [i3, i1], [i2])  # a new order can be assembled without confirm
    assert assembled["status"] == "AWAITING_SHIPMENT"
    assert {i["status"] for i in assembled["items"]} == {"AWAITING_SHIPMENT"}
    assert lamoda.v1_order(nr)["status"] == "Ready for shipment"
    again = lamoda.v2_post(f"orders/{nr}/assembly", {"packs": [{"itemIds": [i1, i2, i3]}]})
    assert "only new or confirmed" in v2_error(again, 409)
    packs = lamoda.v2_post(f"orders/{nr}/packs", {"count": 2})
    assert packs.status_code == 200, packs.text
    assert packs.json()["data"]["packs"] == [{"packNumber": f"{nr}-1"}, {"packNumber": f"{nr}-2"}]
    by_item = {i["id"]: i["packNumber"] for i in lamoda.v2_order(nr)["items"]}
    assert by_item == {i1: f"{nr}-1", i2: f"{nr}-2", i3: f"{nr}-1"}
    v1_items = {i["id"]: i["packNumber"] for i in lamoda.v1_order(nr)["items"]}
    assert v1_items == by_item


def test_v2_assembly_of_a_new_order_implies_the_confirmation(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    placed = lamoda.buyer_orders({"sku": "JACKET-4", "quantity": 2})
    nr = placed["order_nr"]
    lamoda.assemble(nr, [i["id"] for i in placed["items"]])
    detail = lamoda.v1_order(nr)
    assert detail["status"] == "Ready for shipment"
    assert detail["isConfirmed"] is True


def test_v2_assembly_leaves_out_items_the_buyer_cancelled(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    placed = lamoda.buyer_orders({"sku": "GLOVES-1", "quantity": 2})
    nr, (i1, i2) = placed["order_nr"], [i["id"] for i in placed["items"]]
    lamoda.moved(nr, i2, "Canceled")
    resp = lamoda.v2_post(f"orders/{nr}/assembly", {"packs": [{"itemIds": [i1, i2]}]})
    assert "cancelled" in v2_error(resp, 400, "packs[0].itemIds")
    assembled = lamoda.assemble(nr, [i1])
    assert [(i["id"], i["status"]) for i in assembled["items"]] == [
        (i1, "AWAITING_SHIPMENT"),
        (i2, "CANCELED"),
    ]
    assert assembled["status"] == "AWAITING_SHIPMENT"


def test_v2_assembly_of_a_cancelled_order(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    placed = lamoda.buyer_orders({"sku": "SCARF-9"})
    nr = placed["order_nr"]
    assert lamoda.v1_post(f"orders/{nr}/events", {"type": "cancel"}).status_code == 200
    items = [i["id"] for i in placed["items"]]
    v2_error(lamoda.v2_post(f"orders/{nr}/assembly", {"packs": [{"itemIds": items}]}), 409)
    v2_error(lamoda.v2_post(f"orders/{nr}/packs", {"count": 1}), 409)
    assert lamoda.v2_order(nr)["status"] == "CANCELED"


@pytest.mark.parametrize(("count", "words"), [(0, ""), (101, ""), (4, "count must be 1..3")])
def test_v2_packs_count_bounds(tenant: Tenant, count: int, words: str) -> None:
    lamoda = Client(tenant)
    nr = lamoda.buyer_orders({"sku": "TIE-1", "quantity": 3})["order_nr"]
    assert words in v2_error(lamoda.v2_post(f"orders/{nr}/packs", {"count": count}), 400, "count")
    assert lamoda.v2_order(nr)["packs"] == []


def test_v2_packs_are_generated_once(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    placed = lamoda.buyer_orders({"sku": "TIE-2", "quantity": 3})
    nr, (i1, i2, i3) = placed["order_nr"], [i["id"] for i in placed["items"]]
    resp = lamoda.v2_post(f"orders/{nr}/packs", {"count": 2})  # before assembly
    assert resp.status_code == 200, resp.text
    numbers = [f"{nr}-1", f"{nr}-2"]
    assert [p["packNumber"] for p in resp.json()["data"]["packs"]] == numbers
    second = lamoda.v2_post(f"orders/{nr}/packs", {"count": 2})
    message = v2_error(second, 400, "count")
    assert "It is not possible to generate more codes" in message and numbers[0] in message
    # the assembly must then use as many packs as there are numbers
    one_pack = lamoda.v2_post(f"orders/{nr}/assembly", {"packs": [{"itemIds": [i1, i2, i3]}]})
    assert "2 pack number(s)" in v2_error(one_pack, 400, "packs")
    assembled = lamoda.assemble(nr, [i1], [i2, i3])
    assert [p["packNumber"] for p in assembled["packs"]] == numbers
    assert [i["packNumber"] for i in assembled["items"]] == [numbers[0], numbers[1], numbers[1]]
    assert lamoda.v1_order(nr)["_embedded"]["packNumbers"] == numbers


def test_v2_packs_count_must_match_the_assembly(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    placed = lamoda.buyer_orders({"sku": "TIE-3", "quantity": 3})
    nr, (i1, i2, i3) = placed["order_nr"], [i["id"] for i in placed["items"]]
    lamoda.assemble(nr, [i1, i2], [i3])
    for count in (1, 3):
        assert "assembled into 2 pack(s)" in v2_error(
            lamoda.v2_post(f"orders/{nr}/packs", {"count": count}), 400, "count"
        )
    resp = lamoda.v2_post(f"orders/{nr}/packs", {"count": 2})
    assert resp.status_code == 200, resp.text
    assert [p["packNumber"] for p in resp.json()["data"]["packs"]] == [f"{nr}-1", f"{nr}-2"]


# ---- the world: partial buyout, returns in v1 ----


def test_partial_buyout(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    order = lamoda.ready_to_ship(
        {"sku": "DRESS-7", "price": 300000, "marking_required": False},
        {"sku": "BLOUSE-7", "price": 200000, "marking_required": False},
        {"sku": "SKIRT-7", "price": 100000, "marking_required": False},
    )
    nr, (kept, refused, rejected) = order["orderNr"], [i["id"] for i in order["items"]]
    for item_id in (kept, refused, rejected):
        lamoda.moved(nr, item_id, *ON_THE_WAY)
    lamoda.moved(nr, kept, "Delivered")
    assert lamoda.v1_order(nr)["status"] == "In delivery"  # the others are still on the way
    lamoda.moved(nr, refused, "Not bought", reason="Брак, некомплект, следы носки")
    final = lamoda.moved(nr, rejected, "Rejected", reason="Размер не подошёл")
    assert final["status"] == "Delivered"

    v1 = lamoda.v1_order(nr)
    assert v1["status"] == "Delivered"
    assert [(i["sku"], i["status"], i["statusChangeReason"]) for i in v1["items"]] == [
        ("DRESS-7", "Delivered", None),
        ("BLOUSE-7", "Not bought", "Брак, некомплект, следы носки"),
        ("SKIRT-7", "Rejected", "Размер не подошёл"),
    ]
    assert (v1["fullSum"], v1["rejectPrice"]) == (6000.0, 3000.0)
    assert v1["dates"]["delivered"] is not None and v1["dates"]["shipped"] is not None
    v2 = lamoda.v2_order(nr)
    assert v2["status"] == "DELIVERED"
    assert [(i["status"], i["statusReason"]) for i in v2["items"]] == [
        ("DELIVERED", None),
        ("NOT_BOUGHT", "Брак, некомплект, следы носки"),
        ("REJECTED", "Размер не подошёл"),
    ]
    reasons = [
        (line["itemId"], line["reason"])
        for line in lamoda.v2_get(f"orders/{nr}/item-statuses").json()["data"]
        if line["status"] in ("NOT_BOUGHT", "REJECTED")
    ]
    assert reasons == [(refused, "Брак, некомплект, следы носки"), (rejected, "Размер не подошёл")]


def test_nothing_bought_is_not_delivered(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    order = lamoda.ready_to_ship({"sku": "CAP-1", "quantity": 2, "marking_required": False})
    nr, (i1, i2) = order["orderNr"], [i["id"] for i in order["items"]]
    for item_id in (i1, i2):
        lamoda.moved(nr, item_id, *ON_THE_WAY)
    lamoda.moved(nr, i1, "Not bought", reason="Размер не подошёл")
    assert lamoda.moved(nr, i2, "Not delivered")["status"] == "Not delivered"
    assert lamoda.v2_order(nr)["status"] == "NOT_DELIVERED"


def test_returns_leave_v1_from_march_3(http: httpx.Client) -> None:
    tenant = tenant_at(http, "2026-03-02T12:00:00+03:00")
    lamoda = Client(tenant)
    order = lamoda.ready_to_ship({"sku": "PARKA-1", "marking_required": False})
    nr, item = order["orderNr"], order["items"][0]["id"]
    lamoda.moved(nr, item, "Shipped", "In delivery", "Delivered", "Claimed ok")
    before = lamoda.v1_order(nr)
    assert (before["status"], before["items"][0]["status"]) == ("Claimed ok", "Claimed ok")
    statuses = lamoda.v1_get(f"orders/{nr}/statuses").json()["_embedded"]["statuses"]
    assert statuses[-1]["status"] == "Claimed ok"

    lamoda.advance(86400)  # 2026-03-03 12:00 MSK
    after = lamoda.v1_order(nr)
    assert (after["status"], after["items"][0]["status"]) == ("Delivered", "Delivered")
    statuses = lamoda.v1_get(f"orders/{nr}/statuses").json()["_embedded"]["statuses"]
    assert [s["status"] for s in statuses][-2:] == ["In delivery", "Delivered"]
    v2 = lamoda.v2_order(nr)
    assert (v2["status"], v2["items"][0]["status"]) == ("CLAIMED_OK", "CLAIMED_OK")


def test_v1_status_filter_follows_what_v1_shows_from_march_3(http: httpx.Client) -> None:
    tenant = tenant_at(http, "2026-03-02T12:00:00+03:00")
    lamoda = Client(tenant)
    order = lamoda.ready_to_ship({"sku": "PARKA-2", "marking_required": False})
    nr = order["orderNr"]
    lamoda.moved(nr, order["items"][0]["id"], "Shipped", "In delivery", "Delivered", "Claimed ok")
    assert lamoda.v1_numbers(filter="status=Claimed ok") == [nr]
    lamoda.advance(86400)
    assert lamoda.v1_order(nr)["status"] == "Delivered"
    assert lamoda.v1_numbers(filter="status=Delivered") == [nr]
    assert lamoda.v1_numbers(filter="status=Claimed ok") == []


# ---- public tracking ----


def test_order_and_pack_tracking(tenant: Tenant, other_tenant: Tenant) -> None:
    lamoda = Client(tenant)
    order = lamoda.ready_to_ship({"sku": "TRACK-1", "marking_required": False})
    nr, pack = order["orderNr"], order["packs"][0]["packNumber"]
    tracking_id = nr[2:]
    assert not tracking_id.startswith("RU")

    resp = lamoda.public_get(f"ordersTracking/{tracking_id}")
    assert resp.status_code == 200, resp.text
    tracked = resp.json()
    assert (tracked["orderNr"], tracked["trackingId"]) == (nr, tracking_id)
    assert tracked["orderRepresentStatus"] == "Ready for shipment"
    assert (tracked["deliveryIntervalFrom"], tracked["deliveryIntervalTo"]) == ("10:00", "22:00")
    assert lamoda.public_get(f"ordersTracking/{nr}").json() == tracked  # with the prefix as well

    by_pack = lamoda.public_get(f"packsTracking/{pack}")
    assert by_pack.status_code == 200, by_pack.text
    assert by_pack.json() == tracked

    # anyone may track: the endpoints are public
    other = Client(other_tenant)
    assert other.public_get(f"ordersTracking/{tracking_id}").json()["orderNr"] == nr

    lamoda.moved(nr, order["items"][0]["id"], "Shipped")
    assert lamoda.public_get(f"ordersTracking/{tracking_id}").json()["orderRepresentStatus"] == "Shipped"


def test_tracking_a_delivered_order_gives_the_delivery_day(http: httpx.Client) -> None:
    tenant = tenant_at(http, "2026-02-02T09:00:00+03:00")
    lamoda = Client(tenant)
    order = lamoda.ready_to_ship({"sku": "TRACK-2", "marking_required": False})
    nr = order["orderNr"]
    lamoda.advance(3 * 86400)  # delivered on 2026-02-05
    lamoda.moved(nr, order["items"][0]["id"], "Shipped", "In delivery", "Delivered")
    tracked = lamoda.public_get(f"ordersTracking/{nr[2:]}").json()
    assert (tracked["orderRepresentStatus"], tracked["deliveryDate"]) == ("Delivered", "2026-02-05")


@pytest.mark.parametrize(
    ("cut_off", "day"),
    [
        ("absent", "2026-02-02"),
        ("2026-02-10T09:00:00Z", "2026-02-10"),
        ("2026-02-10T22:30:00Z", "2026-02-11"),
    ],
)
def test_tracking_before_delivery_gives_the_cut_off_day(http: httpx.Client, cut_off: str, day: str) -> None:
    lamoda = Client(tenant_at(http, "2026-02-01T10:00:00+03:00"))  # Sunday: cut-off Monday 13:00 MSK
    extra = {} if cut_off == "absent" else {"cut_off": cut_off}
    nr = lamoda.buyer_orders({"sku": "TRACK-5"}, **extra)["order_nr"]
    tracked = lamoda.public_get(f"ordersTracking/{nr[2:]}").json()
    assert (tracked["orderRepresentStatus"], tracked["deliveryDate"]) == ("New", day)


def test_tracking_a_cancelled_order_has_no_delivery_date(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    nr = lamoda.buyer_orders({"sku": "TRACK-3"})["order_nr"]
    assert lamoda.v1_post(f"orders/{nr}/events", {"type": "cancel"}).status_code == 200
    tracked = lamoda.public_get(f"ordersTracking/{nr[2:]}").json()
    assert (tracked["orderRepresentStatus"], tracked["deliveryDate"]) == ("Canceled", None)


def test_unknown_tracking_is_not_found(tenant: Tenant) -> None:
    lamoda = Client(tenant)
    order = lamoda.ready_to_ship({"sku": "TRACK-4", "marking_required": False})
    shipment = lamoda.v2_post(
        "fbs/shipments",
        {
            "pallets": [
                {
                    "packs": [
                        {
                            "packId": order["packs"][0]["packNumber"],
                            "items": [{"unitload": order["items"][0]["id"]}],
                        }
                    ]
                }
            ]
        },
    )
    assert shipment.status_code == 201, shipment.text
    pallet = shipment.json()["data"]["pallets"][0]["palletBarcode"]
    v1_error(lamoda.public_get("ordersTracking/000000-999999"), 404)
    v1_error(lamoda.public_get("ordersTracking/RU000000-999999"), 404)
    v1_error(lamoda.public_get("packsTracking/NO-SUCH-PACK"), 404)
    v1_error(lamoda.public_get(f"packsTracking/{pallet}"), 404)  # a pallet is not a pack
    v1_error(lamoda.public_get(f"packsTracking/{order['orderNr']}"), 404)


# ---- the document ----


def _conflict(lamoda: Client, api: str) -> httpx.Response:
    placed = lamoda.buyer_orders({"sku": "DOC-1"}, fulfillment_type="FBO")
    if api == "v1":
        resp = lamoda.v1_post(f"orders/{placed['order_nr']}/events", {"type": "confirm"})
    else:
        items = [i["id"] for i in placed["items"]]
        resp = lamoda.v2_post(f"orders/{placed['order_nr']}/assembly", {"packs": [{"itemIds": items}]})
    assert resp.status_code == 409, resp.text
    return resp


@pytest.mark.parametrize("api", ["v1", "v2"])
def test_conflicts_are_documented(tenant: Tenant, api: str) -> None:
    lamoda = Client(tenant)
    check_documented(lamoda.http, _conflict(lamoda, api))
