"""A draft's signed link to its preview frame: it opens to the same draft, and only for
the session, template and language it was signed for."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalist.errors import RequestInvalidError
from loyalist.messages.schemas import TemplateIn
from loyalist.web.console.messaging import _opened, _sign

parts = st.one_of(st.none(), st.text(max_size=300))


@given(subject=parts, text=parts, html=parts, short=parts)
def test_a_signed_draft_opens_to_the_same_draft(
    subject: str | None, text: str | None, html: str | None, short: str | None
) -> None:
    draft = TemplateIn(subject=subject, text=text, html=html, short=short)
    token = _sign("session-token", "welcome", "en", draft)
    assert _opened(token, "session-token", "welcome", "en") == draft


@pytest.mark.parametrize(
    ("secret", "key", "locale"),
    [
        ("another-session", "welcome", "en"),
        ("session-token", "birthday", "en"),
        ("session-token", "welcome", "ru"),
    ],
)
def test_a_draft_is_refused_elsewhere(secret: str, key: str, locale: str) -> None:
    token = _sign("session-token", "welcome", "en", TemplateIn(subject="Hi", text="Hello"))
    with pytest.raises(RequestInvalidError):
        _opened(token, secret, key, locale)


def test_a_changed_draft_is_refused() -> None:
    token = _sign("session-token", "welcome", "en", TemplateIn(subject="Hi", text="Hello"))
    body, _, signature = token.partition(".")
    forged = _sign("other", "welcome", "en", TemplateIn(subject="Pay here", text="x"))
    with pytest.raises(RequestInvalidError):
        _opened(f"{forged.partition('.')[0]}.{signature}", "session-token", "welcome", "en")
    with pytest.raises(RequestInvalidError):
        _opened(f"{body}!.{signature}", "session-token", "welcome", "en")
