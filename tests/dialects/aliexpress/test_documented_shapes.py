"""What the API answers matches what its OpenAPI document promises (schema drift fails here)."""

from __future__ import annotations

from typing import Any

import httpx
import jsonschema
import pytest

from tests.conftest import Tenant


@pytest.fixture
def document(http: httpx.Client) -> dict[str, Any]:
    return dict(http.get("/openapi.json").json())


def check(document: dict[str, Any], path: str, resp: httpx.Response) -> None:
    """Validate a response body against the schema documented for its path and status."""
    operation = document["paths"][f"/seller-api/v1/{path}"]["post"]
    documented = operation["responses"].get(str(resp.status_code))
    assert documented is not None, f"{path}: status {resp.status_code} is not documented"
    schema = documented["content"]["application/json"]["schema"]
    # `#/components/...` references resolve against the root: give the schema the document's components.
    jsonschema.Draft202012Validator({**schema, "components": document["components"]}).validate(resp.json())


def test_every_answer_of_a_shipping_day_matches_the_document(
    document: dict[str, Any], tenant: Tenant
) -> None:
    order = tenant.order(
        {"sku_id": 1, "quantity": 2}, {"sku_id": 2, "quantity": 1, "jewelry": True, "marking_required": True}
    )
    create = {
        "orders": [
            {
                "trade_order_id": order["trade_order_id"],
                "total_length": 10,
                "total_width": 10,
                "total_height": 10,
                "total_weight": 1.0,
                "items": [
                    {"sku_id": 1, "quantity": 2},
                    {"sku_id": 2, "quantity": 1, "jewelry_codes": [{"sku_index": 0, "codes": ["ABC123"]}]},
                ],
            }
        ]
    }
    created = tenant.ae("logistic-order/create", create)
    check(document, "logistic-order/create", created)
    check(document, "logistic-order/create", tenant.ae("logistic-order/create", create))  # item errors
    lo_id = created.json()["data"]["orders"][0]["logistic_orders"][0]["id"]
    check(document, "logistic-order/get", tenant.ae("logistic-order/get", {"page": 1, "page_size": 10}))
    check(
        document,
        "logistic-order/get",
        tenant.ae("logistic-order/get", {"page": 1, "page_size": 10, "logistic_order_info": "Common"}),
    )
    check(
        document,
        "order/get-order-list",
        tenant.ae("order/get-order-list", {"page": 1, "page_size": 10, "trade_order_info": "LogisticInfo"}),
    )
    check(document, "labels/orders/get", tenant.ae("labels/orders/get", {"logistic_order_ids": [lo_id]}))
    listed = tenant.ae("handover-list/create", {"logistic_order_ids": [lo_id]})
    check(document, "handover-list/create", listed)
    list_id = listed.json()["data"]["handover_list_id"]
    check(
        document,
        "handover-list/get-by-filter",
        tenant.ae("handover-list/get-by-filter", {"page_size": 10, "page_number": 1}),
    )
    check(
        document,
        "handover-list/remove-logistic-orders",
        tenant.ae(
            "handover-list/remove-logistic-orders", {"handover_list_id": list_id, "order_ids": [lo_id]}
        ),
    )
    check(
        document,
        "handover-list/add-logistic-orders",
        tenant.ae("handover-list/add-logistic-orders", {"handover_list_id": list_id, "order_ids": [lo_id]}),
    )
    check(
        document,
        "labels/handover-lists/get",
        tenant.ae("labels/handover-lists/get", {"handover_list_id": list_id}),
    )
    check(document, "logistic-order/pass-today", tenant.ae("logistic-order/pass-today", {"order_id": lo_id}))
    check(
        document,
        "handover-list/add-logistic-orders",
        tenant.ae("handover-list/add-logistic-orders", {"handover_list_id": list_id, "order_ids": [lo_id]}),
    )
    check(
        document, "handover-list/transfer", tenant.ae("handover-list/transfer", {"handover_list_id": list_id})
    )
    check(
        document,
        "logistic-order/delete",
        tenant.ae("logistic-order/delete", {"logistic_order_ids": [lo_id, 1]}),
    )


def test_error_answers_match_the_document(
    document: dict[str, Any], tenant: Tenant, other_tenant: Tenant
) -> None:
    check(document, "logistic-order/get", tenant.ae("logistic-order/get", {"page": 0, "page_size": 10}))
    check(
        document,
        "logistic-order/get",
        tenant.ae("logistic-order/get", {"page": 1, "page_size": 10}, token="x"),
    )
    [lo_id] = tenant.ship(tenant.order({"sku_id": 1, "quantity": 1}))
    check(
        document,
        "logistic-order/pass-today",
        other_tenant.ae("logistic-order/pass-today", {"order_id": lo_id}),
    )
    check(document, "logistic-order/pass-today", tenant.ae("logistic-order/pass-today", {"order_id": 1}))
    check(document, "handover-list/transfer", tenant.ae("handover-list/transfer", {"handover_list_id": 1}))
