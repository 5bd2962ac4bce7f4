"""Applying a run of moments (facts turned into gamification events) to members: their
statistics, streaks, quest progress and badges, with rewards granted exactly once.

Every write for a member happens under the lock of the member's statistics row (taken in
key order, after the ledger's and the tiers' rows, the order every unit takes them in), so
concurrent events of one member are applied one after the other. A run's quest
completions are stored when it finishes, behind a conditional write (``completed_at IS
NULL``; a completion it refuses rolls the unit back) and badges behind a unique key with
``ON CONFLICT DO NOTHING``, so even a path that skipped the lock could not grant twice.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from loyalist.coupons import service as coupons
from loyalist.coupons.models import CampaignStatus
from loyalist.db.uow import UnitOfWork
from loyalist.gamification import policy, repository
from loyalist.gamification.books import GameBook
from loyalist.gamification.definitions import Badge, Definitions, Quest
from loyalist.gamification.events import BadgeAwarded, QuestCompleted, StreakExtended
from loyalist.gamification.policy import Criteria
from loyalist.gamification.repository import ProgressRow, StreakRow
from loyalist.ledger import service as ledger
from loyalist.members import service as members
from loyalist.settings import ProgramPolicy
from loyalist.tiers import service as tiers

if TYPE_CHECKING:
    import cel

log = logging.getLogger(__name__)


class QuestCompletedTwiceError(RuntimeError):
    """A quest completion this unit granted was already stored: a broken invariant (every
    unit holds the member's lock), so the unit is rolled back instead of rewarding twice."""


@dataclass(slots=True)
class Moment:
    """One thing that happened to a member, as gamification sees it.

    ``change`` says how the member's statistics move (applied before criteria run)."""

    member_id: int
    type: str
    at: datetime
    data: dict[str, Any] = field(default_factory=dict)
    change: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Sighting:
    """Who, what and when of a moment (enough to load the state it will need)."""

    member_id: int
    type: str
    at: datetime


class Run:
    """The state of one run's members, loaded in a few queries."""

    def __init__(
        self,
        uow: UnitOfWork,
        defs: Definitions,
        program: ProgramPolicy,
        member_ids: Sequence[int],
        *,
        ledger_ids: Sequence[int] = (),
        skip_locked: bool = False,
    ) -> None:
        """Lock and load the state of ``member_ids``; the ledger rows of ``ledger_ids``
        (members a quest may award points to) are locked first, and every member's when an
        expression reads lifetime points."""
        self.uow = uow
        self.defs = defs
        self.program = program
        self.zone = program.zone
        self.now_cel = policy.cel_time(uow.now, self.zone)
        #: Badges to insert at ``finish``: (member, badge, source).
        self.awards: list[tuple[int, str, str]] = []
        #: Progress rows completed by this run, stored as complete at ``finish``.
        self.completions: list[ProgressRow] = []
        if not skip_locked:
            # The unit's working set: what the run changes is written before the commit.
            self.book = GameBook.of(uow)
            self.is_own_book = False
            self.member_ids = self.book.load(
                member_ids,
                member_ids if defs.needs_points else ledger_ids,
                self.zone,
                tiers_read=defs.needs_tier,
                badges_held=bool(defs.badges),
                streaks=bool(defs.streaks),
                profiles=defs.needs_profile,
            )
        else:
            # A job's pass (the badge sweep): only the members no other unit holds, in a
            # book of its own, written when the run finishes.
            self.book = GameBook(uow)
            self.is_own_book = True
            self.member_ids = self._load_unheld(member_ids, ledger_ids)
        self.stats, self.badges = self.book.stats, self.book.badges
        self.streaks, self.facts = self.book.streaks, self.book.facts
        self.progress = self.book.progress

    def _load_unheld(self, member_ids: Sequence[int], ledger_ids: Sequence[int]) -> list[int]:
        uow, defs, book = self.uow, self.defs, self.book
        ids = sorted(set(member_ids))
        wanted = ids if defs.needs_points else sorted(set(ledger_ids))
        if wanted:
            held = set(ledger.lock(uow, wanted, skip_locked=True))
            ids = [m for m in ids if m in held or m not in wanted]
        if defs.needs_tier:
            ids = tiers.prepare(uow, ids, self.zone, skip_locked=True)
        book.stats.update(repository.lock_stats(uow.session, ids, skip_locked=True))
        locked = sorted(book.stats)
        if defs.badges:
            book.badges.update(repository.badges_of(uow.session, locked))
        if defs.streaks:
            book.streaks.update(repository.streaks_of(uow.session, locked))
        if locked and defs.needs_profile:
            book.facts.update(members.member_facts(uow, locked))
        return locked

    # -- loading --------------------------------------------------------------------------
    def load_progress(self, moments: Sequence[Moment | Sighting]) -> None:
        """Progress rows of every quest period the moments may count for, read once per
        unit (one query for those not read yet)."""
        if not self.defs.quests:
            return
        wanted: set[tuple[int, str, str]] = set()
        for moment in moments:
            for quest in self.defs.quests:
                if any(s.event == moment.type for s in quest.steps):
                    found = _period(quest, moment.at, self.zone)
                    if found is not None:
                        wanted.add((moment.member_id, quest.key, found.key))
        self.book.load_progress(wanted)

    # -- values ---------------------------------------------------------------------------
    def member_value(self, member_id: int) -> dict[str, Any]:
        stats = self.stats[member_id]
        fact = self.facts.get(member_id)
        figures = policy.MemberFigures(
            member_id=fact.external_id if fact else str(member_id),
            orders=stats.orders_count,
            spend=stats.spend,
            categories=tuple(stats.categories or ()),
            reviews=len(stats.reviews or ()),
            surveys=len(stats.surveys or ()),
            referrals=stats.referrals_count,
            quests=stats.quests_count,
            badges=tuple(sorted(self.badges.get(member_id, ()))),
            segments=fact.segments if fact else (),
            enrolled_at=fact.enrolled_at if fact else None,
        )
        tier: str | None = None
        since: datetime | None = None
        if self.defs.needs_tier:
            status = tiers.status(self.uow, member_id, self.zone)
            tier = status.key
            since = status.reached_at if tier is not None else None
        points = 0
        if self.defs.needs_points:
            points = ledger.lifetime_points(self.uow, [member_id]).get(member_id, 0)
        value = policy.member_value(
            figures, tier=tier, tier_since=since, lifetime_points=points, now=self.uow.now
        )
        if value["enrolled_at"] is not None:
            value["enrolled_at"] = policy.cel_time(value["enrolled_at"], self.zone)
        return value

    def values(self, moment: Moment, *, member: bool = True) -> cel.Context:
        """The moment's CEL values, holding only the fields some expression reads (without
        ``member`` for expressions that read nothing of the member)."""
        defs = self.defs
        values: dict[str, Any] = {}
        if member and defs.member_fields:
            figures = self.member_value(moment.member_id)
            values["member"] = {k: figures[k] for k in defs.member_fields}
        if defs.event_fields:
            data = moment.data
            if defs.data_fields is not None:  # converting values into CEL is the cost
                data = {k: data[k] for k in defs.data_fields if k in data}
            event: dict[str, Any] = {"type": moment.type, "data": data}
            if "occurred_at" in defs.event_fields:
                event["occurred_at"] = policy.cel_time(moment.at, self.zone)
            values["event"] = event
        if defs.uses_now:
            values["now"] = self.now_cel
        import cel  # here: the package loads prompt_toolkit, which start-up can do without

        return cel.Context(values)

    # -- applying -------------------------------------------------------------------------
    def apply(self, moment: Moment) -> None:
        if moment.member_id not in self.stats:
            return  # skipped: another unit holds it (sweep only)
        self._change(moment)
        if not self.defs.listens(moment.type):
            return
        scope = Scope(self, moment)
        self._streaks(moment, scope)
        if self._quests(moment, scope):
            scope.context = None  # statistics and badges changed
        self.evaluate_badges(moment, scope)

    def _change(self, moment: Moment) -> None:
        stats = self.stats[moment.member_id]
        change = moment.change
        if not change:
            return
        stats.orders_count = max(0, stats.orders_count + change.get("orders", 0))
        stats.spend = max(0, stats.spend + change.get("spend", 0))
        if change.get("categories"):
            stats.categories = sorted({*(stats.categories or ()), *change["categories"]})
        if "review_added" in change and change["review_added"] not in (stats.reviews or ()):
            stats.reviews = [*(stats.reviews or ()), change["review_added"]]
        if "review_removed" in change and change["review_removed"] in (stats.reviews or ()):
            stats.reviews = [r for r in stats.reviews if r != change["review_removed"]]
        if "survey" in change and change["survey"] not in (stats.surveys or ()):
            stats.surveys = [*(stats.surveys or ()), change["survey"]]
        stats.referrals_count += change.get("referrals", 0)
        if change.get("profile_complete"):
            stats.is_profile_complete = True
        if change.get("ordered_at") is not None:
            stats.last_order_at = change["ordered_at"]
        stats.updated_at = self.uow.now
        stats.dirty = True

    def _streaks(self, moment: Moment, scope: Scope) -> None:
        for streak in self.defs.streaks:
            if moment.type not in streak.on:
                continue
            if streak.condition is not None and not streak.condition.holds(
                scope.values(streak.condition)
            ):
                continue
            period = policy.period_of(streak.spec.period, moment.at, self.zone)
            row = self.streaks.get((moment.member_id, streak.key))
            # A run counted in the other kind of period (the definition was edited) is over.
            same = row is not None and row.last_period.startswith(streak.spec.period[0])
            state = policy.StreakState(
                row.current if row and same else 0,
                row.best if row else 0,
                row.last_index if row and same else None,
            )
            after = policy.extend_streak(state, period.index)
            if after is None:
                continue
            if row is None:
                row = StreakRow(
                    moment.member_id,
                    streak.key,
                    after.current,
                    after.best,
                    period.key,
                    period.index,
                    is_new=True,
                )
                self.streaks[(moment.member_id, streak.key)] = row
            else:
                row.current, row.best = after.current, after.best
                row.last_period, row.last_index = period.key, period.index
                row.dirty = True
            self.uow.emit(
                StreakExtended(
                    member_id=moment.member_id,
                    streak=streak.key,
                    period=period.key,
                    current=after.current,
                    best=after.best,
                    extended_at=self.uow.now,
                )
            )

    def _quests(self, moment: Moment, scope: Scope) -> bool:
        """Count the moment in every quest it matches; True when one was completed."""
        completed = False
        for quest in self.defs.quests:
            hits = [
                i
                for i, step in enumerate(quest.steps)
                if step.event == moment.type
                and (step.condition is None or step.condition.holds(scope.values(step.condition)))
            ]
            if not hits:
                continue
            period = _period(quest, moment.at, self.zone)
            if period is None:
                continue
            key = (moment.member_id, quest.key, period.key)
            row = self.progress.get(key)
            if row is not None and row.completed_at is not None:
                continue
            done = policy.advance_steps(row.steps if row else [], quest.targets, hits)
            if row is None:
                row = ProgressRow(moment.member_id, quest.key, period.key, done, None, is_new=True)
                self.progress[key] = row
            else:
                row.steps = done
                row.dirty = True
            if policy.is_complete(done, quest.targets):
                # The row is held under the member's lock: complete now, stored (and
                # checked) when the run finishes.
                row.completed_at = self.uow.now
                self.completions.append(row)
                self._reward(moment.member_id, quest, period.key)
                completed = True
        return completed

    def _reward(self, member_id: int, quest: Quest, period: str) -> None:
        reward = quest.spec.reward
        ref = f"quest:{quest.key}:{period}"
        if reward.points:
            ledger.award_points(
                self.uow,
                member_id,
                [
                    ledger.Award(
                        points=reward.points,
                        reason_code="earn_quest",
                        reason_params={"quest": quest.key, "name": quest.spec.name.model_dump()},
                    )
                ],
                self.program,
                source=ref,
                trigger="quest.completed",
            )
        if reward.coupon:
            campaign = coupons.find_campaign(self.uow, reward.coupon)
            if campaign is None or campaign.status != CampaignStatus.ACTIVE:
                log.warning("quest %s: coupon campaign %r is not active", quest.key, reward.coupon)
            else:
                coupons.issue_personal(self.uow, campaign, member_id, source=f"{ref}:{member_id}")
        stats = self.stats[member_id]
        stats.quests_count += 1
        stats.dirty = True
        self.uow.emit(
            QuestCompleted(
                member_id=member_id, quest=quest.key, period=period, completed_at=self.uow.now
            )
        )
        if reward.badge:
            self.award_badge(member_id, reward.badge, ref)

    def evaluate_badges(
        self, moment: Moment, scope: Scope, badges: Sequence[Badge] | None = None
    ) -> None:
        held = self.badges.setdefault(moment.member_id, set())
        for badge in self.defs.badges if badges is None else badges:
            if badge.key in held or not badge.listens(moment.type):
                continue
            if badge.criteria.holds(scope.values(badge.criteria)):
                self.award_badge(moment.member_id, badge.key, f"event:{moment.type}")

    def award_badge(self, member_id: int, badge: str, source: str) -> None:
        """Award once (held from now on in this run; stored by ``finish``)."""
        held = self.badges.setdefault(member_id, set())
        if badge not in held:
            held.add(badge)
            self.awards.append((member_id, badge, source))

    def finish(self) -> None:
        """Insert the badges awarded (only those the insert really added count and emit
        ``badge.awarded``); statistics, progress and streaks are written with the unit's
        working set before it commits (a job's own book: now)."""
        now = self.uow.now
        completed = repository.complete_progress(self.uow.session, self.completions, now)
        if completed != len(self.completions):
            # Never under the members' locks; were it to happen, the unit is rolled back
            # rather than commit a reward twice.
            raise QuestCompletedTwiceError(
                f"{len(self.completions) - completed} quest completion(s) were already stored"
            )
        self.completions = []
        inserted = repository.insert_badges(self.uow.session, self.awards, now)
        for member_id, badge, _source in self.awards:
            if (member_id, badge) in inserted:
                stats = self.stats[member_id]
                stats.badges_count += 1
                stats.dirty = True
                self.uow.emit(BadgeAwarded(member_id=member_id, badge=badge, awarded_at=now))
        self.awards = []
        if self.is_own_book:
            self.book.write(now)


class Scope:
    """A moment's CEL values, built on first use (most moments need none)."""

    def __init__(self, run: Run, moment: Moment) -> None:
        self.run = run
        self.moment = moment
        self.context: cel.Context | None = None
        self.event_context: cel.Context | None = None

    def values(self, criteria: Criteria) -> cel.Context:
        """The values ``criteria`` evaluate against: without the member's figures when
        they read none (building those is most of the cost of a quest step's condition)."""
        if not criteria.member_fields:
            if self.event_context is None:
                self.event_context = self.run.values(self.moment, member=False)
            return self.event_context
        if self.context is None:
            self.context = self.run.values(self.moment)
        return self.context


def _period(quest: Quest, at: datetime, zone: Any) -> policy.Period | None:
    period = quest.spec.period
    return policy.quest_period(period.type, period.starts_at, period.ends_at, at, zone)
