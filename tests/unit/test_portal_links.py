"""The shop's signed portal links: a link signed with the secret is accepted until it
expires; any change to the member, the expiry or the signature is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from loyalist.members.policy import LinkProblem, check_link, link_signature

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
SECRET = "s3cret"
members = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=128)


def check(member: str, expires: int, signature: str, secret: str = SECRET) -> LinkProblem | None:
    return check_link(secret, member, str(expires), signature, now=NOW, longest=DAY)


@given(members, st.integers(1, 24 * 3600))
def test_a_signed_link_is_accepted_until_it_expires(member: str, ttl: int) -> None:
    expires = int(NOW.timestamp()) + ttl
    assert check(member, expires, link_signature(SECRET, member, expires)) is None
    past = int(NOW.timestamp()) - ttl + 1
    assert check(member, past, link_signature(SECRET, member, past)) == LinkProblem.EXPIRED


@given(members, members)
def test_a_link_for_another_member_is_refused(member: str, other: str) -> None:
    expires = int(NOW.timestamp()) + 60
    signature = link_signature(SECRET, member, expires)
    expected = None if other == member else LinkProblem.BAD_SIGNATURE
    assert check(other, expires, signature) == expected


def test_a_changed_expiry_or_secret_is_refused() -> None:
    expires = int(NOW.timestamp()) + 60
    signature = link_signature(SECRET, "m1", expires)
    assert check("m1", expires + 1, signature) == LinkProblem.BAD_SIGNATURE
    assert check("m1", expires, signature, secret="other") == LinkProblem.BAD_SIGNATURE
    assert check("m1", expires, signature.upper()) is None  # hex in either case


def test_malformed_too_long_and_unconfigured_links_are_refused() -> None:
    expires = int(NOW.timestamp()) + 60
    signature = link_signature(SECRET, "m1", expires)
    assert check_link(SECRET, "m1", "soon", signature, now=NOW, longest=DAY) == (
        LinkProblem.MALFORMED
    )
    assert check("", expires, signature) == LinkProblem.MALFORMED
    assert check("m1", expires, signature, secret="") == LinkProblem.NOT_CONFIGURED
    far = int((NOW + 2 * DAY).timestamp())
    assert check("m1", far, link_signature(SECRET, "m1", far)) == LinkProblem.TOO_LONG


def test_the_signature_is_the_documented_hmac() -> None:
    # docs/portal.md: hex(HMAC-SHA256(secret, "<member>:<expires>"))
    assert link_signature("key", "1043", 1767225600) == (
        "3c692e16dca4f383aaabb672afb2ab8250b962dfb904e42d18a22ebe64857e8a"
    )
