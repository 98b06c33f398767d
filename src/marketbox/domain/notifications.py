"""Lamoda notifications (webhooks): which changes notify, what the payloads hold, how deliveries retry.

Payload shapes follow Lamoda's published examples: `type`, `trackingId` (the order number without
its prefix), `items[{id, sku, status, ...}]`, a `date` and a per-order `sequenceNumber`.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from marketbox.domain.lamoda_orders import (
    RETURN_STATUSES,
    RETURNS_MOVED_TO_V2,
    ItemStatus,
    Order,
    v1_visible_status,
)
from marketbox.domain.lamoda_shipments import Shipment
from marketbox.domain.lamoda_supplies import Supply
from marketbox.domain.shipping_dates import MOSCOW


class NotificationType(StrEnum):
    STATUS_CHANGED = "statusChanged"
    ITEM_STATUS_CHANGED = "itemStatusChanged"
    FULFILMENT_SHIPMENT_STATUS_CHANGED = "fulfilmentShipmentStatusChanged"


class MessageStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"  # every attempt failed, or the endpoint said 410 Gone


class EndpointState(StrEnum):
    """Lamoda's cabinet vocabulary for a webhook URL, plus `disabled` (it answered 410)."""

    OK = "ok"  # the last notification was delivered
    FAILING = "failing"  # the last attempt failed; retries are scheduled
    FAILED = "failed"  # a notification exhausted its attempts
    DEFERRED = "has deferred messages"  # messages wait (after failures) for their next attempt
    DISABLED = "disabled"
    NEW = "new"  # nothing sent yet


# Delays before attempt 1, 2, ...: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
DEFAULT_SCHEDULE: tuple[float, ...] = (0, 5, 300, 1800, 7200, 18000, 36000, 36000)
JITTER = 0.1  # up to +10% on each delay, so retries of many messages spread out
MAX_RETRY_AFTER = 86_400.0
SECRET_GRACE = timedelta(hours=24)  # a rotated secret keeps signing this long


@dataclass(frozen=True)
class Event:
    """One notification, before it is fanned out to the seller's endpoints."""

    type: NotificationType
    tracking_id: str | None  # the order (or supply code) it is about: ordering and filters
    sequence_number: int
    payload: dict[str, Any]


def _date(at: datetime) -> str:
    return at.astimezone(MOSCOW).strftime("%Y-%m-%d %H:%M:%S")


def order_events(
    before: Order, after: Order, now: datetime, codes: Mapping[int, str] | None = None
) -> list[Event]:
    """What one change of an order notifies: `statusChanged` when the order's status moved, and
    `itemStatusChanged` for the items that moved (return statuses only before 2026-03-03)."""
    codes = codes or {}
    old = {i.id: i.status for i in before.items}
    moved = [i for i in after.items if old.get(i.id) != i.status]
    if now >= RETURNS_MOVED_TO_V2:
        moved = [i for i in moved if i.status not in RETURN_STATUSES]
    common: dict[str, Any] = {"trackingId": after.tracking_id, "orderNr": after.order_nr, "date": _date(now)}
    events: list[Event] = []
    number = before.sequence_number
    if after.status != before.status and not (now >= RETURNS_MOVED_TO_V2 and after.status in RETURN_STATUSES):
        number += 1
        all_items: list[dict[str, Any]] = [
            {"id": i.id, "sku": i.external_sku, "status": i.status.value} for i in after.items
        ]
        payload: dict[str, Any] = {
            "type": NotificationType.STATUS_CHANGED.value,
            **common,
            "status": after.status,
        }
        events.append(
            Event(
                NotificationType.STATUS_CHANGED,
                after.tracking_id,
                number,
                payload | {"sequenceNumber": number, "items": all_items},
            )
        )
    if moved:
        number += 1
        items: list[dict[str, Any]] = [
            {
                "id": i.id,
                "sku": i.external_sku,
                "status": i.status.value,
                "statusChangeReason": i.status_reason,
                "description": i.name,
                "size": i.size,
                "paidPrice": i.paid_price / 100,
                "datamatrix": codes.get(i.id),
                **({"finalERPStatus": "sold"} if i.status == ItemStatus.DELIVERED else {}),
            }
            for i in moved
        ]
        payload = {"type": NotificationType.ITEM_STATUS_CHANGED.value, **common, "sequenceNumber": number}
        events.append(
            Event(NotificationType.ITEM_STATUS_CHANGED, after.tracking_id, number, payload | {"items": items})
        )
    return events


def order_placed_event(order: Order, now: datetime) -> Event:
    """A new order: `statusChanged` to its first status (sequence number 1)."""
    payload = {
        "type": NotificationType.STATUS_CHANGED.value,
        "trackingId": order.tracking_id,
        "orderNr": order.order_nr,
        "date": _date(now),
        "sequenceNumber": 1,
        "status": order.status,
        "items": [{"id": i.id, "sku": i.external_sku, "status": i.status.value} for i in order.items],
    }
    return Event(NotificationType.STATUS_CHANGED, order.tracking_id, 1, payload)


def marking_codes_event(order: Order, codes: Mapping[int, str], now: datetime) -> Event:
    """Lamoda's warehouse reports the marking codes of an FBO order's units: `itemStatusChanged` for
    those items, their status unchanged, with `datamatrix` and `datamatrixes` (one code per unit)."""
    number = order.sequence_number + 1
    items: list[dict[str, Any]] = [
        {
            "id": i.id,
            "sku": i.external_sku,
            "status": v1_visible_status(i, order.history, now),
            "statusChangeReason": i.status_reason,
            "description": i.name,
            "size": i.size,
            "paidPrice": i.paid_price / 100,
            "datamatrix": codes[i.id],
            "datamatrixes": [codes[i.id]],
        }
        for i in order.items
        if i.id in codes
    ]
    payload = {
        "type": NotificationType.ITEM_STATUS_CHANGED.value,
        "trackingId": order.tracking_id,
        "orderNr": order.order_nr,
        "date": _date(now),
        "sequenceNumber": number,
        "items": items,
    }
    return Event(NotificationType.ITEM_STATUS_CHANGED, order.tracking_id, number, payload)


def supply_event(supply: Supply, now: datetime, sequence_number: int) -> Event:
    payload = {
        "type": NotificationType.FULFILMENT_SHIPMENT_STATUS_CHANGED.value,
        "date": _date(now),
        "sequenceNumber": sequence_number,
        "shipment": {
            "id": supply.id,
            "code": supply.code,
            "kind": "FBO",
            "status": supply.status.value,
            "rejectReason": supply.reject_reason,
            "items": [
                {
                    "sku": i.sku,
                    "ean": i.ean,
                    "quantity": i.quantity,
                    "receipt": i.receipt,
                    "accepted": i.accepted,
                    "surplus": i.surplus,
                    "missing": i.missing,
                    "damaged": i.damaged,
                }
                for i in supply.items
            ],
        },
    }
    # Keyed by the supply's code: its notifications reach each endpoint in order, like an order's.
    return Event(NotificationType.FULFILMENT_SHIPMENT_STATUS_CHANGED, supply.code, sequence_number, payload)


def shipment_event(
    shipment: Shipment, now: datetime, order_numbers: Sequence[str], sequence_number: int = 1
) -> Event:
    payload = {
        "type": NotificationType.FULFILMENT_SHIPMENT_STATUS_CHANGED.value,
        "date": _date(now),
        "sequenceNumber": sequence_number,
        "shipment": {
            "id": shipment.id,
            "kind": "FBS",
            "status": shipment.status.value,
            "orders": list(order_numbers),
            "pallets": [
                {
                    "barcode": p.barcode,
                    "packs": [{"barcode": k.barcode, "items": list(k.item_ids)} for k in p.packs],
                }
                for p in shipment.pallets
            ],
        },
    }
    # Keyed by the shipment's id: "received by the courier" never reaches an endpoint before "created".
    return Event(
        NotificationType.FULFILMENT_SHIPMENT_STATUS_CHANGED, str(shipment.id), sequence_number, payload
    )


def next_delay(
    attempts: int,
    schedule: Sequence[float] = DEFAULT_SCHEDULE,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> float | None:
    """Seconds (on the seller's clock) until attempt `attempts + 1`; None when the schedule is spent."""
    if attempts >= len(schedule):
        return None
    delay = schedule[attempts]
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
    if delay > 0:
        delay *= 1 + (rng or random).random() * JITTER
    return delay
