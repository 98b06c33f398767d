"""Webhook faults a seller orders for its receiver: duplicates, reordering, delay, stale timestamps."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from tests.conftest import Tenant
from tests.dialects.lamoda.helpers import Lamoda
from tests.webhooks.test_delivery import Receiver, messages, receiver, subscribe, unique, wait_for  # noqa: F401


def faults(tenant: Tenant, hook: dict[str, Any], **body: Any) -> dict[str, Any]:
    resp = tenant.http.put(f"/sandbox/tenants/{tenant.seller_id}/webhooks/{hook['id']}/faults", json=body)
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


def headers_of(request: dict[str, Any]) -> dict[str, str]:
    return {k.lower(): v for k, v in request["headers"].items()}


def test_duplicates_arrive_twice_with_the_same_webhook_id(tenant: Tenant, receiver: Receiver) -> None:  # noqa: F811
    path = unique("/ok")
    hook = subscribe(tenant, receiver.url(path))
    assert faults(tenant, hook, duplicate=1)["faults"]["duplicate"] == 1
    Lamoda(tenant).buyer_orders({"sku": "FAULT-1"})
    first, second = wait_for(lambda: receiver.requests(path)[1:] and receiver.requests(path))
    assert headers_of(first)["webhook-id"] == headers_of(second)["webhook-id"]
    assert first["body"] == second["body"]
    (logged,) = wait_for(lambda: [m for m in messages(tenant) if m["status"] == "delivered"])
    assert len(logged["attempts"]) == 1  # the duplicate is the fault, not an attempt


def test_a_stale_timestamp_is_signed_but_fails_a_receivers_tolerance(
    tenant: Tenant,
    receiver: Receiver,  # noqa: F811
) -> None:
    path = unique("/ok")
    hook = subscribe(tenant, receiver.url(path))
    faults(tenant, hook, stale_timestamp_seconds=3600)
    Lamoda(tenant).buyer_orders({"sku": "FAULT-2"})
    (request,) = wait_for(lambda: receiver.requests(path))
    headers = headers_of(request)
    assert request["at"] - int(headers["webhook-timestamp"]) >= 3600 - 5
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(hook["secret"]).verify(request["body"], headers)
    # the signature itself is right for that timestamp
    stamped = datetime.fromtimestamp(int(headers["webhook-timestamp"]), tz=UTC)
    signed = Webhook(hook["secret"]).sign(headers["webhook-id"], stamped, request["body"])
    assert signed == headers["webhook-signature"]


def test_a_delay_holds_every_delivery(tenant: Tenant, receiver: Receiver) -> None:  # noqa: F811
    path = unique("/ok")
    hook = subscribe(tenant, receiver.url(path))
    faults(tenant, hook, delay_ms=1200)
    placed = time.time()
    Lamoda(tenant).buyer_orders({"sku": "FAULT-3"})
    (request,) = wait_for(lambda: receiver.requests(path))
    assert request["at"] - placed >= 1.2


def test_reordering_sends_an_orders_notifications_newest_first(tenant: Tenant, receiver: Receiver) -> None:  # noqa: F811
    path = unique("/ok")
    hook = subscribe(tenant, receiver.url(path))
    lamoda = Lamoda(tenant)
    order = lamoda.buyer_orders({"sku": "FAULT-4", "quantity": 2})
    assert lamoda.v1_post(f"orders/{order['order_nr']}/events", {"type": "confirm"}).status_code == 200
    in_order = wait_for(lambda: len(receiver.requests(path)) >= 3 and receiver.requests(path))
    assert [json.loads(r["body"])["sequenceNumber"] for r in in_order] == [1, 2, 3]
    faults(tenant, hook, reorder=True)
    resp = tenant.http.post(  # the order's three notifications again, due together
        f"/sandbox/tenants/{tenant.seller_id}/webhooks/resend", json={"tracking_id": order["order_nr"][2:]}
    )
    assert resp.status_code == 202, resp.text
    got = wait_for(lambda: len(receiver.requests(path)) >= 6 and receiver.requests(path))
    assert [json.loads(r["body"])["sequenceNumber"] for r in got[3:]] == [3, 2, 1]


def test_clearing_faults_and_bad_fault_bodies(tenant: Tenant, receiver: Receiver) -> None:  # noqa: F811
    hook = subscribe(tenant, receiver.url(unique("/ok")))
    faults(tenant, hook, duplicate=0.5, reorder=True, delay_ms=5, stale_timestamp_seconds=7)
    base = f"/sandbox/tenants/{tenant.seller_id}/webhooks"
    cleared = tenant.http.delete(f"{base}/{hook['id']}/faults")
    assert cleared.status_code == 200
    assert cleared.json()["faults"] == {
        "duplicate": 0.0,
        "reorder": False,
        "delay_ms": 0,
        "stale_timestamp_seconds": 0,
    }
    for body in ({"duplicate": 2}, {"delay_ms": -1}, {"stale": 5}, {"reorder": "yes"}, []):
        resp = tenant.http.put(f"{base}/{hook['id']}/faults", json=body)
        assert resp.status_code == 400, body
        assert "error" in resp.json()
    assert tenant.http.put(f"{base}/ep_nope/faults", json={}).status_code == 404
