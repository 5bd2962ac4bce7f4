"""The one-click unsubscribe link (RFC 8058) of marketing email: a public page and its
POST, authenticated by the link's opaque signed token (no API key, no cookie)."""

from __future__ import annotations

import html
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Path, Request
from starlette.responses import HTMLResponse, Response

from loyalist.api.deps import GuardedRoute, app_of, client_ip, read, write
from loyalist.api.problems import problem_responses
from loyalist.api.responses import form_body, html_page
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError
from loyalist.messages import service as messages
from loyalist.messages.errors import UnsubscribeBodyInvalidError, UnsubscribeLinkInvalidError

router = APIRouter(tags=["messages"], route_class=GuardedRoute)

Token = Annotated[
    str,
    Path(min_length=1, max_length=400, pattern=r"^[A-Za-z0-9._-]+$", description="opaque"),
]

_WORDS = {
    "en": {
        "title": "Unsubscribe",
        "ask": "Stop marketing emails from us to this address?",
        "button": "Unsubscribe",
        "done": "You are unsubscribed from marketing emails. Messages about your orders "
        "and your account will still arrive.",
        "manage": "Choose channels and topics instead",
    },
    "ru": {
        "title": "Отписка",
        "ask": "Больше не присылать рекламные письма на этот адрес?",
        "button": "Отписаться",
        "done": "Вы отписались от рекламных писем. Письма о ваших заказах и аккаунте "
        "будут приходить по-прежнему.",
        "manage": "Выбрать каналы и темы рассылок",
    },
}


def _page(locale: str, preferences_url: str, *, done: bool) -> HTMLResponse:
    words = _WORDS.get(locale, _WORDS["en"])
    link = html.escape(preferences_url)
    manage = f'<p><a href="{link}">{html.escape(words["manage"])}</a></p>'
    body = (
        f"<p>{html.escape(words['done'])}</p>"
        if done
        else (
            f"<p>{html.escape(words['ask'])}</p>"
            '<form method="post">'
            '<input type="hidden" name="List-Unsubscribe" value="One-Click">'
            f'<button type="submit">{html.escape(words["button"])}</button></form>'
        )
    )
    return HTMLResponse(
        f'<!doctype html><html lang="{locale}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(words['title'])}</title></head><body>"
        f"<h1>{html.escape(words['title'])}</h1>{body}{manage}</body></html>",
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


_CONFIRM = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Unsubscribe</title>'
    '</head><body><h1>Unsubscribe</h1><form method="post">'
    '<input type="hidden" name="List-Unsubscribe" value="One-Click">'
    '<button type="submit">Unsubscribe</button></form></body></html>'
)
_DONE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Unsubscribe</title>'
    "</head><body><h1>Unsubscribe</h1><p>You will no longer receive these emails.</p>"
    "</body></html>"
)


@router.get(
    "/unsubscribe/{token}",
    response_class=HTMLResponse,
    responses=problem_responses(
        UnsubscribeLinkInvalidError,
        success={200: html_page(_CONFIRM, "The confirmation page (English or Russian)")},
    ),
)
async def unsubscribe_page(token: Token, request: Request) -> Response:
    """The confirmation page of an unsubscribe link (English or Russian, by the member's
    language): a button that POSTs the one-click body. A GET never unsubscribes (link
    scanners and previews open links)."""
    target = await read(request, lambda uow: messages.unsubscribe_target(uow, token))
    return _page(target.locale, _preferences(request, target), done=target.is_unsubscribed)


@router.post(
    "/unsubscribe/{token}",
    response_class=HTMLResponse,
    responses=problem_responses(
        UnsubscribeLinkInvalidError,
        UnsubscribeBodyInvalidError,
        success={200: html_page(_DONE, "Unsubscribed (English or Russian)")},
    ),
    openapi_extra=form_body(
        {"List-Unsubscribe": "One-Click (RFC 8058)"}, {"List-Unsubscribe": "One-Click"}
    ),
)
async def unsubscribe(token: Token, request: Request) -> Response:
    """One-click unsubscribe (RFC 8058): the body ``List-Unsubscribe=One-Click`` withdraws
    the member's marketing consent for the channel (no cookie, no CSRF token: the signed
    link is the authority). Idempotent."""
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    if form.get("List-Unsubscribe") != ["One-Click"]:
        raise UnsubscribeBodyInvalidError(
            "send the form body List-Unsubscribe=One-Click",
            errors=[FieldError("/List-Unsubscribe", "must be One-Click")],
        )

    ip = client_ip(request)

    def op(uow: UnitOfWork) -> messages.UnsubscribeTarget:
        return messages.unsubscribe(uow, token, source="unsubscribe-link", ip=ip)

    target = await write(request, op)
    return _page(target.locale, _preferences(request, target), done=True)


def _preferences(request: Request, target: messages.UnsubscribeTarget) -> str:
    """The member's preference centre: switching topics off instead of everything."""
    return messages.preferences_url(app_of(request).settings.messages.base_url, target.member_id)
