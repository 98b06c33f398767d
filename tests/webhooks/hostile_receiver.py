"""A webhook receiver that answers badly, in its own process, on raw sockets (no HTTP library between
it and the wire):

    python hostile_receiver.py PORT LOG

Paths (anything after the first segment is free, to tell tests apart):
/nul → 200 with NUL bytes in the body; /binary → 500, a body of invalid UTF-8 with NULs;
/huge → 200 announcing and sending 50 MB; /endless → 200, a chunked body that never ends;
/headers → 200 announcing 1000 bytes, then the connection closes; /stall → 200 announcing 1000 bytes,
then nothing; /reset → the connection reset (RST) once the request is read; /garbage → not HTTP.
Each request is appended to LOG as one JSON line {path, at}; /huge and /endless add a line
{path, sent} with the bytes of body written before the sender went away.
"""

from __future__ import annotations

import asyncio
import json
import socket
import struct
import sys
import time
from collections.abc import Callable

HUGE = 50 * 1024 * 1024
CHUNK = b"x" * 65536


async def serve(port: int, log_path: str) -> None:
    def log(record: dict[str, object]) -> None:
        with open(log_path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            path = lines[0].split(" ")[1]
            length = next(
                (int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:")),
                0,
            )
            await reader.readexactly(length)
            log({"path": path, "at": time.time()})
            kind = path.strip("/").split("/")[0]
            if kind == "reset":
                sock = writer.get_extra_info("socket")
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                writer.transport.abort()
                return
            if kind == "garbage":
                writer.write(b"\x00\xff\xfe garbage\r\n\r\n")
            elif kind == "nul":
                body = b"ok\x00\x00 then more\x00"
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
            elif kind == "binary":
                body = b"\xff\xfe\x00\xc3\x28\xed\xa0\x80\xf0\x28\x8c\x28 \x00 bad"
                writer.write(b"HTTP/1.1 500 Oops\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
            elif kind == "huge":
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % HUGE)
                await _stream(writer, path, log, HUGE)
            elif kind == "endless":
                writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                await _stream(writer, path, log, None)
            elif kind in ("headers", "stall"):
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
                await writer.drain()
                if kind == "stall":
                    await reader.read()  # until the sender gives up
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=1024)
    async with server:
        await server.serve_forever()


async def _stream(
    writer: asyncio.StreamWriter, path: str, log: Callable[[dict[str, object]], None], total: int | None
) -> None:
    sent = 0
    try:
        while total is None or sent < total:
            if total is None:
                writer.write(b"%x\r\n%s\r\n" % (len(CHUNK), CHUNK))
            else:
                writer.write(CHUNK[: total - sent])
            await writer.drain()
            sent += len(CHUNK)
    except ConnectionError:
        pass
    finally:
        log({"path": path, "sent": min(sent, total or sent)})


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1]), sys.argv[2]))
