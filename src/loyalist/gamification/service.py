"""Gamification use cases: managing definitions and what a member sees of their game."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from loyalist.coupons import service as coupons
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError
from loyalist.gamification import backfill, definitions, policy, repository
from loyalist.gamification.definitions import DefinitionError
from loyalist.gamification.errors import NOT_FOUND, GamificationInvalidError
from loyalist.gamification.models import DefinitionKind, GameDefinition
from loyalist.gamification.schemas import QuestSpec, Spec
from loyalist.i18n import pick_locale
from loyalist.ledger.balances import points_summary
from loyalist.settings import ProgramPolicy


# -- definitions --------------------------------------------------------------------------
def put_definition(
    uow: UnitOfWork, kind: DefinitionKind, key: str, spec: Spec
) -> tuple[GameDefinition, bool]:
    """Create or replace a definition; an identical body changes nothing (same version).
    Returns the row and whether it was created. The first active badge, quest or streak
    (none was active before) makes the statistics backfill due.

    Raises:
        InvalidRequestError: ``gamification_invalid`` with the pointer of an expression
            that does not compile or of a coupon campaign that does not exist.
    """
    errors = spec_errors(kind, spec)
    if errors:
        raise GamificationInvalidError(f"{kind} {key!r}: {errors[0].detail}", errors=errors)
    if (
        isinstance(spec, QuestSpec)
        and spec.reward.coupon is not None
        and coupons.find_campaign(uow, spec.reward.coupon) is None
    ):
        raise GamificationInvalidError(
            f"quest {key!r}: no coupon campaign {spec.reward.coupon!r}",
            errors=[FieldError("/reward/coupon", "no coupon campaign has this key")],
        )
    stored = spec.model_dump(mode="json")
    was_active = repository.has_active_reactions(uow.session)
    row = repository.definition(uow.session, kind, key)
    created = row is None
    if row is None:
        row = GameDefinition(
            kind=kind,
            key=key,
            spec=stored,
            version=1,
            is_active=spec.is_active,
            created_at=uow.now,
            updated_at=uow.now,
        )
        uow.session.add(row)
    elif row.spec != stored:
        row.spec = stored
        row.version += 1
        row.is_active = spec.is_active
        row.updated_at = uow.now
    uow.session.flush()
    definitions.forget(uow)
    if not was_active and row.is_active and kind != DefinitionKind.LEVEL:
        # Gamification becomes active: count what members did before (statistics only).
        backfill.schedule(uow)
    return row, created


def spec_errors(kind: DefinitionKind, spec: Spec) -> list[FieldError]:
    """What :func:`put_definition` refuses without reading the database: an expression
    that does not compile (its pointer within the spec, the message and the expression)."""
    try:
        definitions.compile_spec(kind, spec)
    except DefinitionError as exc:
        return [FieldError(exc.path, f"{exc.error.message}: `{exc.error.expression}`")]
    return []


def get_definition(uow: UnitOfWork, kind: DefinitionKind, key: str) -> GameDefinition:
    """Raises:
    NotFoundError: ``<kind>_not_found``."""
    row = repository.definition(uow.session, kind, key)
    if row is None:
        raise NOT_FOUND[kind](f"no {kind} {key!r}")
    return row


def list_definitions(uow: UnitOfWork, kind: DefinitionKind) -> Sequence[GameDefinition]:
    return repository.definitions(uow.session, kind)


def deactivate(uow: UnitOfWork, kind: DefinitionKind, key: str) -> GameDefinition:
    """Stop a definition (``is_active: false``); what members earned from it stays.

    Raises:
        NotFoundError: ``<kind>_not_found``.
    """
    row = get_definition(uow, kind, key)
    if row.is_active:
        row.spec = {**row.spec, "is_active": False}
        row.is_active = False
        row.version += 1
        row.updated_at = uow.now
        definitions.forget(uow)
    return row


def definition_view(row: GameDefinition) -> dict[str, Any]:
    return {
        "kind": row.kind,
        "key": row.key,
        "version": row.version,
        **row.spec,
        "is_active": row.is_active,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


# -- what a member sees -------------------------------------------------------------------
def _text(name: dict[str, Any] | None, lang: str) -> str | None:
    if not name:
        return None
    return str(name.get(lang) or name.get("en") or "")


def _specs(uow: UnitOfWork, kind: DefinitionKind) -> dict[str, dict[str, Any]]:
    return {r.key: r.spec for r in repository.definitions(uow.session, kind)}


def member_quests(
    uow: UnitOfWork, member_id: int, program: ProgramPolicy, locale: str | None
) -> list[dict[str, Any]]:
    """Every active quest in its current period (a fixed one while it runs), with the
    member's steps done and needed, and what completing it gives."""
    lang = pick_locale(locale)
    defs = definitions.active(uow)
    rows = {(p.quest, p.period): p for p in repository.member_progress(uow.session, member_id)}
    items = []
    for quest in defs.quests:
        spec = quest.spec
        period = policy.quest_period(
            spec.period.type, spec.period.starts_at, spec.period.ends_at, uow.now, program.zone
        )
        if period is None:
            continue
        row = rows.get((quest.key, period.key))
        done = policy.advance_steps(row.steps if row else [], quest.targets, [])
        items.append(
            {
                "key": quest.key,
                "name": _text(spec.name.model_dump(), lang),
                "description": _text(spec.description.model_dump(), lang)
                if spec.description
                else None,
                "period": {
                    "key": period.key,
                    "starts_at": period.starts_at,
                    "ends_at": period.ends_at,
                },
                "steps": [
                    {
                        "event": step.event,
                        "name": _text(step.name.model_dump(), lang) if step.name else None,
                        "done": count,
                        "needed": step.count,
                    }
                    for step, count in zip(spec.steps, done, strict=True)
                ],
                "is_completed": row is not None and row.completed_at is not None,
                "completed_at": row.completed_at if row else None,
                "reward": spec.reward.model_dump(exclude_none=True),
            }
        )
    return items


def member_gamification(
    uow: UnitOfWork, member_id: int, program: ProgramPolicy, locale: str | None
) -> dict[str, Any]:
    """Badges with dates, quests in progress, streaks (current and best) and the level."""
    lang = pick_locale(locale)
    badge_specs = _specs(uow, DefinitionKind.BADGE)
    badges = [
        {
            "key": b.badge,
            "name": _text(badge_specs.get(b.badge, {}).get("name"), lang) or b.badge,
            "description": _text(badge_specs.get(b.badge, {}).get("description"), lang),
            "awarded_at": b.awarded_at,
        }
        for b in repository.member_badges(uow.session, member_id)
    ]
    defs = definitions.active(uow)
    held = repository.streaks_of(uow.session, [member_id])
    streaks = []
    for streak in defs.streaks:
        row = held.get((member_id, streak.key))
        now_index = policy.period_of(streak.spec.period, uow.now, program.zone).index
        # A run counted in the other kind of period (the definition was edited) is over.
        same = row is not None and row.last_period.startswith(streak.spec.period[0])
        streaks.append(
            {
                "key": streak.key,
                "name": _text(streak.spec.name.model_dump(), lang),
                "period": streak.spec.period,
                "current": policy.current_streak(
                    row.current if row and same else 0,
                    row.last_index if row and same else None,
                    now_index,
                ),
                "best": row.best if row else 0,
                "last_period": row.last_period if row else None,
            }
        )
    stats = repository.stats_of(uow.session, member_id)
    return {
        "locale": lang,
        "badges": badges,
        "quests": member_quests(uow, member_id, program, lang),
        "streaks": streaks,
        "level": _level(uow, member_id, program, defs, lang),
        "stats": {
            "orders": stats.orders_count if stats else 0,
            "categories": len(stats.categories or ()) if stats else 0,
            "reviews": len(stats.reviews or ()) if stats else 0,
            "surveys": len(stats.surveys or ()) if stats else 0,
            "referrals": stats.referrals_count if stats else 0,
            "quests": stats.quests_count if stats else 0,
            "badges": len(badges),
        },
    }


def _level(
    uow: UnitOfWork,
    member_id: int,
    program: ProgramPolicy,
    defs: definitions.Definitions,
    lang: str,
) -> dict[str, Any] | None:
    """The level of the member's lifetime earned points (computed on read); None without
    levels."""
    if not defs.levels:
        return None
    points = int(points_summary(uow, member_id, program)["lifetime_earned"])
    index = policy.level_index([lv.spec.points for lv in defs.levels], points)

    def ref(i: int) -> dict[str, Any]:
        level = defs.levels[i]
        return {
            "key": level.key,
            "name": _text(level.spec.name.model_dump(), lang),
            "points": level.spec.points,
        }

    following = index + 1 if index + 1 < len(defs.levels) else None
    return {
        "points": points,
        "current": ref(index) if index >= 0 else None,
        "next": None
        if following is None
        else {**ref(following), "points_to_go": defs.levels[following].spec.points - points},
    }


def erase_member_statistics(uow: UnitOfWork, member_ids: Sequence[int]) -> None:
    """The members are being erased: their statistics forget which categories they bought
    from and which reviews and surveys counted (the counts, badges, quests and streaks stay:
    figures without content). Called in a unit that does no gamification work."""
    repository.clear_member_lists(uow.session, member_ids)
