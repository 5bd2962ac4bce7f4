"""A small NPS dataset whose figures are computed by hand in the tests that use it.

First answers with a score (the ones that count):

| member | tier   | segments | answered   | score | channel |
| ---    | ---    | ---      | ---        | ---   | ---     |
| M1     | gold   | eu, vip  | 2026-01-10 | 10    | email   |
| M2     | member | eu       | 2026-01-12 | 9     | web     |
| M3     | member | —        | 2026-01-15 | 7     | web     |
| M4     | member | vip      | 2026-02-03 | 3     | app     |
| M5     | member | —        | 2026-02-06 | 6     | —       |

Not counted: M1's second answer to nps-q1 (score 0) and M5's answer to nps-q1 without a
score.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.members import service as members
from loyalist.tiers.schemas import TierLevel, TierProgram
from loyalist.tiers.service import apply_program
from tests.conftest import event
from tests.integration.helpers import member_pk, send

TIERS = TierProgram(
    levels=[
        TierLevel(key="member", name={"en": "Member", "ru": "Участник"}),
        TierLevel(key="gold", name={"en": "Gold", "ru": "Золото"}),
    ],
    plans={"club": "gold"},
)


def at(month: int, day: int, hour: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def answer(
    event_id: str, member: str, when: datetime, score: int | None, channel: str | None, survey: str
) -> dict[str, Any]:
    data: dict[str, Any] = {"survey_id": survey}
    if score is not None:
        data["score"] = score
    if channel is not None:
        data["channel"] = channel
    return event(event_id, "survey.answered", member, when, **data)


def load(app: Loyalist, clock: ManualClock) -> None:
    """Members, tiers, segments and answers of the table above (clock set to 1 March)."""
    clock.set(at(3, 1))
    app.db.write(lambda uow: apply_program(uow, TIERS))
    send(app, *(event(f"e{n}", "member.enrolled", f"M{n}", at(1, 1)) for n in range(1, 6)))
    send(
        app,
        event(
            "club1",
            "membership.started",
            "M1",
            at(1, 2),
            membership_id="ms1",
            plan="club",
            period_end="2026-12-31T00:00:00Z",
        ),
    )
    segments = {"M1": ["vip", "eu"], "M2": ["eu"], "M4": ["vip"]}
    pks = {m: member_pk(app, m) for m in segments}
    app.db.write(lambda uow: members.set_segments(uow, {pks[m]: s for m, s in segments.items()}))
    send(
        app,
        answer("a1", "M1", at(1, 10), 10, "email", "nps-q1"),
        answer("a2", "M2", at(1, 12), 9, "web", "nps-q1"),
        answer("a3", "M3", at(1, 15), 7, "web", "nps-q1"),
        answer("a1b", "M1", at(1, 20), 0, "email", "nps-q1"),
        answer("a4", "M4", at(2, 3), 3, "app", "nps-q1"),
        answer("a5", "M5", at(2, 5), None, "web", "nps-q1"),
        answer("a5b", "M5", at(2, 6), 6, None, "nps-q2"),
    )
