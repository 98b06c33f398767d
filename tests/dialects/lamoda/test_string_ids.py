"""Ids in Lamoda request bodies: a JSON number or a string of decimal digits, as real clients send them
(v2 integrations send `"sellerId": "1100000001"`, the PHP SDK types `unitload` as a string).

The sweep walks every body schema the Lamoda APIs serve: each id field, sent in its other form, decodes
to the same body; anything else is a 400 naming the field. Then the same over HTTP, on both databases.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest

from marketbox.dialects.lamoda import auth_routes, v1_routes, v2_routes
from marketbox.dialects.lamoda.schemas import DIGITS, LamodaId, TextId
from marketbox.httpapi.endpoints import BodyError, decode_body
from marketbox.store.database import Database
from tests.conftest import Tenant
from tests.dialects.lamoda.helpers import Lamoda, datamatrix

SELLER = 1100000001
# A valid body for every Lamoda body schema, ids as numbers (text ids as strings of digits).
EXAMPLES: dict[str, dict[str, Any]] = {
    "TokenRequest": {"grant_type": "client_credentials", "client_id": "c", "client_secret": "s"},
    "OrderEvent": {"type": "confirm"},
    "ShipmentOut": {
        "id": "20261201",
        "containers": [
            {
                "barcode": "PAL-1",
                "containers": [
                    {"barcode": "RU1-1", "items": [{"unitload": 7000003, "sku": "S-1", "orderNr": "RU1"}]}
                ],
            }
        ],
    },
    "FulfilmentShipment": {
        "date": "01.12.2026",
        "id": "5551",
        "partnerId": "77",
        "items": [{"sku": "A-1", "quantity": 1, "price": 10}],
    },
    "NomenclatureIn": {"sku": "A-1", "barcode": "4600000000001", "name": "Платье", "brand": "B"},
    "V1OrderIn": {
        "orderNr": "100500",
        "customerInfo": {"firstName": "Анна", "phone": "+79161234567"},
        "items": [{"sku": "DRESS-1", "price": 2999}],
    },
    "V1OrderItemIn": {"sku": "BAG-1", "price": 10},
    "V1OrderPatch": {"comment": "позвонить заранее"},
    "V1CustomerIn": {"firstName": "Анна"},
    "AssemblyIn": {"sellerId": SELLER, "packs": [{"itemIds": [7000003, 7000004]}, {"itemIds": [7000005]}]},
    "PacksIn": {"sellerId": SELLER, "count": 2},
    "ItemLabelsIn": {"sellerId": SELLER, "items": [7000003, 7000004], "labelFormat": "S"},
    "PackLabelsIn": {"sellerId": SELLER, "packs": ["RU1-1"]},
    "PalletLabelsIn": {"sellerId": SELLER, "palletBarcodes": ["PL0000000001"]},
    "ShipmentIn": {
        "sellerId": SELLER,
        "pallets": [
            {"packs": [{"packId": "RU1-1", "items": [{"unitload": 7000003}, {"unitload": 7000004}]}]}
        ],
    },
    "SellerOnly": {"sellerId": SELLER},
}
# Integers in bodies that are amounts, not ids.
QUANTITIES = {"count", "quantity"}
# Not a positive id as decimal digits (the last one: more than 18 significant digits).
REFUSED_STRINGS = ["12a", "", "-1", " 1", "1 ", "1.0", "0x1F", "١٢", "0", "1" * 19]


def lamoda_bodies(tmp_path: Path) -> dict[str, type[Any]]:
    db = Database(f"sqlite:///{tmp_path / 'unused.sqlite3'}")  # never connected: the routes only keep it
    endpoints = [*auth_routes.endpoints(db), *v1_routes.endpoints(db), *v2_routes.endpoints(db)]
    return {ep.request.__name__: ep.request for ep in endpoints if ep.request is not None}


NUMBER_ID = msgspec.inspect.type_info(LamodaId)
TEXT_ID = msgspec.inspect.type_info(TextId)


def _id_kind(t: msgspec.inspect.Type) -> str | None:
    """The kind of id field: "number" (LamodaId), "text" (TextId), or None."""
    return "number" if t == NUMBER_ID else "text" if t == TEXT_ID else None


def id_fields(t: msgspec.inspect.Type, value: Any, path: str = "") -> Iterator[tuple[str, str, list[Any]]]:
    """(path as the API names it, kind, the path as keys) of every id in a body, walking the example."""
    kind = _id_kind(t)
    if kind is not None:
        if value is not None:
            yield path, kind, []
        return
    if isinstance(t, msgspec.inspect.Metadata):
        t = t.type
    if isinstance(t, msgspec.inspect.UnionType):  # `X | None`
        options = [o for o in t.types if not isinstance(o, msgspec.inspect.NoneType)]
        if value is not None and len(options) == 1:
            yield from id_fields(options[0], value, path)
        return
    if isinstance(t, msgspec.inspect.ListType) and isinstance(value, list):
        for i, item in enumerate(value):
            for where, k, keys in id_fields(t.item_type, item, f"{path}[{i}]"):
                yield where, k, [i, *keys]
    if isinstance(t, msgspec.inspect.StructType) and isinstance(value, dict):
        for f in t.fields:
            if f.encode_name in value:
                prefix = f"{path}.{f.encode_name}" if path else f.encode_name
                for where, k, keys in id_fields(f.type, value[f.encode_name], prefix):
                    yield where, k, [f.encode_name, *keys]


def plain_ints(t: msgspec.inspect.Type, path: str = "") -> Iterator[str]:
    """Fields that take only integers: each must be a quantity, never an id."""
    if _id_kind(t) is not None:
        return
    if isinstance(t, msgspec.inspect.Metadata):
        t = t.type
    if isinstance(t, msgspec.inspect.IntType):
        yield path
    elif isinstance(t, msgspec.inspect.UnionType):
        if not any(isinstance(o, msgspec.inspect.StrType) for o in t.types):  # else strings are taken
            for option in t.types:
                yield from plain_ints(option, path)
    elif isinstance(t, msgspec.inspect.ListType):
        yield from plain_ints(t.item_type, path)
    elif isinstance(t, msgspec.inspect.StructType):
        for f in t.fields:
            yield from plain_ints(f.type, f.encode_name)


def replaced(body: dict[str, Any], keys: list[Any], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(body)
    target: Any = out
    for key in keys[:-1]:
        target = target[key]
    target[keys[-1]] = value
    return out


def decode(body_type: type[Any], body: Any) -> Any:
    return decode_body(msgspec.json.Decoder(body_type), msgspec.json.encode(body))


def both_forms(kind: str, value: Any) -> tuple[Any, Any]:
    """The id as the example gives it, and in its other JSON form (a text id that is not digits: 12345)."""
    if kind == "number":
        return value, str(value)
    number = int(value) if value.isdigit() else 12345
    return str(number), number


def test_every_lamoda_body_schema_has_an_example(tmp_path: Path) -> None:
    bodies = lamoda_bodies(tmp_path)
    assert set(bodies) == set(EXAMPLES), "add an example for each new Lamoda body schema to EXAMPLES"
    for name, body_type in bodies.items():
        decode(body_type, EXAMPLES[name])
        ints = [p for p in plain_ints(msgspec.inspect.type_info(body_type)) if p not in QUANTITIES]
        assert ints == [], f"{name}: integer fields that are not LamodaId: {ints}"


def test_every_id_field_takes_a_number_or_a_string_of_digits(tmp_path: Path) -> None:
    swept: set[tuple[str, str]] = set()
    for name, body_type in lamoda_bodies(tmp_path).items():
        example = EXAMPLES[name]
        as_given, as_other = example, example
        for where, kind, keys in id_fields(msgspec.inspect.type_info(body_type), example):
            value: Any = example
            for key in keys:
                value = value[key]
            given, other = both_forms(kind, value)
            once = decode(body_type, replaced(example, keys, given))
            assert decode(body_type, replaced(example, keys, other)) == once, (name, where)
            as_given = replaced(as_given, keys, given)
            as_other = replaced(as_other, keys, other)
            swept.add((name, where))
        assert decode(body_type, as_other) == decode(body_type, as_given), name
    v2_bodies = ["AssemblyIn", "PacksIn", "ItemLabelsIn", "PackLabelsIn", "PalletLabelsIn", "ShipmentIn"]
    assert swept >= {
        *((name, "sellerId") for name in [*v2_bodies, "SellerOnly"]),
        ("AssemblyIn", "packs[0].itemIds[1]"),
        ("ItemLabelsIn", "items[0]"),
        ("ShipmentIn", "pallets[0].packs[0].items[1].unitload"),
        ("ShipmentOut", "containers[0].containers[0].items[0].unitload"),
        ("ShipmentOut", "id"),
        ("FulfilmentShipment", "partnerId"),
    }


def test_a_digit_string_id_is_decoded_as_the_number() -> None:
    from marketbox.dialects.lamoda import v2_schemas

    body = decode(
        v2_schemas.AssemblyIn, {"sellerId": "1100000001", "packs": [{"itemIds": ["7000003", "007"]}]}
    )
    assert body.sellerId == 1100000001 and body.packs[0].itemIds == [7000003, 7]
    assert all(type(i) is int for i in [body.sellerId, *body.packs[0].itemIds])


def test_anything_else_in_an_id_field_is_refused_naming_the_field(tmp_path: Path) -> None:
    for name, body_type in lamoda_bodies(tmp_path).items():
        example = EXAMPLES[name]
        for where, kind, keys in id_fields(msgspec.inspect.type_info(body_type), example):
            bad_values: list[Any] = REFUSED_STRINGS if kind == "number" else ["", -1, "x" * 101]
            for bad in [*bad_values, 1.5, True, [1], {"id": 1}]:
                with pytest.raises(BodyError) as refused:
                    decode(body_type, replaced(example, keys, bad))
                assert refused.value.field == where, (name, where, bad)
                assert str(refused.value).startswith(f"{where}: "), (name, where, bad)


# ---- over HTTP, on both databases ----


def _string_ids(body: Any) -> Any:
    """The body as a v2 client sends it: every integer a string of digits."""
    if isinstance(body, dict):
        return {k: _string_ids(v) for k, v in body.items()}
    if isinstance(body, list):
        return [_string_ids(v) for v in body]
    return str(body) if isinstance(body, int) and not isinstance(body, bool) else body


def test_v2_fbs_flow_with_ids_as_strings(tenant: Tenant) -> None:
    lamoda = Lamoda(tenant)
    order = lamoda.buyer_orders({"sku": "DRESS-1", "quantity": 2, "marking_required": True})
    nr, items = order["order_nr"], [i["id"] for i in order["items"]]
    assert lamoda.v1_post(f"orders/{nr}/events", {"type": "confirm"}).status_code == 200
    seller = str(lamoda.seller_id)

    def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        resp = lamoda.http.post(f"/api/v2/{path}", json={"sellerId": seller, **body}, headers=lamoda.headers)
        assert resp.status_code in (200, 201), resp.text
        return dict(resp.json()["data"])

    # the issue's own body: {"sellerId": "1100000001", "packs": [{"itemIds": ["7000003"]}]}
    assembled = post(f"orders/{order['id']}/assembly", {"packs": [{"itemIds": [str(i) for i in items]}]})
    assert assembled["status"] == "AWAITING_SHIPMENT"
    pack = post(f"orders/{order['id']}/packs", {"count": 1})["packs"][0]["packNumber"]
    labels = post("labels/order-items", {"items": [str(i) for i in items], "labelFormat": "S"})
    assert labels["excludedItems"] == []
    codes = [datamatrix(), datamatrix()]
    shipment = post(
        "fbs/shipments",
        {
            "pallets": [
                {
                    "packs": [
                        {
                            "packId": pack,
                            "items": [
                                {"unitload": str(i), "datamatrix": c}
                                for i, c in zip(items, codes, strict=True)
                            ],
                        }
                    ]
                }
            ]
        },
    )
    assert [u["unitload"] for u in shipment["pallets"][0]["packs"][0]["items"]] == items
    # a digit string with leading zeros is the same seller
    resp = lamoda.http.post(
        "/api/v2/fbs/return-boxes/999999999/confirm", json={"sellerId": "00" + seller}, headers=lamoda.headers
    )
    assert resp.status_code == 404, resp.text


def test_v1_shipment_out_with_unitload_as_string(tenant: Tenant) -> None:
    lamoda = Lamoda(tenant)
    order = lamoda.ready_to_ship({"sku": "JEANS-1", "marking_required": False})
    body = {
        "id": 20261201,
        "containers": [
            {
                "barcode": "PAL-STR-1",
                "containers": [
                    {
                        "barcode": order["packs"][0]["packNumber"],
                        "items": [{"unitload": str(order["items"][0]["id"]), "orderNr": order["orderNr"]}],
                    }
                ],
            }
        ],
    }
    resp = lamoda.v1_post("shipments/out", body)
    assert resp.status_code == 201, resp.text
    assert resp.json()["externalId"] == "20261201"
    assert resp.json()["containers"][0]["containers"][0]["items"][0]["unitload"] == order["items"][0]["id"]


V2_REFUSED = [
    ("orders/1/assembly", {"packs": [{"itemIds": [7000003, "12a"]}]}, "packs[0].itemIds[1]"),
    ("orders/1/packs", {"count": 1, "sellerId": " 1"}, "sellerId"),
    ("labels/order-items", {"items": ["-1"]}, "items[0]"),
    ("fbs/shipments", {"pallets": [{"packs": [{"packId": "P", "items": [{"unitload": ""}]}]}]}, None),
    ("fbs/return-boxes/1/confirm", {"sellerId": "1e3"}, "sellerId"),
]


@pytest.mark.parametrize(("path", "body", "field"), V2_REFUSED)
def test_v2_refuses_an_id_that_is_not_digits_in_its_envelope(
    tenant: Tenant, path: str, body: dict[str, Any], field: str | None
) -> None:
    lamoda = Lamoda(tenant)
    field = field or "pallets[0].packs[0].items[0].unitload"
    resp = lamoda.http.post(
        f"/api/v2/{path}", json={"sellerId": lamoda.seller_id, **body}, headers=lamoda.headers
    )
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["code"] == "VALIDATION_FAILED" and error["message"].startswith(f"{field}: ")
    assert error["details"] == [{"field": field, "issue": error["message"]}]


def test_v1_refuses_an_id_that_is_not_digits_in_its_envelope(tenant: Tenant) -> None:
    lamoda = Lamoda(tenant)
    body = {
        "containers": [{"barcode": "P", "containers": [{"barcode": "K", "items": [{"unitload": "12a"}]}]}]
    }
    resp = lamoda.v1_post("shipments/out", body)
    assert resp.status_code == 400, resp.text
    field = "containers[0].containers[0].items[0].unitload"
    answer = resp.json()
    assert answer["code"] == 400 and answer["description"].startswith(f"{field}: ")
    assert answer["errors"] == [{"field": field, "message": answer["description"]}]


def test_the_openapi_document_says_an_id_is_a_number_or_digits(http: httpx.Client) -> None:
    schemas = http.get("/openapi.json").json()["components"]["schemas"]
    number_or_digits = [
        {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
        {"type": "string", "pattern": DIGITS},
    ]
    assert schemas["AssemblyIn"]["properties"]["sellerId"]["anyOf"] == number_or_digits
    assert schemas["AssemblyPack"]["properties"]["itemIds"]["items"]["anyOf"] == number_or_digits
    assert schemas["ShipmentOutItem"]["properties"]["unitload"]["anyOf"] == number_or_digits
