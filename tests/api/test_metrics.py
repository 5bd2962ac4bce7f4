"""``/metrics`` in the Prometheus text format: requests by route template and status class,
ingested events, due jobs, the writer and pools, the outbox backlog; switched off or behind
a token by the settings; added up over the processes of ``serve --workers N``."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from loyalist.api.app import create_app
from loyalist.bootstrap import DueJob, Loyalist
from loyalist.clock import ManualClock
from loyalist.messages import service as messages
from loyalist.messages.contexts import TemplateKey
from loyalist.messages.models import MessageKind
from tests.api.conftest import assert_problem, bearer
from tests.conftest import event
from tests.integration.messaging import email_draft, enrol

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]
HOT = "/api/v1/members/{member_id}/points"


def scrape(client: TestClient, **headers: str) -> Samples:
    answer = client.get("/metrics", headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain; version=")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_counts_and_times_requests_by_route_template_and_status_class(
    client: TestClient, admin: dict[str, str]
) -> None:
    client.put("/api/v1/members/M1", json={}, headers=admin)
    before = scrape(client)
    for member in ("M1", "M1", "M1"):
        assert client.get(f"/api/v1/members/{member}/points", headers=admin).status_code == 200
    assert client.get("/api/v1/members/M404/points", headers=admin).status_code == 404
    assert client.get("/no/such/page?email=x@mail.example").status_code == 404
    after = scrape(client)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    ok = {"method": "GET", "route": HOT, "status": "2xx"}
    assert delta("loyalist_http_requests_total", **ok) == 3
    assert delta("loyalist_http_request_duration_seconds_count", **ok) == 3
    assert delta("loyalist_http_request_duration_seconds_bucket", **ok, le="+Inf") == 3
    assert delta("loyalist_http_request_duration_seconds_sum", **ok) > 0
    assert delta("loyalist_http_requests_total", **(ok | {"status": "4xx"})) == 1
    unmatched = {"method": "GET", "route": "unmatched", "status": "4xx"}
    assert delta("loyalist_http_requests_total", **unmatched) == 1
    assert not any("M1" in str(labels) or "x@mail" in str(labels) for _, labels in after)


def test_counts_events_taken_in_but_not_their_replays(
    client: TestClient, admin: dict[str, str], clock: ManualClock
) -> None:
    enrolled = event("e-1", "member.enrolled", "M1", clock.now())
    batch = [event(f"e-{n}", "member.enrolled", f"M{n}", clock.now()) for n in (2, 3)]
    before = scrape(client)
    for body in (enrolled, enrolled, batch):
        assert client.post("/api/v1/events", json=body, headers=admin).status_code == 202
    after = scrape(client)

    name = "loyalist_ingested_events_total"
    assert value(after, name, source="api") - value(before, name, source="api") == 3


def test_counts_job_runs_failures_and_work(
    app: Loyalist, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> int:
        raise RuntimeError("boom")

    jobs = tuple(DueJob(j.name, broken) if j.name == "birthdays" else j for j in app.jobs)
    monkeypatch.setattr(app, "_jobs", jobs)
    before = scrape(client)
    app.run_due_work()
    app.run_due_work()
    after = scrape(client)

    def delta(name: str, job: str) -> float:
        return value(after, name, job=job) - value(before, name, job=job)

    assert delta("loyalist_job_runs_total", "worker_heartbeat") == 2
    assert delta("loyalist_job_runs_total", "birthdays") == 2
    assert delta("loyalist_job_failures_total", "birthdays") == 2
    assert delta("loyalist_job_failures_total", "points_matured") == 0
    assert value(after, "loyalist_worker_heartbeat_age_seconds") == 0


def test_reads_the_writer_pools_and_outbox_when_scraped(
    app: Loyalist, client: TestClient, clock: ManualClock
) -> None:
    member = enrol(app, "M1", email="anna@mail.example")
    due = clock.now() - timedelta(minutes=10)
    drafts = [
        email_draft(
            member,
            f"order-{n}",
            kind=MessageKind.TRANSACTIONAL,
            journey="shipping",
            template=TemplateKey.SHIPPED,
            due_at=due + timedelta(minutes=n),
        )
        for n in range(3)
    ]
    # Not due yet: not in the backlog.
    later = replace(drafts[0], natural_key="later", due_at=clock.now() + timedelta(hours=1))
    app.db.write(lambda uow: messages.queue_messages(uow, [*drafts, later]))

    samples = scrape(client)

    assert value(samples, "loyalist_outbox_pending_messages") == 3
    assert value(samples, "loyalist_outbox_oldest_pending_age_seconds") == 600
    assert value(samples, "loyalist_db_pool_size", pool="write") > 0
    assert ("loyalist_db_pool_checked_out", frozenset({("pool", "write")})) in samples
    if app.db.is_sqlite:
        assert value(samples, "loyalist_db_pool_size", pool="read") > 0
        assert value(samples, "loyalist_writer_batches_total") >= 2  # the member, the messages
        assert value(samples, "loyalist_writer_batched_units_total") >= 2
        assert value(samples, "loyalist_writer_last_batch_size") >= 1
    assert value(samples, "loyalist_writer_queue_depth") == 0


def test_answers_not_found_when_switched_off(app: Loyalist) -> None:
    app.settings.metrics.enabled = False
    with TestClient(create_app(app, embedded_worker=False)) as client:
        assert_problem(client.get("/metrics"), 404, "not_found")


def test_asks_for_the_token_when_one_is_set(app: Loyalist) -> None:
    app.settings.metrics.token = app.settings.metrics.token.__class__("s3cret-token")
    with TestClient(create_app(app, embedded_worker=False)) as client:
        missing = client.get("/metrics")
        wrong = client.get("/metrics", headers=bearer("s3cret-tokem"))
        basic = client.get("/metrics", headers={"Authorization": "Basic s3cret-token"})
        samples = scrape(client, **bearer("s3cret-token"))

    for refused in (missing, wrong, basic):
        assert_problem(refused, 401, "metrics_token_invalid")
        assert refused.headers["www-authenticate"] == "Bearer"
    assert "s3cret" not in missing.text
    assert value(samples, "loyalist_writer_queue_depth") == 0


def test_adds_up_the_processes_sharing_the_multiprocess_folder(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Server processes started with PROMETHEUS_MULTIPROC_DIR (``serve --workers N`` with it
    # set) keep their counts in its files; /metrics of any of them adds up all of them.
    shared = tmp_path / "prometheus"
    shared.mkdir()
    env = os.environ | {"PROMETHEUS_MULTIPROC_DIR": str(shared)}
    count = (
        "from loyalist import metrics; "
        "metrics.REQUESTS.labels('GET', '/healthz', '2xx').inc({n}); "
        "metrics.REQUEST_SECONDS.labels('GET', '/healthz', '2xx').observe(0.002)"
    )
    for n in (3, 4):
        subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
            [sys.executable, "-c", count.format(n=n)], env=env, check=True, timeout=60
        )
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(shared))

    samples = scrape(client)

    route = {"method": "GET", "route": "/healthz", "status": "2xx"}
    assert value(samples, "loyalist_http_requests_total", **route) == 7
    assert value(samples, "loyalist_http_request_duration_seconds_count", **route) == 2
    # What is read at scrape time is there too.
    assert ("loyalist_writer_queue_depth", frozenset()) in samples
