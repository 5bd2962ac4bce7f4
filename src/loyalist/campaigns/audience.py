"""Who a campaign reaches: the members its audience matches (tiers, ``member.segments``,
RFM segments of the stored scores, a CEL condition over the member) who can be sent to on
its channel (an address or device, consent, no suppression) and are not in the program's
global holdout; and the size estimate before launch.

Members are walked by id in chunks, each chunk in a few reads for all of them (the rules'
view of the member only with the fields the condition reads; scores and favourites only
when asked for), so 100,000 members take seconds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence, Set
from dataclasses import dataclass
from typing import Any

from loyalist.campaigns import repository
from loyalist.campaigns.models import CONTROL
from loyalist.campaigns.policy import arm_of
from loyalist.campaigns.schemas import Audience, CampaignSpec, Estimate
from loyalist.db.uow import UnitOfWork
from loyalist.insights import segments as scores
from loyalist.members import service as people
from loyalist.members.policy import in_global_holdout
from loyalist.messages import service as messages
from loyalist.recommendations import service as recommendations
from loyalist.rules import service as rules
from loyalist.settings import ProgramPolicy

#: Members walked per read of a chunk.
CHUNK = 2_000
CHANNELS = ("email", "sms", "push")
#: Favourites an audience's condition sees (``member.favourites.categories`` …).
_FAVOURITES = 5


@dataclass(frozen=True, slots=True)
class Criteria:
    """An audience compiled: what it reads and its condition."""

    audience: Audience
    condition: rules.MemberCondition | None
    fields: frozenset[str]

    @classmethod
    def of(cls, spec: CampaignSpec) -> Criteria:
        """Raises:
        RuleInvalidError: the condition does not compile (``/audience/condition``)."""
        return cls.of_audience(spec.audience, "/audience/condition")

    @classmethod
    def of_audience(cls, audience: Audience, pointer: str) -> Criteria:
        """Raises:
        RuleInvalidError: the condition does not compile (``pointer``)."""
        source = audience.condition
        condition = None if source is None else rules.audience_condition(source, pointer)
        fields = set() if condition is None else set(condition.fields)
        if audience.tiers:
            fields.add("tier")
        if audience.segments:
            fields.add("segments")
        if audience.rfm:
            fields.add("scores")
        return cls(audience, condition, frozenset(fields))

    @property
    def in_database(self) -> bool:
        """Whether the database can count the audience by itself: segments only (tiers
        need their reviews applied, RFM and a condition the members' scores and views)."""
        return self.condition is None and not self.audience.tiers and not self.audience.rfm

    def matching(
        self, uow: UnitOfWork, found: Sequence[people.Reach], program: ProgramPolicy
    ) -> list[people.Reach]:
        """Those of ``found`` the audience matches (a condition decides even when it
        reads no field of the member, e.g. ``false`` or one on ``now`` alone)."""
        if not found or (self.condition is None and not self.fields):
            return list(found)
        kept = self.matching_ids(uow, [r.id for r in found], program)
        return [r for r in found if r.id in kept]

    def matching_ids(self, uow: UnitOfWork, ids: Sequence[int], program: ProgramPolicy) -> set[int]:
        """Those of the members ``ids`` the audience matches (whatever the channel:
        reachability, consent and holdout are the campaign's concern, not the audience's)."""
        if not ids or (self.condition is None and not self.fields):
            return set(ids)
        views = rules.member_views(uow, ids, program, self.fields)
        stored = scores.score_facts(uow, ids) if "scores" in self.fields else {}
        liked = (
            recommendations.favourites_of(uow, ids, currency=program.currency, limit=_FAVOURITES)
            if "favourites" in self.fields
            else {}
        )
        audience = self.audience
        tiers, segments, rfm = set(audience.tiers), set(audience.segments), set(audience.rfm)
        kept = set()
        for member in ids:
            view = views[member]
            score = stored.get(member)
            if tiers and view.tier not in tiers:
                continue
            if segments and not segments.intersection(view.segments):
                continue
            if rfm and (score is None or score.segment not in rfm):
                continue
            if self.condition is not None:
                extra: dict[str, Any] = {}
                if "scores" in self.condition.fields:
                    extra["scores"] = {} if score is None else _scores(score)
                if "favourites" in self.condition.fields:
                    products, categories = liked.get(member, ([], []))
                    extra["favourites"] = {"products": products, "categories": categories}
                if not rules.member_holds(self.condition, view, extra, uow.now, program.zone):
                    continue
            kept.add(member)
        return kept


def _scores(found: scores.ScoreFacts) -> dict[str, Any]:
    return {
        "segment": found.segment,
        "r": found.r,
        "f": found.f,
        "m": found.m,
        "churn_risk": found.churn_risk,
        "clv": found.clv,
        "currency": found.currency,
    }


@dataclass(slots=True)
class Scan:
    """One chunk of members walked: ``members`` the campaign may send to on ``channel``,
    ``candidates`` those of the audience not in the global holdout and their ``granted``
    consents; ``last`` the last member id walked (None: none was left); how many matched and why the
    others matching were left out."""

    members: list[people.Reach]
    candidates: list[people.Reach]
    granted: set[tuple[int, str]]
    last: int | None
    matched: int
    excluded: Counter[str]


def scan(
    uow: UnitOfWork,
    criteria: Criteria,
    program: ProgramPolicy,
    channel: str,
    *,
    after: int,
    limit: int,
) -> Scan:
    """The members above id ``after`` (``limit`` walked) in the audience and reachable on
    ``channel``."""
    walked = people.reach_after(uow, after, limit)
    if not walked:
        return Scan([], [], set(), None, 0, Counter())
    matched = criteria.matching(uow, [r for r in walked if not r.is_erased], program)
    holdout = program.campaigns.global_holdout_percent
    excluded: Counter[str] = Counter()
    candidates = []
    for reach in matched:
        if in_global_holdout(reach.id, holdout):
            excluded["global_holdout"] += 1
        else:
            candidates.append(reach)
    granted = people.granted_between(uow, walked[0].id, walked[-1].id) if candidates else set()
    reachable = _sendable(uow, candidates, channel, excluded, granted)
    return Scan(reachable, candidates, granted, walked[-1].id, len(matched), excluded)


def _sendable(
    uow: UnitOfWork,
    candidates: Sequence[people.Reach],
    channel: str,
    excluded: Counter[str],
    granted: Set[tuple[int, str]],
) -> list[people.Reach]:
    """Those of ``candidates`` with an address (or device) on ``channel``, consent to
    marketing on it (``granted``: their granted ``(member, purpose)`` consents) and no
    suppression of it; the others counted in ``excluded``."""
    if not candidates:
        return []
    addresses: dict[int, str | None]
    if channel == "push":
        devices = people.push_tokens(uow, [r.id for r in candidates])
        addresses = {r.id: None for r in candidates if r.id in devices}
    else:
        addresses = {
            r.id: index
            for r in candidates
            if (index := r.email_index if channel == "email" else r.phone_index) is not None
        }
    suppressed = messages.suppressed_members(uow, channel, addresses)
    kept = []
    for reach in candidates:
        if reach.id not in addresses:
            excluded["unreachable"] += 1
        elif (reach.id, channel) not in granted:
            excluded["no_consent"] += 1
        elif reach.id in suppressed:
            excluded["suppressed"] += 1
        else:
            kept.append(reach)
    return kept


def members(
    uow: UnitOfWork, spec: CampaignSpec, program: ProgramPolicy, *, after: int, limit: int
) -> list[int]:
    """Up to ``limit`` ids above ``after``, ascending, of members the campaign reaches (in
    its audience, reachable with consent on its channel, not suppressed, not in the global
    holdout).

    Raises:
        RuleInvalidError: the audience's condition does not compile.
    """
    criteria = Criteria.of(spec)
    found: list[int] = []
    while len(found) < limit:
        chunk = scan(uow, criteria, program, spec.channel, after=after, limit=CHUNK)
        if chunk.last is None:
            break
        found.extend(r.id for r in chunk.members)
        after = chunk.last
    return found[:limit]


def estimate(
    uow: UnitOfWork, spec: CampaignSpec, program: ProgramPolicy, *, key: str | None = None
) -> Estimate:
    """How many members the audience matches, how many each channel reaches (after
    consent and suppression), how many of the campaign's channel fall in its control
    group (its arms are by campaign ``key``; without one, the expected share), and why
    members matching were left out on its channel.

    Raises:
        RuleInvalidError: the audience's condition does not compile.
    """
    criteria = Criteria.of(spec)
    if criteria.in_database:
        return counted(uow, spec, program, key)
    return walked(uow, criteria, spec, program, key)


def walked(
    uow: UnitOfWork, criteria: Criteria, spec: CampaignSpec, program: ProgramPolicy, key: str | None
) -> Estimate:
    """``estimate`` by walking every member in chunks (what the database cannot count: a
    condition, tiers, RFM segments)."""
    matched = control = 0
    per_channel: Counter[str] = Counter({c: 0 for c in CHANNELS})
    excluded: Counter[str] = Counter(
        {"global_holdout": 0, "no_consent": 0, "suppressed": 0, "unreachable": 0}
    )
    after = 0
    while True:
        chunk = scan(uow, criteria, program, spec.channel, after=after, limit=CHUNK)
        if chunk.last is None:
            break
        matched += chunk.matched
        excluded.update(chunk.excluded)
        per_channel[spec.channel] += len(chunk.members)
        for other in CHANNELS:
            if other != spec.channel:
                found = _sendable(uow, chunk.candidates, other, Counter(), chunk.granted)
                per_channel[other] += len(found)
        if key is not None:
            control += sum(
                arm_of(key, r.id, spec.control_percent, spec.variants) == CONTROL
                for r in chunk.members
            )
        after = chunk.last
    if key is None:
        control = round(per_channel[spec.channel] * spec.control_percent / 100)
    return Estimate(
        members=matched, channels=dict(per_channel), control=control, excluded=dict(excluded)
    )


def counted(
    uow: UnitOfWork, spec: CampaignSpec, program: ProgramPolicy, key: str | None
) -> Estimate:
    """``estimate`` of an audience the database counts (``Criteria.in_database``): one
    pass of counts when no member's hash is needed (no global holdout, the control
    group's expected share), else the ids of each step, with the hashed ones taken out."""
    session, segments = uow.session, spec.audience.segments
    holdout = program.campaigns.global_holdout_percent
    by_member = holdout > 0 or key is not None
    # Only the campaign's channel needs every step; the others only how many they reach.
    steps: list[tuple[str, str]] = [
        (spec.channel, repository.ADDRESSED),
        (spec.channel, repository.CONSENTED),
    ]
    steps += [(c, repository.SENDABLE) for c in CHANNELS]
    counts = None if by_member else repository.count_reached(session, segments, steps)
    held: set[int] = set()
    if counts is None:
        everyone = repository.reached_ids(session, segments, spec.channel, repository.MATCHED)
        held = {m for m in everyone if in_global_holdout(m, holdout)}
        matched = len(everyone)
    else:
        matched = counts[spec.channel, repository.MATCHED]

    def reached(channel: str, level: str) -> int:
        if counts is not None:
            return counts[channel, level]
        found = repository.reached_ids(session, segments, channel, level)
        return len(found) - len(held.intersection(found))

    addressed = reached(spec.channel, repository.ADDRESSED)
    consented = reached(spec.channel, repository.CONSENTED)
    channels = {c: reached(c, repository.SENDABLE) for c in CHANNELS}
    sent = channels[spec.channel]
    if key is None:
        control = round(sent * spec.control_percent / 100)
    else:
        kept = set(repository.reached_ids(session, segments, spec.channel, repository.SENDABLE))
        control = sum(
            arm_of(key, m, spec.control_percent, spec.variants) == CONTROL for m in kept - held
        )
    excluded = {
        "global_holdout": len(held),
        "no_consent": addressed - consented,
        "suppressed": consented - sent,
        "unreachable": matched - len(held) - addressed,
    }
    return Estimate(members=matched, channels=channels, control=control, excluded=excluded)
