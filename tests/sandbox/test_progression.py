"""Automatic progression: manual (only events), immediate (at once) and timed (on the tenant's clock)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import Tenant
from tests.dialects.lamoda.helpers import Lamoda
from tests.dialects.lamoda.test_fbo_supplies import nomenclature, ok, supply, supply_body
from tests.webhooks.test_delivery import wait_for


def mode(tenant: Tenant, value: str) -> httpx.Response:
    return tenant.http.put(f"/sandbox/tenants/{tenant.seller_id}/progression", json={"mode": value})


def parcel_status(tenant: Tenant, lo_id: int) -> str:
    resp = tenant.ae("logistic-order/get", {"page": 1, "page_size": 1, "logistic_order_ids": [lo_id]})
    assert resp.status_code == 200, resp.text
    return str(resp.json()["data"]["logistic_orders"][0]["state_status_name"])


def handed_over(tenant: Tenant) -> int:
    """A parcel the seller has created and handed over in a transferred list."""
    (lo_id,) = tenant.ship(tenant.order({"sku_id": 601, "quantity": 1}))
    listed = tenant.ae("handover-list/create", {"logistic_order_ids": [lo_id]})
    assert listed.status_code == 200, listed.text
    list_id = listed.json()["data"]["handover_list_id"]
    assert tenant.ae("handover-list/transfer", {"handover_list_id": list_id}).status_code == 200
    return lo_id


def shipped(lamoda: Lamoda) -> dict[str, Any]:
    """An FBS order (unmarked items) in a shipment the seller created; returns the order."""
    order = lamoda.ready_to_ship({"sku": "AUTO-1", "quantity": 2, "marking_required": False})
    pack = order["packNumbers"][0] if "packNumbers" in order else order["packs"][0]["packNumber"]
    items = [{"unitload": i["id"]} for i in order["items"]]
    resp = lamoda.v2_post("fbs/shipments", {"pallets": [{"packs": [{"packId": pack, "items": items}]}]})
    assert resp.status_code == 201, resp.text
    return order


def item_statuses(lamoda: Lamoda, order_id: int) -> list[str]:
    return [i["status"] for i in lamoda.v2_get(f"orders/{order_id}").json()["data"]["items"]]


def test_manual_is_the_default_and_nothing_moves(tenant: Tenant) -> None:
    assert tenant.http.get(f"/sandbox/tenants/{tenant.seller_id}/progression").json() == {"mode": "manual"}
    lo_id = handed_over(tenant)
    tenant.advance(30 * 86400)
    assert parcel_status(tenant, lo_id) == "Order accepted by carrier"


def test_immediate_carries_a_handed_over_parcel_to_the_buyer(tenant: Tenant) -> None:
    lo_id = handed_over(tenant)
    assert mode(tenant, "immediate").json() == {"mode": "immediate"}
    assert parcel_status(tenant, lo_id) == "Delivered"  # set_mode progresses at once
    later = handed_over(tenant)
    wait_for(lambda: parcel_status(tenant, later) == "Delivered")  # serve's loop, without any call


def test_timed_follows_the_tenant_clock(tenant: Tenant) -> None:
    lamoda = Lamoda(tenant)
    assert mode(tenant, "timed").status_code == 200
    lo_id = handed_over(tenant)
    order = shipped(lamoda)
    assert parcel_status(tenant, lo_id) == "Order accepted by carrier"
    assert set(item_statuses(lamoda, order["id"])) == {"AWAITING_SHIPMENT"}
    tenant.advance(4 * 3600)  # the courier has come for the shipment (3 h); the first scan is at 12 h
    lamoda = Lamoda(tenant)  # tokens expire on the tenant's clock too
    assert set(item_statuses(lamoda, order["id"])) == {"SHIPPED"}
    assert parcel_status(tenant, lo_id) == "Order accepted by carrier"
    tenant.advance(5 * 86400)  # one jump plays the rest out
    lamoda = Lamoda(tenant)
    assert parcel_status(tenant, lo_id) == "Delivered"
    assert set(item_statuses(lamoda, order["id"])) == {"DELIVERED"}


def test_timed_supplies_are_accepted_in_full(tenant: Tenant) -> None:
    lamoda = Lamoda(tenant)
    assert mode(tenant, "timed").status_code == 200
    nomenclature(lamoda, "AUTO-SUP", marked=False)
    ok(lamoda, lamoda.v1_post("shipments/fulfilment", supply_body("S-AUTO", ("AUTO-SUP", 3, None))), 201)
    tenant.advance(2 * 86400 + 60)  # validated and sent; on acceptance from the third day
    assert supply(Lamoda(tenant), "S-AUTO")["status"] == "on_acceptance"
    tenant.advance(86400)
    (item,) = supply(lamoda := Lamoda(tenant), "S-AUTO")["items"]
    assert supply(lamoda, "S-AUTO")["status"] == "accepted"
    assert (item["receipt"], item["accepted"], item["missing"]) == (3, 3, 0)


def test_bad_modes_and_unknown_tenants(http: httpx.Client, tenant: Tenant) -> None:
    for body in ({"mode": "sometimes"}, {}, {"mode": 1}, {"mode": "timed", "speed": 2}):
        resp = tenant.http.put(f"/sandbox/tenants/{tenant.seller_id}/progression", json=body)
        assert resp.status_code == 400, body
        assert "error" in resp.json()
    assert http.put("/sandbox/tenants/999999/progression", json={"mode": "timed"}).status_code == 404
    assert http.get("/sandbox/tenants/999999/progression").status_code == 404
