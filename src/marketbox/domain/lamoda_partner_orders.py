"""Orders the seller creates itself through B2B v1 (`POST /api/v1/orders`, Lamoda's partner-order flow).

Such an order is numbered `<partner code><the seller's orderNr>` (the path Lamoda's SDK builds for
`/api/v1/orders/{partnerCode}{orderNr}/items`), carries the customer, delivery wishes and options the
seller sent, and from then on is an FBS order like any other: confirmed, assembled, packed, shipped
and notified the same way. The seller may change its customer, delivery wishes and items while
nothing has left; orders placed by Lamoda's buyers keep their customer and details.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any

from marketbox.domain.errors import Conflict, InvalidInput
from marketbox.domain.lamoda_orders import ItemStatus, Order
from marketbox.domain.shipping_dates import MOSCOW

PARTNER_ORIGIN = (
    "partner"  # `details["origin"]` of an order the seller created (`source` is its sales channel)
)
MAX_ORDER_NR = 40  # the stored order number: partner code + the seller's number
DEFAULT_SHIPPING_METHOD = "lamoda"
SHIPPING_METHOD_NAMES = {"lamoda": "Курьерская доставка Lamoda Express"}
_CHANGEABLE = frozenset({ItemStatus.NEW, ItemStatus.CONFIRMED, ItemStatus.READY_FOR_SHIPMENT})
# The wire schema publishes these same patterns (ASCII digits, as JSON Schema's regex reads them).
PHONE_PATTERN = r"^\s*\+?([\s()-]*[0-9]){10,15}[\s()-]*$"  # 10-15 digits, + and separators allowed
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"  # HH:MM[:SS]
# The seller's order number goes into paths: letters, digits and `._-`.
ORDER_NR_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
_PHONE = re.compile(PHONE_PATTERN)
_EMAIL = re.compile(EMAIL_PATTERN)
_TIME = re.compile(TIME_PATTERN)
_ORDER_NR = re.compile(ORDER_NR_PATTERN)
# Checked with fullmatch: Python's `$` also matches before a final newline, JSON Schema's does not.


def partner_code(seller_id: int) -> str:
    """The seller's partner code: the cabinet id, as the nomenclature's `_embedded.partner.code` shows it."""
    return str(seller_id)


def partner_order_nr(seller_id: int, order_nr: str) -> str:
    """`<partner code><orderNr>`: the number the order is stored, listed and addressed by."""
    if not _ORDER_NR.fullmatch(order_nr):
        raise InvalidInput(
            "invalid_order_nr",
            f"orderNr: {order_nr[:40]!r} may hold only letters, digits and . _ - (it goes into paths)",
            {"field": "orderNr"},
        )
    number = partner_code(seller_id) + order_nr
    if len(number) > MAX_ORDER_NR:
        raise InvalidInput(
            "invalid_order_nr",
            f"orderNr: at most {MAX_ORDER_NR - len(partner_code(seller_id))} characters "
            "(Lamoda prefixes it with your partner code)",
            {"field": "orderNr"},
        )
    return number


def is_partner_order(order: Order) -> bool:
    return order.details.get("origin") == PARTNER_ORIGIN


@dataclass(frozen=True)
class Address:
    zipcode: str | None = None
    region: str | None = None
    city: str | None = None
    street: str | None = None
    house_num: str | None = None
    apartment: str | None = None

    def merged(self, change: Address) -> Address:
        return Address(**{k: getattr(change, k) or getattr(self, k) for k in Address.__dataclass_fields__})

    def to_json(self) -> dict[str, str | None]:
        return {
            "zipcode": self.zipcode,
            "region": self.region,
            "city": self.city,
            "street": self.street,
            "houseNum": self.house_num,
            "apartment": self.apartment,
        }

    @staticmethod
    def from_json(raw: dict[str, Any]) -> Address:
        def text(key: str) -> str | None:
            value = raw.get(key)
            return None if value is None else str(value)

        return Address(
            text("zipcode"), text("region"), text("city"), text("street"), text("houseNum"), text("apartment")
        )


@dataclass(frozen=True)
class Customer:
    first_name: str | None = None
    last_name: str | None = None
    middle_name: str | None = None
    phone: str | None = None
    email: str | None = None
    address: Address = Address()

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.middle_name, self.last_name) if p)

    def merged(self, change: Customer) -> Customer:
        """Fields the change gives replace ours; the others stay."""
        return Customer(
            first_name=change.first_name or self.first_name,
            last_name=change.last_name or self.last_name,
            middle_name=change.middle_name or self.middle_name,
            phone=change.phone or self.phone,
            email=change.email or self.email,
            address=self.address.merged(change.address),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "firstName": self.first_name,
            "lastName": self.last_name,
            "middleName": self.middle_name,
            "phone": self.phone,
            "email": self.email,
            "address": self.address.to_json(),
        }

    @staticmethod
    def from_json(raw: dict[str, Any]) -> Customer:
        address = raw.get("address")
        return Customer(
            first_name=raw.get("firstName"),
            last_name=raw.get("lastName"),
            middle_name=raw.get("middleName"),
            phone=raw.get("phone"),
            email=raw.get("email"),
            address=Address.from_json(address) if isinstance(address, dict) else Address(),
        )


def customer_of(order: Order) -> Customer:
    """The order's customer: what the seller sent, or (a buyer's order) the name and city Lamoda holds."""
    info = order.details.get("customerInfo")
    if isinstance(info, dict):
        return Customer.from_json(info)
    parts = str(order.details.get("customer") or "").split()
    city = str(order.details.get("city") or "") or None
    if len(parts) == 3:  # "Имя Отчество Фамилия", as buyers' names are made
        first, middle, last = parts
        return Customer(first, last, middle, address=Address(city=city))
    return Customer(first_name=" ".join(parts) or None, address=Address(city=city))


def checked_customer(customer: Customer, prefix: str, *, new: bool) -> Customer:
    """Normalize the phone, check the e-mail; a new order needs the customer's first name and phone."""

    def field(name: str) -> dict[str, str]:
        return {"field": f"{prefix}{name}"}

    if new:
        for name, value in (("firstName", customer.first_name), ("phone", customer.phone)):
            if not value or not value.strip():
                raise InvalidInput(
                    "customer_required", f"{prefix}{name}: required field is missing", field(name)
                )
    phone = customer.phone
    if phone is not None:
        if not _PHONE.fullmatch(phone):
            raise InvalidInput(
                "invalid_phone",
                f"{prefix}phone: {phone[:40]!r} is not a phone number (10 to 15 digits, + allowed)",
                field("phone"),
            )
        phone = re.sub(r"[\s()-]", "", phone)
    if customer.email is not None and not _EMAIL.fullmatch(customer.email):
        raise InvalidInput(
            "invalid_email",
            f"{prefix}email: {customer.email[:60]!r} is not an e-mail address",
            field("email"),
        )
    return replace(customer, phone=phone)


def delivery_date(day: date, field: str, now: datetime) -> date:
    """A delivery day is not before today in Moscow (on the seller's clock)."""
    if day < now.astimezone(MOSCOW).date():
        raise InvalidInput("invalid_date", f"{field}: {day.isoformat()} is in the past", {"field": field})
    return day


def interval(raw_from: str | None, raw_to: str | None, prefix: str = "") -> tuple[str, str] | None:
    """A delivery interval `HH:MM`–`HH:MM` (seconds allowed), both ends or neither, from before to."""
    if raw_from is None and raw_to is None:
        return None
    ends: list[time] = []
    for name, raw in (("deliveryIntervalFrom", raw_from), ("deliveryIntervalTo", raw_to)):
        if raw is None:
            raise InvalidInput(
                "invalid_interval",
                f"{prefix}{name}: give both ends of the interval",
                {"field": prefix + name},
            )
        if not _TIME.fullmatch(raw):
            raise InvalidInput(
                "invalid_interval",
                f"{prefix}{name}: {raw[:20]!r} is not a time (HH:MM)",
                {"field": prefix + name},
            )
        ends.append(time.fromisoformat(raw))
    if ends[0] >= ends[1]:
        raise InvalidInput(
            "invalid_interval",
            f"{prefix}deliveryIntervalTo: the interval must end after it starts",
            {"field": prefix + "deliveryIntervalTo"},
        )
    return ends[0].strftime("%H:%M"), ends[1].strftime("%H:%M")


def check_changeable(order: Order, what: str) -> None:
    """Only the seller's own orders change, and only while nothing of them has left."""
    if not is_partner_order(order):
        raise Conflict(
            "not_partner_order",
            f"order {order.order_nr} was placed by a Lamoda buyer: only orders created through "
            f"POST /api/v1/orders take {what}",
        )
    active = order.active_items
    if not active or any(i.status not in _CHANGEABLE or i.shipment_id is not None for i in active):
        raise Conflict(
            "not_changeable",
            f"order {order.order_nr} is {order.status!r}: {what} can change only before it is shipped",
        )


def check_items_addable(order: Order) -> None:
    """Items join an order the seller created while it is New (confirming it fixes its contents)."""
    check_changeable(order, "new items")
    if any(i.status != ItemStatus.NEW for i in order.active_items):
        raise Conflict(
            "not_new",
            f"order {order.order_nr} is {order.status!r}: items can be added only before it is confirmed",
        )
