"""The AliExpress seed's examples, replayed over real HTTP against the demo tenant exactly as printed.

The request bodies (in `seed.py`) are the `--data-raw` strings of the seed's curl commands, byte for
byte, sent with the same headers. Replays that change the demo (create) undo what they did, and checks of
the get example's values filter by its id, so the tests pass in any order and beside other demo users.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pypdfium2 as pdfium  # type: ignore[import-untyped, unused-ignore]
import pytest

from marketbox.domain.logistic_orders import tracking_code_for
from marketbox.services.demo import Demo, ensure_demo
from marketbox.store.database import Database
from tests.conftest import Tenant
from tests.dialects.aliexpress.conftest import DemoTenant
from tests.dialects.aliexpress.seed import (
    CREATE_BODY,
    CREATE_FAILURE_EXAMPLE,
    CREATE_SUCCESS_EXAMPLE,
    DELETE_BODY,
    DELETE_EXAMPLE,
    GET_BODY,
    GET_EXAMPLE,
    LABELS_BODY,
    SEED_CREATE_SKU,
    SEED_CREATE_TRADE_ORDER,
    SEED_GET_LOGISTIC_ORDER,
    assert_shape,
)
from tests.servers import RunningServer


# --- helpers -----------------------------------------------------------------------------------
def curl(server: RunningServer, demo: DemoTenant, path: str, raw_body: str) -> httpx.Response:
    """What the seed's `curl --request POST ... --data-raw '...'` sends."""
    return httpx.post(
        f"{server.base_url}/seller-api/v1/{path}",
        content=raw_body.encode(),
        headers={
            "accept": "application/json",
            "Content-Type": "application/json",
            "x-auth-token": demo.token,
        },
        timeout=30,
    )


def logistic_order(server: RunningServer, demo: DemoTenant, lo_id: int) -> dict[str, Any] | None:
    resp = curl(
        server,
        demo,
        "logistic-order/get",
        json.dumps({"page_size": 10, "page": 1, "logistic_order_ids": [lo_id]}),
    )
    assert resp.status_code == 200, resp.text
    found = resp.json()["data"]["logistic_orders"]
    return found[0] if found else None


# --- logistic-order/get ------------------------------------------------------------------------
def test_get_example_exact_request_answers_the_seed_example_shape(
    server: RunningServer, demo: DemoTenant
) -> None:
    """The printed request works; its answer has the seed example's keys and JSON types.

    Other tests (the README's, this module's create replay) may add newer logistic orders to the demo
    seller, so the newest order here is any demo order: each item is checked against the keys every item
    of the seed example has, and marking codes against the seed's when present. The full example,
    item by item, is checked on 1249390 below.
    """
    resp = curl(server, demo, "logistic-order/get", GET_BODY)

    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert set(body) == {"data", "error"}
    assert body["error"] is None
    assert set(body["data"]) >= {"logistic_orders", "page_info"}
    (newest,) = body["data"]["logistic_orders"]
    seed = GET_EXAMPLE["data"]["logistic_orders"][0]
    assert_shape(
        {k: v for k, v in newest.items() if k != "items"}, {k: v for k, v in seed.items() if k != "items"}
    )
    assert isinstance(newest["items"], list) and newest["items"]
    common_keys = set.intersection(*(set(item) for item in seed["items"]))
    every_item = {k: v for k, v in seed["items"][0].items() if k in common_keys}
    for item in newest["items"]:
        assert_shape(item, every_item)
        if "jewelry_codes" in item:
            assert_shape(item["jewelry_codes"], seed["items"][2]["jewelry_codes"][:1])
    assert_shape(body["data"]["page_info"], GET_EXAMPLE["data"]["page_info"])
    page_info = body["data"]["page_info"]
    assert page_info["current"] == 1
    assert page_info["page_size"] == 1  # echoes the request (the seed's table calls it "number of pages")
    assert page_info["total"] >= 1


def test_the_seed_get_example_is_the_newest_order_the_demo_was_seeded_with(
    server: RunningServer, demo: DemoTenant
) -> None:
    lo = logistic_order(server, demo, SEED_GET_LOGISTIC_ORDER)
    assert lo is not None
    # Newest first, up to the moment 1249390 was created: nothing the demo seeded is newer.
    body = GET_BODY.replace('"page": 1', f'"page": 1, "gmt_create_to": "{lo["gmt_create"]}"')
    resp = curl(server, demo, "logistic-order/get", body)
    assert resp.status_code == 200, resp.text
    (newest,) = resp.json()["data"]["logistic_orders"]
    assert newest["logistic_order_id"] == SEED_GET_LOGISTIC_ORDER
    assert newest["trade_order_id"] == 2409231561178782


def test_get_example_values_are_the_seed_example(server: RunningServer, demo: DemoTenant) -> None:
    lo = logistic_order(server, demo, SEED_GET_LOGISTIC_ORDER)
    assert lo is not None
    seed = GET_EXAMPLE["data"]["logistic_orders"][0]

    assert_shape(lo, seed)
    for key in (
        "logistic_order_id",
        "trade_order_id",
        "status",
        "state_status_name",
        "trade_order_source",
        "buyer_name",
        "buyer_country_code",
        "addresses",
        "external_provider",
        "last_mile_provider",
        "first_mile_provider",
        "first_mile",
        "danger_type",
    ):
        assert lo[key] == seed[key], key
    assert lo["platform_tracking_code"] == tracking_code_for(SEED_GET_LOGISTIC_ORDER)
    assert [i["sku_id"] for i in lo["items"]] == [i["sku_id"] for i in seed["items"]]
    for got, want in zip(lo["items"], seed["items"], strict=True):
        for key in (
            "sku_id",
            "product_source_id",
            "name",
            "item_price",
            "currency",
            "total_amount",
            "properties",
            "quantity",
        ):
            assert got[key] == want[key], (want["sku_id"], key)
        assert isinstance(got["marking_required"], bool)
    assert lo["items"][0]["marking_required"] is False
    assert "jewelry_codes" not in lo["items"][0]
    assert "jewelry_codes" not in lo["items"][1]
    assert lo["items"][2]["jewelry_codes"] == [
        {"sku_index": 0, "codes": ["4095436341322049", "2314167189189686"]}
    ]
    assert lo["items_count"] == sum(i["quantity"] for i in lo["items"])
    assert "creation_error" not in lo  # only present when set, as in the seed example


# --- logistic-order/create ---------------------------------------------------------------------
def test_create_example_succeeds_with_the_seed_success_shape(server: RunningServer, demo: DemoTenant) -> None:
    resp = curl(server, demo, "logistic-order/create", CREATE_BODY)

    assert resp.status_code == 200, resp.text
    body = resp.json()
    created_ids = [lo["id"] for o in body["data"]["orders"] for lo in o["logistic_orders"]]
    try:
        assert set(body) == {"data"}, "a fully successful create has no `error` key, as in the seed"
        assert set(body["data"]) == {"orders"}
        assert_shape(body, CREATE_SUCCESS_EXAMPLE)
        (order,) = body["data"]["orders"]
        assert order["trade_order_id"] == SEED_CREATE_TRADE_ORDER
        (created,) = order["logistic_orders"]
        assert created["lines"] == [{"sku_id": SEED_CREATE_SKU, "product_source_id": 0, "quantity": 1}]
        assert created["track_number"] == tracking_code_for(created["id"])

        listed = logistic_order(server, demo, created["id"])
        assert listed is not None
        assert listed["trade_order_id"] == SEED_CREATE_TRADE_ORDER
        assert listed["status"] == "AWAITING_ADDING_TO_HANDOVER"
        assert listed["items_count"] == 1
    finally:
        # Delete what was created: the seed's trade order keeps its units and the get example stays newest.
        if created_ids:
            cleanup = curl(
                server, demo, "logistic-order/delete", json.dumps({"logistic_order_ids": created_ids})
            )
            assert cleanup.status_code == 200, cleanup.text
            for result in cleanup.json()["data"]["deletion_result_map"].values():
                assert result["deleted_at"] is not None and result["error_message"] is None
    assert logistic_order(server, demo, created_ids[0]) is None


def test_create_for_a_missing_trade_order_answers_the_seed_failure_example(
    server: RunningServer, demo: DemoTenant
) -> None:
    body = CREATE_BODY.replace(str(SEED_CREATE_TRADE_ORDER), "2207197727599801")
    resp = curl(server, demo, "logistic-order/create", body)

    assert resp.status_code == 200, resp.text
    assert resp.json() == CREATE_FAILURE_EXAMPLE


def test_create_for_another_sellers_trade_order_does_not_reveal_it(
    server: RunningServer, demo: DemoTenant, tenant: Tenant
) -> None:
    foreign = tenant.order({"sku_id": SEED_CREATE_SKU, "quantity": 1})
    body = CREATE_BODY.replace(str(SEED_CREATE_TRADE_ORDER), str(foreign["trade_order_id"]))
    resp = curl(server, demo, "logistic-order/create", body)

    assert resp.status_code == 200, resp.text
    assert resp.json() == CREATE_FAILURE_EXAMPLE
    mine = tenant.ae(
        "logistic-order/get", {"page": 1, "page_size": 10, "trade_order_ids": [foreign["trade_order_id"]]}
    )
    assert mine.json()["data"]["page_info"]["total"] == 0


# --- labels/orders/get -------------------------------------------------------------------------
def test_labels_example_answers_a_label_url_that_downloads_a_pdf(
    server: RunningServer, demo: DemoTenant
) -> None:
    resp = curl(server, demo, "labels/orders/get", LABELS_BODY)

    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert set(body) == {"data", "error"}
    assert body["error"] is None
    assert set(body["data"]) == {"label_url"}
    url = body["data"]["label_url"]
    assert url.startswith(f"{server.base_url}/documents/"), url

    pdf = httpx.get(url, timeout=30)  # no x-auth-token: the link itself is the secret
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    document = pdfium.PdfDocument(pdf.content)
    try:
        assert len(document) == 1
        text_page = document[0].get_textpage()
        assert tracking_code_for(88236) in text_page.get_text_range()
        assert "88236" in text_page.get_text_range()
    finally:
        document.close()

    again = curl(server, demo, "labels/orders/get", LABELS_BODY).json()["data"]["label_url"]
    assert again != url, "every label_url carries its own random token"


# --- logistic-order/delete ---------------------------------------------------------------------
def test_delete_example_answers_exactly_the_seed_example(server: RunningServer, demo: DemoTenant) -> None:
    resp = curl(server, demo, "logistic-order/delete", DELETE_BODY)

    assert resp.status_code == 200, resp.text
    assert resp.json() == DELETE_EXAMPLE


@pytest.mark.parametrize("path", ["logistic-order/get", "labels/orders/get", "logistic-order/delete"])
def test_seed_examples_need_the_token(server: RunningServer, path: str) -> None:
    body = {"logistic-order/get": GET_BODY, "labels/orders/get": LABELS_BODY}.get(path, DELETE_BODY)
    resp = httpx.post(
        f"{server.base_url}/seller-api/v1/{path}",
        content=body.encode(),
        headers={"accept": "application/json", "Content-Type": "application/json"},
    )
    assert resp.status_code == 401
    error = resp.json()["error"]
    assert error["code"] == "ErrorCode.Unauthorized"
    assert "GetToken" in error["message"]


def test_demo_tenant_has_the_documented_fixed_token(demo: DemoTenant) -> None:
    assert demo.token == "mbx-demo-token"  # docs/assumptions.md: the README's curl commands run as printed


def test_ensure_demo_is_idempotent(server: RunningServer, demo: DemoTenant) -> None:
    before = curl(server, demo, "logistic-order/get", GET_BODY).json()["data"]["page_info"]["total"]

    async def again() -> Demo:
        db = Database(server.database_url)
        try:
            return await ensure_demo(db)
        finally:
            await db.dispose()

    second = asyncio.run(again())
    assert second.created is False
    assert (second.seller.id, second.credentials.aliexpress_token) == (demo.seller_id, demo.token)
    assert curl(server, demo, "logistic-order/get", GET_BODY).json()["data"]["page_info"]["total"] == before
