"""The preference centre: a member's own page (public, its sealed link is the authority);
the API reads and changes the same choices (``api.messages``).

The page needs no CSRF token: it has no ambient authority to abuse. Nothing is read from a
cookie or a session; the only credential is the token in the URL, which a forging site
would have to know already — and whoever knows it can change the choices anyway. The form
posts back to the same URL with ``save=1`` so that no other POST (an empty one, a
one-click unsubscribe client) is read as "switch everything off".
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated
from urllib.parse import parse_qs

from babel.dates import format_date
from fastapi import APIRouter, Path, Request
from starlette.responses import HTMLResponse, Response

from loyalist.api.deps import GuardedRoute, client_ip, read, write
from loyalist.api.problems import problem_responses
from loyalist.api.responses import form_body, html_page
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError
from loyalist.members import consents
from loyalist.members.errors import ConsentTextNotFoundError
from loyalist.members.models import Channel
from loyalist.members.schemas import ConsentTextRead
from loyalist.messages import preferences
from loyalist.messages.errors import PreferencesFormInvalidError, PreferencesLinkInvalidError
from loyalist.messages.schemas import PreferencesRead

router = APIRouter(tags=["messages"], route_class=GuardedRoute)

Token = Annotated[
    str,
    Path(min_length=1, max_length=400, pattern=r"^[A-Za-z0-9._-]+$", description="opaque"),
]

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Your message preferences",
        "intro": "Choose how and about what we may write to you. Messages about your "
        "orders and your account always arrive.",
        "channels": "Channels",
        "topics": "Topics",
        "email": "Email",
        "sms": "SMS",
        "push": "Push notifications",
        "offers": "Offers and promotions",
        "points": "Points and tier news",
        "tips": "Tips for what you bought",
        "reviews": "Review requests and surveys",
        "birthday": "Birthday greetings",
        "statement": "Monthly points statement",
        "changed": "changed {date}",
        "save": "Save",
        "saved": "Your preferences are saved.",
    },
    "ru": {
        "title": "Настройки рассылок",
        "intro": "Выберите, как и о чём нам можно вам писать. Сообщения о заказах и "
        "аккаунте приходят всегда.",
        "channels": "Каналы",
        "topics": "Темы",
        "email": "Электронная почта",
        "sms": "SMS",
        "push": "Push-уведомления",
        "offers": "Предложения и акции",
        "points": "Баллы и уровень",
        "tips": "Советы по покупкам",
        "reviews": "Просьбы об отзывах и опросы",
        "birthday": "Поздравления с днём рождения",
        "statement": "Ежемесячная выписка по баллам",
        "changed": "изменено {date}",
        "save": "Сохранить",
        "saved": "Настройки сохранены.",
    },
}


@dataclass(frozen=True, slots=True)
class _Shown:
    """What the page shows: the member's language, choices, and each channel's consent
    text (the newest version in that language, if one is published)."""

    locale: str
    choices: PreferencesRead
    texts: Mapping[str, ConsentTextRead]


def _shown(
    uow: UnitOfWork, member: preferences.PageMember, choices: PreferencesRead | None = None
) -> _Shown:
    return _Shown(
        member.locale,
        choices or preferences.read_preferences(uow, member.member_id),
        consents.current_texts(uow, [c.value for c in Channel], member.locale),
    )


def _page(page: _Shown, *, saved: bool) -> HTMLResponse:
    words = _WORDS.get(page.locale, _WORDS["en"])
    lang = page.locale if page.locale in _WORDS else "en"
    shown = page.choices

    def box(name: str, value: str, checked: bool, changed: datetime | None) -> str:
        when = ""
        if changed is not None:
            day = format_date(changed, format="long", locale=lang)
            when = f" <small>({html.escape(words['changed'].format(date=day))})</small>"
        mark = " checked" if checked else ""
        return (
            f'<p><label><input type="checkbox" name="{name}" value="{value}"{mark}> '
            f"{html.escape(words[value])}</label>{when}</p>{_wording(page.texts.get(value))}"
        )

    channels = "".join(
        box("channel", c.channel.value, c.is_granted, c.changed_at) for c in shown.channels
    )
    topics = "".join(
        box("topic", t.topic.value, t.is_subscribed, t.changed_at) for t in shown.topics
    )
    note = f'<p role="status">{html.escape(words["saved"])}</p>' if saved else ""
    return HTMLResponse(
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(words['title'])}</title></head><body>"
        f"<h1>{html.escape(words['title'])}</h1>{note}<p>{html.escape(words['intro'])}</p>"
        '<form method="post"><input type="hidden" name="save" value="1">'
        f"<fieldset><legend>{html.escape(words['channels'])}</legend>{channels}</fieldset>"
        f"<fieldset><legend>{html.escape(words['topics'])}</legend>{topics}</fieldset>"
        f'<button type="submit">{html.escape(words["save"])}</button></form></body></html>',
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


def _wording(text: ConsentTextRead | None) -> str:
    """A channel's consent text under its box, and its version in the form: a grant or
    withdrawal saved is recorded with the text the member was shown."""
    if text is None:
        return ""
    lines = "<br>".join(html.escape(line) for line in text.text.splitlines())
    return (
        f'<input type="hidden" name="text_{html.escape(text.purpose)}" value="{text.version}">'
        f"<p><small>{lines}</small></p>"
    )


_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Email preferences'
    '</title></head><body><h1>Email preferences</h1><form method="post">'
    '<input type="hidden" name="save" value="1"><label><input type="checkbox" '
    'name="channel" value="email" checked> Email</label>'
    '<button type="submit">Save</button></form></body></html>'
)


@router.get(
    "/preferences/{token}",
    response_class=HTMLResponse,
    responses=problem_responses(
        PreferencesLinkInvalidError,
        success={200: html_page(_PAGE, "The preference centre (English or Russian)")},
    ),
)
async def preferences_page(token: Token, request: Request) -> Response:
    """The member's preference centre (English or Russian, by the member's language):
    marketing consent per channel and a switch per topic. A GET changes nothing."""

    return _page(
        await read(request, lambda uow: _shown(uow, preferences.page_member(uow, token))),
        saved=False,
    )


@router.post(
    "/preferences/{token}",
    response_class=HTMLResponse,
    responses=problem_responses(
        PreferencesLinkInvalidError,
        PreferencesFormInvalidError,
        ConsentTextNotFoundError,
        success={200: html_page(_PAGE, "Saved: the page again, with a notice")},
    ),
    openapi_extra=form_body(
        {
            "save": "1",
            "channel": "a ticked channel (repeated): email, sms, push",
            "topic": "a ticked topic (repeated)",
            "text_email": "the version of the consent text shown under a channel's box",
        },
        {"save": "1", "channel": "email", "topic": "offers", "text_email": "3"},
    ),
)
async def save_preferences(token: Token, request: Request) -> Response:
    """Save the page's form (``save=1`` and the ticked ``channel`` and ``topic`` values;
    the ones not ticked are switched off). Recorded with source ``preference-centre``, the
    address the form came from and the consent text version shown (``text_<channel>``)."""
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    if form.get("save") != ["1"]:
        raise PreferencesFormInvalidError(
            "post the preference page's form (save=1)",
            errors=[FieldError("/save", "must be 1")],
        )
    choices = preferences.form_choices(form)
    ip = client_ip(request)

    def op(uow: UnitOfWork) -> _Shown:
        member = preferences.page_member(uow, token)
        saved = preferences.save_choices(
            uow, member.member_id, member.locale, choices, source="preference-centre", ip=ip
        )
        return _shown(uow, member, saved)

    return _page(await write(request, op), saved=True)
