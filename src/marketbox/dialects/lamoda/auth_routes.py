"""Lamoda client-credentials tokens: `GET /auth/token` (B2B v1, query) and `POST /api/v2/auth-token` (v2)."""

from __future__ import annotations

import logging
from functools import partial

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from marketbox.dialects.lamoda import schemas as w
from marketbox.dialects.lamoda.endpoints import Api, plain_error
from marketbox.dialects.lamoda.errors import v1_domain_error, v1_error, v2_domain_error, v2_error
from marketbox.domain.access_tokens import AccessToken
from marketbox.domain.errors import DomainError, InvalidInput
from marketbox.httpapi.endpoints import (
    BodyError,
    Endpoint,
    decode_body,
    json_body,
    json_response,
)
from marketbox.httpapi.faults import with_faults
from marketbox.services import lamoda_auth
from marketbox.services.faults import FaultInjector
from marketbox.store.database import Database

log = logging.getLogger(__name__)
TAG = "Lamoda authentication"
GRANT_TYPE = w.GRANT_TYPE


def _token_body(token: AccessToken) -> w.TokenResponse:
    lifetime = int((token.expires_at - token.issued_at).total_seconds())
    return w.TokenResponse(token.token, "bearer", lifetime, token.scope)


def _check_grant(grant_type: str) -> None:
    if grant_type != GRANT_TYPE:
        raise InvalidInput(
            "unsupported_grant_type", f"grant_type must be {GRANT_TYPE!r}", {"field": "grant_type"}
        )


async def _issue(
    db: Database,
    faults: FaultInjector | None,
    request: Request,
    client: tuple[str, str],
    api: Api,
    status: int,
) -> Response:
    """A token, unless the seller's fault rules say otherwise (they apply once the client is known)."""

    async def serve() -> Response:
        return json_response(_token_body(await lamoda_auth.issue_token(db, *client)), status)

    if faults is None:
        return await serve()
    seller = await lamoda_auth.client_seller(db, *client)
    return await with_faults(faults, seller, request, partial(plain_error, api), serve)


def endpoints(db: Database, faults: FaultInjector | None = None) -> list[Endpoint]:
    async def v1_token(request: Request) -> Response:
        try:
            params = request.query_params
            missing = [name for name in ("client_id", "client_secret", "grant_type") if not params.get(name)]
            if missing:
                return v1_error(
                    400,
                    f"missing query parameter(s): {', '.join(missing)}",
                    [{"field": name, "message": "is required"} for name in missing],
                )
            too_long = [n for n in ("client_id", "client_secret") if len(params[n]) > w.MAX_CREDENTIAL]
            if too_long:
                return v1_error(
                    400,
                    f"{too_long[0]}: at most {w.MAX_CREDENTIAL} characters",
                    [{"field": n, "message": f"at most {w.MAX_CREDENTIAL} characters"} for n in too_long],
                )
            _check_grant(params["grant_type"])
            return await _issue(
                db, faults, request, (params["client_id"], params["client_secret"]), "v1", 200
            )
        except DomainError as exc:
            return v1_domain_error(exc)
        except Exception:
            log.exception("unhandled error in GET /auth/token")
            return v1_error(500, "internal error")

    decoder = msgspec.json.Decoder(w.TokenRequest)

    async def v2_token(request: Request) -> Response:
        try:
            try:
                body = decode_body(decoder, await json_body(request))
            except BodyError as exc:
                return v2_error(
                    exc.status, str(exc), [{"field": exc.field, "issue": str(exc)}] if exc.field else None
                )
            _check_grant(body.grant_type)
            return await _issue(db, faults, request, (body.client_id, body.client_secret), "v2", 201)
        except DomainError as exc:
            return v2_domain_error(exc)
        except Exception:
            log.exception("unhandled error in POST /api/v2/auth-token")
            return v2_error(500, "internal error")

    return [
        Endpoint(
            method="GET",
            path="/auth/token",
            handler=v1_token,
            summary="Get a B2B Platform API (v1) access token (client credentials in the query string)",
            tag=TAG,
            responses={200: w.TokenResponse, **{code: w.V1Error for code in (400, 401, 429, 500, 503)}},
            query_params=[
                ("client_id", w.Credential, True, "the seller's client id"),
                ("client_secret", w.Credential, True, "the seller's client secret"),
                ("grant_type", w.GrantType, True, GRANT_TYPE),
            ],
        ),
        Endpoint(
            method="POST",
            path="/api/v2/auth-token",
            handler=v2_token,
            summary="Get a REST API v2 access token",
            tag=TAG,
            request=w.TokenRequest,
            responses={201: w.TokenResponse, **{code: w.V2Error for code in (400, 401, 429, 500, 503)}},
        ),
    ]
