"""``loyalist serve`` and ``loyalist worker`` stop gracefully on SIGTERM while load runs:
nothing acknowledged is lost, nothing claimed is left behind, and both exit 0."""

from __future__ import annotations

import asyncio
import signal
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from loyalist.members.schemas import MemberProfile
from loyalist.messages.models import Message, MessageKind, MessageStatus
from loyalist.messages.service import MessageDraft
from loyalist.staff.models import Scope
from loyalist.staff.service import create_api_key
from tests.cli.conftest import Cli
from tests.cli.helpers import activity_ids
from tests.cli.serving import started, wait_healthy
from tests.conftest import START, event
from tests.integration.helpers import send
from tests.integration.messaging import SENDER, email_draft, queue
from tests.smtp import SmtpSink, free_port

GRACE_SECONDS = 10
MEMBERS = 20
CLIENTS = 6


def admin_token(app: Loyalist) -> str:
    return app.db.write(lambda uow: create_api_key(uow, "load", [Scope.ADMIN])[1])


@dataclass
class Load:
    """Client threads posting one event per request, each with a fresh id, until stopped;
    every request's outcome (``status`` or the transport error's name) and end time."""

    base_url: str
    token: str
    outcomes: list[tuple[str, int | str, float]] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, number: int) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        deadline = time.monotonic() + 60
        with httpx.Client(base_url=self.base_url, headers=headers, timeout=30.0) as client:
            n = 0
            while not self.done.is_set() and time.monotonic() < deadline:
                n += 1
                event_id = f"load-{number}-{n}-{uuid.uuid4().hex[:6]}"
                body = event(event_id, "x.page_view", f"M{n % MEMBERS}", datetime.now(UTC))
                outcome: int | str
                try:
                    outcome = client.post("/api/v1/events", json=body).status_code
                except httpx.TransportError as exc:
                    outcome = type(exc).__name__
                    time.sleep(0.01)  # refused at once: do not spin
                with self.lock:
                    self.outcomes.append((event_id, outcome, time.monotonic()))

    def count(self, status: int) -> int:
        with self.lock:
            return sum(1 for _, outcome, _ in self.outcomes if outcome == status)


def serve_under_load(cli: Cli, app: Loyalist, tmp_path: Path, *args: str) -> None:
    """``loyalist serve <args>`` under load gets SIGTERM: it exits 0 within the grace,
    every event answered 202 is stored, the requests in flight were answered and the later
    ones refused."""
    send(app, *(event(f"enrol-{n}", "member.enrolled", f"M{n}", START) for n in range(MEMBERS)))
    port = free_port()
    serving = Cli(
        cli.home,
        cli.database_url,
        {"LOYALIST_SHUTDOWN_GRACE_SECONDS": str(GRACE_SECONDS), "LOYALIST_LOG_LEVEL": "info"},
    )
    log = tmp_path / "serve.log"
    with started(serving, log, "serve", "--port", str(port), *args) as server:
        base_url = f"http://127.0.0.1:{port}"
        wait_healthy(base_url, server, log)
        load = Load(base_url, admin_token(app))
        clients = [threading.Thread(target=load.run, args=(n,)) for n in range(CLIENTS)]
        for client in clients:
            client.start()
        deadline = time.monotonic() + 30
        while load.count(202) < 200 and time.monotonic() < deadline:
            time.sleep(0.01)
        signalled_at = time.monotonic()
        server.send_signal(signal.SIGTERM)
        code = server.wait(GRACE_SECONDS + 15)
        exited_after = time.monotonic() - signalled_at
        time.sleep(0.3)  # the clients meet the closed port
        load.done.set()
        for client in clients:
            client.join(35)

    text = log.read_text(errors="replace")
    assert code == 0, text
    assert exited_after < GRACE_SECONDS + 5
    assert "Traceback" not in text
    outcomes = load.outcomes
    assert {o for _, o, _ in outcomes if isinstance(o, int)} <= {202, 503}, outcomes
    acknowledged = {event_id for event_id, o, _ in outcomes if o == 202}
    assert acknowledged <= activity_ids(app)
    # Requests in flight when the signal came were answered, not dropped.
    assert any(o == 202 and at > signalled_at for _, o, at in outcomes)
    # And after it the port was closed: the later requests were refused.
    assert any(isinstance(o, str) and at > signalled_at for _, o, at in outcomes)


class TestServeOnSigterm:
    def test_answers_every_request_in_flight_and_loses_no_acknowledged_event(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        serve_under_load(cli, app, tmp_path)


class SlowSink(SmtpSink):
    """An SMTP server that takes a while over each message, so a worker is mid-pass."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(0.02)
        return await super().handle_DATA(server, session, envelope)


def order_notice(member_id: int, n: int) -> MessageDraft:
    return email_draft(
        member_id, f"notice-{n}", kind=MessageKind.TRANSACTIONAL, journey="test_notice"
    )


def enrolled(uow: UnitOfWork, count: int) -> list[int]:
    """``count`` members with an email address, in one unit."""
    found = []
    for n in range(count):
        profile = MemberProfile(email=f"m{n}@shop.example", locale="en")
        found.append(members.upsert_member(uow, f"M{n}", profile, source="test")[0].id)
    return found


def message_states(app: Loyalist) -> list[tuple[str, str, datetime]]:
    def op(uow: UnitOfWork) -> list[tuple[str, str, datetime]]:
        rows = uow.session.execute(select(Message.id, Message.status, Message.next_attempt_at))
        return [(i, str(s), at) for i, s, at in rows]

    return app.db.read(op)


class TestWorkerOnSigterm:
    def test_finishes_its_pass_leaves_nothing_claimed_and_the_next_run_sends_the_rest_once(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        total = 300
        member_ids = app.db.write(lambda uow: enrolled(uow, total))
        queue(app, *(order_notice(member_id, n) for n, member_id in enumerate(member_ids)))
        sink = SlowSink()
        sink.start()
        try:
            mailing = Cli(
                cli.home,
                cli.database_url,
                {
                    "LOYALIST_SMTP__HOST": "127.0.0.1",
                    "LOYALIST_SMTP__PORT": str(sink.port),
                    "LOYALIST_MESSAGES__SENDER": SENDER,
                },
            )
            log = tmp_path / "worker.log"
            with started(mailing, log, "worker", "--interval", "0.2") as worker:
                deadline = time.monotonic() + 60
                while len(sink.received) < 20 and time.monotonic() < deadline:
                    assert worker.poll() is None, log.read_text(errors="replace")
                    time.sleep(0.01)
                worker.send_signal(signal.SIGTERM)
                code = worker.wait(60)
            first_run = len(sink.received)
            after_stop = message_states(app)
            rest = mailing.run("worker", "--once", timeout=120)
        finally:
            sink.stop()

        assert code == 0, log.read_text(errors="replace")
        assert "Traceback" not in log.read_text(errors="replace")
        # It stopped after its pass: the worker's passes claim 200 at a time.
        assert 20 <= first_run < total
        # Nothing is left claimed: whatever was not sent is due at once.
        now = datetime.now(UTC) + timedelta(seconds=1)
        unsent = [(i, at) for i, status, at in after_stop if status != MessageStatus.SENT]
        assert len(unsent) == total - first_run
        assert all(at.replace(tzinfo=at.tzinfo or UTC) <= now for _, at in unsent), unsent
        assert rest.code == 0, rest.stderr
        ids = sink.message_ids()
        assert len(ids) == total
        assert len(set(ids)) == total
        assert {status for _, status, _ in message_states(app)} == {MessageStatus.SENT}
