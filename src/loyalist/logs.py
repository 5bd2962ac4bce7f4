"""Structured logs: one JSON object per line with the request id, personal data and secrets
redacted from every text value (email addresses, phone numbers, API keys and anything
logged as ``password=``, ``token=``, ``code=`` …, and the opaque tokens of member links)."""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
from contextvars import ContextVar
from typing import Any, TextIO

import orjson
from pythonjsonlogger.json import JsonFormatter

#: The id of the request being served (set by the API's edge middleware), or None.
request_id: ContextVar[str | None] = ContextVar("loyalist_request_id", default=None)

#: The request log (``api.observe``): one line per request, its fields in the record's
#: ``REQUEST_FIELDS`` attribute.
REQUEST_LOGGER = "loyalist.requests"
REQUEST_FIELDS = "request_fields"

_EMAIL = re.compile(r"[^\s@\"'<>(),;:]+@[^\s@\"'<>(),;:]+\.[^\s@\"'<>(),;:]{2,}")
#: 10 to 15 digits, optionally with one separator between digits, a plus in front (not an
#: ISO date and time).
_PHONE = re.compile(r"(?<![\w+])(?!\d{4}-\d\d-\d\d)\+?\d(?:[ ().-]?\d){9,14}(?!\w)")
_API_KEY = re.compile(r"\blk_[A-Za-z0-9]+_[A-Za-z0-9_-]+")
_SECRET_FIELD = re.compile(
    r"(?i)\b(password|passwd|secret|token|code|api_key|csrf|session|recovery_code)"
    r"(\s*[=:]\s*)(\"[^\"]*\"|'[^']*'|[^\s,;&]+)"
)
_LINK_TOKEN = re.compile(r"/(preferences|surveys|unsubscribe)/[^\s/?\"']+")


def redact(text: str) -> str:
    """``text`` without email addresses, phone numbers, API keys, secret-looking fields or
    member link tokens (each replaced by a marker saying what was there)."""
    text = _API_KEY.sub("[api-key]", text)
    text = _SECRET_FIELD.sub(r"\1\2[redacted]", text)
    text = _LINK_TOKEN.sub(r"/\1/[token]", text)
    text = _EMAIL.sub("[email]", text)
    return _PHONE.sub("[phone]", text)


class RedactingJsonFormatter(JsonFormatter):
    """``{"time", "level", "logger", "message", "request_id", …}`` per record; every text
    value (the message, a traceback, extra fields) goes through ``redact`` (of the request
    log's lines, built by the code from safe values, only the request id)."""

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            json_ensure_ascii=False,
        )
        self._second: tuple[int, str] = (-1, "")

    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, REQUEST_FIELDS, None)
        if record.name != REQUEST_LOGGER or not isinstance(fields, dict):
            return super().format(record)
        # The request log's line, written on every request: its fields are values the code
        # built (route templates, methods, numbers, public ids), so only the request id, which
        # a client may send, is searched, and for what its letters, digits, dots, dashes and
        # underscores can spell (``api.edge``): an API key or a phone number.
        rid = request_id.get()
        line = {
            "time": self._time(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **fields,
            "request_id": rid
            if rid is None
            else _PHONE.sub("[phone]", _API_KEY.sub("[api-key]", rid)),
        }
        return orjson.dumps(line).decode()

    def _time(self, record: logging.LogRecord) -> str:
        """``formatTime``'s text, its seconds part made once a second."""
        second = int(record.created)
        made, text = self._second
        if made != second:
            text = self.formatTime(record, self.datefmt).rpartition(",")[0]
            self._second = (second, text)
        return f"{text},{int(record.msecs):03d}"

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        log_data["request_id"] = request_id.get()
        return {
            key: redact(value) if isinstance(value, str) and key != "time" else value
            for key, value in log_data.items()
        }


class BatchedStreamHandler(logging.StreamHandler[TextIO]):
    """A stream handler that writes its lines in batches: a line below WARNING (the request
    log's, one per request) is kept and written with the others kept when ``seconds`` have
    passed since the first of them (a timer thread writes them when no further line comes),
    when ``lines`` are kept, and before any WARNING or worse line, which is written at once;
    and on ``flush`` and ``close`` (at the process's exit).

    A write per line is a system call in the event loop's thread per request, and each one
    lets the threads reading the database take the interpreter lock away from the loop:
    under load that cost the balance route 18% of its rate. A process killed with SIGKILL
    loses at most the last ``seconds`` of request lines, never a warning."""

    def __init__(self, stream: TextIO, *, seconds: float = 0.25, lines: int = 256) -> None:
        super().__init__(stream)
        self._seconds = seconds
        self._lines = lines
        self._kept: list[str] = []
        self._first = 0.0  # ``created`` of the first kept record
        self._timer: threading.Thread | None = None
        self._stopped = threading.Event()
        os.register_at_fork(after_in_child=self._forked)

    def emit(self, record: logging.LogRecord) -> None:  # called with the handler's lock held
        try:
            line = self.format(record)
        except Exception:
            self.handleError(record)
            return
        if not self._kept:
            self._first = record.created
        self._kept.append(line)
        if (
            record.levelno >= logging.WARNING
            or len(self._kept) >= self._lines
            or record.created - self._first >= self._seconds
        ):
            self._write(record)
        elif self._timer is None:
            self._timer = threading.Thread(
                target=self._tick, name="loyalist-log-writer", daemon=True
            )
            self._timer.start()

    def flush(self) -> None:
        with self.lock:  # type: ignore[union-attr]
            if self._kept:
                self._write(None)
            super().flush()

    def close(self) -> None:
        self._stopped.set()
        self.flush()
        super().close()

    def _write(self, record: logging.LogRecord | None) -> None:
        text = "\n".join(self._kept) + "\n"
        self._kept.clear()
        try:
            self.stream.write(text)
            self.stream.flush()
        except Exception:
            if record is not None:
                self.handleError(record)

    def _tick(self) -> None:
        while not self._stopped.wait(self._seconds):
            self.flush()

    def _forked(self) -> None:
        """A child process has no timer thread (and none of the parent's kept lines)."""
        self._timer = None
        self._kept.clear()


def configure_json_logging(level: str) -> None:
    """Every record of the process (ours, uvicorn's) as one JSON line on stderr, written in
    batches (``BatchedStreamHandler``)."""
    # Nothing shows the thread's or process's name: not looked up for every record.
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    handler = BatchedStreamHandler(sys.stderr)
    handler.setFormatter(RedactingJsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
