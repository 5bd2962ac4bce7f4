"""Citus readiness: every statement a representative day runs on a per-member table names its
member (``member_id`` equal to or in a list of values), so Citus can route it to one shard;
those that cannot by design are listed, each with its reason, in ``citus_multishard.txt``
(docs/citus.md). A new statement that would not route fails here with its SQL."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from types import FrameType
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, event
from starlette.testclient import TestClient

import loyalist
from loyalist.api.app import create_app
from loyalist.bootstrap import Loyalist, metadata
from loyalist.clock import ManualClock
from tests.api.conftest import bearer, make_key
from tests.conftest import START, order_body
from tests.conftest import event as wire_event

ALLOWED = Path(__file__).with_name("citus_multishard.txt")
DOC = Path(__file__).parents[2] / "docs" / "citus.md"
SOURCE = str(Path(loyalist.__file__ or "").parent)
CART: dict[str, Any] = {
    "currency": "EUR",
    "lines": [{"sku": "A", "category": "cat", "quantity": 2, "unit_price": 3000}],
}


def per_member_tables() -> frozenset[str]:
    """The tables Citus would distribute by member: ``members`` (by ``id``) and every table
    whose ``member_id`` is never NULL (a distribution column cannot be: the audit trail
    and the coupons' codes and redemptions, where it may be, are not distributed by it;
    docs/citus.md)."""
    tables = metadata().sorted_tables
    return frozenset(
        {"members"} | {t.name for t in tables if "member_id" in t.c and not t.c.member_id.nullable}
    )


# -- what a statement touches and whether it names its member -------------------------------
def normalised(sql: str) -> str:
    """``sql`` with every value a ``?`` and lists of them one ``(?)``, on one line."""
    shape = re.sub(r"%\(\w+\)[sbt]|%[sbt]|\$\d+", "?", sql)
    shape = re.sub(r"'(?:[^']|'')*'", "?", shape)
    shape = re.sub(r"(?<![\w.])\d+(?:\.\d+)?\b", "?", shape)
    shape = re.sub(r"\s+", " ", shape).strip()
    shape = re.sub(r"\(\?(?:, \?)+\)", "(?)", shape)
    return re.sub(r"\(\?\)(?:, \(\?\))+", "(?)", shape)


_NAME = r"[a-z_][a-z0-9_]*"
#: A table (not a function call: ``unnest(...)``) after FROM, JOIN, INTO or UPDATE, and the
#: others of a comma-separated FROM list.
_TABLE = rf"{_NAME}(?![\w.(])(?:\s+AS\s+{_NAME}(?!\())?"
_FROM = re.compile(rf"\b(?:FROM|JOIN|INTO|UPDATE)\s+({_TABLE}(?:\s*,\s*{_TABLE})*)", re.IGNORECASE)
#: A filter on one member or a list of them: ``member_id = ?``, ``IN (?, …)``, ``= ANY(?)``,
#: or a join to the rows of an array parameter, ``… FROM unnest(?) AS u(member_id, …) WHERE
#: t.member_id = u.member_id`` (the batch paths' form of the same list).
_MEMBER_FILTER = re.compile(
    r"\b(?:member_id|members\.id)\s*(?:=\s*\?|IN\s*\(\s*\?|=\s*ANY\s*\(\s*\?"
    r"|=\s*u\.(?:member_id|id)\b)"
    r"|\((?:\w+\.)?member_id\b[^()]*\) IN \(\(\?",
    re.IGNORECASE,
)
#: Rows given as values: VALUES lists, COPY, or ``SELECT … FROM unnest(?, …) AS u(…)`` alone.
_INSERT = re.compile(
    rf"^(?:INSERT INTO ({_NAME}) \(([^)]*)\) (?:VALUES|SELECT [^;]*? FROM unnest\([^;]*\) AS u\()"
    rf"|COPY ({_NAME}) \(([^)]*)\) FROM STDIN)",
    re.IGNORECASE,
)


def tables_of(shape: str) -> set[str]:
    found: set[str] = set()
    for match in _FROM.finditer(shape):
        for item in match.group(1).split(","):
            found.add(item.split()[0].lower())
    return found


def routes(shape: str, tables: set[str]) -> bool:
    """Whether Citus could send the statement to one shard (per row for a multi-row
    INSERT): an INSERT of values that carry their member, or a statement filtering on one
    member or a list of them (co-located joins follow the filtered member)."""
    inserted = _INSERT.match(shape)
    if inserted and len(tables) == 1:
        table = inserted.group(1) or inserted.group(3)
        columns = {
            c.strip().strip('"') for c in (inserted.group(2) or inserted.group(4)).split(",")
        }
        return table == "members" or "member_id" in columns
    if _MEMBER_FILTER.search(shape):
        return True
    # The members table alone, by its own key without the table's name.
    alone = re.search(r"\bWHERE id (?:= \?|IN \(\?|= ANY\(\?)", shape)
    return tables == {"members"} and alone is not None


def caller() -> str:
    """The innermost function of the application outside ``loyalist.db`` on the stack (of
    ``loyalist.db`` when the unit runs on a thread of the pool with nothing else)."""
    found = "?"
    frame: FrameType | None = sys._getframe(2)
    while frame is not None:
        path = frame.f_code.co_filename
        if path.startswith(SOURCE):
            name = f"{frame.f_globals['__name__']}:{frame.f_code.co_qualname}"
            if not path.startswith(f"{SOURCE}/db/"):
                return name
            found = name if found == "?" else found
        frame = frame.f_back
    return found


@dataclass(frozen=True, slots=True, order=True)
class Shape:
    """A kind of statement that would not route: where it comes from, its verb and the
    per-member tables it touches (one line of the allow-list)."""

    caller: str
    verb: str
    tables: str

    def line(self) -> str:
        return f"{self.caller} {self.verb} {self.tables}"


def allowed() -> dict[Shape, str]:
    """The reviewed shapes of ``citus_multishard.txt``: ``caller verb tables  # reason``."""
    found: dict[Shape, str] = {}
    for raw in ALLOWED.read_text().splitlines():
        body, _, reason = raw.partition("#")
        if not body.strip():
            continue
        caller_, verb, tables = body.split()
        assert reason.strip(), f"{ALLOWED.name}: {raw!r} gives no reason"
        found[Shape(caller_, verb, tables)] = reason.strip()
    return found


@dataclass
class Capture:
    """Every statement that touches a per-member table and would not route, by shape."""

    per_member: frozenset[str]
    seen: int = 0
    found: dict[Shape, str] = field(default_factory=dict)

    def record(self, statement: Any, cursor: Any) -> None:
        if isinstance(statement, bytes):
            statement = statement.decode()
        elif not isinstance(statement, str):  # psycopg.sql.Composable
            statement = statement.as_string(cursor)
        shape = normalised(statement)
        tables = tables_of(shape)
        touched = sorted(tables & self.per_member)
        if not touched:
            return
        self.seen += 1
        if not routes(shape, tables):
            verb = shape.split(" ", 1)[0].upper()
            self.found.setdefault(Shape(caller(), verb, ",".join(touched)), shape)

    def watch(self, connection: psycopg.Connection[Any]) -> None:
        """Show this capture every statement ``connection`` runs: the ORM's, those the hot
        paths run on the driver's own cursor (``db.raw``, COPY in ``db.bulk``) and the
        streamed reads of exports and jobs (server-side cursors)."""
        capture = self

        class Recording(psycopg.Cursor[Any]):
            def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
                capture.record(query, self)
                return super().execute(query, *args, **kwargs)

            def executemany(self, query: Any, *args: Any, **kwargs: Any) -> None:
                capture.record(query, self)
                super().executemany(query, *args, **kwargs)

            def copy(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
                capture.record(statement, self)
                return super().copy(statement, *args, **kwargs)

        class Streaming(psycopg.ServerCursor[Any]):
            def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
                capture.record(query, self)
                return super().execute(query, *args, **kwargs)

        connection.cursor_factory = Recording
        connection.server_cursor_factory = Streaming


@pytest.fixture
def postgresql_app(app: Loyalist) -> Loyalist:
    if app.db.is_sqlite:
        pytest.skip("Citus distributes PostgreSQL tables; SQLite has one file")
    return app


@pytest.fixture
def captured(postgresql_app: Loyalist) -> Iterator[Capture]:
    capture = Capture(per_member_tables())

    def connected(dbapi_connection: Any, _record: Any) -> None:
        capture.watch(dbapi_connection)

    engines: list[Engine] = [postgresql_app.db.write_engine, postgresql_app.db.analysis_engine]
    for engine in engines:
        event.listen(engine, "connect", connected)
        engine.dispose()  # the connections opened so far do not record
    yield capture
    for engine in engines:
        event.remove(engine, "connect", connected)


def a_day(app: Loyalist, clock: ManualClock, client: TestClient, admin: dict[str, str]) -> None:
    """Members enrol, order, pay, receive, return, spend and redeem a coupon; balances are
    read; then due work runs until nothing is due, before and after points mature."""

    def post(path: str, body: Any, *, key: str | None = None) -> None:
        headers = admin | ({"Idempotency-Key": key} if key else {})
        response = client.post(path, json=body, headers=headers)
        assert response.is_success, response.text

    for n in range(1, 4):
        member, order = f"M{n}", f"o{n}"
        post("/api/v1/events", wire_event(f"enrol-{n}", "member.enrolled", member, START))
        placed = order_body(order, ("A", 2, 3_000), ("B", 1, 2_000))
        post("/api/v1/events", wire_event(f"placed-{n}", "order.placed", member, START, **placed))
        post("/api/v1/events", wire_event(f"paid-{n}", "order.paid", member, START, **placed))
        post(
            "/api/v1/events",
            wire_event(f"delivered-{n}", "order.delivered", member, START, order_id=order),
        )
    post(
        "/api/v1/events",
        wire_event(
            "returned-1",
            "order.returned",
            "M1",
            START,
            order_id="o1",
            return_id="r1",
            lines=[{"sku": "B", "quantity": 1}],
        ),
    )
    post(
        "/api/v1/members/M2/points/adjustments",
        {"points": 5_000, "reason": "opening balance"},
        key="adjust-M2",
    )
    post("/api/v1/members/M2/points/redemptions", {"points": 100}, key="spend-M2")
    redemption = {"code": "TENOFF", "member_id": "M3", "order_id": "o9", "cart": CART}
    post("/api/v1/coupons/redemptions", redemption, key="coupon-M3")
    assert client.get("/api/v1/members/M1/points", headers=admin).status_code == 200
    for step in (timedelta(hours=15), timedelta(days=40)):
        clock.advance(step)
        for _ in range(30):
            if not app.run_due_work().did_work:
                break


def test_every_per_member_statement_routes_or_is_listed(
    postgresql_app: Loyalist, clock: ManualClock, captured: Capture
) -> None:
    app = postgresql_app
    admin = bearer(make_key(app, "citus", "admin"))
    client = TestClient(create_app(app, embedded_worker=False))
    coupon = {
        "name": {"en": "Ten off", "ru": "Минус десять"},
        "discount": {"type": "fixed", "amount": 1000, "currency": "EUR"},
        "code_mode": "generic",
        "code": "TENOFF",
    }
    assert client.put("/api/v1/coupon-campaigns/tenoff", json=coupon, headers=admin).is_success

    a_day(app, clock, client, admin)

    found = captured.found
    reviewed = allowed()
    new = {shape: sql for shape, sql in found.items() if shape not in reviewed}
    stale = sorted(shape.line() for shape in reviewed if shape not in found)
    assert captured.seen > 100  # the scenario ran the per-member statements it should
    assert not new, "statements that would not route under Citus (add a reviewed reason to " + (
        f"{ALLOWED.name} or filter by member_id):\n"
        + "\n".join(f"{shape.line()}\n    {sql}" for shape, sql in sorted(new.items()))
    )
    assert not stale, f"{ALLOWED.name} lists shapes the scenario no longer runs: {stale}"


def documented_groups() -> dict[str, list[str]]:
    """The tables each ``###`` group of docs/citus.md's "Tables" section names, in order."""
    section = DOC.read_text().split("\n## Tables\n", 1)[1].split("\n## ", 1)[0]
    groups: dict[str, list[str]] = {}
    for part in section.split("\n### ")[1:]:
        title, _, body = part.partition("\n")
        paragraphs = [p for p in body.split("\n\n") if p.strip().startswith("`")]
        groups[title] = re.findall(r"`([a-z_]+)`", paragraphs[0]) if paragraphs else []
    return groups


def test_the_citus_page_places_every_table_once() -> None:
    groups = documented_groups()
    listed = [name for names in groups.values() for name in names]
    assert sorted(set(listed)) == sorted(listed)  # no table in two groups
    assert set(listed) | {"members"} == {t.name for t in metadata().sorted_tables}
    assert set(groups["Distributed by member"]) | {"members"} == per_member_tables()


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT point_lots.id FROM point_lots WHERE point_lots.member_id = %(m)s", True),
        ("SELECT x FROM point_lots WHERE point_lots.member_id IN (%(a)s, %(b)s)", True),
        ("SELECT x FROM point_lots WHERE member_id = ANY(%(ids)s)", True),
        ("SELECT members.id FROM members WHERE members.id = %(id)s", True),
        ("INSERT INTO orders (member_id, total) VALUES (%s, %s), (%s, %s)", True),
        ("COPY point_lots (id, member_id, amount) FROM STDIN", True),
        ("SELECT x FROM point_lots WHERE point_lots.expires_at <= %(now)s", False),
        ("SELECT x FROM point_lots JOIN members ON members.id = point_lots.member_id", False),
        ("UPDATE point_lots SET amount=%(a)s WHERE point_lots.id = %(id)s", False),
        ("INSERT INTO tier_changes (member_id) SELECT member_id FROM member_tiers", False),
        (
            "INSERT INTO point_lots (id, member_id) SELECT u.id, u.member_id "
            "FROM unnest(%b::bigint[], %b::bigint[]) AS u(id, member_id)",
            True,
        ),
        (
            "UPDATE member_points SET available = u.available FROM unnest(%b::bigint[], "
            "%b::bigint[]) AS u(member_id, available) WHERE member_points.member_id = u.member_id",
            True,
        ),
        (
            "UPDATE point_lots SET held = u.held FROM unnest(%b::bigint[], %b::bigint[]) "
            "AS u(id, held) WHERE point_lots.id = u.id",
            False,
        ),
        ("SELECT id FROM members WHERE external_id = %s", False),
        ("SELECT x FROM messages WHERE (messages.member_id, messages.id) IN ((%s, %s))", True),
    ],
)
def test_a_statement_routes_when_it_names_its_member(sql: str, expected: bool) -> None:
    shape = normalised(sql)
    assert routes(shape, tables_of(shape)) is expected
