"""How channels classify a failed HTTP answer (status, ``Retry-After``) and when a
failing webhook endpoint is disabled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalist.messages.channels.http import is_transient_status, retry_after
from loyalist.messages.channels.webhook import endpoint_disabled

NOW = datetime(2026, 3, 1, 10, 31, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "transient"),
    [
        *[(status, True) for status in (408, 429, 500, 502, 503, 504)],
        *[(status, False) for status in (301, 302, 400, 401, 403, 404, 409, 410, 422)],
    ],
)
def test_statuses_are_transient_or_permanent(status: int, transient: bool) -> None:
    assert is_transient_status(status) is transient


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        ("Sun, 01 Mar 2026 10:33:00 GMT", 120.0),
        ("Sunday, 01-Mar-26 10:33:00 GMT", 120.0),
        ("Sun Mar  1 10:33:00 2026", 120.0),
        ("Sun, 01 Mar 2026 10:00:00 GMT", 0.0),  # already past: retry now
        (None, None),
        ("", None),
        ("soon", None),
        ("-5", None),
        ("1.5", None),
    ],
)
def test_retry_after_reads_seconds_and_http_dates(
    header: str | None, seconds: float | None
) -> None:
    assert retry_after(header, NOW) == seconds


@given(seconds=st.integers(0, 10**9))
def test_retry_after_seconds_are_taken_as_given(seconds: int) -> None:
    assert retry_after(str(seconds), NOW) == seconds


@given(
    failing_for=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)),
    after=st.timedeltas(min_value=timedelta(minutes=1), max_value=timedelta(days=10)),
)
def test_an_endpoint_is_disabled_once_it_failed_continuously_long_enough(
    failing_for: timedelta, after: timedelta
) -> None:
    assert endpoint_disabled(NOW - failing_for, NOW, after) is (failing_for >= after)


def test_an_endpoint_that_is_not_failing_stays_enabled() -> None:
    assert endpoint_disabled(None, NOW, timedelta(0)) is False
