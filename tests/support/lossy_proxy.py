"""A TCP proxy on 127.0.0.1 that can lose one answer on the way back, as a dropped line would.

`LossyProxy(port).start()` forwards every connection to ``127.0.0.1:port``. After
``lose_answer_to(b"XREADGROUP")`` the next request containing those bytes is forwarded, the
server's answer is swallowed and both sides of that connection are cut: the server did the work
(for Redis, entries are now pending for the reader), the client never hears of it.
"""

from __future__ import annotations

import contextlib
import socket
import threading

from support.servers import free_port


class LossyProxy:
    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = free_port()
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._armed: bytes | None = None
        self._lock = threading.Lock()
        self.answers_lost = 0

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> LossyProxy:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def stop(self) -> None:
        self._listener.close()

    def lose_answer_to(self, marker: bytes) -> None:
        with self._lock:
            self._armed = marker

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # stopped
            server = socket.create_connection(("127.0.0.1", self.target_port))
            doomed = threading.Event()
            threading.Thread(
                target=self._requests, args=(client, server, doomed), daemon=True
            ).start()
            threading.Thread(
                target=self._answers, args=(server, client, doomed), daemon=True
            ).start()

    def _requests(
        self, client: socket.socket, server: socket.socket, doomed: threading.Event
    ) -> None:
        while chunk := _recv(client):
            with self._lock:
                if self._armed is not None and self._armed in chunk:
                    self._armed = None
                    doomed.set()
            server.sendall(chunk)
        _close(client, server)

    def _answers(
        self, server: socket.socket, client: socket.socket, doomed: threading.Event
    ) -> None:
        while chunk := _recv(server):
            if doomed.is_set():
                self.answers_lost += 1
                break  # the answer dies with the line
            client.sendall(chunk)
        _close(client, server)


def _recv(sock: socket.socket) -> bytes:
    try:
        return sock.recv(65536)
    except OSError:
        return b""


def _close(*socks: socket.socket) -> None:
    for sock in socks:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()
