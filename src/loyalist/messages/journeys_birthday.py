"""The birthday journey: a message on the member's local birthday, once a year, with the
gift rule ``gift_rule`` granted for it, if any.

The gift is not given here: rules give it (their ``birthday`` trigger, run by the rules'
birthday job on the program's date, once per member and year). The message waits until
that job has run for the member (the member's local day and the program's overlap) and
shows what the rule granted then — its points and its coupon — or no gift when it granted
nothing (its condition did not hold). A ``gift_rule`` that is no live birthday rule grants
nothing, so the message goes without a gift.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, timedelta

from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from loyalist.messages import journeys_kit as kit
from loyalist.messages import policy, service
from loyalist.messages.contexts import Gift, TemplateKey
from loyalist.messages.journeyconf import journeys
from loyalist.messages.models import MessageKind
from loyalist.rules import service as rules
from loyalist.settings import ProgramPolicy

JOURNEY = "birthday"


def candidates(uow: UnitOfWork, program: ProgramPolicy) -> list[int]:
    """Members born on a day that is today on some wall clock (UTC−12 … UTC+14), found by
    the birthdays' blind index; 29 February with 28 February in other years."""
    if not journeys(uow).birthday.enabled:
        return []
    now = uow.now
    days = {(now + timedelta(hours=hours)).date() for hours in (-12, 0, 14)}
    found: set[int] = set()
    for day in days:
        found.update(members.members_with_birthday(uow, day.month, day.day))
        if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
            found.update(members.members_with_birthday(uow, 2, 29))
    return sorted(found)


def greet(
    uow: UnitOfWork, member_ids: Sequence[int], program: ProgramPolicy, setup: kit.Setup
) -> int:
    """Queue the birthday message (marketing, ``birthday:<year>``) for these members whose
    local day today is their birthday, once the gift rule's grant is settled. Returns
    messages queued."""
    conf = journeys(uow).birthday
    if not conf.enabled:
        return 0
    now, hours = uow.now, program.messages.freshness_hours
    facts = members.member_facts(uow, member_ids)
    people = kit.recipients(uow, member_ids, program)
    due: dict[int, date] = {}
    for member_id, person in people.items():
        birthday = facts[member_id].birthday if member_id in facts else None
        today = now.astimezone(person.zone).date()
        if birthday is None or policy.celebration_day(birthday, today.year) != today:
            continue
        if policy.due_and_fresh(policy.local_midnight(today, person.zone), now, hours):
            due[member_id] = today
    if conf.gift_rule is not None and due:
        settled = rules.birthdays_settled(
            uow, program, conf.gift_rule, [(m, day.year) for m, day in due.items()]
        )
        due = {m: day for m, day in due.items() if (m, day.year) in settled}
    if not due:
        return 0
    kit.prepare_members(uow, due, program)
    drafts: list[service.MessageDraft] = []
    for member_id, day in sorted(due.items()):
        person = people[member_id]
        drafts += kit.drafts(
            person,
            conf.channels,
            journey=JOURNEY,
            kind=MessageKind.MARKETING,
            key=TemplateKey.BIRTHDAY,
            natural_key=f"birthday:{day.year}",
            context={
                "member": kit.member(uow, person, program),
                "gift": _gift(uow, program, conf.gift_rule, member_id, day, person),
                "shop_url": setup.shop_url,
            },
        )
    return kit.queue(uow, drafts)


def _gift(
    uow: UnitOfWork,
    program: ProgramPolicy,
    rule_key: str | None,
    member_id: int,
    day: date,
    person: kit.Recipient,
) -> Gift | None:
    """What ``rule_key`` granted for this birthday, in the member's language."""
    if rule_key is None:
        return None
    found = rules.birthday_gift(uow, program, rule_key, member_id, day)
    if found is None:
        return None
    locale = person.locale
    code = found.code
    return {
        "description": found.names.get(locale) or found.names.get("en") or rule_key,
        "points": found.points or None,
        "coupon": None
        if code is None
        else {
            "code": code.code,
            "description": code.name.get(locale) or code.name.get("en") or "",
            "expires_on": code.valid_until.astimezone(person.zone).date()
            if code.valid_until
            else None,
        },
    }
