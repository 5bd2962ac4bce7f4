"""``POST /api/v1/campaigns/{key}/audience/estimate`` and ``…/launch``: answers, problems
and permissions."""

from __future__ import annotations

from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.staff.models import Scope
from tests.api.conftest import Keys, assert_problem, bearer
from tests.campaigning import (
    add_unchecked_draft,
    enrol_many,
    messages_per_member,
    put_campaign,
)

TEXT = {"en": "Sale", "ru": "Распродажа"}


def test_estimate_then_launch_idempotently(
    app: Loyalist, client: TestClient, admin: dict[str, str]
) -> None:
    enrol_many(app, 12)
    enrol_many(app, 3, prefix="n", consent=False)
    put_campaign(app, "spring", audience={"condition": "member.order_count == 0"})

    estimate = client.post("/api/v1/campaigns/spring/audience/estimate", headers=admin)
    first = client.post("/api/v1/campaigns/spring/launch", headers=admin)
    second = client.post("/api/v1/campaigns/spring/launch", headers=admin)

    assert estimate.status_code == 200, estimate.text
    assert estimate.json() == {
        "members": 15,
        "channels": {"email": 12, "sms": 0, "push": 0},
        "control": 0,
        "excluded": {"global_holdout": 0, "no_consent": 3, "suppressed": 0, "unreachable": 0},
        "is_exact": True,
        "sample": None,
    }
    assert first.status_code == 200, first.text
    assert (first.json()["state"], first.json()["revision"]) == ("running", 2)
    assert second.json()["revision"] == 2
    while app.run_due_work().did_work:
        pass
    assert len(messages_per_member(app, "spring")) == 12


def test_problems_and_permissions(app: Loyalist, client: TestClient, keys: Keys) -> None:
    add_unchecked_draft(app, "bad", audience={"condition": "member.shoe_size > 40"})
    writer = bearer(keys.of(Scope.PROGRAM_WRITE))
    reader = bearer(keys.of(Scope.PROGRAM_READ))
    spec = client.get("/api/v1/campaigns/bad", headers=reader).json()["spec"]

    refused = client.put("/api/v1/campaigns/bad", json=spec, headers=writer)

    missing = client.post("/api/v1/campaigns/none/launch", headers=writer)
    broken = client.post("/api/v1/campaigns/bad/audience/estimate", headers=reader)
    denied = client.post("/api/v1/campaigns/bad/launch", headers=reader)

    assert_problem(refused, 422, "campaign_invalid", "/audience/condition")  # at PUT already
    assert_problem(missing, 404, "marketing_campaign_not_found")
    assert_problem(broken, 422, "rule_invalid", "/audience/condition")  # a row stored before
    assert_problem(denied, 403, "permission_denied")


def test_content_that_does_not_render_is_a_422_at_launch_and_at_a_scheduled_change(
    app: Loyalist, client: TestClient, admin: dict[str, str]
) -> None:
    broken = {"en": "Hi {{ member.", "ru": "Привет"}
    add_unchecked_draft(app, "broken", body=broken)
    put_campaign(app, "later", send_at="2030-01-01T10:00:00")

    launched = client.post("/api/v1/campaigns/broken/launch", headers=admin)
    client.post("/api/v1/campaigns/later/launch", headers=admin)
    spec = client.get("/api/v1/campaigns/later", headers=admin).json()["spec"]
    changed = client.put(
        "/api/v1/campaigns/later",
        json={**spec, "variants": [{"key": "b", "content": {"subject": broken, "body": broken}}]},
        headers=admin,
    )
    offered = client.put(
        "/api/v1/campaigns/later",
        json={**spec, "offer": {"gift": {"reward": "nope"}}},
        headers=admin,
    )

    drafted = client.put(
        "/api/v1/campaigns/new",
        json={"name": TEXT, "subject": TEXT, "body": broken, "control_percent": 0},
        headers=admin,
    )

    assert_problem(drafted, 422, "template_syntax_invalid", "/body/en")  # refused at PUT
    assert client.get("/api/v1/campaigns/new", headers=admin).status_code == 404
    assert_problem(launched, 422, "template_syntax_invalid", "/body/en")
    assert_problem(changed, 422, "template_syntax_invalid", "/variants/0/content/subject/en")
    assert_problem(offered, 422, "campaign_offer_invalid", "/offer/gift/reward")
    assert client.get("/api/v1/campaigns/later", headers=admin).json()["revision"] == 2


def test_a_campaign_past_its_deadline_is_not_launched(
    app: Loyalist, client: TestClient, admin: dict[str, str]
) -> None:
    enrol_many(app, 3)
    put_campaign(app, "over", ends_at="2020-01-01T00:00:00Z")

    refused = client.post("/api/v1/campaigns/over/launch", headers=admin)

    assert_problem(refused, 422, "campaign_offer_invalid", "/ends_at")
    assert client.get("/api/v1/campaigns/over", headers=admin).json()["state"] == "draft"
