"""A webhook receiver in its own process: records every request, answers as its path says.

    python receiver.py PORT LOG

Paths: /ok → 200; /fail → 500; /gone → 410; /busy → 429 with Retry-After: 7; /flaky/N → 500 for the
first N requests to that path, then 200; /slow/S → 200 after S seconds;
/slowfail/S → 500 after S seconds. Each request is appended to LOG
as one JSON line {path, headers, body, at}.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_lock = threading.Lock()
_seen: dict[str, int] = {}


def main() -> None:
    port, log_path = int(sys.argv[1]), sys.argv[2]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: the sender reuses its connections

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0"))).decode()
            with _lock:
                _seen[self.path] = _seen.get(self.path, 0) + 1
                count = _seen[self.path]
                with open(log_path, "a", encoding="utf-8") as log:
                    record = {
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": body,
                        "at": time.time(),
                    }
                    log.write(json.dumps(record) + "\n")
            status, headers = self.answer(count)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("content-length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def answer(self, count: int) -> tuple[int, dict[str, str]]:
            parts = self.path.strip("/").split("/")
            if parts[0] == "ok":
                return 200, {}
            if parts[0] == "gone":
                return 410, {}
            if parts[0] == "busy":
                return 429, {"Retry-After": "7"}
            if parts[0] == "flaky":
                return (500 if count <= int(parts[1]) else 200), {}
            if parts[0] == "slow":
                time.sleep(float(parts[1]))
                return 200, {}
            if parts[0] == "slowfail":
                time.sleep(float(parts[1]))
            return 500, {}

        def log_message(self, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        request_queue_size = 1024  # the default 5 drops bursts of connects (1 s SYN retries)
        daemon_threads = True

    Server(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    main()
