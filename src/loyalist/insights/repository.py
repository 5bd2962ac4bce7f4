"""Insights queries: read-only, over other domains' tables (the one domain allowed to)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from loyalist.activities.models import SurveyAnswer
from loyalist.members.models import Member


def first_answers(
    session: Session, start: datetime | None, end: datetime | None
) -> Iterator[tuple[int, int, str | None, datetime]]:
    """``(member_id, score, channel, answered_at)`` of first answers with a score in
    ``[start, end)``, oldest first."""
    query = select(
        SurveyAnswer.member_id, SurveyAnswer.score, SurveyAnswer.channel, SurveyAnswer.answered_at
    ).where(SurveyAnswer.is_first.is_(True), SurveyAnswer.score.is_not(None))
    if start is not None:
        query = query.where(SurveyAnswer.answered_at >= start)
    if end is not None:
        query = query.where(SurveyAnswer.answered_at < end)
    query = query.order_by(SurveyAnswer.answered_at, SurveyAnswer.id)
    rows: Any = session.execute(query.execution_options(yield_per=5_000))
    for member_id, score, channel, answered_at in rows:
        yield int(member_id), int(score), channel, answered_at


def member_segments(session: Session, member_ids: Iterable[int]) -> dict[int, list[str]]:
    wanted = sorted(set(member_ids))
    found: dict[int, list[str]] = {}
    for start in range(0, len(wanted), 500):
        rows: Any = session.execute(
            select(Member.id, Member.segments).where(Member.id.in_(wanted[start : start + 500]))
        )
        found.update({int(pk): list(segments or ()) for pk, segments in rows})
    return found
