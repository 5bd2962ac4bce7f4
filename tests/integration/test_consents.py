"""The consent registry on a real database: random grants and withdrawals leave the
newest recorded change as the current consent and a trail numbered without gaps; changes
and text versions made at the same moment from many requests are all kept, in order."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork
from loyalist.members import consents, service
from loyalist.members.models import Consent, ConsentChange, Locale
from loyalist.members.schemas import MemberProfile, TextRef
from loyalist.staff.models import Scope
from loyalist.staff.service import create_api_key
from tests.conftest import START
from tests.integration.test_checkout_concurrency import together

TEXTS = [TextRef(locale=Locale.EN, version=v, sha256=str(v) * 64) for v in (1, 2)]

#: Choices in arrival order: (purpose, granted, minutes before now, text or None).
choices = st.lists(
    st.tuples(
        st.sampled_from(["processing", "email", "transfer.smsru"]),
        st.booleans(),
        st.integers(0, 3),
        st.none() | st.sampled_from(TEXTS),
    ),
    min_size=1,
    max_size=15,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(arriving=choices, batched=st.booleans())
def test_the_current_consent_is_the_newest_recorded_change_and_the_trail_has_no_gaps(
    app: Loyalist, arriving: list[tuple[str, bool, int, TextRef | None]], batched: bool
) -> None:
    external = f"M-{uuid.uuid4().hex[:12]}"

    def enrol(uow: UnitOfWork) -> int:
        return service.upsert_member(uow, external, MemberProfile(), source="test")[0].id

    member = app.db.write(enrol)
    made = [
        consents.Choice(
            member,
            purpose,
            granted,
            consents.Evidence("test", START - timedelta(minutes=minutes), text=text),
        )
        for purpose, granted, minutes, text in arriving
    ]
    if batched:
        app.db.write(lambda uow: consents.record(uow, made))
    else:
        for choice in made:
            app.db.write(lambda uow, c=choice: consents.record(uow, [c]))  # type: ignore[misc]

    def facts(uow: UnitOfWork) -> tuple[dict[str, tuple[Any, ...]], list[tuple[Any, ...]]]:
        held = {
            c.purpose: (c.is_granted, c.changed_at, c.text_version)
            for c in uow.session.scalars(select(Consent).where(Consent.member_id == member))
        }
        trail = [
            (c.purpose, c.seq, c.is_granted, c.changed_at, c.text_version)
            for c in uow.session.scalars(
                select(ConsentChange).where(ConsentChange.member_id == member)
            )
        ]
        return held, trail

    held, trail = app.db.read(facts)
    assert sorted(seq for _, seq, *_ in trail) == list(range(1, len(trail) + 1))
    assert {purpose for purpose, *_ in trail} == {purpose for purpose, *_ in arriving}
    assert set(held) == {purpose for purpose, *_ in trail}
    for purpose, current in held.items():
        rows = [row for row in trail if row[0] == purpose]
        newest = max(rows, key=lambda row: (row[3], row[1]))
        assert current == (newest[2], newest[3], newest[4])
    shown = app.db.read(lambda uow: consents.member_consents(uow, member, external, limit=100))
    assert [(h.purpose, h.changed_at) for h in shown.history] == [
        (row[0], row[3]) for row in sorted(trail, key=lambda row: (row[3], row[1]), reverse=True)
    ]


def test_changes_of_one_member_from_many_requests_at_once_are_all_kept_in_sequence(
    app: Loyalist,
) -> None:
    token = app.db.write(lambda uow: create_api_key(uow, "shop", [Scope.ADMIN])[1])
    headers = {"Authorization": f"Bearer {token}"}
    setup: list[tuple[str, str, Any, dict[str, str]]] = [
        ("PUT", "/api/v1/members/M1", {}, headers),
        *(
            (
                "POST",
                "/api/v1/consent-texts",
                {"purpose": "processing", "locale": "en", "text": f"I consent ({v})."},
                headers,
            )
            for v in range(8)
        ),
    ]
    for request in setup:
        assert together(app, [request])[0].status_code == 201

    answers = together(
        app,
        [
            (
                "PUT",
                "/api/v1/members/M1/consents/processing",
                {"is_granted": True, "text": {"version": v}, "source": f"request {v}"},
                headers,
            )
            for v in range(1, 9)
        ],
    )

    assert [a.status_code for a in answers] == [200] * 8
    trail = app.db.read(
        lambda uow: [
            (row.seq, row.text_version)
            for row in uow.session.scalars(select(ConsentChange).order_by(ConsentChange.seq))
        ]
    )
    assert [seq for seq, _ in trail] == list(range(1, 9))
    assert sorted(version or 0 for _, version in trail) == list(range(1, 9))


def test_versions_published_at_once_are_numbered_one_after_another(app: Loyalist) -> None:
    token = app.db.write(lambda uow: create_api_key(uow, "shop", [Scope.ADMIN])[1])
    headers = {"Authorization": f"Bearer {token}"}
    answers = together(
        app,
        [
            (
                "POST",
                "/api/v1/consent-texts",
                {"purpose": "email", "locale": "ru", "text": f"Версия {i}"},
                headers,
            )
            for i in range(8)
        ],
    )
    assert [a.status_code for a in answers] == [201] * 8
    assert sorted(a.json()["version"] for a in answers) == list(range(1, 9))
    texts = app.db.read(lambda uow: consents.list_texts(uow, "email", Locale.RU))
    assert {(t.version, t.text) for t in texts} == {
        (a.json()["version"], a.json()["text"]) for a in answers
    }
