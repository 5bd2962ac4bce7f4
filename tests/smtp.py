"""A real SMTP server on loopback (aiosmtpd) that keeps what it received, parsed with the
stdlib ``email`` package; it can refuse or defer recipients and be stopped and started
again on the same port."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class SmtpSink:
    """``received``: every message accepted, in order. Recipients in ``refused`` get a 550,
    in ``deferred`` a 451."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.received: list[EmailMessage] = []
        self.raw: list[bytes] = []
        self.refused: set[str] = set()
        self.deferred: set[str] = set()
        self.rcpt_count = 0
        #: the client ends (host, port) messages came from: one per connection
        self.peers: set[Any] = set()
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        with self._lock:
            self.rcpt_count += 1
        if address in self.refused:
            return "550 5.1.1 mailbox does not exist"
        if address in self.deferred:
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content: bytes = envelope.content
        parsed = message_from_bytes(content, policy=default)
        assert isinstance(parsed, EmailMessage)
        with self._lock:
            self.peers.add(tuple(session.peer))
            self.raw.append(content)
            self.received.append(parsed)
        return "250 2.0.0 accepted"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def message_ids(self) -> list[str]:
        return [str(m["Message-ID"]) for m in self.received]


@contextmanager
def running_sink(port: int | None = None) -> Iterator[SmtpSink]:
    sink = SmtpSink(port)
    sink.start()
    try:
        yield sink
    finally:
        sink.stop()
