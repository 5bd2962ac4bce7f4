"""Review B: a coupon batch generated in the server's background stops with the
application (no thread outlives it), leaves only whole chunks, and resumes to exactly the
codes requested."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.coupons import generation
from loyalist.coupons import service as coupons
from loyalist.coupons.models import CouponBatch, CouponCode
from loyalist.coupons.schemas import CampaignIn, GenerateIn
from loyalist.settings import ProgramPolicy
from loyalist.web.app import create_app
from loyalist.web.console.coupons import Runs
from tests.api.staff_helpers import add_staff, enrol, sign_in, staff_app

COUNT = 200_000


@pytest.fixture
def app(db_url: str, clock: ManualClock, program: ProgramPolicy) -> Iterator[Loyalist]:
    loyalist = staff_app(db_url, clock, program)
    body = CampaignIn.model_validate(
        {
            "name": {"en": "Spring", "ru": "Весна"},
            "discount": {"type": "percent", "percent": "10"},
            "code_mode": "unique",
        }
    )
    loyalist.db.write(lambda uow: coupons.put_campaign(uow, "spring", body))
    add_staff(loyalist, "owner@shop.example", "owner")
    yield loyalist
    loyalist.close()


def _stored(app: Loyalist) -> tuple[int, int, str]:
    def op(uow: object) -> tuple[int, int, str]:
        session = uow.session  # type: ignore[attr-defined]
        batch = session.scalars(select(CouponBatch)).one()
        codes = session.scalar(select(func.count()).select_from(CouponCode))
        return (
            batch.generated,
            codes,
            str(batch.status.value if hasattr(batch.status, "value") else batch.status),
        )

    return app.db.read(op)


def test_a_run_stops_with_the_application_and_resumes(app: Loyalist, clock: ManualClock) -> None:
    web = create_app(app, embedded_worker=False)
    with TestClient(web, base_url="https://testserver") as client:
        started = sign_in(client, "owner@shop.example")
        headers = {"X-CSRF-Token": enrol(client, clock, started).confirmed.json()["csrf_token"]}
        form = {
            "count": str(COUNT),
            "length": "12",
            "group": "0",
            "prefix": "",
            "request_key": "console-review-b",
        }
        answer = client.post("/console/coupons/spring/batches", data=form, headers=headers)
        assert answer.status_code == 200, answer.text
    runs = web.state.coupon_runs
    assert isinstance(runs, Runs)
    (batch_id,) = runs._runs
    assert not runs.is_running(batch_id)  # the shutdown waited for the run to stop
    generated, codes, status = _stored(app)
    assert generated == codes < COUNT  # whole chunks only, and not finished
    assert status != "ready"

    # What was left is made by the same run resumed (here the domain's call, as the page's
    # resume button makes it): exactly the codes requested, none twice.
    spec = GenerateIn.model_validate(form)
    run = generation.generate(app.db, "spring", spec)
    assert not run.created
    assert _stored(app) == (COUNT, COUNT, "ready")
