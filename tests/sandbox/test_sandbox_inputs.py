"""Sandbox inputs at and past the limits: clear 400/404/409 in the sandbox envelope, never a 500."""

from __future__ import annotations

import httpx
import pytest

from marketbox.store.tables import TRADE_ORDER_ID_START
from tests.conftest import Tenant


@pytest.mark.parametrize("seller_id", ["%C2%B2", "99999999999999999999", "0", "-1"])
def test_malformed_seller_ids_are_refused(http: httpx.Client, seller_id: str) -> None:
    resp = http.get(f"/sandbox/tenants/{seller_id}")
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["details"]["field"] == "seller_id"


def test_pinned_trade_order_ids_stay_below_generated_ones(http: httpx.Client, tenant: Tenant) -> None:
    for pinned in (TRADE_ORDER_ID_START, 2**63 - 1):
        resp = http.post(
            f"/sandbox/tenants/{tenant.seller_id}/aliexpress/orders",
            json={"lines": [{"sku_id": 1, "quantity": 1}], "trade_order_id": pinned},
        )
        assert resp.status_code == 400, resp.text
        assert resp.json()["error"]["details"]["field"] == "trade_order_id"
    # the generated ids still work for everybody afterwards
    tenant.order({"sku_id": 1, "quantity": 1})


def test_a_pinned_id_taken_by_another_tenant_is_a_conflict(
    http: httpx.Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    pinned = 4_000_000_000_000_000 + tenant.seller_id  # unique per test run, below generated ids
    assert tenant.order({"sku_id": 1, "quantity": 1}, trade_order_id=pinned)["trade_order_id"] == pinned
    resp = http.post(
        f"/sandbox/tenants/{other_tenant.seller_id}/aliexpress/orders",
        json={"lines": [{"sku_id": 1, "quantity": 1}], "trade_order_id": pinned},
    )
    assert resp.status_code == 409
    assert resp.json()["error"]["code"] == "DuplicateOrder"


def test_the_clock_stops_short_of_the_end_of_dates(http: httpx.Client, tenant: Tenant) -> None:
    step = 10 * 365 * 86400
    last = None
    for _ in range(800):
        resp = http.post(f"/sandbox/tenants/{tenant.seller_id}/clock/advance", json={"seconds": step})
        if resp.status_code != 200:
            last = resp
            break
    # where the clock stands refuses the step (the same request was fine before): a conflict
    assert last is not None and last.status_code == 409
    assert last.json()["error"]["code"] == "ClockTooFar"
    # the tenant still works at its last valid time
    assert tenant.ae("logistic-order/get", {"page": 1, "page_size": 1}).status_code == 200
    tenant.order({"sku_id": 1, "quantity": 1})


def test_a_path_id_with_a_zero_fraction_is_that_integer(http: httpx.Client, tenant: Tenant) -> None:
    # The document declares path ids as integers, and JSON Schema's integers include 5.0.
    assert http.get(f"/sandbox/tenants/{tenant.seller_id}.0/clock").status_code == 200
    for bad in (f"{tenant.seller_id}.5", f"{tenant.seller_id}.", "1e3"):
        resp = http.get(f"/sandbox/tenants/{bad}/clock")
        assert resp.status_code == 400 and resp.json()["error"]["code"] == "InvalidSellerId", bad
