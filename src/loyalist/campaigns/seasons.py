"""The seasonal calendar: ready-to-copy campaigns for the seasons a Russian or European shop
runs (New Year, 8 March, Black Friday, back to school …), in English and Russian, dated for
the next occurrence after a given day. Pure: no I/O, the day and the program's time zone
are passed in.

Every text is a campaign template over the campaign context (``messages.contexts``:
``member``, ``campaign``, ``offer``, ``favourites``, ``points``, ``shop_url`` …). The
offers are bonus points or a points multiplier (a rule made at launch), so a copy needs
nothing else to exist; a shop adds a coupon campaign or a gift to its copy if it likes.
``send_at`` has no offset: it is the wall-clock time in each member's own time zone;
``ends_at`` is the end of the offer's last day in the program's time zone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Final
from zoneinfo import ZoneInfo

from loyalist.campaigns.errors import CampaignSeasonNotFoundError
from loyalist.campaigns.schemas import (
    CampaignSpec,
    Content,
    FollowUp,
    LocaleText,
    Offer,
    PointsOffer,
)

#: The day of a season in a given year.
DayOf = Callable[[int], date]


def fixed(month: int, day: int) -> DayOf:
    """The same day every year."""
    return lambda year: date(year, month, day)


def black_friday(year: int) -> date:
    """The Friday after the fourth Thursday of November (US Thanksgiving)."""
    first = date(year, 11, 1)
    thursday = first + timedelta(days=(3 - first.weekday()) % 7 + 21)
    return thursday + timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Season:
    """A season: its day, when the campaign is sent (``lead_days`` before the day, at
    ``send_time`` local time), how many days its offer runs from the send (the last of them
    ending at midnight), its texts and its offer."""

    key: str
    name: LocaleText
    about: LocaleText
    day: DayOf
    lead_days: int
    days: int
    subject: LocaleText
    body: LocaleText
    short: LocaleText
    offer: Offer
    send_time: time = time(10, 0)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """A season's next dates: the season's own day, the send (local wall-clock time, no
    offset) and the offer's end (aware, in the program's time zone)."""

    day: date
    send_at: datetime
    ends_at: datetime


def _t(en: str, ru: str) -> LocaleText:
    return LocaleText(en=en, ru=ru)


_HELLO_EN = "{% if member.first_name %}Hi {{ member.first_name }},{% else %}Hello,{% endif %}"
_HELLO_RU = (
    "{% if member.first_name %}{{ member.first_name }}, здравствуйте!{% else %}"
    "Здравствуйте!{% endif %}"
)
#: The offer and its deadline, the member's favourites and balance, the shop's link.
_OFFER_EN = (
    "{% if offer and offer.description %}Our gift to you"
    "{% if campaign.ends_at %} until {{ campaign.ends_at|date('long') }}{% endif %}: "
    "{{ offer.description }}.{% endif %}"
)
_OFFER_RU = (
    "{% if offer and offer.description %}Наш подарок вам"
    "{% if campaign.ends_at %} до {{ campaign.ends_at|date('long') }}{% endif %}: "
    "{{ offer.description }}.{% endif %}"
)
_FAVOURITES_EN = (
    "{% if favourites.categories %}Have a look at what is new in "
    "{{ favourites.categories|any_of }}.{% endif %}"
)
_FAVOURITES_RU = (
    "{% if favourites.categories %}Загляните в любимые разделы: "
    "{{ favourites.categories|any_of }}.{% endif %}"
)
_BALANCE_EN = (
    "{% if points.balance %}You have {{ points.balance|points }} on your card"
    "{% if points.expiring %} ({{ points.expiring|points }} expire "
    "{{ points.expiring_on|date('long') }}){% endif %}.{% endif %}"
)
_BALANCE_RU = (
    "{% if points.balance %}На вашей карте {{ points.balance|points }}"
    "{% if points.expiring %} ({{ points.expiring|points }} сгорят "
    "{{ points.expiring_on|date('long') }}){% endif %}.{% endif %}"
)


def _paragraphs(*parts: str) -> str:
    """``parts`` a blank line apart (Jinja drops the line break right after a block tag,
    so a part ending in one gets one more)."""
    return "\n\n".join(part + "\n" if part.endswith("%}") else part for part in parts)


def _body(en: str, ru: str) -> LocaleText:
    return _t(
        _paragraphs(_HELLO_EN, en, _OFFER_EN, _FAVOURITES_EN, _BALANCE_EN, "{{ shop_url }}"),
        _paragraphs(_HELLO_RU, ru, _OFFER_RU, _FAVOURITES_RU, _BALANCE_RU, "{{ shop_url }}"),
    )


def _short(en: str, ru: str) -> LocaleText:
    return _t(f"{en} {{{{ shop_url }}}}", f"{ru} {{{{ shop_url }}}}")


def _multiplier(times: int, en: str, ru: str) -> Offer:
    return Offer(points=PointsOffer(multiplier=Decimal(times)), description=_t(en, ru))


def _bonus(points: int, en: str, ru: str) -> Offer:
    return Offer(points=PointsOffer(points=points, max_per_member=1), description=_t(en, ru))


#: The "last day" reminder a season of more than two days sends the day before its offer
#: ends, to members who have not bought yet.
LAST_DAY: Final = FollowUp(
    key="last_day",
    hours_before_end=24,
    content=Content(
        subject=_t("Last day: {{ campaign.name }}", "Последний день: {{ campaign.name }}"),
        body=_t(
            _paragraphs(
                _HELLO_EN,
                "{{ campaign.name }} ends tomorrow"
                "{% if campaign.ends_at %} ({{ campaign.ends_at|date('long') }}){% endif %}.",
                _OFFER_EN,
                "{{ shop_url }}",
            ),
            _paragraphs(
                _HELLO_RU,
                "«{{ campaign.name }}» заканчивается завтра"
                "{% if campaign.ends_at %} ({{ campaign.ends_at|date('long') }}){% endif %}.",
                _OFFER_RU,
                "{{ shop_url }}",
            ),
        ),
        short=_short("Last day of {{ campaign.name }}.", "Последний день: «{{ campaign.name }}»."),
    ),
)

SEASONS: Final[tuple[Season, ...]] = (
    Season(
        key="valentines",
        name=_t("Valentine's Day", "День святого Валентина"),
        about=_t("14 February: gifts for two.", "14 февраля: подарки для двоих."),
        day=fixed(2, 14),
        lead_days=4,
        days=5,
        subject=_t("Gifts for someone dear", "Подарки для самых близких"),
        body=_body(
            "Valentine's Day is on 14 February: find something for the one you love.",
            "14 февраля — День всех влюблённых: найдите подарок для самого дорогого человека.",
        ),
        short=_short("Valentine's gifts with double points:", "Подарки ко Дню влюблённых:"),
        offer=_multiplier(2, "double points on every order", "двойные баллы за каждый заказ"),
    ),
    Season(
        key="defender_day",
        name=_t("23 February", "23 февраля"),
        about=_t(
            "Defender of the Fatherland Day: gifts for the men in your life.",
            "День защитника Отечества: подарки для мужчин.",
        ),
        day=fixed(2, 23),
        lead_days=5,
        days=6,
        subject=_t("Gifts for 23 February", "Подарки к 23 февраля"),
        body=_body(
            "23 February is coming: gifts for fathers, brothers, friends and colleagues.",
            "Скоро 23 февраля: подарки для пап, братьев, друзей и коллег.",
        ),
        short=_short("Gifts for 23 February:", "Подарки к 23 февраля:"),
        offer=_multiplier(2, "double points on every order", "двойные баллы за каждый заказ"),
    ),
    Season(
        key="womens_day",
        name=_t("8 March", "8 Марта"),
        about=_t(
            "International Women's Day: flowers, gifts and care.",
            "Международный женский день: цветы, подарки и забота.",
        ),
        day=fixed(3, 8),
        lead_days=5,
        days=6,
        subject=_t("Gifts for 8 March", "Подарки к 8 Марта"),
        body=_body(
            "8 March is close: gifts for mothers, wives, daughters, friends — and for you.",
            "Скоро 8 Марта: подарки для мам, жён, дочерей, подруг — и для вас.",
        ),
        short=_short("Gifts for 8 March:", "Подарки к 8 Марта:"),
        offer=_multiplier(2, "double points on every order", "двойные баллы за каждый заказ"),
    ),
    Season(
        key="summer_sale",
        name=_t("Summer sale", "Летняя распродажа"),
        about=_t(
            "The start of the summer: the season's sale.",
            "Начало лета: сезонная распродажа.",
        ),
        day=fixed(6, 20),
        lead_days=0,
        days=14,
        subject=_t("The summer sale has started", "Летняя распродажа началась"),
        body=_body(
            "Summer is here, and so is our sale.",
            "Пришло лето, а с ним — наша распродажа.",
        ),
        short=_short("The summer sale is on:", "Летняя распродажа:"),
        offer=_bonus(200, "200 bonus points on an order", "200 бонусных баллов за заказ"),
    ),
    Season(
        key="back_to_school",
        name=_t("Back to school", "Снова в школу"),
        about=_t(
            "1 September: everything for the school year.",
            "1 сентября: всё к учебному году.",
        ),
        day=fixed(9, 1),
        lead_days=14,
        days=15,
        subject=_t("Ready for the school year?", "Готовы к учебному году?"),
        body=_body(
            "School starts on 1 September: get everything ready without the rush.",
            "1 сентября уже скоро: соберитесь к школе без спешки.",
        ),
        short=_short("Back to school with double points:", "Снова в школу — двойные баллы:"),
        offer=_multiplier(2, "double points on every order", "двойные баллы за каждый заказ"),
    ),
    Season(
        key="singles_day",
        name=_t("11.11", "11.11"),
        about=_t(
            "Singles' Day, the world's biggest shopping day.",
            "Всемирный день шопинга.",
        ),
        day=fixed(11, 11),
        lead_days=0,
        days=1,
        subject=_t("11.11: one day only", "11.11: только один день"),
        body=_body(
            "11.11 is the world's shopping day, and it lasts just one day.",
            "11.11 — всемирный день шопинга, и длится он всего один день.",
        ),
        short=_short("11.11, one day only:", "11.11, только сегодня:"),
        offer=_multiplier(3, "triple points on every order", "тройные баллы за каждый заказ"),
    ),
    Season(
        key="black_friday",
        name=_t("Black Friday", "Чёрная пятница"),
        about=_t(
            "The Friday after Thanksgiving, through Cyber Monday.",
            "Пятница после Дня благодарения — до Киберпонедельника.",
        ),
        day=black_friday,
        lead_days=0,
        days=4,
        subject=_t("Black Friday is here", "Чёрная пятница началась"),
        body=_body(
            "Black Friday has started and runs through Cyber Monday.",
            "Чёрная пятница началась и продлится до Киберпонедельника.",
        ),
        short=_short("Black Friday, triple points:", "Чёрная пятница, тройные баллы:"),
        offer=_multiplier(3, "triple points on every order", "тройные баллы за каждый заказ"),
    ),
    Season(
        key="new_year",
        name=_t("New Year", "Новый год"),
        about=_t(
            "New Year's gifts, through 31 December.",
            "Новогодние подарки — до 31 декабря.",
        ),
        day=fixed(12, 31),
        lead_days=14,
        days=15,
        subject=_t("New Year's gifts", "Подарки к Новому году"),
        body=_body(
            "The New Year is close: gifts for family, friends and colleagues.",
            "Новый год совсем скоро: подарки для родных, друзей и коллег.",
        ),
        short=_short("New Year's gifts with double points:", "Подарки к Новому году:"),
        offer=_multiplier(2, "double points on every order", "двойные баллы за каждый заказ"),
    ),
)
BY_KEY: Final = {season.key: season for season in SEASONS}


def season(key: str) -> Season:
    """
    Raises:
        CampaignSeasonNotFoundError: no season has the key.
    """
    found = BY_KEY.get(key)
    if found is None:
        raise CampaignSeasonNotFoundError(f"no season {key!r}; the seasons are {', '.join(BY_KEY)}")
    return found


def next_occurrence(season: Season, today: date, zone: ZoneInfo) -> Occurrence:
    """The first occurrence whose send day is ``today`` or later."""
    year = today.year
    while True:
        day = season.day(year)
        send_day = day - timedelta(days=season.lead_days)
        if send_day >= today:
            break
        year += 1
    last = send_day + timedelta(days=season.days)
    return Occurrence(
        day=day,
        send_at=datetime.combine(send_day, season.send_time),
        ends_at=datetime.combine(last, time(0), zone),
    )


def spec_of(season: Season, occurrence: Occurrence) -> CampaignSpec:
    """The campaign a season copies to, at ``occurrence``."""
    return CampaignSpec(
        name=season.name,
        subject=season.subject,
        body=season.body,
        short=season.short,
        offer=season.offer,
        send_at=occurrence.send_at,
        ends_at=occurrence.ends_at,
        follow_ups=[LAST_DAY] if season.days > 2 else [],
    )


def spec_for(key: str, today: date, zone: ZoneInfo) -> CampaignSpec:
    """Season ``key``'s campaign for its next occurrence from ``today``.

    Raises:
        CampaignSeasonNotFoundError: no season has the key.
    """
    found = season(key)
    return spec_of(found, next_occurrence(found, today, zone))


def calendar(today: date, zone: ZoneInfo) -> list[dict[str, Any]]:
    """Every season with its next occurrence from ``today`` and its ready-to-copy spec,
    soonest first."""
    entries = []
    for found in SEASONS:
        occurrence = next_occurrence(found, today, zone)
        entries.append(
            {
                "key": found.key,
                "name": found.name.model_dump(),
                "about": found.about.model_dump(),
                "day": occurrence.day,
                "send_at": occurrence.send_at,
                "ends_at": occurrence.ends_at,
                "spec": spec_of(found, occurrence).model_dump(mode="json", exclude_defaults=True),
            }
        )
    return sorted(entries, key=lambda entry: (entry["send_at"], entry["key"]))
