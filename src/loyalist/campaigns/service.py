"""Campaign use cases: create and change a campaign (its spec, with every change in its
history), read and list them, pause, resume and cancel; copy a season of the calendar.

A campaign's spec may change while it is a draft, and while it is scheduled until its first
message is sent (or held out); after that it is fixed (``campaign_not_editable``): what
members were sent is what the report measures. Launch (``broadcast``) and the report are
built on :func:`get`, :func:`lock`, :func:`spec_of` and :func:`record_change`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from loyalist.audit import service as audit
from loyalist.audit.models import Actor
from loyalist.campaigns import offers, repository, seasons
from loyalist.campaigns.errors import (
    CampaignExistsError,
    CampaignInvalidError,
    CampaignNotEditableError,
    CampaignStateConflictError,
    MarketingCampaignNotFoundError,
)
from loyalist.campaigns.models import (
    MAIN_STEP,
    Campaign,
    CampaignChange,
    CampaignState,
    ChangeAction,
    SendStatus,
)
from loyalist.campaigns.schemas import CAMPAIGN_KEY, CampaignRead, CampaignSpec, Content
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError
from loyalist.messages import service as messages
from loyalist.messages.contexts import campaign_template_key
from loyalist.messages.rendering import TemplateSource
from loyalist.rules import service as rules
from loyalist.rules.errors import RuleInvalidError

#: Keys a campaign cannot have: ``/api/v1/campaigns/seasons`` is the seasonal calendar.
RESERVED_KEYS = frozenset({"seasons"})
#: States whose spec may still change (scheduled only before its first send).
EDITABLE = frozenset({CampaignState.DRAFT, CampaignState.SCHEDULED})
#: States a campaign may be paused from, and cancelled from.
PAUSABLE = frozenset({CampaignState.SCHEDULED, CampaignState.RUNNING})
CANCELLABLE = frozenset(
    {CampaignState.DRAFT, CampaignState.SCHEDULED, CampaignState.RUNNING, CampaignState.PAUSED}
)


def name_of(actor: Actor) -> str:
    """The name a change is recorded under (``updated_by``, the history's ``actor``)."""
    return (actor.label or str(actor.kind))[:120]


def find(uow: UnitOfWork, key: str) -> Campaign | None:
    return repository.campaign_by_key(uow.session, key)


def get(uow: UnitOfWork, key: str) -> Campaign:
    """The campaign with ``key``.

    Raises:
        MarketingCampaignNotFoundError: no campaign has it.
    """
    found = repository.campaign_by_key(uow.session, key)
    if found is None:
        raise MarketingCampaignNotFoundError(f"no campaign has the key {key!r}")
    return found


def lock(uow: UnitOfWork, key: str) -> Campaign:
    """The campaign with ``key``, its row locked until the transaction ends (PostgreSQL
    ``FOR UPDATE``; SQLite has one writer), read afresh.

    Raises:
        MarketingCampaignNotFoundError: no campaign has it.
    """
    found = repository.campaign_by_key(uow.session, key, lock=True)
    if found is None:
        raise MarketingCampaignNotFoundError(f"no campaign has the key {key!r}")
    return found


def spec_of(campaign: Campaign) -> CampaignSpec:
    return CampaignSpec.model_validate(campaign.spec)


def _stored(spec: CampaignSpec) -> dict[str, Any]:
    return spec.model_dump(mode="json")


def read(uow: UnitOfWork, campaign: Campaign) -> CampaignRead:
    progress = repository.sends_by_status(uow.session, [campaign.id])[campaign.id]
    return _read(campaign, progress)


def _read(campaign: Campaign, progress: dict[str, int]) -> CampaignRead:
    spec = spec_of(campaign)
    return CampaignRead(
        key=campaign.key,
        name=spec.name,
        state=campaign.state,
        revision=campaign.revision,
        spec=spec,
        created_at=campaign.created_at,
        updated_at=campaign.updated_at,
        updated_by=campaign.updated_by,
        launched_at=campaign.launched_at,
        finished_at=campaign.finished_at,
        audience_size=campaign.audience_size,
        progress=progress,
        winner=campaign.winner,
    )


def list_campaigns(uow: UnitOfWork) -> list[CampaignRead]:
    """Every campaign, by key, with its progress."""
    found = repository.campaigns(uow.session)
    progress = repository.sends_by_status(uow.session, [c.id for c in found])
    return [_read(c, progress[c.id]) for c in found]


def record_change(
    uow: UnitOfWork,
    campaign: Campaign,
    action: ChangeAction,
    actor: str,
    *,
    state: CampaignState | None = None,
    detail: str | None = None,
) -> None:
    """One more revision of ``campaign``: its state moved to ``state`` (if given), the row's
    ``updated_*`` set, and a ``campaign_changes`` row (with the spec when the action is a
    creation or a change). The audit record is the caller's."""
    if state is not None:
        campaign.state = state
    campaign.revision += 1
    campaign.updated_at = uow.now
    campaign.updated_by = actor[:120]
    spec = campaign.spec if action in (ChangeAction.CREATED, ChangeAction.CHANGED) else None
    repository.add_change(
        uow.session,
        CampaignChange(
            campaign_id=campaign.id,
            revision=campaign.revision,
            action=action,
            state=campaign.state,
            spec=spec,
            detail=None if detail is None else detail[:500],
            actor=actor[:120],
            at=uow.now,
        ),
    )


def check_spec(key: str, spec: CampaignSpec, root: str = "") -> None:
    """What the schema cannot check alone, before anything is stored: the audience
    condition compiles and reads only what ``member`` has (as the audience evaluates it),
    and the inline content compiles and renders with sample data in both locales (as
    launch stores it). Pointers are under ``root`` (``/campaigns/<key>`` in the program
    file).

    Raises:
        CampaignInvalidError: the audience condition, with its pointer.
        TemplateSyntaxInvalidError, TemplateVariableUndefinedError, …: a part of the
            content, every problem with its pointer.
    """
    condition = spec.audience.condition
    if condition is not None:
        try:
            rules.audience_condition(condition, f"{root}/audience/condition")
        except RuleInvalidError as exc:
            raise CampaignInvalidError(
                "the campaign's audience condition is not valid", errors=exc.errors
            ) from None
    for template_key, (pointer, sources) in inline_content(key, spec).items():
        messages.check_campaign_content(template_key, sources, pointer=root + pointer)


def inline_content(
    key: str, spec: CampaignSpec
) -> dict[str, tuple[str, dict[str, TemplateSource]]]:
    """The campaign's inline content by template key (its step's, or an arm's own: see
    ``messages.contexts.campaign_template_key``): where it sits in the spec, and its
    sources per locale."""
    parts: list[tuple[str, str, Content]] = [
        (campaign_template_key(key, MAIN_STEP), "", spec.content)
    ]
    parts += [
        (campaign_template_key(key, MAIN_STEP, v.key), f"/variants/{i}/content", v.content)
        for i, v in enumerate(spec.variants)
    ]
    parts += [
        (campaign_template_key(key, f.key), f"/follow_ups/{i}/content", f.content)
        for i, f in enumerate(spec.follow_ups)
    ]
    return {
        template_key: (
            pointer,
            {
                locale: TemplateSource(
                    subject=_text(content.subject, locale),
                    text=_text(content.body, locale),
                    html=_text(content.html, locale),
                    short=_text(content.short, locale),
                )
                for locale in ("en", "ru")
            },
        )
        for template_key, pointer, content in parts
        if content.template is None and content.is_given
    }


def _text(text: Any, locale: str) -> str:
    return "" if text is None else str(getattr(text, locale))


def store_content(uow: UnitOfWork, key: str, spec: CampaignSpec, actor: str) -> None:
    """Store the campaign's inline content as the template versions its messages are
    rendered with (at launch, and when a scheduled campaign changes before its first send).

    Raises:
        InvalidRequestError: a part does not compile or render (its pointer in the spec).
    """
    for template_key, (pointer, sources) in inline_content(key, spec).items():
        messages.put_campaign_content(uow, template_key, sources, actor, pointer=pointer)


def put_campaign(
    uow: UnitOfWork, key: str, spec: CampaignSpec, actor: Actor
) -> tuple[CampaignRead, bool]:
    """Create the campaign ``key`` as a draft, or change its spec; ``True`` when something
    was written (a new campaign or a new revision), ``False`` when the spec is the stored
    one. A change of a scheduled campaign stores its new content and offer rules and
    forgets its send plan still pending, so the audience is written again under the new
    spec. Audited as ``campaign.changed``.

    Raises:
        CampaignInvalidError: the key is not one, or the audience condition is not CEL.
        CampaignNotEditableError: the campaign has started sending, or has ended.
        InvalidRequestError, ConflictError: a scheduled campaign's new content does not
            render, or its offer names what does not exist or is not active (as at launch).
    """
    if not re.fullmatch(CAMPAIGN_KEY, key) or key in RESERVED_KEYS:
        raise CampaignInvalidError(
            f"{key!r} is not a campaign key",
            errors=[
                FieldError(
                    "/key",
                    "lower-case letters, digits, _ and -, up to 32; not "
                    + ", ".join(sorted(RESERVED_KEYS)),
                )
            ],
        )
    check_spec(key, spec)
    who = name_of(actor)
    found = repository.campaign_by_key(uow.session, key, lock=True)
    if found is None:
        campaign = Campaign(
            key=key,
            name=spec.name.model_dump(),
            state=CampaignState.DRAFT,
            spec=_stored(spec),
            revision=0,
            created_at=uow.now,
            updated_at=uow.now,
            updated_by=who,
            ends_at=spec.ends_at,
        )
        repository.add_campaign(uow.session, campaign)
        record_change(uow, campaign, ChangeAction.CREATED, who)
        after = read(uow, campaign)
        _audit(uow, actor, "campaign.changed", campaign, None, after)
        return after, True
    if found.spec == _stored(spec):
        return read(uow, found), False
    _check_editable(uow, found, "its spec cannot change")
    before = read(uow, found)
    if found.state == CampaignState.SCHEDULED:
        # What members are sent and offered is the new spec's: its content and its arms'
        # rules replace those of the launch, and the audience is written again.
        offers.prepare(uow, found, spec)
        store_content(uow, key, spec, who)
        repository.drop_pending_sends(uow.session, found.id)
        found.audience_cursor = None
        found.audience_size = None
        found.next_due_at = uow.now
    found.spec = _stored(spec)
    found.name = spec.name.model_dump()
    found.ends_at = spec.ends_at
    record_change(uow, found, ChangeAction.CHANGED, who)
    after = read(uow, found)
    _audit(uow, actor, "campaign.changed", found, before, after)
    return after, True


def _check_editable(uow: UnitOfWork, campaign: Campaign, what: str) -> None:
    if campaign.state not in EDITABLE:
        raise CampaignNotEditableError(
            f"campaign {campaign.key!r} is {campaign.state}: {what}; put it under a new key "
            "instead",
            extra={"state": str(campaign.state)},
        )
    progress = repository.sends_by_status(uow.session, [campaign.id])[campaign.id]
    started = sum(n for status, n in progress.items() if status != SendStatus.PENDING)
    if started:
        raise CampaignNotEditableError(
            f"campaign {campaign.key!r} has started sending ({started} sends done): {what}; "
            "put it under a new key instead",
            extra={"state": str(campaign.state)},
        )


def delete_campaign(uow: UnitOfWork, key: str, actor: Actor) -> None:
    """Delete a draft with its history. Audited as ``campaign.deleted``.

    Raises:
        MarketingCampaignNotFoundError: no campaign has the key.
        CampaignNotEditableError: the campaign is not a draft (cancel it instead).
    """
    campaign = lock(uow, key)
    if campaign.state != CampaignState.DRAFT:
        raise CampaignNotEditableError(
            f"campaign {key!r} is {campaign.state}: only a draft can be deleted; cancel it instead",
            extra={"state": str(campaign.state)},
        )
    before = read(uow, campaign)
    repository.delete_campaign(uow.session, campaign)
    _audit(uow, actor, "campaign.deleted", campaign, before, None)


def history(uow: UnitOfWork, key: str) -> list[dict[str, Any]]:
    """Every change of the campaign, oldest first.

    Raises:
        MarketingCampaignNotFoundError: no campaign has the key.
    """
    campaign = get(uow, key)
    return [
        {
            "revision": change.revision,
            "action": change.action,
            "state": change.state,
            "spec": change.spec,
            "detail": change.detail,
            "actor": change.actor,
            "at": change.at,
        }
        for change in repository.changes(uow.session, campaign.id)
    ]


def pause(uow: UnitOfWork, key: str, actor: Actor) -> CampaignRead:
    """Stop a scheduled or running campaign's sending where it is (its pending sends wait);
    pausing a paused one changes nothing. Audited as ``campaign.paused``.

    Raises:
        MarketingCampaignNotFoundError: no campaign has the key.
        CampaignStateConflictError: it is a draft, finished or cancelled.
    """
    campaign = lock(uow, key)
    if campaign.state == CampaignState.PAUSED:
        return read(uow, campaign)
    if campaign.state not in PAUSABLE:
        raise _state_conflict(campaign, "pause", "only a scheduled or running one")
    before = read(uow, campaign)
    record_change(uow, campaign, ChangeAction.PAUSED, name_of(actor), state=CampaignState.PAUSED)
    after = read(uow, campaign)
    _audit(uow, actor, "campaign.paused", campaign, before, after)
    return after


def resume(uow: UnitOfWork, key: str, actor: Actor) -> CampaignRead:
    """Take a paused campaign back to the state it was paused in (scheduled or running):
    its pending sends go out from where it stopped, none twice. Resuming a campaign that is
    scheduled or running changes nothing. Audited as ``campaign.resumed``.

    Raises:
        MarketingCampaignNotFoundError: no campaign has the key.
        CampaignStateConflictError: it is a draft, finished or cancelled.
    """
    campaign = lock(uow, key)
    if campaign.state in PAUSABLE:
        return read(uow, campaign)
    if campaign.state != CampaignState.PAUSED:
        raise _state_conflict(campaign, "resume", "only a paused one")
    before = read(uow, campaign)
    record_change(
        uow, campaign, ChangeAction.RESUMED, name_of(actor), state=_paused_from(uow, campaign)
    )
    after = read(uow, campaign)
    _audit(uow, actor, "campaign.resumed", campaign, before, after)
    return after


def _paused_from(uow: UnitOfWork, campaign: Campaign) -> CampaignState:
    """The state the campaign was in when it was last paused (running when the history
    does not say: a paused campaign was launched)."""
    found = repository.changes(uow.session, campaign.id)
    for index in range(len(found) - 1, 0, -1):
        if found[index].action == ChangeAction.PAUSED and found[index - 1].state in PAUSABLE:
            return found[index - 1].state
    return CampaignState.RUNNING


def cancel(uow: UnitOfWork, key: str, actor: Actor) -> CampaignRead:
    """End a campaign for good: its pending sends are cancelled and its messages still
    waiting in the outbox are stopped (``campaign_cancelled``) and its offers end (rules
    retire; codes already sent stay valid until their end); what was sent stays sent
    and is still measured. Cancelling a cancelled campaign changes nothing. Audited as
    ``campaign.cancelled``.

    Raises:
        MarketingCampaignNotFoundError: no campaign has the key.
        CampaignStateConflictError: it has finished.
    """
    campaign = lock(uow, key)
    if campaign.state == CampaignState.CANCELLED:
        return read(uow, campaign)
    if campaign.state not in CANCELLABLE:
        raise _state_conflict(campaign, "cancel", "not a finished one")
    before = read(uow, campaign)
    cancelled = repository.cancel_pending_sends(uow.session, campaign.id, uow.now)
    stopped = messages.stop_campaign_messages(uow, key)
    offers.retire(uow, campaign)  # its rules stop firing; codes already sent keep their end
    campaign.next_due_at = None
    record_change(
        uow,
        campaign,
        ChangeAction.CANCELLED,
        name_of(actor),
        state=CampaignState.CANCELLED,
        detail=f"{cancelled} pending sends cancelled, {stopped} waiting messages stopped",
    )
    after = read(uow, campaign)
    _audit(uow, actor, "campaign.cancelled", campaign, before, after)
    return after


def copy_season(
    uow: UnitOfWork, season: str, key: str, actor: Actor, *, today: date, zone: ZoneInfo
) -> CampaignRead:
    """A new draft ``key`` from the seasonal calendar's ``season``, dated for its next
    occurrence from ``today`` (send at its local time, the offer ending in ``zone``).

    Raises:
        CampaignSeasonNotFoundError: no season has the name.
        CampaignExistsError: a campaign already has the key.
    """
    spec = seasons.spec_for(season, today, zone)
    if repository.campaign_by_key(uow.session, key) is not None:
        raise CampaignExistsError(
            f"a campaign already has the key {key!r}: choose another",
            errors=[FieldError("/key", "taken")],
        )
    return put_campaign(uow, key, spec, actor)[0]


def _state_conflict(campaign: Campaign, verb: str, allowed: str) -> CampaignStateConflictError:
    return CampaignStateConflictError(
        f"campaign {campaign.key!r} is {campaign.state}: cannot {verb} it ({allowed} can be)",
        extra={"state": str(campaign.state)},
    )


def _audit(
    uow: UnitOfWork,
    actor: Actor,
    action: str,
    campaign: Campaign,
    before: CampaignRead | None,
    after: CampaignRead | None,
) -> None:
    audit.record(
        uow,
        actor,
        action,
        target_type="campaign",
        target_id=campaign.key,
        before=None if before is None else _audited(before),
        after=None if after is None else _audited(after),
    )


def _audited(view: CampaignRead) -> dict[str, Any]:
    return view.model_dump(mode="json", include={"state", "revision", "spec"})
