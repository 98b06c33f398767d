"""Composition root: build the ASGI app from settings. Nothing is built at import time."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from marketbox.dialects.aliexpress import routes as aliexpress
from marketbox.dialects.aliexpress.errors import error_response
from marketbox.dialects.lamoda import auth_routes as lamoda_auth
from marketbox.dialects.lamoda import v1_routes as lamoda_v1
from marketbox.dialects.lamoda import v2_routes as lamoda_v2
from marketbox.dialects.lamoda.errors import v1_error, v2_error
from marketbox.documents import document_endpoint
from marketbox.httpapi.endpoints import json_response
from marketbox.httpapi.openapi import docs_routes
from marketbox.httpapi.rate_limit import RateLimiter
from marketbox.httpapi.response_cache import ResponseCache
from marketbox.sandbox import aliexpress_world_routes as sandbox_aliexpress_world
from marketbox.sandbox import fault_routes as sandbox_faults
from marketbox.sandbox import lamoda_world_routes as sandbox_lamoda_world
from marketbox.sandbox import routes as sandbox
from marketbox.sandbox import snapshot_routes as sandbox_snapshots
from marketbox.sandbox import webhook_routes as sandbox_webhooks
from marketbox.sandbox.routes import sandbox_error
from marketbox.services import progression
from marketbox.services.faults import FaultInjector
from marketbox.services.tenant_directory import TenantDirectory
from marketbox.settings import Settings
from marketbox.store.database import Database
from marketbox.webhooks.worker import DeliveryWorker


async def _http_error(request: Request, exc: Exception) -> Response:
    """Unknown paths and wrong methods answer in the envelope of the API the path belongs to."""
    assert isinstance(exc, HTTPException)
    path = request.url.path
    code = {404: "ErrorCode.NotFound", 405: "ErrorCode.MethodNotAllowed"}.get(
        exc.status_code, "ErrorCode.HttpError"
    )
    message = f"{request.method} {path}: {exc.detail}"
    if path.startswith(aliexpress.PREFIX):
        return error_response(exc.status_code, code, message)
    headers = dict(exc.headers or {})  # a 405 says which methods are allowed
    if path.startswith(("/api/v1/", "/auth/token")) or path.rstrip("/") == "/api/v1":
        return v1_error(exc.status_code, message, headers=headers)
    if path.startswith("/api/v2/") or path.rstrip("/") == "/api/v2":
        return v2_error(exc.status_code, message, headers=headers)
    if path.startswith("/sandbox"):
        return sandbox_error(exc.status_code, code.removeprefix("ErrorCode."), message)
    return json_response(
        {"error": {"code": code.removeprefix("ErrorCode."), "message": message}}, exc.status_code
    )


def delivery_worker(database: Database, settings: Settings) -> DeliveryWorker:
    return DeliveryWorker(
        database,
        schedule=settings.webhook_schedule,
        timeout=settings.webhook_timeout,
        lease=timedelta(seconds=settings.webhook_lease),
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
        *sandbox_snapshots.endpoints(database),
        *sandbox_aliexpress_world.endpoints(database),
        *sandbox_lamoda_world.endpoints(database),
        *sandbox_webhooks.endpoints(database, settings.webhook_allowed_networks),
        *sandbox_faults.endpoints(database),
    ]

    async def health(_: Request) -> Response:
        return json_response({"status": "ok"})

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

    app = Starlette(
        routes=[
            *(ep.route() for ep in endpoints),
            Route("/healthz", health, methods=["GET"]),
            *docs_routes(endpoints),
        ],
        exception_handlers={HTTPException: _http_error},
        lifespan=lifespan,
    )
    app.state.db = database
    app.state.settings = settings
    app.state.response_cache = cache
    return app
