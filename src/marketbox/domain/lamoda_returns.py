"""FBS returns as the v2 return methods report them: return items, grouped into return boxes.

A return item is opened when an FBS item comes back (not bought, refused, not delivered, or
returned by the buyer after delivery); it goes into a return box when the item is "Sent back to
partner", and the seller confirms receipt of the box.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from marketbox.domain.lamoda_orders import ItemStatus


class ReturnStatus(StrEnum):
    CREATED = "CREATED"  # registered, on its way back
    SENT_TO_SELLER = "SENT_TO_SELLER"  # in a return box handed to the seller
    ACCEPTED_BY_SELLER = "ACCEPTED_BY_SELLER"  # the seller confirmed receipt


class BoxStatus(StrEnum):
    SENT_TO_SELLER = "SENT_TO_SELLER"
    ACCEPTED_BY_SELLER = "ACCEPTED_BY_SELLER"


RETURN_TYPE_BY_STATUS = {
    ItemStatus.NOT_BOUGHT: "NOT_BOUGHT",
    ItemStatus.REJECTED: "REJECTED",
    ItemStatus.NOT_DELIVERED: "NOT_DELIVERED",
    ItemStatus.CLAIMED_OK: "CUSTOMER_RETURN",
}


@dataclass(frozen=True)
class ReturnItem:
    id: int
    seller_id: int
    order_id: int
    order_item_id: int
    box_id: int | None
    return_type: str
    status: ReturnStatus
    reason: str | None
    return_date: datetime
    created_at: datetime
    updated_at: datetime
    history: tuple[tuple[datetime, str], ...]


@dataclass(frozen=True)
class ReturnBox:
    id: int
    seller_id: int
    barcode: str
    status: BoxStatus
    created_at: datetime
    updated_at: datetime
