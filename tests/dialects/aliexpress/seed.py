"""The AliExpress seed's examples (`shared/seeds/002_*.txt`), written out once for every test module.

The request bodies are the `--data-raw` strings of the seed's curl commands and the examples its printed
responses, byte for byte; the test modules replay or compare against them and never restate them.
"""

from __future__ import annotations

import json
from typing import Any

# --- the seed, verbatim ------------------------------------------------------------------------
CREATE_BODY = """{
"orders": [
{
"trade_order_id": 2207197727599807,
"total_length": 20,
"total_width": 10,
"total_height": 5,
"total_weight": 1.5,
"items": [
{
"quantity": 1,
"sku_id": 12000027037707016
}
]
}
]
}"""

CREATE_SUCCESS_EXAMPLE = json.loads("""{
"data": {
"orders": [
{
"trade_order_id": 2212196848241455,
"logistic_orders": [
{
"id": 9804616,
"lines": [
{
"sku_id": 12000026559024132,
"product_source_id": 0,
"quantity": 3
}
]
}
]
}
]
}
}""")

CREATE_FAILURE_EXAMPLE = json.loads("""{
"data": {
"orders": [],
"errors": {
"common_errors": [
{
"code": "NoTradeOrderFound",
"message": "Заказ не найден"
}
],
"item_errors": null
}
},
"error": null
}""")

GET_BODY = """{
"page_size": 1,
"page": 1
}"""

GET_EXAMPLE = json.loads("""{
"data": {
"logistic_orders": [
{
"logistic_order_id": 1249390,
"trade_order_id": 2409231561178782,
"handover_list_id": 0,
"cut_off_date": "2024-09-25T00:06:16+00:00",
"status": "DELIVERING",
"state_status_name": "Order accepted by carrier",
"platform_tracking_code": "21619418835187",
"items_count": 7,
"gmt_create": "2024-09-23T00:06:17.312172+00:00",
"trade_order_source": "LocalTrade",
"total_amount": 184270,
"buyer_name": "Сократ Гурьевич Абрамов",
"buyer_country_code": "643",
"addresses": {
"receiver_address": {
"zip_code": "109456",
"country_code": "RU",
"country": "Россия",
"province": "Ямало-Ненецкий АО",
"city": "г. Печенга",
"street": "д. Анива, бул. Железнодорожный, д. 2/1 стр. 7/2, 068410",
"detail_address": "г. Печенга, Ямало-Ненецкий АО, д. Анива, бул. Железнодорожный, д. 2/1 стр. 7/2, 068410"
}
},
"external_provider": 6488,
"last_mile_provider": "OFFLINE",
"first_mile_provider": "OFFLINE",
"first_mile": "offline",
"danger_type": "General",
"items": [
{
"item_id": 1005004671188872,
"sku_id": 12000030050065440,
"product_source_id": 0,
"name": "TEST_MARKING_REQUIRED",
"item_price": 46036,
"currency": "RUB",
"total_amount": 92072,
"properties": [],
"mobile_url": "https://laliexpress.com/item/100500467118882.html",
"web_url": "https://laliexpress.com/item/100500467118882.html",
"quantity": 2,
"marking_required": false
},
{
"item_id": 1005004487766806,
"sku_id": 12000029404675044,
"product_source_id": 0,
"name": "2",
"item_price": 17918,
"currency": "RUB",
"total_amount": 35836,
"properties": [],
"mobile_url": "https://laliexpress.com/item/100500448766806.html",
"web_url": "https://laliexpress.com/item/100500448766806.html",
"quantity": 2
},
{
"item_id": 1005007271508429,
"sku_id": 12000040018902276,
"product_source_id": 0,
"name": "QA Gold Ring Lux",
"item_price": 34466,
"currency": "RUB",
"total_amount": 34466,
"properties": [],
"mobile_url": "https://laliexpress.com/item/1005007271508429.html",
"web_url": "https://laliexpress.com/item/1005007271508429.html",
"quantity": 1,
"jewelry_codes": [
{
"sku_index": 0,
"codes": [
"4095436341322049",
"2314167189189686"
]
}
]
}
]
}
],
"page_info": {
"current": 1,
"page_size": 25,
"total": 1
}
}
}""")

LABELS_BODY = """{
"logistic_order_ids": [
88236
]
}"""

DELETE_BODY = """{
"logistic_order_ids": [
1113736
]
}"""

DELETE_EXAMPLE = json.loads("""{
"data": {
"deletion_result_map": {
"1113736": {
"deleted_at": null,
"error_message": "Failed to delete logistic order 1113736: it doesn't belong to seller 1042630114"
}
}
},
"error": null
}""")

SEED_GET_LOGISTIC_ORDER = 1249390
SEED_CREATE_TRADE_ORDER = 2207197727599807
SEED_CREATE_SKU = 12000027037707016


def assert_shape(actual: Any, example: Any, where: str = "$") -> None:
    """`actual` has every key of `example` at every level, with values of the same JSON type.

    Types compare exactly, so a boolean is never taken for an integer nor an integer for a number; an
    array has at least the example's elements, each of the example's shape at the same position.
    """
    assert type(actual) is type(example), f"{where}: {type(actual).__name__} != {type(example).__name__}"
    if isinstance(example, dict):
        missing = set(example) - set(actual)
        assert not missing, f"{where}: missing keys {sorted(missing)}"
        for key, value in example.items():
            assert_shape(actual[key], value, f"{where}.{key}")
    elif isinstance(example, list):
        assert len(actual) >= len(example), f"{where}: {len(actual)} elements, the example has {len(example)}"
        for i, value in enumerate(example):
            assert_shape(actual[i], value, f"{where}[{i}]")
