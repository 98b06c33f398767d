"""Faults on a marketplace call, once its caller is known: the one place every dialect goes through."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from marketbox.domain.errors import DomainError
from marketbox.domain.faults import FaultRule, When
from marketbox.domain.sellers import Seller
from marketbox.services.faults import FaultInjector

# How a dialect answers an error in its own body: status, message, extra headers.
RenderError = Callable[[int, str, dict[str, str]], Response]

_REASONS = {429: "too many requests", 500: "internal error", 503: "service unavailable"}


async def with_faults(
    faults: FaultInjector | None,
    seller: Seller,
    request: Request,
    render: RenderError,
    serve: Callable[[], Awaitable[Response]],
) -> Response:
    """`serve()` the call, or not, as the seller's fault rules say.

    A latency fault waits first. An error `before` answers without serving (nothing changes); an
    error `after` serves (the change commits) and answers the error instead of what was served.
    """
    fault = await faults.fault_for(seller, request.method, request.url.path) if faults is not None else None
    if fault is None:
        return await serve()
    if fault.latency_ms:
        await asyncio.sleep(fault.latency_ms / 1000)
    rule = fault.error
    if rule is None:
        return await serve()
    if rule.spec.when is When.AFTER:
        with contextlib.suppress(DomainError):  # the call's own error answer is replaced like any other
            await serve()
    return error_response(rule, render)


def error_response(rule: FaultRule, render: RenderError) -> Response:
    status = rule.spec.status or 500
    retry_after = rule.spec.retry_after
    message = _REASONS.get(status, "error")
    if retry_after is not None:
        message += f": retry in {retry_after} s"
    message += f" (sandbox fault rule {rule.id})"
    return render(status, message, {"Retry-After": str(retry_after)} if retry_after is not None else {})
