"""AliExpress request fields take exactly what the OpenAPI document declares (issue 10 item 7)."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.conftest import Tenant
from tests.dialects.aliexpress.test_input_limits import assert_invalid


def field_schema(http: httpx.Client, request: str, field: str) -> dict[str, Any]:
    schema: dict[str, Any] = http.get("/openapi.json").json()["components"]["schemas"][request]
    found: dict[str, Any] = schema["properties"][field]["anyOf"][0]
    return found


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2024-09-23T00:00:00Z", True),
        ("2024-09-23t00:00:00.123456789z", True),
        ("2024-09-23 00:00:00+0300", True),
        ("2024-09-23T00:00:00", True),
        ("2024-02-29T00:00:00Z", True),
        ("0001-01-01T10:00:00Z", False),
        ("9999-01-01T00:00:00Z", False),
        ("2023-02-29T00:00:00Z", False),
        ("2024-09-23T23:59:60Z", False),
        ("", False),
    ],
)
def test_dates_are_what_their_pattern_says(tenant: Tenant, value: str, ok: bool) -> None:
    pattern = field_schema(tenant.http, "OrderListRequest", "date_start")["pattern"]
    assert bool(re.fullmatch(pattern, value)) == ok
    resp = tenant.ae("order/get-order-list", {"page": 1, "page_size": 1, "date_start": value})
    if ok:
        assert resp.status_code == 200, resp.text
    else:
        assert_invalid(resp, "date_start")


@pytest.mark.parametrize(
    ("value", "ok"), [("All", True), ("common", True), ("", True), ("Ａll", False), ("Al", False)]
)
def test_choices_are_what_their_pattern_says(tenant: Tenant, value: str, ok: bool) -> None:
    pattern = field_schema(tenant.http, "GetLogisticOrdersRequest", "logistic_order_info")["pattern"]
    assert bool(re.fullmatch(pattern, value)) == ok
    resp = tenant.ae("logistic-order/get", {"page": 1, "page_size": 1, "logistic_order_info": value})
    if ok:
        assert resp.status_code == 200, resp.text
    else:
        assert_invalid(resp, "logistic_order_info")


@pytest.mark.parametrize("value", ["", " 1 ", "1\n", "²", "-1", "0"])
def test_order_ids_as_strings_are_digits_only(tenant: Tenant, value: str) -> None:
    resp = tenant.ae("handover-list/add-logistic-orders", {"handover_list_id": 1, "order_ids": [value]})
    assert_invalid(resp, "order_ids")
