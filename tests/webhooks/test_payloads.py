"""What each notification says: item statuses with reasons and marking codes, supplies with their counts,
and no return statuses through `itemStatusChanged` from 2026-03-03 on."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx

from tests.conftest import Tenant
from tests.dialects.lamoda.helpers import Lamoda, datamatrix
from tests.webhooks.test_delivery import Receiver, receiver, subscribe, unique, wait_for  # noqa: F401


def payloads(receiver: Receiver, path: str, count: int) -> list[dict[str, Any]]:  # noqa: F811
    got = wait_for(lambda: len(receiver.requests(path)) >= count and receiver.requests(path))
    return [json.loads(r["body"]) for r in got]


def test_item_notifications_carry_reasons_and_marking_codes(
    tenant: Tenant,
    receiver: Receiver,  # noqa: F811
) -> None:
    path = unique("/ok")
    subscribe(tenant, receiver.url(path), types=["itemStatusChanged"])
    lamoda = Lamoda(tenant)
    order = lamoda.ready_to_ship({"sku": "PAY-1", "quantity": 2, "marking_required": True})
    codes = [datamatrix(), datamatrix()]
    pack = order["packs"][0]["packNumber"]
    items = [i["id"] for i in order["items"]]
    body = {
        "pallets": [
            {
                "packs": [
                    {
                        "packId": pack,
                        "items": [
                            {"unitload": i, "datamatrix": c} for i, c in zip(items, codes, strict=True)
                        ],
                    }
                ]
            }
        ]
    }
    assert lamoda.v2_post("fbs/shipments", body).status_code == 201
    nr = order["orderNr"]
    for item in items:
        lamoda.moved(nr, item, "Shipped", "In delivery")
    lamoda.moved(nr, items[0], "Delivered")
    lamoda.moved(nr, items[1], "Not bought", reason="Размер не подошёл")
    got = payloads(receiver, path, 8)
    shipped = [i for p in got for i in p["items"] if i["status"] == "Shipped"]
    assert {i["id"]: i["datamatrix"] for i in shipped} == dict(zip(items, codes, strict=True))
    last = got[-1]["items"]
    assert [(i["id"], i["status"], i["statusChangeReason"]) for i in last] == [
        (items[1], "Not bought", "Размер не подошёл")
    ]
    numbers = [p["sequenceNumber"] for p in got]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def test_supply_notifications_carry_the_warehouse_counts(
    tenant: Tenant,
    receiver: Receiver,  # noqa: F811
) -> None:
    path = unique("/ok")
    subscribe(tenant, receiver.url(path), types=["fulfilmentShipmentStatusChanged"])
    lamoda = Lamoda(tenant)
    resp = lamoda.v1_post(
        "nomenclatures",
        {"sku": "PAY-SUP", "barcode": "4600000000017", "name": "x", "brand": "y", "markingRequired": False},
    )
    assert resp.status_code == 201, resp.text
    resp = lamoda.v1_post(
        "shipments/fulfilment",
        {"id": "SUP-1", "date": "01.12.2026", "items": [{"sku": "PAY-SUP", "quantity": 50, "price": 10}]},
    )
    assert resp.status_code == 201, resp.text
    assert lamoda.supply_event("SUP-1", status="send").status_code == 200
    counts = {"status": "accepted", "items": [{"sku": "PAY-SUP", "receipt": 49, "damaged": 1}]}
    assert lamoda.supply_event("SUP-1", **counts).status_code == 200
    got = payloads(receiver, path, 3)
    assert [p["shipment"]["status"] for p in got] == ["validation", "send", "accepted"]
    assert got[-1]["shipment"]["items"] == [
        {
            "sku": "PAY-SUP",
            "ean": "4600000000017",
            "quantity": 50,
            "receipt": 49,
            "accepted": 48,
            "surplus": 0,
            "missing": 1,
            "damaged": 1,
        }
    ]


def test_return_statuses_are_notified_only_before_2026_03_03(
    http: httpx.Client,
    receiver: Receiver,  # noqa: F811
) -> None:
    resp = http.post("/sandbox/tenants", json={"name": "Returns", "now": "2026-03-02T20:00:00+03:00"})
    assert resp.status_code == 201
    tenant = Tenant(http, resp.json())
    path = unique("/ok")
    subscribe(tenant, receiver.url(path), types=["itemStatusChanged"])
    lamoda = Lamoda(tenant)
    order = lamoda.ready_to_ship({"sku": "RET-1", "quantity": 2})
    nr, (first, second) = order["orderNr"], [i["id"] for i in order["items"]]
    for item in (first, second):
        lamoda.moved(nr, item, "Shipped", "In delivery", "Delivered")
    lamoda.moved(nr, first, "Claimed ok")  # 2026-03-02: still notified
    tenant.advance(6 * 3600)  # now 2026-03-03 02:00 Moscow time
    lamoda.moved(nr, second, "Claimed ok")  # no longer notified
    lamoda.moved(nr, first, "Sent back to partner")
    got = payloads(receiver, path, 9)  # confirm, assembly, 2 x 3 moves, the first claim
    time.sleep(0.5)
    assert len(receiver.requests(path)) == 9
    statuses = [(i["id"], i["status"]) for p in got for i in p["items"]]
    assert (first, "Claimed ok") in statuses
    assert (second, "Claimed ok") not in statuses
    assert (first, "Sent back to partner") not in statuses
