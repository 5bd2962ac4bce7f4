"""Reactions to what members did: attribution of goal events to campaigns.

A member converts in a campaign with their first goal event (``spec.goal.event``) within
``[due_at, due_at + goal.days]`` of their main send, for a send whose message was queued
or, in the control group, would have been (``held_out``): both arms are measured over the
same window. One conversion per member and campaign; an earlier event arriving later
replaces a later one. Every campaign whose window holds the event counts it: each
measures its own arms against its own control group (docs/decisions.md, "Issue 17 —
report: attribution").

Ingest pays for this only when a campaign may collect: which campaigns do is read once
per process and configuration version (a trigger bumps it when a campaign's state, spec,
launch or finish changes), and a batch without a matching goal event in an open window
reads nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from loyalist.activities.events import ActivityRecorded, OrderPaid
from loyalist.campaigns import repository
from loyalist.campaigns.models import CampaignState
from loyalist.campaigns.schemas import Goal
from loyalist.db import configs
from loyalist.db.uow import UnitOfWork
from loyalist.settings import ProgramPolicy

#: A campaign that ended stops collecting once its last window closed.
_ENDED = (CampaignState.FINISHED, CampaignState.CANCELLED)


@dataclass(frozen=True, slots=True)
class _Collecting:
    """A launched campaign as attribution sees it: its goal, and until when a window may
    still be open (None: it is still sending)."""

    id: int
    event: str
    window: timedelta
    launched_at: datetime | None
    closes_at: datetime | None

    def may_hold(self, event: str, earliest: datetime, latest: datetime) -> bool:
        """Whether a window may hold an event of this type between ``earliest`` and
        ``latest`` (a generous filter: the sends' own times decide)."""
        return (
            event == self.event
            and (self.launched_at is None or self.launched_at <= latest + self.window)
            and (self.closes_at is None or earliest <= self.closes_at)
        )


@dataclass(frozen=True, slots=True)
class _Fact:
    member_id: int
    event: str
    event_id: str
    at: datetime
    revenue_minor: int
    currency: str | None


_CACHE: configs.ConfigCache[tuple[_Collecting, ...]] = configs.ConfigCache(configs.CAMPAIGNS)


def on_order_paid(uow: UnitOfWork, events: Sequence[OrderPaid], program: ProgramPolicy) -> None:
    """A paid order converts for goal ``order.paid``; its revenue is its net amount."""
    _attribute(
        uow,
        [
            _Fact(e.member_id, "order.paid", e.order_id, e.paid_at, e.net_amount, e.currency)
            for e in events
        ],
    )


def on_activity_recorded(
    uow: UnitOfWork, events: Sequence[ActivityRecorded], program: ProgramPolicy
) -> None:
    """Any other event type may be a goal (a review, a sign-up, a custom ``x.*``)."""
    _attribute(
        uow, [_Fact(e.member_id, e.type, e.event_id, e.occurred_at, 0, None) for e in events]
    )


def _collecting(uow: UnitOfWork) -> tuple[_Collecting, ...]:
    def build() -> tuple[_Collecting, ...]:
        found = []
        for id_, spec, state, launched_at, finished_at, updated_at in repository.launched_campaigns(
            uow.session
        ):
            goal = Goal.model_validate(spec.get("goal") or {})
            window = timedelta(days=goal.days)
            ended = finished_at or updated_at
            closes_at = ended + window if state in _ENDED else None
            found.append(_Collecting(int(id_), goal.event, window, launched_at, closes_at))
        return tuple(found)

    return _CACHE.get(uow, build)


def _attribute(uow: UnitOfWork, facts: Sequence[_Fact]) -> None:
    if not facts:
        return
    collecting = _collecting(uow)
    if not collecting:
        return
    earliest = min(f.at for f in facts)
    latest = max(f.at for f in facts)
    kinds = {f.event for f in facts}
    candidates = {
        c.id: c for c in collecting if any(c.may_hold(k, earliest, latest) for k in kinds)
    }
    if not candidates:
        return
    members = {f.member_id for f in facts}
    sends = repository.measured_sends(uow.session, candidates.keys(), members)
    if not sends:
        return
    known = repository.conversion_times(
        uow.session, {s.campaign_id for s in sends}, {s.member_id for s in sends}
    )
    by_member: dict[int, list[_Fact]] = {}
    for fact in facts:
        by_member.setdefault(fact.member_id, []).append(fact)
    rows = []
    for campaign_id, member_id, arm, due_at in sends:
        campaign = candidates[campaign_id]
        held = [
            f
            for f in by_member[member_id]
            if f.event == campaign.event and due_at <= f.at <= due_at + campaign.window
        ]
        if not held:
            continue
        first = min(held, key=lambda f: (f.at, f.event_id))
        before = known.get((campaign_id, member_id))
        if before is not None and before <= first.at:
            continue
        rows.append(
            {
                "campaign_id": campaign_id,
                "member_id": member_id,
                "arm": arm,
                "event_id": first.event_id,
                "converted_at": first.at,
                "revenue_minor": first.revenue_minor,
                "currency": first.currency,
            }
        )
    repository.record_conversions(uow.session, rows)
