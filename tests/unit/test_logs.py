"""Log lines are JSON objects with the request id, and never carry personal data or
secrets."""

from __future__ import annotations

import io
import logging
import signal
import subprocess
import sys
import textwrap
import time

import orjson

from loyalist.logs import BatchedStreamHandler, RedactingJsonFormatter, redact, request_id


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


def _record(level: int, text: str, created: float) -> logging.LogRecord:
    record = logging.LogRecord("loyalist.test", level, __file__, 1, text, (), None)
    record.created = created
    return record


def _lines(stream: io.StringIO) -> list[str]:
    return stream.getvalue().splitlines()


def test_info_lines_wait_for_the_batch_and_a_warning_writes_them_first() -> None:
    stream = io.StringIO()
    handler = BatchedStreamHandler(stream, seconds=3600, lines=100)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.handle(_record(logging.INFO, "one", 1000.0))
    handler.handle(_record(logging.INFO, "two", 1000.1))
    assert _lines(stream) == []
    handler.handle(_record(logging.WARNING, "three", 1000.2))
    assert _lines(stream) == ["INFO one", "INFO two", "WARNING three"]
    handler.handle(_record(logging.INFO, "four", 1000.3))
    handler.flush()
    assert _lines(stream)[-1] == "INFO four"
    handler.close()


def test_a_batch_is_written_when_full_or_old_enough() -> None:
    stream = io.StringIO()
    handler = BatchedStreamHandler(stream, seconds=3600, lines=3)
    for n in range(5):
        handler.handle(_record(logging.INFO, f"line {n}", 1000.0))
    assert _lines(stream) == ["line 0", "line 1", "line 2"]
    handler.handle(_record(logging.INFO, "late", 1000.0 + 3600))
    assert _lines(stream) == [f"line {n}" for n in range(5)] + ["late"]
    handler.close()


def test_the_timer_writes_lines_when_no_further_line_comes() -> None:
    stream = io.StringIO()
    handler = BatchedStreamHandler(stream, seconds=0.05, lines=100)
    handler.handle(_record(logging.INFO, "alone", time.time()))
    deadline = time.monotonic() + 10
    while not _lines(stream) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _lines(stream) == ["alone"]
    handler.close()


_PROCESS = textwrap.dedent(
    """
    import logging, os, signal, sys
    from loyalist.logs import configure_json_logging
    configure_json_logging("info")
    log = logging.getLogger("loyalist.test")
    for n in range(3):
        log.info("request %d", n)
    if sys.argv[1] == "kill":
        log.warning("the database is away")
        log.info("after the warning")
        os.kill(os.getpid(), signal.SIGKILL)
    """
)


def _run(how: str) -> tuple[int, list[str]]:
    done = subprocess.run(  # noqa: S603 (this interpreter, a fixed script)
        [sys.executable, "-c", _PROCESS, how], capture_output=True, timeout=60, check=False
    )
    return done.returncode, [orjson.loads(line)["message"] for line in done.stderr.splitlines()]


def test_a_process_writes_every_kept_line_when_it_exits() -> None:
    assert _run("exit") == (0, ["request 0", "request 1", "request 2"])


def test_a_killed_process_has_written_every_line_up_to_its_last_warning() -> None:
    code, messages = _run("kill")
    assert code == -signal.SIGKILL
    assert messages == ["request 0", "request 1", "request 2", "the database is away"]
