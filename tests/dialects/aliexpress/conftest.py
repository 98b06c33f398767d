"""Fixtures of the AliExpress dialect tests: the demo tenant that replays the seed's examples."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest

from marketbox.services.demo import DEMO_SELLER_ID, ensure_demo
from marketbox.store.database import Database
from tests.servers import RunningServer


@dataclass(frozen=True)
class DemoTenant:
    seller_id: int
    token: str


@pytest.fixture(scope="session")
def demo(server: RunningServer) -> DemoTenant:
    """The demo seller (1042630114) in the server's database; `ensure_demo` is idempotent."""

    async def run() -> DemoTenant:
        db = Database(server.database_url)
        try:
            result = await ensure_demo(db)
        finally:
            await db.dispose()
        return DemoTenant(result.seller.id, result.credentials.aliexpress_token)

    tenant = asyncio.run(run())
    assert tenant.seller_id == DEMO_SELLER_ID == 1042630114
    return tenant
