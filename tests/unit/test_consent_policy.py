"""The consent registry's pure rules: the built-in purposes, text digests, which change
is recorded and which one is the member's current consent."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from loyalist.members.models import Channel, PurposeKind
from loyalist.members.policy import BUILTIN_PURPOSES, Held, is_news, takes_effect, text_digest

T0 = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
DIGEST_1 = "1" * 64
DIGEST_2 = "2" * 64


def test_the_builtin_purposes_are_processing_and_marketing_by_each_channel() -> None:
    assert {code: (p.kind, p.channel) for code, p in BUILTIN_PURPOSES.items()} == {
        "processing": (PurposeKind.PROCESSING, None),
        "email": (PurposeKind.MARKETING, Channel.EMAIL),
        "sms": (PurposeKind.MARKETING, Channel.SMS),
        "push": (PurposeKind.MARKETING, Channel.PUSH),
    }


def test_a_texts_digest_is_the_sha256_of_its_utf8_bytes_exactly_as_written() -> None:
    text = "Я согласен на обработку персональных данных.\n"
    assert text_digest(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert text_digest(text) != text_digest(text.strip())


class TestIsNews:
    def test_a_first_choice_and_a_changed_value_are_news(self) -> None:
        assert is_news(None, False, None)
        assert is_news(Held(True, T0), False, None)
        assert is_news(Held(False, T0), True, None)

    def test_the_same_value_again_is_not_news_unless_granted_on_another_text(self) -> None:
        assert not is_news(Held(True, T0, DIGEST_1), True, None)
        assert not is_news(Held(True, T0, DIGEST_1), True, DIGEST_1)
        assert is_news(Held(True, T0, DIGEST_1), True, DIGEST_2)
        assert is_news(Held(True, T0), True, DIGEST_1)
        assert not is_news(Held(False, T0, DIGEST_1), False, DIGEST_2)


#: Choices as (minutes after T0, granted, text digest or None), in the order they arrive.
choices = st.lists(
    st.tuples(st.integers(-3, 3), st.booleans(), st.none() | st.sampled_from([DIGEST_1, DIGEST_2])),
    max_size=12,
)


@given(choices)
def test_the_current_consent_is_the_newest_recorded_change_ties_to_the_later(
    arriving: list[tuple[int, bool, str | None]],
) -> None:
    """Folding choices with ``is_news`` and ``takes_effect`` leaves as current consent the
    recorded change that is newest by its time, the later recorded among equal times: the
    first entry of the trail as the API lists it (newest first)."""
    held: Held | None = None
    trail: list[tuple[datetime, int, Held]] = []
    for seq, (minutes, granted, digest) in enumerate(arriving):
        if not is_news(held, granted, digest):
            continue
        at = T0 + timedelta(minutes=minutes)
        change = Held(granted, at, digest)
        trail.append((at, seq, change))
        if takes_effect(held, at):
            held = change
    newest = max(trail, key=lambda entry: (entry[0], entry[1]), default=None)
    assert held == (newest[2] if newest else None)


def test_an_older_change_is_recorded_but_does_not_take_effect() -> None:
    withdrawn = Held(False, T0)
    assert is_news(withdrawn, True, None)
    assert not takes_effect(withdrawn, T0 - timedelta(days=1))
    assert takes_effect(withdrawn, T0)
