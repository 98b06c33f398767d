"""The limit: a bare ASGI app that reads the POST body and answers constant JSON bytes.

The bytes are a real `logistic-order/get` page (50 orders) captured from marketbox by `bench/run.py`,
so the HTTP server, the body size and the client are the same as in the marketbox run; only
marketbox's own work (auth, decoding, two queries, mapping, encoding) is missing.

    BENCH_BODY_FILE=bench/results/page-1m.json .venv/bin/uvicorn --app-dir bench bare_app:app \
        --host 127.0.0.1 --port 8001 --workers 1 --loop uvloop --http httptools \
        --no-access-log --log-level warning
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_DEFAULT = Path(__file__).parent / "results" / "page-1m.json"
BODY = Path(os.environ.get("BENCH_BODY_FILE", _DEFAULT)).read_bytes()
START = {
    "type": "http.response.start",
    "status": 200,
    "headers": [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(BODY)).encode()),
    ],
}
RESPONSE = {"type": "http.response.body", "body": BODY, "more_body": False}


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    # Consume the request body as any real endpoint must.
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    await send(START)
    await send(RESPONSE)
