"""Wire shapes of B2B v1 reference lists: category mapping, minimal prices, goods on sale (HAL lists)
and the KLADR address hints (`{code, data}`, as a third-party write-up of Lamoda's spec shows them)."""

from __future__ import annotations

from msgspec import Struct, field

from marketbox.dialects.lamoda.v1_schemas import Links


class V1CategoryMapping(Struct):
    """One of the seller's categories (from its nomenclature) and the Lamoda category it maps to."""

    partnerCategory: str
    mapped: bool
    lamodaCategoryId: int | None
    lamodaCategory: str | None  # `Top/Category`
    axaptaCategory1: str | None
    axaptaCategory2: str | None


class V1CategoryMappings(Struct):
    category_mapping: list[V1CategoryMapping]


class V1CategoryMappingList(Struct):
    page: int
    limit: int
    pages: int
    total: int
    links: Links = field(name="_links")
    embedded: V1CategoryMappings = field(name="_embedded")


class V1MinimalPriceValues(Struct):
    RU: int
    BY: int
    KZ: int


class V1MinimalPrice(Struct):
    axaptaCategory1: str
    axaptaCategory2: str
    values: V1MinimalPriceValues


class V1MinimalPrices(Struct):
    minimal_prices: list[V1MinimalPrice]


class V1MinimalPriceList(Struct):
    page: int
    limit: int
    pages: int
    total: int
    links: Links = field(name="_links")
    embedded: V1MinimalPrices = field(name="_embedded")


class V1Good(Struct):
    """A nomenclature on sale: it has a price (`sell_value`, roubles)."""

    sku: str  # Lamoda's
    supplier_sku: str  # the seller's
    parentSku: str
    barcode: str
    name: str
    brand: str
    color: str
    size: str
    category: str
    sell_value: float
    currency: str
    quantity: int  # FBO stock
    isSellable: bool


class V1GoodsEmbedded(Struct):
    goods: list[V1Good]


class V1GoodsList(Struct):
    page: int
    limit: int
    pages: int
    total: int
    links: Links = field(name="_links")
    embedded: V1GoodsEmbedded = field(name="_embedded")


class V1AddressHint(Struct):
    id: str  # KLADR code
    text: str
    text_extended: str
    zipcode: str


class V1AddressHints(Struct):
    code: int
    data: list[V1AddressHint]
