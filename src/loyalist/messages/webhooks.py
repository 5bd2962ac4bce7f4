"""Webhook endpoints and the webhooks they get: register (URL checked by the SSRF guard,
secret generated and shown once), change (URL, event types, enable/disable), rotate the
secret; and queue one signed webhook per subscribed endpoint for each fresh engine event
(points, tiers, rewards, referrals), through the outbox like every message."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError
from loyalist.ledger.events import PointsAwarded, PointsExpiring, PointsMatured
from loyalist.members import service as members
from loyalist.messages import policy, repository, service
from loyalist.messages.channels.signing import WebhookSecret, generate_secret, rotate_secrets
from loyalist.messages.channels.targets import (
    Resolver,
    TargetRefused,
    check_target,
    system_resolver,
)
from loyalist.messages.errors import WebhookEndpointNotFoundError, WebhookUrlRefusedError
from loyalist.messages.models import (
    WebhookEndpoint,
    WebhookEvent,
)
from loyalist.messages.schemas import EndpointIn, EndpointRead, EndpointUpdate, SecretRead
from loyalist.referrals.events import ReferralConverted
from loyalist.rules.events import RewardGranted
from loyalist.settings import ProgramPolicy
from loyalist.tiers.events import TierDowngraded, TierUpgraded


@dataclass(frozen=True, slots=True)
class Happened:
    """One engine fact for webhooks: whose it is, when it happened, the body's ``data``."""

    member_id: int
    at: datetime
    data: dict[str, Any]


def checked_url(url: str, *, allow_private: bool, resolver: Resolver = system_resolver) -> str:
    """``url`` if webhooks may go there (resolves its host: call it outside a unit of work,
    before ``register`` or ``update``; delivery checks every connection again).

    Raises:
        WebhookUrlRefusedError: not http(s), does not resolve, or an address is refused.
    """
    try:
        check_target(url, allow_private=allow_private, resolver=resolver)
    except (TargetRefused, ValueError, OSError) as exc:  # OSError: the host does not resolve
        raise WebhookUrlRefusedError(
            f"webhooks cannot go to {url!r}: {exc}", errors=[FieldError("/url", str(exc))]
        ) from None
    return url


def _read(endpoint: WebhookEndpoint) -> EndpointRead:
    return EndpointRead(
        id=endpoint.id,
        url=endpoint.url,
        description=endpoint.description,
        event_types=[WebhookEvent(t) for t in endpoint.event_types],
        is_enabled=endpoint.is_enabled,
        failing_since=endpoint.first_failure_at,
        disabled_at=endpoint.disabled_at,
        disabled_reason=endpoint.disabled_reason,
        created_at=endpoint.created_at,
    )


def register(uow: UnitOfWork, body: EndpointIn) -> SecretRead:
    """A new endpoint, enabled, with a generated secret, returned this once (it is kept
    encrypted to sign with; no read shows it again). ``body.url`` was ``checked_url``."""
    url = body.url
    secret = generate_secret()
    endpoint = WebhookEndpoint(
        id=f"whe_{secrets.token_hex(10)}",
        url=url,
        description=body.description,
        event_types=sorted({t.value for t in body.event_types}),
        secrets=policy.dump_secrets((WebhookSecret(secret),)),
        is_enabled=True,
        first_failure_at=None,
        disabled_at=None,
        disabled_reason=None,
        created_at=uow.now,
        updated_at=uow.now,
    )
    uow.session.add(endpoint)
    uow.session.flush()
    return SecretRead(endpoint=_read(endpoint), secret=secret)


def list_endpoints(uow: UnitOfWork) -> list[EndpointRead]:
    return [_read(e) for e in repository.endpoints(uow.session)]


def _locked(uow: UnitOfWork, endpoint_id: str) -> WebhookEndpoint:
    found = repository.endpoint(uow.session, endpoint_id, lock=True)
    if found is None:
        raise WebhookEndpointNotFoundError(f"no webhook endpoint {endpoint_id!r}")
    return found


@dataclass(frozen=True, slots=True)
class Delivery:
    """One webhook sent (or being sent) to an endpoint, as its delivery log shows it."""

    message_id: str
    status: str
    attempts: int
    created_at: datetime
    finished_at: datetime | None
    reason: str | None


def list_deliveries(
    uow: UnitOfWork, endpoint_ids: Sequence[str], limit: int = 20
) -> dict[str, list[Delivery]]:
    """The newest ``limit`` webhooks of each endpoint, newest first."""
    return {
        endpoint_id: [
            Delivery(row.id, row.status, row.attempts, row.created_at, row.finished_at, row.reason)
            for row in repository.endpoint_deliveries(uow.session, endpoint_id, limit)
        ]
        for endpoint_id in endpoint_ids
    }


def update(uow: UnitOfWork, endpoint_id: str, body: EndpointUpdate) -> EndpointRead:
    """Change an endpoint's URL, description, event types or state. Enabling a disabled
    endpoint replays, once, the webhooks held while it was disabled; disabling holds the
    ones due from now on.

    A new ``body.url`` was ``checked_url``.

    Raises:
        WebhookEndpointNotFoundError: no endpoint has this id.
    """
    endpoint = _locked(uow, endpoint_id)
    if body.url is not None:
        endpoint.url = body.url
    if body.description is not None:
        endpoint.description = body.description
    if body.event_types is not None:
        endpoint.event_types = sorted({t.value for t in body.event_types})
    if body.is_enabled is True and not endpoint.is_enabled:
        endpoint.is_enabled = True
        endpoint.first_failure_at = endpoint.disabled_at = endpoint.disabled_reason = None
        repository.release_held(uow.session, endpoint.id, uow.now)
    elif body.is_enabled is False and endpoint.is_enabled:
        disable(uow, endpoint, "disabled through the API")
    endpoint.updated_at = uow.now
    uow.session.flush()
    return _read(endpoint)


def delete(uow: UnitOfWork, endpoint_id: str) -> None:
    """Delete an endpoint and its secrets. The webhooks still waiting for it (queued, or
    held while it was disabled: made due now) end ``failed`` ("the webhook endpoint was
    deleted") when the worker next claims them; those sent stay in the members' message
    histories.

    Raises:
        WebhookEndpointNotFoundError: no endpoint has this id.
    """
    endpoint = _locked(uow, endpoint_id)
    repository.release_held(uow.session, endpoint.id, uow.now)
    repository.delete_endpoint(uow.session, endpoint)


def disable(uow: UnitOfWork, endpoint: WebhookEndpoint, reason: str) -> None:
    endpoint.is_enabled = False
    endpoint.disabled_at = uow.now
    endpoint.disabled_reason = reason[:500]


def rotate(uow: UnitOfWork, endpoint_id: str, *, overlap: timedelta) -> SecretRead:
    """A new secret for the endpoint (returned once); the old one keeps signing, next to
    the new, for ``overlap`` (receivers switch without losing a webhook).

    Raises:
        WebhookEndpointNotFoundError: no endpoint has this id.
    """
    endpoint = _locked(uow, endpoint_id)
    secret = generate_secret()
    current = policy.load_secrets(endpoint.secrets)
    rotated = rotate_secrets(current, secret, now=uow.now, overlap=overlap)
    endpoint.secrets = policy.dump_secrets(rotated)
    endpoint.updated_at = uow.now
    uow.session.flush()
    return SecretRead(endpoint=_read(endpoint), secret=secret)


def notify(
    uow: UnitOfWork, event: WebhookEvent, facts: Sequence[Happened], program: ProgramPolicy
) -> int:
    """Queue a webhook of ``event`` per fresh fact for every endpoint subscribed to it
    (disabled ones too: they are held, and replayed when the endpoint is enabled). Facts
    older than the freshness window send nothing (history being loaded). Returns how many
    were queued."""
    window = program.messages.freshness_hours
    fresh = [f for f in facts if policy.is_fresh(f.at, uow.now, window)]
    if not fresh:
        return 0
    subscribed = service.subscribed_endpoints(uow, event)
    if not subscribed:
        return 0
    drafts: list[service.WebhookDraft] = []
    for fact in fresh:
        for endpoint in subscribed:
            message_id = service.new_message_id()
            drafts.append(
                service.WebhookDraft(
                    id=message_id,
                    member_id=fact.member_id,
                    event=event,
                    natural_key=f"{endpoint.id}:{message_id}",
                    data=fact.data,
                    endpoint_id=endpoint.id,
                    journey=service.WEBHOOK_JOURNEY,
                )
            )
    return len(service.queue_messages(uow, drafts))


# -- the engine's facts as webhook bodies ---------------------------------------------------
F = TypeVar("F")


def _notify_each(
    uow: UnitOfWork,
    event: WebhookEvent,
    facts: Sequence[F],
    program: ProgramPolicy,
    *,
    member: Callable[[F], int],
    at: Callable[[F], datetime],
    data: Callable[[F, Mapping[int, str]], dict[str, Any]],
    also: Callable[[F], int] | None = None,
) -> int:
    """``notify`` with one body per fact: ``member`` files it (and is named in it by the
    shop's id; ``also`` names one more member), ``at`` dates it, ``data(fact, external
    ids)`` is the body. Nothing is read when no endpoint takes ``event``."""
    if not facts or not service.subscribed_endpoints(uow, event):
        return 0
    people = {member(f) for f in facts} | ({also(f) for f in facts} if also else set())
    ids = members.external_ids(uow, people)
    return notify(uow, event, [Happened(member(f), at(f), data(f, ids)) for f in facts], program)


def points_awarded(uow: UnitOfWork, facts: Sequence[PointsAwarded], program: ProgramPolicy) -> int:
    return _notify_each(
        uow,
        WebhookEvent.POINTS_AWARDED,
        facts,
        program,
        member=lambda f: f.member_id,
        at=lambda f: f.earned_at,
        data=lambda f, ids: {
            "member_id": ids[f.member_id],
            "points": f.points,
            "pending_points": f.pending_points,
            "trigger": f.trigger,
            "order_id": f.order_ref,
            "earned_at": f.earned_at,
        },
    )


def points_matured(uow: UnitOfWork, facts: Sequence[PointsMatured], program: ProgramPolicy) -> int:
    return _notify_each(
        uow,
        WebhookEvent.POINTS_MATURED,
        facts,
        program,
        member=lambda f: f.member_id,
        at=lambda f: f.matured_at,
        data=lambda f, ids: {
            "member_id": ids[f.member_id],
            "points": f.points,
            "order_id": f.order_ref,
            "matured_at": f.matured_at,
        },
    )


def points_expiring(
    uow: UnitOfWork, facts: Sequence[PointsExpiring], program: ProgramPolicy
) -> int:
    """Announced ``expiry_notice_days`` ahead by a job: fresh when announced (``uow.now``)."""
    return _notify_each(
        uow,
        WebhookEvent.POINTS_EXPIRING,
        facts,
        program,
        member=lambda f: f.member_id,
        at=lambda f: uow.now,
        data=lambda f, ids: {
            "member_id": ids[f.member_id],
            "points": f.points,
            "expires_at": f.expires_at,
        },
    )


def tier_changed(
    uow: UnitOfWork,
    event: WebhookEvent,
    facts: Sequence[TierUpgraded | TierDowngraded],
    program: ProgramPolicy,
) -> int:
    return _notify_each(
        uow,
        event,
        facts,
        program,
        member=lambda f: f.member_id,
        at=lambda f: f.at,
        data=lambda f, ids: {
            "member_id": ids[f.member_id],
            "from_tier": f.from_tier,
            "to_tier": f.to_tier,
            "reason": f.reason,
            "source": f.source,
            "at": f.at,
        },
    )


def reward_granted(uow: UnitOfWork, facts: Sequence[RewardGranted], program: ProgramPolicy) -> int:
    """Granted by a rule in this unit: fresh as the unit (``uow.now``)."""
    return _notify_each(
        uow,
        WebhookEvent.REWARD_GRANTED,
        facts,
        program,
        member=lambda f: f.member_id,
        at=lambda f: uow.now,
        data=lambda f, ids: {
            "member_id": ids[f.member_id],
            "reward": f.reward,
            "rule": f.rule_key,
            "occurrence": f.ref,
        },
    )


def referral_converted(
    uow: UnitOfWork, facts: Sequence[ReferralConverted], program: ProgramPolicy
) -> int:
    """One webhook per conversion, filed under the referrer."""
    return _notify_each(
        uow,
        WebhookEvent.REFERRAL_CONVERTED,
        facts,
        program,
        member=lambda f: f.referrer_id,
        also=lambda f: f.friend_id,
        at=lambda f: f.converted_at,
        data=lambda f, ids: {
            "referral_id": f.referral_id,
            "referrer_id": ids[f.referrer_id],
            "friend_id": ids[f.friend_id],
            "order_id": f.order_id,
            "rewarded": f.rewarded,
            "converted_at": f.converted_at,
        },
    )
