"""`marketbox seed` end to end, on SQLite and PostgreSQL: what it writes is what the seller APIs would have
produced, so they list, filter, count and page the seeded orders consistently; the same seed gives the
same answers."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from marketbox.cli import app
from marketbox.domain.logistic_moves import DELIVERED_FINISH_REASON
from marketbox.domain.logistic_orders import GROUP_OF, NOT_HANDED_OVER, LogisticStatus, StatusGroup
from marketbox.domain.shipping_dates import MOSCOW
from tests.conftest import BACKENDS
from tests.databases import fresh_database
from tests.dialects.lamoda.helpers import check_documented
from tests.servers import RunningServer, running_server

Json = dict[str, Any]
NOW = "2026-11-23T12:00:00+03:00"
SEED = ["--sellers", "2", "--orders", "300", "--seed", "11", "--now", NOW, "--days", "30", "--products", "40"]
HANDED_OVER_NAMES = {s.value for s in LogisticStatus if s not in NOT_HANDED_OVER}


def run_seed(url: str, *args: str) -> list[Json]:
    result = CliRunner().invoke(app, ["seed", "--database-url", url, "--json", *args])
    assert result.exit_code == 0, result.output
    tenants: list[Json] = json.loads(result.stdout)["tenants"]
    return tenants


@dataclass(frozen=True)
class Seeded:
    server: RunningServer
    first: list[Json]  # the tenants of one run
    again: list[Json]  # the tenants of a second run with the same options


@pytest.fixture(scope="module", params=BACKENDS)
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    backend: str = request.param
    with fresh_database(backend, tmp_path_factory.mktemp(f"seed-{backend}")) as url:
        first = run_seed(url, *SEED)
        again = run_seed(url, *SEED)
        with running_server(url, backend) as server:
            yield Seeded(server, first, again)


class Seller:
    """One seeded tenant, seen through its seller APIs."""

    def __init__(self, server: RunningServer, tenant: Json) -> None:
        self.http = httpx.Client(base_url=server.base_url, timeout=30)
        self.tenant = tenant
        self.seller_id: int = tenant["seller_id"]
        self.token: str = tenant["aliexpress"]["token"]
        creds = tenant["lamoda"]
        resp = self.http.get(
            "/auth/token",
            params={
                "client_id": creds["client_id"],
                "client_secret": creds["client_secret"],
                "grant_type": "client_credentials",
            },
        )
        assert resp.status_code == 200, resp.text
        self.bearer = {"Authorization": f"Bearer {resp.json()['access_token']}"}

    def ae(self, path: str, body: Json) -> Json:
        resp = self.http.post(f"/seller-api/v1/{path}", json=body, headers={"x-auth-token": self.token})
        assert resp.status_code == 200, resp.text
        assert resp.json().get("error") is None, resp.text
        data: Json = resp.json()["data"]
        return data

    def trade_orders(self, **body: Any) -> tuple[list[Json], int]:
        """Every page of the order list: (orders, the total each page reported)."""
        orders: list[Json] = []
        totals = set()
        for page in range(1, 100):
            data = self.ae("order/get-order-list", {"page": page, "page_size": 40, **body})
            totals.add(data["total_count"])
            orders += data["orders"]
            if len(data["orders"]) < 40:
                break
        assert len(totals) == 1, totals
        return orders, totals.pop()

    def logistic_orders(self, **body: Any) -> tuple[list[Json], int]:
        found: list[Json] = []
        totals = set()
        for page in range(1, 100):
            data = self.ae("logistic-order/get", {"page": page, "page_size": 50, **body})
            totals.add(data["page_info"]["total"])
            found += data["logistic_orders"]
            if len(data["logistic_orders"]) < 50:
                break
        assert len(totals) == 1, totals
        return found, totals.pop()

    def handover_lists(self, **body: Any) -> list[Json]:
        data = self.ae("handover-list/get-by-filter", {"page_number": 1, "page_size": 1000, **body})
        assert data["page_info"]["total"] == len(data["data_source"])
        lists: list[Json] = data["data_source"]
        return lists

    def lamoda(self, path: str, **params: Any) -> Json:
        if path.startswith("/api/v2/"):
            params = {"sellerId": self.seller_id, **params}
        resp = self.http.get(path, params=params, headers=self.bearer)
        assert resp.status_code == 200, resp.text
        check_documented(self.http, resp)
        body: Json = resp.json()
        return body

    def v1_orders(self, **params: Any) -> tuple[list[Json], int]:
        orders: list[Json] = []
        first = self.lamoda("/api/v1/orders", limit=50, **params)
        for page in range(1, first["pages"] + 1):
            body = first if page == 1 else self.lamoda("/api/v1/orders", limit=50, page=page, **params)
            assert body["total"] == first["total"] and body["pages"] == math.ceil(first["total"] / 50)
            orders += body["_embedded"]["orders"]
        return orders, first["total"]

    def v2_all(self, path: str, **params: Any) -> list[Json]:
        found: list[Json] = []
        for page in range(1, 1000):
            body = self.lamoda(path, limit=100, page=page, **params)
            found += body["data"]
            if page >= body["meta"]["totalPages"]:
                return found
        raise AssertionError("too many pages")


def sellers(seeded: Seeded) -> list[Seller]:
    return [Seller(seeded.server, t) for t in seeded.first]


# ---- AliExpress ------------------------------------------------------------------------------------


def test_aliexpress_orders_are_all_listed_newest_first_in_the_window(seeded: Seeded) -> None:
    now = datetime.fromisoformat(NOW)
    for seller in sellers(seeded):
        orders, total = seller.trade_orders()
        assert total == len(orders) == seller.tenant["orders"]["aliexpress"] == 150
        assert len({o["id"] for o in orders}) == total
        created = [datetime.fromisoformat(o["created_at"]) for o in orders]
        assert created == sorted(created, reverse=True)
        assert now - timedelta(days=30) <= min(created) and max(created) <= now
        for o in orders:
            assert datetime.fromisoformat(o["created_at"]) <= datetime.fromisoformat(o["updated_at"]) <= now


def test_aliexpress_status_groups_count_what_the_lists_hold(seeded: Seeded) -> None:
    for seller in sellers(seeded):
        everything, total = seller.logistic_orders()
        assert total == len(everything) and len({lo["logistic_order_id"] for lo in everything}) == total
        groups = Counter(lo["status"] for lo in everything)
        # Three months of a seller's life, squeezed into 30 days: most are delivered, some on the way.
        assert groups["DELIVERED"] > total / 2 and groups["DELIVERING"] > 0, groups
        for group in StatusGroup:
            found, counted = seller.logistic_orders(filter_status=group.value)
            assert counted == len(found) == groups[group.value], group
            assert all(lo["status"] == group.value for lo in found)
        orders, _ = seller.trade_orders()
        for field, filter_name in (
            ("status", "order_statuses"),
            ("delivery_status", "delivery_statuses"),
            ("payment_status", "payment_statuses"),
        ):
            for value, n in Counter(o[field] for o in orders).items():
                listed, counted = seller.trade_orders(**{filter_name: [value]})
                assert counted == len(listed) == n, (field, value)


def test_shipped_trade_orders_have_their_logistic_orders(seeded: Seeded) -> None:
    for seller in sellers(seeded):
        orders, _ = seller.trade_orders(trade_order_info="LogisticInfo")
        by_status = Counter(o["status"] for o in orders)
        assert by_status["Finished"] > 0 and by_status["InProgress"] > 0, by_status
        for o in orders:
            parcels = o["logistic_orders"]
            if o["status"] == "Created":
                assert parcels == [] and o["delivery_status"] == "Init"
            if o["delivery_status"] in ("Shipped", "Delivered"):
                assert parcels and all(lo["status"] in HANDED_OVER_NAMES for lo in parcels), o
                assert o["order_display_status"] in ("WaitAcceptGoods", "Finish")
            if o["status"] == "Finished":
                assert o["finish_reason"] == DELIVERED_FINISH_REASON
                assert all(lo["status"] == "ProviderPostingDelivered" for lo in parcels)
            if o["status"] == "Cancelled":
                assert o["payment_status"] == "Cancelled"
                assert all(lo["status"] == "Cancelled" for lo in parcels)
            ordered = Counter({line["sku_id"]: line["quantity"] for line in o["order_lines"]})
            held: Counter[str] = Counter()
            for lo in parcels:
                if lo["status"] != "Cancelled":
                    held.update({str(line["sku_id"]): line["quantity"] for line in lo["lines"]})
            assert not held or held == ordered, o  # a live parcel set holds every unit, never more
            assert o["fully_prepared"] == (held == ordered)
        tracked = [lo for o in orders for lo in o["logistic_orders"]]
        found, _ = seller.logistic_orders(tracking_numbers=[lo["track_number"] for lo in tracked[:100]])
        groups = {lo["platform_tracking_code"]: lo["status"] for lo in found}
        for lo in tracked[:100]:
            assert groups[lo["track_number"]] == GROUP_OF[LogisticStatus(lo["status"])].value


def test_handover_lists_hold_one_shipping_day_each(seeded: Seeded) -> None:
    for seller in sellers(seeded):
        lists = seller.handover_lists()
        assert lists and {h["status"] for h in lists} <= {"Created", "Transferred", "Accepted"}
        members: dict[int, Json] = {}
        for lo in seller.logistic_orders()[0]:
            if lo["handover_list_id"]:
                members[lo["logistic_order_id"]] = lo
        for h in lists:
            assert h["logistic_order_ids"], h  # a list is never empty
            days = {
                datetime.fromisoformat(members[i]["cut_off_date"]).astimezone(MOSCOW).date()
                for i in h["logistic_order_ids"]
            }
            assert len(days) == 1, h
            expected = "AWAITING_REPORT_AS_SHIP" if h["status"] == "Created" else None
            for i in h["logistic_order_ids"]:
                assert members[i]["handover_list_id"] == h["handover_list_id"]
                if expected:
                    assert members[i]["status"] == expected
                else:
                    assert members[i]["status"] in ("DELIVERING", "DELIVERED")
        assert sum(len(h["logistic_order_ids"]) for h in lists) == len(members)


# ---- Lamoda ----------------------------------------------------------------------------------------


def test_lamoda_lists_filter_count_and_page(seeded: Seeded) -> None:
    for seller in sellers(seeded):
        orders, total = seller.v1_orders()
        assert total == len(orders) == seller.tenant["orders"]["lamoda"] == 150
        assert len({o["orderNr"] for o in orders}) == total
        statuses = Counter(o["status"] for o in orders)
        assert statuses["Delivered"] > total / 2 and len(statuses) >= 4, statuses
        for status, n in statuses.items():
            assert seller.v1_orders(filter=f"status={status}")[1] == n, status
        created = sorted(datetime.fromisoformat(o["createdAt"]) for o in orders)
        middle = created[len(created) // 2].astimezone(MOSCOW)
        later = sum(1 for c in created if c >= middle)
        assert seller.v1_orders(filter=f"createdAt>={middle:%Y%m%d%H%M%S}")[1] == later
        fbs = seller.v2_all("/api/v2/orders", fulfillmentType="FBS")
        fbo = seller.v2_all("/api/v2/orders", fulfillmentType="FBO")
        assert fbs and fbo and len(fbs) + len(fbo) == total
        assert {o["fulfillmentType"] for o in fbs} == {"FBS"}


def test_lamoda_orders_read_back_whole(seeded: Seeded) -> None:
    """Details validate against the OpenAPI document; histories end in the order's status; packs,
    shipments and returns point at what exists."""
    for seller in sellers(seeded):
        orders = seller.v2_all("/api/v2/orders")
        by_status: dict[str, Json] = {}
        for o in orders:
            by_status.setdefault(o["status"], o)
        for o in by_status.values():
            seller.lamoda(f"/api/v1/orders/{o['orderNr']}")
            detail = seller.lamoda(f"/api/v2/orders/{o['id']}")["data"]
            assert detail == o
            history = seller.lamoda(f"/api/v2/orders/{o['id']}/status-history")["data"]
            assert history[-1]["status"] == o["status"]
            items = seller.lamoda(f"/api/v2/orders/{o['id']}/item-statuses")["data"]
            last = {line["itemId"]: line["status"] for line in items}
            for item in o["items"]:  # an item that never moved is in the status its order was placed in
                assert last.get(item["id"], history[0]["status"]) == item["status"]
        shipped = [o for o in orders if o["fulfillmentType"] == "FBS" and o["items"][0]["shipmentId"]]
        assert shipped
        shipment_ids = {i["shipmentId"] for o in shipped for i in o["items"]}
        for shipment_id in list(shipment_ids)[:3]:
            shipment = seller.lamoda(f"/api/v2/fbs/shipments/{shipment_id}")["data"]
            assert shipment["status"] in ("CREATED", "RECEIVED")
        returns = seller.v2_all("/api/v2/fbs/return-items")
        assert returns
        numbers = {o["orderNr"]: o for o in orders}
        for ret in returns:
            order = numbers[ret["orderId"]]
            assert order["fulfillmentType"] == "FBS"
            assert ret["orderItemId"] in {i["id"] for i in order["items"]}
        boxes = seller.v2_all("/api/v2/fbs/return-boxes")
        assert {b["id"] for b in boxes} == {r["boxId"] for r in returns if r["boxId"]}


# ---- determinism and what comes after -------------------------------------------------------------

# Ids, numbers built from them and seller-specific codes: everything else must repeat.
ID_KEYS = {
    "id", "trade_order_id", "track_number", "handover_list_id", "logistic_order_id", "logistic_order_ids",
    "platform_tracking_code", "orderId", "orderNr", "trackingId", "sellerId", "itemId", "orderItemId",
    "returnItemId", "boxId", "shipmentId", "packNumber", "packs", "packNumbers", "barcode", "sku",
    "lamodaSku", "parentSku", "code", "palletBarcode", "_links",
}  # fmt: skip
ORDER_NUMBER = re.compile(r"RU(\d{6})-\d{6}")


def normalized(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: normalized(v) for k, v in value.items() if k not in ID_KEYS}
    if isinstance(value, list):
        return [normalized(v) for v in value]
    if isinstance(value, str):
        return ORDER_NUMBER.sub(r"RU\1-#", value)
    return value


def everything(seller: Seller) -> Json:
    return normalized(
        {
            "trade_orders": seller.trade_orders(trade_order_info="LogisticInfo")[0],
            "logistic_orders": seller.logistic_orders()[0],
            "lists": seller.handover_lists(),
            "v1": seller.v1_orders()[0],
            "v2": seller.v2_all("/api/v2/orders"),
            "returns": seller.v2_all("/api/v2/fbs/return-items"),
            "boxes": seller.v2_all("/api/v2/fbs/return-boxes"),
            "shipments": seller.v2_all("/api/v2/fbs/shipments"),
            "nomenclature": seller.lamoda("/api/v1/nomenclatures", limit=100),
        }
    )


def test_the_same_seed_gives_the_same_answers(seeded: Seeded) -> None:
    first = [everything(Seller(seeded.server, t)) for t in seeded.first]
    again = [everything(Seller(seeded.server, t)) for t in seeded.again]
    assert [t["seller_id"] for t in seeded.first] != [t["seller_id"] for t in seeded.again]
    assert first == again
    assert first[0] != first[1]  # two sellers of one seed are different shops


def test_seeded_tenants_go_on_working(seeded: Seeded, tmp_path: Path) -> None:
    """New orders and parcels after the seed get the next ids, and the counters count them."""
    url = seeded.server.database_url
    [tenant] = run_seed(url, "--sellers", "1", "--orders", "60", "--seed", "5", "--now", NOW)
    seller = Seller(seeded.server, tenant)
    seeded_ids = [o["id"] for o in seller.trade_orders()[0]]
    waiting = seller.ae(
        "logistic-order/get", {"page": 1, "page_size": 1, "filter_status": "AWAITING_ADDING_TO_HANDOVER"}
    )
    resp = seller.http.post(
        f"/sandbox/tenants/{seller.seller_id}/aliexpress/orders",
        json={"lines": [{"sku_id": 77, "quantity": 1}]},
    )
    assert resp.status_code == 201, resp.text
    trade_id = resp.json()["trade_order_id"]
    assert trade_id > max(seeded_ids)
    created = seller.ae(
        "logistic-order/create",
        {
            "orders": [
                {
                    "trade_order_id": trade_id,
                    "total_length": 20,
                    "total_width": 10,
                    "total_height": 5,
                    "total_weight": 1.5,
                    "items": [{"sku_id": 77, "quantity": 1}],
                }
            ]
        },
    )
    assert created["orders"][0]["logistic_orders"]
    after = seller.ae(
        "logistic-order/get", {"page": 1, "page_size": 1, "filter_status": "AWAITING_ADDING_TO_HANDOVER"}
    )
    assert after["page_info"]["total"] == waiting["page_info"]["total"] + 1
    lamoda_before = seller.v2_all("/api/v2/orders")
    resp = seller.http.post(
        f"/sandbox/tenants/{seller.seller_id}/lamoda/orders",
        json={"items": [{"sku": "NEW-SKU", "quantity": 1}]},
    )
    assert resp.status_code == 201, resp.text
    assert seller.v1_orders()[1] == len(lamoda_before) + 1
    assert int(resp.json()["id"]) > max(int(o["id"]) for o in lamoda_before)
