"""Privacy's pure decisions: masking a device token, when a retention scan runs, whose old
id is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from loyalist.privacy.models import DestructionKind
from loyalist.privacy.policy import mask_token, refuses_return, scan_due

NOW = datetime(2026, 5, 1, 3, 0, tzinfo=UTC)


def test_a_token_shows_only_its_last_four_characters() -> None:
    assert mask_token("dQw4w9WgXcQ:APA91bF-Zyx8") == "…Zyx8"
    assert mask_token("short") == "…"  # too short to show any of it


def test_a_scan_runs_until_finished_then_once_a_day() -> None:
    day = timedelta(days=1)
    assert scan_due(None, None, NOW)  # never started
    assert scan_due(NOW - 3 * day, None, NOW)  # unfinished
    assert not scan_due(NOW - timedelta(hours=23), NOW - timedelta(hours=22), NOW)
    assert scan_due(NOW - day, NOW - timedelta(hours=22), NOW)


def test_only_a_request_refuses_the_old_id() -> None:
    assert refuses_return(DestructionKind.REQUEST)
    assert not refuses_return(DestructionKind.RETENTION)
