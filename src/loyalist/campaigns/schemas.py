"""The shape of a campaign as the API (``PUT /api/v1/campaigns/{key}``) and the program
file (``campaigns:``) give it, validated once; and what the API answers.

``send_at`` with an offset (``2026-12-24T10:00:00+03:00``, ``…Z``) is one moment for every
member; without one (``2026-12-24T10:00:00``) it is that wall-clock time in each member's
own time zone (the program's for members without one), and ``late`` says what happens to
members whose local time has already passed when the campaign starts.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Final, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from loyalist.activities.models import EventType
from loyalist.activities.schemas import CUSTOM_TYPE
from loyalist.campaigns.models import CONTROL, MAIN_STEP, CampaignState, ChangeAction
from loyalist.messages.contexts import TemplateKey

#: A campaign's key: lower-case letters, digits, ``_`` and ``-``, up to 32.
CAMPAIGN_KEY = r"^[a-z0-9][a-z0-9_\-]{0,31}$"
CampaignKey = Annotated[str, StringConstraints(pattern=CAMPAIGN_KEY)]
ArmKey = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]{0,15}$")]
StepKey = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]{0,15}$")]
#: Goal events: those attribution sees (``campaigns.handlers``): ``order.paid`` (the other
#: order facts reach campaigns only as their paid order), the shop's member events, and
#: custom ``x.<name>`` ones.
GOAL_EVENTS: Final = (
    EventType.ORDER_PAID.value,
    *(t.value for t in EventType if not t.value.startswith("order.")),
)


#: The templates a campaign may name (their context is the campaign one); a campaign's own
#: content (``campaign:<campaign>/…``) is stored from its inline parts, never named.
CAMPAIGN_TEMPLATES: Final = (TemplateKey.CAMPAIGN.value,)


def _campaign_template(value: str) -> str:
    if value not in CAMPAIGN_TEMPLATES:
        raise ValueError(
            f"not a campaign template (the campaign templates are: {', '.join(CAMPAIGN_TEMPLATES)})"
        )
    return value


#: A campaign template's key (``template``).
TemplateName = Annotated[str, Field(max_length=80), AfterValidator(_campaign_template)]


def _in_reach(value: datetime) -> datetime:
    """A campaign's time is one every member's time zone can hold (local times and
    deadlines are moved by up to a day and the goal's window)."""
    if not 2000 <= value.year <= 9000:
        raise ValueError("a time between the years 2000 and 9000")
    return value


#: A campaign's wall-clock time or moment (``send_at``: naive means each member's zone).
CampaignTime = Annotated[datetime, AfterValidator(_in_reach)]
CampaignMoment = Annotated[AwareDatetime, AfterValidator(_in_reach)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocaleText(_Strict):
    """A text members read, in English and Russian (a template source: Jinja2)."""

    en: str = Field(min_length=1, max_length=20_000)
    ru: str = Field(min_length=1, max_length=20_000)


def _at_most(limit: int) -> AfterValidator:
    def check(value: LocaleText) -> LocaleText:
        if max(len(value.en), len(value.ru)) > limit:
            raise ValueError(f"at most {limit} characters in each language")
        return value

    return AfterValidator(check)


#: A subject line and an SMS/push text: as long as a stored template's may be.
SubjectText = Annotated[LocaleText, _at_most(1_000)]
ShortText = Annotated[LocaleText, _at_most(2_000)]


class Content(_Strict):
    """What a message says: a campaign template's key, or inline sources per locale
    (``subject`` and ``body`` (plain text; the email's HTML is made from it in the brand's
    layout unless ``html`` is given); ``short``: the SMS/push text). Every part is a
    sandboxed Jinja2 template over the campaign context (``messages.contexts``)."""

    template: TemplateName | None = None
    subject: SubjectText | None = None
    body: LocaleText | None = None
    html: LocaleText | None = None
    short: ShortText | None = None

    @property
    def is_given(self) -> bool:
        return any(
            part is not None for part in (self.template, self.subject, self.body, self.html)
        ) or (self.short is not None)

    def check_whole(self) -> None:
        """A template, or a subject with a body or html (or a short text alone for SMS/push)."""
        inline = self.subject is not None or self.body is not None or self.html is not None
        if self.template is not None and (inline or self.short is not None):
            raise ValueError("give `template` or inline `subject`/`body`, not both")
        if inline and (self.subject is None or (self.body is None and self.html is None)):
            raise ValueError("inline content needs `subject` and `body` (or `html`)")


class Audience(_Strict):
    """Who the campaign is for: every condition given must hold (each list: any of its
    values); an empty audience is every member. Consent for the campaign's channel and no
    suppression are always required, and members in the program's global holdout are
    never in an audience."""

    condition: str | None = Field(
        default=None,
        min_length=1,
        max_length=4_000,
        description="CEL over `member` (the fields rules see, plus favourites and scores)",
    )
    segments: list[str] = Field(default_factory=list, max_length=100)
    tiers: list[str] = Field(default_factory=list, max_length=100)
    rfm: list[str] = Field(
        default_factory=list, max_length=20, description="RFM segments (insights' scores)"
    )


class CouponOffer(_Strict):
    """A personal single-use code per recipient from coupon campaign ``campaign`` (its
    discount and conditions), issued when the audience is written; a member whose
    favourite category is a key of ``by_favourite_category`` gets a code of that coupon
    campaign instead (e.g. −15% on their favourite category)."""

    campaign: str = Field(min_length=1, max_length=64)
    by_favourite_category: dict[str, str] = Field(default_factory=dict, max_length=100)


class PointsOffer(_Strict):
    """Bonus points on each paid order in the campaign window, or a multiplier of the
    order's base points: a rule (``cmp-<campaign>-<arm>``) created at launch for the
    members of the arm and retired when the campaign ends."""

    points: int | None = Field(default=None, gt=0, le=1_000_000)
    multiplier: Decimal | None = Field(default=None, gt=1, le=10)
    max_per_member: int | None = Field(default=None, ge=1, le=1_000)

    @model_validator(mode="after")
    def _one(self) -> PointsOffer:
        if (self.points is None) == (self.multiplier is None):
            raise ValueError("give `points` or `multiplier`")
        return self


class GiftOffer(_Strict):
    """A surprise gift: reward ``reward`` granted with no points cost."""

    reward: str = Field(min_length=1, max_length=64)


class Offer(_Strict):
    coupon: CouponOffer | None = None
    points: PointsOffer | None = None
    gift: GiftOffer | None = None
    description: LocaleText | None = Field(
        default=None, description="what the message says the offer is"
    )


class Goal(_Strict):
    """A conversion: the member's first ``event`` within ``days`` after their send."""

    event: str = "order.paid"
    days: int = Field(default=7, ge=1, le=90)

    @field_validator("event")
    @classmethod
    def _event(cls, value: str) -> str:
        if value not in GOAL_EVENTS and not CUSTOM_TYPE.match(value):
            raise ValueError(
                "an event a campaign can count: " + ", ".join(GOAL_EVENTS) + ", or x.<name>"
            )
        return value


class Variant(_Strict):
    """An arm of an A/B test: its weight, and the content and/or offer it changes (what
    it leaves out is the campaign's)."""

    key: ArmKey
    weight: int = Field(default=1, ge=1, le=1_000)
    content: Content = Field(default_factory=Content)
    offer: Offer | None = None

    @field_validator("key")
    @classmethod
    def _not_control(cls, value: str) -> str:
        if value == CONTROL:
            raise ValueError("`control` is the control group's key")
        return value


class FollowUp(_Strict):
    """A later message of the series: at ``send_at`` (same meaning as the campaign's), or
    ``hours_before_end`` before the deadline (a "last day" reminder); by default only to
    members who have not converted. Control-group members get a "would have sent"
    entry, as for the first message."""

    key: StepKey
    send_at: CampaignTime | None = None
    hours_before_end: int | None = Field(default=None, ge=1, le=24 * 30)
    only_unconverted: bool = True
    content: Content

    @model_validator(mode="after")
    def _when(self) -> FollowUp:
        if self.key == MAIN_STEP:
            raise ValueError("`main` is the first message's step")
        if (self.send_at is None) == (self.hours_before_end is None):
            raise ValueError("give `send_at` or `hours_before_end`")
        self.content.check_whole()
        if not self.content.is_given:
            raise ValueError("a follow-up needs content")
        return self


class CampaignSpec(_Strict):
    """A campaign (``PUT /api/v1/campaigns/{key}``, the program file's ``campaigns:``)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": {"en": "Spring double points", "ru": "Весной — двойные баллы"},
                    "template": "campaign",
                    "audience": {"condition": "member.tier == 'gold'", "segments": ["vip"]},
                    "variants": [
                        {"key": "a", "weight": 2},
                        {
                            "key": "b",
                            "content": {
                                "subject": {
                                    "en": "Double points this week",
                                    "ru": "Двойные баллы на этой неделе",
                                },
                                "body": {
                                    "en": "Every order earns double points until Sunday.",
                                    "ru": "До воскресенья каждый заказ приносит двойные баллы.",
                                },
                            },
                        },
                    ],
                    "offer": {
                        "points": {"multiplier": "2"},
                        "description": {
                            "en": "Double points on every order",
                            "ru": "Двойные баллы за каждый заказ",
                        },
                    },
                    "goal": {"event": "order.placed", "days": 14},
                    "send_at": "2026-03-01T10:00:00",
                    "ends_at": "2026-03-08T00:00:00+03:00",
                }
            ]
        }
    )

    name: LocaleText
    audience: Audience = Field(default_factory=Audience)
    channel: Literal["email", "sms", "push"] = "email"
    template: TemplateName | None = None
    subject: SubjectText | None = None
    body: LocaleText | None = None
    html: LocaleText | None = None
    short: ShortText | None = None
    variants: list[Variant] = Field(default_factory=list, max_length=10)
    control_percent: Decimal = Field(default=Decimal(10), ge=0, le=50, decimal_places=2)
    offer: Offer | None = None
    goal: Goal = Field(default_factory=Goal)
    send_at: CampaignTime | None = Field(default=None, description="absent: at launch")
    late: Literal["next_day", "skip"] = Field(
        default="next_day",
        description="members whose local send time has passed when the campaign starts",
    )
    quiet_hours: bool = Field(
        default=True, description="false: sent at once even inside members' quiet hours"
    )
    ends_at: CampaignMoment | None = Field(
        default=None, description="the offer's deadline: codes expire, the rule retires"
    )
    follow_ups: list[FollowUp] = Field(default_factory=list, max_length=5)

    @property
    def content(self) -> Content:
        return Content(
            template=self.template,
            subject=self.subject,
            body=self.body,
            html=self.html,
            short=self.short,
        )

    @model_validator(mode="after")
    def _coherent(self) -> CampaignSpec:
        self.content.check_whole()
        for variant in self.variants:
            variant.content.check_whole()
        if not self.content.is_given and not (
            self.variants and all(v.content.is_given for v in self.variants)
        ):
            raise ValueError("give `template` or `subject`/`body` (or content on every variant)")
        keys = [v.key for v in self.variants]
        if len(set(keys)) != len(keys):
            raise ValueError("variant keys must be unique")
        steps = [f.key for f in self.follow_ups]
        if len(set(steps)) != len(steps):
            raise ValueError("follow-up keys must be unique")
        if any(f.hours_before_end is not None for f in self.follow_ups) and self.ends_at is None:
            raise ValueError("`hours_before_end` needs `ends_at`")
        if (
            self.ends_at is not None
            and self.send_at is not None
            and self.send_at.tzinfo is not None
            and self.ends_at <= self.send_at
        ):
            raise ValueError("`ends_at` must be after `send_at`")
        return self


class CountRange(BaseModel):
    """An estimated count's interval (both ends included)."""

    low: int
    high: int


class EstimateSample(BaseModel):
    """How an estimated audience was measured: the sample read and the intervals of its
    figures."""

    size: int = Field(description="member ids drawn at random (ids of no member count as drawn)")
    population: int = Field(description="the span of member ids the sample was drawn from")
    confidence: float = Field(description="the intervals' confidence level (0.95)")
    members: CountRange = Field(description="the interval of `members`")
    channels: dict[str, CountRange] = Field(description="the interval of each of `channels`")


class Estimate(BaseModel):
    """``POST …/audience/estimate``: members matching the audience, and per channel how
    many can be sent to after consent and suppression (and the control group's share).
    Exact on a small shop; on a large one estimated from a sample of members (``is_exact``
    false, ``sample`` says how: the launch always counts every member)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "members": 15,
                    "channels": {"email": 12, "sms": 0, "push": 0},
                    "control": 0,
                    "excluded": {
                        "global_holdout": 0,
                        "no_consent": 3,
                        "suppressed": 0,
                        "unreachable": 0,
                    },
                    "is_exact": True,
                    "sample": None,
                },
                {
                    "members": 300_000,
                    "channels": {"email": 151_200, "sms": 67_200, "push": 0},
                    "control": 15_120,
                    "excluded": {
                        "global_holdout": 0,
                        "no_consent": 118_800,
                        "suppressed": 0,
                        "unreachable": 30_000,
                    },
                    "is_exact": False,
                    "sample": {
                        "size": 10_000,
                        "population": 1_000_000,
                        "confidence": 0.95,
                        "members": {"low": 291_096, "high": 309_058},
                        "channels": {
                            "email": {"low": 144_312, "high": 158_356},
                            "sms": {"low": 62_457, "high": 72_276},
                            "push": {"low": 0, "high": 384},
                        },
                    },
                },
            ]
        }
    )

    members: int
    channels: dict[str, int]
    control: int
    excluded: dict[str, int] = Field(
        description="members left out by reason: global_holdout, no_consent, suppressed, "
        "unreachable (no address or device)"
    )
    is_exact: bool = Field(
        description="true: every member was counted; false: the figures are estimated from "
        "`sample` (scaled up, rounded)"
    )
    sample: EstimateSample | None = Field(
        default=None, description="the sample of an estimate (null when exact)"
    )


class CampaignRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "key": "spring",
                    "name": {"en": "Spring", "ru": "Весна"},
                    "state": "draft",
                    "revision": 1,
                    "spec": {
                        "name": {"en": "Spring", "ru": "Весна"},
                        "audience": {
                            "condition": "member.tier == 'gold'",
                            "segments": ["vip"],
                            "tiers": [],
                            "rfm": [],
                        },
                        "channel": "email",
                        "template": "campaign",
                        "subject": None,
                        "body": None,
                        "html": None,
                        "short": None,
                        "variants": [
                            {
                                "key": "a",
                                "weight": 2,
                                "content": {
                                    "template": None,
                                    "subject": None,
                                    "body": None,
                                    "html": None,
                                    "short": None,
                                },
                                "offer": None,
                            }
                        ],
                        "control_percent": "10",
                        "offer": {
                            "coupon": None,
                            "points": {"points": None, "multiplier": "2", "max_per_member": None},
                            "gift": None,
                            "description": {
                                "en": "Double points on every order",
                                "ru": "Двойные баллы за каждый заказ",
                            },
                        },
                        "goal": {"event": "order.placed", "days": 14},
                        "send_at": "2026-03-01T10:00:00",
                        "late": "next_day",
                        "quiet_hours": True,
                        "ends_at": "2026-03-08T00:00:00+03:00",
                        "follow_ups": [
                            {
                                "key": "last_day",
                                "send_at": None,
                                "hours_before_end": 24,
                                "only_unconverted": True,
                                "content": {
                                    "template": None,
                                    "subject": None,
                                    "body": None,
                                    "html": None,
                                    "short": {
                                        "en": "Last day of double points",
                                        "ru": "Последний день двойных баллов",
                                    },
                                },
                            }
                        ],
                    },
                    "created_at": "2026-01-15T12:00:00Z",
                    "updated_at": "2026-01-15T12:00:00Z",
                    "updated_by": "shop admin",
                    "launched_at": None,
                    "finished_at": None,
                    "audience_size": None,
                    "progress": {},
                    "winner": None,
                }
            ]
        }
    )

    key: str
    name: LocaleText
    state: CampaignState
    revision: int
    spec: CampaignSpec
    created_at: datetime
    updated_at: datetime
    updated_by: str
    launched_at: datetime | None
    finished_at: datetime | None
    audience_size: int | None
    progress: dict[str, int] = Field(description="sends by status")
    winner: str | None


class SeasonCopy(_Strict):
    """``POST /api/v1/campaigns/seasons/{season}/copy``: the new draft's key."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"key": "black-friday-2026"}]})

    key: CampaignKey


class CampaignChange(BaseModel):
    """One change of a campaign: its spec after it (when the spec changed) or a state move."""

    revision: int
    action: ChangeAction
    state: CampaignState
    spec: dict[str, Any] | None = Field(description="the spec as stored by this change")
    detail: str | None
    actor: str = Field(description="who made it")
    at: datetime


class CampaignHistory(BaseModel):
    """``GET /api/v1/campaigns/{key}/history``: every change, oldest first."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "key": "spring-sale",
                    "items": [
                        {
                            "revision": 1,
                            "action": "created",
                            "state": "draft",
                            "spec": {"name": {"en": "Spring sale", "ru": "Весенняя распродажа"}},
                            "detail": None,
                            "actor": "Anna Petrova",
                            "at": "2026-03-01T09:00:00Z",
                        },
                        {
                            "revision": 1,
                            "action": "paused",
                            "state": "paused",
                            "spec": None,
                            "detail": None,
                            "actor": "Anna Petrova",
                            "at": "2026-03-05T12:00:00Z",
                        },
                    ],
                }
            ]
        }
    )

    key: str
    items: list[CampaignChange]


class Season(BaseModel):
    """A season of the calendar with its next occurrence and a ready-to-copy spec."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "key": "black_friday",
                    "name": {"en": "Black Friday", "ru": "Чёрная пятница"},
                    "about": {
                        "en": "The biggest sale of the year.",
                        "ru": "Самая большая распродажа года.",
                    },
                    "day": "2026-11-27",
                    "send_at": "2026-11-27T09:00:00",
                    "ends_at": "2026-11-30T23:59:59+03:00",
                    "spec": {"name": {"en": "Black Friday", "ru": "Чёрная пятница"}},
                }
            ]
        }
    )

    key: str
    name: LocaleText
    about: LocaleText
    day: date = Field(description="its next occurrence")
    send_at: str = Field(
        description="when the copied campaign sends: an ISO 8601 date-time without offset, "
        "each member's own wall-clock time"
    )
    ends_at: datetime = Field(description="when its offer ends (the program's time zone)")
    spec: dict[str, Any] = Field(description="a CampaignSpec to copy (defaults left out)")


# -- the report (``GET /api/v1/campaigns/{key}/report``, ``GET /api/v1/insights/holdout``) --
class ArmReport(BaseModel):
    """One arm (the control group is ``control``): members measured (main send queued or
    held out), messages sent and delivered, conversions and revenue (minor units of the
    program's currency), the points its rule awarded and what they and its codes' discounts
    cost. ``opened``/``clicked``: null where the channel does not report them."""

    key: str
    members: int
    sent: int
    delivered: int
    opened: int | None
    clicked: int | None
    converted: int
    conversion_rate: float | None
    revenue: int
    revenue_per_member: float | None
    points_awarded: int
    points_cost: int
    discount_cost: int


class RevenueDifference(BaseModel):
    """Revenue per member of the arm minus the control group's (minor units), with
    Welch's 95% interval and its p-value."""

    difference: float | None
    low: float | None
    high: float | None
    p_value: float | None


class Uplift(BaseModel):
    """A variant against the control group: conversion rate difference (``absolute``,
    95% Newcombe interval ``low``/``high``, ``relative`` to the control's rate, score-test
    ``p_value`` and its Holm correction across the variants), revenue per member, and the
    incremental revenue (the difference per member × the arm's members) less the arm's
    extra cost."""

    key: str
    absolute: float | None
    low: float | None
    high: float | None
    relative: float | None
    p_value: float | None
    p_value_adjusted: float | None
    revenue_per_member: RevenueDifference
    incremental_revenue: int | None
    incremental_profit: int | None


class GoalRead(BaseModel):
    event: str
    days: int


class WinnerRule(BaseModel):
    min_members: int
    alpha: float
    correction: Literal["holm"]


class CampaignReport(BaseModel):
    """``winner``: the variant declared once the measurement was complete (every main send
    done and the last goal window closed), null before or when none beat the control
    group; ``leader``: the variant the rule picks from the figures now."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "key": "spring",
                    "state": "running",
                    "currency": "EUR",
                    "goal": {"event": "order.paid", "days": 7},
                    "measurement_complete": False,
                    "arms": [
                        {
                            "key": "control",
                            "members": 1,
                            "sent": 0,
                            "delivered": 0,
                            "opened": None,
                            "clicked": None,
                            "converted": 0,
                            "conversion_rate": 0.0,
                            "revenue": 0,
                            "revenue_per_member": 0.0,
                            "points_awarded": 0,
                            "points_cost": 0,
                            "discount_cost": 0,
                        }
                    ],
                    "uplift": [
                        {
                            "key": "b",
                            "absolute": 1.0,
                            "low": -0.122109,
                            "high": 1.0,
                            "relative": None,
                            "p_value": 0.317311,
                            "p_value_adjusted": 0.317311,
                            "revenue_per_member": {
                                "difference": None,
                                "low": None,
                                "high": None,
                                "p_value": None,
                            },
                            "incremental_revenue": None,
                            "incremental_profit": None,
                        }
                    ],
                    "winner": None,
                    "leader": None,
                    "winner_rule": {"min_members": 1000, "alpha": 0.05, "correction": "holm"},
                }
            ]
        }
    )

    key: str
    state: CampaignState
    currency: str
    goal: GoalRead
    measurement_complete: bool
    arms: list[ArmReport]
    uplift: list[Uplift]
    winner: str | None
    leader: str | None
    winner_rule: WinnerRule


class HoldoutGroupReport(BaseModel):
    key: Literal["holdout", "rest"]
    members: int
    buyers: int
    conversion_rate: float | None
    revenue: int
    revenue_per_member: float | None


class HoldoutUplift(BaseModel):
    """The rest of the members against the global holdout: what marketing adds."""

    absolute: float | None
    low: float | None
    high: float | None
    relative: float | None
    p_value: float | None
    revenue_per_member: RevenueDifference


class HoldoutReport(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "from": "2026-01-01",
                    "to": "2026-01-31",
                    "timezone": "UTC",
                    "currency": "EUR",
                    "holdout_percent": 0.0,
                    "groups": [
                        {
                            "key": "holdout",
                            "members": 0,
                            "buyers": 0,
                            "conversion_rate": None,
                            "revenue": 0,
                            "revenue_per_member": None,
                        }
                    ],
                    "uplift": {
                        "absolute": None,
                        "low": None,
                        "high": None,
                        "relative": None,
                        "p_value": None,
                        "revenue_per_member": {
                            "difference": None,
                            "low": None,
                            "high": None,
                            "p_value": None,
                        },
                    },
                }
            ]
        }
    )

    from_: date = Field(alias="from")
    to: date
    timezone: str
    currency: str
    holdout_percent: float
    groups: list[HoldoutGroupReport]
    uplift: HoldoutUplift
