"""Journey settings: which lifecycle journeys run, on which channels, with what timing.

The program file's ``journeys:`` section and ``PUT /api/v1/journeys/{name}`` write them;
``journeys(uow)`` is what every journey reads: the stored settings (a row per journey that
was ever configured, defaults for the others), parsed once per stored version per process
and looked up once per unit of work (``db.configs``: a change committed by another process
is seen by the next unit).

Defaults follow the issue's fixed interface: the transactional journeys (order
confirmation, shipping) are on, every marketing one is off; welcome and order
confirmation are queued at once.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Annotated, Any, Final, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from loyalist.audit import service as audit
from loyalist.audit.models import Actor
from loyalist.coupons import service as coupons
from loyalist.db import configs
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError
from loyalist.insights.rfm import SEGMENTS
from loyalist.messages import repository
from loyalist.messages.errors import JourneyNotFoundError, JourneySettingsInvalidError
from loyalist.rules import programs as rules

Channel = Literal["email", "sms", "push"]
#: A rule's or a coupon campaign's key (the shapes of ``rules`` and ``coupons``).
Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-:]{0,63}$")]
Days = Annotated[int, Field(ge=1, le=3650)]
_EMAIL: tuple[Channel, ...] = ("email",)


def _url(value: str | None, allowed: frozenset[str]) -> str | None:
    """A link with ``{placeholders}`` from ``allowed`` only (filled in per message)."""
    if value is None:
        return None
    if urlsplit(value).scheme not in ("https", "http"):
        raise ValueError("a link starts with https:// or http://")
    try:
        fields = [(n, spec, conv) for _, n, spec, conv in string.Formatter().parse(value)]
    except ValueError as exc:
        raise ValueError(f"unbalanced braces: {exc}") from None
    names = {name for name, _, _ in fields if name is not None}
    if any(name is not None and (spec or conversion) for name, spec, conversion in fields):
        # str.format() could refuse a value per message (``{sku:d}``): plain names only
        raise ValueError("a placeholder is a plain {name}, without a conversion or format")
    unknown = sorted(names - allowed)
    if unknown:
        known = ", ".join(f"{{{name}}}" for name in sorted(allowed))
        raise ValueError(f"unknown placeholder {{{unknown[0]}}}; this link may use {known}")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A text members read, in English and Russian."""

    en: str = Field(min_length=1, max_length=2000)
    ru: str = Field(min_length=1, max_length=2000)


class Tip(_Strict):
    """A product-usage tip for the buyers of a category."""

    category: str = Field(min_length=1, max_length=200)
    title: Text
    body: Text


class Journey(_Strict):
    """What every journey has: a switch and the channels it sends on."""

    enabled: bool = False
    channels: list[Channel] = Field(default_factory=lambda: list(_EMAIL), min_length=1)

    @field_validator("channels")
    @classmethod
    def _once_each(cls, value: list[Channel]) -> list[Channel]:
        if len(set(value)) != len(value):
            raise ValueError("each channel at most once")
        return value


class Welcome(Journey):
    delay_hours: int = Field(default=0, ge=0, le=24 * 30, description="0: at enrolment")


class OrderConfirmation(Journey):
    enabled: bool = True
    delay_minutes: int = Field(default=0, ge=0, le=24 * 60, description="0: when paid")
    recommendations: int = Field(default=3, ge=0, le=20, description="products shown")


class Shipping(Journey):
    enabled: bool = True
    cross_sell: int = Field(default=3, ge=0, le=20, description="related products shown")
    thank_you_on_delivery: bool = True


class PostPurchase(Journey):
    tips_after_days: Days = 3
    review_after_days: Days = 10
    nps_after_days: Days = 30
    review_points: int | None = Field(
        default=None, ge=0, le=1_000_000, description="points a review earns (shown)"
    )
    review_url: str | None = Field(
        default=None, max_length=2000, description="may use {sku} and {order_id}"
    )
    nps_url: str | None = Field(default=None, max_length=2000, description="may use {survey_id}")
    tips: list[Tip] = Field(default_factory=list, max_length=1000)

    @field_validator("review_url")
    @classmethod
    def _review_url(cls, value: str | None) -> str | None:
        return _url(value, frozenset({"sku", "order_id"}))

    @field_validator("nps_url")
    @classmethod
    def _nps_url(cls, value: str | None) -> str | None:
        return _url(value, frozenset({"survey_id"}))


class Points(Journey):
    matured: bool = True
    expiring_days: list[Days] = Field(default_factory=lambda: [30, 7], max_length=10)
    statement: bool = Field(default=True, description="monthly, for members who opted in")

    @field_validator("expiring_days")
    @classmethod
    def _distinct(cls, value: list[int]) -> list[int]:
        if len(set(value)) != len(value):
            raise ValueError("each number of days at most once")
        return value


class Tier(Journey):
    upgrade: bool = True
    downgrade_warning_days: Days = 30
    renewal_reminder_days: Days = 14


class RewardsReferrals(Journey):
    reward_issued: bool = True
    referral_converted: bool = True
    friend_welcome: bool = True


class Birthday(Journey):
    gift_rule: Key | None = Field(default=None, description="the rule whose gift is sent")


class WinBack(Journey):
    segments: list[str] = Field(default_factory=lambda: ["at_risk", "cant_lose"], max_length=8)
    churn_risk_at_least: float = Field(default=0.7, ge=0, le=1)
    coupon_campaign: Key | None = Field(default=None, description="issues the personal coupon")
    cooldown_days: Days = 90

    @field_validator("segments")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        unknown = [name for name in value if name not in SEGMENTS]
        if unknown:
            raise ValueError(f"unknown segment {unknown[0]!r}; one of {', '.join(SEGMENTS)}")
        if len(set(value)) != len(value):
            raise ValueError("each segment at most once")
        return value


class JourneysConfig(_Strict):
    """Every journey's settings (a journey left out keeps its defaults)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "welcome": {"enabled": False, "channels": ["email"], "delay_hours": 0},
                    "order_confirmation": {
                        "enabled": True,
                        "channels": ["email"],
                        "delay_minutes": 0,
                        "recommendations": 3,
                    },
                    "shipping": {
                        "enabled": True,
                        "channels": ["email"],
                        "cross_sell": 3,
                        "thank_you_on_delivery": True,
                    },
                    "post_purchase": {
                        "enabled": False,
                        "channels": ["email"],
                        "tips_after_days": 3,
                        "review_after_days": 10,
                        "nps_after_days": 30,
                        "review_points": None,
                        "review_url": None,
                        "nps_url": None,
                        "tips": [],
                    },
                    "points": {
                        "enabled": False,
                        "channels": ["email"],
                        "matured": True,
                        "expiring_days": [30],
                        "statement": True,
                    },
                    "tier": {
                        "enabled": False,
                        "channels": ["email"],
                        "upgrade": True,
                        "downgrade_warning_days": 30,
                        "renewal_reminder_days": 14,
                    },
                    "rewards_referrals": {
                        "enabled": False,
                        "channels": ["email"],
                        "reward_issued": True,
                        "referral_converted": True,
                        "friend_welcome": True,
                    },
                    "birthday": {"enabled": False, "channels": ["email"], "gift_rule": None},
                    "win_back": {
                        "enabled": False,
                        "channels": ["email"],
                        "segments": ["at_risk"],
                        "churn_risk_at_least": 0.7,
                        "coupon_campaign": None,
                        "cooldown_days": 90,
                    },
                }
            ]
        }
    )

    welcome: Welcome = Welcome()
    order_confirmation: OrderConfirmation = OrderConfirmation()
    shipping: Shipping = Shipping()
    post_purchase: PostPurchase = PostPurchase()
    points: Points = Points()
    tier: Tier = Tier()
    rewards_referrals: RewardsReferrals = RewardsReferrals()
    birthday: Birthday = Birthday()
    win_back: WinBack = WinBack()


#: The journey names, in the order of ``JourneysConfig``.
NAMES: Final = tuple(JourneysConfig.model_fields)
_UNIT_KEY = "messages.journeys"
_CACHE: configs.ConfigCache[JourneysConfig] = configs.ConfigCache(configs.JOURNEYS)


def journeys(uow: UnitOfWork) -> JourneysConfig:
    """The live journey settings (defaults for a journey never configured), built once
    per stored version per process and looked up once per unit of work."""
    found: JourneysConfig | None = uow.state.get(_UNIT_KEY)
    if found is None:
        found = uow.state[_UNIT_KEY] = _CACHE.get(uow, lambda: _stored(uow))
    return found


def _stored(uow: UnitOfWork) -> JourneysConfig:
    return JourneysConfig.model_validate(repository.journey_settings(uow.session))


def journey_model(name: str) -> type[Journey]:
    """The settings model of the journey ``name``.

    Raises:
        JourneyNotFoundError: no journey has this name.
    """
    if name not in NAMES:
        raise JourneyNotFoundError(f"no journey {name!r}; one of {', '.join(NAMES)}")
    found: type[Journey] = JourneysConfig.model_fields[name].annotation  # type: ignore[assignment]
    return found


def put_journeys(
    uow: UnitOfWork, settings: Mapping[str, Journey], *, who: str, root: str | None = None
) -> list[str]:
    """Store the given journeys' settings (the others keep theirs) after checking the rule
    and coupon campaign they name exist; returns the names whose settings changed (a
    journey given its current settings writes nothing). Problems point from ``root``
    (``/journeys`` in a program file: ``/journeys/birthday/gift_rule``), else from the
    journey's own settings (``/gift_rule``).

    Raises:
        JourneySettingsInvalidError: a named rule or coupon campaign does not exist.
    """

    def where(name: str, field: str) -> str:
        return f"/{field}" if root is None else f"{root}/{name}/{field}"

    errors: list[FieldError] = []
    birthday = settings.get("birthday")
    if isinstance(birthday, Birthday) and birthday.gift_rule is not None:
        live = {rule.key for rule in rules.list_rules(uow)}
        if birthday.gift_rule not in live:
            errors.append(FieldError(where("birthday", "gift_rule"), "no live rule has this key"))
    win_back = settings.get("win_back")
    campaign = win_back.coupon_campaign if isinstance(win_back, WinBack) else None
    if campaign is not None and coupons.find_campaign(uow, campaign) is None:
        errors.append(
            FieldError(where("win_back", "coupon_campaign"), "no coupon campaign has this key")
        )
    if errors:
        raise JourneySettingsInvalidError(
            "journey settings name what does not exist", errors=errors
        )
    current = journeys(uow)
    changed = {
        name: value.model_dump(mode="json")
        for name, value in settings.items()
        if value != getattr(current, name)
    }
    if changed:
        repository.put_journey_settings(uow.session, changed, uow.now, who)
        uow.state.pop(_UNIT_KEY, None)
        configs.changed(uow)
    return sorted(changed, key=NAMES.index)


def change_journey(
    uow: UnitOfWork, name: str, settings: Journey, actor: Actor, *, who: str
) -> dict[str, Any]:
    """Replace the journey ``name``'s settings by ``who``; a change is audited as
    ``journey.changed`` with the settings before and after. Returns the live settings.

    Raises:
        JourneySettingsInvalidError: a named rule or coupon campaign does not exist.
    """
    before = dict(getattr(journeys(uow), name).model_dump(mode="json"))
    put_journeys(uow, {name: settings}, who=who)
    after = dict(getattr(journeys(uow), name).model_dump(mode="json"))
    if after != before:
        audit.record(
            uow,
            actor,
            "journey.changed",
            target_type="journey",
            target_id=name,
            before=before,
            after=after,
        )
    return after
