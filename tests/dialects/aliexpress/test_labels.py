"""Label documents over real HTTP, checked as a warehouse would: downloaded, rasterised, scanned, read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pypdfium2 as pdfium  # type: ignore[import-untyped, unused-ignore]
import pytest
import zxingcpp
from PIL import Image

from tests.conftest import Tenant
from tests.servers import RunningServer

SCAN_DPI = 300
RECEIVERS = ["Сократ Гурьевич Абрамов", "Евдокия Филимоновна Щукина", "Ёжиков Эдуард Юрьевич"]


@dataclass(frozen=True)
class Page:
    text: str
    barcodes: list[str]


def download(url: str) -> bytes:
    resp = httpx.get(url, timeout=30)  # no x-auth-token: the URL is the secret
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"] == "application/pdf"
    assert resp.content.startswith(b"%PDF-")
    return resp.content


def read_pdf(pdf: bytes) -> list[Page]:
    document = pdfium.PdfDocument(pdf)
    pages = []
    try:
        for page in document:
            text_page = page.get_textpage()
            text = text_page.get_text_range()
            text_page.close()
            image: Image.Image = page.render(scale=SCAN_DPI / 72, grayscale=True).to_pil()
            codes = [
                b.text for b in zxingcpp.read_barcodes(image) if b.format == zxingcpp.BarcodeFormat.Code128
            ]
            pages.append(Page(" ".join(text.split()), codes))
            page.close()
    finally:
        document.close()
    return pages


def label_url(resp: httpx.Response, server: RunningServer) -> str:
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["error"] is None
    assert set(body["data"]) == {"label_url"}
    url = str(body["data"]["label_url"])
    assert url.startswith(f"{server.base_url}/documents/"), url
    return url


def ship(tenant: Tenant, receiver: str, sku: int = 4242) -> dict[str, Any]:
    order = tenant.order({"sku_id": sku, "quantity": 2, "jewelry": False}, buyer_name=receiver)
    (lo_id,) = tenant.ship(order)
    found = tenant.ae("logistic-order/get", {"page": 1, "page_size": 1, "logistic_order_ids": [lo_id]})
    (lo,) = found.json()["data"]["logistic_orders"]
    assert lo["buyer_name"] == receiver
    return dict(lo)


def assert_error(resp: httpx.Response, status: int, code: str) -> None:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["data"] is None
    assert body["error"]["code"] == code


@pytest.mark.parametrize("count", [1, 3])
def test_parcel_labels_scan_to_the_tracking_codes(server: RunningServer, tenant: Tenant, count: int) -> None:
    orders = [ship(tenant, RECEIVERS[n]) for n in range(count)]

    url = label_url(
        tenant.ae("labels/orders/get", {"logistic_order_ids": [o["logistic_order_id"] for o in orders]}),
        server,
    )
    pages = read_pdf(download(url))

    assert len(pages) == count
    for page, order in zip(pages, orders, strict=True):
        assert page.barcodes == [order["platform_tracking_code"]]
        assert order["platform_tracking_code"] in page.text
        assert str(order["logistic_order_id"]) in page.text
        assert str(order["trade_order_id"]) in page.text
        assert order["buyer_name"] in page.text


def test_duplicate_ids_print_one_label(server: RunningServer, tenant: Tenant) -> None:
    order = ship(tenant, RECEIVERS[0])
    lo_id = order["logistic_order_id"]
    pages = read_pdf(
        download(label_url(tenant.ae("labels/orders/get", {"logistic_order_ids": [lo_id, lo_id]}), server))
    )
    assert [p.barcodes for p in pages] == [[order["platform_tracking_code"]]]


def test_handover_act_lists_every_parcel_and_scans_to_the_list_id(
    server: RunningServer, tenant: Tenant
) -> None:
    orders = [ship(tenant, name) for name in RECEIVERS[:2]]
    created = tenant.ae(
        "handover-list/create", {"logistic_order_ids": [o["logistic_order_id"] for o in orders]}
    )
    assert created.status_code == 200, created.text
    list_id = created.json()["data"]["handover_list_id"]

    url = label_url(tenant.ae("labels/handover-lists/get", {"handover_list_id": list_id}), server)
    pages = read_pdf(download(url))

    text = " ".join(p.text for p in pages)
    for order in orders:
        assert order["platform_tracking_code"] in text
        assert str(order["logistic_order_id"]) in text
    assert str(list_id) in pages[0].text
    assert pages[0].barcodes == [str(list_id)]

    # The document is rendered when fetched: a parcel added later shows up under the same URL.
    late = ship(tenant, RECEIVERS[2])
    added = tenant.ae(
        "handover-list/add-logistic-orders",
        {"handover_list_id": list_id, "order_ids": [late["logistic_order_id"]]},
    )
    assert added.status_code == 200, added.text
    assert late["platform_tracking_code"] in " ".join(p.text for p in read_pdf(download(url)))


def test_labels_of_unknown_and_foreign_orders(tenant: Tenant, other_tenant: Tenant) -> None:
    mine = ship(tenant, RECEIVERS[0])["logistic_order_id"]
    theirs = ship(other_tenant, RECEIVERS[1])["logistic_order_id"]

    assert_error(
        tenant.ae("labels/orders/get", {"logistic_order_ids": [mine, 19_999_999]}),
        404,
        "ErrorCode.OrderNotFound",
    )
    assert_error(
        tenant.ae("labels/orders/get", {"logistic_order_ids": [mine, theirs]}),
        403,
        "ErrorCode.SellerMismatch",
    )


def test_labels_of_a_deleted_order_are_not_issued(tenant: Tenant) -> None:
    lo_id = ship(tenant, RECEIVERS[0])["logistic_order_id"]
    assert tenant.ae("logistic-order/delete", {"logistic_order_ids": [lo_id]}).status_code == 200
    assert_error(
        tenant.ae("labels/orders/get", {"logistic_order_ids": [lo_id]}), 404, "ErrorCode.OrderNotFound"
    )


def test_act_of_unknown_and_foreign_lists(tenant: Tenant, other_tenant: Tenant) -> None:
    theirs = other_tenant.ae(
        "handover-list/create",
        {"logistic_order_ids": [ship(other_tenant, RECEIVERS[1])["logistic_order_id"]]},
    )
    assert theirs.status_code == 200, theirs.text

    assert_error(
        tenant.ae("labels/handover-lists/get", {"handover_list_id": 699_999}),
        404,
        "ErrorCode.HandoverListNotFound",
    )
    assert_error(
        tenant.ae(
            "labels/handover-lists/get", {"handover_list_id": theirs.json()["data"]["handover_list_id"]}
        ),
        403,
        "ErrorCode.SellerMismatch",
    )


@pytest.mark.parametrize(
    "payload",
    [
        {"logistic_order_ids": []},
        {"logistic_order_ids": list(range(1, 102))},
        {},
        {"logistic_order_ids": "1"},
    ],
    ids=["empty", "101-ids", "missing", "not-a-list"],
)
def test_label_requests_out_of_range_are_refused(tenant: Tenant, payload: dict[str, Any]) -> None:
    resp = tenant.ae("labels/orders/get", payload)
    assert_error(resp, 400, "ErrorCode.ValidationError")
    assert resp.json()["error"]["details"]["field"] == "logistic_order_ids"


def test_one_hundred_labels_are_allowed(server: RunningServer, tenant: Tenant) -> None:
    order = tenant.order(*({"sku_id": 9000 + n, "quantity": 1, "jewelry": False} for n in range(100)))
    payload = {
        "orders": [
            {
                "trade_order_id": order["trade_order_id"],
                "total_length": 10,
                "total_width": 10,
                "total_height": 10,
                "total_weight": 0.3,
                "items": [{"sku_id": line["sku_id"], "quantity": 1}],
            }
            for line in order["lines"]
        ]
    }
    created = tenant.ae("logistic-order/create", payload)
    assert created.status_code == 200, created.text
    ids = [lo["id"] for o in created.json()["data"]["orders"] for lo in o["logistic_orders"]]
    assert len(ids) == 100

    url = label_url(tenant.ae("labels/orders/get", {"logistic_order_ids": ids}), server)
    assert len(pdfium.PdfDocument(download(url))) == 100


def test_unknown_document_is_404(http: httpx.Client) -> None:
    resp = http.get("/documents/deadbeef")
    assert resp.status_code == 404
    assert resp.headers["content-type"].startswith("application/json")
    assert resp.json()["error"]["code"] == "ErrorCode.DocumentNotFound"
