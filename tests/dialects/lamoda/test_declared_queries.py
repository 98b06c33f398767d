"""Query parameters take exactly what the OpenAPI document declares for them (issue 10 item 7): flags
only as the flag values, no empty values, dates and the v1 filter language as their patterns say."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.conftest import Tenant
from tests.dialects.lamoda.helpers import Lamoda, documented
from tests.dialects.lamoda.test_isolation_and_errors import assert_error, assert_ok


def declared(http: httpx.Client, path: str, name: str) -> dict[str, object]:
    document, _ = documented(http)
    [param] = [p for p in document["paths"][path]["get"]["parameters"] if p["name"] == name]
    schema: dict[str, object] = param["schema"]
    return schema


@pytest.mark.parametrize("value", ["null", "yes", "True", "2", "-1", "on", " 1"])
def test_a_flag_that_is_not_a_flag_is_400_naming_it(tenant: Tenant, value: str) -> None:
    seller = Lamoda(tenant)
    assert_error(seller.http, seller.v1_get("stock/goods", withZeroQuantity=value), 400, "withZeroQuantity")


def test_the_flag_values_are_declared_and_taken(tenant: Tenant) -> None:
    seller = Lamoda(tenant)
    schema = declared(seller.http, "/api/v1/stock/goods", "withZeroQuantity")
    assert sorted(schema["enum"]) == ["0", "1", "false", "true"]  # type: ignore[call-overload]
    for value in ("1", "true", "0", "false"):
        assert_ok(seller.http, seller.v1_get("stock/goods", withZeroQuantity=value))


@pytest.mark.parametrize(
    ("api", "path", "name"),
    [
        ("v1", "orders", "page"),
        ("v1", "orders", "limit"),
        ("v1", "orders", "sort"),
        ("v1", "shipments", "page"),
        ("v1", "nomenclatures", "limit"),
        ("v1", "stock/goods", "page"),
        ("v1", "stock/goods", "withZeroQuantity"),
        ("v1", "goods", "page"),
        ("v1", "addresses/city", "limit"),
        ("v2", "orders", "page"),
        ("v2", "orders", "limit"),
        ("v2", "orders", "fulfillmentType"),
        ("v2", "orders", "updatedAtFrom"),
        ("v2", "fbs/shipments", "page"),
        ("v2", "fbs/return-items", "orderId"),
        ("v2", "fbs/return-items", "returnDateTo"),
        ("v2", "fbs/return-boxes", "limit"),
        ("v2", "fbo/shipments", "from"),
        ("v2", "nomenclatures", "page"),
    ],
)
def test_an_empty_value_is_400_naming_the_parameter(tenant: Tenant, api: str, path: str, name: str) -> None:
    """`page=` is not the default page: a parameter is either left out or given a value."""
    seller = Lamoda(tenant)
    extra = {"country": "RU"} if path == "nomenclatures" else {"name": "Мос"} if "addresses" in path else {}
    get = seller.v1_get if api == "v1" else seller.v2_get
    assert_ok(seller.http, get(path, **extra))
    assert_error(seller.http, get(path, **extra, **{name: ""}), 400, name)


def test_an_empty_optional_name_is_refused_too(tenant: Tenant) -> None:
    seller = Lamoda(tenant)
    resp = seller.v1_get("addresses/street", city_id="7700000000000", name="")
    assert_error(seller.http, resp, 400, "name")


@pytest.mark.parametrize(
    "value",
    [
        "2026-02-30T00:00:00Z",
        "2026-11-23T24:00:00Z",
        "2026-11-23T10:00:60Z",
        "2026-11-23T10:00:00+24:00",
        "2026-11-23garbage",
        "20261123T100000Z",
        "2026-W48-1",
        "0001-01-01T10:00:00Z",
        "2026-11-23T10:00:00Z\n",
    ],
)
def test_date_times_outside_the_declared_pattern_are_400(tenant: Tenant, value: str) -> None:
    seller = Lamoda(tenant)
    pattern = declared(seller.http, "/api/v2/orders", "updatedAtFrom")["pattern"]
    assert isinstance(pattern, str) and not re.fullmatch(pattern, value)
    assert_error(seller.http, seller.v2_get("orders", updatedAtFrom=value), 400, "updatedAtFrom")


@pytest.mark.parametrize(
    "value",
    [
        "2026-11-23",
        "2026-11-23T10:00",
        "2026-11-23 10:00:00",
        "2026-11-23T10:00:00.5+03",
        "2028-02-29T00:00:00Z",
    ],
)
def test_date_times_the_pattern_declares_are_taken(tenant: Tenant, value: str) -> None:
    seller = Lamoda(tenant)
    pattern = declared(seller.http, "/api/v2/orders", "updatedAtFrom")["pattern"]
    assert isinstance(pattern, str) and re.fullmatch(pattern, value)
    assert_ok(seller.http, seller.v2_get("orders", updatedAtFrom=value))


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("", True),
        ("updatedAt>=20261101000000;status=Confirmed|New", True),
        ("createdAt=<20261101, 2026-11-30T23:59:59+03:00>", True),
        (";;status == New ;", True),
        ("]\x85", False),
        ("status=", False),
        ("updatedAt>=20261131", False),
        ("updatedAt=>20261101", False),
        ("price>1", False),
    ],
)
def test_the_filter_language_is_its_declared_pattern(tenant: Tenant, value: str, ok: bool) -> None:
    seller = Lamoda(tenant)
    pattern = declared(seller.http, "/api/v1/orders", "filter")["pattern"]
    assert isinstance(pattern, str) and bool(re.fullmatch(pattern, value)) == ok
    resp = seller.v1_get("orders", filter=value)
    if ok:
        assert_ok(seller.http, resp)
    else:
        assert_error(seller.http, resp, 400, "filter")
