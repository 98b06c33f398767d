"""Composition root: build the ASGI app from settings. Nothing is built at import time."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Mount, Route
from starlette.types import Scope

from marketbox import envelopes
from marketbox.dialects.aliexpress import routes as aliexpress
from marketbox.dialects.lamoda import auth_routes as lamoda_auth
from marketbox.dialects.lamoda import v1_routes as lamoda_v1
from marketbox.dialects.lamoda import v2_routes as lamoda_v2
from marketbox.documents import document_endpoint
from marketbox.health import health_endpoint
from marketbox.httpapi.guards import RequestGuard, own_origins
from marketbox.httpapi.openapi import docs_routes
from marketbox.httpapi.rate_limit import RateLimiter
from marketbox.httpapi.response_cache import ResponseCache
from marketbox.httpapi.routing import routes_of
from marketbox.sandbox import aliexpress_world_routes as sandbox_aliexpress_world
from marketbox.sandbox import fault_routes as sandbox_faults
from marketbox.sandbox import lamoda_world_routes as sandbox_lamoda_world
from marketbox.sandbox import routes as sandbox
from marketbox.sandbox import snapshot_routes as sandbox_snapshots
from marketbox.sandbox import webhook_routes as sandbox_webhooks
from marketbox.services import progression
from marketbox.services.faults import FaultInjector
from marketbox.services.tenant_directory import TenantDirectory
from marketbox.settings import Settings
from marketbox.store.database import Database
from marketbox.webhooks.worker import DeliveryWorker

_METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(app: Starlette, path: str) -> list[str]:
    """Every method routed on `path` (whichever route Starlette tried first)."""
    scope: Scope = {"type": "http", "method": "", "path": path, "root_path": ""}
    methods: set[str] = set()
    for route in app.router.routes:
        match, _ = route.matches(scope)
        if match is Match.NONE:
            continue
        if isinstance(route, Route):
            methods |= route.methods or set()
        elif isinstance(route, Mount):  # the static files of /docs
            methods |= {"GET", "HEAD"}
    return sorted(methods, key=lambda m: (_METHOD_ORDER.index(m) if m in _METHOD_ORDER else 99, m))


async def _http_error(request: Request, exc: Exception) -> Response:
    """Unknown paths, wrong methods and refused content types, in the envelope of the path's API."""
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(allowed_methods(request.app, request.url.path))
    message = f"{request.method} {request.url.path}: {exc.detail}"
    return envelopes.error_response(request.url.path, exc.status_code, message, headers=headers)


def delivery_worker(database: Database, settings: Settings) -> DeliveryWorker:
    return DeliveryWorker(
        database,
        schedule=settings.webhook_schedule,
        timeout=settings.webhook_timeout,
        lease=timedelta(seconds=settings.webhook_lease),
        allowed_networks=settings.webhook_allowed_networks,
    )


def create_app(settings: Settings | None = None, db: Database | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    database = db or Database(settings.database_url, pool_size=settings.db_pool_size)
    cache = ResponseCache(max_entries=settings.response_cache_entries)
    directory = TenantDirectory(database, enabled=settings.response_cache_entries > 0)
    lamoda_limiter = RateLimiter(settings.lamoda_rate_limit) if settings.lamoda_rate_limit > 0 else None
    faults = FaultInjector(database)
    endpoints = [
        *aliexpress.endpoints(database, directory, cache, faults),
        document_endpoint(database),
        *lamoda_auth.endpoints(database, faults),
        *lamoda_v1.endpoints(database, lamoda_limiter, faults),
        *lamoda_v2.endpoints(database, lamoda_limiter, faults),
        *sandbox.endpoints(database),
        *sandbox_snapshots.endpoints(database, settings.webhook_allowed_networks),
        *sandbox_aliexpress_world.endpoints(database),
        *sandbox_lamoda_world.endpoints(database),
        *sandbox_webhooks.endpoints(database, settings.webhook_allowed_networks),
        *sandbox_faults.endpoints(database),
        health_endpoint(database),
    ]

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        release = database.claim_sole_server()
        await directory.start()
        stop = asyncio.Event()
        delivering = None
        if settings.webhook_worker:
            worker = delivery_worker(database, settings)
            database.tenant_listeners.append(lambda _: worker.wake())
            delivering = asyncio.create_task(worker.run(stop), name="webhook-worker")
        progressing = asyncio.create_task(progression.run_until(database, stop), name="world-progression")
        try:
            yield
        finally:
            stop.set()
            await progressing
            if delivering is not None:
                await delivering
            await directory.stop()
            release()
            if db is None:
                await database.dispose()

    origins = own_origins(settings.base_url, settings.host, settings.port) | set(settings.allowed_origins)
    middleware = [
        Middleware(
            RequestGuard,
            render=envelopes.error_response,
            max_body_bytes=settings.max_body_bytes,
            origins=origins,
            cors_origins=settings.allowed_origins,
        )
    ]
    if settings.allowed_origins:
        # Pages of the configured origins get what a browser needs to read answers and send JSON.
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.allowed_origins),
                allow_methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
                allow_headers=["*"],
                expose_headers=["Retry-After", "Content-Disposition"],
            )
        )
    app = Starlette(
        routes=[*routes_of(endpoints), *docs_routes(endpoints)],
        exception_handlers={HTTPException: _http_error},
        middleware=middleware,
        lifespan=lifespan,
    )
    app.state.db = database
    app.state.settings = settings
    app.state.response_cache = cache
    return app
