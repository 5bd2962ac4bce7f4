"""``GET /api/v1/members?segment=…``: a segment's members a page at a time (keyset paging by
the shop's member id), masked for callers without ``members.read_pii``."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from loyalist.staff.service import create_api_key
from tests.api.conftest import assert_problem, bearer
from tests.conftest import START, event

V1 = "/api/v1"


def _enrol(client: TestClient, admin: dict[str, str], count: int, prefix: str = "S") -> list[str]:
    ids = [f"{prefix}{i:03d}" for i in range(count)]
    batch = [
        event(f"enrol-{m}", "member.enrolled", m, START, email=f"{m.lower()}@example.org")
        for m in ids
    ]
    sent = client.post(f"{V1}/events", json=batch, headers=admin)
    assert sent.status_code in (200, 201, 202), sent.text
    return ids


def _segment(app: Loyalist, holders: dict[str, list[str]]) -> None:
    def op(uow: UnitOfWork) -> None:
        ids = members.member_ids(uow, list(holders))
        members.set_segments(uow, {ids[m]: keys for m, keys in holders.items()})

    app.db.write(op)


def _all_pages(client: TestClient, headers: dict[str, str], segment: str, limit: int) -> list[str]:
    seen: list[str] = []
    after: str | None = None
    for _ in range(100):
        params: dict[str, str | int] = {"segment": segment, "limit": limit}
        if after is not None:
            params["after"] = after
        answer = client.get(f"{V1}/members", params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert len(body["items"]) <= limit
        seen += [m["id"] for m in body["items"]]
        after = body["next_after"]
        if after is None:
            return seen
    raise AssertionError("paging did not end")


def _support(app: Loyalist) -> dict[str, str]:
    def op(uow: UnitOfWork) -> str:
        return create_api_key(uow, "support", [], role="support")[1]

    return bearer(app.db.write(op))


class TestSegmentList:
    def test_pages_through_the_segment_in_member_id_order(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        ids = _enrol(client, admin, 12)
        holders = {m: ["at_risk"] for m in ids[::2]} | {m: ["vip"] for m in ids[1::2]}
        holders[ids[3]] = ["vip", "at_risk"]
        _segment(app, holders)
        wanted = sorted(m for m, keys in holders.items() if "at_risk" in keys)

        assert _all_pages(client, admin, "at_risk", 2) == wanted
        assert _all_pages(client, admin, "at_risk", 200) == wanted
        assert _all_pages(client, admin, "nobody_holds_this", 5) == []

    def test_members_are_masked_without_read_pii(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        ids = _enrol(client, admin, 2, prefix="P")
        _segment(app, {ids[0]: ["at_risk"]})

        masked = client.get(f"{V1}/members?segment=at_risk", headers=_support(app)).json()
        full = client.get(f"{V1}/members?segment=at_risk", headers=admin).json()

        assert [m["id"] for m in masked["items"]] == [ids[0]]
        assert masked["items"][0]["email"] != f"{ids[0].lower()}@example.org"
        assert "email" in masked["items"][0]["masked"]
        assert full["items"][0]["email"] == f"{ids[0].lower()}@example.org"
        assert masked["next_after"] is None

    def test_segment_with_a_lookup_or_a_bad_limit_is_refused(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        both = client.get(f"{V1}/members?segment=at_risk&email=a@example.org", headers=admin)
        big = client.get(f"{V1}/members?segment=at_risk&limit=1000", headers=admin)
        empty = client.get(f"{V1}/members?segment=", headers=admin)

        assert_problem(both, 422, "lookup_invalid", "#query/email")
        assert big.status_code == 422
        assert empty.status_code == 422

    @settings(
        max_examples=10,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(limit=st.integers(1, 7), marks=st.lists(st.booleans(), min_size=9, max_size=9))
    def test_every_holder_exactly_once_whatever_the_page_size(
        self,
        app: Loyalist,
        client: TestClient,
        admin: dict[str, str],
        limit: int,
        marks: list[bool],
    ) -> None:
        ids = [f"H{i:03d}" for i in range(9)]
        if not app.db.read(lambda uow: members.member_ids(uow, ids)):
            _enrol(client, admin, 9, prefix="H")
        _segment(
            app, {m: ["lapsed"] if mark else ["x"] for m, mark in zip(ids, marks, strict=True)}
        )

        seen = _all_pages(client, admin, "lapsed", limit)

        assert seen == sorted(m for m, mark in zip(ids, marks, strict=True) if mark)
