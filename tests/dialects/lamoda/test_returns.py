"""FBS returns as a seller's integration reads them: return items opened when goods come back, return
boxes filled by Moscow day when they are sent back, the seller's confirmation, and the 2026-03-03 rule
that takes return statuses out of the B2B v1 answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.conftest import Tenant
from tests.dialects.lamoda.helpers import Lamoda, check_documented

MSK = "+03:00"
REASON = "Размер не подошёл"
DEFECT = "Брак, некомплект, следы носки"
# Return statuses that B2B v1 stops showing from 2026-03-03 (Moscow).
RETURN_STATUSES = {"Claimed ok", "Sent back to partner", "Ready to refund", "Refunded", "Refund by partner"}
CUT_OVER = datetime.fromisoformat("2026-03-03T00:00:00+03:00")


def dated_tenant(http: httpx.Client, now: str, name: str = "Returns Seller") -> Tenant:
    """A tenant whose clock starts at `now` (ISO 8601)."""
    resp = http.post("/sandbox/tenants", json={"name": name, "now": now})
    assert resp.status_code == 201, resp.text
    return Tenant(http, resp.json())


def clock(lamoda: Lamoda) -> datetime:
    resp = lamoda.http.get(f"/sandbox/tenants/{lamoda.seller_id}/clock")
    assert resp.status_code == 200, resp.text
    return datetime.fromisoformat(resp.json()["now"])


def advance(lamoda: Lamoda, seconds: float) -> datetime:
    """Move the tenant's clock on; tokens live 15 minutes on that clock, so take a fresh one."""
    now = datetime.fromisoformat(lamoda.tenant.advance(seconds))
    lamoda.token = lamoda.new_token()
    return now


def ok(lamoda: Lamoda, resp: httpx.Response, status: int = 200) -> Any:
    assert resp.status_code == status, resp.text
    check_documented(lamoda.http, resp)
    return resp.json()


def v2_refused(lamoda: Lamoda, resp: httpx.Response, status: int, field: str | None, words: str) -> None:
    assert resp.status_code == status, resp.text
    error = resp.json()["error"]
    codes = {400: "VALIDATION_FAILED", 403: "FORBIDDEN", 404: "NOT_FOUND", 409: "CONFLICT"}
    assert error["code"] == codes[status]
    assert words in error["message"], error["message"]
    assert [d["field"] for d in error["details"]] == ([field] if field else [])
    check_documented(lamoda.http, resp)


def out_for_delivery(lamoda: Lamoda, sku: str, quantity: int = 1) -> tuple[dict[str, Any], list[int]]:
    """An FBS order confirmed, packed and handed to the courier: its v2 detail and item ids."""
    order = lamoda.ready_to_ship({"sku": sku, "quantity": quantity, "marking_required": False})
    item_ids = [i["id"] for i in order["items"]]
    for item_id in item_ids:
        lamoda.moved(
            order["orderNr"], item_id, "Shipped", "Arrived to LME", "Given to delivery", "In delivery"
        )
    return order, item_ids


def returns(lamoda: Lamoda, **params: Any) -> dict[str, Any]:
    page: dict[str, Any] = ok(lamoda, lamoda.v2_get("fbs/return-items", **params))
    return page


def moment(value: str) -> datetime:
    assert value.endswith("Z"), value
    return datetime.fromisoformat(value)


def near(value: str, at: datetime) -> bool:
    """A v2 timestamp (whole seconds, UTC) taken on the tenant's clock right after `at`."""
    return timedelta(seconds=-1) <= moment(value) - at < timedelta(seconds=30)


# ---- return items ----


def test_each_way_back_opens_one_return_item(http: httpx.Client) -> None:
    lamoda = Lamoda(dated_tenant(http, "2026-11-23T10:00:00+03:00"))
    order, items = out_for_delivery(lamoda, "DRESS-RED-42", 5)
    nr = order["orderNr"]
    lamoda_sku = order["items"][0]["sku"]
    name = order["items"][0]["name"]
    assert returns(lamoda)["meta"]["total"] == 0

    opened = []
    for item_id, moves, reason in (
        (items[0], ["Not bought"], REASON),
        (items[1], ["Rejected"], DEFECT),
        (items[2], ["Not delivered"], None),
        (items[3], ["Delivered", "Claimed ok"], None),
    ):
        at = advance(lamoda, 3600)
        for status in moves:
            lamoda.moved(nr, item_id, status, reason=reason if status != "Delivered" else None)
        opened.append(at)
    lamoda.moved(nr, items[4], "Delivered")  # kept: nothing comes back

    page = returns(lamoda, orderId=nr)
    assert page["meta"] == {"page": 1, "limit": 20, "total": 4, "totalPages": 1}
    got = page["data"]
    assert [(r["itemId"], r["orderItemId"], r["returnType"], r["status"], r["reason"]) for r in got] == [
        (items[0], items[0], "NOT_BOUGHT", "CREATED", REASON),
        (items[1], items[1], "REJECTED", "CREATED", DEFECT),
        (items[2], items[2], "NOT_DELIVERED", "CREATED", None),
        (items[3], items[3], "CUSTOMER_RETURN", "CREATED", None),
    ]
    for r, at in zip(got, opened, strict=True):
        assert r["orderId"] == nr and r["sku"] == lamoda_sku and r["externalSku"] == "DRESS-RED-42"
        assert r["itemName"] == name and r["boxId"] is None and r["id"] == r["returnItemId"]
        assert near(r["returnDate"], at), (r["returnDate"], at)
        assert r["createdAt"] == r["updatedAt"] == r["returnDate"]
    assert len({r["id"] for r in got}) == 4
    assert returns(lamoda)["meta"]["total"] == 4

    # further moves of the same items open nothing new
    lamoda.moved(nr, items[0], "Sent back to partner", "Ready to refund")
    lamoda.moved(nr, items[3], "Sent back to partner")
    after = returns(lamoda, orderId=nr)["data"]
    assert [(r["itemId"], r["status"]) for r in after] == [
        (items[0], "SENT_TO_SELLER"),
        (items[1], "CREATED"),
        (items[2], "CREATED"),
        (items[3], "SENT_TO_SELLER"),
    ]

    # the order itself, in v2, still tells each item's story
    detail = ok(lamoda, lamoda.v2_get(f"orders/{order['id']}"))["data"]
    assert [i["status"] for i in detail["items"]] == [
        "READY_TO_REFUND",
        "REJECTED",
        "NOT_DELIVERED",
        "SENT_BACK_TO_PARTNER",
        "DELIVERED",
    ]


def test_return_items_filter_by_order_dates_and_page(http: httpx.Client, other_tenant: Tenant) -> None:
    lamoda = Lamoda(dated_tenant(http, "2026-11-23T10:00:00+03:00"))
    a, a_items = out_for_delivery(lamoda, "A-1", 2)
    b, b_items = out_for_delivery(lamoda, "B-1", 1)
    lamoda.moved(a["orderNr"], a_items[0], "Not bought", reason=REASON)  # 2026-11-23 07:00Z
    advance(lamoda, 86400)
    lamoda.moved(a["orderNr"], a_items[1], "Rejected")  # 2026-11-24 07:00Z
    advance(lamoda, 86400)
    lamoda.moved(b["orderNr"], b_items[0], "Not delivered")  # 2026-11-25 07:00Z

    def item_ids(**params: Any) -> list[int]:
        return [r["itemId"] for r in returns(lamoda, **params)["data"]]

    assert item_ids() == [*a_items, *b_items]
    assert item_ids(orderId=a["orderNr"]) == a_items
    assert item_ids(orderId=a["id"]) == a_items  # the order's id works as well as its number
    assert item_ids(orderId=b["orderNr"]) == b_items
    assert item_ids(returnDateFrom="2026-11-24T00:00:00Z") == [a_items[1], b_items[0]]
    assert item_ids(returnDateTo="2026-11-24T12:00:00Z") == a_items
    assert item_ids(returnDateFrom="2026-11-24T00:00:00Z", returnDateTo="2026-11-24T12:00:00Z") == [
        a_items[1]
    ]
    assert item_ids(returnDateFrom="2026-11-24T10:00:00+03:00", returnDateTo="2026-11-24T10:00:30+03:00") == [
        a_items[1]
    ]
    assert item_ids(orderId=a["orderNr"], returnDateFrom="2026-11-25T00:00:00Z") == []

    # updatedAtFrom: only what changed since
    advance(lamoda, 86400)
    lamoda.moved(a["orderNr"], a_items[0], "Sent back to partner")  # 2026-11-26 07:00Z
    assert item_ids(updatedAtFrom="2026-11-26T00:00:00Z") == [a_items[0]]
    assert item_ids(updatedAtFrom="2026-11-24T00:00:00Z") == [a_items[0], a_items[1], b_items[0]]
    assert item_ids(updatedAtFrom="2026-11-27T00:00:00Z") == []

    # paging, by id
    first = returns(lamoda, limit=2)
    assert first["meta"] == {"page": 1, "limit": 2, "total": 3, "totalPages": 2}
    assert [r["itemId"] for r in first["data"]] == a_items
    second = returns(lamoda, limit=2, page=2)
    assert second["meta"] == {"page": 2, "limit": 2, "total": 3, "totalPages": 2}
    assert [r["itemId"] for r in second["data"]] == b_items
    assert returns(lamoda, limit=2, page=3)["data"] == []

    v2_refused(lamoda, lamoda.v2_get("fbs/return-items", orderId="RU000000-999999"), 404, None, "not found")
    v2_refused(
        lamoda,
        lamoda.v2_get("fbs/return-items", returnDateFrom="yesterday"),
        400,
        "returnDateFrom",
        "ISO 8601",
    )
    v2_refused(lamoda, lamoda.v2_get("fbs/return-items", limit=101), 400, "limit", "1 to 100")
    v2_refused(
        lamoda,
        lamoda.v2_get("fbs/return-items", sellerId=other_tenant.seller_id),
        403,
        "sellerId",
        "not the seller",
    )
    resp = lamoda.http.get("/api/v2/fbs/return-items", headers=lamoda.headers)  # no sellerId at all
    v2_refused(lamoda, resp, 400, "sellerId", "sellerId")

    other = Lamoda(other_tenant)
    assert returns(other)["meta"]["total"] == 0
    v2_refused(other, other.v2_get("fbs/return-items", orderId=a["orderNr"]), 404, None, "not found")


def test_return_item_status_history(http: httpx.Client, other_tenant: Tenant) -> None:
    lamoda = Lamoda(dated_tenant(http, "2026-11-23T10:00:00+03:00"))
    order, (item_id,) = out_for_delivery(lamoda, "A-1")
    nr = order["orderNr"]
    created_at = clock(lamoda)
    lamoda.moved(nr, item_id, "Not bought", reason=REASON)
    (ret,) = returns(lamoda)["data"]

    def history() -> list[tuple[str, str]]:
        lines = ok(lamoda, lamoda.v2_get(f"fbs/return-items/{ret['id']}/status-history"))
        assert lines["meta"] == {}
        return [(line["status"], line["createdAt"]) for line in lines["data"]]

    (only,) = history()
    assert only[0] == "CREATED" and near(only[1], created_at)

    sent_at = advance(lamoda, 7200)
    lamoda.moved(nr, item_id, "Sent back to partner")
    box_id = returns(lamoda)["data"][0]["boxId"]
    assert box_id is not None
    confirmed_at = advance(lamoda, 86400)
    ok(lamoda, lamoda.v2_post(f"fbs/return-boxes/{box_id}/confirm", {}))
    lines = history()
    assert [s for s, _ in lines] == ["CREATED", "SENT_TO_SELLER", "ACCEPTED_BY_SELLER"]
    assert near(lines[1][1], sent_at) and near(lines[2][1], confirmed_at)

    v2_refused(lamoda, lamoda.v2_get("fbs/return-items/999999999/status-history"), 404, None, "not found")
    v2_refused(lamoda, lamoda.v2_get("fbs/return-items/abc/status-history"), 400, "id", "positive integer")
    other = Lamoda(other_tenant)
    v2_refused(other, other.v2_get(f"fbs/return-items/{ret['id']}/status-history"), 404, None, "not found")


# ---- return boxes ----


def test_items_sent_back_the_same_moscow_day_share_a_box(http: httpx.Client, other_tenant: Tenant) -> None:
    lamoda = Lamoda(dated_tenant(http, "2026-11-23T10:00:00+03:00"))
    order, items = out_for_delivery(lamoda, "A-1", 3)
    nr = order["orderNr"]
    lamoda.moved(nr, items[0], "Not bought", reason=REASON)
    lamoda.moved(nr, items[1], "Rejected")
    lamoda.moved(nr, items[2], "Not delivered")
    assert ok(lamoda, lamoda.v2_get("fbs/return-boxes"))["meta"]["total"] == 0
    by_item = {r["itemId"]: r for r in returns(lamoda)["data"]}

    lamoda.moved(nr, items[0], "Sent back to partner")  # 10:00 MSK
    advance(lamoda, 8 * 3600)
    lamoda.moved(nr, items[1], "Sent back to partner")  # 18:00 MSK, the same day
    advance(lamoda, 86400)
    lamoda.moved(nr, items[2], "Sent back to partner")  # the next day: a new box

    boxes = ok(lamoda, lamoda.v2_get("fbs/return-boxes"))
    assert boxes["meta"] == {"page": 1, "limit": 20, "total": 2, "totalPages": 1}
    newest, first = boxes["data"]
    assert (first["status"], first["itemsCount"]) == ("SENT_TO_SELLER", 2)
    assert (newest["status"], newest["itemsCount"]) == ("SENT_TO_SELLER", 1)
    assert newest["id"] != first["id"] and newest["barcode"] != first["barcode"]
    for box in (first, newest):
        assert box["barcode"].startswith("RB") and box["barcode"][2:].isdigit()
    assert moment(first["createdAt"]) < moment(newest["createdAt"])
    assert [b["id"] for b in ok(lamoda, lamoda.v2_get("fbs/return-boxes", limit=1, page=2))["data"]] == [
        first["id"]
    ]

    detail = ok(lamoda, lamoda.v2_get(f"fbs/return-boxes/{first['id']}"))["data"]
    assert (detail["id"], detail["barcode"], detail["status"], detail["itemsCount"]) == (
        first["id"],
        first["barcode"],
        "SENT_TO_SELLER",
        2,
    )
    assert [(i["itemId"], i["id"], i["status"], i["boxId"]) for i in detail["items"]] == [
        (items[0], by_item[items[0]]["id"], "SENT_TO_SELLER", first["id"]),
        (items[1], by_item[items[1]]["id"], "SENT_TO_SELLER", first["id"]),
    ]
    assert [i["returnType"] for i in detail["items"]] == ["NOT_BOUGHT", "REJECTED"]
    assert [
        i["itemId"] for i in ok(lamoda, lamoda.v2_get(f"fbs/return-boxes/{newest['id']}"))["data"]["items"]
    ] == [items[2]]
    assert [(r["itemId"], r["boxId"]) for r in returns(lamoda)["data"]] == [
        (items[0], first["id"]),
        (items[1], first["id"]),
        (items[2], newest["id"]),
    ]

    # the seller confirms the first box: the box and its items are accepted, once
    confirmed = ok(lamoda, lamoda.v2_post(f"fbs/return-boxes/{first['id']}/confirm", {}))["data"]
    assert (confirmed["id"], confirmed["status"], confirmed["itemsCount"]) == (
        first["id"],
        "ACCEPTED_BY_SELLER",
        2,
    )
    assert [(i["itemId"], i["status"]) for i in confirmed["items"]] == [
        (items[0], "ACCEPTED_BY_SELLER"),
        (items[1], "ACCEPTED_BY_SELLER"),
    ]
    again = lamoda.v2_post(f"fbs/return-boxes/{first['id']}/confirm", {})
    v2_refused(lamoda, again, 409, None, "already confirmed")
    statuses = {b["id"]: b["status"] for b in ok(lamoda, lamoda.v2_get("fbs/return-boxes"))["data"]}
    assert statuses == {first["id"]: "ACCEPTED_BY_SELLER", newest["id"]: "SENT_TO_SELLER"}
    assert [r["status"] for r in returns(lamoda)["data"]] == [
        "ACCEPTED_BY_SELLER",
        "ACCEPTED_BY_SELLER",
        "SENT_TO_SELLER",
    ]

    # refusals
    v2_refused(lamoda, lamoda.v2_post("fbs/return-boxes/999999999/confirm", {}), 404, None, "not found")
    v2_refused(lamoda, lamoda.v2_get("fbs/return-boxes/999999999"), 404, None, "not found")
    wrong_seller = lamoda.http.post(
        f"/api/v2/fbs/return-boxes/{newest['id']}/confirm",
        json={"sellerId": other_tenant.seller_id},
        headers=lamoda.headers,
    )
    v2_refused(lamoda, wrong_seller, 403, "sellerId", "not the seller")
    no_seller = lamoda.http.post(
        f"/api/v2/fbs/return-boxes/{newest['id']}/confirm", json={}, headers=lamoda.headers
    )
    v2_refused(lamoda, no_seller, 400, "sellerId", "sellerId")
    other = Lamoda(other_tenant)
    v2_refused(other, other.v2_get(f"fbs/return-boxes/{newest['id']}"), 404, None, "not found")
    v2_refused(other, other.v2_post(f"fbs/return-boxes/{newest['id']}/confirm", {}), 404, None, "not found")
    assert ok(other, other.v2_get("fbs/return-boxes"))["meta"]["total"] == 0
    assert ok(lamoda, lamoda.v2_get(f"fbs/return-boxes/{newest['id']}"))["data"]["status"] == "SENT_TO_SELLER"


def test_return_boxes_follow_the_moscow_day_not_the_utc_day(http: httpx.Client) -> None:
    # 23:30 MSK is 20:30 UTC: an hour later it is a new day in Moscow, still the same day in UTC
    lamoda = Lamoda(dated_tenant(http, "2026-11-23T23:30:00+03:00"))
    order, items = out_for_delivery(lamoda, "A-1", 4)
    nr = order["orderNr"]
    for item_id in items:
        lamoda.moved(nr, item_id, "Not delivered")
    lamoda.moved(nr, items[0], "Sent back to partner")
    advance(lamoda, 600)
    lamoda.moved(nr, items[1], "Sent back to partner")  # 23:40 MSK: the same box
    advance(lamoda, 3600)
    lamoda.moved(nr, items[2], "Sent back to partner")  # 00:40 MSK on the 24th: a new box
    boxed = {r["itemId"]: r["boxId"] for r in returns(lamoda)["data"]}
    assert boxed[items[0]] == boxed[items[1]] != boxed[items[2]]

    # once the day's box is confirmed, a later item of the same day goes into a new box
    ok(lamoda, lamoda.v2_post(f"fbs/return-boxes/{boxed[items[2]]}/confirm", {}))
    lamoda.moved(nr, items[3], "Sent back to partner")
    boxed = {r["itemId"]: r["boxId"] for r in returns(lamoda)["data"]}
    assert len({boxed[items[0]], boxed[items[2]], boxed[items[3]]}) == 3
    counts = {b["id"]: b["itemsCount"] for b in ok(lamoda, lamoda.v2_get("fbs/return-boxes"))["data"]}
    assert counts == {boxed[items[0]]: 2, boxed[items[2]]: 1, boxed[items[3]]: 1}


def test_fbo_orders_open_no_fbs_return_items(tenant: Tenant) -> None:
    lamoda = Lamoda(tenant)
    placed = lamoda.buyer_orders({"sku": "FBO-COAT", "quantity": 2}, fulfillment_type="FBO")
    nr = placed["order_nr"]
    first, second = (i["id"] for i in placed["items"])
    lamoda.moved(nr, first, "Shipped", "In delivery", "Not bought", reason=REASON)
    lamoda.moved(nr, second, "Shipped", "In delivery", "Delivered", "Claimed ok", "Sent back to partner")
    assert returns(lamoda)["meta"]["total"] == 0
    assert ok(lamoda, lamoda.v2_get("fbs/return-boxes"))["meta"]["total"] == 0


def test_world_move_refusal_names_the_status_plainly(tenant: Tenant) -> None:
    lamoda = Lamoda(tenant)
    order, (item_id,) = out_for_delivery(lamoda, "A-1")
    lamoda.moved(order["orderNr"], item_id, "Delivered")
    resp = lamoda.move(order["orderNr"], item_id, "Not bought", REASON)
    assert resp.status_code == 409, resp.text
    assert resp.json()["error"]["message"].startswith(
        f"item {item_id} is 'Delivered': it cannot become 'Not bought'"
    )


# ---- 2026-03-03: return statuses leave B2B v1 ----


def v1_order(lamoda: Lamoda, nr: str) -> dict[str, Any]:
    found: dict[str, Any] = ok(lamoda, lamoda.v1_get(f"orders/{nr}"))
    return found


def v1_history(lamoda: Lamoda, nr: str) -> list[str]:
    lines = ok(lamoda, lamoda.v1_get(f"orders/{nr}/statuses"))["_embedded"]["statuses"]
    return [line["status"] for line in lines]


def v1_listed(lamoda: Lamoda, nr: str) -> dict[str, Any]:
    page = ok(lamoda, lamoda.v1_get("orders", limit=100))
    return next(o for o in page["_embedded"]["orders"] if o["orderNr"] == nr)


def test_return_statuses_leave_v1_on_2026_03_03_and_stay_in_v2(http: httpx.Client) -> None:
    lamoda = Lamoda(dated_tenant(http, "2026-02-20T12:00:00+03:00"))
    claimed, (claimed_item,) = out_for_delivery(lamoda, "COAT-1")
    mixed, (sent_back, refused) = out_for_delivery(lamoda, "BOOTS-1", 2)
    a, b = claimed["orderNr"], mixed["orderNr"]
    lamoda.moved(a, claimed_item, "Delivered", "Claimed ok")
    lamoda.moved(b, sent_back, "Delivered", "Claimed ok", "Sent back to partner")
    lamoda.moved(b, refused, "Not bought", reason=REASON)

    def v2_returns() -> list[tuple[int, str, str]]:
        return [(r["itemId"], r["returnType"], r["status"]) for r in returns(lamoda)["data"]]

    expected_v2 = [
        (claimed_item, "CUSTOMER_RETURN", "CREATED"),
        (sent_back, "CUSTOMER_RETURN", "SENT_TO_SELLER"),
        (refused, "NOT_BOUGHT", "CREATED"),
    ]

    def before() -> None:
        order = v1_order(lamoda, a)
        assert (order["status"], [i["status"] for i in order["items"]]) == ("Claimed ok", ["Claimed ok"])
        assert v1_history(lamoda, a)[-2:] == ["Delivered", "Claimed ok"]
        assert v1_listed(lamoda, a)["status"] == "Claimed ok"
        assert [i["status"] for i in v1_order(lamoda, b)["items"]] == ["Sent back to partner", "Not bought"]
        listed = ok(lamoda, lamoda.v1_get("orders", filter="status=Claimed ok"))
        assert [o["orderNr"] for o in listed["_embedded"]["orders"]] == [a]
        assert v2_returns() == expected_v2

    before()
    # a minute before midnight in Moscow, v1 still shows the return statuses
    advance(lamoda, (CUT_OVER - clock(lamoda)).total_seconds() - 60)
    before()

    now = advance(lamoda, 120)
    assert now >= CUT_OVER.astimezone(UTC)
    order = v1_order(lamoda, a)
    assert (order["status"], [i["status"] for i in order["items"]]) == ("Delivered", ["Delivered"])
    assert order["dates"]["delivered"] is not None
    history = v1_history(lamoda, a)
    assert history[-1] == "Delivered" and not RETURN_STATUSES & set(history)
    assert history[:3] == ["New", "Confirmed", "Ready for shipment"]
    listed = v1_listed(lamoda, a)
    assert (listed["status"], [i["status"] for i in listed["items"]]) == ("Delivered", ["Delivered"])
    # the item that was returned after delivery shows "Delivered"; "Not bought" is no return status
    mixed_v1 = v1_order(lamoda, b)
    assert [i["status"] for i in mixed_v1["items"]] == ["Delivered", "Not bought"]
    assert not RETURN_STATUSES & set(v1_history(lamoda, b))
    for text in (
        lamoda.v1_get(f"orders/{a}").text,
        lamoda.v1_get(f"orders/{b}").text,
        lamoda.v1_get("orders").text,
    ):
        assert not any(f'"{status}"' in text for status in RETURN_STATUSES)

    # v2 still reports every return, and v2's order detail keeps the item statuses
    assert v2_returns() == expected_v2
    v2_items = ok(lamoda, lamoda.v2_get(f"orders/{claimed['id']}"))["data"]["items"]
    assert [i["status"] for i in v2_items] == ["CLAIMED_OK"]

    # a return that happens after the cut-over never shows in v1 at all
    late, (late_item,) = out_for_delivery(lamoda, "HAT-1")
    lamoda.moved(late["orderNr"], late_item, "Delivered", "Claimed ok")
    assert [i["status"] for i in v1_order(lamoda, late["orderNr"])["items"]] == ["Delivered"]
    assert v1_order(lamoda, late["orderNr"])["status"] == "Delivered"
    assert returns(lamoda, orderId=late["orderNr"])["data"][0]["returnType"] == "CUSTOMER_RETURN"


def test_v1_status_filter_agrees_with_the_statuses_v1_shows(http: httpx.Client) -> None:
    lamoda = Lamoda(dated_tenant(http, "2026-03-10T12:00:00+03:00"))
    order, (item_id,) = out_for_delivery(lamoda, "COAT-1")
    lamoda.moved(order["orderNr"], item_id, "Delivered", "Claimed ok")
    assert v1_order(lamoda, order["orderNr"])["status"] == "Delivered"

    def found(status: str) -> list[str]:
        page = ok(lamoda, lamoda.v1_get("orders", filter=f"status={status}"))
        return [o["orderNr"] for o in page["_embedded"]["orders"]]

    assert found("Claimed ok") == []
    assert found("Delivered") == [order["orderNr"]]
