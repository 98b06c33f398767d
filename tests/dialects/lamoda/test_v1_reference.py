"""B2B v1 reference lists: the seller's category mapping (`_embedded.category_mapping`), minimal prices
per category, goods on sale, and KLADR address hints for city, street and building."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import Tenant
from tests.dialects.lamoda.test_orders import Client

MOSCOW = "7700000000000"


@pytest.fixture
def lamoda(tenant: Tenant) -> Client:
    return Client(tenant)


def nomenclature(lamoda: Client, sku: str, category: str, price: float = 0) -> None:
    body = {
        "sku": sku,
        "barcode": "4600000000001",
        "name": sku,
        "brand": "B",
        "category": category,
        "price": price,
    }
    resp = lamoda.v1_post("nomenclatures", body)
    assert resp.status_code == 201, resp.text


def ok(resp: httpx.Response) -> dict[str, Any]:
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


def refused(resp: httpx.Response, field: str) -> None:
    assert resp.status_code == 400, resp.text
    assert [e["field"] for e in resp.json()["errors"]] == [field], resp.text


def test_category_mapping_lists_the_sellers_categories_and_lamodas(lamoda: Client) -> None:
    assert ok(lamoda.v1_get("mapping/categories"))["_embedded"] == {"category_mapping": []}
    nomenclature(lamoda, "A", "Платья")
    nomenclature(lamoda, "B", "платья")
    nomenclature(lamoda, "C", "Обувь/Кроссовки")
    nomenclature(lamoda, "D", "Самокаты")
    nomenclature(lamoda, "E", "")
    body = ok(lamoda.v1_get("mapping/categories", limit=3))
    assert (body["total"], body["pages"], body["page"]) == (4, 2, 1)
    assert body["_links"]["next"]["href"].startswith("/api/v1/mapping/categories?page=2&limit=3")
    rows = body["_embedded"]["category_mapping"]
    second = ok(lamoda.follow(body["_links"]["next"]["href"]))["_embedded"]["category_mapping"]
    by_name = {r["partnerCategory"]: r for r in rows + second}
    assert set(by_name) == {"Платья", "платья", "Обувь/Кроссовки", "Самокаты"}
    assert by_name["Платья"] == {
        "partnerCategory": "Платья",
        "mapped": True,
        "lamodaCategoryId": 1101,
        "lamodaCategory": "Одежда/Платья",
        "axaptaCategory1": "Одежда",
        "axaptaCategory2": "Платья",
    }
    assert by_name["платья"]["lamodaCategoryId"] == 1101
    assert by_name["Обувь/Кроссовки"]["axaptaCategory2"] == "Кроссовки"
    assert by_name["Самокаты"]["mapped"] is False and by_name["Самокаты"]["lamodaCategoryId"] is None
    refused(lamoda.v1_get("mapping/categories", page=0), "page")


def test_minimal_prices_per_category(lamoda: Client) -> None:
    body = ok(lamoda.v1_get("minimal_prices", limit=10))
    assert body["total"] == 15 and body["pages"] == 2 and "next" in body["_links"]
    first = body["_embedded"]["minimal_prices"][0]
    assert set(first) == {"axaptaCategory1", "axaptaCategory2", "values"}
    assert set(first["values"]) == {"RU", "BY", "KZ"} and all(v > 0 for v in first["values"].values())
    last = ok(lamoda.v1_get("minimal_prices", page=2, limit=10))
    assert len(last["_embedded"]["minimal_prices"]) == 5 and "next" not in last["_links"]
    refused(lamoda.v1_get("minimal_prices", limit=1001), "limit")


def test_goods_are_the_priced_nomenclature(lamoda: Client) -> None:
    assert ok(lamoda.v1_get("goods"))["_embedded"] == {"goods": []}
    nomenclature(lamoda, "PRICED", "Платья", 2499.9)
    nomenclature(lamoda, "UNPRICED", "Платья")
    goods = ok(lamoda.v1_get("goods"))["_embedded"]["goods"]
    assert [(g["supplier_sku"], g["sell_value"], g["currency"]) for g in goods] == [("PRICED", 2499.9, "RUB")]
    assert goods[0]["sku"].startswith("MB")


def test_address_hints_walk_city_street_building(lamoda: Client) -> None:
    cities = ok(lamoda.v1_get("addresses/city", name="моск"))
    assert cities == {
        "code": 200,
        "data": [{"id": MOSCOW, "text": "Москва", "text_extended": "г Москва", "zipcode": "101000"}],
    }
    assert [c["text"] for c in ok(lamoda.v1_get("addresses/city", name="новгород"))["data"]] == [
        "Нижний Новгород"
    ]
    assert ok(lamoda.v1_get("addresses/city", name="Атлантида"))["data"] == []
    streets = ok(lamoda.v1_get("addresses/street", city_id=MOSCOW, name="лен"))["data"]
    assert [(s["text"], s["text_extended"]) for s in streets] == [("Ленина", "г Москва, ул Ленина")]
    assert len(streets[0]["id"]) == 17 and streets[0]["id"].startswith(MOSCOW[:11])
    assert len(ok(lamoda.v1_get("addresses/street", city_id=MOSCOW))["data"]) == 8
    houses = ok(lamoda.v1_get("addresses/building", street_id=streets[0]["id"], name="12"))["data"]
    assert [h["text"] for h in houses] == [
        "12",
        "120",
        "121",
        "122",
        "123",
        "124",
        "125",
        "126",
        "127",
        "128",
        "129",
    ]
    assert houses[0]["text_extended"] == "г Москва, ул Ленина, д 12" and len(houses[0]["id"]) == 19
    assert len(ok(lamoda.v1_get("addresses/building", street_id=streets[0]["id"], limit=5))["data"]) == 5
    assert ok(lamoda.v1_get("addresses/street", city_id="1" * 13))["data"] == []
    refused(lamoda.v1_get("addresses/city"), "name")
    refused(lamoda.v1_get("addresses/street", city_id="77"), "city_id")
    refused(lamoda.v1_get("addresses/building", street_id="x" * 17), "street_id")
    refused(lamoda.v1_get("addresses/city", name="Москва", limit=0), "limit")


@pytest.mark.parametrize(
    "path", ["mapping/categories", "minimal_prices", "goods", "addresses/city?name=a", "orders/X/customer"]
)
def test_reference_lists_need_a_token(http: httpx.Client, path: str) -> None:
    resp = http.get(f"/api/v1/{path}")
    assert resp.status_code == 401, resp.text
    assert resp.json()["code"] == 401
