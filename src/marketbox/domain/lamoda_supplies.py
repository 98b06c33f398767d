"""FBO supplies (поставки): the seller announces goods; Lamoda's warehouse validates and receives them.

Statuses (Lamoda's public docs name `validation_error` and "Send"; the rest complete the lifecycle):
`validation` (data being checked, cancellable) → `validation_error` | `send` (approved, on its way)
→ `on_acceptance` (at the warehouse) → `accepted` (counted, with discrepancies per item).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from marketbox.domain.errors import Conflict, InvalidInput


class SupplyStatus(StrEnum):
    VALIDATION = "validation"
    VALIDATION_ERROR = "validation_error"
    SEND = "send"
    ON_ACCEPTANCE = "on_acceptance"
    ACCEPTED = "accepted"
    CANCELED = "canceled"


SUPPLY_MOVES: dict[SupplyStatus, frozenset[SupplyStatus]] = {
    SupplyStatus.VALIDATION: frozenset(
        {SupplyStatus.VALIDATION_ERROR, SupplyStatus.SEND, SupplyStatus.CANCELED}
    ),
    SupplyStatus.VALIDATION_ERROR: frozenset(),
    SupplyStatus.SEND: frozenset({SupplyStatus.ON_ACCEPTANCE, SupplyStatus.ACCEPTED}),
    SupplyStatus.ON_ACCEPTANCE: frozenset({SupplyStatus.ACCEPTED}),
    SupplyStatus.ACCEPTED: frozenset(),
    SupplyStatus.CANCELED: frozenset(),
}


@dataclass(frozen=True)
class SupplyItem:
    sku: str
    ean: str
    quantity: int
    price: int  # kopecks
    marking_required: bool
    receipt: int = 0  # units that arrived
    accepted: int = 0  # units taken into stock
    surplus: int = 0  # units above `quantity`
    missing: int = 0  # units announced but not arrived
    damaged: int = 0  # rejected at quality control


@dataclass(frozen=True)
class Supply:
    id: int
    seller_id: int
    code: str
    status: SupplyStatus
    supply_date: date
    document_number: str | None
    pallets: tuple[str, ...]
    items: tuple[SupplyItem, ...]
    created_at: datetime
    updated_at: datetime
    reject_reason: str | None
    history: tuple[tuple[datetime, str], ...]


@dataclass(frozen=True)
class Count:
    """The warehouse's count of one SKU: `accepted` defaults to receipt minus damaged."""

    receipt: int
    damaged: int = 0
    accepted: int | None = None


def check_move(supply: Supply, target: SupplyStatus) -> None:
    if target not in SUPPLY_MOVES[supply.status]:
        allowed = sorted(SUPPLY_MOVES[supply.status])
        raise Conflict(
            "transition_not_allowed",
            f"supply {supply.code} is {supply.status.value!r}: it cannot become {target.value!r}"
            + (f" (allowed: {', '.join(allowed)})" if allowed else " (no further status is possible)"),
            {"field": "status", "current": supply.status.value, "allowed": allowed},
        )


def accept(supply: Supply, counts: Mapping[str, Count], now: datetime) -> Supply:
    """Apply the warehouse's counts; SKUs not counted did not arrive at all."""
    known = {item.sku for item in supply.items}
    for sku in counts:
        if sku not in known:
            raise InvalidInput(
                "unknown_sku", f"SKU {sku!r} is not in supply {supply.code}", {"field": "items"}
            )
    items = []
    for item in supply.items:
        count = counts.get(item.sku, Count(0))
        accepted = count.receipt - count.damaged if count.accepted is None else count.accepted
        if count.damaged > count.receipt or accepted < 0 or accepted + count.damaged > count.receipt:
            raise InvalidInput(
                "inconsistent_count",
                f"SKU {item.sku}: accepted ({accepted}) + damaged ({count.damaged}) cannot exceed "
                f"receipt ({count.receipt})",
                {"field": "items"},
            )
        items.append(
            replace(
                item,
                receipt=count.receipt,
                accepted=accepted,
                damaged=count.damaged,
                surplus=max(count.receipt - item.quantity, 0),
                missing=max(item.quantity - count.receipt, 0),
            )
        )
    return replace(
        supply,
        items=tuple(items),
        status=SupplyStatus.ACCEPTED,
        updated_at=now,
        history=(*supply.history, (now, SupplyStatus.ACCEPTED.value)),
    )


def moved(supply: Supply, target: SupplyStatus, now: datetime, reason: str | None = None) -> Supply:
    check_move(supply, target)
    return replace(
        supply,
        status=target,
        updated_at=now,
        reject_reason=reason if target == SupplyStatus.VALIDATION_ERROR else supply.reject_reason,
        history=(*supply.history, (now, target.value)),
    )
