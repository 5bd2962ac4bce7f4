"""Any sequence of changes and moves keeps a campaign's state as the state machine says,
refuses what it forbids with its problem and writes nothing then, and records every write
as one revision in the history and one audit record."""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loyalist.audit.models import Actor, ActorKind
from loyalist.bootstrap import Loyalist
from loyalist.campaigns import service as campaigns
from loyalist.campaigns.errors import (
    CampaignNotEditableError,
    CampaignStateConflictError,
)
from loyalist.campaigns.models import CampaignState, ChangeAction
from loyalist.campaigns.schemas import CampaignSpec
from loyalist.db.uow import UnitOfWork
from loyalist.errors import DomainError
from tests.auditing import audit_rows

S = CampaignState
ACTOR = Actor(ActorKind.STAFF, id="1", label="Ann")
#: What launch, the send job and the deadline do (other branches): from, to.
JOBS = {
    "launch": (ChangeAction.LAUNCHED, {S.DRAFT}, S.SCHEDULED),
    "start": (ChangeAction.STARTED, {S.SCHEDULED}, S.RUNNING),
    "finish": (ChangeAction.FINISHED, {S.RUNNING}, S.FINISHED),
}
STEPS = st.lists(
    st.sampled_from(["pause", "resume", "cancel", "put_same", "put_changed", "delete", *JOBS]),
    max_size=12,
)
_keys = itertools.count()


def _spec(percent: int) -> CampaignSpec:
    return CampaignSpec.model_validate(
        {
            "name": {"en": "Spring", "ru": "Весна"},
            "template": "campaign",
            "control_percent": percent,
        }
    )


@dataclass
class Model:
    """What the campaign should be: its state, the state it was paused from, its writes."""

    state: CampaignState = S.DRAFT
    paused_from: CampaignState | None = None
    writes: int = 1
    percent: int = 0
    audited: list[str] = field(default_factory=lambda: ["campaign.changed"])

    def expect(self, step: str) -> type[DomainError] | str | None:
        """The problem ``step`` must raise, "write" or None (nothing written)."""
        if step == "pause":
            if self.state == S.PAUSED:
                return None
            return "write" if self.state in (S.SCHEDULED, S.RUNNING) else CampaignStateConflictError
        if step == "resume":
            if self.state in (S.SCHEDULED, S.RUNNING):
                return None
            return "write" if self.state == S.PAUSED else CampaignStateConflictError
        if step == "cancel":
            if self.state == S.CANCELLED:
                return None
            return CampaignStateConflictError if self.state == S.FINISHED else "write"
        if step == "put_same":
            return None
        if step == "put_changed":
            return "write" if self.state in (S.DRAFT, S.SCHEDULED) else CampaignNotEditableError
        if step == "delete":
            return "write" if self.state == S.DRAFT else CampaignNotEditableError
        return "write" if self.state in JOBS[step][1] else None

    def apply(self, step: str) -> None:
        self.writes += 1
        if step == "pause":
            self.paused_from, self.state = self.state, S.PAUSED
            self.audited.append("campaign.paused")
        elif step == "resume":
            assert self.paused_from is not None
            self.state = self.paused_from
            self.audited.append("campaign.resumed")
        elif step == "cancel":
            self.state = S.CANCELLED
            self.audited.append("campaign.cancelled")
        elif step == "put_changed":
            self.percent += 1
            self.audited.append("campaign.changed")
        else:
            self.state = JOBS[step][2]


def _run(uow: UnitOfWork, key: str, step: str, model: Model) -> None:
    if step == "pause":
        campaigns.pause(uow, key, ACTOR)
    elif step == "resume":
        campaigns.resume(uow, key, ACTOR)
    elif step == "cancel":
        campaigns.cancel(uow, key, ACTOR)
    elif step == "put_same":
        assert campaigns.put_campaign(uow, key, _spec(model.percent), ACTOR)[1] is False
    elif step == "put_changed":
        assert campaigns.put_campaign(uow, key, _spec(model.percent + 1), ACTOR)[1] is True
    elif step == "delete":
        campaigns.delete_campaign(uow, key, ACTOR)
    else:
        action, _, state = JOBS[step]
        campaigns.record_change(uow, campaigns.lock(uow, key), action, "job", state=state)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_any_sequence_of_moves_follows_the_state_machine_and_is_recorded(
    app: Loyalist, steps: list[str]
) -> None:
    key = f"c{next(_keys)}"
    app.db.write(lambda uow: campaigns.put_campaign(uow, key, _spec(0), ACTOR))
    model = Model()
    for step in steps:
        expected = model.expect(step)
        run = functools.partial(_run, key=key, step=step, model=model)
        if isinstance(expected, type):
            with pytest.raises(expected):
                app.db.write(run)
        elif step not in JOBS or expected is not None:  # the jobs refuse what they cannot do
            app.db.write(run)
            if expected == "write" and step == "delete":
                assert app.db.read(lambda uow: campaigns.find(uow, key)) is None
                return
            if expected == "write":
                model.apply(step)

        found = app.db.read(lambda uow: campaigns.read(uow, campaigns.get(uow, key)))
        history = app.db.read(lambda uow: campaigns.history(uow, key))
        assert found.state == model.state
        assert found.revision == model.writes
        assert [h["revision"] for h in history] == list(range(1, model.writes + 1))
        assert history[-1]["state"] == model.state
        assert found.spec.control_percent == model.percent
    audited = [r["action"] for r in audit_rows(app) if r["target_id"] == key]
    assert audited == model.audited
