"""The rules' due work: birthday rules, once a year per member."""

from __future__ import annotations

import calendar
from datetime import datetime, time

from loyalist.db.uow import UnitOfWork
from loyalist.ledger import service as ledger
from loyalist.members import service as members
from loyalist.rules import repository
from loyalist.rules.books import RuleBook, current_program
from loyalist.rules.service import award_trigger, birthday_key
from loyalist.settings import ProgramPolicy
from loyalist.tiers import service as tiers


def award_birthdays(uow: UnitOfWork, policy: ProgramPolicy, *, limit: int = 500) -> int:
    """Grant today's birthday rules (program time zone) to members born today, once a year
    each: a claimed trigger key per member and year makes a rerun or a concurrent run a
    no-op. Members born on 29 February celebrate on 28 February in other years.

    Returns how many members got a birthday trigger in this pass (call until 0).
    """
    program = current_program(uow, policy)
    if not program.rules_for("birthday"):
        return 0
    local_now = uow.now.astimezone(policy.zone)
    today = local_now.date()
    ids = members.members_with_birthday(uow, today.month, today.day)
    if today.month == 2 and today.day == 28 and not calendar.isleap(today.year):
        ids = sorted({*ids, *members.members_with_birthday(uow, 2, 29)})
    book = RuleBook.of(uow)
    keys = {birthday_key(member_id, today.year): member_id for member_id in ids}
    fresh = [key for key in sorted(keys) if key not in book.known_triggers]
    taken = repository.existing_triggers(uow.session, fresh)
    todo = [key for key in fresh if key not in taken][:limit]
    if not todo:
        return 0
    chosen = {key: keys[key] for key in todo}
    member_ids = sorted(chosen.values())
    ledger.lock(uow, member_ids)
    claimed = book.claim_triggers(chosen)
    start = datetime.combine(today, time(0), policy.zone)
    book.prepare(program, ["birthday"], [(m, start) for m in member_ids], policy)
    tiers.prepare(uow, member_ids, policy.zone)
    for key in sorted(claimed):
        award_trigger(
            uow,
            book,
            program,
            policy,
            member_id=chosen[key],
            trigger="birthday",
            occurred_at=start,
            data={"date": today.isoformat()},
            event_type="birthday",
            ref=key,
        )
    return len(claimed)
