"""Pure decisions of a broadcast: which arm a member is in, and when their message is due.

An arm is a stable function of the campaign and the member (``hash_share`` of
``"<campaign>:<member id>"``, the same on every run and database): the first
``control_percent`` of the unit interval is the control group, the rest is split among the
variants by weight, in their order. A member who enters the audience again lands in the
same arm.

``send_at`` with an offset is one instant for everybody. Without one it is a wall-clock
time in each member's own zone: a time a spring change skips is read with the offset before
it (02:30 in a 02:00→03:00 gap is 03:30 summer time), a time an autumn change repeats is
its first occurrence (``messages.policy.wall_to_utc``). A member whose local time has
already passed when the campaign starts gets it at the same wall time on their next
local day (``late="next_day"``) or not at all (``late="skip"``).

The audience estimate of a large shop reads a sample of members, not all of them
(``sample_of``): ``SAMPLE_SIZE`` ids drawn at random without replacement from the span of
member ids, the span rounded up to ``SAMPLE_GRAIN`` and the draw seeded by a constant, so
the same members are read again and again (a marketer editing the builder sees figures
move with the audience, not with the draw) until the shop grows past the rounded span. An
id of no member (a gap, or past the highest) is a drawn id that is in no audience: the
share is over ids, so the estimate stays unbiased. A shop whose span is at most the
sample's size is read whole (exact); an audience the database counts by itself (segments
only) is counted exactly up to ``COUNTED_UP_TO`` ids.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Final
from zoneinfo import ZoneInfo

from loyalist.campaigns.models import CONTROL, DEFAULT_ARM
from loyalist.campaigns.schemas import CampaignSpec, Variant
from loyalist.members.policy import hash_share
from loyalist.messages.policy import wall_to_utc

#: Why a send is not made (``campaign_sends.reason``).
LATE = "local_time_passed"
CONVERTED = "converted"
DEADLINE = "deadline_passed"

#: Member ids an estimate of a large shop's audience reads (about ±1.4 % of the shop at 95 %).
SAMPLE_SIZE: Final = 5_000
#: The span of ids a sample is drawn from is rounded up to a multiple of this.
SAMPLE_GRAIN: Final = 1_000
#: Up to this span of member ids, an audience the database counts is counted exactly.
COUNTED_UP_TO: Final = 100_000
_SAMPLE_SEED: Final = "loyalist.campaigns.audience-sample"


@dataclass(frozen=True, slots=True)
class Draw:
    """The member ids an estimate reads (ascending), drawn from ``population`` ids."""

    ids: list[int]
    population: int


def sample_of(first: int, last: int, *, counted: bool, size: int = SAMPLE_SIZE) -> Draw | None:
    """The sample an audience estimate reads for members ``first``..``last`` (ids), or
    None when it reads every member (exact): the span has at most ``size`` ids, or at most
    ``COUNTED_UP_TO`` when the database ``counted`` the audience by itself."""
    span = last - first + 1
    if span <= (max(size, COUNTED_UP_TO) if counted else size):
        return None
    population = -(-span // SAMPLE_GRAIN) * SAMPLE_GRAIN
    # Not a secret: a fixed seed, so every estimate reads the same members.
    drawn = random.Random(_SAMPLE_SEED).sample(range(population), size)
    return Draw(sorted(first + i for i in drawn), population)


def arm_of(
    campaign_key: str, member_id: int, control_percent: Decimal, variants: Sequence[Variant]
) -> str:
    """The member's arm: ``control``, a variant's key, or ``default`` without variants."""
    share = hash_share(f"{campaign_key}:{member_id}")
    control = float(control_percent) / 100
    if share < control:
        return CONTROL
    if not variants:
        return DEFAULT_ARM
    # The rest of the interval, stretched back to [0, 1), split by weight.
    point = (share - control) / (1 - control) * sum(v.weight for v in variants)
    reached = 0
    for variant in variants:
        reached += variant.weight
        if point < reached:
            return variant.key
    return variants[-1].key  # pragma: no cover (float rounding at the very top)


def due_at(
    send_at: datetime | None, start: datetime, zone: ZoneInfo, *, late: str
) -> datetime | None:
    """When a member's message is due (UTC), for a campaign starting at ``start``; None
    when it is skipped (``late="skip"`` and their local time has passed).

    ``send_at`` None: at ``start``; with an offset: that instant (``start`` if it has
    passed); naive: that wall time in ``zone``.
    """
    if send_at is None:
        return start
    if send_at.tzinfo is not None:
        return max(send_at, start)
    due = wall_to_utc(send_at.date(), send_at.time(), zone)
    if due >= start:
        return due
    if late == "skip":
        return None
    day = max(send_at.date(), start.astimezone(zone).date())
    while (due := wall_to_utc(day, send_at.time(), zone)) < start:
        day += timedelta(days=1)
    return due


def follow_up_due(
    send_at: datetime | None,
    hours_before_end: int | None,
    ends_at: datetime | None,
    start: datetime,
    zone: ZoneInfo,
    *,
    late: str,
) -> datetime | None:
    """When a follow-up is due: at its ``send_at`` (as ``due_at``) or ``hours_before_end``
    before the deadline; None when it would come too late (after the deadline, or skipped)."""
    if hours_before_end is not None and ends_at is not None:
        found: datetime | None = max(ends_at - timedelta(hours=hours_before_end), start)
    else:
        found = due_at(send_at, start, zone, late=late)
    if found is None or (ends_at is not None and found >= ends_at):
        return None
    return found


def open_offer_end(spec: CampaignSpec, last_send: datetime | None) -> datetime | None:
    """When the offer of a campaign without a deadline ends once every send is done: with
    the goal window of its last main send (the time its members were told they had to
    convert), so a bonus rule never fires for ever after the campaign; None when it has
    no offer or sent nothing (nothing to keep open)."""
    has_offer = spec.offer is not None or any(v.offer is not None for v in spec.variants)
    if not has_offer or last_send is None:
        return None
    return last_send + timedelta(days=spec.goal.days)
