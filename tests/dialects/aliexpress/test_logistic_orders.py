"""`logistic-order/create`, `/get`, `/delete` and `/pass-today` over real HTTP, on every backend.

The expectations come from the seed (`shared/seeds/002_*.txt`, the AliExpress doc) and from
`docs/assumptions.md` where the seed is silent.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from tests.checks import luhn_valid
from tests.conftest import Tenant
from tests.dialects.aliexpress.helpers import dt, move_clock_to, z
from tests.dialects.aliexpress.seed import CREATE_FAILURE_EXAMPLE, GET_EXAMPLE, SEED_CREATE_SKU, assert_shape

Json = dict[str, Any]

MICROS_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$")
SECONDS_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")
MSK = timezone(timedelta(hours=3))
UNKNOWN_TRADE_ORDER = 1  # ids below 5,000,000,000,000,001 are reserved for demo fixtures
UNKNOWN_LOGISTIC_ORDER = 19_999_999  # below the first id ever assigned (20,000,001)

# The seed get example's receiver address.
ADDRESS: Json = copy.deepcopy(GET_EXAMPLE["data"]["logistic_orders"][0]["addresses"]["receiver_address"])


# --- helpers -----------------------------------------------------------------------------------
def lo_body(trade_order_id: int, *items: Json, **dims: Any) -> Json:
    """One entry of `orders` in a `logistic-order/create` request (the seed's dimensions)."""
    return {
        "trade_order_id": trade_order_id,
        "total_length": 20,
        "total_width": 10,
        "total_height": 5,
        "total_weight": 1.5,
        **dims,
        "items": list(items),
    }


def create(t: Tenant, *orders: Json) -> httpx.Response:
    return t.ae("logistic-order/create", {"orders": list(orders)})


def created_ids(resp: httpx.Response) -> list[int]:
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert "error" not in body, body
    return [lo["id"] for o in body["data"]["orders"] for lo in o["logistic_orders"]]


def find(t: Tenant, **filters: Any) -> Json:
    resp = t.ae("logistic-order/get", {"page": 1, "page_size": 100, **filters})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["error"] is None
    data: Json = body["data"]
    return data


def found_ids(t: Tenant, **filters: Any) -> list[int]:
    return [lo["logistic_order_id"] for lo in find(t, **filters)["logistic_orders"]]


def one(t: Tenant, lo_id: int) -> Json:
    [lo] = find(t, logistic_order_ids=[lo_id])["logistic_orders"]
    assert isinstance(lo, dict)
    return lo


def delete(t: Tenant, *ids: int) -> Json:
    resp = t.ae("logistic-order/delete", {"logistic_order_ids": list(ids)})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["error"] is None
    result: Json = body["data"]["deletion_result_map"]
    return result


def handover(t: Tenant, *ids: int) -> int:
    resp = t.ae("handover-list/create", {"logistic_order_ids": list(ids)})
    assert resp.status_code == 200, resp.text
    list_id: int = resp.json()["data"]["handover_list_id"]
    return list_id


def transfer(t: Tenant, list_id: int) -> None:
    resp = t.ae("handover-list/transfer", {"handover_list_id": list_id})
    assert resp.status_code == 200, resp.text


def handover_members(t: Tenant, list_id: int) -> list[int]:
    resp = t.ae(
        "handover-list/get-by-filter", {"page_size": 10, "page_number": 1, "handover_list_ids": [list_id]}
    )
    assert resp.status_code == 200, resp.text
    [listed] = resp.json()["data"]["data_source"]
    return list(listed["logistic_order_ids"])


def trade_order_status(t: Tenant, trade_order_id: int) -> str:
    resp = t.ae("order/get-order-list", {"page": 1, "page_size": 1, "order_ids": [trade_order_id]})
    assert resp.status_code == 200, resp.text
    [order] = resp.json()["data"]["orders"]
    return str(order["status"])


def pass_today(t: Tenant, lo_id: int) -> httpx.Response:
    return t.ae("logistic-order/pass-today", {"order_id": lo_id})


def next_working_day_10_utc(cut_off: datetime) -> datetime:
    day = cut_off.astimezone(MSK).date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def assert_validation_error(resp: httpx.Response, field: str | None) -> None:
    """400 in the AliExpress envelope; the field is named in the message and in `details.field`."""
    assert resp.status_code == 400, resp.text
    body = resp.json()
    assert set(body) == {"data", "error"}
    assert body["data"] is None
    assert body["error"]["code"] == "ErrorCode.ValidationError"
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if field is not None:
        assert field in body["error"]["message"], body
        assert body["error"]["details"] == {"field": field}, body


def assert_refused(resp: httpx.Response, errors: Json) -> None:
    """A refused create: HTTP 200, `orders: []`, the problems in `data.errors`, `error: null`."""
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"data": {"orders": [], "errors": errors}, "error": None}


# --- create: success ---------------------------------------------------------------------------
def test_create_with_the_seed_request_answers_exactly_the_seed_success_shape(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": SEED_CREATE_SKU, "quantity": 3})
    tid = order["trade_order_id"]
    resp = tenant.ae(
        "logistic-order/create",
        {
            "orders": [
                {
                    "trade_order_id": tid,
                    "total_length": 20,
                    "total_width": 10,
                    "total_height": 5,
                    "total_weight": 1.5,
                    "items": [{"quantity": 1, "sku_id": SEED_CREATE_SKU}],
                }
            ]
        },
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert list(body) == ["data"], "a full success has no `error` key (seed example)"
    assert list(body["data"]) == ["orders"]
    [created] = body["data"]["orders"]
    assert set(created) == {"trade_order_id", "logistic_orders"}
    assert created["trade_order_id"] == tid
    [lo] = created["logistic_orders"]
    assert {"id", "lines"} <= set(lo)
    assert isinstance(lo["id"], int) and lo["id"] >= 20_000_001
    assert lo["lines"] == [{"sku_id": SEED_CREATE_SKU, "product_source_id": 0, "quantity": 1}]
    assert set(lo) <= {"id", "lines", "track_number"}
    got = one(tenant, lo["id"])
    assert got["trade_order_id"] == tid
    assert got["items_count"] == 1
    assert lo.get("track_number", got["platform_tracking_code"]) == got["platform_tracking_code"]


def test_create_returns_one_line_per_requested_sku(tenant: Tenant) -> None:
    order = tenant.order(
        {"sku_id": 11, "quantity": 2}, {"sku_id": 12, "quantity": 4}, {"sku_id": 13, "quantity": 1}
    )
    tid = order["trade_order_id"]
    resp = create(
        tenant,
        lo_body(tid, {"sku_id": 12, "quantity": 3}, {"sku_id": 11, "quantity": 2, "product_source_id": 0}),
    )
    [lo_id] = created_ids(resp)
    [lo] = resp.json()["data"]["orders"][0]["logistic_orders"]
    assert lo["lines"] == [
        {"sku_id": 12, "product_source_id": 0, "quantity": 3},
        {"sku_id": 11, "product_source_id": 0, "quantity": 2},
    ]
    got = one(tenant, lo_id)
    assert got["items_count"] == 5
    assert {i["sku_id"]: i["quantity"] for i in got["items"]} == {12: 3, 11: 2}


def test_split_shipments_hold_units_until_the_ordered_quantity_is_reached(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 21, "quantity": 5}, {"sku_id": 22, "quantity": 1})
    tid = order["trade_order_id"]
    [first] = created_ids(create(tenant, lo_body(tid, {"sku_id": 21, "quantity": 2})))
    [second] = created_ids(
        create(tenant, lo_body(tid, {"sku_id": 21, "quantity": 3}, {"sku_id": 22, "quantity": 1}))
    )
    assert first != second

    listed = find(tenant, trade_order_ids=[tid])
    assert listed["page_info"]["total"] == 2
    counts = {lo["logistic_order_id"]: lo["items_count"] for lo in listed["logistic_orders"]}
    assert counts == {first: 2, second: 4}
    assert (
        sum(i["quantity"] for lo in listed["logistic_orders"] for i in lo["items"] if i["sku_id"] == 21) == 5
    )

    resp = create(tenant, lo_body(tid, {"sku_id": 21, "quantity": 1}))
    assert resp.status_code == 200
    errors = resp.json()["data"]["errors"]
    assert errors["common_errors"] is None
    [err] = errors["item_errors"]
    assert (err["trade_order_id"], err["sku_id"], err["code"]) == (tid, 21, "QuantityExceeded")
    assert "запрошено 1" in err["message"] and "доступно 0" in err["message"]
    assert find(tenant, trade_order_ids=[tid])["page_info"]["total"] == 2


def test_split_shipments_in_one_request_create_one_logistic_order_per_entry(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 31, "quantity": 3})
    tid = order["trade_order_id"]
    resp = create(
        tenant, lo_body(tid, {"sku_id": 31, "quantity": 1}), lo_body(tid, {"sku_id": 31, "quantity": 2})
    )
    ids = created_ids(resp)
    assert len(ids) == 2 and len(set(ids)) == 2
    [entry] = resp.json()["data"]["orders"]
    assert entry["trade_order_id"] == tid
    assert [lo["lines"][0]["quantity"] for lo in entry["logistic_orders"]] == [1, 2]
    assert sorted(lo["items_count"] for lo in find(tenant, trade_order_ids=[tid])["logistic_orders"]) == [
        1,
        2,
    ]


# --- create: refusals --------------------------------------------------------------------------
def test_over_allocation_is_refused_with_quantity_exceeded_and_creates_nothing(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 41, "quantity": 2})
    tid = order["trade_order_id"]
    resp = create(tenant, lo_body(tid, {"sku_id": 41, "quantity": 3}))
    assert resp.status_code == 200
    body = resp.json()
    assert body["error"] is None
    assert body["data"]["orders"] == []
    errors = body["data"]["errors"]
    assert errors["common_errors"] is None
    [err] = errors["item_errors"]
    assert set(err) == {"trade_order_id", "sku_id", "code", "message"}
    assert (err["trade_order_id"], err["sku_id"], err["code"]) == (tid, 41, "QuantityExceeded")
    assert "запрошено 3" in err["message"] and "доступно 2" in err["message"]
    assert find(tenant, trade_order_ids=[tid]) == {
        "logistic_orders": [],
        "page_info": {"current": 1, "page_size": 100, "total": 0},
    }
    assert find(tenant)["page_info"]["total"] == 0
    assert trade_order_status(tenant, tid) == "Created"


def test_over_allocation_across_entries_of_one_request_creates_nothing(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 42, "quantity": 3})
    tid = order["trade_order_id"]
    resp = create(
        tenant, lo_body(tid, {"sku_id": 42, "quantity": 2}), lo_body(tid, {"sku_id": 42, "quantity": 2})
    )
    assert resp.status_code == 200
    data = resp.json()["data"]
    assert data["orders"] == []
    assert [e["code"] for e in data["errors"]["item_errors"]] == ["QuantityExceeded"]
    assert found_ids(tenant, trade_order_ids=[tid]) == []


def test_unknown_trade_order_answers_exactly_the_seed_failure_example(tenant: Tenant) -> None:
    resp = create(tenant, lo_body(UNKNOWN_TRADE_ORDER, {"sku_id": SEED_CREATE_SKU, "quantity": 1}))
    assert resp.status_code == 200
    assert resp.json() == CREATE_FAILURE_EXAMPLE


def test_another_sellers_trade_order_is_reported_as_not_found(tenant: Tenant, other_tenant: Tenant) -> None:
    foreign = other_tenant.order({"sku_id": 51, "quantity": 2})
    resp = create(tenant, lo_body(foreign["trade_order_id"], {"sku_id": 51, "quantity": 1}))
    assert resp.status_code == 200
    assert resp.json() == CREATE_FAILURE_EXAMPLE
    assert find(other_tenant)["page_info"]["total"] == 0
    assert find(tenant)["page_info"]["total"] == 0
    assert trade_order_status(other_tenant, foreign["trade_order_id"]) == "Created"


def test_sku_not_in_the_order_is_an_item_error(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 61, "quantity": 2})
    tid = order["trade_order_id"]
    resp = create(tenant, lo_body(tid, {"sku_id": 61, "quantity": 1}, {"sku_id": 62, "quantity": 1}))
    assert resp.status_code == 200
    data = resp.json()["data"]
    assert data["orders"] == []
    assert data["errors"]["common_errors"] is None
    [err] = data["errors"]["item_errors"]
    assert (err["trade_order_id"], err["sku_id"], err["code"]) == (tid, 62, "SkuNotInOrder")
    assert found_ids(tenant, trade_order_ids=[tid]) == []


def test_unknown_product_source_is_not_the_ordered_sku(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 63, "quantity": 2})
    tid = order["trade_order_id"]
    resp = create(tenant, lo_body(tid, {"sku_id": 63, "quantity": 1, "product_source_id": 7}))
    [err] = resp.json()["data"]["errors"]["item_errors"]
    assert (err["sku_id"], err["code"]) == (63, "SkuNotInOrder")
    assert found_ids(tenant, trade_order_ids=[tid]) == []


def test_duplicate_sku_in_one_logistic_order_is_an_item_error(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 71, "quantity": 4})
    tid = order["trade_order_id"]
    resp = create(tenant, lo_body(tid, {"sku_id": 71, "quantity": 1}, {"sku_id": 71, "quantity": 1}))
    assert resp.status_code == 200
    data = resp.json()["data"]
    assert data["orders"] == []
    [err] = data["errors"]["item_errors"]
    assert (err["trade_order_id"], err["sku_id"], err["code"]) == (tid, 71, "DuplicateSku")
    assert found_ids(tenant, trade_order_ids=[tid]) == []


@pytest.mark.parametrize(
    "bad",
    ["unknown_trade_order", "foreign_trade_order", "sku_not_in_order", "over_allocation", "duplicate_sku"],
)
def test_create_is_all_or_nothing_across_orders(tenant: Tenant, other_tenant: Tenant, bad: str) -> None:
    good = tenant.order({"sku_id": 81, "quantity": 1})
    second = tenant.order({"sku_id": 82, "quantity": 1})
    foreign = other_tenant.order({"sku_id": 82, "quantity": 1})
    bad_entry = {
        "unknown_trade_order": lo_body(UNKNOWN_TRADE_ORDER, {"sku_id": 82, "quantity": 1}),
        "foreign_trade_order": lo_body(foreign["trade_order_id"], {"sku_id": 82, "quantity": 1}),
        "sku_not_in_order": lo_body(second["trade_order_id"], {"sku_id": 83, "quantity": 1}),
        "over_allocation": lo_body(second["trade_order_id"], {"sku_id": 82, "quantity": 2}),
        "duplicate_sku": lo_body(
            second["trade_order_id"], {"sku_id": 82, "quantity": 1}, {"sku_id": 82, "quantity": 1}
        ),
    }[bad]
    resp = create(tenant, lo_body(good["trade_order_id"], {"sku_id": 81, "quantity": 1}), bad_entry)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["error"] is None
    assert body["data"]["orders"] == []
    errors = body["data"]["errors"]
    assert errors["common_errors"] or errors["item_errors"]
    assert find(tenant)["page_info"]["total"] == 0
    assert trade_order_status(tenant, good["trade_order_id"]) == "Created"
    # ... and the good order alone still goes through afterwards.
    assert (
        len(created_ids(create(tenant, lo_body(good["trade_order_id"], {"sku_id": 81, "quantity": 1})))) == 1
    )


def test_every_problem_of_a_request_is_reported(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 91, "quantity": 1})
    tid = order["trade_order_id"]
    resp = create(
        tenant,
        lo_body(UNKNOWN_TRADE_ORDER, {"sku_id": 91, "quantity": 1}),
        lo_body(tid, {"sku_id": 91, "quantity": 2}, {"sku_id": 92, "quantity": 1}),
    )
    assert resp.status_code == 200
    errors = resp.json()["data"]["errors"]
    assert errors["common_errors"] == [{"code": "NoTradeOrderFound", "message": "Заказ не найден"}]
    assert sorted((e["sku_id"], e["code"]) for e in errors["item_errors"]) == [
        (91, "QuantityExceeded"),
        (92, "SkuNotInOrder"),
    ]
    assert all(e["trade_order_id"] == tid for e in errors["item_errors"])
    assert find(tenant)["page_info"]["total"] == 0


def test_a_trade_order_moves_to_in_progress_with_its_first_logistic_order(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 95, "quantity": 2})
    assert order["status"] == "Created"
    assert trade_order_status(tenant, order["trade_order_id"]) == "Created"
    created_ids(create(tenant, lo_body(order["trade_order_id"], {"sku_id": 95, "quantity": 1})))
    assert trade_order_status(tenant, order["trade_order_id"]) == "InProgress"


# --- create: jewelry marking ------------------------------------------------------------------
def jewelry_order(t: Tenant, sku: int = 101, quantity: int = 2) -> Json:
    return t.order({"sku_id": sku, "quantity": quantity, "jewelry": True, "marking_required": True})


def test_jewelry_codes_one_per_unit_are_stored_and_returned_by_get(tenant: Tenant) -> None:
    order = jewelry_order(tenant)
    assert order["lines"][0]["jewelry"] is True and order["lines"][0]["marking_required"] is True
    codes = [
        {"sku_index": 0, "codes": ["4095436341322049", "2314167189189686"]},
        {"sku_index": 1, "codes": ["AB12CD34"]},
    ]
    [lo_id] = created_ids(
        create(
            tenant, lo_body(order["trade_order_id"], {"sku_id": 101, "quantity": 2, "jewelry_codes": codes})
        )
    )
    [item] = one(tenant, lo_id)["items"]
    assert item["marking_required"] is True
    assert sorted(item["jewelry_codes"], key=lambda j: j["sku_index"]) == codes


def test_jewelry_codes_may_come_in_any_index_order(tenant: Tenant) -> None:
    order = jewelry_order(tenant)
    codes = [{"sku_index": 1, "codes": ["B1"]}, {"sku_index": 0, "codes": ["A0"]}]
    [lo_id] = created_ids(
        create(
            tenant, lo_body(order["trade_order_id"], {"sku_id": 101, "quantity": 2, "jewelry_codes": codes})
        )
    )
    [item] = one(tenant, lo_id)["items"]
    assert sorted((j["sku_index"], j["codes"]) for j in item["jewelry_codes"]) == [(0, ["A0"]), (1, ["B1"])]


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (None, "JewelryCodesRequired"),
        ([], "JewelryCodesRequired"),
        ([{"sku_index": 0, "codes": ["A1"]}], "JewelryCodesRequired"),
        ([{"sku_index": 1, "codes": ["A1"]}, {"sku_index": 2, "codes": ["A2"]}], "JewelryCodesRequired"),
        ([{"sku_index": 0, "codes": ["A1"]}, {"sku_index": 0, "codes": ["A2"]}], "JewelryCodesRequired"),
        ([{"sku_index": 0, "codes": ["A1"]}, {"sku_index": 1, "codes": []}], "JewelryCodesRequired"),
        ([{"sku_index": 0, "codes": ["A-1"]}, {"sku_index": 1, "codes": ["A2"]}], "InvalidJewelryCode"),
        ([{"sku_index": 0, "codes": ["A" * 65]}, {"sku_index": 1, "codes": ["A2"]}], "InvalidJewelryCode"),
        ([{"sku_index": 0, "codes": ["A1"]}, {"sku_index": 1, "codes": ["A1"]}], "DuplicateJewelryCode"),
    ],
    ids=[
        "missing",
        "empty",
        "one_unit_short",
        "wrong_indexes",
        "index_twice",
        "unit_without_code",
        "not_alphanumeric",
        "too_long",
        "duplicate",
    ],
)
def test_bad_jewelry_codes_are_refused(tenant: Tenant, codes: list[Json] | None, expected: str) -> None:
    order = jewelry_order(tenant)
    item: Json = {"sku_id": 101, "quantity": 2}
    if codes is not None:
        item["jewelry_codes"] = codes
    resp = create(tenant, lo_body(order["trade_order_id"], item))
    assert resp.status_code == 200, resp.text
    data = resp.json()["data"]
    assert data["orders"] == []
    [err] = data["errors"]["item_errors"]
    assert (err["trade_order_id"], err["sku_id"], err["code"]) == (order["trade_order_id"], 101, expected)
    assert found_ids(tenant, trade_order_ids=[order["trade_order_id"]]) == []


def test_jewelry_codes_for_an_item_without_marking_are_refused(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 111, "quantity": 1, "jewelry": False, "marking_required": False})
    resp = create(
        tenant,
        lo_body(
            order["trade_order_id"],
            {"sku_id": 111, "quantity": 1, "jewelry_codes": [{"sku_index": 0, "codes": ["A1"]}]},
        ),
    )
    [err] = resp.json()["data"]["errors"]["item_errors"]
    assert (err["sku_id"], err["code"]) == (111, "JewelryCodesNotAllowed")
    assert found_ids(tenant, trade_order_ids=[order["trade_order_id"]]) == []


def test_jewelry_without_marking_needs_no_codes(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 112, "quantity": 2, "jewelry": True, "marking_required": False})
    [lo_id] = created_ids(create(tenant, lo_body(order["trade_order_id"], {"sku_id": 112, "quantity": 2})))
    [item] = one(tenant, lo_id)["items"]
    assert item["marking_required"] is False
    assert "jewelry_codes" not in item


def test_marking_without_jewelry_needs_no_codes(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 113, "quantity": 1, "jewelry": False, "marking_required": True})
    [lo_id] = created_ids(create(tenant, lo_body(order["trade_order_id"], {"sku_id": 113, "quantity": 1})))
    [item] = one(tenant, lo_id)["items"]
    assert item["marking_required"] is True
    assert "jewelry_codes" not in item


# --- create: malformed requests ----------------------------------------------------------------
Mutation = Callable[[Json], None]


def _set(path: str, value: Any) -> Mutation:
    def apply(body: Json) -> None:
        target: Any = body
        keys: list[Any] = [int(k) if k.isdigit() else k for k in re.split(r"[.\[\]]+", path) if k]
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return apply


def _drop(path: str) -> Mutation:
    def apply(body: Json) -> None:
        target: Any = body
        keys: list[Any] = [int(k) if k.isdigit() else k for k in re.split(r"[.\[\]]+", path) if k]
        for key in keys[:-1]:
            target = target[key]
        del target[keys[-1]]

    return apply


def _many_orders(body: Json) -> None:
    body["orders"] = [copy.deepcopy(body["orders"][0]) for _ in range(101)]


def _many_items(body: Json) -> None:
    body["orders"][0]["items"] = [{"sku_id": 1000 + i, "quantity": 1} for i in range(501)]


BAD_CREATE_BODIES: list[tuple[str, Mutation, str]] = [
    ("weight_zero", _set("orders[0].total_weight", 0), "orders[0].total_weight"),
    ("weight_negative", _set("orders[0].total_weight", -1.5), "orders[0].total_weight"),
    ("weight_string", _set("orders[0].total_weight", "1.5"), "orders[0].total_weight"),
    ("length_zero", _set("orders[0].total_length", 0), "orders[0].total_length"),
    ("width_negative", _set("orders[0].total_width", -10), "orders[0].total_width"),
    ("height_zero", _set("orders[0].total_height", 0), "orders[0].total_height"),
    ("length_string", _set("orders[0].total_length", "20"), "orders[0].total_length"),
    ("length_fractional", _set("orders[0].total_length", 20.5), "orders[0].total_length"),
    ("quantity_zero", _set("orders[0].items[0].quantity", 0), "orders[0].items[0].quantity"),
    ("quantity_negative", _set("orders[0].items[0].quantity", -1), "orders[0].items[0].quantity"),
    ("quantity_string", _set("orders[0].items[0].quantity", "1"), "orders[0].items[0].quantity"),
    ("quantity_boolean", _set("orders[0].items[0].quantity", True), "orders[0].items[0].quantity"),
    ("sku_string", _set("orders[0].items[0].sku_id", "abc"), "orders[0].items[0].sku_id"),
    ("sku_zero", _set("orders[0].items[0].sku_id", 0), "orders[0].items[0].sku_id"),
    ("trade_order_string", _set("orders[0].trade_order_id", "x"), "orders[0].trade_order_id"),
    ("trade_order_negative", _set("orders[0].trade_order_id", -5), "orders[0].trade_order_id"),
    (
        "product_source_negative",
        _set("orders[0].items[0].product_source_id", -1),
        "orders[0].items[0].product_source_id",
    ),
    (
        "sku_index_negative",
        _set("orders[0].items[0].jewelry_codes", [{"sku_index": -1, "codes": ["A"]}]),
        "orders[0].items[0].jewelry_codes[0].sku_index",
    ),
    (
        "codes_not_a_list",
        _set("orders[0].items[0].jewelry_codes", [{"sku_index": 0, "codes": "A1"}]),
        "orders[0].items[0].jewelry_codes[0].codes",
    ),
    ("missing_trade_order_id", _drop("orders[0].trade_order_id"), "orders[0].trade_order_id"),
    ("missing_weight", _drop("orders[0].total_weight"), "orders[0].total_weight"),
    ("missing_height", _drop("orders[0].total_height"), "orders[0].total_height"),
    ("missing_items", _drop("orders[0].items"), "orders[0].items"),
    ("missing_quantity", _drop("orders[0].items[0].quantity"), "orders[0].items[0].quantity"),
    ("missing_sku", _drop("orders[0].items[0].sku_id"), "orders[0].items[0].sku_id"),
    ("missing_orders", _drop("orders"), "orders"),
    ("empty_orders", _set("orders", []), "orders"),
    ("orders_object", _set("orders", {}), "orders"),
    ("orders_null", _set("orders", None), "orders"),
    ("empty_items", _set("orders[0].items", []), "orders[0].items"),
    ("items_null", _set("orders[0].items", None), "orders[0].items"),
    ("order_not_object", _set("orders[0]", 5), "orders[0]"),
    ("too_many_orders", _many_orders, "orders"),
    ("too_many_items", _many_items, "orders[0].items"),
]


@pytest.mark.parametrize(
    ("mutate", "field"),
    [(m, f) for _, m, f in BAD_CREATE_BODIES],
    ids=[name for name, _, _ in BAD_CREATE_BODIES],
)
def test_malformed_create_requests_are_400_naming_the_field(
    tenant: Tenant, mutate: Mutation, field: str
) -> None:
    order = tenant.order({"sku_id": 121, "quantity": 3})
    body: Json = {"orders": [lo_body(order["trade_order_id"], {"sku_id": 121, "quantity": 1})]}
    mutate(body)
    assert_validation_error(tenant.ae("logistic-order/create", body), field)
    assert find(tenant)["page_info"]["total"] == 0


def test_an_error_in_the_second_order_names_its_index(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 122, "quantity": 3})
    tid = order["trade_order_id"]
    resp = create(
        tenant,
        lo_body(tid, {"sku_id": 122, "quantity": 1}),
        lo_body(tid, {"sku_id": 122, "quantity": 1}, total_weight=0),
    )
    assert_validation_error(resp, "orders[1].total_weight")
    assert find(tenant)["page_info"]["total"] == 0


@pytest.mark.parametrize(
    "raw",
    [b"", b"   ", b"{not json", b"[]", b"null", b'"orders"', b"42", b"\xff\xfe"],
    ids=["empty", "whitespace", "not_json", "array", "null", "string", "number", "binary"],
)
def test_bodies_that_are_not_a_json_object_are_400(http: httpx.Client, tenant: Tenant, raw: bytes) -> None:
    resp = http.post(
        "/seller-api/v1/logistic-order/create",
        content=raw,
        headers={"x-auth-token": tenant.token, "content-type": "application/json"},
    )
    assert_validation_error(resp, None)


def test_unknown_fields_are_ignored(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 123, "quantity": 1})
    entry = lo_body(
        order["trade_order_id"], {"sku_id": 123, "quantity": 1, "color": "red"}, danger_type="General"
    )
    resp = tenant.ae("logistic-order/create", {"orders": [entry], "request_id": "abc"})
    assert len(created_ids(resp)) == 1


@pytest.mark.parametrize("length", [2**31, 2**63], ids=["beyond_int32", "beyond_int64"])
def test_oversized_dimensions_never_cause_a_server_error(tenant: Tenant, length: int) -> None:
    order = tenant.order({"sku_id": 124, "quantity": 1})
    resp = create(
        tenant, lo_body(order["trade_order_id"], {"sku_id": 124, "quantity": 1}, total_length=length)
    )
    assert resp.status_code in (200, 400), resp.text
    if resp.status_code == 400:
        assert_validation_error(resp, "orders[0].total_length")
        assert find(tenant)["page_info"]["total"] == 0
    else:
        [lo_id] = created_ids(resp)
        assert one(tenant, lo_id)["logistic_order_id"] == lo_id


# --- get: shape --------------------------------------------------------------------------------
def test_get_returns_every_key_of_the_seed_example_with_its_type(tenant: Tenant) -> None:
    order = tenant.order(
        {
            "sku_id": 12000030050065440,
            "quantity": 2,
            "name": "TEST_MARKING_REQUIRED",
            "item_price": 46036,
            "marking_required": False,
            "jewelry": False,
        },
        {
            "sku_id": 12000040018902276,
            "quantity": 1,
            "name": "QA Gold Ring Lux",
            "item_price": 34466,
            "marking_required": True,
            "jewelry": True,
        },
        receiver_address=ADDRESS,
        buyer_name="Сократ Гурьевич Абрамов",
    )
    tid = order["trade_order_id"]
    codes = [{"sku_index": 0, "codes": ["4095436341322049", "2314167189189686"]}]
    resp = create(
        tenant,
        lo_body(
            tid,
            {"sku_id": 12000030050065440, "quantity": 2},
            {"sku_id": 12000040018902276, "quantity": 1, "jewelry_codes": codes},
        ),
    )
    [lo_id] = created_ids(resp)
    track = resp.json()["data"]["orders"][0]["logistic_orders"][0].get("track_number")

    body = tenant.ae("logistic-order/get", {"page_size": 25, "page": 1, "logistic_order_ids": [lo_id]}).json()
    assert body["error"] is None
    example = copy.deepcopy(GET_EXAMPLE["data"])
    example_items = example["logistic_orders"][0].pop("items")
    assert_shape(body["data"], example)
    assert body["data"]["page_info"] == {"current": 1, "page_size": 25, "total": 1}

    [lo] = body["data"]["logistic_orders"]
    assert lo["logistic_order_id"] == lo_id
    assert lo["trade_order_id"] == tid
    assert lo["handover_list_id"] == 0
    assert SECONDS_RE.match(lo["cut_off_date"]), lo["cut_off_date"]
    assert dt(lo["cut_off_date"]) == dt(order["cut_off_date"])
    assert lo["status"] == "AWAITING_ADDING_TO_HANDOVER"
    assert lo["state_status_name"] == "Awaiting handover list"
    assert re.fullmatch(r"\d{14}", lo["platform_tracking_code"])
    if track is not None:
        assert track == lo["platform_tracking_code"]
    assert lo["items_count"] == 3
    assert MICROS_RE.match(lo["gmt_create"]), lo["gmt_create"]
    assert lo["trade_order_source"] == "LocalTrade"
    assert lo["total_amount"] == order["total_amount"] == 2 * 46036 + 34466
    assert lo["buyer_name"] == "Сократ Гурьевич Абрамов"
    assert lo["buyer_country_code"] == "643"
    assert lo["addresses"] == {"receiver_address": ADDRESS}
    assert (
        lo["external_provider"],
        lo["last_mile_provider"],
        lo["first_mile_provider"],
        lo["first_mile"],
        lo["danger_type"],
    ) == (6488, "OFFLINE", "OFFLINE", "offline", "General")
    assert "creation_error" not in lo and "problem_state" not in lo

    plain, ring = lo["items"]
    assert_shape(plain, example_items[0])
    assert_shape(ring, {**example_items[2], "marking_required": True})
    lines = {line["sku_id"]: line for line in order["lines"]}
    for item, quantity in ((plain, 2), (ring, 1)):
        line = lines[item["sku_id"]]
        assert item["item_id"] == line["item_id"]
        assert item["name"] == line["name"]
        assert item["item_price"] == line["item_price"]
        assert item["quantity"] == quantity
        assert item["total_amount"] == line["item_price"] * quantity
        assert item["currency"] == "RUB"
        assert item["product_source_id"] == 0
        assert item["properties"] == [] or all(isinstance(p, str) for p in item["properties"])
        assert str(item["item_id"]) in item["mobile_url"] and str(item["item_id"]) in item["web_url"]
        assert item["marking_required"] is line["marking_required"]
    assert (plain["name"], plain["item_price"], plain["total_amount"]) == (
        "TEST_MARKING_REQUIRED",
        46036,
        92072,
    )
    assert "jewelry_codes" not in plain
    assert ring["jewelry_codes"] == codes


def test_tracking_code_is_8_then_the_padded_id_then_a_luhn_digit(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 131, "quantity": 2})
    tid = order["trade_order_id"]
    ids = created_ids(
        create(
            tenant, lo_body(tid, {"sku_id": 131, "quantity": 1}), lo_body(tid, {"sku_id": 131, "quantity": 1})
        )
    )
    codes = set()
    for lo_id in ids:
        code = one(tenant, lo_id)["platform_tracking_code"]
        assert code.startswith(f"8{lo_id:012d}") and len(code) == 14, code
        assert luhn_valid(code), code
        codes.add(code)
    assert len(codes) == 2


def test_seed_get_request_pages_one_order_at_a_time(tenant: Tenant) -> None:
    for sku in (141, 142, 143):
        tenant.ship(tenant.order({"sku_id": sku, "quantity": 1}))
    body = tenant.ae("logistic-order/get", {"page_size": 1, "page": 1}).json()
    assert body["error"] is None
    assert len(body["data"]["logistic_orders"]) == 1
    assert body["data"]["page_info"] == {"current": 1, "page_size": 1, "total": 3}


def test_common_info_omits_items_addresses_and_providers(tenant: Tenant) -> None:
    [lo_id] = tenant.ship(tenant.order({"sku_id": 151, "quantity": 1}))
    full = one(tenant, lo_id)
    for info in ("Common", "common", "COMMON"):
        [lo] = find(tenant, logistic_order_ids=[lo_id], logistic_order_info=info)["logistic_orders"]
        for key in (
            "items",
            "addresses",
            "external_provider",
            "last_mile_provider",
            "first_mile_provider",
            "first_mile",
            "danger_type",
        ):
            assert key not in lo, (info, key)
        assert lo == {k: v for k, v in full.items() if k in lo}
        assert {
            "logistic_order_id",
            "trade_order_id",
            "cut_off_date",
            "status",
            "platform_tracking_code",
            "items_count",
            "gmt_create",
            "total_amount",
            "buyer_name",
        } <= set(lo)
    [explicit] = find(tenant, logistic_order_ids=[lo_id], logistic_order_info="All")["logistic_orders"]
    assert explicit == full


# --- get: filters ------------------------------------------------------------------------------
def test_filters_by_ids_tracking_numbers_and_trade_orders(tenant: Tenant) -> None:
    a_order = tenant.order({"sku_id": 161, "quantity": 2})
    b_order = tenant.order({"sku_id": 162, "quantity": 1})
    a1, a2 = created_ids(
        create(
            tenant,
            lo_body(a_order["trade_order_id"], {"sku_id": 161, "quantity": 1}),
            lo_body(a_order["trade_order_id"], {"sku_id": 161, "quantity": 1}),
        )
    )
    [b1] = tenant.ship(b_order)
    track = {i: one(tenant, i)["platform_tracking_code"] for i in (a1, a2, b1)}

    assert sorted(found_ids(tenant)) == sorted([a1, a2, b1])
    assert found_ids(tenant, logistic_order_ids=[a2]) == [a2]
    assert sorted(found_ids(tenant, logistic_order_ids=[a1, b1, UNKNOWN_LOGISTIC_ORDER])) == sorted([a1, b1])
    assert found_ids(tenant, tracking_numbers=[track[b1]]) == [b1]
    assert sorted(found_ids(tenant, tracking_numbers=[track[a1], track[a2], "80000000000000"])) == sorted(
        [a1, a2]
    )
    assert sorted(found_ids(tenant, trade_order_ids=[a_order["trade_order_id"]])) == sorted([a1, a2])
    assert found_ids(tenant, trade_order_ids=[b_order["trade_order_id"]]) == [b1]
    assert found_ids(tenant, trade_order_ids=[UNKNOWN_TRADE_ORDER]) == []
    # Filters combine with AND.
    assert found_ids(tenant, trade_order_ids=[a_order["trade_order_id"]], logistic_order_ids=[b1]) == []
    assert found_ids(tenant, trade_order_ids=[a_order["trade_order_id"]], tracking_numbers=[track[a2]]) == [
        a2
    ]
    data = find(tenant, logistic_order_ids=[a1, a2])
    assert data["page_info"]["total"] == 2


def test_filter_status_follows_the_logistic_order_through_handover(tenant: Tenant) -> None:
    ids = [tenant.ship(tenant.order({"sku_id": 170 + n, "quantity": 1}))[0] for n in range(3)]
    free, listed, transferred = ids
    handover(tenant, listed)
    transferred_list = handover(tenant, transferred)
    transfer(tenant, transferred_list)

    expected = {
        "AWAITING_ADDING_TO_HANDOVER": ([free], "Awaiting handover list"),
        "AWAITING_REPORT_AS_SHIP": ([listed], "Awaiting dispatch"),
        "DELIVERING": ([transferred], "Order accepted by carrier"),
    }
    for status, (wanted, name) in expected.items():
        for spelling in (status, status.lower()):
            data = find(tenant, filter_status=spelling)
            assert [lo["logistic_order_id"] for lo in data["logistic_orders"]] == wanted, spelling
            assert data["page_info"]["total"] == len(wanted), spelling
            [lo] = data["logistic_orders"]
            assert (lo["status"], lo["state_status_name"]) == (status, name)
    for status in (
        "NEW",
        "DELIVERED",
        "RETURNING_TO_SENDER",
        "RETURNED_TO_SENDER",
        "CANCELLED",
        "WITH_ERRORS",
    ):
        assert find(tenant, filter_status=status) == {
            "logistic_orders": [],
            "page_info": {"current": 1, "page_size": 100, "total": 0},
        }, status
    assert one(tenant, listed)["handover_list_id"] > 0
    assert one(tenant, transferred)["handover_list_id"] == transferred_list
    assert find(tenant)["page_info"]["total"] == 3


def test_gmt_create_filters_in_the_seed_format_and_with_offsets(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 181, "quantity": 3})
    tid = order["trade_order_id"]
    ids = []
    for _ in range(3):
        ids += created_ids(create(tenant, lo_body(tid, {"sku_id": 181, "quantity": 1})))
        tenant.advance(3600)
    a, b, c = ids
    created = {i: dt(one(tenant, i)["gmt_create"]) for i in ids}
    assert created[a] < created[b] < created[c]
    half = timedelta(minutes=30)

    assert sorted(found_ids(tenant, gmt_create_from=z(created[a] + half))) == sorted([b, c])
    assert sorted(found_ids(tenant, gmt_create_to=z(created[b] + half))) == sorted([a, b])
    assert found_ids(tenant, gmt_create_from=z(created[a] + half), gmt_create_to=z(created[b] + half)) == [b]
    assert found_ids(tenant, gmt_create_from=z(created[c] + half)) == []
    # Without an offset a date is UTC; with one it is converted.
    naive = (created[a] + half).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    assert sorted(found_ids(tenant, gmt_create_from=naive)) == sorted([b, c])
    moscow = (created[a] + half).astimezone(MSK).isoformat(timespec="seconds")
    assert moscow.endswith("+03:00")
    assert sorted(found_ids(tenant, gmt_create_from=moscow)) == sorted([b, c])
    # Bounds are inclusive.
    exact = one(tenant, b)["gmt_create"]
    assert found_ids(tenant, gmt_create_from=exact, gmt_create_to=exact) == [b]
    data = find(tenant, gmt_create_from=z(created[a] + half))
    assert data["page_info"]["total"] == 2


def test_cut_off_date_filters(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 191, "quantity": 3})
    tid = order["trade_order_id"]
    a, b, c = created_ids(create(tenant, *(lo_body(tid, {"sku_id": 191, "quantity": 1}) for _ in range(3))))
    assert pass_today(tenant, b).status_code == 200
    for _ in range(2):
        assert pass_today(tenant, c).status_code == 200
    cut = {i: one(tenant, i)["cut_off_date"] for i in (a, b, c)}
    assert dt(cut[a]) < dt(cut[b]) < dt(cut[c])

    assert sorted(found_ids(tenant, gmt_cut_off_date_from=cut[b])) == sorted([b, c])
    assert sorted(found_ids(tenant, gmt_cut_off_date_to=cut[b])) == sorted([a, b])
    assert found_ids(tenant, gmt_cut_off_date_from=cut[b], gmt_cut_off_date_to=cut[b]) == [b]
    assert found_ids(tenant, gmt_cut_off_date_from=z(dt(cut[c]) + timedelta(seconds=1))) == []
    assert sorted(found_ids(tenant, gmt_cut_off_date_from=z(dt(cut[a]) + timedelta(hours=1)))) == sorted(
        [b, c]
    )
    assert find(tenant, gmt_cut_off_date_to=z(dt(cut[b]) - timedelta(hours=1)))["page_info"]["total"] == 1


def test_problem_state_filter(tenant: Tenant) -> None:
    ids = [tenant.ship(tenant.order({"sku_id": 200 + n, "quantity": 1}))[0] for n in range(2)]
    assert sorted(found_ids(tenant, problem_state_filter="NO_PROBLEM")) == sorted(ids)
    assert sorted(found_ids(tenant, problem_state_filter="no_problem")) == sorted(ids)
    assert find(tenant, problem_state_filter="NO_PROBLEM")["page_info"]["total"] == 2
    for value in ("ANY_PROBLEM", "CREATION_ERROR", "HANDOVER_ERROR", "CUT_OFF_OVERDUE", "DELIVERY_PROBLEM"):
        data = find(tenant, problem_state_filter=value)
        assert data["logistic_orders"] == [] and data["page_info"]["total"] == 0, value
    assert all("problem_state" not in lo for lo in find(tenant)["logistic_orders"])


def test_deleted_logistic_orders_are_not_returned(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 211, "quantity": 2})
    keep, gone = created_ids(
        create(
            tenant,
            lo_body(order["trade_order_id"], {"sku_id": 211, "quantity": 1}),
            lo_body(order["trade_order_id"], {"sku_id": 211, "quantity": 1}),
        )
    )
    track = one(tenant, gone)["platform_tracking_code"]
    assert delete(tenant, gone)[str(gone)]["error_message"] is None
    assert found_ids(tenant) == [keep]
    assert find(tenant)["page_info"]["total"] == 1
    assert found_ids(tenant, logistic_order_ids=[gone]) == []
    assert found_ids(tenant, tracking_numbers=[track]) == []
    assert found_ids(tenant, trade_order_ids=[order["trade_order_id"]]) == [keep]
    assert found_ids(tenant, filter_status="AWAITING_ADDING_TO_HANDOVER") == [keep]
    assert find(tenant, filter_status="AWAITING_ADDING_TO_HANDOVER")["page_info"]["total"] == 1


# --- get: sorting and paging -------------------------------------------------------------------
@pytest.fixture
def three_orders(tenant: Tenant) -> tuple[int, int, int]:
    """A, B, C created a minute apart; cut-off dates in the opposite order (C earliest, A latest)."""
    order = tenant.order({"sku_id": 221, "quantity": 3})
    ids = []
    for _ in range(3):
        ids += created_ids(create(tenant, lo_body(order["trade_order_id"], {"sku_id": 221, "quantity": 1})))
        tenant.advance(60)
    a, b, c = ids
    for lo_id in (a, a, b):
        assert pass_today(tenant, lo_id).status_code == 200
    return a, b, c


@pytest.mark.parametrize(
    ("sort_params", "expected"),
    [
        (None, "CBA"),
        ({}, "CBA"),
        ({"order_sort_type": "GMT_CREATE", "query_sort": "ASC"}, "ABC"),
        ({"order_sort_type": "GMT_CREATE", "query_sort": "DESC"}, "CBA"),
        ({"order_sort_type": "CUT_OFF_DATE", "query_sort": "ASC"}, "CBA"),
        ({"order_sort_type": "CUT_OFF_DATE", "query_sort": "DESC"}, "ABC"),
        ({"order_sort_type": "LOGISTIC_ORDER_ID", "query_sort": "ASC"}, "ABC"),
        ({"order_sort_type": "LOGISTIC_ORDER_ID", "query_sort": "DESC"}, "CBA"),
        ({"order_sort_type": "cut_off_date", "query_sort": "asc"}, "CBA"),
        ({"order_sort_type": "Gmt_Create", "query_sort": "Asc"}, "ABC"),
        ({"order_sort_type": "logistic_order_id", "query_sort": "desc"}, "CBA"),
        ({"order_sort_type": "CUT_OFF_DATE"}, "ABC"),
        ({"query_sort": "ASC"}, "ABC"),
    ],
)
def test_sort_params(
    tenant: Tenant, three_orders: tuple[int, int, int], sort_params: Json | None, expected: str
) -> None:
    by_name = dict(zip("ABC", three_orders, strict=True))
    body: Json = {} if sort_params is None else {"sort_params": sort_params}
    assert found_ids(tenant, **body) == [by_name[n] for n in expected]


def test_paging_walks_every_order_once_and_keeps_the_total(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 231, "quantity": 5})
    ids = created_ids(
        create(tenant, *(lo_body(order["trade_order_id"], {"sku_id": 231, "quantity": 1}) for _ in range(5)))
    )
    newest_first = sorted(ids, reverse=True)
    pages = []
    for page in (1, 2, 3, 4):
        resp = tenant.ae("logistic-order/get", {"page": page, "page_size": 2})
        assert resp.status_code == 200
        data = resp.json()["data"]
        assert data["page_info"] == {"current": page, "page_size": 2, "total": 5}
        pages.append([lo["logistic_order_id"] for lo in data["logistic_orders"]])
    assert pages == [newest_first[0:2], newest_first[2:4], newest_first[4:5], []]
    data = find(tenant, page=100, page_size=1000, trade_order_ids=[order["trade_order_id"]])
    assert data == {"logistic_orders": [], "page_info": {"current": 100, "page_size": 1000, "total": 5}}


BAD_GET_BODIES: list[tuple[str, Json, str]] = [
    ("filter_status", {"filter_status": "SHIPPED"}, "filter_status"),
    ("problem_state_filter", {"problem_state_filter": "BROKEN"}, "problem_state_filter"),
    ("order_sort_type", {"sort_params": {"order_sort_type": "PRICE"}}, "sort_params.order_sort_type"),
    ("query_sort", {"sort_params": {"query_sort": "UP"}}, "sort_params.query_sort"),
    ("logistic_order_info", {"logistic_order_info": "Everything"}, "logistic_order_info"),
    ("page_size_zero", {"page_size": 0}, "page_size"),
    ("page_size_too_big", {"page_size": 1001}, "page_size"),
    ("page_zero", {"page": 0}, "page"),
    ("page_string", {"page": "1"}, "page"),
    ("ids_strings", {"logistic_order_ids": ["x"]}, "logistic_order_ids[0]"),
    ("ids_not_a_list", {"logistic_order_ids": 5}, "logistic_order_ids"),
    ("date_not_a_date", {"gmt_create_from": "yesterday"}, "gmt_create_from"),
    ("cut_off_date_not_a_date", {"gmt_cut_off_date_to": "2024-13-45T00:00:00Z"}, "gmt_cut_off_date_to"),
    ("sort_params_string", {"sort_params": "GMT_CREATE"}, "sort_params"),
]


@pytest.mark.parametrize(
    ("extra", "field"), [(b, f) for _, b, f in BAD_GET_BODIES], ids=[name for name, _, _ in BAD_GET_BODIES]
)
def test_bad_get_requests_are_400_naming_the_field(tenant: Tenant, extra: Json, field: str) -> None:
    assert_validation_error(tenant.ae("logistic-order/get", {"page": 1, "page_size": 10, **extra}), field)


@pytest.mark.parametrize("missing", ["page", "page_size"])
def test_page_and_page_size_are_required(tenant: Tenant, missing: str) -> None:
    body = {"page": 1, "page_size": 10}
    del body[missing]
    assert_validation_error(tenant.ae("logistic-order/get", body), missing)


def not_yours(lo_id: int, seller_id: int) -> str:
    """The seed's message for another seller's logistic order."""
    return f"Failed to delete logistic order {lo_id}: it doesn't belong to seller {seller_id}"


# --- delete ------------------------------------------------------------------------------------
def test_delete_removes_the_order_and_frees_its_units(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 241, "quantity": 2})
    [lo_id] = tenant.ship(order)
    now = dt(tenant.advance(0))
    result = delete(tenant, lo_id)
    assert list(result) == [str(lo_id)]
    assert set(result[str(lo_id)]) == {"deleted_at", "error_message"}
    assert result[str(lo_id)]["error_message"] is None
    deleted_at = result[str(lo_id)]["deleted_at"]
    assert MICROS_RE.match(deleted_at), deleted_at
    assert abs(dt(deleted_at) - now) < timedelta(minutes=1)
    assert find(tenant) == {"logistic_orders": [], "page_info": {"current": 1, "page_size": 100, "total": 0}}
    # The freed units can be shipped again.
    [again] = tenant.ship(order)
    assert again != lo_id
    assert found_ids(tenant) == [again]


def test_deleting_another_sellers_order_gives_the_seed_message(tenant: Tenant, other_tenant: Tenant) -> None:
    [foreign] = other_tenant.ship(other_tenant.order({"sku_id": 251, "quantity": 1}))
    result = delete(tenant, foreign)
    assert result == {
        str(foreign): {
            "deleted_at": None,
            "error_message": not_yours(foreign, tenant.seller_id),
        }
    }
    assert found_ids(other_tenant) == [foreign]


def test_deleting_an_unknown_order_says_not_found(tenant: Tenant) -> None:
    assert delete(tenant, UNKNOWN_LOGISTIC_ORDER) == {
        str(UNKNOWN_LOGISTIC_ORDER): {
            "deleted_at": None,
            "error_message": f"Failed to delete logistic order {UNKNOWN_LOGISTIC_ORDER}: "
            "logistic order not found",
        }
    }


def test_an_order_handed_over_to_the_carrier_cannot_be_deleted(tenant: Tenant) -> None:
    [lo_id] = tenant.ship(tenant.order({"sku_id": 261, "quantity": 1}))
    transfer(tenant, handover(tenant, lo_id))
    result = delete(tenant, lo_id)[str(lo_id)]
    assert result["deleted_at"] is None
    assert result["error_message"].startswith(f"Failed to delete logistic order {lo_id}: ")
    assert "handed over" in result["error_message"]
    assert "OrderReceivedFromSeller" in result["error_message"]
    assert one(tenant, lo_id)["status"] == "DELIVERING"


def test_deleting_an_order_in_an_open_handover_list_takes_it_out_of_the_list(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 262, "quantity": 2})
    keep, gone = created_ids(
        create(
            tenant,
            lo_body(order["trade_order_id"], {"sku_id": 262, "quantity": 1}),
            lo_body(order["trade_order_id"], {"sku_id": 262, "quantity": 1}),
        )
    )
    list_id = handover(tenant, keep, gone)
    assert delete(tenant, gone)[str(gone)]["error_message"] is None
    assert handover_members(tenant, list_id) == [keep]
    assert found_ids(tenant) == [keep]
    [again] = created_ids(create(tenant, lo_body(order["trade_order_id"], {"sku_id": 262, "quantity": 1})))
    assert one(tenant, again)["handover_list_id"] == 0


def test_delete_answers_one_entry_per_id(tenant: Tenant, other_tenant: Tenant) -> None:
    [mine] = tenant.ship(tenant.order({"sku_id": 271, "quantity": 1}))
    [handed] = tenant.ship(tenant.order({"sku_id": 272, "quantity": 1}))
    transfer(tenant, handover(tenant, handed))
    [foreign] = other_tenant.ship(other_tenant.order({"sku_id": 273, "quantity": 1}))
    result = delete(tenant, mine, foreign, UNKNOWN_LOGISTIC_ORDER, handed, mine)
    assert set(result) == {str(mine), str(foreign), str(UNKNOWN_LOGISTIC_ORDER), str(handed)}
    assert result[str(mine)]["error_message"] is None and result[str(mine)]["deleted_at"]
    assert result[str(foreign)] == {
        "deleted_at": None,
        "error_message": not_yours(foreign, tenant.seller_id),
    }
    assert result[str(UNKNOWN_LOGISTIC_ORDER)]["error_message"].endswith("logistic order not found")
    assert result[str(UNKNOWN_LOGISTIC_ORDER)]["deleted_at"] is None
    assert "handed over" in result[str(handed)]["error_message"]
    assert result[str(handed)]["deleted_at"] is None
    assert found_ids(tenant) == [handed]
    assert found_ids(other_tenant) == [foreign]


def test_deleting_twice_is_idempotent(tenant: Tenant) -> None:
    [lo_id] = tenant.ship(tenant.order({"sku_id": 281, "quantity": 1}))
    first = delete(tenant, lo_id)[str(lo_id)]
    tenant.advance(120)
    second = delete(tenant, lo_id)[str(lo_id)]
    assert second == first
    assert first["error_message"] is None and first["deleted_at"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "logistic_order_ids"),
        ({"logistic_order_ids": []}, "logistic_order_ids"),
        ({"logistic_order_ids": "1"}, "logistic_order_ids"),
        ({"logistic_order_ids": ["abc"]}, "logistic_order_ids[0]"),
        ({"logistic_order_ids": [0]}, "logistic_order_ids[0]"),
    ],
    ids=["missing", "empty", "string", "string_id", "zero_id"],
)
def test_bad_delete_requests_are_400(tenant: Tenant, body: Json, field: str) -> None:
    assert_validation_error(tenant.ae("logistic-order/delete", body), field)


# --- pass-today --------------------------------------------------------------------------------
def test_pass_today_moves_to_the_next_working_day_at_most_twice(tenant: Tenant) -> None:
    placed = move_clock_to(tenant, weekday=3, hour_utc=6)  # Thursday 09:00 MSK: ready Friday before 13:00
    order = tenant.order({"sku_id": 291, "quantity": 1})
    [lo_id] = tenant.ship(order)
    friday = placed.date() + timedelta(days=1)
    cut = one(tenant, lo_id)["cut_off_date"]
    assert cut == f"{friday.isoformat()}T10:00:00+00:00"

    monday = friday + timedelta(days=3)
    resp = pass_today(tenant, lo_id)
    assert resp.status_code == 200, resp.text
    assert resp.json() == {
        "data": {
            "logistic_order_id": lo_id,
            "cut_off_date": f"{monday.isoformat()}T10:00:00+00:00",
            "handover_list_id": 0,
        },
        "error": None,
    }
    assert one(tenant, lo_id)["cut_off_date"] == f"{monday.isoformat()}T10:00:00+00:00"

    tuesday = monday + timedelta(days=1)
    resp = pass_today(tenant, lo_id)
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"]["cut_off_date"] == f"{tuesday.isoformat()}T10:00:00+00:00"

    resp = pass_today(tenant, lo_id)
    assert resp.status_code == 409, resp.text
    body = resp.json()
    assert body["data"] is None
    assert body["error"]["code"] == "ErrorCode.CutOffDateShiftLimit"
    assert one(tenant, lo_id)["cut_off_date"] == f"{tuesday.isoformat()}T10:00:00+00:00"


def test_pass_today_from_any_day_lands_on_a_weekday_at_10_utc(tenant: Tenant) -> None:
    [lo_id] = tenant.ship(tenant.order({"sku_id": 292, "quantity": 1}))
    before = dt(one(tenant, lo_id)["cut_off_date"])
    assert before.weekday() < 5 and (before.hour, before.minute, before.second) == (10, 0, 0)
    resp = pass_today(tenant, lo_id)
    assert resp.status_code == 200, resp.text
    moved = dt(resp.json()["data"]["cut_off_date"])
    assert moved == next_working_day_10_utc(before)
    assert SECONDS_RE.match(resp.json()["data"]["cut_off_date"])


def test_pass_today_takes_the_order_out_of_its_handover_list(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 293, "quantity": 2})
    stay, move = created_ids(
        create(
            tenant,
            lo_body(order["trade_order_id"], {"sku_id": 293, "quantity": 1}),
            lo_body(order["trade_order_id"], {"sku_id": 293, "quantity": 1}),
        )
    )
    list_id = handover(tenant, stay, move)
    before = one(tenant, move)
    assert (before["status"], before["handover_list_id"]) == ("AWAITING_REPORT_AS_SHIP", list_id)

    resp = pass_today(tenant, move)
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"]["handover_list_id"] == 0
    after = one(tenant, move)
    assert after["status"] == "AWAITING_ADDING_TO_HANDOVER"
    assert after["state_status_name"] == "Awaiting handover list"
    assert after["handover_list_id"] == 0
    assert dt(after["cut_off_date"]) == next_working_day_10_utc(dt(before["cut_off_date"]))
    assert handover_members(tenant, list_id) == [stay]
    assert one(tenant, stay)["handover_list_id"] == list_id
    assert found_ids(tenant, filter_status="AWAITING_ADDING_TO_HANDOVER") == [move]
    assert find(tenant, filter_status="AWAITING_REPORT_AS_SHIP")["page_info"]["total"] == 1


def test_pass_today_refuses_unknown_foreign_deleted_and_handed_over_orders(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    resp = pass_today(tenant, UNKNOWN_LOGISTIC_ORDER)
    assert resp.status_code == 404, resp.text
    assert resp.json()["data"] is None and resp.json()["error"]["code"] == "ErrorCode.OrderNotFound"

    [foreign] = other_tenant.ship(other_tenant.order({"sku_id": 294, "quantity": 1}))
    foreign_before = one(other_tenant, foreign)
    resp = pass_today(tenant, foreign)
    assert resp.status_code == 403, resp.text
    assert resp.json()["data"] is None and resp.json()["error"]["code"] == "ErrorCode.SellerMismatch"
    assert one(other_tenant, foreign) == foreign_before

    [gone] = tenant.ship(tenant.order({"sku_id": 295, "quantity": 1}))
    delete(tenant, gone)
    resp = pass_today(tenant, gone)
    assert resp.status_code == 404, resp.text
    assert resp.json()["error"]["code"] == "ErrorCode.OrderNotFound"

    [handed] = tenant.ship(tenant.order({"sku_id": 296, "quantity": 1}))
    transfer(tenant, handover(tenant, handed))
    cut = one(tenant, handed)["cut_off_date"]
    resp = pass_today(tenant, handed)
    assert resp.status_code == 409, resp.text
    assert resp.json()["error"]["code"] == "ErrorCode.WrongLogisticOrderStatus"
    assert one(tenant, handed)["cut_off_date"] == cut


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "order_id"),
        ({"order_id": 0}, "order_id"),
        ({"order_id": "x"}, "order_id"),
        ({"order_id": None}, "order_id"),
    ],
    ids=["missing", "zero", "string", "null"],
)
def test_bad_pass_today_requests_are_400(tenant: Tenant, body: Json, field: str) -> None:
    assert_validation_error(tenant.ae("logistic-order/pass-today", body), field)
