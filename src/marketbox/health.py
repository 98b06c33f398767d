"""`GET /healthz`: 200 when this process can use its database, 503 with the reason when it cannot."""

from __future__ import annotations

import asyncio
import logging

import msgspec
from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import Response

from marketbox.httpapi.endpoints import Endpoint, json_response
from marketbox.store.database import Database

log = logging.getLogger(__name__)
TIMEOUT = 5.0  # seconds; a load balancer's probe gives up soon after


class Health(msgspec.Struct, omit_defaults=True):
    status: str  # "ok" or "unavailable"
    reason: str | None = None  # why not, when unavailable


async def check_database(db: Database, limit: float = TIMEOUT) -> str | None:
    """None when a query answers within `limit` seconds; otherwise why not, in one line."""
    try:
        async with asyncio.timeout(limit), db.autocommit() as conn:
            await conn.execute(text("SELECT 1"))
    except TimeoutError:
        return f"the database did not answer within {limit:g} s"
    except Exception as exc:  # whatever the driver raises, the answer is the same 503
        first_line = (str(exc).strip().splitlines() or [""])[0][:300]
        return f"{exc.__class__.__name__}: {first_line}" if first_line else exc.__class__.__name__
    return None


def health_endpoint(db: Database) -> Endpoint:
    async def health(_: Request) -> Response:
        problem = await check_database(db)
        if problem is not None:
            log.warning("health check failed: %s", problem)
            return json_response(Health("unavailable", f"database unreachable: {problem}"), 503)
        return json_response(Health("ok"))

    return Endpoint(
        method="GET",
        path="/healthz",
        handler=health,
        summary="Is this server up, and can it use its database? (200, or 503 with the reason)",
        tag="Service",
        responses={200: Health, 503: Health},
    )
