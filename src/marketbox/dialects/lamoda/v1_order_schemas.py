"""Wire shapes of B2B v1 orders the seller creates: `POST /api/v1/orders` (Lamoda's `OrderDtoOrder`),
`POST /api/v1/orders/{partnerCode}{orderNr}/items` (`OrderDtoItem`), `PATCH /api/v1/orders/{id}` and
the order's customer (`OrderDtoCustomerInfo` with its `OrderDtoAddress`).

PHP's `json_encode` sends numbers where a variable held one, so numbers, SKUs, zip codes, house
numbers and phones are taken as a JSON string or number alike.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from msgspec import Meta, Struct

from marketbox.dialects.formats import WS_ANY, WS_BOTH
from marketbox.dialects.lamoda.schemas import Body, TextId
from marketbox.domain.lamoda_partner_orders import ORDER_NR_PATTERN, TIME_PATTERN

# The domain's phone and e-mail patterns (domain/lamoda_partner_orders.py) with `\s` spelled out, so
# that Python and JSON Schema read them alike: separators are whitespace to both, and an address holds
# nothing that is whitespace to either (the domain's own check then never refuses what these take).
PHONE_PATTERN = rf"^[{WS_BOTH}]*\+?(?:[{WS_BOTH}()-]*[0-9]){{10,15}}[{WS_BOTH}()-]*$"
EMAIL_PATTERN = rf"^[^@{WS_ANY}]+@[^@{WS_ANY}]+\.[^@{WS_ANY}]+$"

Short = Annotated[str, Meta(max_length=100)]
Name = Annotated[str, Meta(max_length=100)]
Text = Annotated[str, Meta(max_length=200)]
Count = Annotated[int, Meta(ge=0, le=10**18)]
OrderNr = Count | Annotated[str, Meta(min_length=1, max_length=30, pattern=ORDER_NR_PATTERN)]
Money = Annotated[float, Meta(ge=0, le=10**10)]
Clock = Annotated[str, Meta(pattern=TIME_PATTERN)]
Short20 = Count | Annotated[str, Meta(max_length=20)]
Phone = (
    Annotated[int, Meta(ge=10**9, le=10**15 - 1)] | Annotated[str, Meta(max_length=30, pattern=PHONE_PATTERN)]
)
Email = Annotated[str, Meta(max_length=200, pattern=EMAIL_PATTERN)]
Required = Annotated[str, Meta(min_length=1, max_length=100, pattern=f"[^{WS_ANY}]")]  # not blank
PaymentDate = Annotated[str, Meta(max_length=40, pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}")]


class V1AddressIn(Struct):
    """`OrderDtoAddress`."""

    zipcode: Short20 | None = None
    region: Text | None = None
    city: Text | None = None
    street: Text | None = None
    houseNum: Short20 | None = None
    apartment: Short20 | None = None


class V1CustomerIn(Struct):
    """`OrderDtoCustomerInfo` as an update: the fields that change."""

    firstName: Name | None = None
    lastName: Name | None = None
    middleName: Name | None = None
    phone: Phone | None = None
    email: Email | None = None
    address: V1AddressIn | None = None


class V1NewCustomerIn(Struct):
    """`OrderDtoCustomerInfo` of a new order: the courier needs at least a first name and a phone."""

    firstName: Required
    phone: Phone
    lastName: Name | None = None
    middleName: Name | None = None
    email: Email | None = None
    address: V1AddressIn | None = None


class V1OrderItemIn(Body):
    """`OrderDtoItem`: one unit; `price`/`paidPrice`/`totalDiscount` in roubles.

    `paidPrice` defaults to `price - totalDiscount`. `markingRequired` is marketbox's addition (an
    unknown SKU otherwise gets a made-up value)."""

    sku: TextId
    price: Money
    paidPrice: Money | None = None
    totalDiscount: Money | None = None
    cogsPrice: Money | None = None
    description: Annotated[str, Meta(max_length=500)] | None = None
    brand: Text | None = None
    category: Text | None = None
    genderCode: Short | None = None
    colorCode: Short | None = None
    materialCode: Short | None = None
    size: Annotated[str, Meta(max_length=40)] | None = None
    sizeScale: Short | None = None
    url: Annotated[str, Meta(max_length=2000)] | None = None
    markingRequired: bool | None = None


class V1OptionIn(Struct):
    """`OrderDtoOption`."""

    key: Annotated[str, Meta(min_length=1, max_length=100)]
    value: Annotated[str, Meta(max_length=1000)] | int | float | bool | None = None


class V1OrderIn(Struct):
    """`POST /api/v1/orders` (`OrderDtoOrder`). `deliveryDate` `YYYY-MM-DD`, interval ends `HH:MM`.

    `shippingMethodName` and `deliveryPrice` (roubles) are marketbox's additions."""

    orderNr: OrderNr
    customerInfo: V1NewCustomerIn
    items: Annotated[list[V1OrderItemIn], Meta(min_length=1, max_length=100)]
    deliveryDate: date | None = None
    deliveryIntervalFrom: Clock | None = None
    deliveryIntervalTo: Clock | None = None
    paymentDate: PaymentDate | None = None
    paymentMethod: Short | None = None
    source: Short | None = None
    comment: Annotated[str, Meta(max_length=2000)] | None = None
    shippingMethodCode: Short | None = None
    shippingMethodName: Text | None = None
    deliveryPrice: Money | None = None
    options: Annotated[list[V1OptionIn], Meta(max_length=100)] | None = None


class V1OrderPatch(Struct):
    """`PATCH /api/v1/orders/{id}`: the fields to change (absent or null ones stay)."""

    deliveryDate: date | None = None
    deliveryIntervalFrom: Clock | None = None
    deliveryIntervalTo: Clock | None = None
    paymentDate: PaymentDate | None = None
    paymentMethod: Short | None = None
    source: Short | None = None
    comment: Annotated[str, Meta(max_length=2000)] | None = None
    shippingMethodCode: Short | None = None
    shippingMethodName: Text | None = None
    deliveryPrice: Money | None = None
    options: Annotated[list[V1OptionIn], Meta(max_length=100)] | None = None
    customerInfo: V1CustomerIn | None = None


class V1AddressOut(Struct):
    zipcode: str | None
    region: str | None
    city: str | None
    street: str | None
    houseNum: str | None
    apartment: str | None


class V1Customer(Struct):
    """`GET|POST /api/v1/orders/{id}/customer`."""

    orderNr: str
    firstName: str | None
    lastName: str | None
    middleName: str | None
    phone: str | None
    email: str | None
    address: V1AddressOut
