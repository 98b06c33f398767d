"""Notifications delivered to a real receiver process: signed, retried on the tenant's clock, logged,
re-sent, in order per order, and stopped by 410."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from standardwebhooks.webhooks import Webhook

from tests.conftest import Tenant, new_tenant
from tests.dialects.lamoda.helpers import Lamoda
from tests.servers import receiver_process

RECEIVER = Path(__file__).with_name("receiver.py")
SCHEDULE = (0, 5, 300, 1800, 7200, 18000, 36000, 36000)


@dataclass
class Receiver:
    base_url: str
    log: Path

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def requests(self, path: str) -> list[dict[str, Any]]:
        if not self.log.exists():
            return []
        lines = self.log.read_text(encoding="utf-8").splitlines()
        return [r for r in map(json.loads, lines) if r["path"] == path]


@pytest.fixture(scope="session")
def receiver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Receiver]:
    log = tmp_path_factory.mktemp("receiver") / "requests.jsonl"
    with receiver_process(RECEIVER, log, "/ok") as base:
        yield Receiver(base, log)


def unique(path: str) -> str:
    """A path of its own for one test (the receiver counts requests per path)."""
    return f"{path}/{uuid.uuid4().hex[:8]}"


def subscribe(tenant: Tenant, url: str, **extra: Any) -> dict[str, Any]:
    resp = tenant.http.post(f"/sandbox/tenants/{tenant.seller_id}/webhooks", json={"url": url, **extra})
    assert resp.status_code == 201, resp.text
    return dict(resp.json())


def messages(tenant: Tenant, **params: Any) -> list[dict[str, Any]]:
    resp = tenant.http.get(f"/sandbox/tenants/{tenant.seller_id}/webhooks/messages", params=params)
    assert resp.status_code == 200, resp.text
    return list(resp.json()["messages"])


def wait_for(check: Callable[[], Any], timeout: float = 15) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def verify(secret: str, request: dict[str, Any]) -> dict[str, Any]:
    headers = {k.lower(): v for k, v in request["headers"].items()}
    return dict(Webhook(secret).verify(request["body"], headers))


def test_notifications_are_delivered_signed_and_logged(tenant: Tenant, receiver: Receiver) -> None:
    path = unique("/ok")
    hook = subscribe(tenant, receiver.url(path))
    assert hook["secret"].startswith("whsec_") and hook["state"] == "new"
    lamoda = Lamoda(tenant)
    order = lamoda.buyer_orders({"sku": "HOOK-1", "quantity": 2})
    assert lamoda.v1_post(f"orders/{order['order_nr']}/events", {"type": "confirm"}).status_code == 200

    got = wait_for(lambda: len(receiver.requests(path)) >= 3 and receiver.requests(path))
    payloads = [verify(hook["secret"], r) for r in got]
    assert [(p["type"], p["sequenceNumber"]) for p in payloads] == [
        ("statusChanged", 1),
        ("statusChanged", 2),
        ("itemStatusChanged", 3),
    ]
    assert {p["trackingId"] for p in payloads} == {order["order_nr"][2:]}
    assert payloads[1]["status"] == "Confirmed"
    assert [i["status"] for i in payloads[2]["items"]] == ["Confirmed", "Confirmed"]
    log = wait_for(
        lambda: [m for m in messages(tenant) if m["status"] == "delivered"][2:] and messages(tenant)
    )
    assert [m["event_id"] for m in log] == [r["headers"]["webhook-id"] for r in got]
    assert all(len(m["attempts"]) == 1 and m["attempts"][0]["status_code"] == 200 for m in log)
    assert log[0]["attempts"][0]["response_excerpt"] == "ok"
    listed = tenant.http.get(f"/sandbox/tenants/{tenant.seller_id}/webhooks").json()["webhooks"]
    assert listed[0]["state"] == "ok"


def test_failures_retry_on_the_tenant_clock_then_fail_then_resend_delivers(
    tenant: Tenant, receiver: Receiver
) -> None:
    failing = unique("/fail")
    subscribe(tenant, receiver.url(failing))
    lamoda = Lamoda(tenant)
    order = lamoda.buyer_orders({"sku": "HOOK-2"})
    wait_for(lambda: receiver.requests(failing))
    first = wait_for(lambda: [m for m in messages(tenant) if m["attempts"]])
    assert first[0]["status"] == "pending" and first[0]["attempts"][0]["status_code"] == 500
    for n, delay in enumerate(SCHEDULE[1:], start=2):
        tenant.advance(delay * 1.11)  # the schedule plus its jitter
        wait_for(lambda n=n: len(receiver.requests(failing)) >= n)
    log = wait_for(lambda: [m for m in messages(tenant) if m["status"] == "failed"])
    assert len(log[0]["attempts"]) == len(SCHEDULE) and log[0]["next_attempt_at"] is None
    hooks = tenant.http.get(f"/sandbox/tenants/{tenant.seller_id}/webhooks").json()["webhooks"]
    assert hooks[0]["state"] == "failed"

    fixed = unique("/ok")
    resp = tenant.http.post(
        f"/sandbox/tenants/{tenant.seller_id}/webhooks/resend",
        json={"only_failed": True, "url": receiver.url(fixed)},
    )
    assert resp.status_code == 202, resp.text
    (resent,) = wait_for(lambda: receiver.requests(fixed))
    assert resent["headers"]["webhook-id"] == log[0]["event_id"]
    assert json.loads(resent["body"])["trackingId"] == order["order_nr"][2:]


def test_a_clock_advance_during_an_attempt_brings_its_retry_forward(
    tenant: Tenant, receiver: Receiver
) -> None:
    path = unique("/slowfail/1")  # answers 500 after a second
    subscribe(tenant, receiver.url(path))
    Lamoda(tenant).buyer_orders({"sku": "HOOK-9"})
    (first,) = wait_for(lambda: receiver.requests(path))
    tenant.advance(SCHEDULE[1] * 1.11 + 1)  # while the first attempt is still waiting for its answer
    second = wait_for(lambda: receiver.requests(path)[1:])[0]
    # The retry was due 5 s after the answer on the seller's clock, which the advance passed: it goes
    # as soon as the failure is recorded, not 5 s of real time later.
    assert second["at"] - first["at"] < 1 + SCHEDULE[1] - 1.5


def test_retries_wait_while_the_tenant_clock_stands_still(tenant: Tenant, receiver: Receiver) -> None:
    path = unique("/fail")
    subscribe(tenant, receiver.url(path))
    frozen = tenant.http.post(f"/sandbox/tenants/{tenant.seller_id}/clock/freeze").json()["now"]
    Lamoda(tenant).buyer_orders({"sku": "HOOK-10"})
    wait_for(lambda: receiver.requests(path))  # the first attempt goes at once, frozen or not
    (logged,) = wait_for(lambda: [m for m in messages(tenant) if m["attempts"]])
    assert logged["attempts"][0]["at"] == frozen  # stamped with the tenant's time
    time.sleep(SCHEDULE[1] * 1.1 + 0.5)  # the retry's real-time delay passes; the tenant's time does not
    assert len(receiver.requests(path)) == 1
    tenant.advance(SCHEDULE[1] * 1.11)
    wait_for(lambda: len(receiver.requests(path)) == 2)


def test_a_stopped_clock_moved_on_brings_retries_at_once(tenant: Tenant, receiver: Receiver) -> None:
    """Advanced or set while it stands still, the clock brings due retries as a running one does: none
    of the retries waits for real time (each would take 5 s, 5 min, 30 min of it)."""
    path = unique("/fail")
    subscribe(tenant, receiver.url(path))
    clock = f"/sandbox/tenants/{tenant.seller_id}/clock"
    assert tenant.http.post(f"{clock}/freeze").status_code == 200
    Lamoda(tenant).buyer_orders({"sku": "HOOK-12"})
    wait_for(lambda: [m for m in messages(tenant) if m["attempts"]])
    tenant.advance(3600)
    wait_for(lambda: len(receiver.requests(path)) == 2, timeout=4)  # not 5 s of real time later
    wait_for(lambda: [m for m in messages(tenant) if len(m["attempts"]) == 2])
    tenant.advance(3600)
    wait_for(lambda: len(receiver.requests(path)) == 3)  # not 5 min of real time later
    (logged,) = wait_for(lambda: [m for m in messages(tenant) if len(m["attempts"]) == 3])
    later = datetime.fromisoformat(logged["next_attempt_at"]) + timedelta(minutes=1)
    resp = tenant.http.post(f"{clock}/set", json={"now": later.isoformat()})
    assert resp.status_code == 200 and resp.json()["frozen"] is True, resp.text
    wait_for(lambda: len(receiver.requests(path)) == 4)
    (logged,) = wait_for(lambda: [m for m in messages(tenant) if len(m["attempts"]) == 4])
    stamps = [a["at"] for a in logged["attempts"]]
    assert _seconds_between(stamps[0], stamps[1]) == 3600  # each attempt at the time the clock stands at
    assert _seconds_between(stamps[1], stamps[2]) == 3600
    time.sleep(0.3)
    assert len(receiver.requests(path)) == 4  # and the next one waits for the clock again


def test_a_tenant_deleted_during_a_delivery_does_not_stall_the_others(
    http: httpx.Client, receiver: Receiver
) -> None:
    doomed, other = new_tenant(http, "Doomed"), new_tenant(http, "Other")
    slow = unique("/slow/1")
    subscribe(doomed, receiver.url(slow))
    Lamoda(doomed).buyer_orders({"sku": "HOOK-11"})
    wait_for(lambda: receiver.requests(slow))  # its answer comes in a second
    assert http.delete(f"/sandbox/tenants/{doomed.seller_id}").status_code == 204
    time.sleep(1.5)  # the answer comes for a delivery that no longer exists
    path = unique("/ok")
    subscribe(other, receiver.url(path))
    Lamoda(other).buyer_orders({"sku": "HOOK-11"})
    wait_for(lambda: [m for m in messages(other) if m["status"] == "delivered"])


def test_410_disables_the_endpoint(tenant: Tenant, receiver: Receiver) -> None:
    gone = unique("/gone")
    subscribe(tenant, receiver.url(gone))
    lamoda = Lamoda(tenant)
    lamoda.buyer_orders({"sku": "HOOK-3"})
    wait_for(lambda: [m for m in messages(tenant) if m["status"] == "failed"])
    hooks = tenant.http.get(f"/sandbox/tenants/{tenant.seller_id}/webhooks").json()["webhooks"]
    assert hooks[0]["state"] == "disabled"
    lamoda.buyer_orders({"sku": "HOOK-3"})
    time.sleep(0.3)
    assert len(receiver.requests(gone)) == 1
    assert len(messages(tenant)) == 1  # a disabled endpoint gets no new deliveries


def test_one_orders_notifications_arrive_in_sequence_even_after_a_failure(
    tenant: Tenant, receiver: Receiver
) -> None:
    flaky = unique("/flaky/1")
    subscribe(tenant, receiver.url(flaky))
    lamoda = Lamoda(tenant)
    order = lamoda.buyer_orders({"sku": "HOOK-4"})
    wait_for(lambda: receiver.requests(flaky))  # the first attempt fails
    lamoda.v1_post(f"orders/{order['order_nr']}/events", {"type": "confirm"})
    time.sleep(0.5)
    assert len(receiver.requests(flaky)) == 1  # the later ones wait for the first
    tenant.advance(6)
    got = wait_for(lambda: len(receiver.requests(flaky)) >= 4 and receiver.requests(flaky))
    numbers = [json.loads(r["body"])["sequenceNumber"] for r in got]
    assert numbers == [1, 1, 2, 3]


def test_retry_after_is_honoured(tenant: Tenant, receiver: Receiver) -> None:
    busy = unique("/busy")
    subscribe(tenant, receiver.url(busy))
    Lamoda(tenant).buyer_orders({"sku": "HOOK-5"})
    (message,) = wait_for(lambda: [m for m in messages(tenant) if m["attempts"]])
    attempted = message["attempts"][0]["at"]
    wait_seconds = _seconds_between(attempted, message["next_attempt_at"])
    assert 7 <= wait_seconds <= 7 * 1.1 + 0.5, (attempted, message["next_attempt_at"])


def _seconds_between(a: str, b: str) -> float:
    return (datetime.fromisoformat(b) - datetime.fromisoformat(a)).total_seconds()


def test_types_filter_and_rolled_back_changes_send_nothing(tenant: Tenant, receiver: Receiver) -> None:
    only_supplies = unique("/ok")
    subscribe(tenant, receiver.url(only_supplies), types=["fulfilmentShipmentStatusChanged"])
    lamoda = Lamoda(tenant)
    order = lamoda.ready_to_ship({"sku": "HOOK-6", "marking_required": True})
    bad = lamoda.v2_post(  # refused: the marked item's code is malformed; nothing may be notified
        "fbs/shipments",
        {
            "pallets": [
                {
                    "packs": [
                        {
                            "packId": order["packs"][0]["packNumber"],
                            "items": [{"unitload": order["items"][0]["id"], "datamatrix": "not-a-code"}],
                        }
                    ]
                }
            ]
        },
    )
    assert bad.status_code == 400
    time.sleep(0.3)
    assert receiver.requests(only_supplies) == []
    assert messages(tenant) == []


def test_urls_are_validated(tenant: Tenant) -> None:
    for url in ("ftp://example.test/hook", "http://user:pw@127.0.0.1/hook", "not a url", "http:///x"):
        resp = tenant.http.post(f"/sandbox/tenants/{tenant.seller_id}/webhooks", json={"url": url})
        assert resp.status_code == 400, (url, resp.text)
        assert resp.json()["error"]["details"]["field"] == "url"
    resp = tenant.http.post(
        f"/sandbox/tenants/{tenant.seller_id}/webhooks", json={"url": "http://127.0.0.1/x", "types": ["nope"]}
    )
    assert resp.status_code == 400 and resp.json()["error"]["details"]["field"] == "types[0]"


def test_a_rotated_secret_signs_beside_the_old_one(tenant: Tenant, receiver: Receiver) -> None:
    path = unique("/ok")
    hook = subscribe(tenant, receiver.url(path))
    resp = tenant.http.post(f"/sandbox/tenants/{tenant.seller_id}/webhooks/{hook['id']}/rotate-secret")
    assert resp.status_code == 200, resp.text
    rotated = resp.json()
    assert rotated["secret"] != hook["secret"] and rotated["previous_secret_valid_until"]
    Lamoda(tenant).buyer_orders({"sku": "HOOK-7"})
    (request,) = wait_for(lambda: receiver.requests(path))
    assert len(request["headers"]["webhook-signature"].split(" ")) == 2
    assert (
        verify(hook["secret"], request)["type"]
        == verify(rotated["secret"], request)["type"]
        == "statusChanged"
    )
    tenant.advance(25 * 3600)  # the grace period is over
    Lamoda(tenant).buyer_orders({"sku": "HOOK-7"})
    later = wait_for(lambda: receiver.requests(path)[1:])
    assert len(later[0]["headers"]["webhook-signature"].split(" ")) == 1
    verify(rotated["secret"], later[0])


def test_other_tenants_never_see_my_messages(http: httpx.Client, tenant: Tenant, receiver: Receiver) -> None:
    subscribe(tenant, receiver.url(unique("/ok")))
    Lamoda(tenant).buyer_orders({"sku": "HOOK-8"})
    wait_for(lambda: messages(tenant))
    other = new_tenant(http, "Other")
    assert messages(other) == []
    resp = http.post(
        f"/sandbox/tenants/{other.seller_id}/webhooks/resend",
        json={"message_ids": [messages(tenant)[0]["id"]]},
    )
    assert resp.status_code == 404
