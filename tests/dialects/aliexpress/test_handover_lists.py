"""Handover lists over real HTTP: create, find, edit, transfer, and what each does to its logistic orders."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

import httpx
import pytest

from marketbox.domain.shipping_dates import spare_day
from tests.conftest import Tenant
from tests.servers import RunningServer

ARRIVAL = "2026-12-01T10:00:00Z"
WRITERS = 10
LIST_KEYS = {
    "handover_list_id",
    "arrival_date",
    "status",
    "shipment_type",
    "logistic_order_ids",
    "gmt_create",
}


def shipped(tenant: Tenant, count: int = 1) -> list[int]:
    """`count` logistic orders of one trade order (same shipping day), each with one SKU."""
    order = tenant.order(*({"sku_id": 7000 + n, "quantity": 1, "jewelry": False} for n in range(count)))
    payload = {
        "orders": [
            {
                "trade_order_id": order["trade_order_id"],
                "total_length": 20,
                "total_width": 10,
                "total_height": 5,
                "total_weight": 1.5,
                "items": [{"sku_id": line["sku_id"], "quantity": line["quantity"]}],
            }
            for line in order["lines"]
        ]
    }
    resp = tenant.ae("logistic-order/create", payload)
    assert resp.status_code == 200, resp.text
    ids = [lo["id"] for o in resp.json()["data"]["orders"] for lo in o["logistic_orders"]]
    assert len(ids) == count, resp.text
    return ids


def logistic_order(tenant: Tenant, lo_id: int) -> dict[str, Any]:
    resp = tenant.ae("logistic-order/get", {"page": 1, "page_size": 10, "logistic_order_ids": [lo_id]})
    assert resp.status_code == 200, resp.text
    (found,) = resp.json()["data"]["logistic_orders"]
    return dict(found)


def create_list(tenant: Tenant, ids: list[int], **extra: Any) -> int:
    resp = tenant.ae("handover-list/create", {"logistic_order_ids": ids, **extra})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["error"] is None
    assert set(body["data"]) == {"handover_list_id"}
    list_id = body["data"]["handover_list_id"]
    assert isinstance(list_id, int)
    return int(list_id)


def find(tenant: Tenant, **query: Any) -> dict[str, Any]:
    resp = tenant.ae("handover-list/get-by-filter", {"page_size": 50, "page_number": 1, **query})
    assert resp.status_code == 200, resp.text
    assert resp.json()["error"] is None
    return dict(resp.json()["data"])


def the_list(tenant: Tenant, list_id: int) -> dict[str, Any]:
    (found,) = find(tenant, handover_list_ids=[list_id])["data_source"]
    return dict(found)


def assert_error(resp: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["data"] is None
    assert body["error"]["code"] == code, body
    assert body["error"]["message"]
    return dict(body["error"])


# --- create ------------------------------------------------------------------------------------
def test_create_moves_members_to_awaiting_report_as_ship(tenant: Tenant) -> None:
    ids = shipped(tenant, 2)
    for lo_id in ids:
        before = logistic_order(tenant, lo_id)
        assert before["status"] == "AWAITING_ADDING_TO_HANDOVER"
        assert before["handover_list_id"] == 0

    list_id = create_list(tenant, ids, arrival_date=ARRIVAL)

    for lo_id in ids:
        after = logistic_order(tenant, lo_id)
        assert after["status"] == "AWAITING_REPORT_AS_SHIP"
        assert after["state_status_name"] == "Awaiting dispatch"
        assert after["handover_list_id"] == list_id
    listed = the_list(tenant, list_id)
    assert set(listed) == LIST_KEYS
    assert listed["status"] == "Created"
    assert listed["shipment_type"] == "Dropoff"
    assert listed["arrival_date"] == "2026-12-01T10:00:00+00:00"
    assert sorted(listed["logistic_order_ids"]) == sorted(ids)
    assert datetime.fromisoformat(listed["gmt_create"]).tzinfo is not None


def test_arrival_date_is_optional(tenant: Tenant) -> None:
    list_id = create_list(tenant, shipped(tenant))
    assert the_list(tenant, list_id)["arrival_date"] is None


@pytest.mark.parametrize(
    "given", ["2026-12-01T13:00:00+03:00", "2026-12-01T10:00:00", "2026-12-01T10:00:00.000Z"]
)
def test_arrival_date_is_kept_in_utc(tenant: Tenant, given: str) -> None:
    # Dates without an offset are read as UTC (docs/assumptions.md).
    list_id = create_list(tenant, shipped(tenant), arrival_date=given)
    assert the_list(tenant, list_id)["arrival_date"] == "2026-12-01T10:00:00+00:00"


def test_duplicate_ids_join_once(tenant: Tenant) -> None:
    (lo_id,) = shipped(tenant)
    list_id = create_list(tenant, [lo_id, lo_id])
    assert the_list(tenant, list_id)["logistic_order_ids"] == [lo_id]


def test_concurrent_creates_put_an_order_in_one_list_only(server: RunningServer, tenant: Tenant) -> None:
    (lo_id,) = shipped(tenant)

    def create(_: int) -> int:
        with httpx.Client(base_url=server.base_url, timeout=60) as client:
            resp = client.post(
                "/seller-api/v1/handover-list/create",
                json={"logistic_order_ids": [lo_id]},
                headers={"x-auth-token": tenant.token},
            )
            return resp.status_code

    with ThreadPoolExecutor(WRITERS) as pool:
        statuses = sorted(pool.map(create, range(WRITERS)))
    assert statuses == [200] + [409] * (WRITERS - 1)
    assert find(tenant)["page_info"]["total"] == 1
    assert (
        logistic_order(tenant, lo_id)["handover_list_id"]
        == find(tenant)["data_source"][0]["handover_list_id"]
    )


def test_orders_of_different_shipping_days_are_refused(tenant: Tenant) -> None:
    (today,) = shipped(tenant)
    tenant.advance(3 * 86400)
    (later,) = shipped(tenant)
    assert (
        logistic_order(tenant, today)["cut_off_date"][:10]
        != logistic_order(tenant, later)["cut_off_date"][:10]
    )

    assert_error(
        tenant.ae("handover-list/create", {"logistic_order_ids": [today, later]}),
        409,
        "ErrorCode.DifferentCutOffDates",
    )
    list_id = create_list(tenant, [today])
    assert_error(
        tenant.ae("handover-list/add-logistic-orders", {"handover_list_id": list_id, "order_ids": [later]}),
        409,
        "ErrorCode.DifferentCutOffDates",
    )
    assert logistic_order(tenant, later)["status"] == "AWAITING_ADDING_TO_HANDOVER"
    assert the_list(tenant, list_id)["logistic_order_ids"] == [today]


def test_an_order_already_in_a_list_is_refused_and_nothing_changes(tenant: Tenant) -> None:
    first, second = shipped(tenant, 2)
    list_id = create_list(tenant, [first])

    assert_error(
        tenant.ae("handover-list/create", {"logistic_order_ids": [second, first]}),
        409,
        "ErrorCode.WrongLogisticOrderStatus",
    )
    # All or nothing: the free order did not join a list either.
    assert logistic_order(tenant, second)["status"] == "AWAITING_ADDING_TO_HANDOVER"
    assert logistic_order(tenant, second)["handover_list_id"] == 0
    assert find(tenant)["page_info"]["total"] == 1

    other_list = create_list(tenant, [second])
    assert_error(
        tenant.ae(
            "handover-list/add-logistic-orders", {"handover_list_id": other_list, "order_ids": [first]}
        ),
        409,
        "ErrorCode.WrongLogisticOrderStatus",
    )
    assert logistic_order(tenant, first)["handover_list_id"] == list_id


def test_create_with_unknown_or_foreign_orders(tenant: Tenant, other_tenant: Tenant) -> None:
    (mine,) = shipped(tenant)
    (theirs,) = shipped(other_tenant)
    assert_error(
        tenant.ae("handover-list/create", {"logistic_order_ids": [mine, 19_999_999]}),
        404,
        "ErrorCode.OrderNotFound",
    )
    assert_error(
        tenant.ae("handover-list/create", {"logistic_order_ids": [mine, theirs]}),
        403,
        "ErrorCode.SellerMismatch",
    )
    assert logistic_order(other_tenant, theirs)["handover_list_id"] == 0
    assert logistic_order(tenant, mine)["handover_list_id"] == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "logistic_order_ids"),
        ({"logistic_order_ids": []}, "logistic_order_ids"),
        ({"logistic_order_ids": ["x"]}, "logistic_order_ids[0]"),
        ({"logistic_order_ids": [1], "arrival_date": "tomorrow"}, "arrival_date"),
    ],
)
def test_create_validates_its_body(tenant: Tenant, payload: dict[str, Any], field: str) -> None:
    error = assert_error(tenant.ae("handover-list/create", payload), 400, "ErrorCode.ValidationError")
    assert error["details"]["field"] == field


# --- get-by-filter -----------------------------------------------------------------------------
def test_get_by_filter_filters_sorts_and_pages(tenant: Tenant) -> None:
    a1, a2 = shipped(tenant, 2)
    (b1,) = shipped(tenant)
    early = create_list(tenant, [a1, a2], arrival_date="2026-12-03T10:00:00Z")
    tenant.advance(60)
    late = create_list(tenant, [b1], arrival_date="2026-12-01T10:00:00Z")

    everything = find(tenant)
    assert [h["handover_list_id"] for h in everything["data_source"]] == [late, early]  # newest first
    assert everything["page_info"] == {"current": 1, "page_size": 50, "total": 2}
    for h in everything["data_source"]:
        assert set(h) == LIST_KEYS

    assert [h["handover_list_id"] for h in find(tenant, gmt_create_sort="ASC")["data_source"]] == [
        early,
        late,
    ]
    assert [h["handover_list_id"] for h in find(tenant, gmt_create_sort="desc")["data_source"]] == [
        late,
        early,
    ]
    assert [h["handover_list_id"] for h in find(tenant, arrival_date_sort="ASC")["data_source"]] == [
        late,
        early,
    ]
    assert [h["handover_list_id"] for h in find(tenant, arrival_date_sort="DESC")["data_source"]] == [
        early,
        late,
    ]

    by_order = find(tenant, logistic_order_ids=[a2])
    assert [h["handover_list_id"] for h in by_order["data_source"]] == [early]
    assert sorted(by_order["data_source"][0]["logistic_order_ids"]) == sorted([a1, a2])
    assert [h["handover_list_id"] for h in find(tenant, handover_list_ids=[late])["data_source"]] == [late]

    early_created = the_list(tenant, early)["gmt_create"]
    late_created = the_list(tenant, late)["gmt_create"]
    assert [h["handover_list_id"] for h in find(tenant, gmt_create_to=early_created)["data_source"]] == [
        early
    ]
    assert [h["handover_list_id"] for h in find(tenant, gmt_create_from=late_created)["data_source"]] == [
        late
    ]

    assert find(tenant, statuses=["created"])["page_info"]["total"] == 2  # enum values ignore case

    page2 = tenant.ae("handover-list/get-by-filter", {"page_size": 1, "page_number": 2}).json()["data"]
    assert [h["handover_list_id"] for h in page2["data_source"]] == [early]
    assert page2["page_info"] == {"current": 2, "page_size": 1, "total": 2}

    assert find(tenant, statuses=["Transferred"])["page_info"]["total"] == 0
    assert transfer(tenant, late)["status"] == "Transferred"
    assert [h["handover_list_id"] for h in find(tenant, statuses=["Transferred"])["data_source"]] == [late]
    assert [h["handover_list_id"] for h in find(tenant, statuses=["Created"])["data_source"]] == [early]


def test_get_by_filter_shows_only_the_callers_lists(tenant: Tenant, other_tenant: Tenant) -> None:
    theirs = create_list(other_tenant, shipped(other_tenant))
    assert find(tenant, handover_list_ids=[theirs]) == {
        "data_source": [],
        "page_info": {"current": 1, "page_size": 50, "total": 0},
    }


def test_lists_without_arrival_date_sort_last_on_every_backend(tenant: Tenant) -> None:
    """Sorting by arrival date must not depend on the database: lists with no date come last.

    (SQLite puts NULLs first in ascending order, PostgreSQL last; without an explicit NULLS LAST the same
    request answers differently on the two backends.)
    """
    dated, undated, later = shipped(tenant, 3)
    with_date = create_list(tenant, [dated], arrival_date="2026-12-01T10:00:00Z")
    without = create_list(tenant, [undated])
    with_later_date = create_list(tenant, [later], arrival_date="2026-12-02T10:00:00Z")

    ascending = [h["handover_list_id"] for h in find(tenant, arrival_date_sort="ASC")["data_source"]]
    descending = [h["handover_list_id"] for h in find(tenant, arrival_date_sort="DESC")["data_source"]]
    assert ascending == [with_date, with_later_date, without]
    assert descending == [with_later_date, with_date, without]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"statuses": ["Lost"]}, "statuses[0]"),
        ({"gmt_create_sort": "UP"}, "gmt_create_sort"),
        ({"page_size": 0}, "page_size"),
        ({"page_number": 0}, "page_number"),
    ],
)
def test_get_by_filter_refuses_bad_queries(tenant: Tenant, query: dict[str, Any], field: str) -> None:
    resp = tenant.ae("handover-list/get-by-filter", {"page_size": 10, "page_number": 1, **query})
    assert assert_error(resp, 400, "ErrorCode.ValidationError")["details"]["field"] == field


# --- add / remove ------------------------------------------------------------------------------
def edit(tenant: Tenant, action: str, list_id: int, order_ids: list[Any]) -> httpx.Response:
    return tenant.ae(
        f"handover-list/{action}-logistic-orders", {"handover_list_id": list_id, "order_ids": order_ids}
    )


def test_add_and_remove_accept_numbers_and_numeric_strings(tenant: Tenant) -> None:
    first, second, third = shipped(tenant, 3)
    list_id = create_list(tenant, [first])

    resp = edit(tenant, "add", list_id, [second, str(third)])
    assert resp.status_code == 200, resp.text
    assert resp.json() == {
        "data": {
            "handover_list_id": list_id,
            "status": "Created",
            "logistic_order_ids": sorted([first, second, third]),
        },
        "error": None,
    }
    for lo_id in (second, third):
        assert logistic_order(tenant, lo_id)["status"] == "AWAITING_REPORT_AS_SHIP"
        assert logistic_order(tenant, lo_id)["handover_list_id"] == list_id

    resp = edit(tenant, "remove", list_id, [str(first), third])
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"] == {
        "handover_list_id": list_id,
        "status": "Created",
        "logistic_order_ids": [second],
    }
    for lo_id in (first, third):
        back = logistic_order(tenant, lo_id)
        assert back["status"] == "AWAITING_ADDING_TO_HANDOVER"
        assert back["state_status_name"] == "Awaiting handover list"
        assert back["handover_list_id"] == 0
    assert the_list(tenant, list_id)["logistic_order_ids"] == [second]


@pytest.mark.parametrize("action", ["add", "remove"])
# "²" and "1²" are str.isdigit() but not int(): they must be refused like any other non-number.
@pytest.mark.parametrize(
    "bad",
    ["abc", "12x", "", "-5", "0", "²", "1²", "١٢", 1.5, None, 0],
    ids=[
        "abc",
        "12x",
        "empty",
        "minus-5",
        "str-0",
        "superscript-2",
        "1-superscript-2",
        "arabic-indic-12",
        "float",
        "null",
        "int-0",
    ],
)
def test_add_and_remove_refuse_ids_that_are_not_numbers(tenant: Tenant, action: str, bad: Any) -> None:
    first, second = shipped(tenant, 2)
    list_id = create_list(tenant, [first])
    resp = edit(tenant, action, list_id, [second, bad])
    error = assert_error(resp, 400, "ErrorCode.ValidationError")
    assert error["details"]["field"] == "order_ids[1]"
    assert the_list(tenant, list_id)["logistic_order_ids"] == [first]


def test_remove_of_an_order_outside_the_list(tenant: Tenant) -> None:
    first, second = shipped(tenant, 2)
    list_id = create_list(tenant, [first])
    assert_error(edit(tenant, "remove", list_id, [second]), 409, "ErrorCode.OrderNotInHandoverList")


def test_deleting_a_member_takes_it_out_of_the_list(tenant: Tenant) -> None:
    first, second = shipped(tenant, 2)
    list_id = create_list(tenant, [first, second])
    resp = tenant.ae("logistic-order/delete", {"logistic_order_ids": [first]})
    assert resp.json()["data"]["deletion_result_map"][str(first)]["deleted_at"] is not None
    assert the_list(tenant, list_id)["logistic_order_ids"] == [second]


# --- transfer ----------------------------------------------------------------------------------
def transfer(tenant: Tenant, list_id: int) -> dict[str, Any]:
    resp = tenant.ae("handover-list/transfer", {"handover_list_id": list_id})
    assert resp.status_code == 200, resp.text
    assert resp.json()["error"] is None
    return dict(resp.json()["data"])


def test_transfer_hands_the_parcels_to_the_carrier_and_freezes_the_list(tenant: Tenant) -> None:
    first, second, spare = shipped(tenant, 3)
    list_id = create_list(tenant, [first, second])

    assert transfer(tenant, list_id) == {
        "handover_list_id": list_id,
        "status": "Transferred",
        "logistic_order_ids": sorted([first, second]),
    }
    assert the_list(tenant, list_id)["status"] == "Transferred"
    for lo_id in (first, second):
        lo = logistic_order(tenant, lo_id)
        assert lo["status"] == "DELIVERING"
        assert lo["state_status_name"] == "Order accepted by carrier"
        assert lo["handover_list_id"] == list_id

    assert_error(edit(tenant, "add", list_id, [spare]), 409, "ErrorCode.WrongHandoverListStatusError")
    assert_error(edit(tenant, "remove", list_id, [first]), 409, "ErrorCode.WrongHandoverListStatusError")
    assert_error(
        tenant.ae("handover-list/transfer", {"handover_list_id": list_id}),
        409,
        "ErrorCode.WrongHandoverListStatusError",
    )
    assert logistic_order(tenant, spare)["handover_list_id"] == 0

    deleted = tenant.ae("logistic-order/delete", {"logistic_order_ids": [first]})
    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["data"]["deletion_result_map"] == {
        str(first): {
            "deleted_at": None,
            "error_message": f"Failed to delete logistic order {first}: it has already been handed over "
            "to the carrier (status OrderReceivedFromSeller)",
        }
    }
    assert logistic_order(tenant, first)["status"] == "DELIVERING"
    assert_error(
        tenant.ae("logistic-order/pass-today", {"order_id": second}),
        409,
        "ErrorCode.WrongLogisticOrderStatus",
    )
    assert sorted(the_list(tenant, list_id)["logistic_order_ids"]) == sorted([first, second])


def test_transfer_of_an_empty_list_is_refused(tenant: Tenant) -> None:
    (only,) = shipped(tenant)
    list_id = create_list(tenant, [only])
    assert edit(tenant, "remove", list_id, [only]).status_code == 200
    assert the_list(tenant, list_id)["logistic_order_ids"] == []

    assert_error(
        tenant.ae("handover-list/transfer", {"handover_list_id": list_id}), 409, "ErrorCode.EmptyHandoverList"
    )
    assert the_list(tenant, list_id)["status"] == "Created"


# --- unknown and foreign lists -----------------------------------------------------------------
@pytest.mark.parametrize("action", ["add", "remove", "transfer"])
def test_unknown_and_foreign_lists(tenant: Tenant, other_tenant: Tenant, action: str) -> None:
    (mine,) = shipped(tenant)
    (theirs_member,) = shipped(other_tenant)
    theirs = create_list(other_tenant, [theirs_member])

    def call(list_id: int) -> httpx.Response:
        if action == "transfer":
            return tenant.ae("handover-list/transfer", {"handover_list_id": list_id})
        return edit(tenant, action, list_id, [mine])

    error = assert_error(call(699_999), 404, "ErrorCode.HandoverListNotFound")
    assert error["details"] == {"handover_list_id": 699_999}
    assert_error(call(theirs), 403, "ErrorCode.SellerMismatch")
    untouched = the_list(other_tenant, theirs)
    assert (untouched["status"], untouched["logistic_order_ids"]) == ("Created", [theirs_member])
    assert logistic_order(tenant, mine)["handover_list_id"] == 0


# --- pass-today --------------------------------------------------------------------------------
def test_pass_today_takes_a_member_out_of_its_list(tenant: Tenant) -> None:
    first, second = shipped(tenant, 2)
    list_id = create_list(tenant, [first, second])
    cut_off = datetime.fromisoformat(logistic_order(tenant, first)["cut_off_date"])

    resp = tenant.ae("logistic-order/pass-today", {"order_id": first})

    assert resp.status_code == 200, resp.text
    moved_to = spare_day(cut_off).isoformat()
    assert resp.json() == {
        "data": {"logistic_order_id": first, "cut_off_date": moved_to, "handover_list_id": 0},
        "error": None,
    }
    assert the_list(tenant, list_id)["logistic_order_ids"] == [second]
    after = logistic_order(tenant, first)
    assert after["handover_list_id"] == 0
    assert after["status"] == "AWAITING_ADDING_TO_HANDOVER"
    assert after["cut_off_date"] == moved_to
    # Now on another shipping day than the list's members: it cannot go back in.
    assert_error(edit(tenant, "add", list_id, [first]), 409, "ErrorCode.DifferentCutOffDates")


def test_pass_today_moves_a_date_at_most_twice(tenant: Tenant) -> None:
    (lo_id,) = shipped(tenant)
    for _ in range(2):
        assert tenant.ae("logistic-order/pass-today", {"order_id": lo_id}).status_code == 200
    assert_error(
        tenant.ae("logistic-order/pass-today", {"order_id": lo_id}), 409, "ErrorCode.CutOffDateShiftLimit"
    )
