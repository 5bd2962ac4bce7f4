"""Webhook endpoints over HTTP and the webhooks they get from the engine's events: the URL
checked by the SSRF guard, the secret shown once, signatures verified with the official
``standardwebhooks`` package (rotation included), an endpoint disabled by a 410 or by
failing for too long, and enabling it replaying what it missed, once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist, bootstrap
from loyalist.clock import ManualClock
from loyalist.db.crypto import Keyring
from loyalist.db.uow import UnitOfWork
from loyalist.ledger.events import PointsExpiring, PointsMatured
from loyalist.messages import webhooks
from loyalist.messages.models import WebhookEvent
from loyalist.referrals.events import ReferralConverted
from loyalist.rules.events import RewardGranted
from loyalist.settings import MessagePolicy, MessageSettings, ProgramPolicy, Settings
from loyalist.staff.models import Scope
from loyalist.tiers.events import TierDowngraded, TierUpgraded
from tests.api.conftest import Keys, assert_problem, bearer
from tests.conftest import TEST_KEY
from tests.integration.helpers import run_jobs
from tests.integration.messages.sink import Reply, Sink
from tests.integration.messaging import enrol, messages_of, pay_order

ENDPOINTS = "/api/v1/webhook-endpoints"


@pytest.fixture
def program() -> ProgramPolicy:
    return ProgramPolicy(messages=MessagePolicy(webhook_disable_after_hours=1))


@pytest.fixture
def clock() -> ManualClock:
    """Now: receivers refuse a webhook-timestamp more than five minutes off their clock."""
    return ManualClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def app(db_url: str, clock: ManualClock, program: ProgramPolicy) -> Iterator[Loyalist]:
    settings = Settings(
        database_url=db_url,
        program=program,
        writer_linger_ms=0.5,
        messages=MessageSettings(webhook_allow_private=True, webhook_timeout_seconds=5),
    )
    loyalist = bootstrap(settings, clock=clock, keyring=Keyring.from_secrets(TEST_KEY))
    yield loyalist
    loyalist.close()


def _register(client: TestClient, keys: Keys, url: str, *types: str) -> dict[str, Any]:
    response = client.post(
        ENDPOINTS,
        json={"url": url, "event_types": list(types or ("points.awarded",))},
        headers=bearer(keys.of(Scope.MESSAGES_WRITE)),
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _endpoints(client: TestClient, keys: Keys) -> list[dict[str, Any]]:
    response = client.get(ENDPOINTS, headers=bearer(keys.of(Scope.MESSAGES_READ)))
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def _verify(secret: str, http_sink: Sink, index: int = -1) -> Any:
    received = http_sink.received[index]
    return Webhook(secret).verify(received.body, received.headers)


def test_refuses_urls_the_ssrf_guard_refuses(client: TestClient, keys: Keys) -> None:
    for url in ("http://169.254.169.254/latest/meta-data", "http://0.0.0.0/hook"):
        response = client.post(
            ENDPOINTS,
            json={"url": url, "event_types": ["points.awarded"]},
            headers=bearer(keys.of(Scope.MESSAGES_WRITE)),
        )
        assert_problem(response, 422, "webhook_url_refused", "/url")
    assert _endpoints(client, keys) == []


def test_refuses_a_url_whose_host_does_not_resolve_with_a_problem_not_a_500(
    client: TestClient, keys: Keys
) -> None:
    response = client.post(
        ENDPOINTS,
        json={"url": "https://hooks.shop.invalid/loyalist", "event_types": ["points.awarded"]},
        headers=bearer(keys.of(Scope.MESSAGES_WRITE)),
    )
    problem = assert_problem(response, 422, "webhook_url_refused", "/url")
    assert "does not resolve" in problem["detail"]
    assert _endpoints(client, keys) == []


def test_a_paid_order_sends_a_signed_points_awarded_webhook(
    client: TestClient, keys: Keys, app: Loyalist, clock: ManualClock, http_sink: Sink
) -> None:
    created = _register(client, keys, http_sink.url("/hooks"), "points.awarded", "tier.upgraded")
    secret = created["secret"]
    assert secret.startswith("whsec_")
    [listed] = _endpoints(client, keys)
    assert "secret" not in listed  # shown once
    assert listed["event_types"] == ["points.awarded", "tier.upgraded"]
    enrol(app, "M1", email="anna@example.com")

    pay_order(app, "M1", "A-1", clock.now())
    run_jobs(app)

    [received] = http_sink.received
    assert received.path == "/hooks"
    body = _verify(secret, http_sink)
    assert body["type"] == "points.awarded"
    assert body["data"]["member_id"] == "M1"
    assert body["data"]["points"] == 110
    assert body["data"]["pending_points"] == 110
    assert body["data"]["order_id"] == "A-1"
    hooks = [m for m in messages_of(app, "M1") if m.channel == "webhook"]
    assert [(m.status, m.template_key) for m in hooks] == [("sent", "points.awarded")]
    assert received.headers["webhook-id"] == hooks[0].id


def test_each_engine_event_sends_its_own_body_naming_members_by_the_shops_ids(
    client: TestClient, keys: Keys, app: Loyalist, clock: ManualClock, http_sink: Sink
) -> None:
    types = [e.value for e in WebhookEvent if not e.value.startswith("message.")]
    created = _register(client, keys, http_sink.url("/all"), *types)
    anna = enrol(app, "M1", email="anna@example.com")
    bob = enrol(app, "M2", email="bob@example.com")
    now = clock.now()
    program = app.settings.program

    def op(uow: UnitOfWork) -> None:
        webhooks.points_matured(uow, [PointsMatured(anna, 40, "A-1", now, now)], program)
        webhooks.points_expiring(uow, [PointsExpiring(anna, 15, now + timedelta(days=30))], program)
        upgraded = TierUpgraded(anna, None, "silver", now, "qualified", "qualified")
        webhooks.tier_changed(uow, WebhookEvent.TIER_UPGRADED, [upgraded], program)
        downgraded = TierDowngraded(anna, "silver", None, now, "review", "qualified")
        webhooks.tier_changed(uow, WebhookEvent.TIER_DOWNGRADED, [downgraded], program)
        granted = RewardGranted(anna, "free-coffee", "welcome", 1, "order:A-1", now)
        webhooks.reward_granted(uow, [granted], program)
        converted = ReferralConverted(7, anna, bob, "B-1", now, True)
        webhooks.referral_converted(uow, [converted], program)

    app.db.write(op)
    run_jobs(app)

    bodies = {
        body["type"]: body["data"]
        for body in (
            _verify(created["secret"], http_sink, n) for n in range(len(http_sink.received))
        )
    }
    assert set(bodies) == set(types) - {"points.awarded"}
    assert bodies["points.matured"] == {
        "member_id": "M1",
        "points": 40,
        "order_id": "A-1",
        "matured_at": now.isoformat(),
    }
    assert (bodies["points.expiring"]["member_id"], bodies["points.expiring"]["points"]) == (
        "M1",
        15,
    )
    assert bodies["tier.upgraded"]["to_tier"] == "silver"
    assert bodies["tier.downgraded"]["from_tier"] == "silver"
    assert bodies["reward.granted"] == {
        "member_id": "M1",
        "reward": "free-coffee",
        "rule": "welcome",
        "occurrence": "order:A-1",
    }
    referral = bodies["referral.converted"]
    assert (referral["referrer_id"], referral["friend_id"], referral["rewarded"]) == (
        "M1",
        "M2",
        True,
    )
    # Each filed under the member it is about: the conversion under the referrer.
    assert {m.template_key for m in messages_of(app, "M1") if m.channel == "webhook"} == set(bodies)
    assert [m for m in messages_of(app, "M2") if m.channel == "webhook"] == []


def test_after_a_rotation_both_secrets_verify_until_the_overlap_ends(
    client: TestClient, keys: Keys, app: Loyalist, clock: ManualClock, http_sink: Sink
) -> None:
    created = _register(client, keys, http_sink.url())
    old = created["secret"]
    response = client.post(
        f"{ENDPOINTS}/{created['endpoint']['id']}/rotate-secret",
        json={"overlap_hours": 24},
        headers=bearer(keys.of(Scope.MESSAGES_WRITE)),
    )
    assert response.status_code == 200, response.text
    new = response.json()["secret"]
    assert new != old
    enrol(app, "M1", email="anna@example.com")

    pay_order(app, "M1", "A-1", clock.now())
    run_jobs(app)

    assert _verify(old, http_sink)["type"] == "points.awarded"
    assert _verify(new, http_sink)["type"] == "points.awarded"
    assert len(http_sink.last.headers["webhook-signature"].split(" ")) == 2


def test_a_410_disables_the_endpoint_and_enabling_it_replays_what_it_missed_once(
    client: TestClient, keys: Keys, app: Loyalist, clock: ManualClock, http_sink: Sink
) -> None:
    created = _register(client, keys, http_sink.url())
    endpoint_id = created["endpoint"]["id"]
    enrol(app, "M1", email="anna@example.com")
    http_sink.reply(Reply(410))

    pay_order(app, "M1", "A-1", clock.now())
    run_jobs(app)
    pay_order(app, "M1", "A-2", clock.now())
    run_jobs(app)

    [endpoint] = _endpoints(client, keys)
    assert endpoint["is_enabled"] is False
    assert "410" in endpoint["disabled_reason"]
    assert len(http_sink.received) == 1  # the second webhook is held, not sent
    statuses = sorted(m.status for m in messages_of(app, "M1") if m.channel == "webhook")
    assert statuses == ["failed", "held"]

    response = client.patch(
        f"{ENDPOINTS}/{endpoint_id}",
        json={"is_enabled": True},
        headers=bearer(keys.of(Scope.MESSAGES_WRITE)),
    )
    assert response.status_code == 200, response.text
    run_jobs(app)
    run_jobs(app)

    assert len(http_sink.received) == 2
    assert _verify(created["secret"], http_sink)["data"]["order_id"] == "A-2"
    statuses = sorted(m.status for m in messages_of(app, "M1") if m.channel == "webhook")
    assert statuses == ["failed", "sent"]


def test_deleting_an_endpoint_ends_what_waits_for_it_and_keeps_what_was_sent(
    client: TestClient, keys: Keys, app: Loyalist, clock: ManualClock, http_sink: Sink
) -> None:
    created = _register(client, keys, http_sink.url())
    endpoint_id = created["endpoint"]["id"]
    enrol(app, "M1", email="anna@example.com")
    pay_order(app, "M1", "A-1", clock.now())
    run_jobs(app)
    headers = bearer(keys.of(Scope.MESSAGES_WRITE))
    disabled = client.patch(
        f"{ENDPOINTS}/{endpoint_id}", json={"is_enabled": False}, headers=headers
    )
    assert disabled.status_code == 200, disabled.text
    pay_order(app, "M1", "A-2", clock.now())
    run_jobs(app)  # held while the endpoint is disabled

    assert_problem(
        client.delete(f"{ENDPOINTS}/{endpoint_id}", headers=bearer(keys.of(Scope.MESSAGES_READ))),
        403,
        "permission_denied",
    )
    response = client.delete(f"{ENDPOINTS}/{endpoint_id}", headers=headers)
    assert (response.status_code, response.content) == (204, b"")
    run_jobs(app)

    assert _endpoints(client, keys) == []
    assert len(http_sink.received) == 1
    found = {(m.status, m.reason) for m in messages_of(app, "M1") if m.channel == "webhook"}
    assert found == {("sent", None), ("failed", "the webhook endpoint was deleted")}
    assert_problem(
        client.delete(f"{ENDPOINTS}/{endpoint_id}", headers=headers),
        404,
        "webhook_endpoint_not_found",
    )


def test_an_endpoint_failing_for_longer_than_the_setting_is_disabled(
    client: TestClient, keys: Keys, app: Loyalist, clock: ManualClock, http_sink: Sink
) -> None:
    _register(client, keys, http_sink.url())
    enrol(app, "M1", email="anna@example.com")
    http_sink.default = Reply(503)

    pay_order(app, "M1", "A-1", clock.now())
    run_jobs(app)
    [endpoint] = _endpoints(client, keys)
    assert (endpoint["is_enabled"], endpoint["failing_since"] is not None) == (True, True)

    clock.advance(timedelta(minutes=61))
    run_jobs(app)

    [endpoint] = _endpoints(client, keys)
    assert endpoint["is_enabled"] is False
    assert "failing since" in endpoint["disabled_reason"]


def test_a_signature_with_a_wrong_secret_does_not_verify(
    client: TestClient, keys: Keys, app: Loyalist, clock: ManualClock, http_sink: Sink
) -> None:
    _register(client, keys, http_sink.url())
    other = _register(client, keys, http_sink.url("/other"), "tier.upgraded")
    enrol(app, "M1", email="anna@example.com")

    pay_order(app, "M1", "A-1", clock.now())
    run_jobs(app)

    [received] = http_sink.received  # the other endpoint did not subscribe to points
    assert received.path == "/"
    with pytest.raises(WebhookVerificationError):
        _verify(other["secret"], http_sink)
