"""Message delivery through the outbox: order-confirmation emails into an SMTP sink and signed
webhooks into an HTTP sink, both on loopback, against the bare sinks' rates (the floor).

Each phase queues N messages with ``messages.service.queue_messages`` (not timed), then runs
the worker's own ``messages_delivered`` job pass after pass until every message is sent
(timed: claim unit, send outside any transaction, record unit). The sinks run in a separate
process, so they take no CPU from the measured one's interpreter lock.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import smtplib
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from functools import partial
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path
from typing import Any, Final

if __package__ in (None, ""):  # run as ``python bench/messages.py``: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
import orjson
from sqlalchemy import func, select

from bench.common import Report, Target, number, scratch_database
from loyalist.activities.schemas import ParsedEvent, parse_events
from loyalist.activities.service import ingest_events
from loyalist.bootstrap import DueJob, Loyalist, bootstrap, migrate
from loyalist.db.crypto import Keyring, new_master_key
from loyalist.db.uow import UnitOfWork
from loyalist.members.models import Member
from loyalist.messages import delivery, service, webhooks
from loyalist.messages.channels import email as email_channel
from loyalist.messages.channels.base import Outgoing
from loyalist.messages.channels.signing import WebhookSecret, WebhookSigner, generate_secret
from loyalist.messages.contexts import TemplateKey
from loyalist.messages.models import (
    Message,
    MessageChannel,
    MessageKind,
    MessageStatus,
    WebhookEvent,
)
from loyalist.messages.rendering import render_message, shipped_template
from loyalist.messages.samples import sample_context
from loyalist.messages.schemas import EndpointIn
from loyalist.settings import Settings

EMAIL_TARGET: Final = Target(200, "emails/s per worker")
WEBHOOK_TARGET: Final = Target(500, "webhooks/s per worker")
#: Members the messages go to (each gets several messages when N is larger).
MEMBERS: Final = 500
ENROL_BATCH: Final = 500
QUEUE_BATCH: Final = 500
ZONE: Final = "Europe/Berlin"


# -- the sinks (a separate process) -------------------------------------------------------------


class _SmtpCounter:
    """aiosmtpd handler: accepts every message and counts it; parses nothing."""

    def __init__(self, count: Synchronized[int]) -> None:
        self.count = count

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.count.get_lock():
            self.count.value += 1
        return "250 2.0.0 accepted"


def _serve_smtp(port: int, count: Synchronized[int], ready: Any, stop: Any) -> None:
    from aiosmtpd.controller import Controller

    controller = Controller(_SmtpCounter(count), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


class _HttpCounter(asyncio.Protocol):
    """A minimal HTTP/1.1 keep-alive receiver: reads each request (headers and a
    Content-Length body), answers ``200`` with an empty body, counts the requests that carry
    a ``webhook-signature`` header."""

    def __init__(self, count: Synchronized[int], signed: Synchronized[int]) -> None:
        self.count, self.signed = count, signed
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            head = self.buffer[:end].lower()
            length = 0
            for line in head.split(b"\r\n"):
                if line.startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length :]
            with self.count.get_lock():
                self.count.value += 1
                self.signed.value += b"\r\nwebhook-signature: v1," in head
            assert self.transport is not None
            self.transport.write(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")


def _serve_http(
    port_out: Synchronized[int],
    count: Synchronized[int],
    signed: Synchronized[int],
    ready: Any,
    stop: Any,
) -> None:
    async def run() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(
            lambda: _HttpCounter(count, signed), "127.0.0.1", 0, reuse_address=True
        )
        port_out.value = server.sockets[0].getsockname()[1]
        ready.set()
        await loop.run_in_executor(None, stop.wait)
        server.close()

    asyncio.run(run())


@dataclass
class Sinks:
    """Both sinks in one child process's threads; ``emails`` and ``webhooks`` count what
    they received (``signed``: webhooks with a signature header)."""

    smtp_port: int
    http_port: int
    emails: Synchronized[int]
    webhooks: Synchronized[int]
    signed: Synchronized[int]


def _serve_both(
    smtp_port: int,
    http_port: Synchronized[int],
    counts: tuple[Synchronized[int], Synchronized[int], Synchronized[int]],
    ready: Any,
    stop: Any,
) -> None:
    emails, hooks, signed = counts
    smtp_ready = threading.Event()
    smtp = threading.Thread(target=_serve_smtp, args=(smtp_port, emails, smtp_ready, stop))
    smtp.start()
    smtp_ready.wait()
    _serve_http(http_port, hooks, signed, ready, stop)
    smtp.join()


@contextmanager
def running_sinks() -> Iterator[Sinks]:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        smtp_port = probe.getsockname()[1]
    spawn = multiprocessing.get_context("spawn")
    counts = (spawn.Value("q", 0), spawn.Value("q", 0), spawn.Value("q", 0))
    http_port = spawn.Value("i", 0)
    ready, stop = spawn.Event(), spawn.Event()
    child = spawn.Process(
        target=_serve_both, args=(smtp_port, http_port, counts, ready, stop), daemon=True
    )
    child.start()
    if not ready.wait(30):
        child.kill()
        raise RuntimeError("the sinks did not start within 30 s")
    try:
        yield Sinks(smtp_port, http_port.value, *counts)
    finally:
        stop.set()
        child.join(10)
        if child.is_alive():
            child.kill()


# -- the workload ------------------------------------------------------------------------------


def enrol(app: Loyalist, members: int) -> list[int]:
    """``members`` members with an email address, half of them in Russian; their ids."""
    events = [
        {
            "id": f"enrol-{n}",
            "type": "member.enrolled",
            "member_id": f"B{n:06d}",
            "occurred_at": (datetime.now(UTC) - timedelta(days=30)).isoformat(),
            "data": {
                "email": f"member{n}@example.com",
                "first_name": "Мария" if n % 2 else "Anna",
                "locale": "ru" if n % 2 else "en",
            },
        }
        for n in range(members)
    ]
    for start in range(0, members, ENROL_BATCH):
        batch = parse_events(events[start : start + ENROL_BATCH])
        app.db.write(partial(_ingest, batch))
    return app.db.read(lambda uow: list(uow.session.scalars(select(Member.id).order_by(Member.id))))


def _ingest(batch: list[ParsedEvent], uow: UnitOfWork) -> None:
    ingest_events(uow, batch)


def email_draft(member_id: int, n: int, locale: str) -> service.MessageDraft:
    """One order confirmation like the journey's (transactional email, the shipped template,
    the sample order with this member's order number): a context, rendered by the delivery
    job when it sends (the split's "render" step)."""
    key = TemplateKey.ORDER_CONFIRMATION
    context = sample_context(key, locale)
    context["order"] = {**context["order"], "number": f"B-{n:07d}"}
    return service.MessageDraft(
        member_id=member_id,
        kind=MessageKind.TRANSACTIONAL,
        channel=MessageChannel.EMAIL,
        journey="order_confirmation",
        natural_key=f"B-{n:07d}",
        template_key=key.value,
        locale=locale,
        time_zone=ZONE,
        context=context,
    )


def webhook_draft(member_id: int, n: int, endpoint_id: str) -> service.WebhookDraft:
    """One ``points.awarded`` webhook as ``webhooks.notify`` queues it."""
    data = {"member_id": f"B{member_id:06d}", "points": 120, "pending": 120, "order_id": f"W{n}"}
    return service.WebhookDraft(
        member_id=member_id,
        event=WebhookEvent.POINTS_AWARDED,
        natural_key=f"{endpoint_id}:W{n}",
        data=data,
        endpoint_id=endpoint_id,
        journey=service.WEBHOOK_JOURNEY,
    )


def _queue(drafts: Sequence[service.MessageDraft | service.WebhookDraft], uow: UnitOfWork) -> None:
    service.queue_messages(uow, drafts)


def queue(app: Loyalist, drafts: Sequence[service.MessageDraft | service.WebhookDraft]) -> float:
    """Queue the drafts in units of 500; returns the seconds it took."""
    started = time.perf_counter()
    for offset in range(0, len(drafts), QUEUE_BATCH):
        chunk = drafts[offset : offset + QUEUE_BATCH]
        app.db.write(partial(_queue, chunk))
    return time.perf_counter() - started


# -- the timed delivery ------------------------------------------------------------------------


@dataclass
class Split:
    """Seconds per step of the delivery passes: each unit's whole ``db.write`` (queueing
    to the writer, the work, the commit) and the send, which for email is building the
    MIME message and the SMTP dialogue."""

    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, step: str, seconds: float) -> None:
        self.seconds[step] = self.seconds.get(step, 0.0) + seconds


@contextmanager
def instrumented(app: Loyalist) -> Iterator[Split]:
    """Time the delivery job's steps by wrapping the functions it calls (restored after)."""
    split = Split()
    step: list[str] = []
    db = app.db
    original_write = db.write

    def write(op: Callable[[UnitOfWork], Any]) -> Any:
        started = time.perf_counter()
        try:
            return original_write(op)
        finally:
            split.add(step.pop() if step else "other units", time.perf_counter() - started)

    def labelled(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            step.append(label)
            return function(*args, **kwargs)

        return run

    def timed(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                split.add(label, time.perf_counter() - started)

        return run

    originals = {
        (delivery, "claim_due"): delivery.claim_due,
        (delivery, "record_outcomes"): delivery.record_outcomes,
        (delivery, "send_claims"): delivery.send_claims,
        (email_channel, "build_email"): email_channel.build_email,
        (email_channel, "email_bytes"): email_channel.email_bytes,
        (email_channel.SmtpSender, "send"): email_channel.SmtpSender.send,
        (delivery, "_render"): delivery._render,
    }
    setattr(db, "write", write)  # noqa: B010 - the instance's writes, timed
    setattr(delivery, "claim_due", labelled("claim unit", delivery.claim_due))  # noqa: B010
    setattr(delivery, "record_outcomes", labelled("record unit", delivery.record_outcomes))  # noqa: B010
    setattr(delivery, "send_claims", timed("send", delivery.send_claims))  # noqa: B010
    setattr(email_channel, "build_email", timed("build MIME", email_channel.build_email))  # noqa: B010
    # its bytes for the wire are the MIME step's too (smtplib wrote them before)
    setattr(email_channel, "email_bytes", timed("build MIME", email_channel.email_bytes))  # noqa: B010
    # each email's send on its thread (sends run in parallel: their times overlap)
    setattr(email_channel.SmtpSender, "send", timed("SMTP send", email_channel.SmtpSender.send))  # noqa: B010
    setattr(delivery, "_render", timed("render", delivery._render))  # noqa: B010
    try:
        yield split
    finally:
        setattr(db, "write", original_write)  # noqa: B010
        for (module, name), function in originals.items():
            setattr(module, name, function)


@dataclass(frozen=True, slots=True)
class Delivered:
    messages: int
    sent: int
    received: int
    passes: int
    seconds: float
    cpu_seconds: float
    split: dict[str, float]

    @property
    def rate(self) -> float:
        return self.sent / self.seconds if self.seconds else 0.0


def deliver(
    app: Loyalist,
    job: DueJob,
    channel: str,
    expected: int,
    limit: int,
    received: Callable[[], int],
    max_seconds: float,
    report: Report,
) -> Delivered:
    """Run the delivery job until ``expected`` messages left (or ``max_seconds``), showing
    progress every second."""
    start_count = received()
    passes = 0
    shown = started = time.perf_counter()
    cpu = time.process_time()
    with instrumented(app) as split:
        while received() - start_count < expected:
            if time.perf_counter() - started > max_seconds:
                report.line(f"   stopped after {max_seconds:.0f} s (--max-seconds)")
                break
            handled = job.run(app.db, app.program, limit)
            passes += 1
            if not handled and received() - start_count < expected:
                time.sleep(0.01)  # the sink has not counted the last ones yet
            if (now := time.perf_counter()) - shown >= 1:
                done = received() - start_count
                report.line(
                    f"   … {done:,}/{expected:,} delivered, {done / (now - started):,.0f}/s"
                )
                shown = now
        seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu
    sent = app.db.read(
        lambda uow: uow.session.scalar(
            select(func.count())
            .select_from(Message)
            .where(Message.channel == channel, Message.status == MessageStatus.SENT.value)
        )
    )
    return Delivered(
        messages=expected,
        sent=int(sent or 0),
        received=received() - start_count,
        passes=passes,
        seconds=seconds,
        cpu_seconds=cpu_seconds,
        split=dict(split.seconds),
    )


# -- the floors --------------------------------------------------------------------------------


def bare_smtp(sinks: Sinks, app: Loyalist, count: int, max_seconds: float) -> tuple[int, float]:
    """smtplib on one connection sending ``count`` pre-built order confirmations (the same
    MIME as delivery builds, en and ru alternating) into the sink: (sent, seconds)."""
    sender = app.settings.messages.sender
    _, envelope_from = parseaddr(sender)
    key = TemplateKey.ORDER_CONFIRMATION
    bodies = []
    for n, locale in enumerate(("en", "ru")):
        rendered = render_message(
            key,
            shipped_template(key, locale),
            sample_context(key, locale),
            locale=locale,
            time_zone=ZONE,
            brand=service.brand_kit(app.settings),
            unsubscribe_url=f"{app.settings.messages.base_url}/unsubscribe/x",
        )
        email = email_channel.build_email(
            Outgoing(
                message_id=f"msg_bare{n}",
                channel="email",
                to=f"member{n}@example.com",
                subject=rendered.subject,
                text=rendered.text,
                html=rendered.html,
                created_at=datetime.now(UTC),
            ),
            sender,
        )
        # The bytes delivery sends (sendmail sends bytes as given).
        bodies.append(email_channel.email_bytes(email))
    before = sinks.emails.value
    started = time.perf_counter()
    sent = 0
    with smtplib.SMTP("127.0.0.1", sinks.smtp_port, timeout=10) as connection:
        while sent < count and time.perf_counter() - started < max_seconds:
            connection.sendmail(envelope_from, [f"member{sent % 2}@example.com"], bodies[sent % 2])
            sent += 1
    seconds = time.perf_counter() - started
    while sinks.emails.value - before < sent and time.perf_counter() - started < max_seconds:
        time.sleep(0.001)
    return sent, seconds


def bare_http(sinks: Sinks, count: int, max_seconds: float) -> tuple[int, float]:
    """httpx, one client (keep-alive), posting ``count`` pre-signed webhook bodies of the
    same shape: (sent, seconds)."""
    signer = WebhookSigner([WebhookSecret(generate_secret())])
    now = datetime.now(UTC)
    timestamp = int(now.timestamp())
    requests = []
    for n in range(min(count, 1000)):
        body = orjson.dumps(
            {
                "type": "points.awarded",
                "timestamp": now.isoformat().replace("+00:00", "Z"),
                "data": {"member_id": "B000001", "points": 120, "pending": 120, "order_id": n},
            }
        )
        headers = {
            "Content-Type": "application/json",
            "webhook-id": f"msg_bare{n}",
            "webhook-timestamp": str(timestamp),
            "webhook-signature": signer.signature(f"msg_bare{n}", timestamp, body, now=now),
        }
        requests.append((body, headers))
    url = f"http://127.0.0.1:{sinks.http_port}/hooks"
    sent = 0
    with httpx.Client(trust_env=False) as client:
        started = time.perf_counter()
        while sent < count and time.perf_counter() - started < max_seconds:
            body, headers = requests[sent % len(requests)]
            client.post(url, content=body, headers=headers).raise_for_status()
            sent += 1
        seconds = time.perf_counter() - started
    return sent, seconds


# -- the phases --------------------------------------------------------------------------------


def show(
    report: Report, what: str, found: Delivered, floor: tuple[int, float], target: Target
) -> dict[str, Any]:
    floor_rate = floor[0] / floor[1] if floor[1] else 0.0
    report.line(
        f"   {what}: {found.sent:,} of {found.messages:,} sent ({found.received:,} received by "
        f"the sink) in {found.seconds:.2f} s over {found.passes} passes: "
        f"{number(found.rate)}/s, {target.describe(found.rate)}"
    )
    per = 1000 / found.sent if found.sent else 0.0
    steps = dict(found.split)
    if "SMTP send" in steps:  # thread times of the parallel sends, the MIME built inside
        steps["SMTP dialogue"] = steps.pop("SMTP send") - steps.get("build MIME", 0.0)
        steps.pop("send")
    # Outside the three steps: the job's set-up per pass (the webhook client), the loop.
    steps["other"] = max(0.0, found.seconds - sum(steps.values()))
    total = sum(steps.values()) or 1.0
    split = "; ".join(
        f"{step} {number(seconds * per)} ms ({seconds / total:.0%})"
        for step, seconds in sorted(steps.items(), key=lambda kv: -kv[1])
    )
    report.line(f"   per message (thread time; parallel sends overlap): {split}")
    report.line(
        f"   process CPU {found.cpu_seconds:.2f} s ({number(found.cpu_seconds * per)} ms a "
        f"message); bare sink floor {number(floor_rate)}/s ({floor[0]:,} in {floor[1]:.2f} s): "
        f"delivery ÷ floor {found.rate / floor_rate if floor_rate else 0:.1%}"
    )
    return {
        "messages": found.messages,
        "sent": found.sent,
        "received": found.received,
        "passes": found.passes,
        "seconds": round(found.seconds, 4),
        "per_second": round(found.rate, 1),
        "process_cpu_seconds": round(found.cpu_seconds, 4),
        "split_seconds": {k: round(v, 4) for k, v in found.split.items()},
        "floor_per_second": round(floor_rate, 1),
        "ratio_to_floor": round(found.rate / floor_rate, 4) if floor_rate else None,
        "target": target.as_json(found.rate),
    }


def job_named(app: Loyalist, name: str) -> DueJob:
    return next(job for job in app.jobs if job.name == name)


def measure_email(
    app: Loyalist,
    sinks: Sinks,
    ids: list[int],
    count: int,
    args: argparse.Namespace,
    report: Report,
) -> dict[str, Any]:
    started = time.perf_counter()
    drafts = [email_draft(ids[n % len(ids)], n, "ru" if n % 2 else "en") for n in range(count)]
    drafting = time.perf_counter() - started
    queued = queue(app, drafts)
    report.line(
        f"   emails: {count:,} drafts built in {drafting:.2f} s ({number(drafting / count * 1000)}"
        f" ms each), queued in {queued:.2f} s"
    )
    found = deliver(
        app,
        job_named(app, "messages_delivered"),
        "email",
        count,
        args.batch,
        lambda: sinks.emails.value,
        args.max_seconds,
        report,
    )
    floor = bare_smtp(sinks, app, count, args.max_seconds)
    return show(report, "emails", found, floor, EMAIL_TARGET) | {
        "draft_seconds": round(drafting, 4),
        "queue_seconds": round(queued, 4),
    }


def measure_webhooks(
    app: Loyalist,
    sinks: Sinks,
    ids: list[int],
    count: int,
    args: argparse.Namespace,
    report: Report,
) -> dict[str, Any]:
    url = f"http://127.0.0.1:{sinks.http_port}/hooks"
    body = EndpointIn(url=url, event_types=[WebhookEvent.POINTS_AWARDED])
    endpoint = app.db.write(lambda uow: webhooks.register(uow, body)).endpoint.id
    drafts = [webhook_draft(ids[n % len(ids)], n, endpoint) for n in range(count)]
    queued = queue(app, drafts)
    report.line(f"   webhooks: {count:,} queued in {queued:.2f} s to {url}")
    found = deliver(
        app,
        job_named(app, "messages_delivered"),
        "webhook",
        count,
        args.batch,
        lambda: sinks.webhooks.value,
        args.max_seconds,
        report,
    )
    report.line(f"   the sink saw {sinks.signed.value:,} signed requests so far")
    floor = bare_http(sinks, count, args.max_seconds)
    return show(report, "webhooks", found, floor, WEBHOOK_TARGET) | {
        "queue_seconds": round(queued, 4)
    }


def measure(backend: str, args: argparse.Namespace, report: Report) -> None:
    with scratch_database(backend, "messages") as url, running_sinks() as sinks:
        if url is None:
            return
        settings = Settings(
            database_url=url,
            embedded_worker=False,
            smtp={"host": "127.0.0.1", "port": sinks.smtp_port},
            messages={"from": "Shop <loyalty@shop.example>", "webhook_allow_private": True},
        )
        app = bootstrap(settings, keyring=Keyring.from_secrets(new_master_key()))
        try:
            migrate(app)
            app.prepare()
            ids = enrol(app, min(MEMBERS, max(args.emails, args.webhooks, 1)))
            report.line(f"-- {backend}: {len(ids):,} members, {args.batch} messages per pass")
            found: dict[str, Any] = {}
            if args.emails:
                found["email"] = measure_email(app, sinks, ids, args.emails, args, report)
            if args.webhooks:
                found["webhook"] = measure_webhooks(app, sinks, ids, args.webhooks, args, report)
        finally:
            app.close()
    report.data.setdefault("results", {})[backend] = found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "all"), default="all")
    parser.add_argument("--emails", type=int, default=2000, help="emails to deliver (2,000)")
    parser.add_argument("--webhooks", type=int, default=5000, help="webhooks (5,000)")
    parser.add_argument(
        "--batch", type=int, default=200, help="messages per delivery pass (200, the worker's)"
    )
    parser.add_argument(
        "--max-seconds", type=float, default=120, help="bound of each timed loop (120)"
    )
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    args = parser.parse_args(argv)
    report = Report("messages", args.json)
    report.header(
        {
            "backend": args.backend,
            "emails": args.emails,
            "webhooks": args.webhooks,
            "batch": args.batch,
            "max_seconds": args.max_seconds,
        }
    )
    backends = ("sqlite", "postgresql") if args.backend == "all" else (args.backend,)
    for backend in backends:
        measure(backend, args, report)
    report.finish()


if __name__ == "__main__":
    main()
