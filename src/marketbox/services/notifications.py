"""Webhook subscriptions, the outbox use cases write notifications into, the delivery log, re-sends."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection

from marketbox.domain.errors import InvalidInput, NotFound
from marketbox.domain.notifications import SECRET_GRACE, EndpointState, Event, MessageStatus, NotificationType
from marketbox.domain.sellers import Seller
from marketbox.domain.webhook_destinations import check_url, refusal
from marketbox.domain.webhook_faults import DeliveryFaults
from marketbox.services.tenants import tenant_seller
from marketbox.store import webhooks as store
from marketbox.store.database import Database

MAX_ENDPOINTS = 20


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


async def emit(conn: AsyncConnection, seller: Seller, events: Sequence[Event]) -> list[str]:
    """Write notifications in the caller's transaction: they exist exactly when the change commits."""
    return await store.insert_events(conn, seller.id, events, seller.clock.now(), seller.clock.real_now())


def _check_types(types: Sequence[str] | None) -> tuple[str, ...] | None:
    if types is None:
        return None
    known = {t.value for t in NotificationType}
    for i, t in enumerate(types):
        if t not in known:
            raise InvalidInput(
                "unknown_type",
                f"unknown notification type {t!r}; one of: {', '.join(sorted(known))}",
                {"field": f"types[{i}]"},
            )
    return tuple(dict.fromkeys(types))


@dataclass(frozen=True)
class Subscription:
    endpoint: store.Endpoint
    state: EndpointState


async def subscribe(
    db: Database, seller_id: int, url: str, types: Sequence[str] | None, allowed_networks: Sequence[str] = ()
) -> store.Endpoint:
    url = check_url(url, allowed_networks)
    wanted = _check_types(types)
    async with db.tenant_write(seller_id) as conn:
        seller = await tenant_seller(conn, seller_id)
        if len(await store.endpoints_of(conn, seller_id)) >= MAX_ENDPOINTS:
            raise InvalidInput("too_many_endpoints", f"at most {MAX_ENDPOINTS} webhook URLs per seller")
        return await store.insert_endpoint(conn, seller_id, url, wanted, new_secret(), seller.clock.now())


async def subscriptions(db: Database, seller_id: int) -> list[Subscription]:
    async with db.read() as conn:
        await tenant_seller(conn, seller_id)
        found = []
        for endpoint in await store.endpoints_of(conn, seller_id):
            found.append(Subscription(endpoint, await _state(conn, endpoint)))
    return found


async def _state(conn: AsyncConnection, endpoint: store.Endpoint) -> EndpointState:
    if endpoint.disabled_at is not None:
        return EndpointState.DISABLED
    last_status, last_ok, deferred = await store.endpoint_activity(conn, endpoint.id)
    if last_status is None:
        return EndpointState.NEW
    if last_ok:
        return EndpointState.DEFERRED if deferred else EndpointState.OK
    if last_status == MessageStatus.FAILED.value:
        return EndpointState.FAILED
    return EndpointState.FAILING


async def unsubscribe(db: Database, seller_id: int, endpoint_id: str) -> None:
    async with db.tenant_write(seller_id) as conn:
        await tenant_seller(conn, seller_id)
        if not await store.delete_endpoint(conn, seller_id, endpoint_id):
            raise NotFound("EndpointNotFound", f"webhook {endpoint_id} not found")


async def rotate_secret(db: Database, seller_id: int, endpoint_id: str) -> store.Endpoint:
    """A new secret; the old one keeps signing (beside it) for 24 h of the seller's clock."""
    async with db.tenant_write(seller_id) as conn:
        seller = await tenant_seller(conn, seller_id)
        endpoint = await store.get_endpoint(conn, seller_id, endpoint_id)
        if endpoint is None:
            raise NotFound("EndpointNotFound", f"webhook {endpoint_id} not found")
        await store.rotate_secret(conn, endpoint, new_secret(), seller.clock.now() + SECRET_GRACE)
        rotated = await store.get_endpoint(conn, seller_id, endpoint_id)
        assert rotated is not None
        return rotated


async def set_faults(
    db: Database, seller_id: int, endpoint_id: str, faults: DeliveryFaults
) -> store.Endpoint:
    """Faults for one webhook URL's deliveries from now on (NO_FAULTS clears them)."""
    async with db.tenant_write(seller_id) as conn:
        await tenant_seller(conn, seller_id)
        endpoint = await store.get_endpoint(conn, seller_id, endpoint_id)
        if endpoint is None:
            raise NotFound("EndpointNotFound", f"webhook {endpoint_id} not found")
        await store.set_faults(conn, endpoint_id, faults)
        changed = await store.get_endpoint(conn, seller_id, endpoint_id)
        assert changed is not None
        return changed


async def messages(db: Database, query: store.MessageQuery) -> list[store.Message]:
    async with db.read() as conn:
        await tenant_seller(conn, query.seller_id)
        return await store.list_messages(conn, query)


async def resend(
    db: Database, query: store.ResendQuery, url: str | None, allowed_networks: Sequence[str] = ()
) -> list[int]:
    """New deliveries of the chosen messages' events (same event id), to their URL or to `url`."""
    if url is not None:
        url = check_url(url, allowed_networks)
    async with db.tenant_write(query.seller_id) as conn:
        seller = await tenant_seller(conn, query.seller_id)
        rows = await store.messages_to_resend(conn, query)
        if query.message_ids:
            missing = sorted(set(query.message_ids) - {r["id"] for r in rows})
            if missing:
                raise NotFound("MessageNotFound", f"messages not found: {', '.join(map(str, missing))}")
        if url is None:  # each goes to its own URL again, which an earlier policy may have let in
            for row in rows:
                refused = refusal(row["url"], allowed_networks)
                if refused is not None:
                    raise InvalidInput(
                        refused.code,
                        f"message {row['id']} would go to {row['url']!r} again: {refused.reason}; "
                        "send it elsewhere with `url`",
                        {"field": "url", "message_id": row["id"]},
                    )
        return await store.insert_resends(conn, rows, url, seller.clock.now(), seller.clock.real_now())
