"""Shared fixtures: every API test runs against a real server on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.servers import RunningServer, fresh_server

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session", params=BACKENDS)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    backend: str = request.param
    with fresh_server(backend, tmp_path_factory.mktemp(backend)) as srv:
        yield srv


@pytest.fixture
def http(server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        yield client


class Tenant:
    """A fresh seller created through the sandbox API, with helpers to call its APIs."""

    def __init__(self, http: httpx.Client, body: dict[str, Any]) -> None:
        self.http = http
        self.seller_id: int = body["seller_id"]
        self.token: str = body["aliexpress"]["token"]
        self.body = body

    def ae(self, path: str, payload: Any, token: str | None = None) -> httpx.Response:
        return self.http.post(
            f"/seller-api/v1/{path}",
            json=payload,
            headers={"x-auth-token": token if token is not None else self.token},
        )

    def order(self, *lines: dict[str, Any], **extra: Any) -> dict[str, Any]:
        resp = self.http.post(
            f"/sandbox/tenants/{self.seller_id}/aliexpress/orders", json={"lines": list(lines), **extra}
        )
        assert resp.status_code == 201, resp.text
        return dict(resp.json())

    def ship(self, trade_order: dict[str, Any], **dims: Any) -> list[int]:
        """Create one logistic order holding the whole trade order; return the new ids."""
        payload = {
            "orders": [
                {
                    "trade_order_id": trade_order["trade_order_id"],
                    "total_length": 20,
                    "total_width": 10,
                    "total_height": 5,
                    "total_weight": 1.5,
                    **dims,
                    "items": [
                        {"sku_id": line["sku_id"], "quantity": line["quantity"]}
                        for line in trade_order["lines"]
                    ],
                }
            ]
        }
        resp = self.ae("logistic-order/create", payload)
        assert resp.status_code == 200, resp.text
        ids = [lo["id"] for o in resp.json()["data"]["orders"] for lo in o["logistic_orders"]]
        assert ids, resp.text
        return ids

    def advance(self, seconds: float) -> str:
        resp = self.http.post(f"/sandbox/tenants/{self.seller_id}/clock/advance", json={"seconds": seconds})
        assert resp.status_code == 200, resp.text
        return str(resp.json()["now"])


def new_tenant(http: httpx.Client, name: str = "Test Seller") -> Tenant:
    resp = http.post("/sandbox/tenants", json={"name": name})
    assert resp.status_code == 201, resp.text
    return Tenant(http, resp.json())


@pytest.fixture
def tenant(http: httpx.Client) -> Tenant:
    return new_tenant(http)


@pytest.fixture
def other_tenant(http: httpx.Client) -> Tenant:
    return new_tenant(http, "Other Seller")
