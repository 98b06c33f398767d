"""Fault injection as a client sees it: latency, 429 with Retry-After, 500/503 before or after the
write, in each marketplace API's own error body; counted, probable, per tenant, never on the sandbox."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import Tenant, new_tenant
from tests.databases import fresh_database
from tests.dialects.lamoda.helpers import Lamoda
from tests.servers import running_server

PAGE = {"page": 1, "page_size": 50}


def add_fault(tenant: Tenant, **rule: Any) -> dict[str, Any]:
    resp = tenant.http.post(f"/sandbox/tenants/{tenant.seller_id}/faults", json=rule)
    assert resp.status_code == 201, resp.text
    return dict(resp.json())


def faults_of(tenant: Tenant) -> dict[int, dict[str, Any]]:
    resp = tenant.http.get(f"/sandbox/tenants/{tenant.seller_id}/faults")
    assert resp.status_code == 200, resp.text
    return {rule["id"]: rule for rule in resp.json()["faults"]}


def logistic_order_ids(tenant: Tenant) -> list[int]:
    resp = tenant.ae("logistic-order/get", PAGE)
    assert resp.status_code == 200, resp.text
    return [lo["logistic_order_id"] for lo in resp.json()["data"]["logistic_orders"]]


def create_body(trade_order: dict[str, Any]) -> dict[str, Any]:
    line = trade_order["lines"][0]
    return {
        "orders": [
            {
                "trade_order_id": trade_order["trade_order_id"],
                "total_length": 20,
                "total_width": 10,
                "total_height": 5,
                "total_weight": 1.5,
                "items": [{"sku_id": line["sku_id"], "quantity": line["quantity"]}],
            }
        ]
    }


def ae_error(resp: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["data"] is None and body["error"]["code"] == code, body
    assert set(body["error"]) == {"code", "message", "details"}
    return dict(body["error"])


def test_latency_delays_the_call_then_serves_it(tenant: Tenant) -> None:
    rule = add_fault(tenant, path="/seller-api/v1/logistic-order/get", latency_ms=400)
    assert rule["action"] == "latency" and rule["latency_ms"] == 400
    started = time.perf_counter()
    resp = tenant.ae("logistic-order/get", PAGE)
    elapsed = time.perf_counter() - started
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"]["page_info"]["total"] == 0
    assert elapsed >= 0.39, elapsed
    assert faults_of(tenant)[rule["id"]]["hits"] == 1


def test_latency_and_an_error_add_up(tenant: Tenant) -> None:
    add_fault(tenant, path="/seller-api/*", latency_ms=300)
    add_fault(tenant, path="/seller-api/*", status=503, retry_after=2)
    started = time.perf_counter()
    resp = tenant.ae("logistic-order/get", PAGE)
    assert time.perf_counter() - started >= 0.29
    ae_error(resp, 503, "ErrorCode.ServiceUnavailable")
    assert resp.headers["Retry-After"] == "2"


def test_429_with_retry_after_in_each_apis_own_body(tenant: Tenant) -> None:
    lamoda = Lamoda(tenant)  # its token is taken before the rules exist
    add_fault(tenant, path="*", status=429, retry_after=7)

    ae = tenant.ae("logistic-order/get", PAGE)
    error = ae_error(ae, 429, "ErrorCode.TooManyRequests")
    assert "retry in 7 s" in error["message"]
    assert ae.headers["Retry-After"] == "7"

    v1 = lamoda.v1_get("orders")
    assert v1.status_code == 429 and v1.headers["Retry-After"] == "7"
    body = v1.json()
    assert (body["code"], body["message"], body["errors"]) == (429, "Too Many Requests", [])
    assert "retry in 7 s" in body["description"]

    v2 = lamoda.v2_get("orders")
    assert v2.status_code == 429 and v2.headers["Retry-After"] == "7"
    assert v2.json()["error"]["code"] == "TOO_MANY_REQUESTS"
    assert set(v2.json()["error"]) == {"code", "message", "details"}

    creds = tenant.body["lamoda"]
    token_v1 = tenant.http.get(
        "/auth/token", params={**creds, "grant_type": "client_credentials"}
    )  # the token endpoints too, once the client is known
    assert token_v1.status_code == 429 and token_v1.json()["code"] == 429
    token_v2 = tenant.http.post("/api/v2/auth-token", json={**creds, "grant_type": "client_credentials"})
    assert token_v2.status_code == 429 and token_v2.json()["error"]["code"] == "TOO_MANY_REQUESTS"
    assert token_v2.headers["Retry-After"] == "7"
    # a wrong secret is still a 401: faults apply to a known tenant only
    wrong = tenant.http.post(
        "/api/v2/auth-token",
        json={"client_id": creds["client_id"], "client_secret": "nope", "grant_type": "client_credentials"},
    )
    assert wrong.status_code == 401


def test_a_503_without_retry_after_sends_no_header(tenant: Tenant) -> None:
    add_fault(tenant, path="/seller-api/v1/*", status=503)
    resp = tenant.ae("logistic-order/get", PAGE)
    ae_error(resp, 503, "ErrorCode.ServiceUnavailable")
    assert "Retry-After" not in resp.headers


def test_500_before_the_write_changes_nothing(tenant: Tenant) -> None:
    trade_order = tenant.order({"sku_id": 7, "quantity": 1})
    rule = add_fault(tenant, method="POST", path="/seller-api/v1/logistic-order/create", status=500, count=1)
    assert rule["when"] == "before"
    resp = tenant.ae("logistic-order/create", create_body(trade_order))
    ae_error(resp, 500, "ErrorCode.InternalError")
    assert logistic_order_ids(tenant) == []  # the read is not faulted, and shows no change
    # the client retries: the rule is spent, the create goes through once
    resp = tenant.ae("logistic-order/create", create_body(trade_order))
    assert resp.status_code == 200, resp.text
    assert len(logistic_order_ids(tenant)) == 1


def test_503_after_the_write_keeps_the_change(tenant: Tenant) -> None:
    trade_order = tenant.order({"sku_id": 8, "quantity": 1})
    add_fault(tenant, path="/seller-api/v1/logistic-order/create", status=503, when="after", retry_after=1)
    resp = tenant.ae("logistic-order/create", create_body(trade_order))
    ae_error(resp, 503, "ErrorCode.ServiceUnavailable")
    assert resp.headers["Retry-After"] == "1"
    assert len(logistic_order_ids(tenant)) == 1  # created, though the client was told otherwise
    # a blind retry now finds the units taken: the situation an `after` fault exists to test
    resp = tenant.ae("logistic-order/create", create_body(trade_order))
    ae_error(resp, 503, "ErrorCode.ServiceUnavailable")
    assert len(logistic_order_ids(tenant)) == 1


def test_lamoda_before_and_after_in_v1_and_v2_bodies(tenant: Tenant) -> None:
    lamoda = Lamoda(tenant)
    first = lamoda.buyer_orders({"sku": "FAULT-1"})["order_nr"]
    second = lamoda.buyer_orders({"sku": "FAULT-2"})["order_nr"]
    before = add_fault(tenant, method="POST", path=f"/api/v1/orders/{first}/events", status=500, count=1)
    add_fault(tenant, method="POST", path=f"/api/v1/orders/{second}/events", status=503, when="after")

    resp = lamoda.v1_post(f"orders/{first}/events", {"type": "confirm"})
    assert resp.status_code == 500, resp.text
    assert (resp.json()["code"], resp.json()["message"]) == (500, "Internal Server Error")
    assert lamoda.v1_get(f"orders/{first}").json()["status"] == "New"
    assert faults_of(tenant)[before["id"]]["remaining"] == 0

    resp = lamoda.v1_post(f"orders/{second}/events", {"type": "confirm"})
    assert resp.status_code == 503, resp.text
    assert (resp.json()["code"], resp.json()["message"]) == (503, "Service Unavailable")
    assert lamoda.v1_get(f"orders/{second}").json()["status"] == "Confirmed"

    add_fault(tenant, method="GET", path="/api/v2/orders", status=503)
    resp = lamoda.v2_get("orders")
    assert resp.status_code == 503
    assert resp.json()["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert lamoda.v2_get(f"orders/{lamoda.v1_get(f'orders/{first}').json()['id']}").status_code == 200


def test_a_counted_rule_is_spent_after_its_faults(tenant: Tenant) -> None:
    rule = add_fault(tenant, path="/seller-api/v1/logistic-order/get", status=500, count=3)
    assert (rule["count"], rule["remaining"], rule["hits"]) == (3, 3, 0)
    statuses = [tenant.ae("logistic-order/get", PAGE).status_code for _ in range(5)]
    assert statuses == [500, 500, 500, 200, 200]
    listed = faults_of(tenant)[rule["id"]]
    assert (listed["count"], listed["remaining"], listed["hits"]) == (3, 0, 3)


def test_probability_zero_never_fires_and_one_always_does(tenant: Tenant, other_tenant: Tenant) -> None:
    never = add_fault(tenant, path="*", status=500, probability=0)
    assert [tenant.ae("logistic-order/get", PAGE).status_code for _ in range(20)] == [200] * 20
    assert faults_of(tenant)[never["id"]]["hits"] == 0

    always = add_fault(other_tenant, path="*", status=500, probability=1)
    assert [other_tenant.ae("logistic-order/get", PAGE).status_code for _ in range(20)] == [500] * 20
    assert faults_of(other_tenant)[always["id"]]["hits"] == 20


def test_a_probability_between_hits_some_calls(tenant: Tenant) -> None:
    rule = add_fault(tenant, path="*", status=503, probability=0.5)
    statuses = [tenant.ae("logistic-order/get", PAGE).status_code for _ in range(100)]
    # all 100 alike has a chance of 2 in 2**100
    assert set(statuses) == {200, 503}
    assert faults_of(tenant)[rule["id"]]["hits"] == statuses.count(503)


def test_method_and_path_must_both_match(tenant: Tenant) -> None:
    add_fault(tenant, method="GET", path="/seller-api/*", status=500)  # the AliExpress API is all POST
    add_fault(tenant, method="POST", path="/seller-api/v1/handover-list/*", status=500)
    assert tenant.ae("logistic-order/get", PAGE).status_code == 200
    assert tenant.ae("handover-list/get-by-filter", {"page_number": 1, "page_size": 10}).status_code == 500


def test_tenants_never_see_each_others_faults(tenant: Tenant, other_tenant: Tenant) -> None:
    add_fault(tenant, path="*", status=503)
    other = Lamoda(other_tenant)
    assert other_tenant.ae("logistic-order/get", PAGE).status_code == 200
    assert other.v2_get("orders").status_code == 200
    assert other.v1_get("orders").status_code == 200
    assert tenant.ae("logistic-order/get", PAGE).status_code == 503
    assert faults_of(other_tenant) == {}


def test_the_sandbox_and_public_paths_are_never_faulted(http: httpx.Client, tenant: Tenant) -> None:
    add_fault(tenant, path="*", status=500)
    add_fault(tenant, path="/*", latency_ms=1)
    assert tenant.order({"sku_id": 1, "quantity": 1})["seller_id"] == tenant.seller_id
    assert http.get(f"/sandbox/tenants/{tenant.seller_id}").status_code == 200
    assert len(faults_of(tenant)) == 2
    assert http.get("/healthz").status_code == 200
    assert http.get("/openapi.json").status_code == 200
    assert http.get("/api/v1/ordersTracking/000000-000000").status_code == 404  # no tenant: no fault
    assert tenant.ae("logistic-order/get", PAGE).status_code == 500


def test_removing_rules_takes_effect_at_once(http: httpx.Client, tenant: Tenant) -> None:
    base = f"/sandbox/tenants/{tenant.seller_id}/faults"
    first = add_fault(tenant, path="/seller-api/v1/logistic-order/get", status=500)
    second = add_fault(tenant, path="/seller-api/v1/order/get-order-list", status=503)
    assert tenant.ae("logistic-order/get", PAGE).status_code == 500
    assert http.delete(f"{base}/{first['id']}").status_code == 204
    assert tenant.ae("logistic-order/get", PAGE).status_code == 200
    assert list(faults_of(tenant)) == [second["id"]]
    assert tenant.ae("order/get-order-list", {"page": 1, "page_size": 10}).status_code == 503
    resp = http.delete(base)
    assert resp.status_code == 204 and resp.content == b""
    assert tenant.ae("order/get-order-list", {"page": 1, "page_size": 10}).status_code == 200
    assert faults_of(tenant) == {}
    assert http.delete(base).status_code == 204  # clearing nothing is fine


def test_rules_are_listed_in_order_with_their_counters(tenant: Tenant) -> None:
    slow = add_fault(tenant, method="post", path="/api/v2/*", latency_ms=5, probability=0.25)
    busy = add_fault(tenant, path="/auth/token", status=429, retry_after=30, count=2)
    listed = list(faults_of(tenant).values())
    assert [r["id"] for r in listed] == [slow["id"], busy["id"]]
    assert listed[0] == {**slow, "method": "POST"} and slow["method"] == "POST"
    assert {k: listed[1][k] for k in ("action", "status", "retry_after", "when", "remaining", "hits")} == {
        "action": "error",
        "status": 429,
        "retry_after": 30,
        "when": "before",
        "remaining": 2,
        "hits": 0,
    }
    assert listed[0]["probability"] == 0.25 and listed[0]["when"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"path": "/x"}, "action"),
        ({"path": "/sandbox/*", "status": 500}, "path"),
        ({"path": "/x", "status": 418}, "status"),
        ({"path": "/x", "status": 500, "retry_after": 5}, "retry_after"),
        ({"path": "/x", "status": 503, "when": "later"}, "when"),
        ({"path": "/x", "latency_ms": 500_000}, "latency_ms"),
        ({"path": "/x", "status": 500, "count": 0}, "count"),
        ({"path": "/x", "status": 500, "probability": 2}, "probability"),
        ({"path": "/x", "method": "BREW", "status": 500}, "method"),
        ({"path": "/x", "status": "500"}, "status"),
        ({"path": "/x", "latency_ms": 1.5}, "latency_ms"),
        ({"path": "", "status": 500}, "path"),
        ({"status": 500}, "path"),
    ],
)
def test_bad_rules_are_refused_with_the_field_named(tenant: Tenant, body: dict[str, Any], field: str) -> None:
    resp = tenant.http.post(f"/sandbox/tenants/{tenant.seller_id}/faults", json=body)
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["details"]["field"] == field, error
    assert faults_of(tenant) == {}


@pytest.mark.parametrize(
    "raw",
    [b"", b"not json", b"[]", b'{"path": "/x", "status": 500, "colour": "red"}', b'{"path": "/\\u0000"}'],
)
def test_malformed_bodies_are_a_400(tenant: Tenant, raw: bytes) -> None:
    resp = tenant.http.post(
        f"/sandbox/tenants/{tenant.seller_id}/faults",
        content=raw,
        headers={"Content-Type": "application/json"},
    )
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["code"] == "ValidationError"


def test_unknown_tenants_and_rules_are_404(http: httpx.Client, tenant: Tenant) -> None:
    unknown = "/sandbox/tenants/999999/faults"
    for resp in (
        http.post(unknown, json={"path": "/x", "status": 500}),
        http.get(unknown),
        http.delete(unknown),
        http.delete(unknown + "/1"),
    ):
        assert resp.status_code == 404, resp.text
        assert resp.json()["error"]["code"] == "TenantNotFound"
    resp = http.delete(f"/sandbox/tenants/{tenant.seller_id}/faults/999999999")
    assert resp.status_code == 404 and resp.json()["error"]["code"] == "FaultNotFound"
    resp = http.delete(f"/sandbox/tenants/{tenant.seller_id}/faults/x1")
    assert resp.status_code == 400 and resp.json()["error"]["details"]["field"] == "fault_id"


def test_another_tenants_rule_cannot_be_removed(
    http: httpx.Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    rule = add_fault(tenant, path="*", status=500)
    resp = http.delete(f"/sandbox/tenants/{other_tenant.seller_id}/faults/{rule['id']}")
    assert resp.status_code == 404 and resp.json()["error"]["code"] == "FaultNotFound"
    assert list(faults_of(tenant)) == [rule["id"]]


def test_a_tenant_holds_at_most_100_rules(tenant: Tenant) -> None:
    for _ in range(100):
        add_fault(tenant, path="/nowhere", status=500)
    resp = tenant.http.post(f"/sandbox/tenants/{tenant.seller_id}/faults", json={"path": "/x", "status": 500})
    assert resp.status_code == 409 and resp.json()["error"]["code"] == "TooManyFaults"


def test_deleting_the_tenant_deletes_its_rules(http: httpx.Client) -> None:
    doomed = new_tenant(http, "Doomed")
    add_fault(doomed, path="*", status=500)
    assert http.delete(f"/sandbox/tenants/{doomed.seller_id}").status_code == 204
    assert http.get(f"/sandbox/tenants/{doomed.seller_id}/faults").status_code == 404


# ---- several server processes on one PostgreSQL database ----------------------------------------


@pytest.fixture
def two_processes(tmp_path: Path) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    with (
        fresh_database("postgresql", tmp_path) as url,
        running_server(url, "a") as a,
        running_server(url, "b") as b,
        httpx.Client(base_url=a.base_url, timeout=30) as via_a,
        httpx.Client(base_url=b.base_url, timeout=30) as via_b,
    ):
        yield via_a, via_b


def ae_status(client: httpx.Client, tenant: Tenant) -> int:
    return client.post(
        "/seller-api/v1/logistic-order/get", json=PAGE, headers={"x-auth-token": tenant.token}
    ).status_code


def wait_for_status(client: httpx.Client, tenant: Tenant, status: int) -> None:
    """Another process learns of a change when its NOTIFY arrives: soon, but not at once."""
    deadline = time.monotonic() + 5
    while ae_status(client, tenant) != status:
        assert time.monotonic() < deadline, f"no {status} from the other process within 5 s"
        time.sleep(0.01)


def test_processes_share_rules_and_spend_a_count_exactly(
    two_processes: tuple[httpx.Client, httpx.Client],
) -> None:
    via_a, via_b = two_processes
    tenant = new_tenant(via_a)
    assert ae_status(via_b, tenant) == 200  # B now remembers the tenant (and that it has no rules)
    add_fault(tenant, path="/seller-api/*", status=503, count=1)  # through A
    wait_for_status(via_b, tenant, 503)  # spends the one fault, in B

    rule = add_fault(tenant, path="/seller-api/*", status=429, count=25)

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(lambda client: ae_status(client, tenant), [via_a, via_b] * 50))
    assert statuses.count(429) == 25 and statuses.count(200) == 75, statuses
    assert faults_of(tenant)[rule["id"]]["remaining"] == 0

    add_fault(tenant, path="/seller-api/*", status=500)
    wait_for_status(via_b, tenant, 500)
    assert via_a.delete(f"/sandbox/tenants/{tenant.seller_id}/faults").status_code == 204
    wait_for_status(via_b, tenant, 200)
