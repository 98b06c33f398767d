"""Marked items shipped (FBS) without their DataMatrix code: accepted by default, as Lamoda does (sellers
account for Честный ЗНАК codes on their own side), recorded, and notified with no code; refused for a
tenant whose marking setting is strict. A malformed, repeated or reused code is refused either way."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import Tenant
from tests.dialects.lamoda.helpers import Lamoda, check_documented, datamatrix

HOOK = "http://127.0.0.1:9/hook"  # nothing listens: the notifications stay in the log


def set_marking(tenant: Tenant, mode: str) -> httpx.Response:
    return tenant.http.put(f"/sandbox/tenants/{tenant.seller_id}/marking", json={"mode": mode})


def v2_shipment(order: dict[str, Any], codes: dict[int, str]) -> dict[str, Any]:
    items = [
        {"unitload": i["id"], **({"datamatrix": codes[i["id"]]} if i["id"] in codes else {})}
        for i in order["items"]
    ]
    return {"pallets": [{"packs": [{"packId": order["packs"][0]["packNumber"], "items": items}]}]}


def v1_shipment(order: dict[str, Any], codes: dict[int, str]) -> dict[str, Any]:
    items = [
        {"unitload": i["id"], **({"datamatrix": codes[i["id"]]} if i["id"] in codes else {})}
        for i in order["items"]
    ]
    pack = {"barcode": order["packs"][0]["packNumber"], "type": "pack", "items": items}
    return {"containers": [{"barcode": f"PAL-{order['id']}", "type": "pallet", "containers": [pack]}]}


def create(lamoda: Lamoda, api: str, order: dict[str, Any], codes: dict[int, str]) -> httpx.Response:
    if api == "v2":
        return lamoda.v2_post("fbs/shipments", v2_shipment(order, codes))
    return lamoda.v1_post("shipments/out", v1_shipment(order, codes))


def refused_field(api: str, resp: httpx.Response) -> tuple[str, str]:
    assert resp.status_code == 400, resp.text
    body = resp.json()
    if api == "v2":
        return body["error"]["details"][0]["field"], body["error"]["message"]
    return body["errors"][0]["field"], body["description"]


def field_of_item(api: str, index: int) -> str:
    if api == "v2":
        return f"pallets[0].packs[0].items[{index}].datamatrix"
    return f"containers[0].containers[0].items[{index}].datamatrix"


def notified_items(lamoda: Lamoda) -> dict[int, list[dict[str, Any]]]:
    """Every item line of the tenant's itemStatusChanged notifications, by item id."""
    resp = lamoda.http.get(f"/sandbox/tenants/{lamoda.seller_id}/webhooks/messages", params={"limit": 1000})
    assert resp.status_code == 200, resp.text
    lines: dict[int, list[dict[str, Any]]] = {}
    for message in resp.json()["messages"]:
        if message["payload"]["type"] == "itemStatusChanged":
            for item in message["payload"]["items"]:
                lines.setdefault(item["id"], []).append(item)
    return lines


@pytest.mark.parametrize("api", ["v2", "v1"])
def test_a_marked_item_ships_without_its_code_by_default(tenant: Tenant, api: str) -> None:
    lamoda = Lamoda(tenant)
    assert (
        lamoda.http.post(f"/sandbox/tenants/{lamoda.seller_id}/webhooks", json={"url": HOOK}).status_code
        == 201
    )
    shown = lamoda.http.get(f"/sandbox/tenants/{lamoda.seller_id}/marking")
    assert shown.status_code == 200 and shown.json() == {"mode": "lenient"}
    order = lamoda.ready_to_ship(
        {"sku": "BOOTS-40", "quantity": 2, "marking_required": True},
        {"sku": "SOCKS-1", "marking_required": False},
    )
    coded, uncoded, plain = (i["id"] for i in order["items"])
    code = datamatrix()

    resp = create(lamoda, api, order, {coded: code})
    assert resp.status_code == 201, resp.text
    shipment_id = resp.json()["data"]["id"] if api == "v2" else resp.json()["id"]

    # the shipment records which marked item went without its code
    received = lamoda.http.post(f"/sandbox/tenants/{lamoda.seller_id}/lamoda/shipments/{shipment_id}/receive")
    assert received.status_code == 200, received.text
    check_documented(lamoda.http, received)
    assert {(i["item_id"], i["status"], i["without_code"]) for i in received.json()["items"]} == {
        (coded, "Shipped", False),
        (uncoded, "Shipped", True),
        (plain, "Shipped", False),
    }
    # its notification carries no code; the coded item's carries its own
    shipped = {item_id: lines[-1] for item_id, lines in notified_items(lamoda).items()}
    assert shipped[uncoded]["status"] == "Shipped" and shipped[uncoded]["datamatrix"] is None
    assert shipped[coded]["status"] == "Shipped" and shipped[coded]["datamatrix"] == code
    assert shipped[plain]["datamatrix"] is None


@pytest.mark.parametrize("api", ["v2", "v1"])
def test_codes_that_are_sent_are_still_checked_by_default(tenant: Tenant, api: str) -> None:
    lamoda = Lamoda(tenant)
    order = lamoda.ready_to_ship({"sku": "BOOTS-41", "quantity": 2, "marking_required": True})
    first, second = (i["id"] for i in order["items"])
    code = datamatrix()
    assert refused_field(api, create(lamoda, api, order, {first: "not-a-code"}))[0] == field_of_item(api, 0)
    field, message = refused_field(api, create(lamoda, api, order, {first: code, second: code}))
    assert field == field_of_item(api, 1) and "each unit has its own code" in message
    assert create(lamoda, api, order, {first: code}).status_code == 201
    again = lamoda.ready_to_ship({"sku": "BOOTS-41", "marking_required": True})
    field, message = refused_field(api, create(lamoda, api, again, {again["items"][0]["id"]: code}))
    assert field == field_of_item(api, 0) and "already sent" in message


@pytest.mark.parametrize("api", ["v2", "v1"])
def test_a_strict_tenant_refuses_a_marked_item_without_its_code(tenant: Tenant, api: str) -> None:
    lamoda = Lamoda(tenant)
    resp = set_marking(tenant, "strict")
    assert resp.status_code == 200 and resp.json() == {"mode": "strict"}
    check_documented(lamoda.http, resp)
    assert lamoda.http.get(f"/sandbox/tenants/{tenant.seller_id}/marking").json() == {"mode": "strict"}
    order = lamoda.ready_to_ship(
        {"sku": "BOOTS-42", "quantity": 2, "marking_required": True},
        {"sku": "SOCKS-2", "marking_required": False},
    )
    coded, uncoded, _ = (i["id"] for i in order["items"])

    field, message = refused_field(api, create(lamoda, api, order, {coded: datamatrix()}))
    assert field == field_of_item(api, 1) and "strict" in message and str(uncoded) in message
    # nothing was written: no shipment, and the same pack ships once its codes are there
    assert lamoda.v2_get("fbs/shipments").json()["data"] == []
    assert create(lamoda, api, order, {coded: datamatrix(), uncoded: datamatrix()}).status_code == 201

    # lenient again: the next order ships without a code
    assert set_marking(tenant, "lenient").json() == {"mode": "lenient"}
    later = lamoda.ready_to_ship({"sku": "BOOTS-42", "marking_required": True})
    assert create(lamoda, api, later, {}).status_code == 201
