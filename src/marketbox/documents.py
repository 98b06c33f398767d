"""`GET /documents/{token}`: the PDFs behind every `label_url` (no auth: the token is the secret)."""

from __future__ import annotations

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from marketbox.domain.errors import NotFound
from marketbox.httpapi.endpoints import json_response
from marketbox.services import labels
from marketbox.store.database import Database


def document_route(db: Database) -> Route:
    async def document(request: Request) -> Response:
        token = request.path_params["token"]
        try:
            filename, content = await labels.render_document(db, token)
        except NotFound as exc:
            return json_response({"data": None, "error": {"code": exc.code, "message": exc.message}}, 404)
        pdf = await to_thread.run_sync(labels.render_pdf, content)
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"content-disposition": f'inline; filename="{filename}"', "cache-control": "no-store"},
        )

    return Route("/documents/{token:str}", document, methods=["GET"], name="document")
