"""Every 405 says which methods the path has, in `Allow`, in the API's own body (issue 10, item 7)."""

from __future__ import annotations

import re

import httpx

from tests.conftest import Tenant
from tests.httpapi.helpers import METHODS, Caller, error_message

CANDIDATES = ("PATCH", "PUT", "DELETE", "POST", "GET")


def test_every_documented_path_answers_a_wrong_method_with_405_and_its_allow_header(
    http: httpx.Client, tenant: Tenant
) -> None:
    caller = Caller(tenant)
    paths = http.get("/openapi.json").json()["paths"]
    templates = [(re.compile("^" + re.sub(r"\\{\w+\\}", "[^/]+", re.escape(t)) + "$"), t) for t in paths]
    failures = []
    for template in paths:
        path = caller.path(template)
        # `/sandbox/tenants/import` is also `/sandbox/tenants/{seller_id}`: both routes' methods are allowed
        documented = {m.upper() for rx, t in templates if rx.match(path) for m in paths[t] if m in METHODS}
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
