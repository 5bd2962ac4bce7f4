"""Log lines are JSON objects with the request id, and never carry personal data or
secrets."""

from __future__ import annotations

import logging

import orjson

from loyalist.logs import RedactingJsonFormatter, redact, request_id


def test_redacts_emails_phones_keys_secrets_and_link_tokens() -> None:
    line = redact(
        "anna.petrova@shop.example from +7 912 345-67-89 or 89123456789 password=hunter2 "
        "key lk_0a1b2c3d4e5f_s3cr3t GET /preferences/eyJ0.abc-1 code: 'SAVE10' "
        "at 2026-01-15 12:00:00 for 12 items"
    )
    for secret in ("anna", "912", "89123456789", "hunter2", "s3cr3t", "eyJ0", "SAVE10"):
        assert secret not in line
    assert "2026-01-15 12:00:00 for 12 items" in line


def test_formats_one_json_object_per_record_with_the_request_id() -> None:
    record = logging.LogRecord(
        "loyalist.test", logging.WARNING, __file__, 1, "member %s changed", ("a@b.example",), None
    )
    token = request_id.set("req-42")
    try:
        line = RedactingJsonFormatter().format(record)
    finally:
        request_id.reset(token)
    assert "\n" not in line
    shown = orjson.loads(line)
    assert shown["request_id"] == "req-42"
    assert shown["level"] == "WARNING"
    assert shown["logger"] == "loyalist.test"
    assert shown["message"] == "member [email] changed"
