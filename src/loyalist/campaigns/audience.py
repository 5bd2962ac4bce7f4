"""Who a campaign reaches: the members its audience matches (tiers, ``member.segments``,
RFM segments of the stored scores, a CEL condition over the member) who can be sent to on
its channel (an address or device, consent, no suppression) and are not in the program's
global holdout; and the size estimate before launch.

Members are walked by id in chunks, each chunk in a few reads for all of them (the rules'
view of the member only with the fields the condition reads; scores and favourites only
when asked for), so 100,000 members take seconds. The launch always walks every member;
the estimate does on a small shop, counts in SQL what the database can, and on a large
shop reads a fixed random sample of members through the same steps and scales it up
(``policy.sample_of``, ``stats.scaled``: an estimate with its 95% interval).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from typing import Any

from loyalist.campaigns import repository, stats
from loyalist.campaigns.models import CONTROL
from loyalist.campaigns.policy import SAMPLE_SIZE, Draw, arm_of, sample_of
from loyalist.campaigns.schemas import (
    Audience,
    CampaignSpec,
    CountRange,
    Estimate,
    EstimateSample,
)
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
    return _reached(uow, criteria, program, channel, walked, by_range=True)


def _reached(
    uow: UnitOfWork,
    criteria: Criteria,
    program: ProgramPolicy,
    channel: str,
    walked: Sequence[people.Reach],
    *,
    by_range: bool,
) -> Scan:
    """``scan`` of the members ``walked`` (ascending, at least one); the candidates'
    granted consents in one range read ``by_range`` (a walk's consecutive ids), else by
    their ids (a sample's scattered ones)."""
    matched = criteria.matching(uow, [r for r in walked if not r.is_erased], program)
    holdout = program.campaigns.global_holdout_percent
    excluded: Counter[str] = Counter()
    candidates = []
    for reach in matched:
        if in_global_holdout(reach.id, holdout):
            excluded["global_holdout"] += 1
        else:
            candidates.append(reach)
    granted: set[tuple[int, str]] = set()
    if candidates and by_range:
        granted = people.granted_between(uow, walked[0].id, walked[-1].id)
    elif candidates:
        granted = people.granted_of(uow, [r.id for r in candidates])
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
    uow: UnitOfWork,
    spec: CampaignSpec,
    program: ProgramPolicy,
    *,
    key: str | None = None,
    sample_size: int = SAMPLE_SIZE,
) -> Estimate:
    """How many members the audience matches, how many each channel reaches (after
    consent and suppression), how many of the campaign's channel fall in its control
    group (its arms are by campaign ``key``; without one, the expected share), and why
    members matching were left out on its channel. Exact when the shop is small (or the
    database counts the audience and the shop is not large); else estimated from a sample
    of ``sample_size`` member ids (``policy.sample_of``), every step of the audience
    applied to each sampled member as the launch would.

    Raises:
        RuleInvalidError: the audience's condition does not compile.
    """
    criteria = Criteria.of(spec)
    span = people.member_id_range(uow)
    draw = None
    if span is not None:
        draw = sample_of(*span, counted=criteria.in_database, size=sample_size)
    if draw is not None:
        return sampled(uow, criteria, spec, program, key, draw)
    if criteria.in_database:
        return counted(uow, spec, program, key)
    return walked(uow, criteria, spec, program, key)


@dataclass(slots=True)
class _Tally:
    """What ``estimate`` adds up over the chunks of members it reads."""

    spec: CampaignSpec
    key: str | None
    matched: int = 0
    control: int = 0
    per_channel: Counter[str] = field(default_factory=lambda: Counter({c: 0 for c in CHANNELS}))
    excluded: Counter[str] = field(
        default_factory=lambda: Counter(
            {"global_holdout": 0, "no_consent": 0, "suppressed": 0, "unreachable": 0}
        )
    )

    def add(self, uow: UnitOfWork, chunk: Scan) -> None:
        channel = self.spec.channel
        self.matched += chunk.matched
        self.excluded.update(chunk.excluded)
        self.per_channel[channel] += len(chunk.members)
        for other in CHANNELS:
            if other != channel:
                found = _sendable(uow, chunk.candidates, other, Counter(), chunk.granted)
                self.per_channel[other] += len(found)
        if self.key is not None:
            spec = self.spec
            self.control += sum(
                arm_of(self.key, r.id, spec.control_percent, spec.variants) == CONTROL
                for r in chunk.members
            )

    def exact(self) -> Estimate:
        return Estimate(
            members=self.matched,
            channels=dict(self.per_channel),
            control=self._control(self.control, self.per_channel[self.spec.channel]),
            excluded=dict(self.excluded),
            is_exact=True,
        )

    def scaled(self, draw: Draw) -> Estimate:
        """The tally of the sample ``draw`` scaled up to the shop, with its intervals."""
        drawn, population = len(draw.ids), draw.population
        members = stats.scaled(self.matched, drawn, population)
        channels = {c: stats.scaled(n, drawn, population) for c, n in self.per_channel.items()}
        sent = channels[self.spec.channel].estimate
        return Estimate(
            members=members.estimate,
            channels={c: found.estimate for c, found in channels.items()},
            control=self._control(stats.scaled(self.control, drawn, population).estimate, sent),
            excluded={
                reason: stats.scaled(n, drawn, population).estimate
                for reason, n in self.excluded.items()
            },
            is_exact=False,
            sample=EstimateSample(
                size=drawn,
                population=population,
                confidence=stats.CONFIDENCE,
                members=_range(members),
                channels={c: _range(found) for c, found in channels.items()},
            ),
        )

    def _control(self, counted: int, sent: int) -> int:
        """``counted`` with a campaign key (its arms), else the expected share of ``sent``."""
        if self.key is not None:
            return counted
        return round(sent * self.spec.control_percent / 100)


def _range(found: stats.Scaled) -> CountRange:
    return CountRange(low=found.low, high=found.high)


def walked(
    uow: UnitOfWork, criteria: Criteria, spec: CampaignSpec, program: ProgramPolicy, key: str | None
) -> Estimate:
    """``estimate`` by walking every member in chunks (what the database cannot count: a
    condition, tiers, RFM segments)."""
    tally = _Tally(spec, key)
    after = 0
    while True:
        chunk = scan(uow, criteria, program, spec.channel, after=after, limit=CHUNK)
        if chunk.last is None:
            break
        tally.add(uow, chunk)
        after = chunk.last
    return tally.exact()


def sampled(
    uow: UnitOfWork,
    criteria: Criteria,
    spec: CampaignSpec,
    program: ProgramPolicy,
    key: str | None,
    draw: Draw,
) -> Estimate:
    """``estimate`` from the members of the sample ``draw``, read in chunks by id, each
    through the same steps as the walk's."""
    tally = _Tally(spec, key)
    for start in range(0, len(draw.ids), CHUNK):
        found = people.reach_of(uow, draw.ids[start : start + CHUNK])
        if not found:
            continue
        chunk = _reached(uow, criteria, program, spec.channel, found, by_range=False)
        tally.add(uow, chunk)
    return tally.scaled(draw)


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
    return Estimate(
        members=matched, channels=channels, control=control, excluded=excluded, is_exact=True
    )
