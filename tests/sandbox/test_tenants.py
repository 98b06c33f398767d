"""The sandbox tenant and clock contract (shapes fixed by the issue tracker)."""

from __future__ import annotations

from datetime import datetime

import httpx

from tests.conftest import Tenant, new_tenant


def test_create_tenant_returns_credentials_for_both_marketplaces(http: httpx.Client) -> None:
    resp = http.post("/sandbox/tenants", json={"name": "Acme"})
    assert resp.status_code == 201
    body = resp.json()
    assert isinstance(body["seller_id"], int)
    assert body["name"] == "Acme"
    assert body["aliexpress"]["token"]
    assert body["lamoda"]["client_id"] and body["lamoda"]["client_secret"]
    assert http.get(f"/sandbox/tenants/{body['seller_id']}").json()["aliexpress"] == body["aliexpress"]


def test_tenants_get_distinct_ids_and_tokens(http: httpx.Client) -> None:
    a, b = new_tenant(http, "A"), new_tenant(http, "B")
    assert a.seller_id != b.seller_id
    assert a.token != b.token


def test_bad_tenant_bodies_are_refused_in_the_sandbox_envelope(http: httpx.Client) -> None:
    for body in ({}, {"name": ""}, {"name": 5}, []):
        resp = http.post("/sandbox/tenants", json=body)
        assert resp.status_code == 400, body
        assert resp.json()["error"]["code"] == "ValidationError"
    resp = http.post("/sandbox/tenants", content=b"{not json", headers={"content-type": "application/json"})
    assert resp.status_code == 400


def test_deleting_a_tenant_removes_its_data_and_credentials(http: httpx.Client, tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 101, "quantity": 2})
    tenant.ship(order)
    assert http.delete(f"/sandbox/tenants/{tenant.seller_id}").status_code == 204
    assert tenant.ae("logistic-order/get", {"page": 1, "page_size": 10}).status_code == 401
    assert http.get(f"/sandbox/tenants/{tenant.seller_id}").status_code == 404
    resp = http.delete(f"/sandbox/tenants/{tenant.seller_id}")
    assert resp.status_code == 404
    assert resp.json()["error"]["code"] == "TenantNotFound"


def test_clock_advance_moves_every_timestamp_the_seller_sees(tenant: Tenant) -> None:
    before = datetime.fromisoformat(tenant.advance(0))
    now = datetime.fromisoformat(tenant.advance(3 * 86400))
    assert (now - before).total_seconds() >= 3 * 86400
    order = tenant.order({"sku_id": 7, "quantity": 1})
    assert datetime.fromisoformat(order["created_at"]) >= now
    [lo_id] = tenant.ship(order)
    got = tenant.ae("logistic-order/get", {"page": 1, "page_size": 1, "logistic_order_ids": [lo_id]}).json()
    assert datetime.fromisoformat(got["data"]["logistic_orders"][0]["gmt_create"]) >= now


def test_clock_refuses_to_go_backwards(http: httpx.Client, tenant: Tenant) -> None:
    resp = http.post(f"/sandbox/tenants/{tenant.seller_id}/clock/advance", json={"seconds": -5})
    assert resp.status_code == 400
    assert resp.json()["error"]["details"]["field"] == "seconds"


def test_clocks_are_per_tenant(http: httpx.Client, tenant: Tenant, other_tenant: Tenant) -> None:
    moved = datetime.fromisoformat(tenant.advance(10 * 86400))
    other_now = datetime.fromisoformat(
        http.get(f"/sandbox/tenants/{other_tenant.seller_id}/clock").json()["now"]
    )
    assert (moved - other_now).total_seconds() > 9 * 86400


def test_unknown_tenant_paths_answer_404(http: httpx.Client) -> None:
    assert (
        http.post(
            "/sandbox/tenants/999999/aliexpress/orders", json={"lines": [{"sku_id": 1, "quantity": 1}]}
        ).status_code
        == 404
    )
    assert http.post("/sandbox/tenants/abc/clock/advance", json={"seconds": 1}).status_code == 400
    assert http.get("/sandbox/nothing-here").json()["error"]["code"] == "NotFound"
