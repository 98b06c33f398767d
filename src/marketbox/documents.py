"""`GET /documents/{token}`: the PDFs behind every `label_url` (no auth: the token is the secret)."""

from __future__ import annotations

import logging
import re
from typing import Annotated

from anyio import to_thread
from msgspec import Meta
from starlette.requests import Request
from starlette.responses import Response

from marketbox.dialects.aliexpress.errors import domain_error_response, error_response
from marketbox.dialects.aliexpress.schemas import Envelope
from marketbox.domain.errors import NotFound
from marketbox.httpapi.endpoints import Endpoint
from marketbox.services import labels
from marketbox.settings import Settings
from marketbox.store.database import Database

log = logging.getLogger(__name__)
TOKEN_PATTERN = "^[0-9a-f]{32}$"
_TOKEN = re.compile(r"[0-9a-f]{32}")
# A token is 32 lowercase hex digits; any other is simply not found (404).
Token = Annotated[str, Meta(extra_json_schema={"pattern": TOKEN_PATTERN})]


def document_url(request: Request, token: str) -> str:
    """Where the document is fetched: under the server's configured base URL, never the request's
    `Host` header (which anyone can set, and which a proxy may have rewritten)."""
    settings: Settings = request.app.state.settings
    return f"{settings.base_url}/documents/{token}"


def document_endpoint(db: Database) -> Endpoint:
    async def document(request: Request) -> Response:
        token = request.path_params["token"]
        try:
            if not _TOKEN.fullmatch(token):
                raise NotFound("ErrorCode.DocumentNotFound", "no such document")
            filename, content = await labels.render_document(db, token)
            pdf = await to_thread.run_sync(labels.render_pdf, content)
        except NotFound as exc:
            return domain_error_response(exc)
        except Exception:
            log.exception("unhandled error rendering document %s", token)
            return error_response(500, "ErrorCode.InternalError", "internal error rendering the document")
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"content-disposition": f'inline; filename="{filename}"', "cache-control": "no-store"},
        )

    return Endpoint(
        method="GET",
        path="/documents/{token}",
        handler=document,
        summary="Download a label or handover-list PDF (the URL a `label_url` points at)",
        tag="Documents",
        responses={200: None, 404: Envelope, 500: Envelope},
        path_params=[("token", Token)],
        binary_response="application/pdf",
        name="document",
    )
