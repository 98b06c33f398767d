"""Handover lists ("листы передачи"): the parcels a seller hands to the carrier together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class HandoverStatus(StrEnum):
    CREATED = "Created"
    TRANSFERRED = "Transferred"
    ACCEPTED = "Accepted"
    PARTIALLY_ACCEPTED = "PartiallyAccepted"


class ShipmentType(StrEnum):
    PICKUP = "Pickup"
    DROPOFF = "Dropoff"


@dataclass(frozen=True)
class HandoverList:
    id: int
    seller_id: int
    status: HandoverStatus
    shipment_type: ShipmentType
    arrival_date: datetime | None
    gmt_create: datetime
    logistic_order_ids: tuple[int, ...]

    @property
    def editable(self) -> bool:
        return self.status is HandoverStatus.CREATED


@dataclass(frozen=True)
class HandoverListQuery:
    page_number: int
    page_size: int
    statuses: tuple[HandoverStatus, ...] = ()
    ids: tuple[int, ...] = ()
    logistic_order_ids: tuple[int, ...] = ()
    created_from: datetime | None = None
    created_to: datetime | None = None
    arrival_date_descending: bool | None = None
    gmt_create_descending: bool | None = None
