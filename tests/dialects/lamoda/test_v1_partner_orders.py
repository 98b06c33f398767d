"""Orders the seller creates through B2B v1 (`POST /api/v1/orders`, Lamoda's partner-order flow):
created with customer, items and options, then an order like any other in v1 and v2, through
confirmation, assembly, shipment and cancellation, and in the notifications; items added through
`/api/v1/orders/{partnerCode}{orderNr}/items`; details changed with PATCH; the customer read and changed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from tests.conftest import Tenant, new_tenant
from tests.dialects.lamoda.test_orders import Client

HOOK = "http://127.0.0.1:9/hook"  # nothing listens: notifications stay in the log


def tomorrow() -> str:
    # The tenant's clock starts at real time; a day ahead is never in the past in Moscow.
    return (date.today() + timedelta(days=2)).isoformat()


def partner_order(nr: Any = "A-1001", **extra: Any) -> dict[str, Any]:
    """An order as Lamoda's PHP SDK serializes `OrderDtoOrder` (unset properties as null)."""
    return {
        "orderNr": nr,
        "deliveryDate": tomorrow(),
        "deliveryIntervalFrom": "10:00",
        "deliveryIntervalTo": "14:00",
        "paymentDate": None,
        "paymentMethod": "prepayment",
        "source": "site",
        "comment": "позвонить за час",
        "customerInfo": {
            "firstName": "Мария",
            "lastName": "Иванова",
            "middleName": "Петровна",
            "phone": "+7 (916) 123-45-67",
            "email": "maria@example.ru",
            "address": {
                "zipcode": "101000",
                "region": "Москва",
                "city": "Москва",
                "street": "ул. Ленина",
                "houseNum": "5",
                "apartment": 12,
            },
        },
        "items": [
            {
                "sku": "DRESS-42",
                "description": "Платье трикотажное",
                "price": 3499.0,
                "paidPrice": 2999.0,
                "totalDiscount": 500.0,
                "cogsPrice": 1500.0,
                "brand": "Zarina",
                "category": "Платья",
                "genderCode": "women",
                "colorCode": "черный",
                "materialCode": None,
                "size": "42",
                "sizeScale": "RU",
                "url": "https://shop.example/dress-42",
                "markingRequired": False,
            },
            {"sku": "SCARF-1", "price": 1899, "totalDiscount": 99, "markingRequired": False},
        ],
        "options": [{"key": "fitting", "value": "true"}, {"key": "gift_wrap", "value": 1}],
        **extra,
    }


class Partner(Client):
    def __init__(self, tenant: Tenant) -> None:
        super().__init__(tenant)
        self.code = str(self.seller_id)

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        resp = self.v1_post("orders", body)
        assert resp.status_code == 201, resp.text
        return dict(resp.json())

    def v1_request(self, method: str, path: str, body: Any = None) -> httpx.Response:
        resp = self.http.request(method, f"/api/v1/{path}", json=body, headers=self.headers)
        return self.checked(resp)

    def order(self, nr: str) -> dict[str, Any]:
        resp = self.v1_get(f"orders/{nr}")
        assert resp.status_code == 200, resp.text
        return dict(resp.json())

    def log(self) -> list[dict[str, Any]]:
        resp = self.http.get(f"/sandbox/tenants/{self.seller_id}/webhooks/messages", params={"limit": 1000})
        assert resp.status_code == 200, resp.text
        return [m["payload"] for m in resp.json()["messages"]]


@pytest.fixture
def partner(tenant: Tenant) -> Partner:
    return Partner(tenant)


def v1_error(resp: httpx.Response, status: int, field: str | None = None) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"code", "message", "description", "errors"}, body
    assert body["code"] == status
    if field is not None:
        assert [e["field"] for e in body["errors"]] == [field], body
    return dict(body)


def test_a_created_order_is_an_order_like_any_other(partner: Partner) -> None:
    resp = partner.http.post(f"/sandbox/tenants/{partner.seller_id}/webhooks", json={"url": HOOK})
    assert resp.status_code == 201, resp.text
    order = partner.create(partner_order())
    nr = f"{partner.code}A-1001"
    assert order["orderNr"] == nr and order["trackingId"] == nr
    assert order["status"] == "New" and order["isConfirmed"] is False and order["fulfillmentType"] == "FBS"
    assert order["paymentMethod"] == "prepayment" and order["city"] == "Москва"
    assert order["shippingMethodCode"] == "lamoda"
    assert order["fullSum"] == 2999 + 1800 and order["cutOff"]
    dress, scarf = order["items"]
    assert (dress["sku"], dress["description"], dress["brand"], dress["size"], dress["color"]) == (
        "DRESS-42",
        "Платье трикотажное",
        "Zarina",
        "42",
        "черный",
    )
    assert (dress["basePrice"], dress["paidPrice"], dress["totalDiscount"]) == (3499, 2999, "500.00")
    assert (scarf["sku"], scarf["paidPrice"], scarf["status"]) == ("SCARF-1", 1800, "New")

    # Readable by number (`{partnerCode}{orderNr}`) and by id, in v1 and v2 lists, and publicly tracked.
    assert partner.order(nr)["id"] == order["id"] == partner.order(str(order["id"]))["id"]
    listed = partner.v1_get("orders").json()["_embedded"]["orders"]
    assert [o["orderNr"] for o in listed] == [nr]
    v2 = partner.v2_get("orders").json()["data"]
    assert [o["orderId"] for o in v2] == [nr]
    tracking = partner.public_get(f"ordersTracking/{nr}").json()
    assert (tracking["deliveryDate"], tracking["deliveryIntervalFrom"], tracking["deliveryIntervalTo"]) == (
        tomorrow(),
        "10:00",
        "14:00",
    )
    # Unknown SKUs joined the nomenclature with the details sent.
    nomenclature = partner.v1_get("nomenclatures").json()["_embedded"]["nomenclatures"]
    assert {n["supplier_sku"]: n["brand"] for n in nomenclature}["DRESS-42"] == "Zarina"

    # Confirmed, assembled, packed and shipped as any order.
    confirmed = partner.v1_post(f"orders/{nr}/events", {"type": "confirm"})
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "Confirmed", confirmed.text
    item_ids = [i["id"] for i in order["items"]]
    assembled = partner.v2_post(f"orders/{order['id']}/assembly", {"packs": [{"itemIds": item_ids}]})
    assert assembled.status_code == 200, assembled.text
    packs = partner.v2_post(f"orders/{order['id']}/packs", {"count": 1})
    assert packs.status_code == 200, packs.text
    pack = f"{nr}-1"
    shipment = partner.v1_post(
        "shipments/out",
        {
            "containers": [
                {
                    "barcode": "PALLET-1",
                    "type": "pallet",
                    "containers": [
                        {"barcode": pack, "items": [{"unitload": i, "orderNr": nr} for i in item_ids]}
                    ],
                }
            ]
        },
    )
    assert shipment.status_code == 201, shipment.text
    assert partner.public_get(f"packsTracking/{pack}").json()["orderNr"] == nr
    statuses = [s["status"] for s in partner.v1_get(f"orders/{nr}/statuses").json()["_embedded"]["statuses"]]
    assert statuses == ["New", "Confirmed", "Ready for shipment"]

    # Notified as a buyer's order is: placed (sequence 1), then each change.
    log = [p for p in partner.log() if p.get("orderNr") == nr]
    assert [(p["type"], p["sequenceNumber"]) for p in log][:3] == [
        ("statusChanged", 1),
        ("statusChanged", 2),
        ("itemStatusChanged", 3),
    ]
    assert log[0]["trackingId"] == nr and log[0]["status"] == "New"


def test_a_created_order_can_be_cancelled_and_then_no_longer_changed(partner: Partner) -> None:
    partner.create(partner_order("B-7"))
    nr = f"{partner.code}B-7"
    cancelled = partner.v1_post(f"orders/{nr}/events", {"type": "cancel"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "Canceled", cancelled.text
    v1_error(partner.v1_request("PATCH", f"orders/{nr}", {"comment": "x"}), 409)
    v1_error(partner.v1_post(f"orders/{nr}/items", {"sku": "X", "price": 1}), 409)
    v1_error(partner.v1_post(f"orders/{nr}/customer", {"phone": "+79161112233"}), 409)


def test_numbers_and_skus_may_come_as_json_numbers(partner: Partner) -> None:
    body = partner_order(100500)
    body["items"][0]["sku"] = 4600001
    order = partner.create(body)
    nr = f"{partner.code}100500"  # all digits, and still the order's number rather than an id
    assert order["orderNr"] == nr and order["items"][0]["sku"] == "4600001"
    assert partner.order(nr)["id"] == order["id"]
    # The SDK's items path: sprintf('/api/v1/orders/%s%s/items', partnerCode, orderNr).
    added = partner.v1_post(f"orders/{partner.code}100500/items", {"sku": 4600002, "price": 10})
    assert added.status_code == 201, added.text
    assert [i["sku"] for i in added.json()["items"]] == ["4600001", "SCARF-1", "4600002"]
    v1_error(partner.v1_post("orders", partner_order(100500)), 409, "orderNr")


BAD_ORDERS: list[tuple[str, Any, str]] = [
    ("orderNr", None, "orderNr"),
    ("orderNr", "a/b", "orderNr"),
    ("orderNr", "", "orderNr"),
    ("orderNr", "12.5e", None),  # fine: letters, digits and `._-`
    ("orderNr", 1.5, "orderNr"),
    ("orderNr", "x" * 31, "orderNr"),
    ("orderNr", "ab\n", "orderNr"),  # JSON Schema's `$` (unlike Python's) does not match before a newline
    ("items", [], "items"),
    ("items", [{"sku": "X"}], "items[0].price"),
    ("items", [{"sku": "X", "price": -1}], "items[0].price"),
    ("items", [{"sku": "X", "price": 10, "paidPrice": 11}], "items[0].paidPrice"),
    ("items", [{"sku": "X", "price": 10, "totalDiscount": 11}], "items[0].totalDiscount"),
    ("items", [{"sku": "X", "price": 1}] * 101, "items"),
    ("customerInfo", None, "customerInfo"),
    ("customerInfo", {"firstName": "A"}, "customerInfo.phone"),
    ("customerInfo", {"phone": "+79161234567", "firstName": " "}, "customerInfo.firstName"),
    ("customerInfo", {"firstName": "A", "phone": "12-34"}, "customerInfo.phone"),
    ("customerInfo", {"firstName": "A", "phone": "+79161234567", "email": "a@b.ru\n"}, "customerInfo.email"),
    ("customerInfo", {"firstName": "A", "phone": 79161234567, "email": "no-at"}, "customerInfo.email"),
    (
        "customerInfo",
        {"firstName": "A", "phone": "+79161234567", "address": "Москва"},
        "customerInfo.address",
    ),
    ("deliveryDate", "2020-01-01", "deliveryDate"),
    ("deliveryDate", "tomorrow", "deliveryDate"),
    ("deliveryIntervalFrom", "10:00", "deliveryIntervalTo"),
    ("deliveryIntervalTo", "25:00", "deliveryIntervalTo"),
    ("paymentDate", "yesterday", "paymentDate"),
    ("options", [{"value": "x"}], "options[0].key"),
    ("options", {"key": "x"}, "options"),
]


@pytest.mark.parametrize(
    ("name", "value", "field"), BAD_ORDERS, ids=[f"{n}={v!r}"[:40] for n, v, _ in BAD_ORDERS]
)
def test_bad_orders_are_refused_naming_the_field_and_write_nothing(
    partner: Partner, name: str, value: Any, field: str | None
) -> None:
    body = partner_order("C-1")
    if name == "deliveryIntervalFrom":
        body.pop("deliveryIntervalTo")
    body[name] = value
    if value is None:
        body.pop(name)
    resp = partner.v1_post("orders", body)
    if field is None:
        assert resp.status_code == 201, resp.text
        return
    v1_error(resp, 400, field)
    assert partner.v1_get("orders").json()["total"] == 0
    assert partner.v1_get("nomenclatures").json()["total"] == 0


def test_items_join_a_new_order_the_seller_created_and_notify(partner: Partner) -> None:
    resp = partner.http.post(f"/sandbox/tenants/{partner.seller_id}/webhooks", json={"url": HOOK})
    assert resp.status_code == 201, resp.text
    order = partner.create(partner_order("D-1"))
    nr = order["orderNr"]
    resp = partner.v1_post(f"orders/{nr}/items", {"sku": "BAG-1", "description": "Сумка", "price": 4590.5})
    assert resp.status_code == 201, resp.text
    after = resp.json()
    assert len(after["items"]) == 3 and after["status"] == "New"
    bag = after["items"][2]
    assert (bag["sku"], bag["description"], bag["paidPrice"], bag["status"]) == (
        "BAG-1",
        "Сумка",
        4590.5,
        "New",
    )
    assert after["fullSum"] == pytest.approx(2999 + 1800 + 4590.5)
    assert after["updatedAt"] >= order["updatedAt"]
    # The new item is notified (the order's status did not change, so no statusChanged).
    notified = [(p["type"], p["sequenceNumber"], [i["id"] for i in p["items"]]) for p in partner.log()]
    assert notified == [
        ("statusChanged", 1, [i["id"] for i in order["items"]]),
        ("itemStatusChanged", 2, [bag["id"]]),
    ]
    history = partner.v2_get(f"orders/{order['id']}/item-statuses").json()["data"]
    assert [h["status"] for h in history if h["itemId"] == bag["id"]] == ["NEW"]
    v1_error(partner.v1_post(f"orders/{nr}/items", {"sku": "BAG-1"}), 400, "price")
    v1_error(partner.v1_post("orders/nope/items", {"sku": "BAG-1", "price": 1}), 404)
    # Once confirmed, the order's contents are fixed.
    assert partner.v1_post(f"orders/{nr}/events", {"type": "confirm"}).status_code == 200
    v1_error(partner.v1_post(f"orders/{nr}/items", {"sku": "BAG-2", "price": 1}), 409)
    assert len(partner.order(nr)["items"]) == 3


def test_a_buyers_order_is_not_the_sellers_to_change(partner: Partner, http: httpx.Client) -> None:
    placed = partner.buyer_orders({"sku": "SKU-1"})
    nr = placed["order_nr"]
    v1_error(partner.v1_post(f"orders/{nr}/items", {"sku": "X", "price": 1}), 409)
    v1_error(partner.v1_request("PATCH", f"orders/{nr}", {"comment": "x"}), 409)
    v1_error(partner.v1_post(f"orders/{nr}/customer", {"phone": "+79161112233"}), 409)
    customer = partner.v1_get(f"orders/{nr}/customer")
    assert customer.status_code == 200, customer.text
    body = customer.json()
    assert body["orderNr"] == nr and body["firstName"] and body["lastName"] and body["phone"] is None
    assert body["address"]["city"]
    # Another seller learns nothing of either kind of order.
    other = Partner(new_tenant(http, "Other"))
    created = partner.create(partner_order("E-1"))
    for key in (nr, created["orderNr"]):
        v1_error(other.v1_get(f"orders/{key}/customer"), 404)
        v1_error(other.v1_request("PATCH", f"orders/{key}", {"comment": "x"}), 404)
        v1_error(other.v1_post(f"orders/{key}/items", {"sku": "X", "price": 1}), 404)


def test_delivery_details_change_until_the_order_ships(partner: Partner) -> None:
    order = partner.create(partner_order("F-1"))
    nr = order["orderNr"]
    later = (date.today() + timedelta(days=5)).isoformat()
    resp = partner.v1_request(
        "PATCH",
        f"orders/{nr}",
        {
            "deliveryDate": later,
            "deliveryIntervalTo": "18:00",
            "paymentMethod": "COD",
            "shippingMethodCode": "pickup",
        },
    )
    assert resp.status_code == 200, resp.text
    changed = resp.json()
    assert (changed["paymentMethod"], changed["shippingMethodCode"]) == ("COD", "pickup")
    assert changed["status"] == "New" and changed["updatedAt"] >= order["updatedAt"]
    tracking = partner.public_get(f"ordersTracking/{nr}").json()
    assert (tracking["deliveryDate"], tracking["deliveryIntervalFrom"], tracking["deliveryIntervalTo"]) == (
        later,
        "10:00",
        "18:00",
    )
    unchanged = partner.v1_request("PATCH", f"orders/{nr}", {})  # nothing to change: the order as it is
    assert unchanged.status_code == 200 and unchanged.json() == partner.order(nr), unchanged.text
    v1_error(
        partner.v1_request("PATCH", f"orders/{nr}", {"deliveryIntervalTo": "09:00"}),
        400,
        "deliveryIntervalTo",
    )
    v1_error(partner.v1_request("PATCH", f"orders/{nr}", {"deliveryDate": "2001-02-03"}), 400, "deliveryDate")
    v1_error(partner.v1_request("PATCH", f"orders/{nr}", {"paymentMethod": 5}), 400, "paymentMethod")
    assert partner.order(nr)["paymentMethod"] == "COD"


def test_the_customer_is_read_and_changed(partner: Partner) -> None:
    order = partner.create(partner_order("G-1"))
    nr = order["orderNr"]
    resp = partner.v1_get(f"orders/{nr}/customer")
    assert resp.status_code == 200, resp.text
    assert resp.json() == {
        "orderNr": nr,
        "firstName": "Мария",
        "lastName": "Иванова",
        "middleName": "Петровна",
        "phone": "+79161234567",
        "email": "maria@example.ru",
        "address": {
            "zipcode": "101000",
            "region": "Москва",
            "city": "Москва",
            "street": "ул. Ленина",
            "houseNum": "5",
            "apartment": "12",
        },
    }
    changed = partner.v1_post(
        f"orders/{nr}/customer",
        {"phone": 79031112233, "address": {"city": "Казань", "street": "ул. Пушкина", "houseNum": 7}},
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["phone"], body["firstName"], body["email"]) == ("79031112233", "Мария", "maria@example.ru")
    assert body["address"] == {
        "zipcode": "101000",
        "region": "Москва",
        "city": "Казань",
        "street": "ул. Пушкина",
        "houseNum": "7",
        "apartment": "12",
    }
    assert partner.v1_get(f"orders/{nr}/customer").json() == body
    assert partner.order(nr)["city"] == "Казань"
    v1_error(partner.v1_post(f"orders/{nr}/customer", {"email": "nope"}), 400, "email")
    assert partner.v1_post(f"orders/{nr}/customer", {}).json() == body
    v1_error(partner.v1_post(f"orders/{nr}/customer", {"phone": ["1"]}), 400, "phone")
    assert partner.v1_get(f"orders/{nr}/customer").json() == body
