"""Every 405 says which methods the path has, in `Allow`, in the API's own body (issue 10, item 7)."""

from __future__ import annotations

import httpx

from tests.conftest import Tenant
from tests.httpapi.helpers import METHODS, Caller, error_message

CANDIDATES = ("PATCH", "PUT", "DELETE", "POST", "GET")


def test_every_documented_path_answers_a_wrong_method_with_405_and_its_allow_header(
    http: httpx.Client, tenant: Tenant
) -> None:
    caller = Caller(tenant)
    paths = http.get("/openapi.json").json()["paths"]
    failures = []
    for template in paths:
        path = caller.path(template)
        # A literal path wins over a parameter (`/sandbox/tenants/import` is not tenant "import"):
        # each path answers with its own methods only.
        documented = {m.upper() for m in paths[template] if m in METHODS}
        expected = documented | ({"HEAD"} if "GET" in documented else set())
        method = next(m for m in CANDIDATES if m not in documented)
        resp = http.request(method, path, headers=caller.headers)
        try:
            error_message(resp, 405)
            assert "allow" in resp.headers, f"{method} {template}: 405 without Allow"
            allowed = {m.strip() for m in resp.headers["allow"].split(",")}
            assert allowed == expected, f"{method} {template}: Allow {allowed}, routed {expected}"
        except AssertionError as exc:
            failures.append(str(exc))
    assert not failures, "\n".join(failures)


def test_paths_outside_the_document_say_their_methods_too(http: httpx.Client) -> None:
    for path, allowed in (("/openapi.json", "GET, HEAD"), ("/docs", "GET, HEAD"), ("/healthz", "GET, HEAD")):
        resp = http.post(path, json={})
        assert resp.status_code == 405, path
        assert resp.headers["allow"] == allowed, path
        assert resp.json()["error"]["code"] == "MethodNotAllowed"
    resp = http.post("/docs/static/swagger-ui.css")
    assert resp.status_code == 405
    assert resp.headers["allow"] == "GET, HEAD"


def test_a_literal_path_is_not_taken_for_a_parameter(http: httpx.Client, tenant: Tenant) -> None:
    caller = Caller(tenant)
    for method, path, allow in (
        ("GET", "/sandbox/tenants/import", "POST"),
        ("DELETE", "/sandbox/tenants/import", "POST"),
        ("OPTIONS", "/sandbox/tenants/import", "POST"),
        ("DELETE", f"/sandbox/tenants/{tenant.seller_id}/webhooks/resend", "POST"),
    ):
        resp = http.request(method, path, headers=caller.headers)
        error_message(resp, 405)
        assert resp.headers["allow"] == allow, (method, path)
    # the parameter route still serves every other value
    assert http.get(f"/sandbox/tenants/{tenant.seller_id}", headers=caller.headers).status_code == 200
