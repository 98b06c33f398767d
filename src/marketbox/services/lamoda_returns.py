"""FBS returns: opened when an item comes back, boxed when sent back, confirmed by the seller."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy.ext.asyncio import AsyncConnection

from marketbox.domain.errors import Conflict, NotFound
from marketbox.domain.lamoda_orders import ItemStatus, Order
from marketbox.domain.lamoda_returns import (
    RETURN_TYPE_BY_STATUS,
    BoxStatus,
    ReturnBox,
    ReturnItem,
    ReturnStatus,
)
from marketbox.domain.sellers import Seller
from marketbox.domain.shipping_dates import MOSCOW
from marketbox.store import lamoda_returns as store
from marketbox.store.database import Database


async def open_return(
    conn: AsyncConnection, order: Order, item_id: int, status: ItemStatus, reason: str | None, now: datetime
) -> None:
    await store.insert_return(
        conn, order.seller_id, order.id, item_id, RETURN_TYPE_BY_STATUS[status], reason, now
    )


async def send_back(conn: AsyncConnection, seller_id: int, item_id: int, now: datetime) -> None:
    """The item leaves for the seller in the day's return box (one open box per seller and Moscow day)."""
    item = await store.open_return_of_item(conn, item_id)
    if item is None:
        return
    day_start = datetime.combine(now.astimezone(MOSCOW).date(), time(0), MOSCOW)
    box = await store.open_box_since(conn, seller_id, day_start) or await store.insert_box(
        conn, seller_id, now
    )
    await store.set_return_status(conn, item, ReturnStatus.SENT_TO_SELLER, now, box.id)


async def return_page(db: Database, query: store.ReturnQuery) -> tuple[list[ReturnItem], int]:
    async with db.read() as conn:
        return await store.return_page(conn, query)


async def get_return(db: Database, seller: Seller, return_id: int) -> ReturnItem:
    async with db.read() as conn:
        item = await store.get_return(conn, seller.id, return_id)
    if item is None:
        raise NotFound("return_not_found", f"return item {return_id} not found")
    return item


async def box_page(
    db: Database, seller: Seller, page: int, limit: int
) -> tuple[list[ReturnBox], int, dict[int, int]]:
    async with db.read() as conn:
        boxes, total = await store.box_page(conn, seller.id, page, limit)
        counts = await store.box_counts(conn, [b.id for b in boxes])
    return boxes, total, counts


async def get_box(db: Database, seller: Seller, box_id: int) -> tuple[ReturnBox, list[ReturnItem]]:
    async with db.read() as conn:
        box = await store.get_box(conn, seller.id, box_id)
        if box is None:
            raise NotFound("box_not_found", f"return box {box_id} not found")
        items, _ = await store.return_page(conn, store.ReturnQuery(seller.id, box_id=box_id, limit=10_000))
    return box, items


async def confirm_box(db: Database, seller: Seller, box_id: int) -> tuple[ReturnBox, list[ReturnItem]]:
    """The seller confirms it received a return box: the box and its items are accepted."""
    async with db.tenant_write(seller.id) as conn:
        box = await store.get_box(conn, seller.id, box_id)
        if box is None:
            raise NotFound("box_not_found", f"return box {box_id} not found")
        if box.status == BoxStatus.ACCEPTED_BY_SELLER:
            raise Conflict("already_confirmed", f"return box {box_id} was already confirmed")
        now = seller.clock.now()
        items, _ = await store.return_page(conn, store.ReturnQuery(seller.id, box_id=box_id, limit=10_000))
        for item in items:
            await store.set_return_status(conn, item, ReturnStatus.ACCEPTED_BY_SELLER, now)
        await store.set_box_status(conn, box_id, BoxStatus.ACCEPTED_BY_SELLER, now)
        confirmed = await store.get_box(conn, seller.id, box_id)
        assert confirmed is not None
        items, _ = await store.return_page(conn, store.ReturnQuery(seller.id, box_id=box_id, limit=10_000))
        return confirmed, items
