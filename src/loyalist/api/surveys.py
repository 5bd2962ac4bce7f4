"""The NPS survey link of post-purchase email: a public page with a 0–10 form and its
POST, authenticated by the link's opaque signed token (no API key, no cookie)."""

from __future__ import annotations

import html
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import HTMLResponse, Response

from loyalist.api.deps import GuardedRoute, read, write
from loyalist.api.problems import problem_responses
from loyalist.api.responses import form_body, html_page
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError
from loyalist.messages import service as messages
from loyalist.messages.errors import SurveyAnswerInvalidError, SurveyLinkInvalidError

router = APIRouter(tags=["messages"], route_class=GuardedRoute)

Token = Annotated[
    str,
    Path(min_length=1, max_length=400, pattern=r"^[A-Za-z0-9._-]+$", description="opaque"),
]
_SCORES = range(11)

_WORDS = {
    "en": {
        "title": "One quick question",
        "ask": "How likely are you to recommend us to a friend?",
        "scale": "0 — not at all likely, 10 — extremely likely",
        "button": "Send",
        "done": "Thank you for your answer!",
    },
    "ru": {
        "title": "Один короткий вопрос",
        "ask": "Насколько вероятно, что вы порекомендуете нас другу?",
        "scale": "0 — совсем маловероятно, 10 — очень вероятно",
        "button": "Отправить",
        "done": "Спасибо за ваш ответ!",
    },
}


def _page(locale: str, *, done: bool, chosen: int | None = None) -> HTMLResponse:
    words = _WORDS.get(locale, _WORDS["en"])
    if done:
        body = f"<p>{html.escape(words['done'])}</p>"
    else:
        options = "".join(
            f'<label><input type="radio" name="score" value="{n}" required'
            f"{' checked' if n == chosen else ''}> {n}</label> "
            for n in _SCORES
        )
        body = (
            f"<p>{html.escape(words['ask'])}</p><p>{html.escape(words['scale'])}</p>"
            f'<form method="post"><p>{options}</p>'
            f'<button type="submit">{html.escape(words["button"])}</button></form>'
        )
    return HTMLResponse(
        f'<!doctype html><html lang="{locale}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(words['title'])}</title></head><body>"
        f"<h1>{html.escape(words['title'])}</h1>{body}</body></html>",
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


_QUESTION = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Quick question</title>'
    '</head><body><h1>How likely are you to recommend us?</h1><form method="post"><p>'
    '<label><input type="radio" name="score" value="9" checked> 9</label></p>'
    '<button type="submit">Send</button></form></body></html>'
)
_THANKS = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Thank you</title>'
    "</head><body><h1>Thank you for your answer</h1></body></html>"
)


@router.get(
    "/surveys/{token}",
    response_class=HTMLResponse,
    responses=problem_responses(
        SurveyLinkInvalidError,
        success={200: html_page(_QUESTION, "The question (English or Russian)")},
    ),
)
async def survey_page(
    token: Token,
    request: Request,
    score: Annotated[
        int | None, Query(ge=0, le=10, description="the score the email's link was")
    ] = None,
) -> Response:
    """The NPS question of a survey link (English or Russian, by the member's language): a
    0–10 form, the score of the email's link chosen. A GET never records an answer (link
    scanners and previews open links); an answered survey shows the thanks."""
    target = await read(request, lambda uow: messages.survey_target(uow, token))
    return _page(target.locale, done=target.is_answered, chosen=score)


@router.post(
    "/surveys/{token}",
    response_class=HTMLResponse,
    responses=problem_responses(
        SurveyLinkInvalidError,
        SurveyAnswerInvalidError,
        success={200: html_page(_THANKS, "The thanks (English or Russian)")},
    ),
    openapi_extra=form_body({"score": "a whole number from 0 to 10"}, {"score": "9"}),
)
async def answer_survey(token: Token, request: Request) -> Response:
    """Record the member's answer (form body ``score=0…10``) as a ``survey.answered``
    event, once: a second answer is ignored. No cookie and no CSRF token: the signed link
    is the authority, and all a forged POST could do is answer the member's survey once
    with someone else's score — the holder of the link could do the same."""
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    given = form.get("score", [""])
    if len(given) != 1 or given[0] not in {str(n) for n in _SCORES}:
        raise SurveyAnswerInvalidError(
            "send the form body score=<a whole number from 0 to 10>",
            errors=[FieldError("/score", "must be a whole number from 0 to 10")],
        )
    score = int(given[0])

    def op(uow: UnitOfWork) -> messages.SurveyTarget:
        return messages.answer_survey(uow, token, score)

    target = await write(request, op)
    return _page(target.locale, done=True)
