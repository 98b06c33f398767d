"""B2B v1 reference lists: the seller's category mapping, minimal prices per category, goods on sale,
and KLADR address hints (city, street, building)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Annotated, Any, TypeVar

from msgspec import Meta
from starlette.requests import Request
from starlette.responses import Response

from marketbox.dialects.lamoda import v1_reference_schemas as w
from marketbox.dialects.lamoda.endpoints import int_param, lamoda_endpoint, query_value
from marketbox.dialects.lamoda.v1_routes import PAGING, PREFIX, hal_links, page_params
from marketbox.dialects.lamoda.v1_schemas import Links
from marketbox.domain import lamoda_reference as reference
from marketbox.domain.errors import InvalidInput
from marketbox.domain.sellers import Seller
from marketbox.httpapi.endpoints import Endpoint, json_response
from marketbox.httpapi.rate_limit import RateLimiter
from marketbox.services import lamoda_catalog
from marketbox.services.faults import FaultInjector
from marketbox.store.database import Database

T = TypeVar("T")

MAX_HINTS = 100
MAX_TEXT = 100
Typed = Annotated[str, Meta(min_length=1, max_length=MAX_TEXT)]
CityCode = Annotated[str, Meta(pattern="^[0-9]{13}$")]
StreetCode = Annotated[str, Meta(pattern="^[0-9]{17}$")]


def mapping_out(partner_category: str) -> w.V1CategoryMapping:
    found = reference.category_for(partner_category)
    return w.V1CategoryMapping(
        partnerCategory=partner_category,
        mapped=found is not None,
        lamodaCategoryId=found.id if found else None,
        lamodaCategory=found.path if found else None,
        axaptaCategory1=found.axapta1 if found else None,
        axaptaCategory2=found.axapta2 if found else None,
    )


def _hints(places: Sequence[reference.Place], limit: int) -> w.V1AddressHints:
    return w.V1AddressHints(
        200, [w.V1AddressHint(p.id, p.text, p.text_extended, p.zipcode) for p in places[:limit]]
    )


def _text_param(request: Request, name: str, *, required: bool = False, digits: int = 0) -> str | None:
    """A text query parameter as its schema says: absent is missing, empty is refused; at most 100
    characters; a KLADR code is exactly `digits` ASCII digits."""
    raw = query_value(request, name)
    if raw is None:
        if required:
            raise InvalidInput("invalid_parameter", f"{name} is required", {"field": name})
        return None
    if len(raw) > MAX_TEXT:
        raise InvalidInput("invalid_parameter", f"{name}: at most {MAX_TEXT} characters", {"field": name})
    if digits and not (raw.isascii() and raw.isdigit() and len(raw) == digits):
        raise InvalidInput(
            "invalid_parameter", f"{name} must be a KLADR code of {digits} digits", {"field": name}
        )
    return raw


Head = tuple[int, int, int, int, Links]  # page, limit, pages, total, _links: how a HAL list starts


def _head(request: Request, page: int, limit: int, total: int) -> Head:
    pages = math.ceil(total / limit)
    return page, limit, pages, total, hal_links(request, page, limit, pages)


def _page_of(request: Request, rows: Sequence[T]) -> tuple[Head, Sequence[T]]:
    """The requested page of a list held whole, and the head of its HAL answer."""
    page, limit = page_params(request)
    return _head(request, page, limit, len(rows)), rows[(page - 1) * limit : page * limit]


def endpoints(
    db: Database, limiter: RateLimiter | None = None, faults: FaultInjector | None = None
) -> list[Endpoint]:
    async def category_mapping(request: Request, seller: Seller, _: None) -> Response:
        head, shown = _page_of(request, await lamoda_catalog.categories(db, seller))
        return json_response(
            w.V1CategoryMappingList(*head, w.V1CategoryMappings([mapping_out(n) for n in shown]))
        )

    async def minimal_prices(request: Request, _: Seller, __: None) -> Response:
        head, shown = _page_of(request, reference.CATEGORIES)
        return json_response(
            w.V1MinimalPriceList(
                *head,
                w.V1MinimalPrices(
                    [
                        w.V1MinimalPrice(c.axapta1, c.axapta2, w.V1MinimalPriceValues(*c.minimal_prices))
                        for c in shown
                    ]
                ),
            )
        )

    async def goods(request: Request, seller: Seller, _: None) -> Response:
        page, limit = page_params(request)
        items, total = await lamoda_catalog.page(db, seller, page, limit, priced_only=True)
        return json_response(
            w.V1GoodsList(
                *_head(request, page, limit, total),
                w.V1GoodsEmbedded(
                    [
                        w.V1Good(
                            sku=n.sku,
                            supplier_sku=n.external_sku,
                            parentSku=n.parent_sku,
                            barcode=n.barcode,
                            name=n.name,
                            brand=n.brand,
                            color=n.color,
                            size=n.size,
                            category=n.category,
                            sell_value=n.price / 100,
                            currency="RUB",
                            quantity=n.fbo_stock,
                            isSellable=True,
                        )
                        for n in items
                    ]
                ),
            )
        )

    def limit_of(request: Request) -> int:
        return int_param(request, "limit", 1, MAX_HINTS, 20)

    async def city(request: Request, _: Seller, __: None) -> Response:
        name = _text_param(request, "name", required=True)
        assert name is not None
        return json_response(_hints(reference.cities(name), limit_of(request)))

    async def street(request: Request, _: Seller, __: None) -> Response:
        code = _text_param(request, "city_id", required=True, digits=13)
        assert code is not None
        return json_response(_hints(reference.streets(code, _text_param(request, "name")), limit_of(request)))

    async def building(request: Request, _: Seller, __: None) -> Response:
        code = _text_param(request, "street_id", required=True, digits=17)
        assert code is not None
        return json_response(
            _hints(reference.buildings(code, _text_param(request, "name")), limit_of(request))
        )

    def ep(method: str, path: str, summary: str, run: Any, **kw: Any) -> Endpoint:
        return lamoda_endpoint(
            db, "v1", method, PREFIX + path, summary, run, limiter=limiter, faults=faults, **kw
        )

    hint_limit = (
        "limit",
        Annotated[int, Meta(ge=1, le=MAX_HINTS)],
        False,
        f"at most this many hints, 1..{MAX_HINTS} (default 20)",
    )
    return [
        ep(
            "GET",
            "/mapping/categories",
            "Your categories (from your nomenclature) mapped to Lamoda's (`_embedded.category_mapping`)",
            category_mapping,
            response=w.V1CategoryMappingList,
            query=PAGING,
            description="One entry per category name your nomenclature uses; `mapped` is false (and the "
            "Lamoda fields null) when Lamoda has no category of that name.",
        ),
        ep(
            "GET",
            "/minimal_prices",
            "Minimal prices per Lamoda (axapta) category: `values{RU, BY, KZ}`",
            minimal_prices,
            response=w.V1MinimalPriceList,
            query=PAGING,
        ),
        ep(
            "GET",
            "/goods",
            "Your goods on sale with their price (`sell_value`): nomenclature that has a price",
            goods,
            response=w.V1GoodsList,
            query=PAGING,
        ),
        ep(
            "GET",
            "/addresses/city",
            "City hints (KLADR) for a typed name: `{code: 200, data: [{id, text, text_extended, zipcode}]}`",
            city,
            response=w.V1AddressHints,
            query=[
                ("name", Typed, True, "the beginning of the city's name (or of a word of it)"),
                hint_limit,
            ],
        ),
        ep(
            "GET",
            "/addresses/street",
            "Street hints (KLADR) in a city",
            street,
            response=w.V1AddressHints,
            query=[
                ("city_id", CityCode, True, "the city's KLADR code (13 digits), from /addresses/city"),
                ("name", Typed, False, "the beginning of the street's name"),
                hint_limit,
            ],
        ),
        ep(
            "GET",
            "/addresses/building",
            "Building hints (KLADR) in a street",
            building,
            response=w.V1AddressHints,
            query=[
                (
                    "street_id",
                    StreetCode,
                    True,
                    "the street's KLADR code (17 digits), from /addresses/street",
                ),
                ("name", Typed, False, "the beginning of the house number"),
                hint_limit,
            ],
        ),
    ]
