"""Request bodies are capped (MARKETBOX_MAX_BODY_BYTES) before they are read (issue 10, item 6).

Without a cap four 100 MB bodies took 650 MB of memory. A declared length over the cap is refused
without reading a byte of the body; a chunked body is refused as soon as it passes the cap.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from marketbox.settings import DEFAULT_MAX_BODY_BYTES, Settings, SettingsError
from tests.httpapi.conftest import SMALL_LIMIT
from tests.httpapi.helpers import error_message
from tests.servers import RunningServer

# One body-taking operation of each API (the 413 comes before authentication).
PATHS = [
    ("/seller-api/v1/logistic-order/get", "/seller-api/v1/logistic-order/get"),
    ("/api/v1/orders/RU1/events", "/api/v1/orders/{id}/events"),
    ("/api/v2/auth-token", "/api/v2/auth-token"),
    ("/sandbox/tenants", "/sandbox/tenants"),
]


def test_the_default_limit_is_10_mib(http: httpx.Client) -> None:
    assert DEFAULT_MAX_BODY_BYTES == Settings().max_body_bytes == 10 * 1024 * 1024
    head = b'{"name": "at the limit", "padding": "'
    at_limit = head + b"x" * (DEFAULT_MAX_BODY_BYTES - len(head) - 2) + b'"}'
    assert len(at_limit) == DEFAULT_MAX_BODY_BYTES
    resp = http.post("/sandbox/tenants", content=at_limit, headers={"content-type": "application/json"})
    assert resp.status_code == 201, resp.text[:300]
    resp = http.post(
        "/sandbox/tenants", content=at_limit + b" ", headers={"content-type": "application/json"}
    )
    assert "larger than this server's limit of 10485760 bytes" in error_message(resp, 413)


@pytest.mark.parametrize(("path", "template"), PATHS, ids=[p for p, _ in PATHS])
def test_a_declared_length_over_the_limit_is_413_in_the_apis_body(
    configured: httpx.Client, path: str, template: str
) -> None:
    body = b'{"x": "' + b"y" * SMALL_LIMIT + b'"}'
    resp = configured.post(path, content=body, headers={"content-type": "application/json"})
    assert f"limit of {SMALL_LIMIT} bytes" in error_message(resp, 413)
    assert resp.headers["connection"] == "close"
    document = configured.get("/openapi.json").json()
    assert "413" in document["paths"][template]["post"]["responses"]


def test_a_declared_length_over_the_limit_is_refused_without_reading_the_body(
    configured_server: RunningServer,
) -> None:
    host, port = configured_server.base_url.removeprefix("http://").split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(
            b"POST /sandbox/tenants HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000000000\r\n\r\n{"
        )
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)  # a server waiting for the gigabyte never answers: socket.timeout
            assert chunk, answer
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413 "), answer
    assert time.monotonic() - started < 5


def test_a_chunked_body_is_refused_once_it_passes_the_limit(configured: httpx.Client) -> None:
    sent = 0

    def chunks() -> Iterator[bytes]:
        nonlocal sent
        yield b'{"name": "chunked", "padding": "'
        for _ in range(8):
            sent += 16 * 1024
            yield b"x" * 16 * 1024
        yield b'"}'

    resp = configured.post("/sandbox/tenants", content=chunks(), headers={"content-type": "application/json"})
    assert resp.request.headers.get("transfer-encoding") == "chunked"
    assert "content-length" not in resp.request.headers
    assert f"limit of {SMALL_LIMIT} bytes" in error_message(resp, 413)


def test_a_chunked_body_under_the_limit_is_served(configured: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"name": '
        yield b'"chunked"}'

    resp = configured.post("/sandbox/tenants", content=chunks(), headers={"content-type": "application/json"})
    assert resp.status_code == 201, resp.text


@pytest.mark.parametrize("value", ["abc", "0", "-1", "10MB", "1.5"])
def test_a_bad_limit_setting_is_refused(value: str) -> None:
    with pytest.raises(
        SettingsError, match=rf"^MARKETBOX_MAX_BODY_BYTES must be a positive integer, got '{value}'$"
    ):
        Settings.from_env({"MARKETBOX_MAX_BODY_BYTES": value})
