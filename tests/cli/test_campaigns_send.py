"""``loyalist campaigns launch`` and ``estimate``, and a broadcast surviving ``kill -9`` of
a real ``loyalist worker`` mid-send: every member of the audience gets exactly one message
and exactly one personal code."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import orjson

from loyalist.bootstrap import Loyalist
from loyalist.campaigns import broadcast
from loyalist.campaigns.models import CONTROL, CampaignState, SendStatus
from tests.campaigning import (
    campaign,
    codes_per_member,
    enrol_many,
    messages_per_member,
    put_campaign,
    put_coupon_campaign,
    sends,
)
from tests.cli.conftest import Cli


def _wait_for(condition: Any, *, timeout: float, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, f"the worker ended early with {process.returncode}"
        assert time.monotonic() < deadline, f"nothing happened within {timeout} s"
        time.sleep(0.01)


def _queued(app: Loyalist, key: str) -> int:
    return app.db.read(lambda uow: broadcast.progress(uow, key)).get(SendStatus.QUEUED, 0)


class TestWorkerKilledMidSend:
    def test_rerun_after_sigkill_sends_each_member_exactly_one_message(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        ids = enrol_many(app, 2_000)
        put_coupon_campaign(app, "crash-15")
        put_campaign(app, "crash", control_percent=10, offer={"coupon": {"campaign": "crash-15"}})
        launched = cli.run("campaigns", "launch", "crash")
        assert launched.code == 0, launched.stderr
        with (tmp_path / "worker.log").open("wb") as log:
            process = cli.start("worker", "--interval", "0.05", output=log)
            try:
                _wait_for(lambda: _queued(app, "crash") > 0, timeout=120, process=process)
                os.kill(process.pid, signal.SIGKILL)
            finally:
                process.kill()
                process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL
        treated = {r.member_id for r in sends(app, "crash") if r.arm != CONTROL}
        assert 0 < _queued(app, "crash") < len(treated), "the kill must land mid-send"

        rerun = cli.run("worker", "--once")

        assert rerun.code == 0, rerun.stderr
        rows = sends(app, "crash")
        assert [r.member_id for r in rows] == ids
        assert {r.status for r in rows if r.arm == CONTROL} == {SendStatus.HELD_OUT}
        assert {r.status for r in rows if r.arm != CONTROL} == {SendStatus.QUEUED}
        sent = messages_per_member(app, "crash")
        assert set(sent) == treated
        assert set(sent.values()) == {1}
        codes = codes_per_member(app, "crash")
        assert set(codes) == treated
        assert set(codes.values()) == {1}
        assert campaign(app, "crash").state == CampaignState.RUNNING  # offer open for its window


class TestCommands:
    def test_estimate_then_launch_twice(self, cli: Cli, app: Loyalist) -> None:
        enrol_many(app, 30)
        enrol_many(app, 5, prefix="n", consent=False)
        put_campaign(app, "cli", control_percent=0)

        estimate = cli.run("campaigns", "estimate", "cli", "--json")
        first = cli.run("campaigns", "launch", "cli")
        second = cli.run("campaigns", "launch", "cli")

        assert estimate.code == 0, estimate.stderr
        found = orjson.loads(estimate.stdout)
        assert (found["members"], found["channels"]["email"]) == (35, 30)
        assert found["excluded"]["no_consent"] == 5
        assert (first.code, second.code) == (0, 0), second.stderr
        assert "running" in first.stdout
        assert "running" in second.stdout
        missing = cli.run("campaigns", "launch", "nope")
        assert missing.code == 3
        assert "error[marketing_campaign_not_found]" in missing.stderr
