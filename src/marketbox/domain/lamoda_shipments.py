"""FBS outbound shipments (отгрузки): pallets of packs of order items, handed to Lamoda's courier."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ShipmentStatus(StrEnum):
    CREATED = "CREATED"  # announced by the seller
    RECEIVED = "RECEIVED"  # taken over by Lamoda's courier


@dataclass(frozen=True)
class ShipmentPack:
    barcode: str  # the order's pack number
    order_id: int
    item_ids: tuple[int, ...]
    # Marked items shipped without their DataMatrix code (the seller accounts for them on its side).
    without_code: tuple[int, ...] = ()


@dataclass(frozen=True)
class ShipmentPallet:
    barcode: str
    packs: tuple[ShipmentPack, ...]


@dataclass(frozen=True)
class Shipment:
    id: int
    seller_id: int
    status: ShipmentStatus
    external_id: str | None  # the seller's own id for it (v1 `id`)
    source: str | None
    destination: str | None
    ship_at: datetime | None
    created_at: datetime
    updated_at: datetime
    pallets: tuple[ShipmentPallet, ...]

    @property
    def item_ids(self) -> tuple[int, ...]:
        return tuple(i for pallet in self.pallets for pack in pallet.packs for i in pack.item_ids)

    @property
    def without_code(self) -> frozenset[int]:
        return frozenset(i for pallet in self.pallets for pack in pallet.packs for i in pack.without_code)
