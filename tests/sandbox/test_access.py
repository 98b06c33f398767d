"""A shared deployment's sandbox: the admin token opens every path, a tenant's credentials its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from marketbox.cli import app
from tests.conftest import BACKENDS
from tests.databases import fresh_database
from tests.servers import running_server

ADMIN = "s3cret-admin-token"


@pytest.fixture(scope="module", params=BACKENDS)
def guarded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    backend: str = request.param
    folder: Path = tmp_path_factory.mktemp(f"guarded-{backend}")
    with fresh_database(backend, folder) as url, running_server(url, backend, admin_token=ADMIN) as srv:
        yield srv.base_url


def admin(base_url: str) -> httpx.Client:
    return httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {ADMIN}"}, timeout=30)


def test_without_the_admin_token_every_sandbox_path_is_401(guarded: str) -> None:
    with admin(guarded) as client:
        seller_id = client.post("/sandbox/tenants", json={"name": "Guarded"}).json()["seller_id"]
    calls = [
        ("POST", "/sandbox/tenants", {"name": "x"}),
        ("GET", "/sandbox/tenants", None),
        ("GET", f"/sandbox/tenants/{seller_id}", None),
        ("GET", f"/sandbox/tenants/{seller_id}/clock", None),
        ("POST", f"/sandbox/tenants/{seller_id}/clock/advance", {"seconds": 60}),
        ("GET", f"/sandbox/tenants/{seller_id}/webhooks/messages", None),
        ("DELETE", f"/sandbox/tenants/{seller_id}", None),
    ]
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {ADMIN}"}):
        with httpx.Client(base_url=guarded, headers=headers, timeout=30) as client:
            for method, path, body in calls:
                resp = client.request(method, path, json=body)
                assert resp.status_code == 401, (headers, method, path, resp.text)
                assert resp.json()["error"]["code"] == "Unauthorized"
                assert resp.headers["www-authenticate"].startswith("Bearer")
    with admin(guarded) as client:
        assert client.get(f"/sandbox/tenants/{seller_id}").status_code == 200  # nothing was deleted


def test_the_admin_token_opens_everything(guarded: str) -> None:
    with admin(guarded) as client:
        created = client.post("/sandbox/tenants", json={"name": "Admin's"})
        assert created.status_code == 201
        seller_id = created.json()["seller_id"]
        advanced = client.post(f"/sandbox/tenants/{seller_id}/clock/advance", json={"seconds": 1})
        assert advanced.status_code == 200
        assert seller_id in [t["seller_id"] for t in client.get("/sandbox/tenants").json()["tenants"]]


def test_a_tenants_own_credentials_open_its_paths_and_only_its_paths(guarded: str) -> None:
    with admin(guarded) as client:
        mine = client.post("/sandbox/tenants", json={"name": "Mine"}).json()
        theirs = client.post("/sandbox/tenants", json={"name": "Theirs"}).json()
    path = f"/sandbox/tenants/{mine['seller_id']}/clock"
    lamoda = (mine["lamoda"]["client_id"], mine["lamoda"]["client_secret"])
    with httpx.Client(base_url=guarded, timeout=30) as client:
        assert client.get(path, headers={"x-auth-token": mine["aliexpress"]["token"]}).status_code == 200
        assert client.get(path, auth=lamoda).status_code == 200
        # the same id with a zero fraction is the same tenant, to its credentials as to the route
        zero_fraction = f"/sandbox/tenants/{mine['seller_id']}.0/clock"
        assert client.get(zero_fraction, auth=lamoda).status_code == 200
        ordered = client.post(
            f"/sandbox/tenants/{mine['seller_id']}/aliexpress/orders",
            json={"lines": [{"sku_id": 1, "quantity": 1}]},
            headers={"x-auth-token": mine["aliexpress"]["token"]},
        )
        assert ordered.status_code == 201, ordered.text
        # ...but not another tenant's paths, nor the tenant list, nor creating tenants
        other = f"/sandbox/tenants/{theirs['seller_id']}/clock"
        assert client.get(other, headers={"x-auth-token": mine["aliexpress"]["token"]}).status_code == 401
        assert client.get(other, auth=lamoda).status_code == 401
        assert client.get("/sandbox/tenants", auth=lamoda).status_code == 401
        assert client.post("/sandbox/tenants", json={"name": "x"}, auth=lamoda).status_code == 401
        assert client.get(path, auth=(lamoda[0], "wrong")).status_code == 401


def test_the_marketplace_apis_are_not_behind_the_admin_token(guarded: str) -> None:
    with admin(guarded) as client:
        tenant = client.post("/sandbox/tenants", json={"name": "Seller"}).json()
    with httpx.Client(base_url=guarded, timeout=30) as client:
        resp = client.post(
            "/seller-api/v1/logistic-order/get",
            json={"page": 1, "page_size": 10},
            headers={"x-auth-token": tenant["aliexpress"]["token"]},
        )
        assert resp.status_code == 200, resp.text
        assert client.get("/healthz").status_code == 200


def test_the_command_line_sends_the_admin_token_from_the_environment(guarded: str) -> None:
    with admin(guarded) as client:
        seller_id = client.post("/sandbox/tenants", json={"name": "CLI"}).json()["seller_id"]
    args = ["webhooks", "messages", "--server", guarded, "--seller", str(seller_id), "--json"]
    refused = CliRunner().invoke(app, args, env={"MARKETBOX_ADMIN_TOKEN": ""})
    assert refused.exit_code == 1 and "401 Unauthorized" in refused.output
    allowed = CliRunner().invoke(app, args, env={"MARKETBOX_ADMIN_TOKEN": ADMIN})
    assert allowed.exit_code == 0, allowed.output
    assert allowed.output.strip() == "[]"
