"""Label and document URLs start with the server's public URL, whatever `Host` a request names
(issue 10, item 7): `Host: attacker.invalid` used to yield an attacker.invalid link."""

from __future__ import annotations

import re

import httpx
import pytest

from marketbox.settings import Settings, SettingsError
from tests.conftest import Tenant, new_tenant
from tests.dialects.lamoda.helpers import Lamoda
from tests.httpapi.conftest import PUBLIC_URL
from tests.servers import RunningServer

HOSTILE = {
    "Host": "attacker.invalid",
    "X-Forwarded-Host": "attacker.invalid",
    "Forwarded": "host=attacker.invalid",
}


def label_urls(tenant: Tenant) -> list[str]:
    """An AliExpress shipping label, handover act and Lamoda item label, asked for with a hostile Host."""
    order = tenant.order({"sku_id": 424242, "quantity": 1, "jewelry": False})
    [lo_id] = tenant.ship(order)
    headers = {"x-auth-token": tenant.token, **HOSTILE}
    resp = tenant.http.post(
        "/seller-api/v1/labels/orders/get", json={"logistic_order_ids": [lo_id]}, headers=headers
    )
    assert resp.status_code == 200, resp.text
    urls = [resp.json()["data"]["label_url"]]

    lamoda = Lamoda(tenant)
    placed = lamoda.buyer_orders({"sku": "LABEL-1"})
    resp = tenant.http.post(
        "/api/v2/labels/order-items",
        json={"sellerId": tenant.seller_id, "items": [i["id"] for i in placed["items"]]},
        headers={**lamoda.headers, **HOSTILE},
    )
    assert resp.status_code == 200, resp.text
    urls.append(resp.json()["data"]["fileUrl"])
    return urls


def test_a_hostile_host_header_does_not_reach_label_urls(server: RunningServer) -> None:
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        for url in label_urls(new_tenant(http)):
            assert re.fullmatch(re.escape(server.base_url) + r"/documents/[0-9a-f]{32}", url), url
            assert http.get(url).status_code == 200


def test_label_urls_start_with_the_configured_public_url(configured: httpx.Client) -> None:
    for url in label_urls(new_tenant(configured)):
        assert re.fullmatch(re.escape(PUBLIC_URL) + r"/documents/[0-9a-f]{32}", url), url
        resp = configured.get(url.removeprefix(PUBLIC_URL))  # behind its proxy the path is the same
        assert resp.status_code == 200
        assert resp.headers["content-type"] == "application/pdf"


@pytest.mark.parametrize(
    ("settings", "base_url"),
    [
        (Settings(host="127.0.0.1", port=8000), "http://127.0.0.1:8000"),
        (Settings(host="0.0.0.0", port=9400), "http://127.0.0.1:9400"),
        (Settings(host="::1", port=9400), "http://[::1]:9400"),
        (Settings(host="marketbox.lan", port=80), "http://marketbox.lan:80"),
        (Settings(public_url="https://mbx.example/base/"), "https://mbx.example/base"),
    ],
)
def test_the_base_url_is_the_public_url_or_the_bound_address(settings: Settings, base_url: str) -> None:
    assert settings.base_url == base_url


@pytest.mark.parametrize(
    "value", ["mbx.example", "ftp://mbx.example", "https://", "https://mbx.example/?a=1"]
)
def test_a_public_url_that_is_not_an_http_url_is_refused(value: str) -> None:
    with pytest.raises(SettingsError, match=r"^MARKETBOX_PUBLIC_URL must be an http\(s\) URL"):
        Settings.from_env({"MARKETBOX_PUBLIC_URL": value})
