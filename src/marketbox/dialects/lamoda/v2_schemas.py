"""Wire shapes of Lamoda's REST API v2: `sellerId` in every POST body, answers as `{data, meta}`."""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta, Struct

from marketbox.dialects.formats import LAMODA_DATE_TIME
from marketbox.dialects.lamoda.schemas import Body, LamodaId

SellerId = LamodaId
ItemId = LamodaId
Code = Annotated[str, Meta(min_length=1, max_length=60)]
LabelFormat = Literal["S", "M", "L"]


class Money(Struct):
    amount: int  # kopecks
    currency: str


class PageMeta(Struct):
    page: int
    limit: int
    total: int
    totalPages: int


class NoMeta(Struct):
    pass


# ---- orders ----


class V2OrderItem(Struct):
    id: int
    itemId: int
    sku: str  # Lamoda's SKU
    externalSku: str  # the seller's SKU
    name: str
    brand: str
    size: str
    color: str
    status: str
    statusReason: str | None
    price: Money
    packNumber: str | None
    shipmentId: int | None


class DeliveryMethod(Struct):
    code: str
    name: str
    cutOff: str | None


class PackRef(Struct):
    packNumber: str


class V2Order(Struct):
    id: str
    orderId: str
    orderNr: str
    sellerId: int
    status: str
    fulfillmentType: str
    createdAt: str
    updatedAt: str
    cutOff: str | None
    deliveryMethod: DeliveryMethod
    allowedForAssembly: bool
    totalPrice: Money
    city: str
    items: list[V2OrderItem]
    packs: list[PackRef]


class V2OrderPage(Struct):
    data: list[V2Order]
    meta: PageMeta


class V2OrderOne(Struct):
    data: V2Order
    meta: NoMeta


class ItemStatusLine(Struct):
    itemId: int
    sku: str
    externalSku: str
    status: str
    reason: str | None
    createdAt: str


class V2ItemStatuses(Struct):
    data: list[ItemStatusLine]
    meta: NoMeta


class StatusLine(Struct):
    status: str
    createdAt: str


class V2StatusHistory(Struct):
    data: list[StatusLine]
    meta: NoMeta


class AssemblyPack(Body):
    itemIds: Annotated[list[ItemId], Meta(min_length=1, max_length=100)]


class AssemblyIn(Body):
    sellerId: SellerId
    packs: Annotated[list[AssemblyPack], Meta(min_length=1, max_length=100)]


class PacksIn(Body):
    sellerId: SellerId
    count: Annotated[int, Meta(ge=1, le=100)]


class PacksOut(Struct):
    packs: list[PackRef]


class V2Packs(Struct):
    data: PacksOut
    meta: NoMeta


# ---- labels ----


class ItemLabelsIn(Body):
    sellerId: SellerId
    items: Annotated[list[ItemId], Meta(max_length=100)]
    labelFormat: LabelFormat = "M"


class PackLabelsIn(Body):
    sellerId: SellerId
    packs: Annotated[list[Code], Meta(max_length=100)]
    labelFormat: LabelFormat = "M"


class PalletLabelsIn(Body):
    sellerId: SellerId
    palletBarcodes: Annotated[list[Code], Meta(max_length=100)]
    labelFormat: LabelFormat = "M"


class ItemLabels(Struct):
    fileUrl: str
    excludedItems: list[int]


class PackLabels(Struct):
    fileUrl: str
    excludedPacks: list[str]


class PalletLabels(Struct):
    fileUrl: str
    excludedPallets: list[str]


class V2ItemLabels(Struct):
    data: ItemLabels
    meta: NoMeta


class V2PackLabels(Struct):
    data: PackLabels
    meta: NoMeta


class V2PalletLabels(Struct):
    data: PalletLabels
    meta: NoMeta


# ---- FBS shipments ----


class ShipmentItemIn(Body):
    unitload: ItemId
    datamatrix: Annotated[str, Meta(min_length=1, max_length=200)] | None = None


class ShipmentPackIn(Body):
    packId: Code
    items: Annotated[list[ShipmentItemIn], Meta(min_length=1, max_length=1000)]


class ShipmentPalletIn(Body):
    packs: Annotated[list[ShipmentPackIn], Meta(min_length=1, max_length=1000)]
    palletBarcode: Annotated[str, Meta(min_length=1, max_length=60, pattern=r"^[\x21-\x7e]+$")] | None = None


class ShipmentIn(Body):
    sellerId: SellerId
    pallets: Annotated[list[ShipmentPalletIn], Meta(min_length=1, max_length=100)]
    shipAt: (
        Annotated[
            str,
            Meta(
                max_length=40,
                extra_json_schema={"pattern": LAMODA_DATE_TIME},
                description="ISO 8601, UTC without a zone: `2026-11-23T10:00:00Z`",
            ),
        ]
        | None
    ) = None


class UnitRef(Struct):
    unitload: int


class ShipmentPackOut(Struct):
    packId: str
    orderId: str
    items: list[UnitRef]


class ShipmentPalletOut(Struct):
    palletBarcode: str
    packs: list[ShipmentPackOut]


class V2Shipment(Struct):
    id: int
    shipmentId: int
    status: str
    createdAt: str
    shipAt: str | None
    pallets: list[ShipmentPalletOut]


class V2ShipmentOne(Struct):
    data: V2Shipment
    meta: NoMeta


class V2ShipmentPage(Struct):
    data: list[V2Shipment]
    meta: PageMeta


class ShipmentItemOut(Struct):
    unitload: int
    itemId: int
    orderId: str
    sku: str
    externalSku: str
    packId: str
    palletBarcode: str


class V2ShipmentItems(Struct):
    data: list[ShipmentItemOut]
    meta: NoMeta


class ContainerItem(Struct):
    itemId: int
    sku: str
    externalSku: str


class ContainerPack(Struct):
    packNumber: str
    orderId: str
    items: list[ContainerItem]


class Container(Struct):
    barcode: str
    type: str
    shipmentId: int | None
    packs: list[ContainerPack]


class V2Container(Struct):
    data: Container
    meta: NoMeta


# ---- returns ----


class ReturnItemOut(Struct):
    id: int
    returnItemId: int
    orderItemId: int
    itemId: int
    orderId: str
    sku: str
    externalSku: str
    itemName: str
    dimensionSymbol: str
    returnType: str
    status: str
    reason: str | None
    returnDate: str
    boxId: int | None
    createdAt: str
    updatedAt: str


class V2ReturnPage(Struct):
    data: list[ReturnItemOut]
    meta: PageMeta


class V2ReturnHistory(Struct):
    data: list[StatusLine]
    meta: NoMeta


class ReturnBoxOut(Struct):
    id: int
    barcode: str
    status: str
    itemsCount: int
    createdAt: str
    updatedAt: str


class ReturnBoxDetail(Struct):
    id: int
    barcode: str
    status: str
    itemsCount: int
    createdAt: str
    updatedAt: str
    items: list[ReturnItemOut]


class V2BoxPage(Struct):
    data: list[ReturnBoxOut]
    meta: PageMeta


class V2BoxOne(Struct):
    data: ReturnBoxDetail
    meta: NoMeta


class SellerOnly(Body):
    sellerId: SellerId


# ---- catalogue, stock, FBO ----


class CategoryLevel(Struct):
    language: str
    level: int
    id: int
    name: str


class V2Nomenclature(Struct):
    sku: str
    parentSku: str
    barcode: str
    externalSku: str
    externalParentSku: str
    externalSize: str
    name: str
    brand: str
    color: str
    markingRequired: bool
    categoryLevels: list[CategoryLevel]


class V2NomenclaturePage(Struct):
    data: list[V2Nomenclature]
    meta: PageMeta


class StockSummary(Struct):
    skuCount: int
    skusInStock: int
    quantity: int


class StockSummaryData(Struct):
    summary: StockSummary


class V2StockSummary(Struct):
    data: StockSummaryData
    meta: NoMeta


class FboItem(Struct):
    sku: str
    ean: str
    quantity: int
    price: Money
    receipt: int
    accepted: int
    surplus: int
    missing: int
    damaged: int


class FboShipment(Struct):
    id: int
    code: str
    status: str
    date: str
    documentNumber: str | None
    createdAt: str
    updatedAt: str
    items: list[FboItem]


class V2FboPage(Struct):
    data: list[FboShipment]
    meta: PageMeta
