"""The SMTP server down: a real aiosmtpd on a fixed loopback port, stopped and started
again at seeded moments while order confirmations fall due. Each failed send is visible on
its message (``queued``, its attempts, the reason) and retried no sooner than the messages
domain's backoff (``messages.policy.retry_at``: 30 s doubling to an hour, plus up to half
again as jitter); nothing is ``sent`` that the server did not receive; once the server is
back every message arrives exactly once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.messages.models import Message, MessageStatus
from tests.conftest import START
from tests.faults.helpers import fault_seeds, replayable
from tests.integration.helpers import run_jobs
from tests.integration.messaging import enrol, pay_order
from tests.smtp import SmtpSink

MEMBERS = 8
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)


def _outbox(app: Loyalist) -> dict[str, Any]:
    """Each message's status, attempts, next attempt and reason, by Message-ID header."""
    columns = (
        Message.id,
        Message.status,
        Message.attempts,
        Message.next_attempt_at,
        Message.reason,
    )
    rows = app.db.read(lambda uow: uow.session.execute(select(*columns)).all())
    return {f"<{row.id}@shop.example>": row for row in rows}


def _backoff(attempts: int) -> timedelta:
    delay: timedelta = FIRST_RETRY * 2 ** (attempts - 1)
    return min(delay, LONGEST_RETRY)


def _outages(rng: Any) -> list[tuple[datetime, datetime]]:
    """Two outages: from the start for 2-10 minutes, then after 1-3 minutes up, 1-6 more."""
    first_end = START + timedelta(minutes=rng.uniform(2, 10))
    second_start = first_end + timedelta(minutes=rng.uniform(1, 3))
    return [(START, first_end), (second_start, second_start + timedelta(minutes=rng.uniform(1, 6)))]


@pytest.mark.parametrize("seed", fault_seeds(5, 6))
def test_mail_due_while_the_smtp_server_is_down_is_retried_with_backoff_and_sent_once(
    seed: int, mailing_app: Loyalist, clock: ManualClock, sink: SmtpSink
) -> None:
    app = mailing_app
    with replayable(seed) as rng:
        for n in range(MEMBERS):
            enrol(app, f"M{n}", email=f"m{n}@example.com")
        outages = _outages(rng)
        # orders paid at random moments of the first outage and of the time up between
        unpaid = sorted((START + timedelta(seconds=rng.uniform(0, 600)), n) for n in range(MEMBERS))
        port, running = sink.port, True
        failures = 0
        while clock.now() < START + timedelta(hours=3):
            down = any(start <= clock.now() < end for start, end in outages)
            if down == running:
                (sink.stop if running else sink.start)()
                running = not down
            while unpaid and unpaid[0][0] <= clock.now():
                at, n = unpaid.pop(0)
                pay_order(app, f"M{n}", f"A-{n}", at)
            before = _outbox(app)
            run_jobs(app)
            now = clock.now()
            after = _outbox(app)
            received = set(sink.message_ids())
            assert sink.port == port
            for header, row in after.items():
                old = before.get(header)
                if row.status == MessageStatus.SENT:
                    assert header in received, f"{header} is sent but never arrived"
                    assert old is None or old.status == MessageStatus.SENT or not down
                    continue
                assert row.status == MessageStatus.QUEUED, (header, row.status, row.reason)
                if old is not None and row.attempts > old.attempts:
                    assert now >= old.next_attempt_at, f"{header} retried before it was due"
                    failures += 1
                    assert row.reason.startswith(f"attempt {row.attempts} failed, retrying:")
                    assert "SMTP unreachable" in row.reason
                    delay = row.next_attempt_at - now
                    assert _backoff(row.attempts) <= delay <= _backoff(row.attempts) * 1.5
            if {r.status for r in after.values()} == {MessageStatus.SENT} and len(after) == MEMBERS:
                break
            clock.advance(timedelta(seconds=rng.uniform(1, 40)))

        outbox = _outbox(app)
        assert len(outbox) == MEMBERS
        assert {row.status for row in outbox.values()} == {MessageStatus.SENT}
        assert sorted(sink.message_ids()) == sorted(outbox)  # each exactly once
        assert failures > 0
        assert max(row.attempts for row in outbox.values()) >= 2
