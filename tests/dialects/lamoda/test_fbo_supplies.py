"""FBO supplies as a seller's integration runs them: nomenclature first, then a supply with one marking
code per marked unit; Lamoda's warehouse validates, receives and counts it, and the stock follows."""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.conftest import Tenant
from tests.dialects.lamoda.helpers import Lamoda, check_documented, datamatrix
from tests.servers import RunningServer

_barcodes = itertools.count(4_600_000_000_001)


def ok(lamoda: Lamoda, resp: httpx.Response, status: int = 200) -> Any:
    """The call succeeded with `status` and its answer matches the OpenAPI document."""
    assert resp.status_code == status, resp.text
    check_documented(lamoda.http, resp)
    return resp.json()


def v1_refused(lamoda: Lamoda, resp: httpx.Response, status: int, field: str, words: str) -> str:
    """A v1 error body naming `field`, whose message says `words`; returns the message."""
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"code", "message", "description", "errors"}
    assert body["code"] == status
    assert words in body["description"], body["description"]
    assert body["errors"] == ([{"field": field, "message": body["description"]}] if field else [])
    check_documented(lamoda.http, resp)
    return str(body["description"])


def v2_refused(lamoda: Lamoda, resp: httpx.Response, status: int, field: str, words: str) -> None:
    assert resp.status_code == status, resp.text
    error = resp.json()["error"]
    assert error["code"] == {400: "VALIDATION_FAILED", 403: "FORBIDDEN", 404: "NOT_FOUND"}[status]
    assert words in error["message"], error["message"]
    assert [d["field"] for d in error["details"]] == [field]
    check_documented(lamoda.http, resp)


def nomenclature(lamoda: Lamoda, sku: str, *, marked: bool, **extra: Any) -> dict[str, Any]:
    body = {
        "sku": sku,
        "barcode": str(next(_barcodes)),
        "name": f"Товар {sku}",
        "brand": "Marketbox",
        "size": "42",
        "color": "красный",
        "category": "Платья",
        "price": 1999.0,
        "markingRequired": marked,
        **extra,
    }
    created: dict[str, Any] = ok(lamoda, lamoda.v1_post("nomenclatures", body), 201)
    return created


def supply_body(code: str | None, *lines: tuple[str, int, list[str] | None], **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "date": "01.12.2026",
        "pallets": [{"barcode": "PAL-0001"}],
        "items": [
            {"sku": sku, "quantity": quantity, "price": 1500.5, **({"datamatrixes": codes} if codes else {})}
            for sku, quantity, codes in lines
        ],
        **extra,
    }
    if code is not None:
        body["id"] = code
    return body


def world(lamoda: Lamoda, code: str, status: str, **body: Any) -> dict[str, Any]:
    resp = lamoda.supply_event(code, status=status, **body)
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


def world_refused(lamoda: Lamoda, code: str, http_status: int, words: str, **body: Any) -> dict[str, Any]:
    resp = lamoda.supply_event(code, **body)
    assert resp.status_code == http_status, resp.text
    error = resp.json()["error"]
    assert words in error["message"], error["message"]
    return dict(error)


def supply(lamoda: Lamoda, code: str) -> dict[str, Any]:
    found: dict[str, Any] = ok(lamoda, lamoda.v1_get(f"shipments/fulfilment/{code}"))
    return found


def fbo_total(lamoda: Lamoda) -> int:
    return int(ok(lamoda, lamoda.v2_get("fbo/shipments"))["meta"]["total"])


# ---- nomenclature ----


def test_nomenclatures_are_created_and_listed_in_v1_and_v2(tenant: Tenant, other_tenant: Tenant) -> None:
    lamoda = Lamoda(tenant)
    dress = nomenclature(lamoda, "DRESS-RED-42", marked=True, parentSku="DRESS-RED")
    scarf = nomenclature(lamoda, "SCARF-01", marked=False, size="", color="синий", category="Шарфы")
    assert dress["supplier_sku"] == "DRESS-RED-42" and dress["markingRequired"] is True
    assert dress["parentSku"] == "DRESS-RED" and dress["quantity"] == 0
    assert dress["sku"] != scarf["sku"] and dress["sku"].startswith("MB")
    assert dress["_embedded"]["partner"] == {"code": str(tenant.seller_id), "shopName": "Test Seller"}
    assert scarf["markingRequired"] is False and scarf["supplier_size"] == "" and scarf["color"] == "синий"

    again = lamoda.v1_post(
        "nomenclatures",
        {"sku": "SCARF-01", "barcode": "4600000000999", "name": "x", "brand": "y"},
    )
    assert again.status_code == 409 and again.json()["description"] == "SKU 'SCARF-01' already exists"
    bad = lamoda.v1_post("nomenclatures", {"sku": "X-1", "barcode": "46ABC", "name": "x", "brand": "y"})
    v1_refused(lamoda, bad, 400, "barcode", "barcode")

    listed = ok(lamoda, lamoda.v1_get("nomenclatures"))
    assert (listed["page"], listed["limit"], listed["pages"], listed["total"]) == (1, 25, 1, 2)
    rows = listed["_embedded"]["nomenclatures"]
    assert [(n["supplier_sku"], n["sku"], n["markingRequired"], n["quantity"]) for n in rows] == [
        ("DRESS-RED-42", dress["sku"], True, 0),
        ("SCARF-01", scarf["sku"], False, 0),
    ]
    assert rows[0]["barcode"] == dress["barcode"]
    second = ok(lamoda, lamoda.v1_get("nomenclatures", page=2, limit=1))
    assert [n["supplier_sku"] for n in second["_embedded"]["nomenclatures"]] == ["SCARF-01"]
    assert second["pages"] == 2 and second["_links"]["prev"]["href"].endswith("page=1&limit=1")

    page = ok(lamoda, lamoda.v2_get("nomenclatures", country="RU"))
    assert page["meta"] == {"page": 1, "limit": 20, "total": 2, "totalPages": 1}
    assert [(n["externalSku"], n["sku"], n["markingRequired"], n["barcode"]) for n in page["data"]] == [
        ("DRESS-RED-42", dress["sku"], True, dress["barcode"]),
        ("SCARF-01", scarf["sku"], False, scarf["barcode"]),
    ]
    assert page["data"][1]["categoryLevels"][-1]["name"] == "Шарфы"
    assert ok(lamoda, lamoda.v2_get("nomenclatures", country="RU", limit=25))["meta"]["limit"] == 25
    v2_refused(lamoda, lamoda.v2_get("nomenclatures", country="RU", limit=26), 400, "limit", "1 to 25")
    v2_refused(lamoda, lamoda.v2_get("nomenclatures"), 400, "country", "country is required")
    v2_refused(lamoda, lamoda.v2_get("nomenclatures", country="US"), 400, "country", "RU, BY or KZ")
    v2_refused(
        lamoda,
        lamoda.v2_get("nomenclatures", country="RU", sellerId=other_tenant.seller_id),
        403,
        "sellerId",
        "",
    )

    # another seller has its own catalogue
    other = Lamoda(other_tenant)
    assert ok(other, other.v2_get("nomenclatures", country="RU"))["meta"]["total"] == 0
    assert ok(other, other.v1_get("nomenclatures"))["total"] == 0


def test_a_repeated_sku_is_refused_naming_the_sku_field(tenant: Tenant) -> None:
    lamoda = Lamoda(tenant)
    nomenclature(lamoda, "SCARF-01", marked=False)
    again = lamoda.v1_post(
        "nomenclatures", {"sku": "SCARF-01", "barcode": "4600000000999", "name": "x", "brand": "y"}
    )
    v1_refused(lamoda, again, 409, "sku", "SKU 'SCARF-01' already exists")
    assert ok(lamoda, lamoda.v1_get("nomenclatures"))["total"] == 1


# ---- a supply from creation to acceptance ----


def test_fbo_supply_from_creation_to_acceptance_with_discrepancies(tenant: Tenant) -> None:
    lamoda = Lamoda(tenant)
    dress = nomenclature(lamoda, "DRESS-RED-42", marked=True)
    scarf = nomenclature(lamoda, "SCARF-01", marked=False)
    nomenclature(lamoda, "BELT-01", marked=False)  # never supplied: zero stock
    codes = [datamatrix() for _ in range(50)]
    body = supply_body("SUP-2026-001", ("DRESS-RED-42", 50, codes), ("SCARF-01", 10, None))
    body["items"][0]["ean"] = "4601234567890"
    body["documentNumber"] = "ТН-17"

    created = ok(lamoda, lamoda.v1_post("shipments/fulfilment", body), 201)
    assert all(code not in str(created) for code in codes)
    assert created["code"] == "SUP-2026-001" and created["status"] == "validation"
    assert created["date"] == "01.12.2026" and created["documentNumber"] == "ТН-17"
    assert created["pallets"] == [{"barcode": "PAL-0001"}] and created["rejectReason"] is None
    assert created["items"] == [
        {
            "sku": "DRESS-RED-42",
            "ean": "4601234567890",
            "quantity": 50,
            "price": 1500.5,
            "receipt": 0,
            "accepted": 0,
            "surplus": 0,
            "missing": 0,
            "damaged": 0,
        },
        {
            "sku": "SCARF-01",
            "ean": scarf["barcode"],  # no `ean` given: the nomenclature's barcode
            "quantity": 10,
            "price": 1500.5,
            "receipt": 0,
            "accepted": 0,
            "surplus": 0,
            "missing": 0,
            "damaged": 0,
        },
    ]
    assert [s["status"] for s in created["statuses"]] == ["validation"]

    # the warehouse approves it, receives it and counts it
    assert world(lamoda, "SUP-2026-001", "send")["status"] == "send"
    assert world(lamoda, "SUP-2026-001", "on_acceptance")["status"] == "on_acceptance"
    assert supply(lamoda, "SUP-2026-001")["status"] == "on_acceptance"
    assert ok(lamoda, lamoda.v2_get("stocks-summary"))["data"]["summary"]["quantity"] == 0  # not yet
    counted = world(
        lamoda,
        "SUP-2026-001",
        "accepted",
        items=[{"sku": "DRESS-RED-42", "receipt": 49, "damaged": 1}, {"sku": "SCARF-01", "receipt": 12}],
    )
    assert counted["status"] == "accepted"

    final = supply(lamoda, "SUP-2026-001")
    assert final["status"] == "accepted"
    counters = ("sku", "quantity", "receipt", "accepted", "surplus", "missing", "damaged")
    assert [tuple(i[k] for k in counters) for i in final["items"]] == [
        ("DRESS-RED-42", 50, 49, 48, 0, 1, 1),
        ("SCARF-01", 10, 12, 12, 2, 0, 0),
    ]
    assert [s["status"] for s in final["statuses"]] == ["validation", "send", "on_acceptance", "accepted"]
    assert all(s["createdAt"].endswith("+03:00") for s in final["statuses"])
    stamps = [s["createdAt"] for s in final["statuses"]]
    assert stamps == sorted(stamps) and final["updatedAt"] == stamps[-1]

    # the stock follows the accepted units
    stock = ok(lamoda, lamoda.v1_get("stock/goods"))
    assert stock["total"] == 2
    assert [(s["sku"], s["lamodaSku"], s["quantity"]) for s in stock["_embedded"]["stockStates"]] == [
        ("DRESS-RED-42", dress["sku"], 48),
        ("SCARF-01", scarf["sku"], 12),
    ]
    with_zero = ok(lamoda, lamoda.v1_get("stock/goods", withZeroQuantity=1))
    assert [(s["sku"], s["quantity"]) for s in with_zero["_embedded"]["stockStates"]] == [
        ("BELT-01", 0),
        ("DRESS-RED-42", 48),
        ("SCARF-01", 12),
    ]
    assert with_zero["total"] == 3
    summary = ok(lamoda, lamoda.v2_get("stocks-summary"))["data"]["summary"]
    assert summary == {"skuCount": 3, "skusInStock": 2, "quantity": 60}
    listed = ok(lamoda, lamoda.v1_get("nomenclatures"))["_embedded"]["nomenclatures"]
    assert {n["supplier_sku"]: n["quantity"] for n in listed} == {
        "BELT-01": 0,
        "DRESS-RED-42": 48,
        "SCARF-01": 12,
    }

    # v2 lists the supply with its counters
    fbo = ok(lamoda, lamoda.v2_get("fbo/shipments", **{"from": "2026-12-01", "to": "2026-12-01"}))
    assert fbo["meta"]["total"] == 1
    (row,) = fbo["data"]
    assert (row["id"], row["code"], row["status"], row["date"]) == (
        final["id"],
        "SUP-2026-001",
        "accepted",
        "2026-12-01",
    )
    assert row["documentNumber"] == "ТН-17"
    assert [tuple(i[k] for k in counters) for i in row["items"]] == [
        ("DRESS-RED-42", 50, 49, 48, 0, 1, 1),
        ("SCARF-01", 10, 12, 12, 2, 0, 0),
    ]
    assert row["items"][0]["price"] == {"amount": 150050, "currency": "RUB"}
    assert ok(lamoda, lamoda.v2_get("fbo/shipments", **{"from": "2026-12-02"}))["meta"]["total"] == 0
    assert ok(lamoda, lamoda.v2_get("fbo/shipments", to="2026-11-30"))["meta"]["total"] == 0

    # marking codes never come back in a GET
    for resp in (
        lamoda.v1_get("shipments/fulfilment/SUP-2026-001"),
        lamoda.v2_get("fbo/shipments"),
        lamoda.v1_get("stock/goods", withZeroQuantity=1),
        lamoda.v1_get("nomenclatures"),
        lamoda.v2_get("nomenclatures", country="RU"),
    ):
        assert resp.status_code == 200
        assert all(code not in resp.text for code in codes)

    # an accepted supply is final
    world_refused(lamoda, "SUP-2026-001", 409, "cannot become 'send'", status="send")
    world_refused(lamoda, "SUP-2026-001", 409, "cannot become 'accepted'", status="accepted")
    assert ok(lamoda, lamoda.v2_get("stocks-summary"))["data"]["summary"]["quantity"] == 60


def test_accepting_without_counts_takes_every_announced_unit(tenant: Tenant) -> None:
    lamoda = Lamoda(tenant)
    nomenclature(lamoda, "SHOE-1", marked=True)
    codes = [datamatrix() for _ in range(3)]
    ok(lamoda, lamoda.v1_post("shipments/fulfilment", supply_body("S-FULL", ("SHOE-1", 3, codes))), 201)
    world(lamoda, "S-FULL", "send")
    world(lamoda, "S-FULL", "accepted")  # straight from "send": counted at the gate
    (item,) = supply(lamoda, "S-FULL")["items"]
    assert (item["receipt"], item["accepted"], item["surplus"], item["missing"], item["damaged"]) == (
        3,
        3,
        0,
        0,
        0,
    )
    assert ok(lamoda, lamoda.v2_get("stocks-summary"))["data"]["summary"] == {
        "skuCount": 1,
        "skusInStock": 1,
        "quantity": 3,
    }


def test_uncounted_sku_did_not_arrive_and_explicit_accepted_is_kept(tenant: Tenant) -> None:
    lamoda = Lamoda(tenant)
    nomenclature(lamoda, "A-1", marked=False)
    nomenclature(lamoda, "B-1", marked=False)
    ok(
        lamoda,
        lamoda.v1_post("shipments/fulfilment", supply_body("S-MIX", ("A-1", 5, None), ("B-1", 4, None))),
        201,
    )
    world(lamoda, "S-MIX", "send")
    world(lamoda, "S-MIX", "on_acceptance")
    world(lamoda, "S-MIX", "accepted", items=[{"sku": "A-1", "receipt": 7, "damaged": 1, "accepted": 5}])
    counters = ("sku", "quantity", "receipt", "accepted", "surplus", "missing", "damaged")
    assert [tuple(i[k] for k in counters) for i in supply(lamoda, "S-MIX")["items"]] == [
        ("A-1", 5, 7, 5, 2, 0, 1),
        ("B-1", 4, 0, 0, 0, 4, 0),
    ]
    stock = ok(lamoda, lamoda.v1_get("stock/goods"))["_embedded"]["stockStates"]
    assert [(s["sku"], s["quantity"]) for s in stock] == [("A-1", 5)]


def test_a_supply_without_id_gets_a_code(tenant: Tenant) -> None:
    lamoda = Lamoda(tenant)
    nomenclature(lamoda, "A-1", marked=False)
    created = ok(lamoda, lamoda.v1_post("shipments/fulfilment", supply_body(None, ("A-1", 1, None))), 201)
    assert created["code"] == f"FBO-{created['id']}"
    assert supply(lamoda, created["code"])["id"] == created["id"]


def test_a_supply_id_is_its_code_up_to_40_characters(tenant: Tenant) -> None:
    # Its notifications carry the code as their tracking id; a longer one was a 500 on PostgreSQL.
    lamoda = Lamoda(tenant)
    nomenclature(lamoda, "A-1", marked=False)
    longest = "S" * 40
    created = ok(lamoda, lamoda.v1_post("shipments/fulfilment", supply_body(longest, ("A-1", 1, None))), 201)
    assert created["code"] == longest
    refused = lamoda.v1_post("shipments/fulfilment", supply_body("S" * 41, ("A-1", 1, None)))
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "id", refused.text


# ---- what the supply request refuses (and then nothing is stored) ----

Edit = Callable[[dict[str, Any], list[str]], None]


def _set(path: tuple[Any, ...], value: Any) -> Edit:
    def edit(body: dict[str, Any], _: list[str]) -> None:
        target: Any = body
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


def _fewer_codes(body: dict[str, Any], codes: list[str]) -> None:
    body["items"][0]["datamatrixes"] = codes[:2]


def _no_codes(body: dict[str, Any], _: list[str]) -> None:
    del body["items"][0]["datamatrixes"]


def _more_codes(body: dict[str, Any], codes: list[str]) -> None:
    body["items"][0]["datamatrixes"] = [*codes, datamatrix()]


def _twice_in_item(body: dict[str, Any], codes: list[str]) -> None:
    body["items"][0]["datamatrixes"] = [codes[0], codes[1], codes[0]]


def _twice_across_items(body: dict[str, Any], codes: list[str]) -> None:
    body["items"][1]["quantity"] = 1
    body["items"][1]["datamatrixes"] = [codes[1]]


def _malformed(body: dict[str, Any], codes: list[str]) -> None:
    body["items"][0]["datamatrixes"] = [codes[0], codes[1], "hello-not-a-code"]


def _wrong_check_digit(body: dict[str, Any], codes: list[str]) -> None:
    body["items"][0]["datamatrixes"] = [codes[0], codes[1], "010460406000600121K4FNP6WPM93DH"]


def _unknown_sku(body: dict[str, Any], _: list[str]) -> None:
    body["items"][1]["sku"] = "NOT-IN-CATALOGUE"


def _sku_twice(body: dict[str, Any], _: list[str]) -> None:
    body["items"].append(copy.deepcopy(body["items"][1]))


def _partial_codes_unmarked(body: dict[str, Any], _: list[str]) -> None:
    body["items"][1]["datamatrixes"] = [datamatrix()]  # quantity 2


REFUSALS = [
    pytest.param(_fewer_codes, "items[0].datamatrixes", "one code per unit (3), got 2", id="fewer-codes"),
    pytest.param(_no_codes, "items[0].datamatrixes", "one code per unit (3), got 0", id="no-codes"),
    pytest.param(_more_codes, "items[0].datamatrixes", "one code per unit (3), got 4", id="more-codes"),
    pytest.param(
        _twice_in_item, "items[0].datamatrixes[2]", "also given at items[0].datamatrixes[0]", id="dup-in-item"
    ),
    pytest.param(
        _twice_across_items,
        "items[1].datamatrixes[0]",
        "also given at items[0].datamatrixes[1]",
        id="dup-across-items",
    ),
    pytest.param(_malformed, "items[0].datamatrixes[2]", "is not a DataMatrix marking code", id="malformed"),
    pytest.param(_wrong_check_digit, "items[0].datamatrixes[2]", "wrong check digit", id="check-digit"),
    pytest.param(_unknown_sku, "items[1].sku", "is not in your nomenclature", id="unknown-sku"),
    pytest.param(_sku_twice, "items[2].sku", "appears twice", id="sku-twice"),
    pytest.param(
        _partial_codes_unmarked,
        "items[1].datamatrixes",
        "one code per unit (2), got 1",
        id="unmarked-partial",
    ),
    pytest.param(_set(("date",), "31.02.2026"), "date", "is not a d.m.Y date", id="no-such-day"),
    pytest.param(_set(("date",), "2026-12-01"), "date", "date", id="iso-date"),
    pytest.param(_set(("items", 0, "quantity"), 0), "items[0].quantity", ">= 1", id="zero-quantity"),
    pytest.param(_set(("items", 0, "ean"), "12AB"), "items[0].ean", "ean", id="bad-ean"),
    pytest.param(_set(("items",), []), "items", "at least one item", id="no-items"),
]


@pytest.mark.parametrize(("edit", "field", "words"), REFUSALS)
def test_supply_refusals_name_the_field_and_store_nothing(
    tenant: Tenant, edit: Edit, field: str, words: str
) -> None:
    lamoda = Lamoda(tenant)
    nomenclature(lamoda, "DRESS-1", marked=True)
    nomenclature(lamoda, "SCARF-1", marked=False)
    codes = [datamatrix() for _ in range(3)]
    good = supply_body("SUP-X", ("DRESS-1", 3, codes), ("SCARF-1", 2, None))
    bad = copy.deepcopy(good)
    edit(bad, codes)

    v1_refused(lamoda, lamoda.v1_post("shipments/fulfilment", bad), 400, field, words)
    v1_refused(lamoda, lamoda.v1_get("shipments/fulfilment/SUP-X"), 404, "", "supply SUP-X not found")
    assert fbo_total(lamoda) == 0
    # no code of the refused request was kept: the correct request with the same codes goes through
    created = ok(lamoda, lamoda.v1_post("shipments/fulfilment", good), 201)
    assert created["code"] == "SUP-X" and fbo_total(lamoda) == 1


def test_codes_already_sent_and_repeated_ids_are_refused(tenant: Tenant, other_tenant: Tenant) -> None:
    lamoda = Lamoda(tenant)
    nomenclature(lamoda, "DRESS-1", marked=True)
    first_codes = [datamatrix() for _ in range(2)]
    ok(lamoda, lamoda.v1_post("shipments/fulfilment", supply_body("SUP-1", ("DRESS-1", 2, first_codes))), 201)

    # a code of an earlier supply cannot be sent again, by this seller
    fresh = [datamatrix() for _ in range(2)]
    reuse = supply_body("SUP-2", ("DRESS-1", 3, [*fresh, first_codes[1]]))
    v1_refused(
        lamoda, lamoda.v1_post("shipments/fulfilment", reuse), 400, "items[0].datamatrixes[2]", "already sent"
    )
    assert lamoda.v1_get("shipments/fulfilment/SUP-2").status_code == 404
    assert fbo_total(lamoda) == 1

    # the same supply id twice: 409, and the second request's codes are not kept
    again = supply_body("SUP-1", ("DRESS-1", 2, fresh))
    v1_refused(
        lamoda, lamoda.v1_post("shipments/fulfilment", again), 409, "id", "supply SUP-1 already exists"
    )
    assert fbo_total(lamoda) == 1
    (item,) = supply(lamoda, "SUP-1")["items"]
    assert item["quantity"] == 2  # the first supply is untouched
    ok(lamoda, lamoda.v1_post("shipments/fulfilment", supply_body("SUP-3", ("DRESS-1", 2, fresh))), 201)
    assert fbo_total(lamoda) == 2

    # another seller may send the same physical codes (codes are unique per seller) and the same id
    other = Lamoda(other_tenant)
    nomenclature(other, "DRESS-1", marked=True)
    created = ok(
        other, other.v1_post("shipments/fulfilment", supply_body("SUP-1", ("DRESS-1", 2, first_codes))), 201
    )
    assert created["code"] == "SUP-1"
    # ... and neither sees the other's supplies
    assert fbo_total(other) == 1
    assert supply(lamoda, "SUP-1")["id"] != created["id"]


def test_a_code_sent_with_an_fbs_shipment_cannot_go_into_a_supply(tenant: Tenant) -> None:
    lamoda = Lamoda(tenant)
    order = lamoda.ready_to_ship({"sku": "JEANS-32", "marking_required": True})
    code = datamatrix()
    shipped = lamoda.v2_post(
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
    assert shipped.status_code == 201, shipped.text
    # buying the order registered JEANS-32 in the catalogue (marked)
    resp = lamoda.v1_post("shipments/fulfilment", supply_body("SUP-J", ("JEANS-32", 1, [code])))
    v1_refused(lamoda, resp, 400, "items[0].datamatrixes[0]", "already sent")
    assert fbo_total(lamoda) == 0


# ---- the warehouse's moves ----


def test_invalid_supply_moves_and_counts_are_refused(tenant: Tenant) -> None:
    lamoda = Lamoda(tenant)
    nomenclature(lamoda, "A-1", marked=False)
    nomenclature(lamoda, "B-1", marked=False)
    ok(
        lamoda,
        lamoda.v1_post("shipments/fulfilment", supply_body("S-1", ("A-1", 10, None), ("B-1", 5, None))),
        201,
    )

    world_refused(
        lamoda, "S-1", 409, "'validation': it cannot become 'on_acceptance'", status="on_acceptance"
    )
    world_refused(lamoda, "S-1", 409, "it cannot become 'accepted'", status="accepted")
    error = world_refused(lamoda, "S-1", 400, "unknown supply status 'lost'", status="lost")
    assert error["details"]["field"] == "status"
    error = world_refused(
        lamoda,
        "S-1",
        400,
        "only when a supply is accepted",
        status="send",
        items=[{"sku": "A-1", "receipt": 1}],
    )
    assert error["details"]["field"] == "items"
    world_refused(lamoda, "NO-SUCH", 404, "supply NO-SUCH not found", status="send")
    assert supply(lamoda, "S-1")["status"] == "validation"

    world(lamoda, "S-1", "send")
    world(lamoda, "S-1", "on_acceptance")
    world_refused(lamoda, "S-1", 409, "cannot become 'send'", status="send")

    def refused_count(words: str, *items: dict[str, Any]) -> None:
        err = world_refused(lamoda, "S-1", 400, words, status="accepted", items=list(items))
        assert err["details"]["field"].startswith("items"), err

    refused_count(
        "SKU 'C-9' is not in supply S-1", {"sku": "A-1", "receipt": 10}, {"sku": "C-9", "receipt": 1}
    )
    refused_count("cannot exceed receipt (3)", {"sku": "A-1", "receipt": 3, "damaged": 4})
    refused_count(
        "accepted (3) + damaged (1) cannot exceed receipt (3)",
        {"sku": "A-1", "receipt": 3, "damaged": 1, "accepted": 3},
    )
    refused_count("counted twice", {"sku": "A-1", "receipt": 3}, {"sku": "A-1", "receipt": 4})
    resp = lamoda.supply_event("S-1", status="accepted", items=[{"sku": "A-1", "receipt": -1}])
    assert resp.status_code == 400 and resp.json()["error"]["details"]["field"] == "items[0].receipt"

    # nothing of the refused counts was applied
    now = supply(lamoda, "S-1")
    assert now["status"] == "on_acceptance"
    assert [(i["receipt"], i["accepted"]) for i in now["items"]] == [(0, 0), (0, 0)]
    assert ok(lamoda, lamoda.v2_get("stocks-summary"))["data"]["summary"]["quantity"] == 0

    world(lamoda, "S-1", "accepted", items=[{"sku": "A-1", "receipt": 10}, {"sku": "B-1", "receipt": 5}])
    assert ok(lamoda, lamoda.v2_get("stocks-summary"))["data"]["summary"]["quantity"] == 15


def test_validation_error_shows_the_reject_reason(tenant: Tenant) -> None:
    lamoda = Lamoda(tenant)
    nomenclature(lamoda, "A-1", marked=False)
    ok(lamoda, lamoda.v1_post("shipments/fulfilment", supply_body("S-BAD", ("A-1", 1, None))), 201)
    moved = world(lamoda, "S-BAD", "validation_error", reason="Неверный EAN у SKU A-1")
    assert moved["reject_reason"] == "Неверный EAN у SKU A-1"
    found = supply(lamoda, "S-BAD")
    assert found["status"] == "validation_error"
    assert found["rejectReason"] == "Неверный EAN у SKU A-1"
    assert [s["status"] for s in found["statuses"]] == ["validation", "validation_error"]
    world_refused(lamoda, "S-BAD", 409, "no further status is possible", status="send")
    (row,) = ok(lamoda, lamoda.v2_get("fbo/shipments"))["data"]
    assert row["status"] == "validation_error"


def test_a_supply_can_be_cancelled_while_validated(tenant: Tenant) -> None:
    lamoda = Lamoda(tenant)
    nomenclature(lamoda, "A-1", marked=False)
    ok(lamoda, lamoda.v1_post("shipments/fulfilment", supply_body("S-C", ("A-1", 1, None))), 201)
    world(lamoda, "S-C", "canceled")
    assert supply(lamoda, "S-C")["status"] == "canceled"
    world_refused(lamoda, "S-C", 409, "no further status is possible", status="send")


# ---- reading supplies ----


def test_fbo_shipments_filter_by_date_and_page(tenant: Tenant, other_tenant: Tenant) -> None:
    lamoda = Lamoda(tenant)
    nomenclature(lamoda, "A-1", marked=False)
    for code, day in (("S-NOV", "30.11.2026"), ("S-DEC1", "01.12.2026"), ("S-DEC5", "05.12.2026")):
        body = supply_body(code, ("A-1", 1, None), date=day)
        ok(lamoda, lamoda.v1_post("shipments/fulfilment", body), 201)

    def codes(**params: Any) -> tuple[list[str], dict[str, int]]:
        page = ok(lamoda, lamoda.v2_get("fbo/shipments", **params))
        return [s["code"] for s in page["data"]], page["meta"]

    assert codes() == (["S-DEC5", "S-DEC1", "S-NOV"], {"page": 1, "limit": 20, "total": 3, "totalPages": 1})
    assert codes(**{"from": "2026-12-01"})[0] == ["S-DEC5", "S-DEC1"]
    assert codes(to="2026-12-01")[0] == ["S-DEC1", "S-NOV"]
    assert codes(**{"from": "2026-12-01", "to": "2026-12-04"})[0] == ["S-DEC1"]
    assert codes(limit=2, page=2) == (["S-NOV"], {"page": 2, "limit": 2, "total": 3, "totalPages": 2})
    dated = ok(lamoda, lamoda.v2_get("fbo/shipments", to="2026-11-30"))["data"]
    assert [s["date"] for s in dated] == ["2026-11-30"]
    v2_refused(lamoda, lamoda.v2_get("fbo/shipments", **{"from": "01.12.2026"}), 400, "from", "not a date")
    v2_refused(lamoda, lamoda.v2_get("fbo/shipments", limit=101), 400, "limit", "1 to 100")
    v2_refused(
        lamoda,
        lamoda.v2_get("fbo/shipments", sellerId=other_tenant.seller_id),
        403,
        "sellerId",
        "not the seller",
    )
    v1_refused(lamoda, lamoda.v1_get("shipments/fulfilment/NOPE"), 404, "", "supply NOPE not found")
    other = Lamoda(other_tenant)
    assert other.v1_get("shipments/fulfilment/S-NOV").status_code == 404


@pytest.mark.parametrize(
    ("path", "build"),
    [
        ("shipments/fulfilment", lambda codes: supply_body("SUP-1", ("DRESS-1", 1, codes))),
        (
            "nomenclatures",
            lambda _: {"sku": "DRESS-1", "barcode": "4600000000017", "name": "x", "brand": "y"},
        ),
    ],
    ids=["supply-id-twice", "sku-twice"],
)
def test_conflicts_are_documented(tenant: Tenant, path: str, build: Callable[[list[str]], Any]) -> None:
    lamoda = Lamoda(tenant)
    nomenclature(lamoda, "DRESS-1", marked=True)
    ok(
        lamoda,
        lamoda.v1_post("shipments/fulfilment", supply_body("SUP-1", ("DRESS-1", 1, [datamatrix()]))),
        201,
    )
    resp = lamoda.v1_post(path, build([datamatrix()]))
    assert resp.status_code == 409, resp.text
    check_documented(lamoda.http, resp)


def test_simultaneous_supplies_with_one_id_or_one_code_store_one(
    tenant: Tenant, server: RunningServer
) -> None:
    lamoda = Lamoda(tenant)
    nomenclature(lamoda, "A-1", marked=True)

    def post(body: dict[str, Any]) -> httpx.Response:
        with httpx.Client(base_url=server.base_url, timeout=30) as client:
            return client.post("/api/v1/shipments/fulfilment", json=body, headers=lamoda.headers)

    same_id = [supply_body("RACE", ("A-1", 1, [datamatrix()])) for _ in range(6)]
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(post, same_id))
    assert sorted(r.status_code for r in answers) == [201, 409, 409, 409, 409, 409]
    code = datamatrix()
    same_code = [supply_body(f"RACE-{i}", ("A-1", 1, [code])) for i in range(6)]
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(post, same_code))
    assert sorted(r.status_code for r in answers) == [201, 400, 400, 400, 400, 400]
    assert all("already sent" in r.json()["description"] for r in answers if r.status_code == 400)
    assert fbo_total(lamoda) == 2
    # the losers' codes were not kept: of the six codes sent with "RACE", only the winner's is taken
    assert supply(lamoda, "RACE")["items"][0]["quantity"] == 1
    accepted = 0
    for body in same_id:
        again = supply_body(None, ("A-1", 1, body["items"][0]["datamatrixes"]))
        accepted += lamoda.v1_post("shipments/fulfilment", again).status_code == 201
    assert accepted == 5


LONG = "Ж" * 150


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("shipments/fulfilment", supply_body(LONG, ("A-1", 1, None)), "id"),
        (
            "shipments/fulfilment",
            supply_body("S-DOC", ("A-1", 1, None), documentNumber=LONG),
            "documentNumber",
        ),
        (
            "nomenclatures",
            {"sku": LONG, "barcode": "4600000000017", "name": "x", "brand": "y"},
            "sku",
        ),
    ],
    ids=["supply-id", "document-number", "nomenclature-sku"],
)
def test_values_longer_than_the_store_keeps_are_refused_on_every_backend(
    tenant: Tenant, path: str, body: dict[str, Any], field: str
) -> None:
    lamoda = Lamoda(tenant)
    nomenclature(lamoda, "A-1", marked=False)
    resp = lamoda.v1_post(path, body)
    v1_refused(lamoda, resp, 400, field, field)
    assert LONG not in lamoda.v1_get("nomenclatures").text
    assert lamoda.v2_get("fbo/shipments").json()["meta"]["total"] == 0
