"""Wire schemas of the sandbox's Lamoda world events (buyout, marking codes, returns, shipments)."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta, Struct

from marketbox.domain.lamoda_orders import NON_PURCHASE_REASONS
from marketbox.domain.marking_codes import DATAMATRIX_PATTERN
from marketbox.sandbox.schemas import one_of

ItemId = Annotated[int, Meta(ge=1, le=2**63 - 1)]
Reason = Annotated[str, Meta(min_length=1, max_length=200)]


class LamodaNotBoughtIn(Struct, forbid_unknown_fields=True):
    item_id: ItemId
    # One of Lamoda's non-purchase reasons, required: the server names a missing one with its own
    # error (reason_required), so the decoder lets it be absent and the document says it is not.
    reason: Annotated[Reason, Meta(extra_json_schema=one_of(NON_PURCHASE_REASONS))] | None = None


NotBoughtLine = Annotated[
    LamodaNotBoughtIn,
    Meta(extra_json_schema={"required": ["item_id", "reason"], "properties": {"reason": {"type": "string"}}}),
]


class LamodaBuyoutIn(Struct, forbid_unknown_fields=True):
    # Items the buyer refuses at the door; every other item with the buyer is bought.
    not_bought: Annotated[list[NotBoughtLine], Meta(max_length=100)] = []


class LamodaMarkingCodeIn(Struct, forbid_unknown_fields=True):
    item_id: ItemId
    # Absent: the warehouse takes a code the seller supplied for the SKU, else a new one.
    datamatrix: (
        Annotated[
            str,
            Meta(
                min_length=1,
                max_length=200,
                extra_json_schema={"pattern": DATAMATRIX_PATTERN},
                description="01 + GTIN-14 (with its check digit) + 21 + serial, optionally <GS>91… <GS>92…",
            ),
        ]
        | None
    ) = None


class LamodaMarkingCodesIn(Struct, forbid_unknown_fields=True):
    # Absent: every live marked item of the order that has no code yet.
    items: Annotated[list[LamodaMarkingCodeIn], Meta(min_length=1, max_length=100)] | None = None


class LamodaMarkedItemOut(Struct):
    item_id: int
    sku: str
    status: str
    datamatrix: str


class LamodaMarkingCodesOut(Struct):
    order_nr: str
    items: list[LamodaMarkedItemOut]


class LamodaReturnLineIn(Struct, forbid_unknown_fields=True):
    item_id: ItemId
    reason: Reason | None = None  # why the buyer brought back a Delivered item


class LamodaReturnBoxIn(Struct, forbid_unknown_fields=True):
    items: Annotated[list[LamodaReturnLineIn], Meta(min_length=1, max_length=500)]


class LamodaReturnIn(Struct, forbid_unknown_fields=True):
    boxes: Annotated[list[LamodaReturnBoxIn], Meta(min_length=1, max_length=50)]


class LamodaReturnItemOut(Struct):
    id: int
    item_id: int
    order_nr: str
    return_type: str
    status: str
    reason: str | None


class LamodaReturnBoxOut(Struct):
    id: int
    barcode: str
    status: str
    items: list[LamodaReturnItemOut]


class LamodaReturnOut(Struct):
    boxes: list[LamodaReturnBoxOut]


class LamodaShipmentItemOut(Struct):
    item_id: int
    order_nr: str
    status: str
    without_code: bool  # a marked item the seller shipped without its DataMatrix code


class LamodaShipmentOut(Struct):
    id: int
    status: str
    orders: list[str]
    items: list[LamodaShipmentItemOut]
