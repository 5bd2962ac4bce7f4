"""Structured logs: one JSON object per line with the request id, personal data and secrets
redacted from every text value (email addresses, phone numbers, API keys and anything
logged as ``password=``, ``token=``, ``code=`` …, and the opaque tokens of member links)."""

from __future__ import annotations

import logging
import re
import sys
from contextvars import ContextVar
from typing import Any

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


def configure_json_logging(level: str) -> None:
    """Every record of the process (ours, uvicorn's) as one JSON line on stderr."""
    # Nothing shows the thread's or process's name: not looked up for every record.
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingJsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
