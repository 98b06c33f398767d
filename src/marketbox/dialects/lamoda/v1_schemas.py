"""Wire shapes of Lamoda's B2B Platform Partner API (v1): HAL lists (`_embedded`, `_links`, `pages`)."""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta, Struct, field

from marketbox.dialects.formats import DMY_DATE, LAMODA_DATE_TIME
from marketbox.dialects.lamoda.schemas import Body, LamodaId, SupplyCode, TextId

Text = Annotated[str, Meta(min_length=1, max_length=200)]
Key = Annotated[str, Meta(min_length=1, max_length=100)]  # SKUs, ids and numbers the store keeps
Barcode = Annotated[str, Meta(min_length=1, max_length=60, pattern=r"^[\x21-\x7e]+$")]
Units = Annotated[int, Meta(ge=0, le=10**9)]
Money = Annotated[float, Meta(ge=0, le=10**10)]
Measure = Annotated[float, Meta(ge=0, le=10**6)]
# Read by endpoints.parse_datetime, which takes exactly what the pattern says.
DateTimeText = Annotated[
    str,
    Meta(
        max_length=40,
        extra_json_schema={"pattern": LAMODA_DATE_TIME},
        description="ISO 8601, Moscow time without a zone: `2026-11-23T10:00:00+03:00`, `2026-11-23 10:00`",
    ),
]


class Link(Struct):
    href: str


class Links(Struct, omit_defaults=True):
    self: Link
    first: Link | None = None
    last: Link | None = None
    next: Link | None = None
    prev: Link | None = None


# ---- orders ----


class OrderEvent(Struct):
    """`POST /api/v1/orders/{id}/events`."""

    type: Literal["confirm", "cancel"]
    data: dict[str, str] | None = None


class V1OrderItem(Struct):
    id: int
    sku: str  # the seller's SKU
    lamodaSku: str
    brand: str
    description: str
    size: str
    color: str
    status: str
    statusChangeReason: str | None
    basePrice: float
    salePrice: float
    paidPrice: float
    totalDiscount: str
    packNumber: str | None


class OrderDates(Struct):
    confirmed: str | None
    shipped: str | None
    delivered: str | None


class PackNumbers(Struct):
    packNumbers: list[str]


class V1Order(Struct, omit_defaults=True):
    id: int
    orderNr: str
    trackingId: str
    status: str
    isConfirmed: bool
    fulfillmentType: str
    paymentMethod: str
    fullSum: float
    deliveryPrice: float
    rejectPrice: float
    createdAt: str
    updatedAt: str
    cutOff: str | None
    dates: OrderDates
    shippingMethodCode: str
    shippingMethodName: str
    hasIntervals: bool
    city: str
    shopName: str
    items: list[V1OrderItem]
    links: Links = field(name="_links")
    embedded: PackNumbers | None = field(name="_embedded", default=None)


class V1Orders(Struct):
    orders: list[V1Order]


class V1OrderList(Struct):
    page: int
    limit: int
    pages: int
    total: int
    links: Links = field(name="_links")
    embedded: V1Orders = field(name="_embedded")


class V1StatusLine(Struct):
    status: str
    createdAt: str


class V1Statuses(Struct):
    statuses: list[V1StatusLine]


class V1StatusHistory(Struct):
    orderNr: str
    embedded: V1Statuses = field(name="_embedded")


# ---- FBS outbound shipments ----


class ShipmentOutItem(Body):
    unitload: LamodaId
    sku: Key | None = None
    orderNr: Key | None = None
    datamatrix: Annotated[str, Meta(min_length=1, max_length=200)] | None = None
    weight: Measure | None = None
    length: Measure | None = None
    width: Measure | None = None
    height: Measure | None = None


# Lists the service refuses empty (with its own message naming the field): declared so, not checked here.
NonEmpty = Meta(extra_json_schema={"minItems": 1})


class ShipmentOutPack(Struct):
    barcode: Barcode
    items: Annotated[list[ShipmentOutItem], Meta(max_length=1000), NonEmpty]
    type: Literal["pack"] = "pack"
    weight: Measure | None = None
    length: Measure | None = None
    width: Measure | None = None
    height: Measure | None = None


class ShipmentOutPallet(Struct):
    barcode: Barcode
    containers: Annotated[list[ShipmentOutPack], Meta(max_length=1000), NonEmpty]
    type: Literal["pallet"] = "pallet"


class ShipmentOut(Body):
    """`POST /api/v1/shipments/out`: pallets of packs of items."""

    containers: Annotated[list[ShipmentOutPallet], Meta(max_length=100), NonEmpty]
    id: TextId | None = None
    type: Text | None = None
    source: Text | None = None
    destination: Text | None = None
    shippedAt: DateTimeText | None = None


class V1ShipmentItem(Struct):
    unitload: int
    sku: str
    orderNr: str


class V1ShipmentPack(Struct):
    barcode: str
    type: str
    orderNr: str
    items: list[V1ShipmentItem]


class V1ShipmentPallet(Struct):
    barcode: str
    type: str
    containers: list[V1ShipmentPack]


class V1Shipment(Struct):
    id: int
    externalId: str | None
    status: str
    source: str | None
    destination: str | None
    shippedAt: str | None
    createdAt: str
    containers: list[V1ShipmentPallet]


class V1Shipments(Struct):
    shipments: list[V1Shipment]


class V1ShipmentList(Struct):
    page: int
    limit: int
    pages: int
    total: int
    links: Links = field(name="_links")
    embedded: V1Shipments = field(name="_embedded")


# ---- FBO supplies ----


class SupplyPallet(Struct):
    barcode: Barcode


class SupplyItemIn(Struct):
    sku: Key
    quantity: Annotated[int, Meta(ge=1, le=100_000)]
    price: Money
    ean: Annotated[str, Meta(pattern=r"^\d{8,14}$")] | None = None
    weight: Measure | None = None
    datamatrixes: (
        Annotated[list[Annotated[str, Meta(min_length=1, max_length=200)]], Meta(max_length=100_000)] | None
    ) = None


class FulfilmentShipment(Body):
    """`POST /api/v1/shipments/fulfilment`: an FBO supply; `date` as d.m.Y."""

    date: Annotated[str, Meta(max_length=10, extra_json_schema={"pattern": DMY_DATE})]
    items: Annotated[list[SupplyItemIn], Meta(max_length=1000), NonEmpty]
    id: SupplyCode | None = None
    partnerId: TextId | None = None
    pallets: Annotated[list[SupplyPallet], Meta(max_length=1000)] = field(default_factory=list)
    documentNumber: Key | None = None


class V1SupplyItem(Struct):
    sku: str
    ean: str
    quantity: int
    price: float
    receipt: int
    accepted: int
    surplus: int
    missing: int
    damaged: int


class V1SupplyStatus(Struct):
    status: str
    createdAt: str


class V1Supply(Struct):
    id: int
    code: str
    status: str
    date: str
    documentNumber: str | None
    rejectReason: str | None
    createdAt: str
    updatedAt: str
    pallets: list[SupplyPallet]
    items: list[V1SupplyItem]
    statuses: list[V1SupplyStatus]


# ---- nomenclatures, stock, tracking ----


class NomenclatureIn(Struct):
    """`POST /api/v1/nomenclatures` (the PHP SDK's DTO; `markingRequired` is marketbox's addition)."""

    sku: Key
    barcode: Annotated[str, Meta(pattern=r"^\d{8,14}$")]
    name: Annotated[str, Meta(min_length=1, max_length=500)]
    brand: Text
    size: Annotated[str, Meta(max_length=40)] = ""
    color: Annotated[str, Meta(max_length=100)] = ""
    category: Annotated[str, Meta(max_length=200)] = ""
    parentSku: Annotated[str, Meta(min_length=1, max_length=40)] | None = None
    price: Money = 0
    markingRequired: bool = True


class Partner(Struct):
    code: str
    shopName: str


class PartnerEmbedded(Struct):
    partner: Partner


class V1Nomenclature(Struct):
    sku: str
    supplier_sku: str
    supplier_size: str
    parentSku: str
    quantity: int
    barcode: str
    name: str
    color: str
    brand: str
    category: str
    status: str
    isSellable: bool
    markingRequired: bool
    embedded: PartnerEmbedded = field(name="_embedded")


class V1Nomenclatures(Struct):
    nomenclatures: list[V1Nomenclature]


class V1NomenclatureList(Struct):
    page: int
    limit: int
    pages: int
    total: int
    links: Links = field(name="_links")
    embedded: V1Nomenclatures = field(name="_embedded")


class StockState(Struct):
    sku: str
    lamodaSku: str
    quantity: int


class StockStates(Struct):
    stockStates: list[StockState]


class V1StockList(Struct):
    page: int
    limit: int
    pages: int
    total: int
    links: Links = field(name="_links")
    embedded: StockStates = field(name="_embedded")


class Tracking(Struct):
    orderNr: str
    trackingId: str
    deliveryDate: str | None
    deliveryIntervalFrom: str | None
    deliveryIntervalTo: str | None
    orderRepresentStatus: str
