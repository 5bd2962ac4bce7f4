"""A campaign's launch and its resumable broadcast.

The launch (idempotent) prepares the offer and stores inline content, and hands the
campaign to its due job. The job writes the audience into ``campaign_sends`` a chunk of
members per unit of work (by member id; ``campaigns.audience_cursor`` is the last id
written, so a crash resumes after it), each row with the member's arm and due time, the
offer granted to the chunk's treatment members in the same unit. Then, a chunk per unit,
it queues the sends that are due: one message per member and step through the outbox
(journey ``campaign``, natural key ``<campaign>:<step>``), the send row ``queued`` in the
same unit; a control member's row becomes ``held_out`` at the same moment (the "would have
sent" entry). Nothing is ever queued twice: a send row leaves ``pending`` once, in the unit
that queues its message, and the message's key is unique besides. Pausing stops the
queueing (the rows wait), resuming continues it, cancelling stops it for good. At the
deadline the offer is retired and pending sends are skipped; the campaign finishes when
nothing is left.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from loyalist.audit import service as audit
from loyalist.audit.models import Actor
from loyalist.campaigns import audience, offers, personal, policy, repository, service
from loyalist.campaigns.errors import CampaignNotLaunchableError
from loyalist.campaigns.models import (
    CONTROL,
    MAIN_STEP,
    Campaign,
    CampaignState,
    ChangeAction,
    SendStatus,
)
from loyalist.campaigns.schemas import CampaignSpec, Estimate, FollowUp
from loyalist.db.uow import UnitOfWork
from loyalist.messages import journeys_kit as kit
from loyalist.messages import service as messages
from loyalist.messages.contexts import campaign_template_key
from loyalist.messages.models import MessageChannel, MessageKind
from loyalist.messages.policy import member_zone
from loyalist.settings import ProgramPolicy

#: The journey of every campaign message.
JOURNEY = "campaign"
#: Messages queued per unit of work.
QUEUE_CHUNK = 500
_SYSTEM = "system"
_WORKING = (CampaignState.SCHEDULED, CampaignState.RUNNING)


# -- launch -------------------------------------------------------------------------------
def launch(uow: UnitOfWork, key: str, actor: Actor) -> Campaign:
    """Start a draft campaign: ``running`` (sent now) or ``scheduled`` (a ``send_at``);
    a campaign already launched is returned as it is.

    Raises:
        MarketingCampaignNotFoundError: no such campaign.
        CampaignNotLaunchableError: it was cancelled.
        RuleInvalidError: its audience's condition does not compile.
    """
    campaign = service.lock(uow, key)
    if campaign.state == CampaignState.CANCELLED:
        raise CampaignNotLaunchableError(f"campaign {key!r} was cancelled: copy it to send again")
    if campaign.state != CampaignState.DRAFT:
        return campaign
    spec = service.spec_of(campaign)
    audience.Criteria.of(spec)  # a broken condition is refused now, not in the job
    offers.prepare(uow, campaign, spec)
    name = service.name_of(actor)
    service.store_content(uow, key, spec, name)
    campaign.launched_at = uow.now
    campaign.ends_at = spec.ends_at
    campaign.next_due_at = uow.now
    state = CampaignState.RUNNING if spec.send_at is None else CampaignState.SCHEDULED
    service.record_change(uow, campaign, ChangeAction.LAUNCHED, name, state=state)
    audit.record(
        uow,
        actor,
        "campaign.launched",
        target_type="campaign",
        target_id=key,
        after={"state": state.value, "revision": campaign.revision},
    )
    return campaign


def template_of(key: str, spec: CampaignSpec, step: str, arm: str) -> str:
    """The template a member's message of ``step`` in ``arm`` is rendered with."""
    if step != MAIN_STEP:
        return _follow_up(spec, step).content.template or campaign_template_key(key, step)
    variant = next((v for v in spec.variants if v.key == arm), None)
    if variant is not None and variant.content.is_given:
        return variant.content.template or campaign_template_key(key, step, arm)
    return spec.template or campaign_template_key(key, step)


def _follow_up(spec: CampaignSpec, step: str) -> FollowUp:
    return next(f for f in spec.follow_ups if f.key == step)


# -- the audience, a chunk per unit ---------------------------------------------------------
def write_audience(
    uow: UnitOfWork, key: str, program: ProgramPolicy, *, chunk: int = audience.CHUNK
) -> int:
    """Write the next chunk of the audience (members walked after the cursor): their arms
    and due times for every step, and grant the offer to the chunk's treatment members.
    Returns the send rows written, at least 1 while the audience is being written (0: it
    is written, or the campaign is not working)."""
    campaign = service.lock(uow, key)
    if campaign.state not in _WORKING or campaign.audience_size is not None:
        return 0
    spec = service.spec_of(campaign)
    start = campaign.launched_at or uow.now
    found = audience.scan(
        uow,
        audience.Criteria.of(spec),
        program,
        spec.channel,
        after=campaign.audience_cursor or 0,
        limit=chunk,
    )
    if found.last is None:
        campaign.audience_size = repository.count_step(uow.session, campaign.id, MAIN_STEP)
        return 0
    rows: list[dict[str, Any]] = []
    for reach in found.members:
        zone = member_zone(reach.timezone, program.zone)
        arm = policy.arm_of(key, reach.id, spec.control_percent, spec.variants)
        due = policy.due_at(spec.send_at, start, zone, late=spec.late)
        rows.append(_send(campaign, MAIN_STEP, reach.id, arm, due, start))
        for follow in spec.follow_ups:
            # A member skipped at the first message gets none of the series after it.
            at = (
                None
                if due is None
                else policy.follow_up_due(
                    follow.send_at,
                    follow.hours_before_end,
                    spec.ends_at,
                    start,
                    zone,
                    late=spec.late,
                )
            )
            rows.append(_send(campaign, follow.key, reach.id, arm, at, start))
    inserted = repository.insert_sends(uow.session, rows)
    treated = [
        (row["member_id"], row["arm"])
        for row in rows
        if row["step"] == MAIN_STEP
        and row["arm"] != CONTROL
        and row["status"] == SendStatus.PENDING  # a member skipped is not offered it
        and (row["member_id"], MAIN_STEP) in inserted
    ]
    if treated:
        offers.grant(uow, campaign, spec, treated)
    campaign.audience_cursor = found.last
    campaign.next_due_at = uow.now
    return max(len(rows), 1)


def _send(
    campaign: Campaign, step: str, member_id: int, arm: str, due: datetime | None, start: datetime
) -> dict[str, Any]:
    """A send row: pending until ``due``, or skipped (its local time had passed)."""
    return {
        "campaign_id": campaign.id,
        "step": step,
        "member_id": member_id,
        "arm": arm,
        "status": (SendStatus.PENDING if due is not None else SendStatus.SKIPPED).value,
        "due_at": due or start,
        "done_at": None if due is not None else start,
        "reason": None if due is not None else policy.LATE,
    }


# -- due sends, a chunk per unit ----------------------------------------------------------
def queue_due(
    uow: UnitOfWork,
    key: str,
    program: ProgramPolicy,
    setup: kit.Setup,
    *,
    chunk: int = QUEUE_CHUNK,
) -> int:
    """Queue the messages of up to ``chunk`` due sends (control rows become ``held_out``,
    a follow-up for a member who converted is skipped), all in this unit. Returns the sends
    settled (0: none due, or the campaign is paused, cancelled or finished)."""
    campaign = service.lock(uow, key)
    if campaign.state not in _WORKING:
        return 0
    due = repository.due_sends(uow.session, campaign.id, uow.now, chunk)
    if not due:
        return 0
    spec = service.spec_of(campaign)
    unconverted_only = {f.key for f in spec.follow_ups if f.only_unconverted}
    converted = repository.converted(
        uow.session, campaign.id, [m for step, m, _, _ in due if step in unconverted_only]
    )
    settled: list[dict[str, Any]] = []
    sending: dict[str, list[tuple[int, str]]] = {}
    for step, member_id, arm, _ in due:
        if step in unconverted_only and member_id in converted:
            settled.append(_settled(campaign, step, member_id, SendStatus.SKIPPED, uow.now))
            settled[-1]["reason"] = policy.CONVERTED
        elif arm == CONTROL:
            settled.append(_settled(campaign, step, member_id, SendStatus.HELD_OUT, uow.now))
        else:
            sending.setdefault(step, []).append((member_id, arm))
    for step, pairs in sending.items():
        queued = _queue(uow, campaign, spec, program, setup, step, pairs)
        for member_id, _ in pairs:
            status = SendStatus.QUEUED if member_id in queued else SendStatus.SKIPPED
            settled.append(_settled(campaign, step, member_id, status, uow.now))
            if status == SendStatus.SKIPPED:
                settled[-1]["reason"] = "member_erased"
    repository.settle_sends(uow.session, settled)
    if campaign.state == CampaignState.SCHEDULED:
        service.record_change(
            uow, campaign, ChangeAction.STARTED, _SYSTEM, state=CampaignState.RUNNING
        )
    return len(settled)


def _settled(
    campaign: Campaign, step: str, member_id: int, status: SendStatus, at: datetime
) -> dict[str, Any]:
    return {
        "campaign_id": campaign.id,
        "step": step,
        "member_id": member_id,
        "status": status.value,
        "done_at": at,
        "reason": None,
    }


def _queue(
    uow: UnitOfWork,
    campaign: Campaign,
    spec: CampaignSpec,
    program: ProgramPolicy,
    setup: kit.Setup,
    step: str,
    pairs: Sequence[tuple[int, str]],
) -> set[int]:
    """Queue one message per member of ``pairs`` for ``step``; returns the members whose
    message is in the outbox (those erased meanwhile, or without a context, get none)."""
    # Erased members and those gone are left out of the contexts (and get no message).
    contexts = personal.contexts(uow, campaign, spec, pairs, program, step=step, setup=setup)
    recipients = kit.recipients(uow, contexts, program)  # read by the contexts already
    channel = MessageChannel(spec.channel)
    drafts = [
        messages.MessageDraft(
            member_id=member_id,
            kind=MessageKind.MARKETING,
            channel=channel,
            journey=JOURNEY,
            natural_key=f"{campaign.key}:{step}",
            template_key=template_of(campaign.key, spec, step, arm),
            locale=recipients[member_id].locale,
            time_zone=recipients[member_id].zone.key,
            context=contexts[member_id],
            is_in_inbox=channel == MessageChannel.EMAIL,
            respects_quiet_hours=spec.quiet_hours,
        )
        for member_id, arm in pairs
        if member_id in contexts and member_id in recipients
    ]
    messages.queue_messages(uow, drafts)
    return {d.member_id for d in drafts}


# -- the deadline and the end ---------------------------------------------------------------
def settle(uow: UnitOfWork, key: str) -> int:
    """At the deadline: retire the offer, skip what is pending, finish. Otherwise plan the
    next wake-up (the earliest pending send, or the deadline) or, when nothing is left to
    send, finish — a campaign without a deadline whose offer is still open (the goal window
    of its last send, ``policy.open_offer_end``) finishes, and its offer retires, when
    that window closes. Returns 1 when the campaign finished now."""
    campaign = service.lock(uow, key)
    if campaign.state not in (*_WORKING, CampaignState.PAUSED):
        return 0
    if campaign.ends_at is not None and campaign.ends_at <= uow.now:
        repository.stop_pending(uow.session, campaign.id, policy.DEADLINE, uow.now)
        offers.retire(uow, campaign)
        _finish(uow, campaign)
        return 1
    if campaign.state == CampaignState.PAUSED or campaign.audience_size is None:
        return 0
    pending = repository.next_pending(uow.session, campaign.id)
    if pending is None and campaign.ends_at is None:
        _, last_send = repository.main_sends_state(uow.session, campaign.id)
        offer_end = policy.open_offer_end(service.spec_of(campaign), last_send)
        if offer_end is not None and offer_end > uow.now:
            campaign.next_due_at = offer_end  # the offer stays open until then
            return 0
        offers.retire(uow, campaign)
        _finish(uow, campaign)
        return 1
    campaign.next_due_at = min(t for t in (pending, campaign.ends_at) if t is not None)
    return 0


def _finish(uow: UnitOfWork, campaign: Campaign) -> None:
    campaign.finished_at = uow.now
    campaign.next_due_at = None
    service.record_change(
        uow, campaign, ChangeAction.FINISHED, _SYSTEM, state=CampaignState.FINISHED
    )


def due_campaigns(uow: UnitOfWork, limit: int) -> list[str]:
    """Keys of the campaigns whose broadcast has work now."""
    return repository.due_campaigns(uow.session, uow.now, limit)


def progress(uow: UnitOfWork, key: str) -> dict[str, int]:
    """The campaign's sends by status."""
    campaign_id = service.get(uow, key).id
    return repository.sends_by_status(uow.session, [campaign_id])[campaign_id]


def estimate(uow: UnitOfWork, key: str, program: ProgramPolicy) -> Estimate:
    """The size of the stored campaign's audience now (``audience.estimate``).

    Raises:
        MarketingCampaignNotFoundError: no such campaign.
        RuleInvalidError: its audience's condition does not compile.
    """
    campaign = service.get(uow, key)
    return audience.estimate(uow, service.spec_of(campaign), program, key=key)


def estimate_draft(uow: UnitOfWork, spec: CampaignSpec, program: ProgramPolicy) -> Estimate:
    """The size of a campaign's audience before it is stored (the console's builder): the
    control group is its expected share.

    Raises:
        RuleInvalidError: the audience's condition does not compile.
    """
    return audience.estimate(uow, spec, program)
