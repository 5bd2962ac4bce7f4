"""Referral use cases: the program, personal codes and links, attribution with fraud
checks, the review queue, rewards, conversion, and the funnel."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy.engine import Row

from loyalist.activities import service as activities
from loyalist.activities.schemas import Signals
from loyalist.audit import service as audit
from loyalist.audit.models import Actor
from loyalist.coupons import service as coupons
from loyalist.db import configs
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError, RequestInvalidError
from loyalist.ledger import service as ledger
from loyalist.ledger.service import Award
from loyalist.members import service as members
from loyalist.members.models import Member
from loyalist.referrals import policy, repository
from loyalist.referrals.books import ReferralBook
from loyalist.referrals.errors import (
    ReferralCodeUnavailableError,
    ReferralLinkNotFoundError,
    ReferralNotFoundError,
    ReferralNotInReviewError,
    ReferralProgramInvalidError,
)
from loyalist.referrals.events import ReferralAttributed, ReferralConverted
from loyalist.referrals.models import (
    AttributedOn,
    DecisionReason,
    ReferralStatus,
    SignalKind,
    Via,
)
from loyalist.referrals.schemas import Action, ReferralProgramIn, Reward
from loyalist.rules import service as rules
from loyalist.settings import ProgramPolicy

#: Parsed configurations by content digest: a stored version is parsed once per process.
_CONFIGS: dict[str, ReferralProgramIn] = {}
_PROGRAM: configs.ConfigCache[ReferralProgramIn | None] = configs.ConfigCache(configs.REFERRALS)
#: Clicks recorded per link per day at most; more are acknowledged, not stored.
MAX_CLICKS_PER_DAY = 10_000
_CODE_ATTEMPTS = 8


# -- the program --------------------------------------------------------------------------
_ANY_REFERRAL = "referrals.any"


def current_config(uow: UnitOfWork) -> ReferralProgramIn | None:
    """The stored program (None when never configured), parsed once per stored version and
    looked up once per unit of work (not read at all while unchanged: ``db.configs``)."""
    cached = uow.state.get("referrals.config")
    if cached is not None:
        return cached[0]  # type: ignore[no-any-return]
    config = _PROGRAM.get(uow, lambda: _stored_config(uow))
    uow.state["referrals.config"] = (config,)
    return config


def _stored_config(uow: UnitOfWork) -> ReferralProgramIn | None:
    head = repository.program_head(uow.session)
    config: ReferralProgramIn | None = None
    if head is not None:
        config = _CONFIGS.get(head[1])
        if config is None:
            row = repository.program_row(uow.session)
            assert row is not None
            config = ReferralProgramIn.model_validate(row.config)
            if len(_CONFIGS) > 64:
                _CONFIGS.clear()
            _CONFIGS[head[1]] = config
    return config


def any_referral(uow: UnitOfWork) -> bool:
    """Whether anyone was ever referred (asked once per unit of work; attribution in the
    unit sets it)."""
    found = uow.state.get(_ANY_REFERRAL)
    if found is None:
        found = uow.state[_ANY_REFERRAL] = repository.any_referral(uow.session)
    return bool(found)


def put_program(uow: UnitOfWork, config: ReferralProgramIn, *, who: str) -> dict[str, Any]:
    """Replace the referral program; returns its view with the new version.

    Raises:
        InvalidRequestError: ``referral_program_invalid`` (a reward names a coupon campaign
            that does not exist).
    """
    named = [("/friend_reward", config.friend_reward), ("/referrer_reward", config.referrer_reward)]
    named += [(f"/milestones/{i}/reward", m.reward) for i, m in enumerate(config.milestones)]
    missing = [
        FieldError(f"{where}/coupon_campaign", "no coupon campaign has this key")
        for where, reward in named
        if reward is not None
        and reward.coupon_campaign is not None
        and coupons.find_campaign(uow, reward.coupon_campaign) is None
    ]
    if missing:
        raise ReferralProgramInvalidError(
            "a reward names a coupon campaign that does not exist",
            errors=missing,
        )
    document = config.model_dump(mode="json")
    digest = hashlib.sha256(orjson.dumps(document, option=orjson.OPT_SORT_KEYS)).hexdigest()
    repository.save_program(uow.session, document, digest, uow.now, who)
    uow.state.pop("referrals.config", None)
    configs.changed(uow)
    return program_view(uow)


def program_view(uow: UnitOfWork) -> dict[str, Any]:
    row = repository.program_row(uow.session)
    if row is None:
        defaults = ReferralProgramIn(is_active=False).model_dump(mode="json")
        return {**defaults, "version": 0, "updated_at": None, "updated_by": None}
    return {
        **row.config,
        "version": row.version,
        "updated_at": row.updated_at,
        "updated_by": row.updated_by,
    }


# -- codes and links ----------------------------------------------------------------------
def ensure_code(uow: UnitOfWork, member_id: int, first_name: str | None) -> Row[Any]:
    """The member's code and token, created on first use. Safe when two requests create
    it at once (both get the one stored) and on a collision with another member's code.

    Raises:
        ConflictError: ``referral_code_unavailable`` when no free code was found.
    """
    found = repository.code_of(uow.session, member_id)
    if found is not None:
        return found
    prefix = policy.name_prefix(first_name)
    for attempt in range(_CODE_ATTEMPTS):
        code, display = policy.new_code(prefix, 4 if attempt < 3 else 5)
        repository.insert_code(
            uow.session,
            {
                "member_id": member_id,
                "code": code,
                "display": display,
                "token": policy.new_token(),
                "created_at": uow.now,
            },
        )
        found = repository.code_of(uow.session, member_id)
        if found is not None:
            return found
    raise ReferralCodeUnavailableError("no free referral code was found; try again")


def share_codes(
    uow: UnitOfWork, first_names: Mapping[int, str | None]
) -> dict[int, tuple[str, str]]:
    """Per member, their code as shown and their share link, the codes created for those
    who have none: one read and one insert for all (a member whose new code collided gets
    one through ``ensure_code``). Empty while the referral program is not active."""
    config = current_config(uow)
    if config is None or not config.is_active or not first_names:
        return {}
    found = repository.codes_of(uow.session, list(first_names))
    missing = [m for m in first_names if m not in found]
    if missing:
        rows = []
        for member_id in missing:
            code, display = policy.new_code(policy.name_prefix(first_names[member_id]), 4)
            rows.append(
                {
                    "member_id": member_id,
                    "code": code,
                    "display": display,
                    "token": policy.new_token(),
                    "created_at": uow.now,
                }
            )
        repository.insert_codes(uow.session, rows)
        found.update(repository.codes_of(uow.session, missing))
        for member_id in missing:
            if member_id not in found:
                found[member_id] = ensure_code(uow, member_id, first_names[member_id])
    return {
        member_id: (row.display, config.share_base_url + row.token)
        for member_id, row in found.items()
    }


def friend_offer(uow: UnitOfWork) -> dict[str, str] | None:
    """What the program offers a referred friend, in English and Russian, without the
    referrer's name (None without an active program or an offer)."""
    config = current_config(uow)
    if config is None or not config.is_active:
        return None
    return policy.offer(config, None)


def referrer_points(uow: UnitOfWork) -> int:
    """The points a rewarded referrer gets per converted friend (0 for a coupon reward,
    none, or without an active program; milestones come on top)."""
    config = current_config(uow)
    if config is None or not config.is_active or config.referrer_reward is None:
        return 0
    return config.referrer_reward.points or 0


def member_referral(uow: UnitOfWork, external_id: str) -> dict[str, Any]:
    """The member's code, share link and funnel (the code is created if missing).

    Raises:
        NotFoundError: ``member_not_found``.
    """
    member = members.get_member(uow, external_id)
    row = ensure_code(uow, member.id, members.profile(uow, member).first_name)
    config = current_config(uow) or ReferralProgramIn(is_active=False)
    return {
        "member_id": external_id,
        "code": row.display,
        "token": row.token,
        "share_url": config.share_base_url + row.token,
        "is_program_active": config.is_active,
        "funnel": repository.funnel(uow.session, member.id, None, None),
    }


def resolve_code(uow: UnitOfWork, typed: str) -> dict[str, Any]:
    """Whether a typed code is valid and what the friend is offered (never the referrer's
    personal data; the first name only if the program shows it)."""
    normalized = policy.normalize_code(typed)
    row = repository.code_by_code(uow.session, normalized) if normalized else None
    return _resolution(uow, row, {"code": typed})


def resolve_token(uow: UnitOfWork, token: str) -> dict[str, Any]:
    return _resolution(uow, repository.code_by_token(uow.session, token), {"token": token})


def _resolution(uow: UnitOfWork, row: Row[Any] | None, asked: dict[str, str]) -> dict[str, Any]:
    config = current_config(uow)
    if row is None or config is None or not config.is_active:
        reason = "unknown" if row is None else "program_inactive"
        return {**asked, "is_valid": False, "reason": reason, "offer": None}
    name = None
    if config.show_referrer_name:
        ext = members.external_ids(uow, [row.member_id])[row.member_id]
        name = members.profile(uow, members.get_member(uow, ext)).first_name
    return {
        **asked,
        "is_valid": True,
        "code": row.display,
        "referrer_first_name": name,
        "offer": policy.offer(config, name),
        "friend_reward": policy.reward_view(config.friend_reward),
    }


def record_click(
    uow: UnitOfWork, token: str, click_id: str, ip: str | None, device_id: str | None
) -> dict[str, Any]:
    """Count a click on a share link once per click id, at most ``MAX_CLICKS_PER_DAY`` per
    link and day. Raises NotFoundError ``referral_link_not_found``."""
    row = repository.code_by_token(uow.session, token)
    if row is None:
        raise ReferralLinkNotFoundError("no share link has this token")
    since = uow.now - timedelta(days=1)
    if repository.clicks_since(uow.session, row.member_id, since) >= MAX_CLICKS_PER_DAY:
        return {"click_id": click_id, "is_recorded": False, "reason": "daily_limit"}
    digests = activities.signal_digests(Signals(ip=ip, device_id=device_id)) or {}
    recorded = repository.insert_click(
        uow.session,
        {
            "referrer_id": row.member_id,
            "click_id": click_id,
            "ip_index": digests.get("ip"),
            "device_index": digests.get("device_id"),
            "clicked_at": uow.now,
        },
    )
    return {
        "click_id": click_id,
        "is_recorded": recorded,
        "reason": None if recorded else "duplicate",
    }


def record_share(uow: UnitOfWork, external_id: str, channel: str) -> dict[str, Any]:
    """Raises NotFoundError ``member_not_found``."""
    member_id = members.get_member_id(uow, external_id)
    share_id = repository.insert_share(
        uow.session, {"member_id": member_id, "channel": channel, "shared_at": uow.now}
    )
    return {"id": share_id, "member_id": external_id, "channel": channel, "shared_at": uow.now}


# -- signals ------------------------------------------------------------------------------
def record_signals(
    uow: UnitOfWork, member_id: int, signals: Mapping[str, str] | None, at: datetime
) -> None:
    """Remember the hashed signals a member's own event carried."""
    if not signals:
        return
    repository.record_signals(
        uow.session,
        [
            {
                "member_id": member_id,
                "kind": kind,
                "digest": digest,
                "first_seen_at": at,
                "last_seen_at": at,
            }
            for kind, digest in sorted(signals.items())
            if kind in SignalKind.__members__.values()
        ],
    )


@dataclass(slots=True)
class Attributions:
    """What attributing a run of facts reads, loaded at once (``prepare_attributions``):
    the codes and links named, the members on both sides, their hashed signals, the
    friends' paid orders and whether each referrer was referred (the unit's book)."""

    codes: dict[str, Row[Any]] = field(default_factory=dict)
    tokens: dict[str, Row[Any]] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    signals: dict[int, list[Row[Any]]] = field(default_factory=dict)
    orders: dict[int, list[activities.PaidOrder]] = field(default_factory=dict)


def prepare_attributions(
    uow: UnitOfWork, wanted: Sequence[tuple[int, Mapping[str, str]]]
) -> Attributions:
    """Load for ``(friend_id, reference)`` pairs, in a few queries, what :func:`attribute`
    reads of them; signals recorded before this call are included."""
    known = Attributions()
    config = current_config(uow)
    if not wanted or config is None or not config.is_active:
        return known
    typed = {policy.normalize_code(ref["code"]) for _, ref in wanted if "code" in ref}
    typed.discard("")
    tokens = {ref.get("token", "") for _, ref in wanted if "code" not in ref}
    known.codes = repository.codes_by_code(uow.session, typed)
    known.tokens = repository.codes_by_token(uow.session, tokens)
    referrers = {int(r.member_id) for r in (*known.codes.values(), *known.tokens.values())}
    friends = {friend for friend, _ in wanted}
    parties = referrers | friends
    known.members = members.find_members_by_ids(uow, parties)
    for row in repository.signals_of(uow.session, parties):
        known.signals.setdefault(int(row.member_id), []).append(row)
    if config.fraud.existing_customer.action != Action.OFF:
        known.orders = activities.paid_orders(uow, friends)
    ReferralBook.of(uow).load(referrers)
    return known


def _parties(
    uow: UnitOfWork,
    known: Attributions,
    referrer_id: int,
    friend_id: int,
    at: datetime,
    window_days: int,
    current: Mapping[str, str] | None,
) -> tuple[policy.Party, policy.Party, datetime | None]:
    """What the fraud rules know of referrer and friend, and when the friend enrolled."""
    every: dict[int, dict[str, set[str]]] = {referrer_id: {}, friend_id: {}}
    recent: dict[int, dict[str, set[str]]] = {referrer_id: {}, friend_id: {}}
    since = at - timedelta(days=window_days)
    for member_id in dict.fromkeys((referrer_id, friend_id)):
        for row in known.signals.get(member_id, ()):
            every[member_id].setdefault(row.kind, set()).add(row.digest)
            if row.last_seen_at >= since and row.first_seen_at <= at:
                recent[member_id].setdefault(row.kind, set()).add(row.digest)
    for kind, digest in (current or {}).items():
        every[friend_id].setdefault(kind, set()).add(digest)
        recent[friend_id].setdefault(kind, set()).add(digest)

    def party(member_id: int) -> policy.Party:
        member = known.members.get(member_id)
        if member is None:
            return policy.Party(member_id, signals=every[member_id], recent=recent[member_id])
        personal = members.profile(uow, member)
        return policy.Party(
            member_id=member_id,
            email_index=member.email_index,
            phone_index=member.phone_index,
            email=personal.email,
            name=personal.full_name,
            signals=every[member_id],
            recent=recent[member_id],
        )

    friend = known.members.get(friend_id)
    return party(referrer_id), party(friend_id), friend.enrolled_at if friend else None


# -- attribution --------------------------------------------------------------------------
def attribute(
    uow: UnitOfWork,
    program: ProgramPolicy,
    known: Attributions,
    *,
    friend_id: int,
    ref: Mapping[str, str],
    signals: Mapping[str, str] | None,
    at: datetime,
    on: AttributedOn,
    order_id: str | None = None,
) -> Row[Any] | None:
    """Attribute the friend to the owner of the code or link, once: the first valid
    attribution wins (``INSERT … ON CONFLICT (friend_id) DO NOTHING``). A code typed at
    sign-up always counts; a code at the first order counts within the attribution window
    after the friend's sign-up; a link within the window after its last click (or share,
    or its creation). A code or token that does not resolve changes nothing. Fraud rules
    decide the status (pending, review, blocked); each rule that fired is recorded.
    ``known`` holds what :func:`prepare_attributions` loaded for the friend and reference.
    Returns the new referral, or None."""
    config = current_config(uow)
    if config is None or not config.is_active:
        return None
    if "code" in ref:
        found = known.codes.get(policy.normalize_code(ref["code"]))
        via = Via.CODE
    else:
        found = known.tokens.get(ref.get("token", ""))
        via = Via.TOKEN
    if found is None:
        return None
    referrer_id = int(found.member_id)
    window_start = at - timedelta(days=config.attribution_window_days)
    if via == Via.TOKEN:
        touch = repository.last_touch(uow.session, referrer_id, at) or found.created_at
        if touch < window_start:
            return None
    window = config.fraud.self_referral.signal_window_days
    referrer, friend, enrolled_at = _parties(
        uow, known, referrer_id, friend_id, at, window, signals
    )
    # A code at the first order, or any reference on a later ``member.enrolled`` of a
    # member who signed up long ago, counts only within the window after the sign-up.
    if (
        (via == Via.CODE or on == AttributedOn.ENROLLED)
        and enrolled_at is not None
        and enrolled_at < window_start
    ):
        return None
    velocity = config.fraud.velocity
    ip, device = (signals or {}).get("ip"), (signals or {}).get("device_id")
    checks = policy.fraud_checks(
        config,
        referrer,
        friend,
        prior_orders=sum(
            1
            for paid in known.orders.get(friend_id, ())
            if paid.paid_at < at and paid.order_id != order_id
        ),
        velocity_count=repository.velocity_count(
            uow.session, ip, device, at - timedelta(days=velocity.days), at
        ),
        referred_by_friend=_referred_by(uow, referrer_id) == friend_id,
    )
    status = policy.status_of(checks)
    welcome_now = (
        status == ReferralStatus.PENDING
        and config.friend_reward is not None
        and config.friend_reward.on == "enrolled"
    )
    row = repository.insert_referral(
        uow.session,
        {
            "friend_id": friend_id,
            "referrer_id": referrer_id,
            "via": via,
            "attributed_on": on,
            "status": status,
            "checks": [c.as_dict() for c in checks],
            "history": [step(uow.now, "attributed", status=status.value, via=via.value)],
            "ip_index": ip,
            "device_index": device,
            "attributed_at": at,
            "is_friend_rewarded": welcome_now,
        },
    )
    if row is None:
        return None
    ReferralBook.of(uow).attributed(row)
    uow.state[_ANY_REFERRAL] = True
    uow.emit(ReferralAttributed(row.id, referrer_id, friend_id, status.value, at))
    if welcome_now:
        assert config.friend_reward is not None
        _grant(
            uow,
            program,
            friend_id,
            config.friend_reward,
            reason_code="referral_friend",
            params={"referral_id": row.id},
            source=f"referral:{row.id}:friend",
        )
    return row


def _referred_by(uow: UnitOfWork, member_id: int) -> int | None:
    """Who referred the member (None: nobody), as the unit's book knows it."""
    row = ReferralBook.of(uow).referrals([member_id]).get(member_id)
    return None if row is None else int(row.referrer_id)


def step(at: datetime, what: str, **details: Any) -> dict[str, Any]:
    """One entry of a referral's history."""
    return {"at": at.isoformat(), "what": what, **details}


def reward_friend(
    uow: UnitOfWork,
    program: ProgramPolicy,
    config: ReferralProgramIn,
    referral_id: int,
    friend_id: int,
    *,
    order_id: str | None,
    matures_at: datetime | None,
) -> bool:
    """Give the friend the welcome reward once: on sign-up at once; with the first
    qualifying order as points pending until the order matures. True when given now."""
    reward = config.friend_reward
    if reward is None or (reward.on == "first_order" and order_id is None):
        return False
    if not repository.set_friend_rewarded(uow.session, referral_id):
        return False
    pending_until = matures_at if reward.on == "first_order" else None
    _grant(
        uow,
        program,
        friend_id,
        reward,
        reason_code="referral_friend",
        params={"referral_id": referral_id, **({"order_id": order_id} if order_id else {})},
        source=f"referral:{referral_id}:friend",
        order_ref=order_id if reward.on == "first_order" else None,
        available_at=pending_until,
    )
    return True


def _grant(
    uow: UnitOfWork,
    program: ProgramPolicy,
    member_id: int,
    reward: Reward,
    *,
    reason_code: str,
    params: dict[str, Any],
    source: str,
    order_ref: str | None = None,
    available_at: datetime | None = None,
) -> dict[str, Any]:
    if reward.points is not None:
        ledger.lock(uow, [member_id])
        award = Award(reward.points, reason_code, params, available_at=available_at)
        ledger.award_points(
            uow,
            member_id,
            [award],
            program,
            order_ref=order_ref,
            source=source,
            trigger=reason_code,
        )
        return {"points": reward.points}
    assert reward.coupon_campaign is not None
    coupons.issue_granted(uow, [(member_id, reward.coupon_campaign, source)])
    return {"coupon_campaign": reward.coupon_campaign}


# -- the review queue ---------------------------------------------------------------------
def get_referral(uow: UnitOfWork, referral_id: int) -> Row[Any]:
    """Raises NotFoundError ``referral_not_found``."""
    row = repository.referral(uow.session, referral_id)
    if row is None:
        raise ReferralNotFoundError(f"referral {referral_id} does not exist")
    return row


def decide(
    uow: UnitOfWork,
    program: ProgramPolicy,
    referral_id: int,
    *,
    approve: bool,
    note: str,
    who: str,
    actor: Actor,
    reason: DecisionReason | None = None,
) -> dict[str, Any]:
    """Approve (the referral goes on as if no rule had fired: the friend's reward is given
    now) or reject a referral held for review; who, when, the note and the reason code are
    recorded in its history and in the audit trail (``referral.approved`` or
    ``referral.rejected``).

    Raises:
        InvalidRequestError: ``request_invalid``, a reason that does not fit the decision
            (pointer ``/reason``).
        NotFoundError: ``referral_not_found``.
        ConflictError: ``referral_not_in_review`` (decided already, or never held).
    """
    if reason is not None and not policy.reason_fits(reason, approve=approve):
        decision = "an approval" if approve else "a rejection"
        detail = f"{reason.value!r} is no reason for {decision}"
        raise RequestInvalidError(detail, errors=[FieldError("/reason", detail)])
    row = get_referral(uow, referral_id)
    # The friend's balance first, then the referral row: the order the handlers use.
    ledger.lock(uow, [row.friend_id])
    if approve:
        status = ReferralStatus.QUALIFYING if row.order_id else ReferralStatus.PENDING
    else:
        status = ReferralStatus.REJECTED
    given = {"reason": reason.value} if reason is not None else {}
    history = [
        *row.history,
        step(uow.now, "approved" if approve else "rejected", by=who, note=note, **given),
    ]
    changed = repository.change(
        uow.session,
        referral_id,
        [ReferralStatus.REVIEW],
        {
            "status": status,
            "decided_by": who,
            "decided_at": uow.now,
            "decision_note": note,
            "history": history,
        },
    )
    if not changed:
        raise ReferralNotInReviewError(f"referral {referral_id} is {row.status}, not in review")
    audit.record(
        uow,
        actor,
        "referral.approved" if approve else "referral.rejected",
        target_type="referral",
        target_id=str(referral_id),
        member_id=int(row.friend_id),
        before={"status": ReferralStatus.REVIEW.value, "checks": row.checks},
        after={"status": status.value, **given},
        reason=note,
    )
    config = current_config(uow)
    if approve and config is not None:
        reward_friend(
            uow,
            program,
            config,
            referral_id,
            row.friend_id,
            order_id=row.order_id,
            matures_at=row.matures_at,
        )
    return referral_view(uow, get_referral(uow, referral_id))


def list_referrals(
    uow: UnitOfWork,
    *,
    status: str | None,
    referrer: str | None,
    after_id: int | None,
    limit: int,
) -> list[dict[str, Any]]:
    referrer_id = members.get_member_id(uow, referrer) if referrer is not None else None
    rows = repository.list_referrals(
        uow.session, status=status, referrer_id=referrer_id, after_id=after_id, limit=limit
    )
    return referral_views(uow, rows)


def referral_view(uow: UnitOfWork, row: Row[Any]) -> dict[str, Any]:
    return referral_views(uow, [row])[0]


def referral_views(uow: UnitOfWork, rows: Sequence[Row[Any]]) -> list[dict[str, Any]]:
    ids = members.external_ids(uow, {r.referrer_id for r in rows} | {r.friend_id for r in rows})
    return [
        {
            "id": r.id,
            "referrer_id": ids.get(r.referrer_id),
            "friend_id": ids.get(r.friend_id),
            "status": r.status,
            "via": r.via,
            "attributed_on": r.attributed_on,
            "attributed_at": r.attributed_at,
            "checks": r.checks,
            "order_id": r.order_id,
            "matures_at": r.matures_at,
            "is_friend_rewarded": r.is_friend_rewarded,
            "converted_at": r.converted_at,
            "is_rewarded": r.is_rewarded,
            "reward": r.reward,
            "decided_by": r.decided_by,
            "decided_at": r.decided_at,
            "decision_note": r.decision_note,
            "history": r.history,
        }
        for r in rows
    ]


def converted_counts(uow: UnitOfWork, referrer_ids: Sequence[int]) -> dict[int, int]:
    """How many referrals of each referrer converted (one ``ReferralConverted`` each)."""
    return repository.converted_counts(uow.session, referrer_ids)


# -- conversion ---------------------------------------------------------------------------
def convert_due(uow: UnitOfWork, program: ProgramPolicy, *, limit: int = 200) -> int:
    """Convert qualifying referrals whose order matured: each once (a conditional update
    from ``qualifying``), whatever reruns or concurrent runs do. The referrer is rewarded
    within the cap (milestones too); conversions past the cap are recorded unrewarded.
    Returns how many converted in this pass."""
    due = repository.due(uow.session, uow.now, limit)
    if not due:
        return 0
    config = current_config(uow) or ReferralProgramIn(is_active=False)
    # Every referrer's balance in key order first: concurrent runs never deadlock, and
    # the cap and milestone counts of one referrer are read under that lock.
    ledger.lock(uow, sorted({referrer for _, referrer in due}))
    converted = 0
    for referral_id, referrer_id in due:
        row = repository.referral(uow.session, referral_id)
        if row is None or not repository.change(
            uow.session,
            referral_id,
            [ReferralStatus.QUALIFYING],
            {"status": ReferralStatus.CONVERTED, "converted_at": uow.now},
            extra=repository.REFERRALS.c.matures_at <= uow.now,
        ):
            continue
        rewarded, reward = _reward_referrer(uow, program, config, referral_id, referrer_id)
        repository.change(
            uow.session,
            referral_id,
            [ReferralStatus.CONVERTED],
            {
                "is_rewarded": rewarded,
                "reward": reward,
                "history": [*row.history, step(uow.now, "converted", rewarded=rewarded)],
            },
        )
        order_id = str(row.order_id)
        uow.emit(
            ReferralConverted(
                referral_id, referrer_id, int(row.friend_id), order_id, uow.now, rewarded
            )
        )
        rules.run_trigger(
            uow,
            program,
            member_id=referrer_id,
            trigger="referral.converted",
            key=f"referral.converted:{referral_id}",
            occurred_at=uow.now,
            data={"referral_id": referral_id, "order_id": order_id, "rewarded": rewarded},
        )
        converted += 1
    return converted


def _reward_referrer(
    uow: UnitOfWork,
    program: ProgramPolicy,
    config: ReferralProgramIn,
    referral_id: int,
    referrer_id: int,
) -> tuple[bool, dict[str, Any]]:
    cap = config.cap
    if cap is not None:
        since = None
        if cap.per == "year":
            local = uow.now.astimezone(program.zone)
            since = local.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
        if repository.rewarded_count(uow.session, referrer_id, since) >= cap.max_rewarded:
            return False, {"capped": True, "cap": cap.max_rewarded, "per": cap.per}
    given: dict[str, Any] = {}
    if config.referrer_reward is not None:
        given["referrer"] = _grant(
            uow,
            program,
            referrer_id,
            config.referrer_reward,
            reason_code="referral_referrer",
            params={"referral_id": referral_id},
            source=f"referral:{referral_id}:referrer",
        )
    # This referral is not marked rewarded yet: it is the next one.
    count = repository.rewarded_count(uow.session, referrer_id, None) + 1
    for milestone in config.milestones:
        if count % milestone.every == 0:
            given.setdefault("milestones", []).append(
                {
                    "every": milestone.every,
                    "count": count,
                    **_grant(
                        uow,
                        program,
                        referrer_id,
                        milestone.reward,
                        reason_code="referral_milestone",
                        params={"referral_id": referral_id, "referrals": count},
                        source=f"referral:{referral_id}:milestone:{milestone.every}",
                    ),
                }
            )
    return True, given


# -- figures ------------------------------------------------------------------------------
def funnel(
    uow: UnitOfWork, referrer: str | None, start: datetime | None, end: datetime | None
) -> dict[str, Any]:
    """Raises NotFoundError ``member_not_found`` for an unknown referrer."""
    referrer_id = members.get_member_id(uow, referrer) if referrer is not None else None
    figures = repository.funnel(uow.session, referrer_id, start, end)
    if referrer is not None:
        figures.pop("ambassadors")
    return {"referrer_id": referrer, "from": start, "to": end, **figures}


def leaderboard(
    uow: UnitOfWork, start: datetime | None, end: datetime | None, limit: int
) -> dict[str, Any]:
    rows = repository.leaderboard(uow.session, start, end, limit)
    ids = members.external_ids(uow, [m for m, _, _ in rows])
    return {
        "from": start,
        "to": end,
        "items": [
            {"rank": rank, "member_id": ids.get(m), "converted": n, "last_converted_at": last}
            for rank, (m, n, last) in enumerate(rows, start=1)
        ],
    }


# -- erasure and retention ------------------------------------------------------------------
def erase_members(uow: UnitOfWork, member_ids: Sequence[int]) -> dict[int, int]:
    """The members are being erased: their personal codes (made from their names) stop
    working and are deleted, the keyed hashes of their signals go, and so do the ones kept
    with their referrals and the clicks on their links. Who referred whom stays (the
    rewards in the books rest on it). Returns the rows deleted per member."""
    return repository.erase_members(uow.session, member_ids)


def retire_order_refs(uow: UnitOfWork, refs: dict[str, str]) -> None:
    """The accounting period of these orders ran out: referrals name them by the opaque
    ids given (``old -> new``)."""
    repository.rename_orders(uow.session, refs)
