"""``loyalist import events FILE`` and ``loyalist demo``: batches, bad lines, resuming, demo."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from loyalist.bootstrap import Loyalist
from loyalist.campaigns import report as reports
from loyalist.campaigns import service as campaigns
from loyalist.demo import ShopSpec, generate_events
from loyalist.members.models import Member
from tests.cli.conftest import Cli, Result, sqlite_only
from tests.cli.helpers import (
    activity_count,
    activity_ids,
    csv_row,
    imported,
    jsonl_line,
    write_csv,
    write_jsonl,
)
from tests.conftest import event, order_body
from tests.integration.helpers import assert_ledger_consistent, points
from tests.smtp import SmtpSink

#: The program scripts/start applies (and its campaign ``we-miss-you``).
EXAMPLE_PROGRAM = Path(__file__).resolve().parents[2] / "examples" / "program.yaml"


def _recent(days_ago: float) -> datetime:
    """Event times just behind the real clock the command runs on, so points stay pending."""
    return datetime.now(UTC).replace(microsecond=0) - timedelta(days=days_ago)


def _shop() -> list[dict[str, Any]]:
    """Two members: M1 pays €110 of goods (110 points), M2 pays €50 and returns €30 (20)."""
    m1 = order_body("1043", ("shoe", 2, 5000), ("sock", 1, 1000), shipping=495)
    m2 = order_body("2001", ("hat", 1, 3000), ("scarf", 1, 2000))
    returned = {"order_id": "2001", "return_id": "R1", "lines": [{"sku": "hat", "quantity": 1}]}
    return [
        event("e1", "member.enrolled", "M2", _recent(9), email="ana@example.com"),
        event("e2", "order.placed", "M1", _recent(8), **m1),
        event("e3", "order.paid", "M1", _recent(7.9), order_id="1043"),
        event("e4", "x.page_viewed", "M1", _recent(7), page="/shoes"),
        event("e5", "order.placed", "M2", _recent(6), **m2),
        event("e6", "order.paid", "M2", _recent(5.9), order_id="2001"),
        event("e7", "order.returned", "M2", _recent(2), **returned),
    ]


def _assert_shop_imported(app: Loyalist) -> None:
    assert activity_count(app) == 7
    assert (points(app, "M1")["pending"], points(app, "M2")["pending"]) == (110, 20)
    assert_ledger_consistent(app)


class TestImportEvents:
    def test_jsonl_file_applies_every_event_and_balances_follow(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        path = write_jsonl(tmp_path / "events.jsonl", _shop())

        result = cli.run("import", "events", str(path))

        assert result.code == 0, result.stderr
        assert imported(result.stdout) == (7, 0)
        _assert_shop_imported(app)

    @sqlite_only
    def test_csv_file_applies_every_event_and_balances_follow(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        path = write_csv(tmp_path / "events.csv", (csv_row(ev) for ev in _shop()))

        result = cli.run("import", "events", str(path))

        assert result.code == 0, result.stderr
        assert imported(result.stdout) == (7, 0)
        _assert_shop_imported(app)

    @sqlite_only
    def test_rerun_of_an_imported_file_imports_nothing_new(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        path = write_jsonl(tmp_path / "events.jsonl", _shop())
        first = cli.run("import", "events", str(path))
        assert imported(first.stdout) == (7, 0), first.stderr

        again = cli.run("import", "events", str(path))

        assert again.code == 0, again.stderr
        assert imported(again.stdout) == (0, 7)
        _assert_shop_imported(app)


#: Eight good events; a bad one goes in so that it sits on line 7 of the file.
_GOOD = [
    event("g0", "member.enrolled", "Q1", _recent(9)),
    event("g1", "order.placed", "Q1", _recent(8), **order_body("O1", ("shoe", 1, 4000))),
    event("g2", "order.paid", "Q1", _recent(7.9), order_id="O1"),
    *(
        event(f"g{i}", "x.page_viewed", "Q1", _recent(7 - i / 10), page=f"/{i}")
        for i in range(3, 8)
    ),
]
_BATCH = 4  # lines 1–4 (CSV: 2–5) form the first batch, the bad line is in the second


def _jsonl_with_line_7(path: Path, bad: str) -> Path:
    lines = [jsonl_line(ev) for ev in _GOOD[:6]] + [bad] + [jsonl_line(ev) for ev in _GOOD[6:]]
    path.write_text("\n".join(lines) + "\n")
    return path


def _assert_stopped_at_line_7(app: Loyalist, path: Path, result: Result, code: str) -> None:
    assert result.code == 2, result.stderr
    assert f"{path}:7: error[{code}]: " in result.stderr
    assert "Traceback" not in result.stderr
    # The first batch stays applied; nothing of the bad line's batch is.
    assert activity_ids(app) == {ev["id"] for ev in _GOOD[:_BATCH]}


class TestImportStopsAtBadLine:
    @sqlite_only
    @pytest.mark.parametrize(
        ("bad", "code"),
        [
            pytest.param('{"id": "bad", "type": "x.page_viewed",', "line_invalid", id="json"),
            pytest.param(
                jsonl_line(event("bad", "order.placed", "Q1", _recent(6), order_id="O2")),
                "event_invalid",
                id="fields",
            ),
        ],
    )
    def test_unreadable_line_7_is_reported_and_its_batch_not_applied(
        self, cli: Cli, app: Loyalist, tmp_path: Path, bad: str, code: str
    ) -> None:
        path = _jsonl_with_line_7(tmp_path / "events.jsonl", bad)

        result = cli.run("import", "events", str(path), "--batch-size", str(_BATCH))

        _assert_stopped_at_line_7(app, path, result, code)

    @sqlite_only
    def test_every_bad_line_of_the_batch_is_reported_in_line_order(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        no_lines = event("bad5", "order.placed", "Q1", _recent(6), order_id="O2")
        unknown = event("bad6", "order.teleported", "Q1", _recent(6))
        lines = [jsonl_line(ev) for ev in _GOOD[:4]]  # the first batch: lines 1–4
        lines += [jsonl_line(no_lines), jsonl_line(unknown), '{"id": "bad7",']
        path = tmp_path / "events.jsonl"
        path.write_text("\n".join([*lines, jsonl_line(_GOOD[4])]) + "\n")

        result = cli.run("import", "events", str(path), "--batch-size", str(_BATCH))

        assert result.code == 2, result.stderr
        reported = [line for line in result.stderr.splitlines() if "error[" in line]
        assert [line.split(": ")[0:2] for line in reported] == [
            [f"{path}:5", "error[batch_invalid]"],
            [f"{path}:5", "error[batch_invalid]"],
            [f"{path}:5", "error[batch_invalid]"],
            [f"{path}:6", "error[batch_invalid]"],
            [f"{path}:7", "error[line_invalid]"],
        ]
        assert "stopped: lines 5–7 (this batch) were not applied" in result.stderr
        assert activity_ids(app) == {ev["id"] for ev in _GOOD[:_BATCH]}

    def test_csv_record_from_line_7_the_ledger_rejects_rolls_back_its_batch(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        unknown_sku = event(
            "bad", "order.returned", "Q1", _recent(1), order_id="O1",
            lines=[{"sku": "boot", "quantity": 1}],
        )  # fmt: skip
        rows = [
            *(csv_row(ev) for ev in _GOOD[:5]),  # lines 2–6 after the header
            csv_row(unknown_sku, indent=True),  # starts on line 7, spans several
            *(csv_row(ev) for ev in _GOOD[5:]),
        ]
        path = write_csv(tmp_path / "events.csv", rows)

        result = cli.run("import", "events", str(path), "--batch-size", str(_BATCH))

        _assert_stopped_at_line_7(app, path, result, "return_sku_unknown")
        assert f"{path}:7: error[return_sku_unknown]: /data/lines/0/sku" in result.stderr


def _wait_for(condition: Any, *, timeout: float, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, f"the command ended early with {process.returncode}"
        assert time.monotonic() < deadline, f"nothing happened within {timeout} s"
        time.sleep(0.02)


class TestImportResumesAfterKill:
    def test_rerun_after_sigkill_completes_without_importing_anything_twice(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        events = list(generate_events(ShopSpec(members=300, months=6, end=date(2026, 11, 1))))
        path = write_jsonl(tmp_path / "shop.jsonl", events)
        with (tmp_path / "killed.log").open("wb") as log:
            process = cli.start("import", "events", str(path), "--batch-size", "50", output=log)
            try:
                _wait_for(lambda: activity_count(app) > 0, timeout=60, process=process)
                os.kill(process.pid, signal.SIGKILL)
            finally:
                process.kill()
                process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL
        committed = activity_count(app)
        assert 0 < committed < len(events), "the kill must land in the middle of the import"

        rerun = cli.run("import", "events", str(path))

        assert rerun.code == 0, rerun.stderr
        fresh, replayed = imported(rerun.stdout)
        assert fresh + replayed == len(events)
        assert replayed >= committed
        assert activity_count(app) == len({ev["id"] for ev in events})
        verify = cli.run("ledger", "verify")
        assert (verify.code, "ledger consistent" in verify.stdout) == (0, True), verify.stdout


class TestDemo:
    def test_loads_requested_shop_prints_summary_and_leaves_ledger_consistent(
        self, cli: Cli, app: Loyalist, sink: SmtpSink
    ) -> None:
        mailing = replace(
            cli,
            extra_env={"LOYALIST_SMTP__HOST": "127.0.0.1", "LOYALIST_SMTP__PORT": str(sink.port)},
        )
        result = mailing.run("demo", "--members", "200", "--months", "6", "--end", "2026-11-01")

        assert result.code == 0, result.stderr
        summary = dict(
            (cells[1].strip(), cells[2].strip().replace(",", ""))
            for line in result.stdout.splitlines()
            if len(cells := line.split("│")) == 4
        )
        assert summary["members"] == "200"
        assert int(summary["events applied"]) == activity_count(app) > 200
        assert int(summary["points issued"]) > 0
        members = app.db.read(
            lambda uow: uow.session.scalar(select(func.count()).select_from(Member))
        )
        assert members == 200
        assert_ledger_consistent(app)
        # The history (months old) sends nothing; the three orders paid now are confirmed by
        # email, in each member's language, the first one (a Russian member's) is shipped
        # with its tracking link, and the summary says so.
        assert len(sink.received) == 4
        subjects = sorted(str(m["Subject"]) for m in sink.received)
        assert any(s.startswith("Order NOW-") and "confirmed" in s for s in subjects)
        assert any(s.startswith("Заказ NOW-") for s in subjects)
        assert sum(s.endswith(("отправлен", "is on its way")) for s in subjects) == 1
        texts = [m.get_body(("plain",)) for m in sink.received]
        assert sum("dhl.com/track" in t.get_content() for t in texts if t is not None) == 1
        assert all(m.get_body(("html",)) is not None for m in sink.received)
        assert result.stdout.count("│ sent ") == 4
        assert "email went to the SMTP server at 127.0.0.1" in result.stdout

    def test_the_example_campaign_reaches_the_sink_as_scripts_start_launches_it(
        self, cli: Cli, app: Loyalist, sink: SmtpSink
    ) -> None:
        mailing = replace(
            cli,
            extra_env={"LOYALIST_SMTP__HOST": "127.0.0.1", "LOYALIST_SMTP__PORT": str(sink.port)},
        )
        # scripts/start's order: the example program, the demo shop, the campaign's launch;
        # then the server's worker writes the audience and sends.
        assert mailing.run("program", "apply", str(EXAMPLE_PROGRAM)).code == 0
        assert mailing.run("demo", "--members", "200", "--months", "6").code == 0
        demo_mail = len(sink.received)
        launched = mailing.run("campaigns", "launch", "we-miss-you")
        assert launched.stdout.strip() == "campaign we-miss-you: running", launched.stderr
        assert mailing.run("worker", "--once").code == 0

        shown = app.db.read(lambda uow: campaigns.read(uow, campaigns.get(uow, "we-miss-you")))
        assert shown.state == "running"  # every message sent; the offer open for the goal window
        report = app.db.read(lambda uow: reports.report(uow, "we-miss-you", app.program))
        arms = {arm["key"]: arm for arm in report["arms"]}
        assert list(arms) == ["control", "double", "plus100"]
        assert sum(arm["members"] for arm in arms.values()) == shown.audience_size
        expected = {
            "held_out": arms["control"]["members"],
            "queued": arms["double"]["members"] + arms["plus100"]["members"],
        }
        # A status nobody has is left out (with a dozen members the control may be empty).
        assert shown.progress == {status: n for status, n in expected.items() if n}
        assert arms["control"]["sent"] == 0
        assert arms["double"]["sent"] == arms["double"]["members"] > 0
        assert arms["plus100"]["sent"] == arms["plus100"]["members"] > 0

        # Every treatment member's email, each arm with its own subject and offer, in the
        # member's language, every variable filled in.
        sent = sink.received[demo_mail:]
        assert len(sent) == arms["double"]["sent"] + arms["plus100"]["sent"]
        by_arm: dict[str, list[str]] = {"double": [], "plus100": []}
        for message in sent:
            subject = str(message["Subject"])
            body = message.get_body(("plain",))
            assert body is not None
            assert message.get_body(("html",)) is not None
            text = body.get_content().replace("\xa0", " ")  # "100 points": no break
            assert "{{" not in subject
            assert not any(mark in text for mark in ("{{", "{%", "None"))
            if subject.startswith(("We miss you: ", "Мы скучаем: ")):
                assert "double points on your next order" in text or "двойные баллы" in text
                by_arm["double"].append(subject)
            else:
                assert subject.endswith(("100 points are waiting for you", "вас ждут 100 баллов"))
                assert "100 points on top" in text or "ещё 100 баллов" in text
                by_arm["plus100"].append(subject)
        assert {arm: len(found) for arm, found in by_arm.items()} == {
            "double": arms["double"]["sent"],
            "plus100": arms["plus100"]["sent"],
        }
