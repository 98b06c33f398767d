"""`order/get-order-list` over real HTTP, on every backend (behaviour from `docs/assumptions.md`)."""

from __future__ import annotations

import re
from datetime import UTC, date, timedelta
from typing import Any

import httpx
import pytest

from tests.conftest import Tenant
from tests.dialects.aliexpress.helpers import dt, move_clock_to, z

Json = dict[str, Any]

MICROS_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$")
SECONDS_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")
UNKNOWN_TRADE_ORDER = 1


# --- helpers -----------------------------------------------------------------------------------
def order_list(t: Tenant, **body: Any) -> Json:
    resp = t.ae("order/get-order-list", {"page": 1, "page_size": 100, **body})
    assert resp.status_code == 200, resp.text
    payload = resp.json()
    assert set(payload) == {"data", "error"} and payload["error"] is None
    data: Json = payload["data"]
    assert set(data) == {"total_count", "orders"}
    return data


def listed_ids(t: Tenant, **body: Any) -> list[int]:
    return [o["id"] for o in order_list(t, **body)["orders"]]


def one(t: Tenant, trade_order_id: int, **body: Any) -> Json:
    [order] = order_list(t, order_ids=[trade_order_id], **body)["orders"]
    assert isinstance(order, dict)
    return order


def create_lo(t: Tenant, trade_order_id: int, *items: tuple[int, int]) -> int:
    resp = t.ae(
        "logistic-order/create",
        {
            "orders": [
                {
                    "trade_order_id": trade_order_id,
                    "total_length": 20,
                    "total_width": 10,
                    "total_height": 5,
                    "total_weight": 1.5,
                    "items": [{"sku_id": s, "quantity": q} for s, q in items],
                }
            ]
        },
    )
    assert resp.status_code == 200, resp.text
    [entry] = resp.json()["data"]["orders"]
    [lo] = entry["logistic_orders"]
    lo_id: int = lo["id"]
    return lo_id


def tracking_code(t: Tenant, lo_id: int) -> str:
    resp = t.ae("logistic-order/get", {"page": 1, "page_size": 1, "logistic_order_ids": [lo_id]})
    assert resp.status_code == 200, resp.text
    [lo] = resp.json()["data"]["logistic_orders"]
    return str(lo["platform_tracking_code"])


def at(day: date, clock: str) -> str:
    return f"{day.isoformat()}T{clock}+00:00"


def assert_validation_error(resp: httpx.Response, field: str) -> None:
    assert resp.status_code == 400, resp.text
    body = resp.json()
    assert body["data"] is None
    assert body["error"]["code"] == "ErrorCode.ValidationError"
    assert field in body["error"]["message"]
    assert body["error"]["details"] == {"field": field}


# --- shape -------------------------------------------------------------------------------------
ORDER_KEYS = {
    "id": int,
    "created_at": str,
    "paid_at": str,
    "updated_at": str,
    "status": str,
    "payment_status": str,
    "delivery_status": str,
    "antifraud_status": str,
    "order_display_status": str,
    "delivery_address": str,
    "buyer_country_code": str,
    "buyer_name": str,
    "buyer_phone": str,
    "order_lines": list,
    "total_amount": int,
    "seller_comment": str,
    "fully_prepared": bool,
    "cut_off_date": str,
    "cut_off_date_histories": list,
    "shipping_deadline": str,
    "next_cut_off_date": str,
}
LINE_KEYS = {
    "id": int,
    "item_id": str,
    "sku_id": str,
    "sku_code": str,
    "name": str,
    "img_url": str,
    "item_price": int,
    "quantity": int,
    "total_amount": int,
    "properties": list,
    "buyer_comment": str,
    "issue_status": str,
    "product_source_id": int,
    "currency": str,
    "marking_required": bool,
}


def test_order_list_shape_and_values(tenant: Tenant) -> None:
    address = {
        "zip_code": "109456",
        "country_code": "RU",
        "country": "Россия",
        "province": "Москва",
        "city": "г. Москва",
        "street": "ул. Тверская, д. 1",
        "detail_address": "г. Москва, ул. Тверская, д. 1",
    }
    order = tenant.order(
        {"sku_id": 12000027037707016, "quantity": 3, "item_price": 1000, "name": "Рюкзак"},
        {"sku_id": 17, "quantity": 1, "marking_required": True},
        receiver_address=address,
        buyer_name="Иван Петров",
    )
    data = order_list(tenant)
    assert data["total_count"] == 1
    [o] = data["orders"]
    for key, kind in ORDER_KEYS.items():
        assert key in o, key
        assert isinstance(o[key], kind), (key, o[key])
    assert "finish_reason" in o and o["finish_reason"] is None
    assert "logistic_orders" not in o  # `Common` is the default
    assert o["id"] == order["trade_order_id"]
    for key in ("created_at", "paid_at", "updated_at"):
        assert MICROS_RE.match(o[key]), (key, o[key])
    assert dt(o["created_at"]) == dt(order["created_at"])
    assert (
        o["status"],
        o["payment_status"],
        o["delivery_status"],
        o["antifraud_status"],
        o["order_display_status"],
    ) == ("Created", "Paid", "Init", "Passed", "WaitSendGoods")
    assert o["buyer_name"] == "Иван Петров"
    assert o["buyer_country_code"] == "643"
    assert o["delivery_address"] == address["detail_address"]
    assert o["total_amount"] == order["total_amount"]
    assert o["fully_prepared"] is False
    for key in ("cut_off_date", "shipping_deadline", "next_cut_off_date"):
        assert SECONDS_RE.match(o[key]), (key, o[key])
    assert dt(o["cut_off_date"]) == dt(order["cut_off_date"])
    assert dt(o["shipping_deadline"]) == dt(order["shipping_deadline"])
    assert dt(o["cut_off_date"]) < dt(o["next_cut_off_date"]) < dt(o["shipping_deadline"])
    assert o["cut_off_date_histories"] == [{"shift_number": 0, "cut_off_date": o["cut_off_date"]}]

    assert len(o["order_lines"]) == 2
    by_sku = {line["sku_id"]: line for line in order["lines"]}
    for line in o["order_lines"]:
        for key, kind in LINE_KEYS.items():
            assert key in line, key
            assert isinstance(line[key], kind), (key, line[key])
        placed = by_sku[int(line["sku_id"])]
        assert line["sku_id"] == str(placed["sku_id"])
        assert line["item_id"] == str(placed["item_id"])
        assert line["id"] == placed["id"]
        assert line["name"] == placed["name"]
        assert line["quantity"] == placed["quantity"]
        assert line["item_price"] == placed["item_price"]
        assert line["total_amount"] == placed["item_price"] * placed["quantity"]
        assert line["marking_required"] is placed["marking_required"]
        assert line["product_source_id"] == 0
        assert line["currency"] == "RUB"
    first = next(line for line in o["order_lines"] if line["sku_id"] == "12000027037707016")
    assert (first["name"], first["item_price"], first["total_amount"]) == ("Рюкзак", 1000, 3000)


# --- shipping dates ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("weekday", "hour_utc", "cut_off_after", "spare_after"),
    [
        (3, 6, 1, 4),  # Thursday 09:00 MSK: ready Friday 09:00 -> Friday; spare day Monday
        (4, 12, 3, 4),  # Friday 15:00 MSK: ready Saturday -> Monday; spare Tuesday
        (0, 9, 1, 2),  # Monday 12:00 MSK: ready Tuesday 12:00 (before 13:00) -> Tuesday; spare Wednesday
        (0, 11, 2, 3),  # Monday 14:00 MSK: ready Tuesday 14:00 (past 13:00) -> Wednesday; spare Thursday
        (5, 6, 2, 3),  # Saturday: ready Sunday -> Monday; spare Tuesday
    ],
    ids=["thursday_morning", "friday_afternoon", "monday_before_cut", "monday_after_cut", "saturday"],
)
def test_cut_off_date_spare_day_and_deadline(
    tenant: Tenant, weekday: int, hour_utc: int, cut_off_after: int, spare_after: int
) -> None:
    placed = move_clock_to(tenant, weekday, hour_utc)
    order = tenant.order({"sku_id": 31, "quantity": 1})
    o = one(tenant, order["trade_order_id"])
    cut_day = placed.date() + timedelta(days=cut_off_after)
    spare_day = placed.date() + timedelta(days=spare_after)
    assert o["cut_off_date"] == at(cut_day, "10:00:00")
    assert o["next_cut_off_date"] == at(spare_day, "10:00:00")
    assert o["shipping_deadline"] == at(spare_day, "20:59:59")
    assert o["cut_off_date_histories"] == [{"shift_number": 0, "cut_off_date": at(cut_day, "10:00:00")}]
    [lo_id] = tenant.ship(order)
    resp = tenant.ae("logistic-order/get", {"page": 1, "page_size": 1, "logistic_order_ids": [lo_id]})
    assert resp.json()["data"]["logistic_orders"][0]["cut_off_date"] == at(cut_day, "10:00:00")


# --- status, logistic info, fully_prepared -------------------------------------------------------
def test_logistic_info_follows_each_logistic_order(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 41, "quantity": 3}, {"sku_id": 42, "quantity": 1})
    tid = order["trade_order_id"]
    assert one(tenant, tid)["status"] == "Created"
    assert one(tenant, tid, trade_order_info="LogisticInfo")["logistic_orders"] == []

    first = create_lo(tenant, tid, (41, 2))
    o = one(tenant, tid, trade_order_info="LogisticInfo")
    assert o["status"] == "InProgress"
    assert o["fully_prepared"] is False
    [lo] = o["logistic_orders"]
    assert lo["id"] == first
    assert lo["trade_order_id"] == tid
    assert lo["track_number"] == tracking_code(tenant, first)
    assert lo["status"] == "AwaitingHandoverList"
    assert lo["creation_error"] is None
    assert lo["handover_list_id"] == 0
    assert lo["lines"] == [{"sku_id": 41, "quantity": 2}]
    assert "logistic_orders" not in one(tenant, tid)
    assert "logistic_orders" not in one(tenant, tid, trade_order_info="Common")

    second = create_lo(tenant, tid, (41, 1), (42, 1))
    o = one(tenant, tid, trade_order_info="logisticinfo")
    assert o["fully_prepared"] is True
    assert o["status"] == "InProgress"
    assert {lo["id"] for lo in o["logistic_orders"]} == {first, second}

    resp = tenant.ae("handover-list/create", {"logistic_order_ids": [first]})
    assert resp.status_code == 200, resp.text
    list_id = resp.json()["data"]["handover_list_id"]
    statuses = {
        lo["id"]: (lo["status"], lo["handover_list_id"])
        for lo in one(tenant, tid, trade_order_info="LogisticInfo")["logistic_orders"]
    }
    assert statuses == {first: ("AwaitingDispatch", list_id), second: ("AwaitingHandoverList", 0)}

    assert tenant.ae("handover-list/transfer", {"handover_list_id": list_id}).status_code == 200
    after = {
        lo["id"]: lo["status"] for lo in one(tenant, tid, trade_order_info="LogisticInfo")["logistic_orders"]
    }
    assert after == {first: "OrderReceivedFromSeller", second: "AwaitingHandoverList"}


def test_fully_prepared_tracks_live_logistic_orders(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 51, "quantity": 2}, {"sku_id": 52, "quantity": 1})
    tid = order["trade_order_id"]
    assert one(tenant, tid)["fully_prepared"] is False
    a = create_lo(tenant, tid, (51, 2))
    assert one(tenant, tid)["fully_prepared"] is False
    b = create_lo(tenant, tid, (52, 1))
    assert one(tenant, tid)["fully_prepared"] is True

    resp = tenant.ae("logistic-order/delete", {"logistic_order_ids": [b]})
    assert resp.json()["data"]["deletion_result_map"][str(b)]["error_message"] is None
    o = one(tenant, tid, trade_order_info="LogisticInfo")
    assert o["fully_prepared"] is False
    assert [lo["id"] for lo in o["logistic_orders"]] == [a]

    create_lo(tenant, tid, (52, 1))
    assert one(tenant, tid)["fully_prepared"] is True


# --- filters -----------------------------------------------------------------------------------
def test_filter_by_order_ids(tenant: Tenant) -> None:
    ids = [tenant.order({"sku_id": 61, "quantity": 1})["trade_order_id"] for _ in range(3)]
    assert sorted(listed_ids(tenant)) == sorted(ids)
    assert listed_ids(tenant, order_ids=[ids[1]]) == [ids[1]]
    assert sorted(listed_ids(tenant, order_ids=[ids[0], ids[2], UNKNOWN_TRADE_ORDER])) == sorted(
        [ids[0], ids[2]]
    )
    assert order_list(tenant, order_ids=[UNKNOWN_TRADE_ORDER]) == {"total_count": 0, "orders": []}
    assert order_list(tenant, order_ids=[ids[0], ids[2]])["total_count"] == 2


def test_filter_by_creation_date(tenant: Tenant) -> None:
    ids = []
    for _ in range(3):
        ids.append(tenant.order({"sku_id": 71, "quantity": 1})["trade_order_id"])
        tenant.advance(3600)
    a, b, c = ids
    created = {i: dt(one(tenant, i)["created_at"]) for i in ids}
    half = timedelta(minutes=30)
    assert sorted(listed_ids(tenant, date_start=z(created[a] + half))) == sorted([b, c])
    assert sorted(listed_ids(tenant, date_end=z(created[b] + half))) == sorted([a, b])
    assert listed_ids(tenant, date_start=z(created[a] + half), date_end=z(created[b] + half)) == [b]
    assert listed_ids(tenant, date_start=z(created[c] + half)) == []
    assert order_list(tenant, date_start=z(created[a] + half))["total_count"] == 2
    naive = (created[b] + half).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    assert listed_ids(tenant, date_start=naive) == [c]


def test_filter_by_update_date(tenant: Tenant) -> None:
    first = tenant.order({"sku_id": 81, "quantity": 1})
    second = tenant.order({"sku_id": 82, "quantity": 1})
    tenant.advance(7200)
    middle = dt(tenant.advance(0)) - timedelta(minutes=30)
    tenant.ship(first)  # touches `updated_at` of the first order only
    o1, o2 = one(tenant, first["trade_order_id"]), one(tenant, second["trade_order_id"])
    assert dt(o1["updated_at"]) > middle > dt(o2["updated_at"])

    assert listed_ids(tenant, update_at_from=z(middle)) == [first["trade_order_id"]]
    assert listed_ids(tenant, update_at_to=z(middle)) == [second["trade_order_id"]]
    assert listed_ids(tenant, updated_at_to=z(middle)) == [second["trade_order_id"]]
    assert order_list(tenant, update_at_from=z(middle))["total_count"] == 1


def test_filter_by_order_status(tenant: Tenant) -> None:
    shipped = tenant.order({"sku_id": 91, "quantity": 1})
    waiting = tenant.order({"sku_id": 92, "quantity": 1})
    tenant.ship(shipped)
    assert listed_ids(tenant, order_statuses=["InProgress"]) == [shipped["trade_order_id"]]
    assert listed_ids(tenant, order_statuses=["Created"]) == [waiting["trade_order_id"]]
    assert sorted(listed_ids(tenant, order_statuses=["Created", "InProgress"])) == sorted(
        [shipped["trade_order_id"], waiting["trade_order_id"]]
    )
    assert listed_ids(tenant, order_statuses=["Finished"]) == []
    assert order_list(tenant, order_statuses=["Created"])["total_count"] == 1


def test_filter_by_tracking_number(tenant: Tenant) -> None:
    a = tenant.order({"sku_id": 101, "quantity": 2})
    b = tenant.order({"sku_id": 102, "quantity": 1})
    a1 = create_lo(tenant, a["trade_order_id"], (101, 1))
    a2 = create_lo(tenant, a["trade_order_id"], (101, 1))
    [b1] = tenant.ship(b)
    codes = {i: tracking_code(tenant, i) for i in (a1, a2, b1)}
    assert listed_ids(tenant, tracking_numbers=[codes[a2]]) == [a["trade_order_id"]]
    assert listed_ids(tenant, tracking_numbers=[codes[a1], codes[a2]]) == [a["trade_order_id"]]
    assert order_list(tenant, tracking_numbers=[codes[a1], codes[a2]])["total_count"] == 1
    assert sorted(listed_ids(tenant, tracking_numbers=[codes[a1], codes[b1]])) == sorted(
        [a["trade_order_id"], b["trade_order_id"]]
    )
    assert listed_ids(tenant, tracking_numbers=["80000000000000"]) == []


def test_tracking_number_of_a_deleted_logistic_order_finds_nothing(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 103, "quantity": 1})
    [lo_id] = tenant.ship(order)
    code = tracking_code(tenant, lo_id)
    assert listed_ids(tenant, tracking_numbers=[code]) == [order["trade_order_id"]]
    resp = tenant.ae("logistic-order/delete", {"logistic_order_ids": [lo_id]})
    assert resp.json()["data"]["deletion_result_map"][str(lo_id)]["error_message"] is None
    # `logistic-order/get` no longer knows this tracking number; the order list must agree.
    got = tenant.ae("logistic-order/get", {"page": 1, "page_size": 10, "tracking_numbers": [code]}).json()
    assert got["data"]["page_info"]["total"] == 0
    assert order_list(tenant, tracking_numbers=[code]) == {"total_count": 0, "orders": []}


def test_filter_by_shipping_day(tenant: Tenant) -> None:
    placed = move_clock_to(tenant, weekday=3, hour_utc=6)  # Thursday: cut-off Friday
    friday_order = tenant.order({"sku_id": 111, "quantity": 1})["trade_order_id"]
    tenant.advance(86400)  # Friday 09:00 MSK: ready Saturday, cut-off Monday
    monday_order = tenant.order({"sku_id": 112, "quantity": 1})["trade_order_id"]
    tenant.advance(3 * 86400)  # Monday 09:00 MSK: cut-off Tuesday
    tuesday_order = tenant.order({"sku_id": 113, "quantity": 1})["trade_order_id"]
    friday = placed.date() + timedelta(days=1)
    monday, tuesday = friday + timedelta(days=3), friday + timedelta(days=4)
    assert one(tenant, friday_order)["cut_off_date"] == at(friday, "10:00:00")
    assert one(tenant, monday_order)["cut_off_date"] == at(monday, "10:00:00")
    assert one(tenant, tuesday_order)["cut_off_date"] == at(tuesday, "10:00:00")

    assert sorted(listed_ids(tenant, shipping_day_from=at(monday, "00:00:00"))) == sorted(
        [monday_order, tuesday_order]
    )
    assert sorted(listed_ids(tenant, shipping_day_to=at(monday, "23:59:59"))) == sorted(
        [friday_order, monday_order]
    )
    assert listed_ids(
        tenant, shipping_day_from=at(monday, "00:00:00"), shipping_day_to=at(monday, "23:59:59")
    ) == [monday_order]
    assert listed_ids(
        tenant, shipping_day_from=at(monday, "10:00:00"), shipping_day_to=at(monday, "10:00:00")
    ) == [monday_order]
    assert order_list(tenant, shipping_day_from=f"{monday.isoformat()}T00:00:00Z")["total_count"] == 2


# --- sorting and paging ------------------------------------------------------------------------
@pytest.fixture
def three_orders(tenant: Tenant) -> tuple[int, int, int]:
    """Trade orders A, B, C placed an hour apart; only A gets a logistic order (so is updated last)."""
    ids = []
    for _ in range(3):
        ids.append(tenant.order({"sku_id": 121, "quantity": 1})["trade_order_id"])
        tenant.advance(3600)
    a, b, c = ids
    create_lo(tenant, a, (121, 1))
    return a, b, c


@pytest.mark.parametrize(
    ("sorting", "expected"),
    [
        ({}, "CBA"),
        ({"sorting_order": "NONE"}, "CBA"),
        ({"sorting_order": "ASC"}, "ABC"),
        ({"sorting_order": "DESC"}, "CBA"),
        ({"sorting_order": "asc", "sorting_field": "created_at"}, "ABC"),
        ({"sorting_order": "DESC", "sorting_field": "id"}, "CBA"),
        ({"sorting_order": "ASC", "sorting_field": "ID"}, "ABC"),
        ({"sorting_order": "DESC", "sorting_field": "updated_at"}, "ACB"),
        ({"sorting_order": "ASC", "sorting_field": "updated_at"}, "BCA"),
        ({"sorting_order": "ASC", "sorting_field": "paid_at"}, "ABC"),
        ({"sorting_order": "Desc", "sorting_field": "Paid_At"}, "CBA"),
    ],
)
def test_sorting(tenant: Tenant, three_orders: tuple[int, int, int], sorting: Json, expected: str) -> None:
    by_name = dict(zip("ABC", three_orders, strict=True))
    assert listed_ids(tenant, **sorting) == [by_name[n] for n in expected]


def test_paging(tenant: Tenant) -> None:
    ids = []
    for _ in range(5):
        ids.append(tenant.order({"sku_id": 131, "quantity": 1})["trade_order_id"])
        tenant.advance(1)
    newest_first = list(reversed(ids))
    pages = []
    for page in (1, 2, 3, 4):
        data = order_list(tenant, page=page, page_size=2)
        assert data["total_count"] == 5
        pages.append([o["id"] for o in data["orders"]])
    assert pages == [newest_first[0:2], newest_first[2:4], newest_first[4:], []]


def test_created_at_follows_the_tenant_clock(tenant: Tenant) -> None:
    before = tenant.order({"sku_id": 141, "quantity": 1})
    now = dt(tenant.advance(5 * 86400))
    after = tenant.order({"sku_id": 142, "quantity": 1})
    o_before, o_after = one(tenant, before["trade_order_id"]), one(tenant, after["trade_order_id"])
    assert dt(o_after["created_at"]) >= now
    assert dt(o_after["created_at"]) - now < timedelta(minutes=1)
    assert dt(o_after["created_at"]) - dt(o_before["created_at"]) >= timedelta(days=5)
    assert dt(o_after["paid_at"]) == dt(o_after["created_at"])
    assert dt(o_after["cut_off_date"]) > now


# --- malformed requests ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"page_size": 10}, "page"),
        ({"page": 1}, "page_size"),
        ({"page": 1, "page_size": 0}, "page_size"),
        ({"page": 1, "page_size": 1001}, "page_size"),
        ({"page": 0, "page_size": 10}, "page"),
        ({"page": "1", "page_size": 10}, "page"),
        ({"page": 1, "page_size": 10, "trade_order_info": "Everything"}, "trade_order_info"),
        ({"page": 1, "page_size": 10, "sorting_order": "UP"}, "sorting_order"),
        ({"page": 1, "page_size": 10, "sorting_field": "price"}, "sorting_field"),
        ({"page": 1, "page_size": 10, "order_ids": ["x"]}, "order_ids[0]"),
        ({"page": 1, "page_size": 10, "date_start": "yesterday"}, "date_start"),
        ({"page": 1, "page_size": 10, "order_statuses": "Created"}, "order_statuses"),
    ],
    ids=[
        "no_page",
        "no_page_size",
        "page_size_zero",
        "page_size_too_big",
        "page_zero",
        "page_string",
        "trade_order_info",
        "sorting_order",
        "sorting_field",
        "order_ids_strings",
        "date",
        "statuses_string",
    ],
)
def test_bad_order_list_requests_are_400_naming_the_field(tenant: Tenant, body: Json, field: str) -> None:
    assert_validation_error(tenant.ae("order/get-order-list", body), field)


# --- repeated polls ----------------------------------------------------------------------------
def test_identical_polls_see_every_change(tenant: Tenant) -> None:
    """Sellers poll with the same body over and over: every write must show in the next answer."""
    poll: Json = {"page": 1, "page_size": 50, "trade_order_info": "LogisticInfo"}
    lo_poll: Json = {"page": 1, "page_size": 50}

    def orders() -> list[Json]:
        resp = tenant.ae("order/get-order-list", poll)
        assert resp.status_code == 200, resp.text
        return list(resp.json()["data"]["orders"])

    def logistic() -> list[Json]:
        resp = tenant.ae("logistic-order/get", lo_poll)
        assert resp.status_code == 200, resp.text
        return list(resp.json()["data"]["logistic_orders"])

    assert orders() == [] and logistic() == []
    order = tenant.order({"sku_id": 151, "quantity": 2})
    tid = order["trade_order_id"]
    assert [o["id"] for o in orders()] == [tid]

    first = create_lo(tenant, tid, (151, 1))
    [o] = orders()
    assert (o["status"], [lo["id"] for lo in o["logistic_orders"]]) == ("InProgress", [first])
    assert [lo["logistic_order_id"] for lo in logistic()] == [first]

    second = create_lo(tenant, tid, (151, 1))
    assert orders()[0]["fully_prepared"] is True
    assert sorted(lo["logistic_order_id"] for lo in logistic()) == sorted([first, second])

    resp = tenant.ae("handover-list/create", {"logistic_order_ids": [first]})
    list_id = resp.json()["data"]["handover_list_id"]
    assert {lo["logistic_order_id"]: lo["status"] for lo in logistic()} == {
        first: "AWAITING_REPORT_AS_SHIP",
        second: "AWAITING_ADDING_TO_HANDOVER",
    }

    before = {lo["logistic_order_id"]: lo["cut_off_date"] for lo in logistic()}
    assert tenant.ae("logistic-order/pass-today", {"order_id": first}).status_code == 200
    after = {lo["logistic_order_id"]: (lo["cut_off_date"], lo["handover_list_id"]) for lo in logistic()}
    assert after[first][0] > before[first] and after[first][1] == 0
    assert after[second][0] == before[second]

    resp = tenant.ae(
        "handover-list/add-logistic-orders", {"handover_list_id": list_id, "order_ids": [second]}
    )
    assert resp.status_code == 200, resp.text
    assert tenant.ae("handover-list/transfer", {"handover_list_id": list_id}).status_code == 200
    assert {lo["id"]: lo["status"] for lo in orders()[0]["logistic_orders"]} == {
        first: "AwaitingHandoverList",
        second: "OrderReceivedFromSeller",
    }

    resp = tenant.ae("logistic-order/delete", {"logistic_order_ids": [first]})
    assert resp.json()["data"]["deletion_result_map"][str(first)]["error_message"] is None
    assert [lo["logistic_order_id"] for lo in logistic()] == [second]
    [o] = orders()
    assert [lo["id"] for lo in o["logistic_orders"]] == [second]
    assert o["fully_prepared"] is False

    later = tenant.order({"sku_id": 152, "quantity": 1})
    assert [o["id"] for o in orders()] == [later["trade_order_id"], tid]


def test_delivery_status_follows_the_units_handed_to_the_carrier(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 161, "quantity": 2})
    other = tenant.order({"sku_id": 162, "quantity": 1})
    tid = order["trade_order_id"]
    first = create_lo(tenant, tid, (161, 1))
    second = create_lo(tenant, tid, (161, 1))

    def hand_over(lo_id: int) -> None:
        resp = tenant.ae("handover-list/create", {"logistic_order_ids": [lo_id]})
        assert resp.status_code == 200, resp.text
        list_id = resp.json()["data"]["handover_list_id"]
        assert tenant.ae("handover-list/transfer", {"handover_list_id": list_id}).status_code == 200

    def progress() -> tuple[str, str]:
        o = one(tenant, tid)
        return o["delivery_status"], o["order_display_status"]

    assert progress() == ("Init", "WaitSendGoods")
    hand_over(first)
    assert progress() == ("PartialShipped", "PartialSendGoods")
    hand_over(second)
    assert progress() == ("Shipped", "WaitAcceptGoods")
    assert listed_ids(tenant, delivery_statuses=["Shipped"]) == [tid]
    assert listed_ids(tenant, delivery_statuses=["Init"]) == [other["trade_order_id"]]
    assert one(tenant, other["trade_order_id"])["delivery_status"] == "Init"
