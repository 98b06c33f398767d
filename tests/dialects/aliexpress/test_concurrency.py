"""Concurrent creates on one trade order never hand out more units than the buyer ordered."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.conftest import Tenant
from tests.servers import RunningServer

WRITERS = 20


def test_twenty_concurrent_creates_never_over_allocate(server: RunningServer, tenant: Tenant) -> None:
    order = tenant.order({"sku_id": 555, "quantity": 7, "jewelry": False})
    payload = {
        "orders": [
            {
                "trade_order_id": order["trade_order_id"],
                "total_length": 10,
                "total_width": 10,
                "total_height": 10,
                "total_weight": 0.5,
                "items": [{"sku_id": 555, "quantity": 1}],
            }
        ]
    }

    def create(_: int) -> dict[str, object]:
        with httpx.Client(base_url=server.base_url, timeout=60) as client:
            resp = client.post(
                "/seller-api/v1/logistic-order/create", json=payload, headers={"x-auth-token": tenant.token}
            )
            assert resp.status_code == 200, resp.text
            return dict(resp.json())

    with ThreadPoolExecutor(WRITERS) as pool:
        results = list(pool.map(create, range(WRITERS)))

    created = [r for r in results if r["data"]["orders"]]  # type: ignore[index]
    refused = [r for r in results if not r["data"]["orders"]]  # type: ignore[index]
    assert len(created) == 7
    assert len(refused) == WRITERS - 7
    for r in refused:
        assert r["data"]["errors"]["item_errors"][0]["code"] == "QuantityExceeded"  # type: ignore[index]
    listed = tenant.ae(
        "logistic-order/get", {"page": 1, "page_size": 50, "trade_order_ids": [order["trade_order_id"]]}
    ).json()
    assert listed["data"]["page_info"]["total"] == 7
    assert sum(lo["items_count"] for lo in listed["data"]["logistic_orders"]) == 7
