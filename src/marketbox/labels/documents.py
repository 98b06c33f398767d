"""What a parcel label and a handover act show: plain immutable data, no rendering and no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ParcelLabel:
    logistic_order_id: int
    trade_order_id: int
    tracking_code: str
    receiver_name: str
    receiver_address: str
    receiver_zip: str
    items_count: int
    weight_kg: float
    cut_off_date: datetime | None
    seller_name: str
    barcode_text: str | None = None

    @property
    def barcode_value(self) -> str:
        """What the label's barcode encodes."""
        return self.barcode_text or self.tracking_code


@dataclass(frozen=True)
class ActLine:
    logistic_order_id: int
    trade_order_id: int
    tracking_code: str
    items_count: int
    weight_kg: float


@dataclass(frozen=True)
class HandoverAct:
    handover_list_id: int
    seller_name: str
    created_at: datetime
    arrival_date: datetime | None
    status: str
    lines: tuple[ActLine, ...]

    @property
    def total_items(self) -> int:
        return sum(line.items_count for line in self.lines)

    @property
    def total_weight_kg(self) -> float:
        return sum(line.weight_kg for line in self.lines)
