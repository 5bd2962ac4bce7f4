"""The member's own pages: home (balance available, pending with when it matures and on
hold; points expiring per lot with their dates; the tier with a progress bar, what the next
tier still needs and what keeps the current one, by when), the history where every line
says why, and the ways to earn generated from the live program.

Each page reads in one unit of work with a few fixed queries (no query per lot or line).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Query
from starlette.requests import Request
from starlette.responses import Response

from loyalist.api.deps import app_of, read
from loyalist.api.paging import make_cursor, parse_cursor
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import balances
from loyalist.members import service as members
from loyalist.rules import programs as rules
from loyalist.tiers import service as tiers
from loyalist.tiers.schemas import TierRead
from loyalist.web.portal import explain, kit

router = kit.portal_router()
#: History lines per page (postings, before an order's are put together).
HISTORY_PAGE = 30


@dataclass(frozen=True, slots=True)
class Standing:
    """The tier part of the home page."""

    read: TierRead
    percent: int  # towards the next tier, by the most advanced figure
    to_keep: dict[str, int]  # what the window still needs to keep the tier


@router.get("/")
async def home(request: Request) -> Response:
    """The member's home page."""
    who = await kit.visitor(request)
    app = app_of(request)
    program = app.program

    def op(uow: UnitOfWork) -> dict[str, Any]:
        member = members.get_member(uow, who.member_id)
        summary = balances.points_summary(uow, member.id, program)
        lots = balances.open_lots(uow, member.id)
        standing = None
        if tiers.export_program(uow).levels:
            found = tiers.read_tier(uow, who.member_id, program.zone, who.locale)
            standing = Standing(
                found, tiers.percent_to_next(uow, found), tiers.needs_to_keep(uow, found)
            )
        return {
            "summary": summary,
            "pending": explain.merged_lots(lots, pending=True),
            "expiring": explain.merged_lots(lots, pending=False),
            "standing": standing,
            "zone": program.zone,
            "last_day": explain.last_day,
        }

    return await kit.member_page(request, "portal/home.html.j2", await read(request, op))


@router.get("/history")
async def history(
    request: Request,
    before: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """Points in and out, newest first, each line saying why."""
    who = await kit.visitor(request)
    program = app_of(request).program
    cursor = parse_cursor(before)

    def op(uow: UnitOfWork) -> dict[str, Any]:
        member = members.get_member(uow, who.member_id)
        entries = balances.history(uow, member.id, who.locale, limit=HISTORY_PAGE, before=cursor)
        specs = rules.rule_specs(uow, explain.rule_versions(entries))
        lines = explain.history_lines(entries, specs, program, rules.base_rule(program), who.locale)
        last = entries[-1] if len(entries) == HISTORY_PAGE else None
        return {
            "lines": lines,
            "next_before": make_cursor(last["at"], last["id"]) if last else None,
            "zone": program.zone,
        }

    return await kit.member_page(request, "portal/history.html.j2", await read(request, op))


@router.get("/earn")
async def earn(request: Request) -> Response:
    """Ways to earn, generated from the rules in force."""
    who = await kit.visitor(request)
    return await kit.member_page(
        request, "portal/earn.html.j2", await read(request, program_view(request, who.locale))
    )


def program_view(request: Request, locale: str) -> Any:
    """The read of the program a member is shown (ways to earn, tiers, points' value)."""
    program = app_of(request).program
    now: datetime = app_of(request).clock.now()

    def op(uow: UnitOfWork) -> dict[str, Any]:
        tier_program = tiers.export_program(uow)
        specs = rules.live_rule_specs(uow, program)
        return {
            "ways": explain.ways_to_earn(specs, tier_program, locale, program.currency, now),
            "tiers": explain.tier_views(tier_program, locale),
            "tier_window": tier_program.window,
            "tier_currency": tier_program.currency,
            "program": program,
            "days": explain.day_names(locale),
        }

    return op
