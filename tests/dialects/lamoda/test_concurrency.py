"""Racing writers on one order: one pack-number generation, one shipment per pack, one use of a code."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tests.conftest import Tenant
from tests.dialects.lamoda.helpers import Lamoda, datamatrix
from tests.servers import RunningServer

WRITERS = 12


def race(
    server: RunningServer, lamoda: Lamoda, path: str, bodies: list[dict[str, Any]]
) -> list[httpx.Response]:
    def post(body: dict[str, Any]) -> httpx.Response:
        with httpx.Client(base_url=server.base_url, timeout=60) as client:
            return client.post(
                f"/api/v2/{path}", json={"sellerId": lamoda.seller_id, **body}, headers=lamoda.headers
            )

    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(post, bodies))


def test_pack_numbers_are_generated_once_under_concurrency(server: RunningServer, tenant: Tenant) -> None:
    lamoda = Lamoda(tenant)
    order = lamoda.buyer_orders({"sku": "RACE-1", "quantity": 3})
    results = race(
        server, lamoda, f"orders/{order['id']}/packs", [{"count": 1 + n % 3} for n in range(WRITERS)]
    )
    assert sorted(r.status_code for r in results) == [200] + [400] * (WRITERS - 1)
    winner = next(r for r in results if r.status_code == 200).json()["data"]["packs"]
    detail = lamoda.v2_get(f"orders/{order['id']}").json()["data"]
    assert detail["packs"] == winner


def test_one_pack_goes_into_one_shipment_and_a_code_is_used_once(
    server: RunningServer, tenant: Tenant
) -> None:
    lamoda = Lamoda(tenant)
    ready = lamoda.ready_to_ship({"sku": "RACE-2", "marking_required": True})
    code = datamatrix()
    body = {
        "pallets": [
            {
                "packs": [
                    {
                        "packId": ready["packs"][0]["packNumber"],
                        "items": [{"unitload": ready["items"][0]["id"], "datamatrix": code}],
                    }
                ]
            }
        ]
    }
    results = race(server, lamoda, "fbs/shipments", [body] * WRITERS)
    assert sorted(r.status_code for r in results) == [201] + [400] * (WRITERS - 1)
    assert lamoda.v2_get("fbs/shipments").json()["meta"]["total"] == 1
