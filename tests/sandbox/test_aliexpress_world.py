"""The AliExpress world through the sandbox (buyer cancels, carrier events, handover lists accepted,
shipping dates moved), each change observed through the seller API, on every backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from tests.conftest import Tenant

MSK = timezone(timedelta(hours=3))
UNKNOWN_ID = 4_999_999_999_999_999  # below every generated id, never pinned by these tests
PROBLEMS = ("CREATION_ERROR", "HANDOVER_ERROR", "CUT_OFF_OVERDUE", "DELIVERY_PROBLEM")


# --- helpers -----------------------------------------------------------------------------------
def world(t: Tenant, path: str, body: Any = None, *, raw: bytes | None = None) -> httpx.Response:
    url = f"/sandbox/tenants/{t.seller_id}/aliexpress/{path}"
    if raw is not None:
        return t.http.post(url, content=raw, headers={"content-type": "application/json"})
    return t.http.post(url, json=body)


def event(t: Tenant, lo_id: int, name: str, **extra: Any) -> httpx.Response:
    return world(t, f"logistic-orders/{lo_id}/events", {"event": name, **extra})


def moved(t: Tenant, lo_id: int, name: str, **extra: Any) -> dict[str, Any]:
    resp = event(t, lo_id, name, **extra)
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


def cut_off(t: Tenant, lo_id: int, **body: Any) -> httpx.Response:
    return world(t, f"logistic-orders/{lo_id}/cut-off", body)


def cancel(t: Tenant, trade_order_id: int, **body: Any) -> httpx.Response:
    return world(t, f"orders/{trade_order_id}/cancel", body)


def accept(t: Tenant, list_id: int, **body: Any) -> httpx.Response:
    return world(t, f"handover-lists/{list_id}/accept", body)


def seller_ok(resp: httpx.Response) -> dict[str, Any]:
    assert resp.status_code == 200, resp.text
    assert resp.json().get("error") is None, resp.text
    return dict(resp.json()["data"])


def find(t: Tenant, **filters: Any) -> list[dict[str, Any]]:
    data = seller_ok(t.ae("logistic-order/get", {"page": 1, "page_size": 100, **filters}))
    return list(data["logistic_orders"])


def found_ids(t: Tenant, **filters: Any) -> set[int]:
    return {lo["logistic_order_id"] for lo in find(t, **filters)}


def lo_of(t: Tenant, lo_id: int) -> dict[str, Any]:
    [lo] = find(t, logistic_order_ids=[lo_id])
    return lo


def trade(t: Tenant, trade_order_id: int) -> dict[str, Any]:
    data = seller_ok(
        t.ae(
            "order/get-order-list",
            {"page": 1, "page_size": 1, "order_ids": [trade_order_id], "trade_order_info": "LogisticInfo"},
        )
    )
    [order] = data["orders"]
    return dict(order)


def trade_ids(t: Tenant, **filters: Any) -> set[int]:
    data = seller_ok(t.ae("order/get-order-list", {"page": 1, "page_size": 100, **filters}))
    return {o["id"] for o in data["orders"]}


def create_list(t: Tenant, ids: list[int]) -> int:
    list_id: int = seller_ok(t.ae("handover-list/create", {"logistic_order_ids": ids}))["handover_list_id"]
    return list_id


def transfer(t: Tenant, list_id: int) -> None:
    seller_ok(t.ae("handover-list/transfer", {"handover_list_id": list_id}))


def the_list(t: Tenant, list_id: int) -> dict[str, Any]:
    data = seller_ok(
        t.ae(
            "handover-list/get-by-filter", {"page_size": 10, "page_number": 1, "handover_list_ids": [list_id]}
        )
    )
    [found] = data["data_source"]
    return dict(found)


def placed_and_shipped(t: Tenant, sku_id: int = 501, quantity: int = 1) -> tuple[int, int]:
    order = t.order({"sku_id": sku_id, "quantity": quantity})
    [lo_id] = t.ship(order)
    return order["trade_order_id"], lo_id


def one_unit(t: Tenant, order: dict[str, Any], sku_id: int) -> int:
    """A logistic order holding one unit of the SKU (a split shipment)."""
    [lo_id] = t.ship({**order, "lines": [{"sku_id": sku_id, "quantity": 1}]})
    return lo_id


def assert_error(resp: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The sandbox envelope, and nothing else: `{"error": {code, message, details}}`."""
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    assert body["error"]["code"] == code, body
    assert body["error"]["message"]
    return dict(body["error"])


def next_working_day_10_utc(moment: datetime) -> datetime:
    """13:00 Moscow on the working day after `moment`'s Moscow day (computed here, not by marketbox)."""
    day = moment.astimezone(MSK).date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


# --- carrier events ----------------------------------------------------------------------------
def test_the_carrier_accepts_carries_and_delivers_a_parcel(tenant: Tenant) -> None:
    trade_order_id, lo_id = placed_and_shipped(tenant)
    assert trade(tenant, trade_order_id)["status"] == "InProgress"
    now = at(tenant.advance(3 * 86400))

    body = moved(tenant, lo_id, "accepted")
    assert body["logistic_order"] == {
        **body["logistic_order"],
        "logistic_order_id": lo_id,
        "trade_order_id": trade_order_id,
        "status": "DELIVERING",
        "state_status": "OrderReceivedFromSeller",
        "state_status_name": "Order accepted by carrier",
        "problem_state": None,
        "handover_list_id": 0,
    }
    assert body["trade_order"]["delivery_status"] == "Shipped"
    seen = lo_of(tenant, lo_id)
    assert (seen["status"], seen["state_status_name"]) == ("DELIVERING", "Order accepted by carrier")
    assert found_ids(tenant, filter_status="DELIVERING") == {lo_id}
    assert found_ids(tenant, filter_status="AWAITING_ADDING_TO_HANDOVER") == set()
    order = trade(tenant, trade_order_id)
    assert (order["status"], order["delivery_status"], order["order_display_status"]) == (
        "InProgress",
        "Shipped",
        "WaitAcceptGoods",
    )
    assert order["logistic_orders"][0]["status"] == "OrderReceivedFromSeller"
    # Time-stamped on the tenant's clock (three days ahead of real time), not the server's.
    assert timedelta(0) <= at(order["updated_at"]) - now < timedelta(minutes=1)
    assert trade_ids(tenant, update_at_from=now.isoformat()) == {trade_order_id}

    assert moved(tenant, lo_id, "in_transit")["logistic_order"]["state_status"] == "CrossDocSorting"
    assert lo_of(tenant, lo_id)["state_status_name"] == "Cross-dock sorting"
    moved(tenant, lo_id, "in_transit", status="ProviderPostingArrived")
    seen = lo_of(tenant, lo_id)
    assert (seen["status"], seen["state_status_name"]) == ("DELIVERING", "Arrived at pickup point")

    body = moved(tenant, lo_id, "delivered")
    assert body["logistic_order"]["status"] == "DELIVERED"
    seen = lo_of(tenant, lo_id)
    assert (seen["status"], seen["state_status_name"]) == ("DELIVERED", "Delivered")
    assert found_ids(tenant, filter_status="DELIVERED") == {lo_id}
    assert found_ids(tenant, filter_status="DELIVERING") == set()
    order = trade(tenant, trade_order_id)
    assert {k: order[k] for k in ("status", "delivery_status", "order_display_status", "finish_reason")} == {
        "status": "Finished",
        "delivery_status": "Delivered",
        "order_display_status": "Finish",
        "finish_reason": "ConfirmedByLogistic",
    }
    assert trade_ids(tenant, order_statuses=["Finished"]) == {trade_order_id}
    assert trade_ids(tenant, delivery_statuses=["Delivered"]) == {trade_order_id}


def test_a_split_order_finishes_when_its_last_parcel_is_delivered(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 511, "quantity": 2})
    trade_order_id = order["trade_order_id"]
    first, second = (one_unit(tenant, order, 511) for _ in range(2))
    transfer(tenant, create_list(tenant, [first, second]))
    assert trade(tenant, trade_order_id)["delivery_status"] == "Shipped"

    moved(tenant, first, "delivered")
    assert (trade(tenant, trade_order_id)["status"], trade(tenant, trade_order_id)["delivery_status"]) == (
        "InProgress",
        "Shipped",
    )
    moved(tenant, second, "in_transit", status="ProviderPostingSorting")
    moved(tenant, second, "delivered")
    done = trade(tenant, trade_order_id)
    assert (done["status"], done["delivery_status"], done["finish_reason"]) == (
        "Finished",
        "Delivered",
        "ConfirmedByLogistic",
    )


def test_a_parcel_only_moves_forward(tenant: Tenant) -> None:
    _, lo_id = placed_and_shipped(tenant)
    moved(tenant, lo_id, "accepted")
    moved(tenant, lo_id, "in_transit", status="ProviderPostingSorting")

    error = assert_error(
        event(tenant, lo_id, "in_transit", status="CrossDocSorting"), 409, "transition_not_allowed"
    )
    assert error["details"]["current"] == "ProviderPostingSorting"
    assert error["details"]["allowed"] == ["in_transit", "delivered", "problem"]
    assert error["details"]["allowed_problem_states"] == ["DELIVERY_PROBLEM"]
    assert "ProviderPostingLeftTheSorting" in error["message"]
    assert lo_of(tenant, lo_id)["state_status_name"] == "Sorting"
    assert_error(event(tenant, lo_id, "accepted"), 409, "transition_not_allowed")


@pytest.mark.parametrize("name", ["in_transit", "delivered", "problem_resolved"])
def test_a_parcel_still_with_the_seller_cannot_travel(tenant: Tenant, name: str) -> None:
    _, lo_id = placed_and_shipped(tenant)
    error = assert_error(event(tenant, lo_id, name), 409, "transition_not_allowed")
    assert error["details"]["current"] == "AwaitingHandoverList"
    assert error["details"]["problem_state"] is None
    assert error["details"]["allowed"] == ["accepted", "problem"]
    assert error["details"]["allowed_problem_states"] == ["CREATION_ERROR"]  # its date has not passed
    assert "AwaitingHandoverList" in error["message"] and "accepted" in error["message"]
    assert lo_of(tenant, lo_id)["status"] == "AWAITING_ADDING_TO_HANDOVER"


def test_a_member_of_a_list_is_accepted_with_its_list(tenant: Tenant) -> None:
    _, lo_id = placed_and_shipped(tenant)
    list_id = create_list(tenant, [lo_id])
    error = assert_error(event(tenant, lo_id, "accepted"), 409, "transition_not_allowed")
    assert error["details"]["current"] == "AwaitingDispatch"
    assert error["details"]["allowed"] == ["problem"]
    assert error["details"]["allowed_problem_states"] == ["HANDOVER_ERROR"]
    assert f"handover list {list_id}" in error["message"]
    assert lo_of(tenant, lo_id)["status"] == "AWAITING_REPORT_AS_SHIP"


def test_a_delivered_parcel_moves_no_more(tenant: Tenant) -> None:
    _, lo_id = placed_and_shipped(tenant)
    moved(tenant, lo_id, "accepted")
    moved(tenant, lo_id, "delivered")
    for name, extra in [
        ("accepted", {}),
        ("in_transit", {}),
        ("delivered", {}),
        ("problem", {"problem_state": "DELIVERY_PROBLEM"}),
        ("problem_resolved", {}),
    ]:
        error = assert_error(event(tenant, lo_id, name, **extra), 409, "transition_not_allowed")
        assert (error["details"]["current"], error["details"]["allowed"]) == ("ProviderPostingDelivered", [])
    assert lo_of(tenant, lo_id)["status"] == "DELIVERED"


# --- problem states ----------------------------------------------------------------------------
def assert_problem_listed(t: Tenant, lo_id: int, problem: str) -> None:
    assert found_ids(t, problem_state_filter=problem) == {lo_id}
    assert found_ids(t, problem_state_filter="ANY_PROBLEM") == {lo_id}
    assert lo_id not in found_ids(t, problem_state_filter="NO_PROBLEM")
    for other in PROBLEMS:
        if other != problem:
            assert found_ids(t, problem_state_filter=other) == set()


def test_a_creation_error_until_it_is_resolved(tenant: Tenant) -> None:
    trade_order_id, lo_id = placed_and_shipped(tenant)
    body = moved(
        tenant, lo_id, "problem", problem_state="CREATION_ERROR", creation_error="Адрес не распознан"
    )
    assert body["logistic_order"]["state_status"] == "OrderCreationProblems"

    seen = lo_of(tenant, lo_id)
    assert {k: seen[k] for k in ("status", "state_status_name", "problem_state", "creation_error")} == {
        "status": "WITH_ERRORS",
        "state_status_name": "Order creation problems",
        "problem_state": "CREATION_ERROR",
        "creation_error": "Адрес не распознан",
    }
    assert_problem_listed(tenant, lo_id, "CREATION_ERROR")
    assert found_ids(tenant, filter_status="WITH_ERRORS") == {lo_id}
    [embedded] = trade(tenant, trade_order_id)["logistic_orders"]
    assert embedded["status"] == "OrderCreationProblems"
    assert embedded["creation_error"]["description"] == "Адрес не распознан"
    refused = tenant.ae("handover-list/create", {"logistic_order_ids": [lo_id]})
    assert (
        refused.status_code == 409 and refused.json()["error"]["code"] == "ErrorCode.WrongLogisticOrderStatus"
    )

    moved(tenant, lo_id, "problem_resolved")
    seen = lo_of(tenant, lo_id)
    assert seen["status"] == "AWAITING_ADDING_TO_HANDOVER"
    assert "problem_state" not in seen and "creation_error" not in seen
    assert found_ids(tenant, problem_state_filter="NO_PROBLEM") == {lo_id}
    create_list(tenant, [lo_id])  # it can join a list again


def test_a_creation_error_has_a_default_text(tenant: Tenant) -> None:
    _, lo_id = placed_and_shipped(tenant)
    moved(tenant, lo_id, "problem", problem_state="CREATION_ERROR")
    assert lo_of(tenant, lo_id)["creation_error"]


def test_a_handover_error_takes_the_parcel_out_of_its_list(tenant: Tenant) -> None:
    _, first = placed_and_shipped(tenant, 521)
    _, second = placed_and_shipped(tenant, 522)
    list_id = create_list(tenant, [first, second])

    body = moved(tenant, first, "problem", problem_state="HANDOVER_ERROR")
    assert body["logistic_order"]["handover_list_id"] == 0
    seen = lo_of(tenant, first)
    assert {k: seen[k] for k in ("status", "state_status_name", "problem_state", "handover_list_id")} == {
        "status": "WITH_ERRORS",
        "state_status_name": "Adding to handover list problems",
        "problem_state": "HANDOVER_ERROR",
        "handover_list_id": 0,
    }
    assert the_list(tenant, list_id)["logistic_order_ids"] == [second]
    assert_problem_listed(tenant, first, "HANDOVER_ERROR")

    moved(tenant, first, "problem_resolved")
    assert lo_of(tenant, first)["status"] == "AWAITING_ADDING_TO_HANDOVER"
    seller_ok(
        tenant.ae("handover-list/add-logistic-orders", {"handover_list_id": list_id, "order_ids": [first]})
    )


def test_a_missed_shipping_date_is_reported_only_once_it_passed(tenant: Tenant) -> None:
    _, lo_id = placed_and_shipped(tenant)
    error = assert_error(
        event(tenant, lo_id, "problem", problem_state="CUT_OFF_OVERDUE"), 409, "transition_not_allowed"
    )
    assert "has not passed" in error["message"]
    assert "problem_state" not in lo_of(tenant, lo_id)

    tenant.advance(6 * 86400)
    moved(tenant, lo_id, "problem", problem_state="CUT_OFF_OVERDUE")
    seen = lo_of(tenant, lo_id)
    assert (seen["status"], seen["problem_state"]) == ("AWAITING_ADDING_TO_HANDOVER", "CUT_OFF_OVERDUE")
    assert_problem_listed(tenant, lo_id, "CUT_OFF_OVERDUE")
    # one problem at a time
    error = assert_error(
        event(tenant, lo_id, "problem", problem_state="CREATION_ERROR"), 409, "transition_not_allowed"
    )
    assert error["details"]["problem_state"] == "CUT_OFF_OVERDUE"

    # a new shipping date ahead of the clock ends it
    later = (datetime.now(UTC) + timedelta(days=30)).replace(hour=10, minute=0, second=0, microsecond=0)
    assert cut_off(tenant, lo_id, cut_off_date=later.isoformat()).status_code == 200
    assert "problem_state" not in lo_of(tenant, lo_id)
    assert found_ids(tenant, problem_state_filter="NO_PROBLEM") == {lo_id}


def test_handing_over_a_late_parcel_ends_its_overdue_problem(tenant: Tenant) -> None:
    _, lo_id = placed_and_shipped(tenant)
    tenant.advance(6 * 86400)
    moved(tenant, lo_id, "problem", problem_state="CUT_OFF_OVERDUE")
    transfer(tenant, create_list(tenant, [lo_id]))
    seen = lo_of(tenant, lo_id)
    assert seen["status"] == "DELIVERING" and "problem_state" not in seen


def test_a_delivery_problem_lasts_until_the_parcel_is_delivered(tenant: Tenant) -> None:
    _, lo_id = placed_and_shipped(tenant)
    assert_error(
        event(tenant, lo_id, "problem", problem_state="DELIVERY_PROBLEM"), 409, "transition_not_allowed"
    )
    moved(tenant, lo_id, "accepted")

    moved(tenant, lo_id, "problem", problem_state="DELIVERY_PROBLEM")
    seen = lo_of(tenant, lo_id)
    assert (seen["status"], seen["problem_state"]) == ("DELIVERING", "DELIVERY_PROBLEM")
    assert_problem_listed(tenant, lo_id, "DELIVERY_PROBLEM")
    moved(tenant, lo_id, "in_transit")
    assert lo_of(tenant, lo_id)["problem_state"] == "DELIVERY_PROBLEM"

    moved(tenant, lo_id, "delivered")
    seen = lo_of(tenant, lo_id)
    assert seen["status"] == "DELIVERED" and "problem_state" not in seen
    assert found_ids(tenant, problem_state_filter="ANY_PROBLEM") == set()


def test_a_delivery_problem_can_be_resolved_on_the_way(tenant: Tenant) -> None:
    _, lo_id = placed_and_shipped(tenant)
    moved(tenant, lo_id, "accepted")
    moved(tenant, lo_id, "problem", problem_state="DELIVERY_PROBLEM")
    body = moved(tenant, lo_id, "problem_resolved")
    assert body["logistic_order"]["problem_state"] is None
    seen = lo_of(tenant, lo_id)
    assert seen["status"] == "DELIVERING" and "problem_state" not in seen


# --- buyer cancels -----------------------------------------------------------------------------
def test_a_buyer_cancels_an_order_and_its_logistic_orders(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 531, "quantity": 2})
    trade_order_id = order["trade_order_id"]
    first, second = (one_unit(tenant, order, 531) for _ in range(2))
    list_id = create_list(tenant, [first])
    _, bystander = placed_and_shipped(tenant, 532)
    seller_ok(
        tenant.ae(
            "handover-list/add-logistic-orders", {"handover_list_id": list_id, "order_ids": [bystander]}
        )
    )

    resp = cancel(tenant, trade_order_id, reason="BuyerChangeMailAddress")
    assert resp.status_code == 200, resp.text
    assert resp.json()["status"] == "Cancelled"
    assert {lo["state_status"] for lo in resp.json()["logistic_orders"]} == {"Cancelled"}

    seen = trade(tenant, trade_order_id)
    assert {
        k: seen[k]
        for k in ("status", "payment_status", "delivery_status", "order_display_status", "finish_reason")
    } == {
        "status": "Cancelled",
        "payment_status": "Cancelled",
        "delivery_status": "Cancelled",
        "order_display_status": "Close",
        "finish_reason": "BuyerChangeMailAddress",
    }
    assert trade_ids(tenant, order_statuses=["Cancelled"]) == {trade_order_id}
    for lo_id in (first, second):
        lo = lo_of(tenant, lo_id)
        assert (lo["status"], lo["state_status_name"], lo["handover_list_id"]) == (
            "CANCELLED",
            "Cancelled",
            0,
        )
    assert found_ids(tenant, filter_status="CANCELLED") == {first, second}
    assert the_list(tenant, list_id)["logistic_order_ids"] == [bystander]
    assert lo_of(tenant, bystander)["status"] == "AWAITING_REPORT_AS_SHIP"
    refused = tenant.ae(
        "logistic-order/create",
        {
            "orders": [
                {
                    "trade_order_id": trade_order_id,
                    "total_length": 1,
                    "total_width": 1,
                    "total_height": 1,
                    "total_weight": 1,
                    "items": [{"sku_id": 531, "quantity": 1}],
                }
            ]
        },
    )
    assert refused.json()["data"]["errors"]["common_errors"][0]["code"] == "TradeOrderClosed"
    result = seller_ok(tenant.ae("logistic-order/delete", {"logistic_order_ids": [first]}))
    assert result["deletion_result_map"][str(first)] == {
        "deleted_at": None,
        "error_message": f"Failed to delete logistic order {first}: it is Cancelled",
    }

    error = assert_error(cancel(tenant, trade_order_id), 409, "transition_not_allowed")
    assert (error["details"]["current"], error["details"]["allowed"]) == ("Cancelled", [])


def test_a_buyer_cancels_an_order_nothing_was_shipped_for(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 541, "quantity": 1})
    resp = cancel(tenant, order["trade_order_id"])
    assert resp.status_code == 200, resp.text
    assert resp.json()["logistic_orders"] == []
    seen = trade(tenant, order["trade_order_id"])
    assert (seen["status"], seen["finish_reason"]) == ("Cancelled", "CancelledByBuyer")


@pytest.mark.parametrize("handed_over_by", ["carrier", "transfer"])
def test_a_buyer_cannot_cancel_once_a_parcel_is_with_the_carrier(tenant: Tenant, handed_over_by: str) -> None:
    trade_order_id, lo_id = placed_and_shipped(tenant)
    if handed_over_by == "carrier":
        moved(tenant, lo_id, "accepted")
    else:
        transfer(tenant, create_list(tenant, [lo_id]))

    error = assert_error(cancel(tenant, trade_order_id), 409, "transition_not_allowed")
    assert error["details"]["current"] == "InProgress"
    assert error["details"]["handed_over_logistic_order_ids"] == [lo_id]
    assert error["details"]["allowed"] == []
    seen = trade(tenant, trade_order_id)
    assert (seen["status"], seen["delivery_status"]) == ("InProgress", "Shipped")
    assert lo_of(tenant, lo_id)["status"] == "DELIVERING"


def test_a_finished_order_cannot_be_cancelled(tenant: Tenant) -> None:
    trade_order_id, lo_id = placed_and_shipped(tenant)
    moved(tenant, lo_id, "accepted")
    moved(tenant, lo_id, "delivered")
    error = assert_error(cancel(tenant, trade_order_id), 409, "transition_not_allowed")
    assert error["details"]["current"] == "Finished"
    assert trade(tenant, trade_order_id)["status"] == "Finished"


# --- handover lists ----------------------------------------------------------------------------
def test_the_carrier_accepts_a_transferred_list(tenant: Tenant) -> None:
    ids = [placed_and_shipped(tenant, sku)[1] for sku in (551, 552)]
    list_id = create_list(tenant, ids)
    error = assert_error(accept(tenant, list_id), 409, "transition_not_allowed")
    assert (error["details"]["current"], error["details"]["allowed"]) == ("Created", [])
    assert the_list(tenant, list_id)["status"] == "Created"

    transfer(tenant, list_id)
    resp = accept(tenant, list_id)
    assert resp.status_code == 200, resp.text
    assert resp.json() == {
        "handover_list_id": list_id,
        "status": "Accepted",
        "logistic_order_ids": sorted(ids),
        "rejected_logistic_order_ids": [],
    }
    listed = the_list(tenant, list_id)
    assert (listed["status"], sorted(listed["logistic_order_ids"])) == ("Accepted", sorted(ids))
    statuses = {
        h["handover_list_id"]
        for h in seller_ok(
            tenant.ae(
                "handover-list/get-by-filter", {"page_size": 10, "page_number": 1, "statuses": ["Accepted"]}
            )
        )["data_source"]
    }
    assert statuses == {list_id}
    assert {lo_of(tenant, lo_id)["status"] for lo_id in ids} == {"DELIVERING"}

    error = assert_error(accept(tenant, list_id), 409, "transition_not_allowed")
    assert error["details"]["current"] == "Accepted"


def test_the_carrier_refuses_some_parcels_of_a_list(tenant: Tenant) -> None:
    kept_order, kept = placed_and_shipped(tenant, 561)
    refused_order, refused = placed_and_shipped(tenant, 562)
    list_id = create_list(tenant, [kept, refused])
    transfer(tenant, list_id)
    assert trade(tenant, refused_order)["delivery_status"] == "Shipped"

    resp = accept(tenant, list_id, rejected_logistic_order_ids=[refused])
    assert resp.status_code == 200, resp.text
    assert (resp.json()["status"], resp.json()["rejected_logistic_order_ids"]) == (
        "PartiallyAccepted",
        [refused],
    )
    assert the_list(tenant, list_id)["status"] == "PartiallyAccepted"
    seen = lo_of(tenant, refused)
    assert (seen["status"], seen["state_status_name"]) == ("CANCELLED", "Rejected by carrier")
    assert lo_of(tenant, kept)["status"] == "DELIVERING"
    back = trade(tenant, refused_order)
    assert (back["status"], back["delivery_status"], back["order_display_status"]) == (
        "InProgress",
        "Init",
        "WaitSendGoods",
    )
    assert trade(tenant, kept_order)["delivery_status"] == "Shipped"
    # The refused units are free again: the seller ships them anew.
    assert tenant.ship({"trade_order_id": refused_order, "lines": [{"sku_id": 562, "quantity": 1}]})


def test_a_refused_acceptance_changes_nothing(tenant: Tenant) -> None:
    ids = [placed_and_shipped(tenant, sku)[1] for sku in (571, 572)]
    _, outsider = placed_and_shipped(tenant, 573)
    list_id = create_list(tenant, ids)
    transfer(tenant, list_id)
    moved(tenant, ids[1], "in_transit")

    error = assert_error(
        accept(tenant, list_id, rejected_logistic_order_ids=[ids[0], outsider]), 409, "OrderNotInHandoverList"
    )
    assert error["details"]["field"] == "rejected_logistic_order_ids[1]"
    error = assert_error(
        accept(tenant, list_id, rejected_logistic_order_ids=[ids[1]]), 409, "transition_not_allowed"
    )
    assert error["details"]["current"] == "CrossDocSorting"
    _, third = placed_and_shipped(tenant, 574)
    single = create_list(tenant, [third])
    transfer(tenant, single)
    error = assert_error(
        accept(tenant, single, rejected_logistic_order_ids=[third]), 409, "transition_not_allowed"
    )
    assert error["details"]["allowed"] == ["Accepted", "PartiallyAccepted"]

    assert the_list(tenant, list_id)["status"] == "Transferred"
    assert the_list(tenant, single)["status"] == "Transferred"
    assert lo_of(tenant, ids[0])["status"] == "DELIVERING"
    assert lo_of(tenant, third)["status"] == "DELIVERING"


# --- shipping dates ----------------------------------------------------------------------------
def test_the_shipping_date_moves_at_most_twice(tenant: Tenant) -> None:
    trade_order_id, lo_id = placed_and_shipped(tenant)
    original = at(lo_of(tenant, lo_id)["cut_off_date"])
    now = at(tenant.advance(3600))

    resp = cut_off(tenant, lo_id)
    assert resp.status_code == 200, resp.text
    spare = next_working_day_10_utc(original)
    assert at(resp.json()["logistic_order"]["cut_off_date"]) == spare
    assert resp.json()["logistic_order"]["cut_off_shifts"] == 1
    assert at(lo_of(tenant, lo_id)["cut_off_date"]) == spare
    assert at(trade(tenant, trade_order_id)["updated_at"]) >= now

    chosen = datetime(spare.year, spare.month, spare.day, 10, tzinfo=UTC) + timedelta(days=7)
    resp = cut_off(tenant, lo_id, cut_off_date=chosen.astimezone(MSK).isoformat())
    assert resp.status_code == 200, resp.text
    assert at(lo_of(tenant, lo_id)["cut_off_date"]) == chosen
    day = chosen.date().isoformat()
    assert found_ids(
        tenant, gmt_cut_off_date_from=f"{day}T00:00:00Z", gmt_cut_off_date_to=f"{day}T23:59:59Z"
    ) == {lo_id}

    error = assert_error(cut_off(tenant, lo_id), 409, "ErrorCode.CutOffDateShiftLimit")
    assert (error["details"]["cut_off_shifts"], error["details"]["max_cut_off_shifts"]) == (2, 2)
    assert error["details"]["current"] == "AwaitingHandoverList"
    assert at(lo_of(tenant, lo_id)["cut_off_date"]) == chosen
    # The seller's pass-today counts against the same two moves.
    refused = tenant.ae("logistic-order/pass-today", {"order_id": lo_id})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "ErrorCode.CutOffDateShiftLimit"


def test_pass_today_and_the_marketplace_share_the_two_moves(tenant: Tenant) -> None:
    _, lo_id = placed_and_shipped(tenant)
    seller_ok(tenant.ae("logistic-order/pass-today", {"order_id": lo_id}))
    assert cut_off(tenant, lo_id).status_code == 200
    assert_error(cut_off(tenant, lo_id), 409, "ErrorCode.CutOffDateShiftLimit")


def test_a_moved_date_takes_the_parcel_out_of_its_list(tenant: Tenant) -> None:
    _, first = placed_and_shipped(tenant, 581)
    _, second = placed_and_shipped(tenant, 582)
    list_id = create_list(tenant, [first, second])
    body = cut_off(tenant, first).json()
    assert body["logistic_order"]["handover_list_id"] == 0
    seen = lo_of(tenant, first)
    assert (seen["status"], seen["handover_list_id"]) == ("AWAITING_ADDING_TO_HANDOVER", 0)
    assert the_list(tenant, list_id)["logistic_order_ids"] == [second]


def test_a_handed_over_parcel_keeps_its_date(tenant: Tenant) -> None:
    _, lo_id = placed_and_shipped(tenant)
    before = lo_of(tenant, lo_id)["cut_off_date"]
    moved(tenant, lo_id, "accepted")
    error = assert_error(cut_off(tenant, lo_id), 409, "ErrorCode.WrongLogisticOrderStatus")
    assert error["details"]["current"] == "OrderReceivedFromSeller"
    assert lo_of(tenant, lo_id)["cut_off_date"] == before


def test_a_new_date_must_be_on_a_later_day(tenant: Tenant) -> None:
    _, lo_id = placed_and_shipped(tenant)
    current = at(lo_of(tenant, lo_id)["cut_off_date"])
    for value in (current, current + timedelta(hours=5), current - timedelta(days=3)):
        error = assert_error(cut_off(tenant, lo_id, cut_off_date=value.isoformat()), 400, "ValidationError")
        assert error["details"]["field"] == "cut_off_date"
    assert at(lo_of(tenant, lo_id)["cut_off_date"]) == current
    assert cut_off(tenant, lo_id).json()["logistic_order"]["cut_off_shifts"] == 1  # none of those counted


# --- bad input, unknown objects, other tenants -------------------------------------------------
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "event"),
        ({"event": "teleported"}, "event"),
        ({"event": "problem"}, "problem_state"),
        ({"event": "problem", "problem_state": "LOST"}, "problem_state"),
        ({"event": "accepted", "problem_state": "DELIVERY_PROBLEM"}, "problem_state"),
        ({"event": "in_transit", "status": "Cancelled"}, "status"),
        ({"event": "in_transit", "status": "ProviderPostingDelivered"}, "status"),
        ({"event": "delivered", "status": "ProviderPostingArrived"}, "status"),
        ({"event": "problem", "problem_state": "DELIVERY_PROBLEM", "creation_error": "x"}, "creation_error"),
        ({"event": "problem", "problem_state": "CREATION_ERROR", "creation_error": ""}, "creation_error"),
        ({"event": "accepted", "when": "now"}, None),
        ({"event": 1}, "event"),
        ([], None),
    ],
)
def test_bad_event_bodies_are_refused(tenant: Tenant, body: Any, field: str | None) -> None:
    _, lo_id = placed_and_shipped(tenant)
    error = assert_error(world(tenant, f"logistic-orders/{lo_id}/events", body), 400, "ValidationError")
    if field is not None:
        assert error["details"]["field"] == field
        assert field in error["message"]
    assert lo_of(tenant, lo_id)["status"] == "AWAITING_ADDING_TO_HANDOVER"


@pytest.mark.parametrize(
    ("route", "body", "code", "field"),
    [
        ("orders/{to}/cancel", {"reason": "Whim"}, "ValidationError", "reason"),
        ("orders/{to}/cancel", None, "ValidationError", None),
        ("logistic-orders/{lo}/cut-off", {"cut_off_date": "tomorrow"}, "InvalidDate", "cut_off_date"),
        (
            "logistic-orders/{lo}/cut-off",
            {"cut_off_date": "9999-12-31T23:00:00Z"},
            "InvalidDate",
            "cut_off_date",
        ),
        ("logistic-orders/{lo}/cut-off", {"cut_off": "2030-01-01T10:00:00Z"}, "ValidationError", None),
        ("handover-lists/{hl}/accept", {"rejected_logistic_order_ids": [0]}, "ValidationError", None),
        ("handover-lists/{hl}/accept", {"rejected_logistic_order_ids": "all"}, "ValidationError", None),
        ("logistic-orders/abc/events", {"event": "accepted"}, "InvalidId", "logistic_order_id"),
        ("orders/-5/cancel", {}, "InvalidId", "trade_order_id"),
        ("handover-lists/99999999999999999999/accept", {}, "InvalidId", "handover_list_id"),
    ],
)
def test_bad_requests_are_refused(
    tenant: Tenant, route: str, body: Any, code: str, field: str | None
) -> None:
    trade_order_id, lo_id = placed_and_shipped(tenant)
    list_id = create_list(tenant, [lo_id])
    transfer(tenant, list_id)
    before = (trade(tenant, trade_order_id), lo_of(tenant, lo_id), the_list(tenant, list_id))
    path = route.format(to=trade_order_id, lo=lo_id, hl=list_id)
    resp = world(tenant, path, raw=b"") if body is None else world(tenant, path, body)
    error = assert_error(resp, 400, code)
    if field is not None:
        assert error["details"]["field"] == field
        assert field in error["message"]
    assert (trade(tenant, trade_order_id), lo_of(tenant, lo_id), the_list(tenant, list_id)) == before


def test_a_body_that_is_not_json_is_refused(tenant: Tenant) -> None:
    _, lo_id = placed_and_shipped(tenant)
    assert_error(world(tenant, f"logistic-orders/{lo_id}/events", raw=b'{"event": '), 400, "ValidationError")


ROUTES: list[tuple[str, dict[str, Any]]] = [
    ("orders/{to}/cancel", {}),
    ("logistic-orders/{lo}/events", {"event": "accepted"}),
    ("logistic-orders/{lo}/cut-off", {}),
    ("handover-lists/{hl}/accept", {}),
]


@pytest.mark.parametrize(("route", "body"), ROUTES)
def test_unknown_tenants_and_objects_are_not_found(
    http: httpx.Client, tenant: Tenant, route: str, body: Any
) -> None:
    path = route.format(to=UNKNOWN_ID, lo=UNKNOWN_ID, hl=UNKNOWN_ID)
    error = assert_error(
        http.post(f"/sandbox/tenants/{2**62}/aliexpress/{path}", json=body), 404, "TenantNotFound"
    )
    assert str(2**62) in error["message"]
    error = assert_error(world(tenant, path, body), 404, error_code_for(route))
    assert str(UNKNOWN_ID) in error["message"]


def error_code_for(route: str) -> str:
    return {
        "orders": "OrderNotFound",
        "logistic-orders": "LogisticOrderNotFound",
        "handover-lists": "HandoverListNotFound",
    }[route.split("/")[0]]


def test_a_deleted_logistic_order_is_not_found(tenant: Tenant) -> None:
    _, lo_id = placed_and_shipped(tenant)
    seller_ok(tenant.ae("logistic-order/delete", {"logistic_order_ids": [lo_id]}))
    assert_error(event(tenant, lo_id, "accepted"), 404, "LogisticOrderNotFound")
    assert_error(cut_off(tenant, lo_id), 404, "LogisticOrderNotFound")


@pytest.mark.parametrize(("route", "body"), ROUTES)
def test_another_tenant_cannot_move_this_tenants_objects(
    tenant: Tenant, other_tenant: Tenant, route: str, body: Any
) -> None:
    trade_order_id, lo_id = placed_and_shipped(tenant)
    list_id = create_list(tenant, [lo_id])
    transfer(tenant, list_id)
    before = (trade(tenant, trade_order_id), lo_of(tenant, lo_id), the_list(tenant, list_id))
    if route.startswith("logistic-orders"):  # a parcel still with the seller: every move would be possible
        _, lo_id = placed_and_shipped(tenant, 591)
        before = (trade(tenant, trade_order_id), lo_of(tenant, lo_id), the_list(tenant, list_id))
    path = route.format(to=trade_order_id, lo=lo_id, hl=list_id)

    error = assert_error(world(other_tenant, path, body), 404, error_code_for(route))
    assert str(other_tenant.seller_id) not in error["message"]
    assert (trade(tenant, trade_order_id), lo_of(tenant, lo_id), the_list(tenant, list_id)) == before
    # ...while the owner can
    assert world(tenant, path, body).status_code == (409 if route.startswith("orders") else 200)
