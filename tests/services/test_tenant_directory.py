"""Cached reads never outlive a write: in the writing process at once, in other processes via NOTIFY."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import Tenant, new_tenant
from tests.databases import fresh_database
from tests.servers import RunningServer, running_server

GET = {"page": 1, "page_size": 50}


def ids_seen(client: httpx.Client, token: str) -> set[int]:
    resp = client.post("/seller-api/v1/logistic-order/get", json=GET, headers={"x-auth-token": token})
    assert resp.status_code == 200, resp.text
    return {lo["logistic_order_id"] for lo in resp.json()["data"]["logistic_orders"]}


def test_a_write_is_visible_to_the_next_read_of_the_same_process(tenant: Tenant) -> None:
    assert ids_seen(tenant.http, tenant.token) == set()
    for _ in range(3):  # each read after a write, and the same read repeated (served from the cache)
        [new_id] = tenant.ship(tenant.order({"sku_id": 1, "quantity": 1}))
        assert new_id in ids_seen(tenant.http, tenant.token)
        assert new_id in ids_seen(tenant.http, tenant.token)


def test_a_deleted_tenant_token_stops_working_at_once(http: httpx.Client, tenant: Tenant) -> None:
    assert ids_seen(http, tenant.token) == set()
    assert http.delete(f"/sandbox/tenants/{tenant.seller_id}").status_code == 204
    resp = http.post("/seller-api/v1/logistic-order/get", json=GET, headers={"x-auth-token": tenant.token})
    assert resp.status_code == 401


@pytest.fixture
def two_processes(tmp_path: Path) -> Iterator[tuple[RunningServer, RunningServer]]:
    """Two marketbox servers (separate engines, caches and listeners) on one PostgreSQL database."""
    with (
        fresh_database("postgresql", tmp_path) as url,
        running_server(url, "a") as a,
        running_server(url, "b") as b,
    ):
        yield a, b


def test_other_processes_drop_cached_reads_when_a_write_commits(
    two_processes: tuple[RunningServer, RunningServer],
) -> None:
    a, b = two_processes
    with (
        httpx.Client(base_url=a.base_url, timeout=30) as via_a,
        httpx.Client(base_url=b.base_url, timeout=30) as via_b,
    ):
        tenant = new_tenant(via_a)
        assert ids_seen(via_b, tenant.token) == set()  # B now remembers the tenant and caches this page
        [new_id] = tenant.ship(tenant.order({"sku_id": 1, "quantity": 1}))
        deadline = time.monotonic() + 2
        while new_id not in ids_seen(via_b, tenant.token):
            assert time.monotonic() < deadline, "process B kept serving its cached page after the write"
            time.sleep(0.01)
        assert via_a.delete(f"/sandbox/tenants/{tenant.seller_id}").status_code == 204
        deadline = time.monotonic() + 2
        while (
            via_b.post(
                "/seller-api/v1/logistic-order/get", json=GET, headers={"x-auth-token": tenant.token}
            ).status_code
            != 401
        ):
            assert time.monotonic() < deadline, "process B kept accepting a deleted tenant's token"
            time.sleep(0.01)
