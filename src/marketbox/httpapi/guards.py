"""What every request passes before it is routed: its parameters, its origin and its body size.

One ASGI middleware, so no endpoint can forget a check:

* a path or query parameter holding NUL, or percent-encoded bytes that are not UTF-8, is a 400
  (PostgreSQL cannot store or even compare text holding NUL; no marketplace value contains it);
* a browser request from a foreign web origin (`Origin` header) to the sandbox API, or a
  state-changing one anywhere, is a 403: otherwise any page a developer opens could drive a local
  marketbox with "simple" requests a browser sends without asking (no preflight);
* a body over the size limit is a 413, refused from `Content-Length` without reading it, or as
  soon as a chunked body passes the limit.

Bodies are read here, whole, before the app runs (every endpoint reads its body whole anyway).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Protocol
from urllib.parse import unquote_to_bytes, urlsplit

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from marketbox.settings import normalize_origin

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "0.0.0.0", "::", ""})


class Render(Protocol):
    """An error answered for `path` in the body of the API the path belongs to."""

    def __call__(
        self, path: str, status: int, message: str, *, field: str = "", headers: dict[str, str] | None = None
    ) -> Response: ...


def guard_statuses(method: str, path: str, *, has_body: bool, has_params: bool) -> list[int]:
    """The statuses RequestGuard (and `json_body`, for 415) may answer for an operation (its OpenAPI)."""
    statuses = []
    if has_body or has_params:
        statuses.append(400)
    if path.startswith("/sandbox") or method.upper() not in SAFE_METHODS:
        statuses.append(403)
    if has_body:
        statuses += [413, 415]
    return statuses


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    origin = normalize_origin(f"{parts.scheme}://{parts.netloc}")
    if origin is None:
        raise ValueError(f"{url!r} has no web origin")
    return origin


def own_origins(base_url: str, host: str, port: int) -> set[str]:
    """The server's own origin (its public URL's), and its loopback names when it listens on loopback
    (Swagger UI at /docs may be opened as http://localhost:8000 as well as http://127.0.0.1:8000)."""
    origins = {origin_of(base_url)}
    if host in LOOPBACK_HOSTS:
        origins |= {f"http://{name}:{port}" for name in ("127.0.0.1", "localhost", "[::1]")}
    return origins


class RequestGuard:
    def __init__(
        self,
        app: ASGIApp,
        *,
        render: Render,
        max_body_bytes: int,
        origins: Iterable[str],
        cors_origins: Iterable[str] = (),
    ) -> None:
        self.app = app
        self.render = render
        self.max_body_bytes = max_body_bytes
        self.origins: Collection[str] = frozenset(origins)
        # Configured origins get CORS headers from CORSMiddleware, inside this guard; on its own
        # refusals the guard adds them, so that such a page can read why it was refused.
        self.cors_origins: Collection[str] = frozenset(cors_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        refused = self._refuse_parameters(scope) or self._refuse_origin(scope, origin)
        declared = (headers.get("content-length") or "").strip()
        if refused is None and declared.isdigit() and int(declared) > self.max_body_bytes:
            refused = self._too_large(path)
        if refused is not None:
            await self._readable_by(refused, origin)(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client is gone: no one to answer
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                await self._readable_by(self._too_large(path), origin)(scope, receive, send)
                return
            if chunk:
                chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        del chunks
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()  # what comes after the body: a disconnect
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    def _readable_by(self, response: Response, origin: str | None) -> Response:
        if origin is not None and normalize_origin(origin) in self.cors_origins:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Vary"] = "Origin"
        return response

    def _too_large(self, path: str) -> Response:
        # The rest of the body is never read, so the connection cannot carry another request.
        return self.render(
            path,
            413,
            f"the request body is larger than this server's limit of {self.max_body_bytes} bytes "
            "(MARKETBOX_MAX_BODY_BYTES)",
            headers={"Connection": "close"},
        )

    def _refuse_parameters(self, scope: Scope) -> Response | None:
        path: str = scope["path"]
        raw_path: bytes | None = scope.get("raw_path")
        if raw_path is not None:
            problem = _problem(unquote_to_bytes(raw_path.split(b"?", 1)[0]))
        else:  # servers that give only the decoded path
            problem = _text_problem(path)
        if problem:
            return self.render(path, 400, f"the path {problem}")
        for pair in scope.get("query_string", b"").split(b"&"):
            name, _, value = pair.partition(b"=")
            name_bytes = unquote_to_bytes(name.replace(b"+", b" "))
            problem = _problem(name_bytes) or _problem(unquote_to_bytes(value.replace(b"+", b" ")))
            if problem:
                field = name_bytes.decode("utf-8", "replace").replace("\x00", "\\x00")[:60]
                return self.render(path, 400, f"{field} {problem}", field=field)
        return None

    def _refuse_origin(self, scope: Scope, origin: str | None) -> Response | None:
        if origin is None:
            return None  # not a browser (curl, SDKs, tests), or a same-origin read
        path: str = scope["path"]
        if scope["method"] in SAFE_METHODS and not (path == "/sandbox" or path.startswith("/sandbox/")):
            return None
        if normalize_origin(origin) in self.origins:
            return None
        return self.render(
            path,
            403,
            f"cross-origin request from {origin[:100]!r} refused: only this server's own pages and the "
            "origins in MARKETBOX_ALLOWED_ORIGINS may call it from a browser",
        )


def _problem(raw: bytes) -> str | None:
    """Why a percent-decoded path or parameter cannot be used, or None."""
    if b"\x00" in raw:
        return "must not contain NUL characters"
    try:
        raw.decode("utf-8")  # strict: also refuses encoded surrogates
    except UnicodeDecodeError:
        return "must be valid UTF-8 when percent-decoded"
    return None


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return "must not contain NUL characters"
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        return "must be valid UTF-8 when percent-decoded"
    return None


__all__ = ["Render", "RequestGuard", "guard_statuses", "own_origins"]
