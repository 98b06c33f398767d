"""Inputs at and past the limits get a 400 in the AliExpress envelope, never a 500."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from tests.conftest import Tenant


def assert_invalid(resp: httpx.Response, field: str) -> None:
    assert resp.status_code == 400, resp.text
    body = resp.json()
    assert body["data"] is None
    assert body["error"]["code"] == "ErrorCode.ValidationError"
    assert field in body["error"]["message"]


@pytest.mark.parametrize(
    "field", ["order_statuses", "payment_statuses", "delivery_statuses", "antifraud_statuses"]
)
def test_unknown_order_list_statuses_are_refused(tenant: Tenant, field: str) -> None:
    assert_invalid(
        tenant.ae("order/get-order-list", {"page": 1, "page_size": 10, field: ["Nope"]}), f"{field}[0]"
    )


def test_order_list_statuses_match_case_insensitively(tenant: Tenant) -> None:
    tenant.order({"sku_id": 1, "quantity": 1})
    resp = tenant.ae("order/get-order-list", {"page": 1, "page_size": 10, "order_statuses": ["created"]})
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"]["total_count"] == 1


def test_an_empty_handover_status_is_refused(tenant: Tenant) -> None:
    resp = tenant.ae("handover-list/get-by-filter", {"page_size": 10, "page_number": 1, "statuses": [""]})
    assert_invalid(resp, "statuses[0]")


@pytest.mark.parametrize(
    "path,body",
    [
        ("logistic-order/get", {"page": 1, "page_size": 10}),
        ("order/get-order-list", {"page": 1, "page_size": 10}),
    ],
)
def test_filter_lists_are_bounded(tenant: Tenant, path: str, body: dict[str, object]) -> None:
    numbers = [f"RU{i:09d}" for i in range(1001)]
    assert_invalid(tenant.ae(path, {**body, "tracking_numbers": numbers}), "tracking_numbers")
    ok = tenant.ae(path, {**body, "tracking_numbers": numbers[:1000]})
    assert ok.status_code == 200, ok.text


def test_updated_at_to_errors_name_that_field(tenant: Tenant) -> None:
    resp = tenant.ae(
        "order/get-order-list", {"page": 1, "page_size": 10, "updated_at_to": "0001-01-01T00:00:00+05:00"}
    )
    assert_invalid(resp, "updated_at_to")


def test_handover_changes_move_the_trade_order_for_update_pollers(tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 1, "quantity": 1})
    [lo_id] = tenant.ship(order)

    def updated_at() -> datetime:
        resp = tenant.ae(
            "order/get-order-list", {"page": 1, "page_size": 1, "order_ids": [order["trade_order_id"]]}
        )
        return datetime.fromisoformat(resp.json()["data"]["orders"][0]["updated_at"])

    before = updated_at()
    tenant.advance(60)
    created = tenant.ae("handover-list/create", {"logistic_order_ids": [lo_id]})
    assert created.status_code == 200, created.text
    after_create = updated_at()
    assert after_create > before
    tenant.advance(60)
    removed = tenant.ae(
        "handover-list/remove-logistic-orders",
        {"handover_list_id": created.json()["data"]["handover_list_id"], "order_ids": [lo_id]},
    )
    assert removed.status_code == 200, removed.text
    after_remove = updated_at()
    assert after_remove > after_create
    tenant.advance(60)
    assert tenant.ae("logistic-order/pass-today", {"order_id": lo_id}).status_code == 200
    assert updated_at() > after_remove


def test_pass_today_outside_a_list_keeps_the_status(tenant: Tenant) -> None:
    [lo_id] = tenant.ship(tenant.order({"sku_id": 1, "quantity": 1}))
    assert tenant.ae("logistic-order/pass-today", {"order_id": lo_id}).status_code == 200
    got = tenant.ae("logistic-order/get", {"page": 1, "page_size": 1, "logistic_order_ids": [lo_id]}).json()
    assert got["data"]["logistic_orders"][0]["status"] == "AWAITING_ADDING_TO_HANDOVER"


@pytest.mark.parametrize("token", ["not-a-token", "0" * 31, "A" * 32, "0" * 33])
def test_malformed_document_tokens_answer_404_in_the_envelope(http: httpx.Client, token: str) -> None:
    resp = http.get(f"/documents/{token}")
    assert resp.status_code == 404
    assert resp.json()["error"]["code"] == "ErrorCode.DocumentNotFound"


def test_a_nul_in_a_document_token_is_a_400_in_the_envelope(http: httpx.Client) -> None:
    resp = http.get("/documents/%00")
    assert resp.status_code == 400
    assert resp.json() == {
        "data": None,
        "error": {
            "code": "ErrorCode.ValidationError",
            "message": "the path must not contain NUL characters",
            "details": None,
        },
    }
