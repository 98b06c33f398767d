"""A seller's Lamoda client as integration code would write one, plus the sandbox's world events."""

from __future__ import annotations

import itertools
import random
import re
from typing import Any

import httpx
import jsonschema

from tests.conftest import Tenant

_serials = itertools.count(1)
_documents: dict[str, tuple[dict[str, Any], list[tuple[re.Pattern[str], str]]]] = {}


def documented(http: httpx.Client) -> tuple[dict[str, Any], list[tuple[re.Pattern[str], str]]]:
    """The server's OpenAPI document and a matcher from concrete paths to its path templates."""
    key = str(http.base_url)
    if key not in _documents:
        document = http.get("/openapi.json").json()
        matchers = [
            (re.compile("^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(path)) + "$"), path)
            for path in document["paths"]
        ]
        _documents[key] = (document, matchers)
    return _documents[key]


def check_documented(http: httpx.Client, resp: httpx.Response) -> None:
    """The answer matches the schema the OpenAPI document gives for its path, method and status."""
    document, matchers = documented(http)
    path = resp.request.url.path
    template = next((t for rx, t in matchers if rx.match(path)), None)
    assert template is not None, f"{path} is not documented"
    operation = document["paths"][template][resp.request.method.lower()]
    answer = operation["responses"].get(str(resp.status_code))
    assert answer is not None, (
        f"{resp.request.method} {template}: status {resp.status_code} is not documented"
    )
    schema = answer["content"]["application/json"]["schema"]
    jsonschema.Draft202012Validator({**schema, "components": document["components"]}).validate(resp.json())


def gtin14(rng: random.Random) -> str:
    body = "0460" + "".join(str(rng.randrange(10)) for _ in range(9))
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


def datamatrix(rng: random.Random | None = None) -> str:
    """A well-formed Честный ЗНАК code: 01 + GTIN-14 (valid check digit) + 21 + a fresh serial."""
    rng = rng or random.Random()
    serial = f"{next(_serials):05d}" + "".join(rng.choice("ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(8))
    return f"01{gtin14(rng)}21{serial}"


class Lamoda:
    """Token handling, v1 and v2 calls (v2 adds `sellerId`), and sandbox world events for one tenant."""

    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant
        self.http: httpx.Client = tenant.http
        self.seller_id = tenant.seller_id
        self.token = self.new_token()

    def new_token(self) -> str:
        creds = self.tenant.body["lamoda"]
        resp = self.http.get(
            "/auth/token",
            params={
                "client_id": creds["client_id"],
                "client_secret": creds["client_secret"],
                "grant_type": "client_credentials",
            },
        )
        assert resp.status_code == 200, resp.text
        return str(resp.json()["access_token"])

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def v1_get(self, path: str, **params: Any) -> httpx.Response:
        return self.http.get(f"/api/v1/{path}", params=params, headers=self.headers)

    def v1_post(self, path: str, body: Any) -> httpx.Response:
        return self.http.post(f"/api/v1/{path}", json=body, headers=self.headers)

    def v2_get(self, path: str, **params: Any) -> httpx.Response:
        params.setdefault("sellerId", self.seller_id)
        return self.http.get(f"/api/v2/{path}", params=params, headers=self.headers)

    def v2_post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        return self.http.post(
            f"/api/v2/{path}", json={"sellerId": self.seller_id, **body}, headers=self.headers
        )

    # ---- the world ----

    def buyer_orders(self, *items: dict[str, Any], **extra: Any) -> dict[str, Any]:
        resp = self.http.post(
            f"/sandbox/tenants/{self.seller_id}/lamoda/orders", json={"items": list(items), **extra}
        )
        assert resp.status_code == 201, resp.text
        return dict(resp.json())

    def move(self, order_nr: str, item_id: int, status: str, reason: str | None = None) -> httpx.Response:
        body: dict[str, Any] = {"status": status}
        if reason is not None:
            body["reason"] = reason
        return self.http.post(
            f"/sandbox/tenants/{self.seller_id}/lamoda/orders/{order_nr}/items/{item_id}/status", json=body
        )

    def moved(self, order_nr: str, item_id: int, *statuses: str, reason: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {}
        for status in statuses:
            resp = self.move(order_nr, item_id, status, reason)
            assert resp.status_code == 200, resp.text
            body = resp.json()
        return body

    def supply_event(self, code: str, **body: Any) -> httpx.Response:
        return self.http.post(f"/sandbox/tenants/{self.seller_id}/lamoda/supplies/{code}/status", json=body)

    # ---- seller-side shortcuts ----

    def ready_to_ship(self, *items: dict[str, Any]) -> dict[str, Any]:
        """An order confirmed, assembled into one pack and given a pack number; returns v2 detail."""
        order = self.buyer_orders(*items)
        assert self.v1_post(f"orders/{order['order_nr']}/events", {"type": "confirm"}).status_code == 200
        item_ids = [i["id"] for i in order["items"]]
        resp = self.v2_post(f"orders/{order['id']}/assembly", {"packs": [{"itemIds": item_ids}]})
        assert resp.status_code == 200, resp.text
        resp = self.v2_post(f"orders/{order['id']}/packs", {"count": 1})
        assert resp.status_code == 200, resp.text
        detail = self.v2_get(f"orders/{order['id']}")
        assert detail.status_code == 200, detail.text
        return dict(detail.json()["data"])
