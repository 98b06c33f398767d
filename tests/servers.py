"""A real marketbox server on a loopback port, run in a background thread of the test process."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from marketbox.app import create_app
from marketbox.settings import Settings
from marketbox.store.database import Database
from marketbox.store.migrate import upgrade
from tests.databases import fresh_database


@dataclass(frozen=True)
class RunningServer:
    base_url: str
    database_url: str
    backend: str


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def migrate(database_url: str) -> None:
    async def run() -> None:
        db = Database(database_url)
        try:
            await upgrade(db)
        finally:
            await db.dispose()

    asyncio.run(run())


@contextmanager
def running_server(database_url: str, backend: str, **settings_overrides: Any) -> Iterator[RunningServer]:
    migrate(database_url)
    port = free_port()
    settings = Settings(database_url=database_url, host="127.0.0.1", port=port, **settings_overrides)
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"marketbox-{backend}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("marketbox test server did not start")
        time.sleep(0.02)
    try:
        yield RunningServer(f"http://127.0.0.1:{port}", database_url, backend)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def fresh_server(backend: str, tmp_dir: Path, **settings_overrides: Any) -> Iterator[RunningServer]:
    """A server of its own on an empty database of `backend`, both gone afterwards."""
    with (
        fresh_database(backend, tmp_dir) as url,
        running_server(url, backend, **settings_overrides) as server,
    ):
        yield server


@contextmanager
def receiver_process(script: Path, log: Path, probe: str) -> Iterator[str]:
    """A webhook receiver `script` run as its own process on a free port, logging to `log`; yields its
    base URL once a POST to `probe` gets through, and kills it afterwards."""
    port = free_port()
    process = subprocess.Popen([sys.executable, str(script), str(port), str(log)])
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while True:
        try:
            httpx.post(f"{base}{probe}", content=b"{}", timeout=1)
            break
        except httpx.TransportError:
            if time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"{script.name} did not start") from None
            time.sleep(0.05)
    try:
        yield base
    finally:
        process.kill()
        process.wait(timeout=10)
