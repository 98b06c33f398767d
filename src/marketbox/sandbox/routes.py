"""Sandbox API endpoints: `{"error": {...}}` on failure, plain JSON objects on success."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from marketbox.domain.clock import TenantClock
from marketbox.domain.errors import Conflict, DomainError, InvalidInput
from marketbox.domain.lamoda_orders import FulfillmentType, Order
from marketbox.domain.marking_codes import parse_policy
from marketbox.domain.sellers import Seller, SellerCredentials
from marketbox.domain.trade_orders import ReceiverAddress, TradeOrder
from marketbox.httpapi.endpoints import (
    HTTP_STATUS_BY_KIND,
    BodyError,
    Endpoint,
    decode_body,
    json_body,
    json_response,
)
from marketbox.sandbox import access
from marketbox.sandbox import schemas as s
from marketbox.services import lamoda_orders, lamoda_supplies, progression, tenants, trade_orders
from marketbox.store.database import Database

log = logging.getLogger(__name__)
TAG = "Sandbox"
ERRORS = {400: s.SandboxErrorBody, 404: s.SandboxErrorBody, 409: s.SandboxErrorBody}


def sandbox_error(
    status: int,
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    return json_response({"error": {"code": code, "message": message, "details": details}}, status, headers)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def clock_out(clock: TenantClock) -> Response:
    return json_response(s.ClockOut(_iso(clock.now()), clock.frozen))


def path_int(request: Request, name: str, code: str) -> int:
    """A path parameter that is an id: a positive 64-bit integer, or a 400 with `code`."""
    raw = request.path_params[name]
    value = access.positive_id(raw)
    if value is None:
        raise InvalidInput(code, f"{name} must be a positive integer, got {raw[:40]!r}", {"field": name})
    return value


# Path parameters that are ids (path_int): every other one is a string.
ID_PARAMS = frozenset(
    {
        "seller_id",
        "item_id",
        "trade_order_id",
        "logistic_order_id",
        "handover_list_id",
        "shipment_id",
        "fault_id",
    }
)


def _seller_id(request: Request) -> int:
    return path_int(request, "seller_id", "InvalidSellerId")


def sandbox_endpoint(
    method: str,
    path: str,
    summary: str,
    run: Callable[[Request, Any], Awaitable[Response]],
    body_type: Any = None,
    response_type: Any = None,
    status: int = 200,
    query_params: Sequence[tuple[str, Any, bool, str]] = (),
) -> Endpoint:
    decoder = msgspec.json.Decoder(body_type) if body_type is not None else None

    async def handler(request: Request) -> Response:
        try:
            state = request.app.state
            if not await access.allowed(request, state.settings.admin_token, state.db):
                return sandbox_error(
                    401,
                    "Unauthorized",
                    "this server's sandbox needs its admin token (Authorization: Bearer <token>) or, on a "
                    "tenant's paths, the tenant's credentials (x-auth-token: its AliExpress token, or "
                    "HTTP Basic with its Lamoda client id and secret)",
                    headers={"WWW-Authenticate": 'Bearer realm="marketbox sandbox"'},
                )
            body = None
            if decoder is not None:
                try:
                    body = decode_body(decoder, await json_body(request))
                except BodyError as exc:
                    details = {"field": exc.field} if exc.field else None
                    code = "UnsupportedMediaType" if exc.status == 415 else "ValidationError"
                    return sandbox_error(exc.status, code, str(exc), details)
            return await run(request, body)
        except DomainError as exc:
            return sandbox_error(
                HTTP_STATUS_BY_KIND.get(exc.kind, 400), exc.code, exc.message, exc.details or None
            )
        except Exception:
            log.exception("unhandled error in %s", path)
            return sandbox_error(500, "InternalError", "internal error; the request was not applied")

    params = [(name, s.Id if name in ID_PARAMS else str) for name in re.findall(r"{(\w+)}", path)]
    return Endpoint(
        method=method,
        path=path,
        handler=handler,
        summary=summary,
        tag=TAG,
        request=body_type,
        responses={status: response_type, **ERRORS},
        path_params=params,
        query_params=query_params,
    )


def tenant_out(seller: Seller, credentials: SellerCredentials) -> s.TenantOut:
    return s.TenantOut(
        seller_id=seller.id,
        name=seller.name,
        aliexpress=s.AliExpressCredentials(credentials.aliexpress_token),
        lamoda=s.LamodaCredentials(credentials.lamoda_client_id, credentials.lamoda_client_secret),
        created_at=_iso(seller.created_at),
        now=_iso(seller.clock.now()),
    )


def ae_order_out(order: TradeOrder) -> s.AeOrderOut:
    return s.AeOrderOut(
        trade_order_id=order.id,
        seller_id=order.seller_id,
        status=order.status.value,
        payment_status=order.payment_status.value,
        created_at=_iso(order.created_at),
        cut_off_date=_iso(order.cut_off_date),
        shipping_deadline=_iso(order.shipping_deadline),
        buyer_name=order.buyer_name,
        receiver_address=asdict(order.receiver_address),
        total_amount=order.total_amount,
        lines=[
            s.AeOrderLineOut(
                ln.id,
                ln.sku_id,
                ln.item_id,
                ln.name,
                ln.item_price,
                ln.quantity,
                ln.marking_required,
                ln.jewelry,
            )
            for ln in order.lines
        ],
    )


def lamoda_order_out(order: Order) -> s.LamodaOrderOut:
    return s.LamodaOrderOut(
        order_nr=order.order_nr,
        id=str(order.id),
        seller_id=order.seller_id,
        fulfillment_type=order.fulfillment_type.value,
        status=order.status,
        created_at=_iso(order.created_at),
        cut_off=_iso(order.cut_off) if order.cut_off else None,
        items=[
            s.LamodaOrderItemOut(
                i.id,
                i.external_sku,
                i.sku,
                i.name,
                i.paid_price,
                i.marking_required,
                i.status.value,
                i.status_reason,
            )
            for i in order.items
        ],
    )


# A leap second (RFC 3339 allows `:60`), read as the first instant of the next minute.
MAX_DATE_TIME_LENGTH = 40
_LEAP_SECOND = re.compile(r"(?<=T\d\d:\d\d:)60(?=[.,Z+-]|$)")


def _moment(raw: str, field: str) -> datetime:
    """An ISO 8601 date-time (at most 40 characters) in UTC (no offset: UTC). Every RFC 3339
    date-time is one: `t` and `z` in lower case, any number of fraction digits (microseconds kept),
    a leap second (23:59:60 UTC)."""
    text, leap = _LEAP_SECOND.subn("59", raw.upper(), count=1)
    try:
        if len(raw) > MAX_DATE_TIME_LENGTH:
            raise ValueError
        value = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            "InvalidDate", f"{field}: {raw[:40]!r} is not an ISO 8601 date-time", {"field": field}
        ) from None
    try:
        value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
        if leap and (value.hour, value.minute) != (23, 59):
            raise InvalidInput(
                "InvalidDate",
                f"{field}: {raw[:40]!r}: a leap second (:60) ends a day, at 23:59 UTC",
                {"field": field},
            )
        return value + timedelta(seconds=leap)
    except OverflowError:
        raise InvalidInput(
            "InvalidDate", f"{field}: {raw[:40]!r} is out of range", {"field": field}
        ) from None


@contextmanager
def state_conflict(code: str) -> Iterator[None]:
    """The service's refusal `code` depends on the tenant's state, not on the request alone (the
    clock only moves forward, and not past LATEST_YEAR; at most so many fault rules or webhook URLs):
    the same request may be right another time, so it is a 409 here, not a 400."""
    try:
        yield
    except InvalidInput as exc:
        if exc.code != code:
            raise
        raise Conflict(exc.code, exc.message, exc.details) from None


def endpoints(db: Database) -> list[Endpoint]:
    async def create_tenant(_: Request, body: s.TenantCreate) -> Response:
        start = _moment(body.now, "now") if body.now is not None else None
        seller, credentials = await tenants.create_tenant(db, body.name, start=start)
        return json_response(tenant_out(seller, credentials), 201)

    async def list_tenants(_: Request, __: None) -> Response:
        listed = await tenants.list_tenants(db)
        return json_response(
            s.TenantList([tenant_out(seller, credentials) for seller, credentials in listed])
        )

    async def get_tenant(request: Request, _: None) -> Response:
        seller, credentials = await tenants.get_tenant(db, _seller_id(request))
        return json_response(tenant_out(seller, credentials))

    async def delete_tenant(request: Request, _: None) -> Response:
        await tenants.delete_tenant(db, _seller_id(request))
        return Response(status_code=204)

    async def place_ae_order(request: Request, body: s.AeOrderIn) -> Response:
        address = None
        if body.receiver_address is not None:
            a = body.receiver_address
            address = ReceiverAddress(
                a.zip_code, a.country_code, a.country, a.province, a.city, a.street, a.detail_address
            )
        order = await trade_orders.place_order(
            db,
            _seller_id(request),
            trade_orders.BuyerOrder(
                lines=tuple(
                    trade_orders.BuyerLine(
                        ln.sku_id, ln.quantity, ln.name, ln.item_price, ln.marking_required, ln.jewelry
                    )
                    for ln in body.lines
                ),
                receiver_address=address,
                buyer_name=body.buyer_name,
                buyer_phone=body.buyer_phone,
                trade_order_id=body.trade_order_id,
            ),
        )
        return json_response(ae_order_out(order), 201)

    async def place_lamoda_order(request: Request, body: s.LamodaOrderIn) -> Response:
        cut_off: Any = lamoda_orders.BuyerOrder.__dataclass_fields__["cut_off"].default
        if body.cut_off is None or isinstance(body.cut_off, str):
            cut_off = _moment(body.cut_off, "cut_off") if body.cut_off is not None else None
        order = await lamoda_orders.place_order(
            db,
            _seller_id(request),
            lamoda_orders.BuyerOrder(
                items=tuple(
                    lamoda_orders.BuyerItem(i.sku, i.quantity, i.price, i.marking_required)
                    for i in body.items
                ),
                fulfillment_type=FulfillmentType(body.fulfillment_type),
                cut_off=cut_off,
            ),
        )
        return json_response(lamoda_order_out(order), 201)

    async def move_lamoda_item(request: Request, body: s.LamodaItemStatusIn) -> Response:
        item_id = path_int(request, "item_id", "InvalidItemId")
        order = await lamoda_orders.world_move(
            db, _seller_id(request), request.path_params["order_nr"], item_id, body.status, body.reason
        )
        return json_response(lamoda_order_out(order))

    async def move_lamoda_supply(request: Request, body: s.LamodaSupplyStatusIn) -> Response:
        counts = None
        if body.items is not None:
            counts = lamoda_supplies.counts_from(
                [(i.sku, i.receipt, i.damaged, i.accepted) for i in body.items]
            )
        supply = await lamoda_supplies.world_move(
            db, _seller_id(request), request.path_params["code"], body.status, body.reason, counts
        )
        return json_response(
            s.LamodaSupplyOut(
                supply.code,
                supply.id,
                supply.status.value,
                supply.reject_reason,
                [
                    s.LamodaSupplyItemOut(
                        i.sku, i.ean, i.quantity, i.receipt, i.accepted, i.surplus, i.missing, i.damaged
                    )
                    for i in supply.items
                ],
            )
        )

    async def advance_clock(request: Request, body: s.ClockAdvance) -> Response:
        with state_conflict("ClockTooFar"):
            clock = await tenants.advance_clock(db, _seller_id(request), body.seconds)
        await progression.progress(db, _seller_id(request))  # what fell due on the way happens now
        return clock_out(clock)

    async def set_clock(request: Request, body: s.ClockSet) -> Response:
        to = _moment(body.now, "now")
        with state_conflict("ClockGoesForward"):
            clock = await tenants.set_clock(db, _seller_id(request), to)
        await progression.progress(db, _seller_id(request))
        return clock_out(clock)

    async def read_progression(request: Request, _: None) -> Response:
        return json_response(s.ProgressionOut((await progression.mode_of(db, _seller_id(request))).value))

    async def set_progression(request: Request, body: s.ProgressionIn) -> Response:
        mode = await progression.set_mode(db, _seller_id(request), progression.parse_mode(body.mode))
        return json_response(s.ProgressionOut(mode.value))

    async def read_marking(request: Request, _: None) -> Response:
        return json_response(s.MarkingOut((await tenants.marking_of(db, _seller_id(request))).value))

    async def set_marking(request: Request, body: s.MarkingIn) -> Response:
        policy = await tenants.set_marking(db, _seller_id(request), parse_policy(body.mode))
        return json_response(s.MarkingOut(policy.value))

    async def freeze_clock(request: Request, _: None) -> Response:
        return clock_out(await tenants.freeze_clock(db, _seller_id(request)))

    async def resume_clock(request: Request, _: None) -> Response:
        return clock_out(await tenants.resume_clock(db, _seller_id(request)))

    async def read_clock(request: Request, _: None) -> Response:
        return clock_out(await tenants.read_clock(db, _seller_id(request)))

    base = "/sandbox/tenants"
    return [
        sandbox_endpoint(
            "POST",
            base,
            "Create a tenant (a seller with credentials for every API)",
            create_tenant,
            s.TenantCreate,
            s.TenantOut,
            201,
        ),
        sandbox_endpoint("GET", base, "List tenants", list_tenants, None, s.TenantList),
        sandbox_endpoint(
            "GET", base + "/{seller_id}", "Read a tenant and its credentials", get_tenant, None, s.TenantOut
        ),
        sandbox_endpoint(
            "DELETE",
            base + "/{seller_id}",
            "Delete a tenant and everything it owns",
            delete_tenant,
            None,
            None,
            204,
        ),
        sandbox_endpoint(
            "POST",
            base + "/{seller_id}/aliexpress/orders",
            "A buyer places an AliExpress order",
            place_ae_order,
            s.AeOrderIn,
            s.AeOrderOut,
            201,
        ),
        sandbox_endpoint(
            "POST",
            base + "/{seller_id}/lamoda/orders",
            "A buyer places a Lamoda order (one item per unit)",
            place_lamoda_order,
            s.LamodaOrderIn,
            s.LamodaOrderOut,
            201,
        ),
        sandbox_endpoint(
            "POST",
            base + "/{seller_id}/lamoda/orders/{order_nr}/items/{item_id}/status",
            "The world moves a Lamoda item (courier, buyer, pickup point, return desk)",
            move_lamoda_item,
            s.ItemStatusBody,
            s.LamodaOrderOut,
        ),
        sandbox_endpoint(
            "POST",
            base + "/{seller_id}/lamoda/supplies/{code}/status",
            "Lamoda's warehouse moves an FBO supply (send, validation_error, on_acceptance, accepted)",
            move_lamoda_supply,
            s.SupplyStatusBody,
            s.LamodaSupplyOut,
        ),
        sandbox_endpoint(
            "POST",
            base + "/{seller_id}/clock/advance",
            "Move the tenant's clock forward",
            advance_clock,
            s.ClockAdvance,
            s.ClockOut,
        ),
        sandbox_endpoint(
            "POST",
            base + "/{seller_id}/clock/set",
            "Jump the tenant's clock forward to a moment",
            set_clock,
            s.ClockSet,
            s.ClockOut,
        ),
        sandbox_endpoint(
            "POST",
            base + "/{seller_id}/clock/freeze",
            "Stop the tenant's clock (advance and set still move it)",
            freeze_clock,
            None,
            s.ClockOut,
        ),
        sandbox_endpoint(
            "POST",
            base + "/{seller_id}/clock/resume",
            "Let the tenant's clock run again from where it stands",
            resume_clock,
            None,
            s.ClockOut,
        ),
        sandbox_endpoint(
            "GET", base + "/{seller_id}/clock", "Read the tenant's clock", read_clock, None, s.ClockOut
        ),
        sandbox_endpoint(
            "GET",
            base + "/{seller_id}/progression",
            "How the world moves the tenant's parcels, shipments and supplies: manual, immediate, timed",
            read_progression,
            None,
            s.ProgressionOut,
        ),
        sandbox_endpoint(
            "PUT",
            base + "/{seller_id}/progression",
            "Let the world move things on its own (immediate, timed) or only on events (manual)",
            set_progression,
            s.ProgressionIn,
            s.ProgressionOut,
        ),
        sandbox_endpoint(
            "GET",
            base + "/{seller_id}/marking",
            "May the tenant's marked items ship (FBS) without their DataMatrix code: lenient, strict",
            read_marking,
            None,
            s.MarkingOut,
        ),
        sandbox_endpoint(
            "PUT",
            base + "/{seller_id}/marking",
            "Let marked items ship without a code (lenient, as Lamoda does) or refuse that (strict)",
            set_marking,
            s.MarkingIn,
            s.MarkingOut,
        ),
    ]
