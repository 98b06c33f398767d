"""Who may use the sandbox API of a shared deployment (MARKETBOX_ADMIN_TOKEN set)."""

from __future__ import annotations

import base64
import binascii
import hmac

from starlette.requests import Request

from marketbox.domain.errors import NotFound
from marketbox.domain.sellers import SellerCredentials
from marketbox.services import tenants
from marketbox.store.database import Database


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def _basic(header: str) -> tuple[str, str] | None:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, sep, password = base64.b64decode(value.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (user, password) if sep else None


def _tenant_opens(request: Request, credentials: SellerCredentials) -> bool:
    token = request.headers.get("x-auth-token")
    if token is not None and _same(token, credentials.aliexpress_token):
        return True
    basic = _basic(request.headers.get("authorization", ""))
    return basic is not None and (
        _same(basic[0], credentials.lamoda_client_id) and _same(basic[1], credentials.lamoda_client_secret)
    )


def positive_id(raw: str) -> int | None:
    """A path id: ASCII digits of a positive 64-bit integer, with a zero fraction allowed (`5.0` is the
    integer 5, as the document's JSON Schema counts it); None for anything else."""
    digits, dot, fraction = raw.partition(".")
    if dot and not (fraction and set(fraction) == {"0"}):
        return None
    if not (digits.isascii() and digits.isdigit() and 0 < int(digits) < 2**63):
        return None
    return int(digits)


async def allowed(request: Request, admin_token: str, db: Database) -> bool:
    """The admin token (`Authorization: Bearer`) opens every sandbox path; on a tenant's own paths
    (`/sandbox/tenants/{seller_id}/...`) so do its credentials: its AliExpress token as `x-auth-token`,
    or its Lamoda client id and secret as HTTP Basic."""
    if not admin_token:
        return True
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and _same(value.strip(), admin_token):
        return True
    seller_id = positive_id(str(request.path_params.get("seller_id", "")))
    if seller_id is None:
        return False
    try:
        _, credentials = await tenants.get_tenant(db, seller_id)
    except NotFound:
        return False
    return _tenant_opens(request, credentials)
