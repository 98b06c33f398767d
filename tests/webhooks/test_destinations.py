"""MARKETBOX_WEBHOOK_ALLOWED_NETWORKS on every path that writes or redirects a delivery URL: subscribe,
snapshot import, re-send (to a new URL or to its own again), and the worker before each POST."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from marketbox.services import notifications
from marketbox.store.database import Database
from tests.conftest import BACKENDS, Tenant, new_tenant
from tests.dialects.lamoda.helpers import Lamoda
from tests.servers import RunningServer, fresh_server
from tests.webhooks.test_delivery import Receiver, messages, receiver, subscribe, unique, wait_for  # noqa: F401

ALLOWED = ("::1/128",)  # the receiver, at 127.0.0.1, is outside
INSIDE = "http://[::1]:9/hook"  # nothing listens: deliveries there fail, and are retried
OUTSIDE = "destination 127.0.0.1 is outside MARKETBOX_WEBHOOK_ALLOWED_NETWORKS (::1/128)"


@pytest.fixture(scope="module", params=BACKENDS)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    backend: str = request.param
    with fresh_server(backend, tmp_path_factory.mktemp(backend), webhook_allowed_networks=ALLOWED) as srv:
        yield srv


def refused(resp: httpx.Response, field: str) -> dict[str, Any]:
    assert resp.status_code == 400, resp.text
    error: dict[str, Any] = resp.json()["error"]
    assert (error["code"], error["details"]["field"]) == ("url_not_allowed", field), error
    return error


def test_subscribing_refuses_a_url_outside_the_allowed_networks(
    tenant: Tenant,
    receiver: Receiver,  # noqa: F811
) -> None:
    hooks = f"/sandbox/tenants/{tenant.seller_id}/webhooks"
    error = refused(tenant.http.post(hooks, json={"url": receiver.url("/ok/x")}), "url")
    assert OUTSIDE in error["message"]
    error = refused(tenant.http.post(hooks, json={"url": "http://localhost:9/x"}), "url")
    assert "localhost is not an IP address" in error["message"]
    assert subscribe(tenant, INSIDE)["url"] == INSIDE


def test_an_import_refuses_urls_outside_the_allowed_networks_and_writes_nothing(
    http: httpx.Client,
    receiver: Receiver,  # noqa: F811
) -> None:
    tenant = new_tenant(http, "Imported")
    subscribe(tenant, INSIDE)
    Lamoda(tenant).buyer_orders({"sku": "ALLOW-1"})
    wait_for(lambda: messages(tenant))
    doc = http.get(f"/sandbox/tenants/{tenant.seller_id}/export").json()
    assert http.delete(f"/sandbox/tenants/{tenant.seller_id}").status_code == 204
    outside = receiver.url(unique("/ok"))
    for table in ("webhook_endpoints", "webhook_messages"):
        tampered = copy.deepcopy(doc)
        tampered["tables"][table][0]["url"] = outside
        error = refused(http.post("/sandbox/tenants/import", json=tampered), f"tables.{table}[0].url")
        assert outside in error["message"] and OUTSIDE in error["message"]
        assert http.get(f"/sandbox/tenants/{tenant.seller_id}").status_code == 404
    assert http.post("/sandbox/tenants/import", json=doc).status_code == 201


def test_resending_to_a_url_outside_the_allowed_networks_is_refused(
    tenant: Tenant,
    receiver: Receiver,  # noqa: F811
) -> None:
    subscribe(tenant, INSIDE)
    Lamoda(tenant).buyer_orders({"sku": "ALLOW-2"})
    wait_for(lambda: messages(tenant))
    resend = f"/sandbox/tenants/{tenant.seller_id}/webhooks/resend"
    error = refused(tenant.http.post(resend, json={"url": receiver.url("/ok/x")}), "url")
    assert OUTSIDE in error["message"]
    assert len(messages(tenant)) == 1


async def _subscribe_unchecked(database_url: str, seller_id: int, url: str) -> None:
    """A URL written under another policy: before the setting, or by a server without it."""
    db = Database(database_url)
    try:
        await notifications.subscribe(db, seller_id, url, None)
    finally:
        await db.dispose()


def test_a_url_written_under_another_policy_is_refused_when_sent_and_resent(
    server: RunningServer,
    tenant: Tenant,
    receiver: Receiver,  # noqa: F811
) -> None:
    path = unique("/ok")
    asyncio.run(_subscribe_unchecked(server.database_url, tenant.seller_id, receiver.url(path)))
    Lamoda(tenant).buyer_orders({"sku": "ALLOW-3"})
    (first,) = wait_for(lambda: [m for m in messages(tenant) if m["attempts"]])
    assert first["status"] == "pending"  # a failed attempt: retried on the schedule
    assert first["attempts"][0]["error"] == f"not sent: {OUTSIDE}"
    assert first["attempts"][0]["status_code"] is None
    tenant.advance(6)
    (second,) = wait_for(lambda: [m for m in messages(tenant) if len(m["attempts"]) == 2])
    assert second["attempts"][1]["error"] == f"not sent: {OUTSIDE}"
    assert receiver.requests(path) == []

    resend = f"/sandbox/tenants/{tenant.seller_id}/webhooks/resend"
    error = refused(tenant.http.post(resend, json={"message_ids": [first["id"]]}), "url")
    assert OUTSIDE in error["message"] and error["details"]["message_id"] == first["id"]
    resp = tenant.http.post(resend, json={"message_ids": [first["id"]], "url": INSIDE})
    assert resp.status_code == 202, resp.text
