"""The demo tenant is built once, and built again when it was deleted or left half-built."""

from __future__ import annotations

import asyncio
from pathlib import Path

from marketbox.services import tenants
from marketbox.services.demo import DEMO_SELLER_ID, OTHER_SELLER_ID, ensure_demo
from marketbox.store import logistic_orders as lo_store
from marketbox.store.database import Database
from tests.servers import migrate


def test_demo_is_built_once_and_rebuilt_after_deletion(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    migrate(url)

    async def scenario() -> None:
        db = Database(url)
        try:
            assert (await ensure_demo(db)).created
            assert not (await ensure_demo(db)).created
            await tenants.delete_tenant(db, DEMO_SELLER_ID)  # the other demo seller stays behind
            rebuilt = await ensure_demo(db)
            assert rebuilt.created and rebuilt.seller.id == DEMO_SELLER_ID
            async with db.read() as conn:
                found = await lo_store.get_any(conn, [1249390, 1113736, 88236])
            assert found[1249390].seller_id == DEMO_SELLER_ID
            assert found[88236].seller_id == DEMO_SELLER_ID
            assert found[1113736].seller_id == OTHER_SELLER_ID
        finally:
            await db.dispose()

    asyncio.run(scenario())
