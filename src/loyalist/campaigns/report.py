"""What a campaign did: per arm, and each variant's uplift against the control group.

Members of an arm are those whose main send was queued (or, in the control group, held
out): the ones attribution measures. Conversions and revenue come from
``campaign_conversions`` (see ``handlers``); money is in minor units of the program's
currency (revenue in other currencies is left out of the sums; the conversion counts).
Costs: the points the campaign's rules (``cmp-<key>-<arm>``) awarded net of reversals,
worth ``program.point_value`` each, and the discounts of the redeemed personal codes
(source ``campaign:<key>:<member>``). Intervals are 95% ones (``stats``).

The winner is judged once, when the campaign's measurement is complete (every main send
done and the last window closed), so the report is never "peeked" into a winner while
data still arrives: ``judge`` records it (or that there is none). Until then
``leader`` shows which variant the rule would pick now.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from loyalist.campaigns import offers, repository, service, stats
from loyalist.campaigns.models import (
    CONTROL,
    DEFAULT_ARM,
    MAIN_STEP,
    Campaign,
    CampaignState,
    ChangeAction,
)
from loyalist.campaigns.schemas import CampaignSpec
from loyalist.coupons import service as coupons
from loyalist.db.uow import UnitOfWork
from loyalist.insights import service as insights
from loyalist.ledger.policy import minor_unit_exponent
from loyalist.messages import service as messages
from loyalist.messages.models import MessageStatus
from loyalist.rules import service as rules
from loyalist.settings import ProgramPolicy

#: The message journey of campaigns.
JOURNEY = "campaign"
#: Message statuses that count as sent (``delivered`` when the provider said so).
_SENT = (MessageStatus.SENT, MessageStatus.DELIVERED)
_DIGITS = 6


@dataclass(frozen=True, slots=True)
class _Arm:
    key: str
    members: int
    converted: int
    revenue: int
    squares: float
    sent: int
    delivered: int
    opened: int | None
    clicked: int | None
    points: int
    points_cost: int
    discount_cost: int

    @property
    def sample(self) -> stats.Sample:
        return stats.Sample(self.members, self.converted, float(self.revenue), self.squares)

    @property
    def cost(self) -> int:
        return self.points_cost + self.discount_cost


def report(uow: UnitOfWork, key: str, program: ProgramPolicy) -> dict[str, Any]:
    """The campaign's report (``GET /api/v1/campaigns/{key}/report``).

    Raises:
        MarketingCampaignNotFoundError: no campaign has this key.
    """
    campaign = service.get(uow, key)
    spec = service.spec_of(campaign)
    arms = _arms(uow, campaign, spec, program)
    control = next(a for a in arms if a.key == CONTROL)
    variants = [a for a in arms if a.key != CONTROL]
    rates = {a.key: stats.rate_difference(a.sample, control.sample) for a in variants}
    adjusted = dict(
        zip(
            [k for k, d in rates.items() if d is not None],
            stats.holm([d.p_value for d in rates.values() if d is not None]),
            strict=True,
        )
    )
    policy = program.campaigns
    leader = stats.winner(
        [stats.Comparison(a.key, a.members, rates[a.key]) for a in variants],
        control.members,
        min_members=policy.winner_min_members,
        alpha=float(policy.winner_alpha),
    )
    complete = _measurement_complete(uow, campaign, spec)
    return {
        "key": campaign.key,
        "state": str(campaign.state),
        "currency": program.currency,
        "goal": {"event": spec.goal.event, "days": spec.goal.days},
        "measurement_complete": complete,
        "arms": [_arm_view(a) for a in arms],
        "uplift": [_uplift(a, control, rates[a.key], adjusted.get(a.key)) for a in variants],
        "winner": campaign.winner,
        "leader": leader,
        "winner_rule": {
            "min_members": policy.winner_min_members,
            "alpha": float(policy.winner_alpha),
            "correction": "holm",
        },
    }


def unjudged(uow: UnitOfWork) -> list[str]:
    """Keys of the campaigns still to be judged for a winner (``judge`` each)."""
    return repository.unjudged_campaigns(uow.session)


def judge(uow: UnitOfWork, key: str, program: ProgramPolicy) -> int:
    """Judge campaign ``key`` if its measurement is complete: record the winner, or that
    there is none, once (a ``winner`` change). Returns 1 when it was judged now, 0 when
    it is not complete yet, was judged already, or another worker is judging it."""
    campaign = repository.unjudged_campaign(uow.session, key)
    if campaign is None:
        return 0
    spec = service.spec_of(campaign)
    if not _measurement_complete(uow, campaign, spec):
        return 0
    found = report(uow, campaign.key, program)["leader"]
    campaign.winner = found
    service.record_change(
        uow,
        campaign,
        ChangeAction.WINNER,
        "system",
        detail=f"winner: {found}" if found else "no variant beat the control group",
    )
    return 1


def _measurement_complete(uow: UnitOfWork, campaign: Campaign, spec: CampaignSpec) -> bool:
    if campaign.launched_at is None:
        return False
    pending, latest = repository.main_sends_state(uow.session, campaign.id)
    if pending:
        return False
    if latest is None:  # nobody measured: complete once it finished (nothing will come)
        return campaign.state == CampaignState.FINISHED
    return latest + timedelta(days=spec.goal.days) < uow.now


def _arm_keys(spec: CampaignSpec, found: Iterable[str]) -> list[str]:
    keys = [CONTROL, *([v.key for v in spec.variants] or [DEFAULT_ARM])]
    return keys + sorted(set(found) - set(keys))


def _arms(
    uow: UnitOfWork, campaign: Campaign, spec: CampaignSpec, program: ProgramPolicy
) -> list[_Arm]:
    members = repository.members_by_arm(uow.session, campaign.id)
    converted = repository.conversions_by_arm(uow.session, campaign.id, program.currency)
    keys = _arm_keys(spec, members)
    treated = [k for k in keys if k != CONTROL]
    arm_of = _arm_lookup(uow, campaign.id, treated)
    sent: dict[str, int] = defaultdict(int)
    delivered: dict[str, int] = defaultdict(int)
    found = messages.members_by_status(uow, JOURNEY, f"{campaign.key}:{MAIN_STEP}", _SENT)
    for status, members_of in found.items():
        for member_id in members_of:
            arm = arm_of(member_id)
            if arm is not None:
                sent[arm] += 1
                if status == MessageStatus.DELIVERED:
                    delivered[arm] += 1
    opened: dict[str, int] = defaultdict(int)
    clicked: dict[str, int] = defaultdict(int)
    engaged = messages.engagement(uow, JOURNEY, f"{campaign.key}:{MAIN_STEP}")
    for member_id, (was_opened, was_clicked) in engaged.items():
        arm = arm_of(member_id)
        if arm is not None:
            opened[arm] += was_opened
            clicked[arm] += was_clicked
    discounts: dict[str, int] = defaultdict(int)
    codes = coupons.redeemed_by_source(uow, f"campaign:{campaign.key}:")
    for owner, currency, amount in codes:
        arm = None if owner is None else arm_of(owner)
        if arm is not None and currency == program.currency:
            discounts[arm] += amount
    points = rules.points_awarded(uow, [offers.rule_key(campaign.key, k) for k in treated])
    result = []
    for key in keys:
        n, revenue, squares = converted.get(key, (0, 0, 0.0))
        awarded = points.get(offers.rule_key(campaign.key, key), 0)
        result.append(
            _Arm(
                key=key,
                members=members.get(key, 0),
                converted=n,
                revenue=revenue,
                squares=squares,
                sent=sent[key],
                delivered=delivered[key],
                # Null where nothing was reported: the channel or provider does not track.
                opened=opened[key] if engaged and key != CONTROL else None,
                clicked=clicked[key] if engaged and key != CONTROL else None,
                points=awarded,
                points_cost=_points_money(awarded, program),
                discount_cost=discounts[key],
            )
        )
    return result


def _arm_lookup(uow: UnitOfWork, campaign_id: int, treated: list[str]) -> Any:
    """member id → treatment arm (None: not a measured treatment member). With one
    treatment arm every message and code is its own: no member's row is read."""
    if len(treated) == 1:
        only = treated[0]
        return lambda _member_id: only
    arms = repository.arms_of_members(uow, campaign_id)
    return lambda member_id: None if arms.get(member_id) in (None, CONTROL) else arms[member_id]


def _points_money(points: int, program: ProgramPolicy) -> int:
    """What ``points`` are worth in minor units of the program's currency."""
    scale = Decimal(10) ** minor_unit_exponent(program.currency)
    return int((points * program.point_value * scale).quantize(Decimal(1), ROUND_HALF_EVEN))


def _ratio(a: float, b: int) -> float | None:
    return round(a / b, _DIGITS) if b else None


def _arm_view(arm: _Arm) -> dict[str, Any]:
    return {
        "key": arm.key,
        "members": arm.members,
        "sent": arm.sent,
        "delivered": arm.delivered,
        "opened": arm.opened,
        "clicked": arm.clicked,
        "converted": arm.converted,
        "conversion_rate": _ratio(arm.converted, arm.members),
        "revenue": arm.revenue,
        "revenue_per_member": _ratio(arm.revenue, arm.members),
        "points_awarded": arm.points,
        "points_cost": arm.points_cost,
        "discount_cost": arm.discount_cost,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, _DIGITS)


def _difference_view(found: stats.Difference | None) -> dict[str, float | None]:
    """A difference of revenue per member (minor units) with its interval and p-value."""
    if found is None:
        return {"difference": None, "low": None, "high": None, "p_value": None}
    return {
        "difference": _round(found.estimate),
        "low": _round(found.low),
        "high": _round(found.high),
        "p_value": _round(found.p_value),
    }


def _uplift(
    arm: _Arm, control: _Arm, rate: stats.Difference | None, adjusted: float | None
) -> dict[str, Any]:
    revenue = stats.mean_difference(arm.sample, control.sample)
    control_rate = control.sample.rate
    incremental = None if revenue is None else round(revenue.estimate * arm.members)
    # The control group's own costs (normally none), scaled to the arm's size.
    baseline = control.cost * arm.members / control.members if control.members else 0
    return {
        "key": arm.key,
        "absolute": None if rate is None else _round(rate.estimate),
        "low": None if rate is None else _round(rate.low),
        "high": None if rate is None else _round(rate.high),
        "relative": None
        if rate is None or not control_rate
        else _round(rate.estimate / control_rate),
        "p_value": None if rate is None else _round(rate.p_value),
        "p_value_adjusted": _round(adjusted),
        "revenue_per_member": _difference_view(revenue),
        "incremental_revenue": incremental,
        "incremental_profit": None
        if incremental is None
        else incremental - round(arm.cost - baseline),
    }


# -- the program's global holdout ------------------------------------------------------------
def holdout_report(
    uow: UnitOfWork, program: ProgramPolicy, start: date | None, end: date | None
) -> dict[str, Any]:
    """Members in the program's global holdout (no marketing at all) against the rest over
    ``[start, end]`` (calendar days of the program zone; default: the last 30 days):
    members, buyers, conversion (buyers / members), revenue per member, and the rest's
    uplift over the holdout with the same intervals as a campaign's.

    Raises:
        InvalidRequestError: ``start`` after ``end`` (``date_range_invalid``).
    """
    figures = insights.holdout_figures(
        uow, program, start=start, end=end, percent=program.campaigns.global_holdout_percent
    )
    held = stats.Sample(
        figures.holdout.members,
        figures.holdout.buyers,
        float(figures.holdout.revenue),
        figures.holdout.revenue_squares,
    )
    rest = stats.Sample(
        figures.rest.members,
        figures.rest.buyers,
        float(figures.rest.revenue),
        figures.rest.revenue_squares,
    )
    rate = stats.rate_difference(rest, held)
    revenue = stats.mean_difference(rest, held)
    return {
        "from": figures.start.isoformat(),
        "to": figures.end.isoformat(),
        "timezone": program.zone.key,
        "currency": program.currency,
        "holdout_percent": float(program.campaigns.global_holdout_percent),
        "groups": [
            _group_view("holdout", figures.holdout),
            _group_view("rest", figures.rest),
        ],
        "uplift": {
            "absolute": None if rate is None else _round(rate.estimate),
            "low": None if rate is None else _round(rate.low),
            "high": None if rate is None else _round(rate.high),
            "relative": None
            if rate is None or not held.rate
            else _round(rate.estimate / held.rate),
            "p_value": None if rate is None else _round(rate.p_value),
            "revenue_per_member": _difference_view(revenue),
        },
    }


def _group_view(key: str, group: Any) -> dict[str, Any]:
    return {
        "key": key,
        "members": group.members,
        "buyers": group.buyers,
        "conversion_rate": _ratio(group.buyers, group.members),
        "revenue": group.revenue,
        "revenue_per_member": _ratio(group.revenue, group.members),
    }
