"""A local HTTP server that replays recorded responses, with faults on demand.

The fixture tree holds one folder per provider; provider ``p`` is served under ``/p/``, so a
connector's base URL becomes ``http://127.0.0.1:<port>/p`` and the real client code runs unchanged.

- ``GET /p/<path>`` serves ``<root>/p/<path>``, or ``<path>.gz`` with ``Content-Encoding: gzip``;
  a path ending in ``/`` serves its ``index.html``.
- ``<root>/p/_routes.json`` lists answers that depend on method, query or body:
  ``[{"method": "POST", "path": "/search/report/data/", "match": {"start": "0"}, "file": "…",
  "status": 200, "headers": {…}}]`` (``match`` is a subset match over query and body fields).
- Rendered routes (`stockyard.replay.render`) answer path patterns a provider computes from bundled
  data (Polygon's daily bars); files and ``_routes.json`` shadow them.
- Faults (``Fault``) are queued per path glob and consumed one per matching request: an HTTP status
  (with ``Retry-After``), a slow answer, a truncated body, or a dropped connection. Other processes
  can queue them through ``POST /__replay__/faults``.
"""

from __future__ import annotations

import fnmatch
import json
import mimetypes
import threading
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from stockyard.replay.providers import discover_routes
from stockyard.replay.render import Rendered, RenderedRoute

CONTROL_PREFIX = "/__replay__/"


@dataclass
class Fault:
    """One injected misbehaviour. `times` requests matching `path` get it, then it is used up."""

    kind: str  # "status" | "slow" | "truncate" | "drop"
    path: str = "*"  # glob over the request path, e.g. "/house_clerk/*.zip"
    times: int = 1
    status: int = 500
    retry_after: str | None = None
    delay: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in {"status", "slow", "truncate", "drop"}:
            raise ValueError(f"unknown fault kind {self.kind!r}")


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    path: str
    query: str
    status: int


@dataclass
class _Route:
    method: str
    path: str
    file: str
    match: dict[str, str] = field(default_factory=dict)
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


class ReplayServer:
    """Serve `roots` (later roots shadow earlier ones) on 127.0.0.1 in a background thread."""

    def __init__(
        self,
        roots: Path | Iterable[Path],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        rendered: Iterable[RenderedRoute] | None = None,
    ):
        self.roots = [roots] if isinstance(roots, Path) else list(roots)
        # None: whatever the roots' providers render from their bundled data.
        self.rendered = list(discover_routes(self.roots) if rendered is None else rendered)
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._routes: dict[str, list[tuple[Path, _Route]]] = {}
        self.requests: list[LoggedRequest] = []
        self._httpd = ThreadingHTTPServer((host, port), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def base_url(self, provider: str) -> str:
        return f"{self.url}/{provider}"

    def start(self) -> ReplayServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="replay", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        for route in self.rendered:
            if route.close is not None:
                route.close()

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- faults and logs ---------------------------------------------------------------------
    def inject(self, *faults: Fault) -> None:
        with self._lock:
            self._faults.extend(faults)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def count(self, path_glob: str = "*", method: str | None = None) -> int:
        with self._lock:
            return sum(
                1
                for r in self.requests
                if fnmatch.fnmatch(r.path, path_glob) and (method is None or r.method == method)
            )

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fnmatch.fnmatch(path, fault.path):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def _log(self, method: str, path: str, query: str, status: int) -> None:
        with self._lock:
            self.requests.append(LoggedRequest(method, path, query, status))

    # -- resolution --------------------------------------------------------------------------
    def _provider_routes(self, provider: str) -> list[tuple[Path, _Route]]:
        with self._lock:
            cached = self._routes.get(provider)
        if cached is not None:
            return cached
        routes: list[tuple[Path, _Route]] = []
        for root in reversed(self.roots):  # later roots first: they shadow
            spec = root / provider / "_routes.json"
            if spec.is_file():
                for item in json.loads(spec.read_text(encoding="utf-8")):
                    routes.append((root / provider, _Route(**item)))
        with self._lock:
            self._routes[provider] = routes
        return routes

    def resolve(
        self, method: str, path: str, fields: dict[str, str]
    ) -> tuple[Path, int, dict[str, str]] | None:
        """The fixture file, status and extra headers answering a request, or None."""
        provider, _, rest = path.lstrip("/").partition("/")
        if not provider or ".." in path.split("/"):
            return None
        sub = "/" + rest
        for base, route in self._provider_routes(provider):
            if route.method.upper() != method or route.path != sub:
                continue
            if all(fields.get(k) == str(v) for k, v in route.match.items()):
                return base / route.file, route.status, dict(route.headers)
        for root in reversed(self.roots):
            candidate = root / provider / rest
            if rest.endswith("/") or rest == "":
                candidate = candidate / "index.html"
            for option in (candidate, candidate.with_name(candidate.name + ".gz")):
                if option.is_file():
                    return option, 200, {}
        return None

    def render(self, method: str, path: str, fields: dict[str, str]) -> Rendered | None:
        """A rendered answer for a request no file or route answers, or None."""
        provider, _, rest = path.lstrip("/").partition("/")
        for route in self.rendered:
            if route.provider == provider:
                answer = route.answer(method, "/" + rest, fields)
                if answer is not None:
                    return answer
        return None

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out as separate writes; with Nagle on, keep-alive clients wait
            # out a delayed ACK (~40 ms) per request.
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                return  # the request log is kept in `server.requests`, not printed

            def do_GET(self) -> None:
                self._serve()

            def do_POST(self) -> None:
                self._serve()

            def do_HEAD(self) -> None:
                self._serve(head=True)

            def do_DELETE(self) -> None:
                self._serve()

            def _fields(self, query: str) -> dict[str, str]:
                fields = dict(parse_qsl(query, keep_blank_values=True))
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    body = self.rfile.read(length)
                    ctype = self.headers.get("Content-Type", "")
                    if "json" in ctype:
                        try:
                            decoded = json.loads(body)
                        except ValueError:
                            decoded = None
                        if isinstance(decoded, dict):
                            fields.update({k: str(v) for k, v in decoded.items()})
                    else:
                        fields.update(parse_qsl(body.decode("utf-8", "replace")))
                return fields

            def _serve(self, head: bool = False) -> None:
                parts = urlsplit(self.path)
                fields = self._fields(parts.query)
                if parts.path.startswith(CONTROL_PREFIX):
                    self._control(parts.path[len(CONTROL_PREFIX) :], fields)
                    return
                fault = server._take_fault(parts.path)
                if fault is not None and fault.kind == "drop":
                    server._log(self.command, parts.path, parts.query, 0)
                    self.close_connection = True
                    self.connection.close()
                    return
                if fault is not None and fault.kind == "status":
                    headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                    server._log(self.command, parts.path, parts.query, fault.status)
                    self._send(fault.status, b'{"error": "injected fault"}', headers, head)
                    return
                if fault is not None and fault.kind == "slow":
                    time.sleep(fault.delay)
                found = server.resolve(self.command, parts.path, fields)
                rendered = None if found else server.render(self.command, parts.path, fields)
                if rendered is not None:
                    truncate = fault is not None and fault.kind == "truncate"
                    server._log(self.command, parts.path, parts.query, rendered.status)
                    headers = {"Content-Type": rendered.content_type}
                    self._send(rendered.status, rendered.body, headers, head, truncate=truncate)
                    return
                if found is None:
                    body = json.dumps({"error": "no recorded response", "path": parts.path})
                    server._log(self.command, parts.path, parts.query, 404)
                    self._send(404, body.encode(), {"Content-Type": "application/json"}, head)
                    return
                file, status, headers = found
                data = file.read_bytes()
                name = file.name
                if name.endswith(".gz"):
                    headers.setdefault("Content-Encoding", "gzip")
                    name = name[:-3]
                headers.setdefault(
                    "Content-Type", mimetypes.guess_type(name)[0] or "application/octet-stream"
                )
                truncate = fault is not None and fault.kind == "truncate"
                server._log(self.command, parts.path, parts.query, status)
                self._send(status, data, headers, head, truncate=truncate)

            def _control(self, action: str, fields: dict[str, str]) -> None:
                if action == "faults" and self.command == "POST":
                    spec = {k: v for k, v in fields.items() if k in Fault.__dataclass_fields__}
                    for key in ("times", "status"):
                        if key in spec:
                            spec[key] = int(spec[key])  # type: ignore[assignment]
                    if "delay" in spec:
                        spec["delay"] = float(spec["delay"])  # type: ignore[assignment]
                    server.inject(Fault(**spec))  # type: ignore[arg-type]
                    self._send(204, b"", {}, False)
                elif action == "faults" and self.command == "DELETE":
                    server.clear_faults()
                    self._send(204, b"", {}, False)
                elif action == "requests":
                    body = json.dumps([asdict(r) for r in server.requests]).encode()
                    self._send(200, body, {"Content-Type": "application/json"}, False)
                else:
                    self._send(404, b'{"error": "unknown control action"}', {}, False)

            def _send(
                self,
                status: int,
                body: bytes,
                headers: dict[str, str],
                head: bool,
                truncate: bool = False,
            ) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                if truncate:
                    self.send_header("Connection", "close")
                self.end_headers()
                if head:
                    return
                if truncate:
                    # Promise the whole body, send half, hang up: what a dropped download looks like.
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(body)

        return Handler
