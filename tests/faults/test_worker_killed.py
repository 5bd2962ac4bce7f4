"""``kill -9`` of a real ``loyalist worker`` at a seeded moment while it matures and expires
points and sends email to a real SMTP server on loopback; a rerun finishes the work.

The outbox is at-least-once: a message claimed by the killed worker is leased
(``messages.policy.LEASE``) and sent again when its lease ends, with the same Message-ID, so
the receiver can deduplicate. The test asserts exactly that: every message arrives, under
one Message-ID only, and more than once only if it was claimed more than once; every lot
matures once and expires once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.ledger import service as ledger
from loyalist.ledger.models import Posting, PostingKind
from loyalist.messages.models import Message, MessageStatus
from loyalist.messages.policy import LEASE
from loyalist.settings import ProgramPolicy
from tests.campaigning import enrol_many
from tests.cli.conftest import Cli
from tests.conftest import event, order_body
from tests.faults.helpers import fault_seeds, kill_9, replayable, wait_until
from tests.integration.helpers import assert_ledger_consistent, points, run_jobs, send
from tests.integration.messaging import BASE_URL, SENDER, mail_app
from tests.smtp import SmtpSink

MEMBERS = 200
EXPIRING = 50  # points credited 14 months ago: expired at the end of last month but one
ORDER_POINTS = 110


def _order(member: str, key: str, paid_at: datetime, delivered: bool) -> list[dict[str, Any]]:
    body = order_body(key, ("shoe", 2, 5000), ("sock", 1, 1000))
    events = [
        event(f"{key}-placed", "order.placed", member, paid_at, **body),
        event(f"{key}-paid", "order.paid", member, paid_at, order_id=key),
    ]
    if delivered:
        at = paid_at + timedelta(days=1)
        events.append(event(f"{key}-delivered", "order.delivered", member, at, order_id=key))
    return events


def _arrange(app: Loyalist, clock: ManualClock) -> None:
    """Per member: a lot that has expired, an order whose points are due to mature, and a
    fresh paid order whose confirmation email is due now (and the old order's shipping
    email, queued when it was delivered and never sent)."""
    now = datetime.now(UTC)
    ids = enrol_many(app, MEMBERS, prefix="m")
    clock.set(now - timedelta(days=430))

    def credit(uow: Any) -> None:
        for pk in ids:
            ledger.adjust_points(
                uow, pk, EXPIRING, reason="fault suite", issuer="test", program=app.program
            )

    app.db.write(credit)
    clock.set(now - timedelta(days=38))  # delivered 39 days ago: the return window closed
    old = now - timedelta(days=40)
    send(app, *(e for n in range(MEMBERS) for e in _order(f"m{n}", f"old-{n}", old, True)))
    clock.set(now)
    fresh = now - timedelta(minutes=1)
    send(app, *(e for n in range(MEMBERS) for e in _order(f"m{n}", f"new-{n}", fresh, False)))


def _postings(app: Loyalist, kind: PostingKind) -> int:
    return app.db.read(
        lambda uow: (
            uow.session.scalar(
                select(func.count()).select_from(Posting).where(Posting.kind == kind)
            )
            or 0
        )
    )


def _messages(app: Loyalist) -> list[Any]:
    """Each outbox row's id, journey, status and attempts."""
    columns = (Message.id, Message.journey, Message.status, Message.attempts)
    return list(app.db.read(lambda uow: uow.session.execute(select(*columns)).all()))


def _header_id(message: Any) -> str:
    return f"<{message.id}@shop.example>"


@pytest.mark.parametrize("seed", fault_seeds(2, 5, 7))
def test_a_worker_killed_at_a_random_point_loses_nothing_and_books_nothing_twice(
    seed: int,
    cli: Cli,
    app: Loyalist,
    clock: ManualClock,
    program: ProgramPolicy,
    db_url: str,
    sink: SmtpSink,
    tmp_path: Path,
) -> None:
    with replayable(seed) as rng:
        _arrange(app, clock)
        queued = len(_messages(app))
        journeys = Counter(m.journey for m in _messages(app))
        assert journeys == {"order_confirmation": MEMBERS, "shipping": MEMBERS}
        mailing = replace(
            cli,
            extra_env={
                "LOYALIST_SMTP__HOST": "127.0.0.1",
                "LOYALIST_SMTP__PORT": str(sink.port),
                "LOYALIST_MESSAGES__SENDER": SENDER,
                "LOYALIST_MESSAGES__BASE_URL": BASE_URL,
            },
        )
        # The moment: after the k-th lot matured, expired, or email arrived.
        moment = rng.choice(("matured", "expired", "sent"))
        after = rng.randrange(1, MEMBERS)
        progress: dict[str, Callable[[], int]] = {
            "matured": lambda: _postings(app, PostingKind.MATURE),
            "expired": lambda: _postings(app, PostingKind.EXPIRE),
            "sent": lambda: len(sink.received),
        }
        with (tmp_path / "worker.log").open("wb") as log:
            process = mailing.start("worker", "--interval", "0.05", output=log)
            try:
                wait_until(
                    lambda: progress[moment]() >= after, timeout=90, what=moment, process=process
                )
                kill_9(process)
            finally:
                process.kill()
                process.wait(timeout=30)
        work = (_postings(app, PostingKind.MATURE), _postings(app, PostingKind.EXPIRE))
        assert (*work, len(sink.received)) != (MEMBERS, MEMBERS, queued), (
            f"the kill after {after} {moment} came when everything was done"
        )

        rerun = mailing.run("worker", "--once")
        assert rerun.code == 0, rerun.stderr
        # What the killed worker had claimed is leased; when the lease ends it goes again.
        clock.set(datetime.now(UTC) + LEASE + timedelta(seconds=1))
        late = mail_app(db_url, clock, program, sink.port)
        try:
            run_jobs(late)
        finally:
            late.close()

        messages = _messages(app)
        assert len(messages) == queued
        assert Counter(m.status for m in messages) == {MessageStatus.SENT: queued}
        received = Counter(str(m["Message-ID"]) for m in sink.received)
        assert set(received) == {_header_id(m) for m in messages}
        # more than one copy only of a message claimed more than once, and each copy the same
        assert all(received[_header_id(m)] <= m.attempts for m in messages)
        copies: dict[str, set[tuple[str, str]]] = {}
        for mail in sink.received:
            copies.setdefault(str(mail["Message-ID"]), set()).add(
                (str(mail["To"]), str(mail["Subject"]))
            )
        assert all(len(seen) == 1 for seen in copies.values())
        per_member = Counter(to for seen in copies.values() for to, _ in seen)
        assert per_member == dict.fromkeys((f"m{n}@example.com" for n in range(MEMBERS)), 2)
        # every lot matured once and expired once
        assert _postings(app, PostingKind.MATURE) == MEMBERS
        assert _postings(app, PostingKind.EXPIRE) == MEMBERS
        for n in rng.sample(range(MEMBERS), 5):
            balance = points(app, f"m{n}")
            assert (balance["available"], balance["pending"], balance["expired"]) == (
                ORDER_POINTS,
                ORDER_POINTS,
                EXPIRING,
            )
        assert_ledger_consistent(app)
