"""Authentication, seller isolation and error hygiene of every AliExpress endpoint, on every backend."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.conftest import Tenant, new_tenant
from tests.dialects.aliexpress.seed import (
    CREATE_BODY,
    CREATE_FAILURE_EXAMPLE,
    DELETE_BODY,
    GET_BODY,
    LABELS_BODY,
)

Json = dict[str, Any]
PREFIX = "/seller-api/v1"
INT64_MAX = 2**63 - 1

# Every endpoint with a body that passes validation (the ids need not exist; the seed's where it has one).
ENDPOINTS: dict[str, Json] = {
    "order/get-order-list": {"page": 1, "page_size": 10},
    "logistic-order/create": json.loads(CREATE_BODY),
    "logistic-order/get": json.loads(GET_BODY),
    "logistic-order/delete": json.loads(DELETE_BODY),
    "logistic-order/pass-today": {"order_id": 20000001},
    "labels/orders/get": json.loads(LABELS_BODY),
    "handover-list/create": {"logistic_order_ids": [20000001]},
    "handover-list/get-by-filter": {"page_size": 10, "page_number": 1},
    "handover-list/add-logistic-orders": {"handover_list_id": 700001, "order_ids": [20000001]},
    "handover-list/remove-logistic-orders": {"handover_list_id": 700001, "order_ids": ["20000001"]},
    "handover-list/transfer": {"handover_list_id": 700001},
    "labels/handover-lists/get": {"handover_list_id": 700001},
}
PATHS = list(ENDPOINTS)


def post(http: httpx.Client, path: str, body: Any, token: str | None) -> httpx.Response:
    headers = {} if token is None else {"x-auth-token": token}
    if isinstance(body, bytes):
        return http.post(
            f"{PREFIX}/{path}", content=body, headers={**headers, "content-type": "application/json"}
        )
    return http.post(f"{PREFIX}/{path}", json=body, headers=headers)


def assert_envelope_error(resp: httpx.Response, status: int, code: str) -> Json:
    assert resp.status_code == status, resp.text
    assert "Traceback" not in resp.text
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert set(body) == {"data", "error"}, body
    assert body["data"] is None
    assert body["error"]["code"] == code, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    error: Json = body["error"]
    return error


# --- authentication ----------------------------------------------------------------------------
@pytest.mark.parametrize("path", PATHS)
def test_missing_empty_or_unknown_token_is_401(http: httpx.Client, path: str) -> None:
    for token in (None, "", "no-such-token", "Bearer no-such-token"):
        error = assert_envelope_error(post(http, path, ENDPOINTS[path], token), 401, "ErrorCode.Unauthorized")
        assert "GetToken" in error["message"], (token, error)
        # Authentication comes before the body is even read.
        assert_envelope_error(post(http, path, b"{not json", token), 401, "ErrorCode.Unauthorized")
        assert_envelope_error(post(http, path, {}, token), 401, "ErrorCode.Unauthorized")


def test_a_deleted_tenants_token_is_401_everywhere(http: httpx.Client, tenant: Tenant) -> None:
    gone = new_tenant(http, "Gone Seller")
    [lo_id] = gone.ship(gone.order({"sku_id": 1, "quantity": 1}))
    assert gone.ae("logistic-order/get", ENDPOINTS["logistic-order/get"]).status_code == 200
    assert http.delete(f"/sandbox/tenants/{gone.seller_id}").status_code == 204
    for path, body in ENDPOINTS.items():
        body = {**body}
        for key in ("logistic_order_ids", "order_ids"):
            if key in body:
                body[key] = [lo_id]
        if "order_id" in body:
            body["order_id"] = lo_id
        assert_envelope_error(post(http, path, body, gone.token), 401, "ErrorCode.Unauthorized")
    # Other tenants are unaffected.
    assert tenant.ae("logistic-order/get", ENDPOINTS["logistic-order/get"]).status_code == 200


def test_other_credentials_are_not_aliexpress_tokens(http: httpx.Client, tenant: Tenant) -> None:
    lamoda = tenant.body["lamoda"]
    for token in (lamoda["client_id"], lamoda["client_secret"], str(tenant.seller_id), tenant.token.upper()):
        if token == tenant.token:
            continue
        resp = post(http, "logistic-order/get", ENDPOINTS["logistic-order/get"], token)
        assert_envelope_error(resp, 401, "ErrorCode.Unauthorized")
    # Header names are case-insensitive.
    resp = http.post(
        f"{PREFIX}/logistic-order/get",
        json=ENDPOINTS["logistic-order/get"],
        headers={"X-Auth-Token": tenant.token},
    )
    assert resp.status_code == 200, resp.text


# --- unknown paths and methods -----------------------------------------------------------------
def test_unknown_paths_are_404_in_the_envelope(tenant: Tenant) -> None:
    for path in (
        "nope",
        "logistic-order",
        "logistic-order/create/extra",
        "logistic-order/list",
        "",
        "handover-list",
        "labels/orders",
        "Logistic-Order/Get",
    ):
        for method in ("GET", "POST"):
            resp = tenant.http.request(
                method, f"{PREFIX}/{path}", json={}, headers={"x-auth-token": tenant.token}
            )
            error = assert_envelope_error(resp, 404, "ErrorCode.NotFound")
            assert path in error["message"]


@pytest.mark.parametrize("path", PATHS)
def test_other_methods_on_post_endpoints_are_405_in_the_envelope(tenant: Tenant, path: str) -> None:
    for method in ("GET", "PUT", "DELETE", "PATCH"):
        resp = tenant.http.request(method, f"{PREFIX}/{path}", headers={"x-auth-token": tenant.token})
        assert_envelope_error(resp, 405, "ErrorCode.MethodNotAllowed")


# --- cross-seller isolation --------------------------------------------------------------------
@dataclass
class World:
    """`mine` (the victim) and `other` (the intruder), each with orders in every state."""

    mine: Tenant
    other: Tenant
    trade_order: int
    listed: int  # in the open handover list `open_list`
    free: int  # in no list
    handed: int  # in the transferred list `closed_list`
    open_list: int
    closed_list: int
    other_trade_order: int
    other_free: int
    other_list: int
    other_listed: int

    def tracking(self) -> list[str]:
        resp = self.mine.ae("logistic-order/get", {"page": 1, "page_size": 100})
        return [lo["platform_tracking_code"] for lo in resp.json()["data"]["logistic_orders"]]


def _ids(t: Tenant, trade_order_id: int, sku: int, count: int) -> list[int]:
    entry = {
        "trade_order_id": trade_order_id,
        "total_length": 20,
        "total_width": 10,
        "total_height": 5,
        "total_weight": 1.5,
        "items": [{"sku_id": sku, "quantity": 1}],
    }
    resp = t.ae("logistic-order/create", {"orders": [entry] * count})
    assert resp.status_code == 200, resp.text
    return [lo["id"] for o in resp.json()["data"]["orders"] for lo in o["logistic_orders"]]


def _list(t: Tenant, *ids: int) -> int:
    resp = t.ae("handover-list/create", {"logistic_order_ids": list(ids)})
    assert resp.status_code == 200, resp.text
    list_id: int = resp.json()["data"]["handover_list_id"]
    return list_id


@pytest.fixture
def world(tenant: Tenant, other_tenant: Tenant) -> World:
    order = tenant.order({"sku_id": 501, "quantity": 3})
    listed, free, handed = _ids(tenant, order["trade_order_id"], 501, 3)
    open_list = _list(tenant, listed)
    closed_list = _list(tenant, handed)
    resp = tenant.ae("handover-list/transfer", {"handover_list_id": closed_list})
    assert resp.status_code == 200, resp.text
    other_order = other_tenant.order({"sku_id": 501, "quantity": 2})
    other_free, other_listed = _ids(other_tenant, other_order["trade_order_id"], 501, 2)
    other_list = _list(other_tenant, other_listed)
    return World(
        tenant,
        other_tenant,
        order["trade_order_id"],
        listed,
        free,
        handed,
        open_list,
        closed_list,
        other_order["trade_order_id"],
        other_free,
        other_list,
        other_listed,
    )


def snapshot(t: Tenant) -> Json:
    """Everything a seller can read about its own objects."""
    los = t.ae("logistic-order/get", {"page": 1, "page_size": 100})
    orders = t.ae("order/get-order-list", {"page": 1, "page_size": 100, "trade_order_info": "LogisticInfo"})
    lists = t.ae("handover-list/get-by-filter", {"page_size": 100, "page_number": 1})
    assert los.status_code == orders.status_code == lists.status_code == 200
    return {"logistic_orders": los.json(), "orders": orders.json(), "handover_lists": lists.json()}


def empty_read(resp: httpx.Response, key: str) -> None:
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["error"] is None
    assert body["data"][key] == [], body


def refused(resp: httpx.Response, status: int = 403, code: str = "ErrorCode.SellerMismatch") -> None:
    assert_envelope_error(resp, status, code)


def attack_get_by_ids(w: World) -> None:
    resp = w.other.ae(
        "logistic-order/get",
        {"page": 1, "page_size": 100, "logistic_order_ids": [w.listed, w.free, w.handed]},
    )
    empty_read(resp, "logistic_orders")
    assert resp.json()["data"]["page_info"]["total"] == 0


def attack_get_by_tracking_numbers(w: World) -> None:
    resp = w.other.ae("logistic-order/get", {"page": 1, "page_size": 100, "tracking_numbers": w.tracking()})
    empty_read(resp, "logistic_orders")
    assert resp.json()["data"]["page_info"]["total"] == 0


def attack_get_by_trade_order(w: World) -> None:
    resp = w.other.ae("logistic-order/get", {"page": 1, "page_size": 100, "trade_order_ids": [w.trade_order]})
    empty_read(resp, "logistic_orders")
    assert resp.json()["data"]["page_info"]["total"] == 0


def attack_get_everything(w: World) -> None:
    resp = w.other.ae("logistic-order/get", {"page": 1, "page_size": 100})
    assert sorted(lo["logistic_order_id"] for lo in resp.json()["data"]["logistic_orders"]) == sorted(
        [w.other_free, w.other_listed]
    )
    assert resp.json()["data"]["page_info"]["total"] == 2


def attack_order_list_by_id(w: World) -> None:
    resp = w.other.ae(
        "order/get-order-list",
        {"page": 1, "page_size": 100, "order_ids": [w.trade_order], "trade_order_info": "LogisticInfo"},
    )
    empty_read(resp, "orders")
    assert resp.json()["data"]["total_count"] == 0


def attack_order_list_by_tracking_numbers(w: World) -> None:
    resp = w.other.ae("order/get-order-list", {"page": 1, "page_size": 100, "tracking_numbers": w.tracking()})
    empty_read(resp, "orders")
    assert resp.json()["data"]["total_count"] == 0


def attack_order_list_everything(w: World) -> None:
    resp = w.other.ae("order/get-order-list", {"page": 1, "page_size": 100})
    assert [o["id"] for o in resp.json()["data"]["orders"]] == [w.other_trade_order]


def attack_create_on_foreign_trade_order(w: World) -> None:
    resp = w.other.ae(
        "logistic-order/create",
        {
            "orders": [
                {
                    "trade_order_id": w.trade_order,
                    "total_length": 1,
                    "total_width": 1,
                    "total_height": 1,
                    "total_weight": 0.1,
                    "items": [{"sku_id": 501, "quantity": 1}],
                }
            ]
        },
    )
    assert resp.status_code == 200
    assert resp.json() == CREATE_FAILURE_EXAMPLE


def attack_delete(w: World) -> None:
    ids = [w.listed, w.free, w.handed]
    resp = w.other.ae("logistic-order/delete", {"logistic_order_ids": ids})
    assert resp.status_code == 200, resp.text
    assert resp.json() == {
        "data": {
            "deletion_result_map": {
                str(i): {
                    "deleted_at": None,
                    "error_message": f"Failed to delete logistic order {i}: "
                    f"it doesn't belong to seller {w.other.seller_id}",
                }
                for i in ids
            }
        },
        "error": None,
    }


def attack_pass_today(w: World) -> None:
    for lo_id in (w.free, w.listed):
        refused(w.other.ae("logistic-order/pass-today", {"order_id": lo_id}))


def attack_labels(w: World) -> None:
    refused(w.other.ae("labels/orders/get", {"logistic_order_ids": [w.free]}))
    refused(w.other.ae("labels/orders/get", {"logistic_order_ids": [w.other_free, w.listed]}))


def attack_handover_create(w: World) -> None:
    refused(w.other.ae("handover-list/create", {"logistic_order_ids": [w.free]}))
    refused(w.other.ae("handover-list/create", {"logistic_order_ids": [w.other_free, w.free]}))


def attack_handover_filter(w: World) -> None:
    for body in (
        {"handover_list_ids": [w.open_list, w.closed_list]},
        {"logistic_order_ids": [w.listed, w.handed]},
    ):
        resp = w.other.ae("handover-list/get-by-filter", {"page_size": 100, "page_number": 1, **body})
        empty_read(resp, "data_source")
        assert resp.json()["data"]["page_info"]["total"] == 0
    resp = w.other.ae("handover-list/get-by-filter", {"page_size": 100, "page_number": 1})
    assert [h["handover_list_id"] for h in resp.json()["data"]["data_source"]] == [w.other_list]


def attack_handover_add(w: World) -> None:
    # Own order into the foreign list, and the foreign order into the own list.
    refused(
        w.other.ae(
            "handover-list/add-logistic-orders",
            {"handover_list_id": w.open_list, "order_ids": [w.other_free]},
        )
    )
    refused(
        w.other.ae(
            "handover-list/add-logistic-orders", {"handover_list_id": w.other_list, "order_ids": [w.free]}
        )
    )
    refused(
        w.other.ae(
            "handover-list/add-logistic-orders",
            {"handover_list_id": w.other_list, "order_ids": [str(w.free)]},
        )
    )


def attack_handover_remove(w: World) -> None:
    refused(
        w.other.ae(
            "handover-list/remove-logistic-orders", {"handover_list_id": w.open_list, "order_ids": [w.listed]}
        )
    )
    refused(
        w.other.ae(
            "handover-list/remove-logistic-orders",
            {"handover_list_id": w.other_list, "order_ids": [w.listed]},
        )
    )


def attack_handover_transfer(w: World) -> None:
    refused(w.other.ae("handover-list/transfer", {"handover_list_id": w.open_list}))
    refused(w.other.ae("handover-list/transfer", {"handover_list_id": w.closed_list}))


def attack_handover_label(w: World) -> None:
    refused(w.other.ae("labels/handover-lists/get", {"handover_list_id": w.open_list}))
    refused(w.other.ae("labels/handover-lists/get", {"handover_list_id": w.closed_list}))


ATTACKS: list[Callable[[World], None]] = [
    attack_get_by_ids,
    attack_get_by_tracking_numbers,
    attack_get_by_trade_order,
    attack_get_everything,
    attack_order_list_by_id,
    attack_order_list_by_tracking_numbers,
    attack_order_list_everything,
    attack_create_on_foreign_trade_order,
    attack_delete,
    attack_pass_today,
    attack_labels,
    attack_handover_create,
    attack_handover_filter,
    attack_handover_add,
    attack_handover_remove,
    attack_handover_transfer,
    attack_handover_label,
]


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.__name__.removeprefix("attack_") for a in ATTACKS])
def test_another_seller_can_neither_read_nor_change_my_objects(
    world: World, attack: Callable[[World], None]
) -> None:
    mine_before, other_before = snapshot(world.mine), snapshot(world.other)
    attack(world)
    assert snapshot(world.mine) == mine_before
    assert snapshot(world.other) == other_before


def test_my_objects_still_work_for_me_after_the_attacks(world: World) -> None:
    for attack in ATTACKS:
        attack(world)
    mine = world.mine
    resp = mine.ae("labels/orders/get", {"logistic_order_ids": [world.free, world.listed]})
    assert resp.status_code == 200, resp.text
    resp = mine.ae(
        "handover-list/add-logistic-orders", {"handover_list_id": world.open_list, "order_ids": [world.free]}
    )
    assert resp.status_code == 200, resp.text
    assert sorted(resp.json()["data"]["logistic_order_ids"]) == sorted([world.listed, world.free])
    resp = mine.ae("logistic-order/delete", {"logistic_order_ids": [world.free]})
    assert resp.json()["data"]["deletion_result_map"][str(world.free)]["error_message"] is None


# --- no server errors, whatever the body -------------------------------------------------------
GARBAGE: list[bytes] = [
    b"",
    b" ",
    b"{",
    b"}",
    b"[]",
    b"null",
    b"true",
    b"0",
    b'"x"',
    b"{}",
    b'{"": null}',
    b"\xff\xfe\x00",
    b"[" * 10000,
    b'{"a": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    b'{"page": NaN}',
    b'{"page": 1e400}',
]


def extreme_bodies(path: str, w: World) -> list[Json]:
    """Values at and past every limit; ids that exist, so the request reaches the database."""
    huge = [INT64_MAX, INT64_MAX + 1, 2**64, 10**30, -1, 0]
    nul = "\x00"
    bodies: list[Json] = []
    if path in ("logistic-order/get", "order/get-order-list"):
        base: Json = {"page": 1, "page_size": 10}
        bodies += [{**base, "page": p, "page_size": 1000} for p in (2**31, 2**62, INT64_MAX, 2**64)]
        id_key = "logistic_order_ids" if path == "logistic-order/get" else "order_ids"
        bodies += [{**base, id_key: [h]} for h in huge]
        bodies += [{**base, "tracking_numbers": [nul]}, {**base, "tracking_numbers": ["x" * 100_000]}]
        date_keys = (
            ("gmt_create_from", "gmt_cut_off_date_to")
            if path == "logistic-order/get"
            else ("date_start", "shipping_day_to")
        )
        for key in date_keys:
            bodies += [
                {**base, key: d}
                for d in (
                    "9999-12-31T23:59:59-05:00",
                    "0001-01-01T00:00:00+05:00",
                    "0000-01-01T00:00:00Z",
                    "2024-02-30T00:00:00Z",
                )
            ]
        if path == "logistic-order/get":
            bodies += [{**base, "trade_order_ids": [h]} for h in huge]
            bodies += [{**base, "filter_status": nul}, {**base, "sort_params": {"order_sort_type": nul}}]
        else:
            bodies += [
                {**base, "order_statuses": [nul]},
                {**base, "payment_statuses": [nul]},
                {**base, "sorting_field": nul},
                {**base, "trade_order_info": nul},
            ]
    elif path == "logistic-order/create":

        def entry(**over: Any) -> Json:
            item = {"sku_id": 501, "quantity": 1, **over.pop("item", {})}
            return {
                "orders": [
                    {
                        "trade_order_id": w.trade_order,
                        "total_length": 1,
                        "total_width": 1,
                        "total_height": 1,
                        "total_weight": 0.5,
                        **over,
                        "items": [item],
                    }
                ]
            }

        bodies += [entry(trade_order_id=h) for h in huge]
        bodies += [entry(item={"sku_id": h}) for h in huge]
        bodies += [entry(item={"quantity": h}) for h in huge]
        bodies += [entry(item={"product_source_id": h}) for h in huge]
        bodies += [entry(total_length=h) for h in huge] + [
            entry(total_width=2**31),
            entry(total_height=2**40),
        ]
        bodies += [entry(total_weight=v) for v in (1e308, 1e-320, 2**70)]
        bodies += [entry(item={"jewelry_codes": [{"sku_index": h, "codes": [nul]}]}) for h in huge]
    elif path in ("logistic-order/delete", "labels/orders/get", "handover-list/create"):
        bodies += [{"logistic_order_ids": [h]} for h in huge]
        bodies += [{"logistic_order_ids": [w.free, h]} for h in huge]
        bodies += [{"logistic_order_ids": list(range(1, 1002))}]
        if path == "handover-list/create":
            bodies += [
                {"logistic_order_ids": [w.free], "arrival_date": d}
                for d in ("9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00")
            ]
    elif path == "logistic-order/pass-today":
        bodies += [{"order_id": h} for h in huge]
    elif path == "handover-list/get-by-filter":
        base = {"page_size": 10, "page_number": 1}
        bodies += [{**base, "page_number": p, "page_size": 1000} for p in (2**31, 2**62, INT64_MAX, 2**64)]
        bodies += [{**base, "handover_list_ids": [h]} for h in huge]
        bodies += [{**base, "logistic_order_ids": [h]} for h in huge]
        bodies += [{**base, "statuses": [nul]}, {**base, "gmt_create_sort": nul}]
        bodies += [
            {**base, "gmt_create_from": d} for d in ("9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00")
        ]
    elif path in ("handover-list/add-logistic-orders", "handover-list/remove-logistic-orders"):
        for list_id in (w.open_list, w.closed_list):
            bodies += [
                {"handover_list_id": list_id, "order_ids": [v]}
                for v in [*huge, str(INT64_MAX + 1), "1" * 40, "²", "١٢", " 1 ", "-1", "", nul, "1e3", 1.5]
            ]
        bodies += [{"handover_list_id": h, "order_ids": [w.free]} for h in huge]
    elif path in ("handover-list/transfer", "labels/handover-lists/get"):
        bodies += [{"handover_list_id": h} for h in huge]
    return bodies


@pytest.mark.parametrize("path", PATHS)
def test_no_request_body_causes_a_server_error(world: World, path: str) -> None:
    failures = []
    requests: list[bytes] = [*GARBAGE, *(json.dumps(b).encode() for b in extreme_bodies(path, world))]
    for raw in requests:
        resp = post(world.mine.http, path, raw, world.mine.token)
        problem = None
        if resp.status_code >= 500:
            problem = f"HTTP {resp.status_code}"
        elif "Traceback" in resp.text:
            problem = "traceback in body"
        else:
            try:
                body = resp.json()
            except ValueError:
                body = None
            if not isinstance(body, dict) or not {"data", "error"} <= set(body):
                problem = "not the AliExpress envelope"
            elif resp.status_code >= 400 and (
                body["data"] is not None or not str(body["error"]["code"]).startswith("ErrorCode.")
            ):
                problem = "error outside the envelope"
        if problem:
            failures.append(f"{problem}: {raw[:120]!r} -> {resp.text[:160]}")
    assert not failures, f"{len(failures)} of {len(requests)} requests to {path} failed:\n" + "\n".join(
        failures
    )
