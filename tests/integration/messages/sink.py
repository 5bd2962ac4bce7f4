"""A real HTTP server on 127.0.0.1 that records every request and answers from a script."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import orjson


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    body: bytes

    def json(self) -> object:
        return orjson.loads(self.body)


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes | object = b""
    headers: Mapping[str, str] = field(default_factory=dict)

    def encoded(self) -> bytes:
        return self.body if isinstance(self.body, bytes) else orjson.dumps(self.body)


class Sink:
    """Answers with the scripted replies in order, then with ``default`` for the rest."""

    def __init__(self, server: ThreadingHTTPServer) -> None:
        self._server = server
        self.received: list[Received] = []
        self.replies: list[Reply] = []
        self.default = Reply(200, b"")
        self.lock = threading.Lock()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def reply(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def next_reply(self) -> Reply:
        with self.lock:
            return self.replies.pop(0) if self.replies else self.default

    @property
    def last(self) -> Received:
        assert self.received, "the sink received nothing"
        return self.received[-1]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the client reuses its connection
    server: _Server

    def do_POST(self) -> None:
        self._record()

    def do_GET(self) -> None:
        self._record()

    def _record(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        sink = self.server.sink
        with sink.lock:
            sink.received.append(
                Received(
                    method=self.command,
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                )
            )
        reply = sink.next_reply()
        content = reply.encoded()
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if content and "Content-Type" not in reply.headers:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests read ``Sink.received``."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    sink: Sink


@contextmanager
def running_sink() -> Iterator[Sink]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.sink = Sink(server)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server.sink
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
