"""The tenant's virtual clock: read, set, freeze, resume, advance; what follows it."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import httpx

from tests.conftest import Tenant
from tests.dialects.lamoda.helpers import Lamoda


def clock(http: httpx.Client, tenant: Tenant, action: str = "", **body: object) -> dict[str, object]:
    path = f"/sandbox/tenants/{tenant.seller_id}/clock"
    resp = http.post(f"{path}/{action}", json=body or None) if action else http.get(path)
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


def moment(value: object) -> datetime:
    return datetime.fromisoformat(str(value))


def test_a_frozen_clock_stands_still_and_stamps_everything_with_its_time(
    http: httpx.Client, tenant: Tenant
) -> None:
    frozen = clock(http, tenant, "freeze")
    assert frozen["frozen"] is True
    time.sleep(0.3)
    assert clock(http, tenant) == frozen
    order = tenant.order({"sku_id": 7, "quantity": 1})
    assert moment(order["created_at"]) == moment(frozen["now"])
    assert clock(http, tenant, "freeze") == frozen  # freezing twice changes nothing


def test_advancing_a_frozen_clock_moves_it_exactly_and_it_stays_frozen(
    http: httpx.Client, tenant: Tenant
) -> None:
    frozen = moment(clock(http, tenant, "freeze")["now"])
    moved = clock(http, tenant, "advance", seconds=3600.5)
    assert moment(moved["now"]) - frozen == timedelta(seconds=3600.5)
    assert moved["frozen"] is True


def test_a_resumed_clock_runs_on_from_where_it_stood(http: httpx.Client, tenant: Tenant) -> None:
    frozen = moment(clock(http, tenant, "freeze")["now"])
    time.sleep(0.5)
    resumed = clock(http, tenant, "resume")
    assert resumed["frozen"] is False
    assert timedelta(0) <= moment(resumed["now"]) - frozen < timedelta(seconds=0.4)  # the stop did not count
    time.sleep(0.2)
    assert moment(clock(http, tenant)["now"]) - moment(resumed["now"]) >= timedelta(seconds=0.2)


def test_set_jumps_forward_to_a_moment(http: httpx.Client, tenant: Tenant) -> None:
    clock(http, tenant, "freeze")
    target = "2031-05-06T07:08:09.250000+00:00"
    assert clock(http, tenant, "set", now=target) == {"now": target, "frozen": True}
    clock(http, tenant, "resume")
    running = clock(http, tenant, "set", now="2032-01-01T00:00:00+03:00")
    assert moment(running["now"]) >= datetime.fromisoformat("2032-01-01T00:00:00+03:00")


def test_set_refuses_the_past_and_bad_moments(http: httpx.Client, tenant: Tenant) -> None:
    path = f"/sandbox/tenants/{tenant.seller_id}/clock/set"
    resp = http.post(path, json={"now": "2020-01-01T00:00:00+00:00"})
    assert resp.status_code == 409  # a moment the clock has passed: a conflict with its state
    assert resp.json()["error"]["code"] == "ClockGoesForward"
    assert resp.json()["error"]["details"]["field"] == "now"
    for body in ({}, {"now": "tomorrow"}, {"now": 5}, {"now": "9999-01-01T00:00:00+00:00"}):
        resp = http.post(path, json=body)
        assert resp.status_code == 400, body
        assert "error" in resp.json()
    assert http.post("/sandbox/tenants/999999/clock/freeze").status_code == 404
    assert http.post("/sandbox/tenants/999999/clock/set", json={"now": "2040-01-01"}).status_code == 404


def test_tokens_expire_by_the_tenant_clock_even_when_it_stands_still(
    http: httpx.Client, tenant: Tenant
) -> None:
    clock(http, tenant, "freeze")
    lamoda = Lamoda(tenant)
    clock(http, tenant, "advance", seconds=899)
    assert lamoda.v1_get("orders").status_code == 200
    clock(http, tenant, "advance", seconds=2)
    assert lamoda.v1_get("orders").status_code == 401


def test_freezing_one_tenant_leaves_the_others_running(
    http: httpx.Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    clock(http, tenant, "freeze")
    first = moment(clock(http, other_tenant)["now"])
    time.sleep(0.1)
    assert moment(clock(http, other_tenant)["now"]) > first
    assert clock(http, other_tenant)["frozen"] is False
