"""``GET /api/v1/campaigns/{key}/report`` and ``GET /api/v1/insights/holdout`` over HTTP:
the fixed shape, the guards, the problems."""

from __future__ import annotations

from datetime import timedelta

from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.campaigns.models import SendStatus
from loyalist.db.uow import UnitOfWork
from loyalist.staff.models import Scope
from tests.api.conftest import Keys, assert_problem, bearer
from tests.campaigning import add_campaign, add_sends, spec
from tests.conftest import START, event
from tests.integration.helpers import member_pk, send
from tests.integration.test_rules import paid_order

DAY = timedelta(days=1)


def seeded(app: Loyalist) -> None:
    """Campaign ``spring``: B1 in variant b converts, C1 in the control group does not."""
    for m in ("B1", "C1"):
        send(app, event(f"enrol-{m}", "member.enrolled", m, START - DAY))
    b1, c1 = member_pk(app, "B1"), member_pk(app, "C1")

    def setup(uow: UnitOfWork) -> None:
        c = add_campaign(uow, "spring", spec("b"), launched_at=START)
        add_sends(
            uow,
            c,
            [(b1, "b", SendStatus.QUEUED, START), (c1, "control", SendStatus.HELD_OUT, START)],
        )

    app.db.write(setup)
    send(app, paid_order("o1", "B1", START + DAY, ("sku", 1, 2_500)))


def test_the_report_has_the_fixed_shape(client: TestClient, app: Loyalist, keys: Keys) -> None:
    seeded(app)
    response = client.get(
        "/api/v1/campaigns/spring/report", headers=bearer(keys.of(Scope.PROGRAM_READ))
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert [a["key"] for a in body["arms"]] == ["control", "b"]
    b = body["arms"][1]
    assert {k: b[k] for k in ("members", "sent", "converted", "conversion_rate", "revenue")} == {
        "members": 1,
        "sent": 0,
        "converted": 1,
        "conversion_rate": 1.0,
        "revenue": 2_500,
    }
    (uplift,) = body["uplift"]
    assert uplift["key"] == "b"
    assert uplift["absolute"] == 1.0
    assert uplift["low"] <= 1.0 <= uplift["high"]
    assert uplift["revenue_per_member"]["difference"] is None  # one member per arm
    assert body["winner"] is None
    assert body["currency"] == "EUR"


def test_guards_and_problems(client: TestClient, app: Loyalist, keys: Keys) -> None:
    denied = client.get(
        "/api/v1/campaigns/spring/report", headers=bearer(keys.of(Scope.MEMBERS_READ))
    )
    assert_problem(denied, 403, "permission_denied")
    missing = client.get("/api/v1/campaigns/nope/report", headers=bearer(keys.admin))
    assert_problem(missing, 404, "marketing_campaign_not_found")
    holdout_denied = client.get(
        "/api/v1/insights/holdout", headers=bearer(keys.of(Scope.PROGRAM_READ))
    )
    assert_problem(holdout_denied, 403, "permission_denied")
    backwards = client.get(
        "/api/v1/insights/holdout",
        params={"from": "2026-02-01", "to": "2026-01-01"},
        headers=bearer(keys.of(Scope.INSIGHTS_READ)),
    )
    assert_problem(backwards, 422, "date_range_invalid", "#query/from")
    for params, pointer in [
        ({"to": "9999-12-31"}, "#query/to"),
        ({"from": "0001-01-01", "to": "2026-01-01"}, "#query/from"),
        ({"to": "0001-01-05"}, "#query/to"),
    ]:
        far = client.get(
            "/api/v1/insights/holdout", params=params, headers=bearer(keys.of(Scope.INSIGHTS_READ))
        )
        assert_problem(far, 422, "date_range_invalid", pointer)


def test_the_holdout_report(client: TestClient, app: Loyalist, keys: Keys) -> None:
    seeded(app)
    response = client.get(
        "/api/v1/insights/holdout",
        params={"from": "2026-01-01", "to": "2026-01-31"},
        headers=bearer(keys.of(Scope.INSIGHTS_READ)),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["from"], body["to"], body["holdout_percent"]) == ("2026-01-01", "2026-01-31", 0.0)
    groups = {g["key"]: g for g in body["groups"]}
    assert (groups["holdout"]["members"], groups["holdout"]["conversion_rate"]) == (0, None)
    assert (groups["rest"]["members"], groups["rest"]["buyers"]) == (2, 1)
    assert groups["rest"]["revenue_per_member"] == 1_250
    assert body["uplift"]["absolute"] is None
