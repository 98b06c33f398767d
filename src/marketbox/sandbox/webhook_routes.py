"""Sandbox webhooks: subscribe URLs, read the delivery log, re-send (Lamoda's cabinet does this by hand)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from msgspec import Meta
from starlette.requests import Request
from starlette.responses import Response

from marketbox.domain.errors import InvalidInput
from marketbox.domain.notifications import MessageStatus
from marketbox.domain.webhook_faults import NO_FAULTS, DeliveryFaults, delivery_faults
from marketbox.httpapi.endpoints import Endpoint, json_response
from marketbox.sandbox import schemas as s
from marketbox.sandbox.routes import _iso, _moment, _seller_id, sandbox_endpoint, state_conflict
from marketbox.services import notifications
from marketbox.store import webhooks as store
from marketbox.store.database import Database

MAX_MESSAGES = 1000
MessageStatusName = Annotated[str, Meta(extra_json_schema=s.one_of(MessageStatus))]


def webhook_out(sub: notifications.Subscription) -> s.WebhookOut:
    ep = sub.endpoint
    return s.WebhookOut(
        id=ep.id,
        url=ep.url,
        secret=ep.secret,
        types=list(ep.types) if ep.types is not None else None,
        state=sub.state.value,
        created_at=_iso(ep.created_at),
        previous_secret_valid_until=_iso(ep.previous_secret_until) if ep.previous_secret_until else None,
        faults=s.WebhookFaults(
            ep.faults.duplicate, ep.faults.reorder, ep.faults.delay_ms, ep.faults.stale_seconds
        ),
    )


def message_out(m: store.Message) -> s.MessageOut:
    return s.MessageOut(
        id=m.id,
        event_id=m.event_id,
        endpoint_id=m.endpoint_id,
        url=m.url,
        type=m.type,
        tracking_id=m.tracking_id,
        sequence_number=m.sequence_number,
        status=m.status,
        attempts=[
            s.AttemptOut(
                _iso(a.at), a.url, a.status_code, round(a.latency_ms, 3), a.response_excerpt, a.error
            )
            for a in m.attempts
        ],
        next_attempt_at=_iso(m.next_attempt_at) if m.next_attempt_at else None,
        created_at=_iso(m.created_at),
        payload=m.payload,
    )


def endpoints(db: Database, allowed_networks: Sequence[str] = ()) -> list[Endpoint]:
    async def subscribe(request: Request, body: s.WebhookIn) -> Response:
        seller_id = _seller_id(request)
        with state_conflict("too_many_endpoints"):
            endpoint = await notifications.subscribe(db, seller_id, body.url, body.types, allowed_networks)
        subs = {sub.endpoint.id: sub for sub in await notifications.subscriptions(db, seller_id)}
        return json_response(webhook_out(subs[endpoint.id]), 201)

    async def list_webhooks(request: Request, _: None) -> Response:
        subs = await notifications.subscriptions(db, _seller_id(request))
        return json_response(s.WebhookList([webhook_out(sub) for sub in subs]))

    async def delete_webhook(request: Request, _: None) -> Response:
        await notifications.unsubscribe(db, _seller_id(request), request.path_params["webhook_id"])
        return Response(status_code=204)

    async def rotate(request: Request, _: None) -> Response:
        seller_id = _seller_id(request)
        rotated = await notifications.rotate_secret(db, seller_id, request.path_params["webhook_id"])
        subs = {sub.endpoint.id: sub for sub in await notifications.subscriptions(db, seller_id)}
        return json_response(webhook_out(subs[rotated.id]))

    async def set_faults(request: Request, body: s.WebhookFaults) -> Response:
        faults = delivery_faults(body.duplicate, body.reorder, body.delay_ms, body.stale_timestamp_seconds)
        return await _faulted(request, faults)

    async def clear_faults(request: Request, _: None) -> Response:
        return await _faulted(request, NO_FAULTS)

    async def _faulted(request: Request, faults: DeliveryFaults) -> Response:
        seller_id = _seller_id(request)
        changed = await notifications.set_faults(db, seller_id, request.path_params["webhook_id"], faults)
        subs = {sub.endpoint.id: sub for sub in await notifications.subscriptions(db, seller_id)}
        return json_response(webhook_out(subs[changed.id]))

    async def messages(request: Request, _: None) -> Response:
        params = request.query_params
        status = params.get("status")
        if status is not None and status not in {m.value for m in MessageStatus}:
            raise InvalidInput(
                "InvalidStatus", "status must be pending, delivered or failed", {"field": "status"}
            )
        raw_limit = params.get("limit", "100")
        if not (raw_limit.isascii() and raw_limit.isdigit() and 1 <= int(raw_limit) <= MAX_MESSAGES):
            raise InvalidInput("InvalidLimit", f"limit must be 1..{MAX_MESSAGES}", {"field": "limit"})
        query = store.MessageQuery(
            _seller_id(request),
            type=params.get("type"),
            tracking_id=params.get("tracking_id"),
            status=status,
            since=_moment(params["since"], "since") if "since" in params else None,
            until=_moment(params["until"], "until") if "until" in params else None,
            attempted_since=_moment(params["attempted_since"], "attempted_since")
            if "attempted_since" in params
            else None,
            limit=int(raw_limit),
        )
        found = await notifications.messages(db, query)
        return json_response(s.MessageList([message_out(m) for m in found]))

    async def resend(request: Request, body: s.ResendIn) -> Response:
        query = store.ResendQuery(
            _seller_id(request),
            message_ids=tuple(body.message_ids or ()),
            tracking_id=body.tracking_id,
            since=_moment(body.since, "since") if body.since is not None else None,
            until=_moment(body.until, "until") if body.until is not None else None,
            only_failed=body.only_failed,
        )
        created = await notifications.resend(db, query, body.url, allowed_networks)
        return json_response(s.ResendOut(created), 202)

    base = "/sandbox/tenants/{seller_id}/webhooks"
    return [
        sandbox_endpoint(
            "POST",
            base,
            "Subscribe a webhook URL (signed with its whsec_ secret)",
            subscribe,
            s.WebhookIn,
            s.WebhookOut,
            201,
        ),
        sandbox_endpoint(
            "GET", base, "List the tenant's webhook URLs and their state", list_webhooks, None, s.WebhookList
        ),
        sandbox_endpoint(
            "GET",
            base + "/messages",
            "The delivery log: messages, their status and every attempt",
            messages,
            None,
            s.MessageList,
            query_params=(
                ("type", str, False, "notification type, e.g. statusChanged"),
                ("tracking_id", str, False, "order number without RU (a supply's code)"),
                ("status", MessageStatusName, False, "pending, delivered or failed"),
                ("since", s.DateTime, False, "created at or after (the tenant's clock)"),
                ("until", s.DateTime, False, "created at or before (the tenant's clock)"),
                ("attempted_since", s.DateTime, False, "with an attempt at or after"),
                (
                    "limit",
                    Annotated[int, Meta(ge=1, le=MAX_MESSAGES)],
                    False,
                    f"at most this many, oldest first (1..{MAX_MESSAGES}, default 100)",
                ),
            ),
        ),
        sandbox_endpoint(
            "POST",
            base + "/resend",
            "Re-send messages (same webhook-id), to their URL or a new one",
            resend,
            s.ResendIn,
            s.ResendOut,
            202,
        ),
        sandbox_endpoint(
            "DELETE", base + "/{webhook_id}", "Remove a webhook URL", delete_webhook, None, None, 204
        ),
        sandbox_endpoint(
            "POST",
            base + "/{webhook_id}/rotate-secret",
            "A new signing secret; the old one keeps signing for 24 h of the tenant's clock",
            rotate,
            None,
            s.WebhookOut,
        ),
        sandbox_endpoint(
            "PUT",
            base + "/{webhook_id}/faults",
            "Faults for this URL's deliveries: duplicates, reordering, delay, stale webhook-timestamp",
            set_faults,
            s.WebhookFaults,
            s.WebhookOut,
        ),
        sandbox_endpoint(
            "DELETE",
            base + "/{webhook_id}/faults",
            "Deliver to this URL without faults again",
            clear_faults,
            None,
            s.WebhookOut,
        ),
    ]
