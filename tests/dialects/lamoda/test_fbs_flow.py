"""The FBS flow as a seller's integration runs it: token → new orders → confirm → assembly → packs →
labels (PDFs that open, barcodes that scan) → shipment; then the courier and the buyer."""

from __future__ import annotations

import copy
import io
from typing import Any

import httpx
import pypdfium2 as pdfium  # type: ignore[import-untyped, unused-ignore]
import pytest
import zxingcpp
from PIL import Image

from tests.conftest import Tenant
from tests.dialects.lamoda.helpers import Lamoda, datamatrix

PT_PER_MM = 72 / 25.4
SIZES_MM = {"S": (58, 40), "M": (75, 120), "L": (100, 150)}


def scanned(http: httpx.Client, url: str) -> list[tuple[tuple[float, float], list[str]]]:
    """Download a label PDF by its absolute URL; per page: size in points and the Code 128 values read."""
    path = httpx.URL(url).path
    assert httpx.URL(url).is_absolute_url
    resp = http.get(path)
    assert resp.status_code == 200, resp.text
    assert resp.content.startswith(b"%PDF")
    pages = []
    pdf = pdfium.PdfDocument(io.BytesIO(resp.content))
    try:
        for page in pdf:
            image: Image.Image = page.render(scale=300 / 72).to_pil()
            values = [
                r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.Code128
            ]
            pages.append((page.get_size(), values))
    finally:
        pdf.close()
    return pages


def test_fbs_flow_end_to_end(tenant: Tenant) -> None:
    lamoda = Lamoda(tenant)
    placed = lamoda.buyer_orders(
        {"sku": "DRESS-RED-42", "quantity": 2, "price": 349900, "marking_required": True},
        {"sku": "SCARF-01", "marking_required": False},
    )
    assert placed["order_nr"].startswith("RU") and len(placed["items"]) == 3
    assert {i["status"] for i in placed["items"]} == {"New"}

    # 1. the seller polls new orders (v2) and sees the order with a cut-off
    page = lamoda.v2_get("orders", fulfillmentType="FBS", limit=100)
    assert page.status_code == 200, page.text
    listed = {o["orderId"]: o for o in page.json()["data"]}
    order = listed[placed["order_nr"]]
    assert order["status"] == "NEW" and order["allowedForAssembly"] is True
    assert order["cutOff"] is not None and order["cutOff"].endswith("Z")
    assert page.json()["meta"]["total"] == 1

    # 2. confirm through v1 events
    resp = lamoda.v1_post(f"orders/{placed['order_nr']}/events", {"type": "confirm"})
    assert resp.status_code == 200, resp.text
    assert resp.json()["status"] == "Confirmed" and resp.json()["isConfirmed"] is True
    again = lamoda.v1_post(f"orders/{placed['order_nr']}/events", {"type": "confirm"})
    assert again.status_code == 409 and "only a new order" in again.json()["description"]

    # 3. assemble into two packs, then ask for two pack numbers
    items = [i["id"] for i in placed["items"]]
    resp = lamoda.v2_post(
        f"orders/{order['id']}/assembly", {"packs": [{"itemIds": items[:2]}, {"itemIds": items[2:]}]}
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"]["status"] == "AWAITING_SHIPMENT"
    resp = lamoda.v2_post(f"orders/{order['id']}/packs", {"count": 2})
    assert resp.status_code == 200, resp.text
    packs = [p["packNumber"] for p in resp.json()["data"]["packs"]]
    assert len(packs) == 2 and len(set(packs)) == 2
    second = lamoda.v2_post(f"orders/{order['id']}/packs", {"count": 2})
    assert second.status_code == 400
    assert "It is not possible to generate more codes" in second.json()["error"]["message"]
    detail = lamoda.v1_get(f"orders/{placed['order_nr']}").json()
    assert detail["_embedded"]["packNumbers"] == packs
    assert detail["status"] == "Ready for shipment"

    # 4. labels: items (S), packs (M); each PDF opens and every barcode scans
    resp = lamoda.v2_post("labels/order-items", {"items": [*items, 999_999_999], "labelFormat": "S"})
    assert resp.status_code == 200, resp.text
    data = resp.json()["data"]
    assert data["excludedItems"] == [999_999_999]
    pages = scanned(tenant.http, data["fileUrl"])
    assert [values for _, values in pages] == [[str(i)] for i in items]
    width, height = pages[0][0]
    assert abs(width - 58 * PT_PER_MM) < 1 and abs(height - 40 * PT_PER_MM) < 1

    resp = lamoda.v2_post("labels/order-packs", {"packs": [*packs, "NOPE-1"], "labelFormat": "M"})
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"]["excludedPacks"] == ["NOPE-1"]
    pages = scanned(tenant.http, resp.json()["data"]["fileUrl"])
    assert [values for _, values in pages] == [[p] for p in packs]

    # 5. the shipment: this seller wants every marked item's DataMatrix code checked (marking: strict)
    strict = tenant.http.put(f"/sandbox/tenants/{tenant.seller_id}/marking", json={"mode": "strict"})
    assert strict.status_code == 200, strict.text
    codes = [datamatrix(), datamatrix()]
    pallets = [
        {
            "packs": [
                {
                    "packId": packs[0],
                    "items": [{"unitload": items[0], "datamatrix": codes[0]}, {"unitload": items[1]}],
                },
                {"packId": packs[1], "items": [{"unitload": items[2]}]},
            ]
        }
    ]
    missing_code = lamoda.v2_post("fbs/shipments", {"pallets": pallets})
    assert missing_code.status_code == 400
    assert missing_code.json()["error"]["details"][0]["field"] == "pallets[0].packs[0].items[1].datamatrix"
    pallets[0]["packs"][0]["items"][1]["datamatrix"] = codes[1]
    resp = lamoda.v2_post("fbs/shipments", {"pallets": pallets, "shipAt": "2030-01-01T10:00:00Z"})
    assert resp.status_code == 201, resp.text
    shipment = resp.json()["data"]
    pallet_barcode = shipment["pallets"][0]["palletBarcode"]
    assert [p["packId"] for p in shipment["pallets"][0]["packs"]] == packs
    assert lamoda.v2_post("fbs/shipments", {"pallets": pallets}).status_code == 400  # already shipped

    listed_shipments = lamoda.v2_get("fbs/shipments").json()
    assert [s["id"] for s in listed_shipments["data"]] == [shipment["id"]]
    shipment_items = lamoda.v2_get(f"fbs/shipments/{shipment['id']}/items").json()["data"]
    assert sorted(i["unitload"] for i in shipment_items) == sorted(items)
    container = lamoda.v2_get(f"fbs/order-containers/{pallet_barcode}").json()["data"]
    assert container["type"] == "pallet" and {p["packNumber"] for p in container["packs"]} == set(packs)

    resp = lamoda.v2_post("labels/pallets", {"palletBarcodes": [pallet_barcode], "labelFormat": "L"})
    assert resp.status_code == 200, resp.text
    pages = scanned(tenant.http, resp.json()["data"]["fileUrl"])
    assert pages[0][1] == [pallet_barcode]
    assert abs(pages[0][0][0] - 100 * PT_PER_MM) < 1

    # marking codes are never echoed by a GET
    for text in (
        lamoda.v1_get(f"orders/{placed['order_nr']}").text,
        lamoda.v2_get(f"orders/{order['id']}").text,
        lamoda.v2_get(f"fbs/shipments/{shipment['id']}").text,
        lamoda.v2_get(f"fbs/shipments/{shipment['id']}/items").text,
        lamoda.v1_get("shipments").text,
    ):
        assert codes[0] not in text and codes[1] not in text

    # 6. the courier takes it, the buyer keeps the dress and refuses the scarf (partial buyout)
    nr = placed["order_nr"]
    for item_id in items:
        lamoda.moved(nr, item_id, "Shipped", "Arrived to LME", "Left LME", "Given to delivery", "In delivery")
    lamoda.moved(nr, items[0], "Delivered")
    lamoda.moved(nr, items[1], "Delivered")
    final = lamoda.moved(nr, items[2], "Not bought", reason="Размер не подошёл")
    assert final["status"] == "Delivered"
    v1 = lamoda.v1_get(f"orders/{nr}").json()
    assert v1["status"] == "Delivered"
    by_id = {i["id"]: i for i in v1["items"]}
    assert by_id[items[2]]["status"] == "Not bought"
    assert by_id[items[2]]["statusChangeReason"] == "Размер не подошёл"
    assert v1["rejectPrice"] == pytest.approx(by_id[items[2]]["paidPrice"])
    history = [
        line["status"] for line in lamoda.v1_get(f"orders/{nr}/statuses").json()["_embedded"]["statuses"]
    ]
    assert history[:3] == ["New", "Confirmed", "Ready for shipment"] and history[-1] == "Delivered"
    returned = lamoda.v2_get("fbs/return-items", orderId=nr).json()["data"]
    assert [(r["itemId"], r["returnType"], r["status"]) for r in returned] == [
        (items[2], "NOT_BOUGHT", "CREATED")
    ]


def test_v1_shipments_out_carries_datamatrix_per_item(tenant: Tenant) -> None:
    lamoda = Lamoda(tenant)
    order = lamoda.ready_to_ship({"sku": "JEANS-32", "quantity": 2, "marking_required": True})
    pack = order["packs"][0]["packNumber"]
    codes = [datamatrix(), datamatrix()]
    body: dict[str, Any] = {
        "id": "OUT-1",
        "type": "FBS",
        "containers": [
            {
                "barcode": "PAL-0001",
                "type": "pallet",
                "containers": [
                    {
                        "barcode": pack,
                        "type": "pack",
                        "weight": 1.2,
                        "items": [
                            {
                                "unitload": it["id"],
                                "sku": "JEANS-32",
                                "orderNr": order["orderNr"],
                                "datamatrix": code,
                            }
                            for it, code in zip(order["items"], codes, strict=True)
                        ],
                    }
                ],
            }
        ],
    }
    wrong_sku: Any = copy.deepcopy(body)
    wrong_sku["containers"][0]["containers"][0]["items"][0]["sku"] = "X"
    resp = lamoda.v1_post("shipments/out", wrong_sku)
    assert resp.status_code == 400 and resp.json()["errors"][0]["field"].endswith(".sku")
    resp = lamoda.v1_post("shipments/out", body)
    assert resp.status_code == 201, resp.text
    created = resp.json()
    assert created["externalId"] == "OUT-1"
    assert created["containers"][0]["barcode"] == "PAL-0001"
    assert created["containers"][0]["containers"][0]["barcode"] == pack
    listed = lamoda.v1_get("shipments").json()
    assert listed["_embedded"]["shipments"][0]["id"] == created["id"] and listed["pages"] == 1
    assert codes[0] not in str(listed)
    # the same codes on another unit are refused
    other = lamoda.ready_to_ship({"sku": "JEANS-32", "quantity": 1, "marking_required": True})
    reuse = lamoda.v2_post(
        "fbs/shipments",
        {
            "pallets": [
                {
                    "packs": [
                        {
                            "packId": other["packs"][0]["packNumber"],
                            "items": [{"unitload": other["items"][0]["id"], "datamatrix": codes[0]}],
                        }
                    ]
                }
            ]
        },
    )
    assert reuse.status_code == 400 and "already sent" in reuse.json()["error"]["message"]


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("hello", "not a DataMatrix"),
        ("010460406000600121K4FNP6WPM93DH", "check digit"),  # GTIN check digit off by one
        ("01046040600060002", "not a DataMatrix"),  # no serial
    ],
)
def test_malformed_marking_codes_are_refused(tenant: Tenant, code: str, why: str) -> None:
    lamoda = Lamoda(tenant)
    order = lamoda.ready_to_ship({"sku": "SHOE-1", "marking_required": True})
    resp = lamoda.v2_post(
        "fbs/shipments",
        {
            "pallets": [
                {
                    "packs": [
                        {
                            "packId": order["packs"][0]["packNumber"],
                            "items": [{"unitload": order["items"][0]["id"], "datamatrix": code}],
                        }
                    ]
                }
            ]
        },
    )
    assert resp.status_code == 400, resp.text
    assert why in resp.json()["error"]["message"]
    assert lamoda.v2_get("fbs/shipments").json()["meta"]["total"] == 0


def test_seed_example_code_is_accepted(tenant: Tenant) -> None:
    lamoda = Lamoda(tenant)
    order = lamoda.ready_to_ship({"sku": "SHOE-2", "marking_required": True})
    resp = lamoda.v2_post(
        "fbs/shipments",
        {
            "pallets": [
                {
                    "packs": [
                        {
                            "packId": order["packs"][0]["packNumber"],
                            "items": [
                                {
                                    "unitload": order["items"][0]["id"],
                                    "datamatrix": "010460406000600021K4FNP6WPM93DH",
                                }
                            ],
                        }
                    ]
                }
            ]
        },
    )
    assert resp.status_code == 201, resp.text
