"""A real HTTP receiver on 127.0.0.1 for webhook tests: records every POST and answers with the
statuses it is told to (then 200), or holds a request open until released."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from support.servers import free_port


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    port: int
    statuses: list[int] = field(default_factory=list)  # answered in order, then 200
    hold: threading.Event | None = None  # set: requests wait until it is released
    received: list[Received] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/stockyard"

    def answer(self) -> int:
        with self._lock:
            return self.statuses.pop(0) if self.statuses else 200

    def keys(self) -> list[str]:
        return [r.headers["x-stockyard-delivery"] for r in self.received]


@contextmanager
def receiving(
    port: int | None = None, statuses: list[int] | None = None, hold: threading.Event | None = None
) -> Iterator[Receiver]:
    receiver = Receiver(port or free_port(), list(statuses or []), hold)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            with receiver._lock:
                receiver.received.append(
                    Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
            receiver.arrived.set()
            if receiver.hold is not None:
                receiver.hold.wait(60)
            status = receiver.answer()
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", receiver.port), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        if receiver.hold is not None:
            receiver.hold.set()
        server.shutdown()
        server.server_close()
