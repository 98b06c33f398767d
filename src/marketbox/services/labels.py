"""Label and handover-act documents: issued by URL, rendered to PDF when fetched."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from marketbox.domain.errors import InvalidInput, NotFound
from marketbox.domain.sellers import Seller
from marketbox.domain.shipping_dates import MOSCOW
from marketbox.labels import (
    ActLine,
    HandoverAct,
    ParcelLabel,
    render_handover_act,
    render_lamoda_labels,
    render_parcel_labels,
)
from marketbox.services import lamoda_shipping
from marketbox.services.handover_lists import owned_list
from marketbox.services.lamoda_shipping import LamodaLabels
from marketbox.services.logistic_orders import owned_logistic_order
from marketbox.store import handover_lists as hl_store
from marketbox.store import label_documents as doc_store
from marketbox.store import logistic_orders as lo_store
from marketbox.store import sellers as seller_store
from marketbox.store import trade_orders as to_store
from marketbox.store.database import Database

PARCEL_LABELS = "aliexpress_parcel_labels"
HANDOVER_ACT = "aliexpress_handover_act"
MAX_LABELS_PER_DOCUMENT = 100


async def issue_parcel_labels(db: Database, seller: Seller, lo_ids: Sequence[int]) -> str:
    ids = list(dict.fromkeys(lo_ids))
    if not ids:
        raise InvalidInput(
            "ErrorCode.ValidationError",
            "logistic_order_ids must not be empty",
            {"field": "logistic_order_ids"},
        )
    if len(ids) > MAX_LABELS_PER_DOCUMENT:
        raise InvalidInput(
            "ErrorCode.ValidationError",
            f"at most {MAX_LABELS_PER_DOCUMENT} logistic orders per label document",
            {"field": "logistic_order_ids"},
        )
    async with db.tenant_write(seller.id) as conn:
        for lo_id in ids:
            await owned_logistic_order(conn, seller, lo_id)
        return await doc_store.insert_document(conn, seller.id, PARCEL_LABELS, ids, seller.clock.now())


async def issue_handover_act(db: Database, seller: Seller, list_id: int) -> str:
    async with db.tenant_write(seller.id) as conn:
        await owned_list(conn, seller, list_id, editable=False)
        return await doc_store.insert_document(conn, seller.id, HANDOVER_ACT, [list_id], seller.clock.now())


@dataclass(frozen=True)
class RenderedDocument:
    filename: str
    pdf: bytes


async def _parcel_labels(
    db: Database, seller_name: str, seller_id: int, ids: Sequence[int]
) -> list[ParcelLabel]:
    async with db.read() as conn:
        orders = await lo_store.get_any(conn, list(ids))
        trade = await to_store.get_trade_orders(
            conn, seller_id, sorted({o.trade_order_id for o in orders.values()})
        )
    labels = []
    for lo_id in ids:
        order = orders.get(lo_id)
        if order is None or order.seller_id != seller_id or order.deleted_at is not None:
            continue  # deleted since the URL was issued: a deleted shipment gets no label
        t = trade[order.trade_order_id]
        labels.append(
            ParcelLabel(
                logistic_order_id=order.id,
                trade_order_id=order.trade_order_id,
                tracking_code=order.tracking_code,
                receiver_name=t.buyer_name,
                receiver_address=t.receiver_address.one_line(),
                receiver_zip=t.receiver_address.zip_code,
                items_count=order.items_count,
                weight_kg=order.total_weight,
                cut_off_date=order.cut_off_date.astimezone(MOSCOW),  # printed in post-office time
                seller_name=seller_name,
            )
        )
    return labels


Content = Sequence[ParcelLabel] | HandoverAct | LamodaLabels


async def render_document(db: Database, token: str) -> tuple[str, Content]:
    """Load what a document shows; rendering itself is CPU work the caller runs off the event loop."""
    async with db.read() as conn:
        document = await doc_store.get_document(conn, token)
        seller = await seller_store.get_seller(conn, document.seller_id) if document else None
    if document is None or seller is None:
        raise NotFound("ErrorCode.DocumentNotFound", "no such document")
    if document.kind.startswith("lamoda_"):
        content = await lamoda_shipping.label_content(db, seller, document.kind, document.subject_ids)
        return f"lamoda-labels-{token[:8]}.pdf", content
    ids = [int(i) for i in document.subject_ids]
    if document.kind == PARCEL_LABELS:
        labels = await _parcel_labels(db, seller.name, seller.id, ids)
        if not labels:
            raise NotFound(
                "ErrorCode.DocumentNotFound", "the logistic orders of this document no longer exist"
            )
        return f"labels-{token[:8]}.pdf", labels
    list_id = ids[0]
    async with db.read() as conn:
        handover = await hl_store.get_any(conn, list_id)
        members = await lo_store.in_handover_lists(conn, [list_id])
    if handover is None:
        raise NotFound("ErrorCode.DocumentNotFound", "the handover list of this document no longer exists")
    act = HandoverAct(
        handover_list_id=handover.id,
        seller_name=seller.name,
        created_at=handover.gmt_create,
        arrival_date=handover.arrival_date,
        status=handover.status.value,
        lines=tuple(
            ActLine(o.id, o.trade_order_id, o.tracking_code, o.items_count, o.total_weight) for o in members
        ),
    )
    return f"handover-list-{handover.id}.pdf", act


def render_pdf(content: Content) -> bytes:
    if isinstance(content, LamodaLabels):
        return render_lamoda_labels(content.labels, content.size)
    if isinstance(content, HandoverAct):
        return render_handover_act(content)
    return render_parcel_labels(content)
