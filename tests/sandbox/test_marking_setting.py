"""A tenant's marking setting: may its marked items ship (FBS) without their DataMatrix code? Read and set
through the sandbox API and `marketbox tenants marking`; kept by a reset and by export/import."""

from __future__ import annotations

import httpx
from typer.testing import CliRunner

from marketbox.cli import app
from tests.conftest import Tenant, new_tenant
from tests.dialects.lamoda.helpers import check_documented
from tests.servers import RunningServer

runner = CliRunner()


def marking(http: httpx.Client, seller_id: int | str, body: object = None) -> httpx.Response:
    path = f"/sandbox/tenants/{seller_id}/marking"
    resp = http.get(path) if body is None else http.put(path, json=body)
    check_documented(http, resp)
    return resp


def test_the_setting_is_lenient_until_set(http: httpx.Client, tenant: Tenant) -> None:
    assert marking(http, tenant.seller_id).json() == {"mode": "lenient"}
    assert marking(http, tenant.seller_id, {"mode": "strict"}).json() == {"mode": "strict"}
    assert marking(http, tenant.seller_id).json() == {"mode": "strict"}
    other = new_tenant(http, "Bystander")
    assert marking(http, other.seller_id).json() == {"mode": "lenient"}  # per tenant
    assert marking(http, tenant.seller_id, {"mode": "lenient"}).json() == {"mode": "lenient"}


def test_bad_settings_are_refused_in_the_sandbox_envelope(http: httpx.Client, tenant: Tenant) -> None:
    for body, code, field in [
        ({"mode": "loose"}, "invalid_marking", "mode"),
        ({"mode": ""}, "invalid_marking", "mode"),
        ({"mode": 1}, "ValidationError", "mode"),
        ({}, "ValidationError", "mode"),
        ({"mode": "strict", "extra": 1}, "ValidationError", None),
    ]:
        resp = marking(http, tenant.seller_id, body)
        assert resp.status_code == 400, resp.text
        error = resp.json()["error"]
        assert error["code"] == code, error
        if field is not None:
            assert error["details"]["field"] == field, error
    assert marking(http, tenant.seller_id).json() == {"mode": "lenient"}
    assert marking(http, 999_999_999).status_code == 404
    assert marking(http, 999_999_999, {"mode": "strict"}).status_code == 404


def test_reset_and_export_import_keep_the_setting(http: httpx.Client, tenant: Tenant) -> None:
    sid = tenant.seller_id
    marking(http, sid, {"mode": "strict"})
    assert http.post(f"/sandbox/tenants/{sid}/reset").status_code == 200
    assert marking(http, sid).json() == {"mode": "strict"}
    doc = http.get(f"/sandbox/tenants/{sid}/export").json()
    assert doc["tables"]["sellers"][0]["marking"] == "strict"
    assert http.delete(f"/sandbox/tenants/{sid}").status_code == 204
    assert http.post("/sandbox/tenants/import", json=doc).status_code == 201
    assert marking(http, sid).json() == {"mode": "strict"}


def test_the_cli_shows_and_sets_the_setting(server: RunningServer, tenant: Tenant) -> None:
    at = ["--server", server.base_url]
    shown = runner.invoke(app, ["tenants", "marking", str(tenant.seller_id), *at])
    assert shown.exit_code == 0 and shown.output.strip() == "lenient"
    changed = runner.invoke(app, ["tenants", "marking", str(tenant.seller_id), "strict", *at])
    assert changed.exit_code == 0 and changed.output.strip() == "strict"
    refused = runner.invoke(app, ["tenants", "marking", str(tenant.seller_id), "loose", *at])
    assert refused.exit_code == 1 and "invalid_marking" in refused.output
    with httpx.Client(base_url=server.base_url) as http:
        assert marking(http, tenant.seller_id).json() == {"mode": "strict"}
