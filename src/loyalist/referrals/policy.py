"""Pure referral decisions: codes people can read aloud, the fraud rules, qualifying
orders and the friend's offer. No I/O; time and facts are passed in."""

from __future__ import annotations

import re
import secrets
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from anyascii import anyascii

from loyalist.coupons.codes import ALPHABET, normalize
from loyalist.i18n import plural
from loyalist.referrals.models import DecisionReason, ReferralStatus
from loyalist.referrals.schemas import Action, ReferralProgramIn, Reward

#: The name part of a code: capital Latin letters only, at most this many.
PREFIX_LETTERS = 8
FALLBACK_PREFIX = "FRIEND"
TOKEN_BYTES = 24  # 192 bits, 32 URL-safe characters


def name_prefix(first_name: str | None) -> str:
    """``Анна`` → ``ANNA``, ``Zoë`` → ``ZOE``; ``FRIEND`` when nothing readable is left."""
    letters = re.sub(r"[^A-Z]", "", anyascii(first_name or "").upper())[:PREFIX_LETTERS]
    return letters or FALLBACK_PREFIX


def new_code(prefix: str, length: int) -> tuple[str, str]:
    """``(stored, shown)``: ``("ANNA7K2Q", "ANNA-7K2Q")``; the random part comes from the
    coupon alphabet (no 0/O, 1/I/L, U) and the CSPRNG."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(length))
    return prefix + body, f"{prefix}-{body}"


def normalize_code(typed: str) -> str:
    """What a person typed, as codes are stored: capitals, no spaces, hyphens, underscores."""
    return normalize(typed)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


# -- fraud rules --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Party:
    """What the fraud rules know of a referrer or a friend (blind indexes, hashed
    signals; names and e-mail only in memory)."""

    member_id: int
    email_index: str | None = None
    phone_index: str | None = None
    email: str | None = None
    name: str | None = None
    #: Hashed signals: kind -> digests (all time).
    signals: Mapping[str, Collection[str]] = field(default_factory=dict)
    #: Hashed IPs and devices seen within the self-referral window.
    recent: Mapping[str, Collection[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Check:
    rule: str
    action: Action
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "action": self.action.value, "reason": self.reason}


def is_disposable(domain: str, add: Collection[str], exceptions: Collection[str]) -> bool:
    """The domain or a parent of it is on the shipped list or the program's additions,
    and neither it nor a parent is an exception."""
    parts = domain.lower().strip(".").split(".")
    candidates = [".".join(parts[i:]) for i in range(len(parts) - 1)]
    if any(c in exceptions for c in candidates):
        return False
    # Imported here (rapidfuzz too, in _similar): they would slow every command, and only
    # a referral's sign-up checks for fraud.
    from disposable_email_domains import blocklist

    return any(c in add or c in blocklist for c in candidates)


def _similar(a: str | None, b: str | None, threshold: int) -> float | None:
    if not a or not b:
        return None
    left, right = anyascii(a).casefold().strip(), anyascii(b).casefold().strip()
    if not left or not right:
        return None
    from rapidfuzz import fuzz

    score = fuzz.ratio(left, right)
    return score if score >= threshold else None


def fraud_checks(
    config: ReferralProgramIn,
    referrer: Party,
    friend: Party,
    *,
    prior_orders: int,
    velocity_count: int,
    referred_by_friend: bool = False,
) -> list[Check]:
    """Every rule that fired (switched-off rules never do). The same member referring
    themselves always blocks, whatever the configuration."""
    rules = config.fraud
    found: list[Check] = []
    if referrer.member_id == friend.member_id:
        return [Check("self_referral", Action.BLOCK, "the referrer referred themselves")]
    action = rules.self_referral.action
    if action != Action.OFF:
        reasons = []
        if referred_by_friend:
            reasons.append("the referrer was referred by this friend")
        if friend.email_index and friend.email_index == referrer.email_index:
            reasons.append("same e-mail address")
        if friend.phone_index and friend.phone_index == referrer.phone_index:
            reasons.append("same phone number")
        for kind, label in (
            ("payment_fingerprint", "same payment fingerprint"),
            ("address_fingerprint", "same address fingerprint"),
        ):
            if set(friend.signals.get(kind, ())) & set(referrer.signals.get(kind, ())):
                reasons.append(label)
        for kind, label in (("device_id", "same device"), ("ip", "same IP address")):
            if set(friend.recent.get(kind, ())) & set(referrer.recent.get(kind, ())):
                reasons.append(f"{label} within {rules.self_referral.signal_window_days} days")
        if reasons:
            found.append(Check("self_referral", action, "; ".join(reasons)))
    if rules.existing_customer.action != Action.OFF and prior_orders > 0:
        found.append(
            Check(
                "existing_customer",
                rules.existing_customer.action,
                f"the friend paid {prior_orders} order(s) before the referral",
            )
        )
    if rules.disposable_email.action != Action.OFF and friend.email and "@" in friend.email:
        domain = friend.email.rsplit("@", 1)[1]
        edits = config.disposable_domains
        if is_disposable(domain, set(edits.add), set(edits.exceptions)):
            found.append(
                Check(
                    "disposable_email",
                    rules.disposable_email.action,
                    f"disposable e-mail domain {domain}",
                )
            )
    velocity = rules.velocity
    if velocity.action != Action.OFF and velocity_count >= velocity.max_referrals:
        found.append(
            Check(
                "velocity",
                velocity.action,
                f"{velocity_count + 1} referrals from one IP address or device within "
                f"{velocity.days} days (more than {velocity.max_referrals})",
            )
        )
    similar = rules.similar_identity
    if similar.action != Action.OFF:
        reasons = []
        score = _similar(referrer.name, friend.name, similar.threshold)
        if score is not None:
            reasons.append(f"names {score:.0f}% alike")
        # The same address is the self-referral rule's; this one is for look-alikes.
        same = bool(friend.email_index) and friend.email_index == referrer.email_index
        local = [p.email.split("@")[0] if p.email else None for p in (referrer, friend)]
        score = None if same else _similar(local[0], local[1], similar.threshold)
        if score is not None:
            reasons.append(f"e-mail addresses {score:.0f}% alike")
        if reasons:
            found.append(Check("similar_identity", similar.action, "; ".join(reasons)))
    return found


def status_of(checks: Collection[Check]) -> ReferralStatus:
    actions = {c.action for c in checks}
    if Action.BLOCK in actions:
        return ReferralStatus.BLOCKED
    if Action.REVIEW in actions:
        return ReferralStatus.REVIEW
    return ReferralStatus.PENDING


#: The reasons that fit an approval and a rejection of a held referral.
APPROVAL_REASONS = (
    DecisionReason.SIGNALS_EXPLAINED,
    DecisionReason.VERIFIED_NEW_CUSTOMER,
    DecisionReason.OTHER,
)
REJECTION_REASONS = (
    DecisionReason.SAME_PERSON,
    DecisionReason.EXISTING_CUSTOMER,
    DecisionReason.DISPOSABLE_EMAIL,
    DecisionReason.REFERRAL_FARMING,
    DecisionReason.OTHER,
)


def reason_fits(reason: DecisionReason, *, approve: bool) -> bool:
    """Whether ``reason`` explains an approval (``approve``) or a rejection."""
    return reason in (APPROVAL_REASONS if approve else REJECTION_REASONS)


def qualifies(config: ReferralProgramIn, currency: str, net_amount: int) -> bool:
    """A first order counts when its net amount reaches the currency's minimum (any
    positive amount when the currency has none)."""
    return net_amount > 0 and net_amount >= config.min_order.get(currency, 0)


# -- what the friend is offered -----------------------------------------------------------
_POINTS = {"en": ("point", "points")}
_BONUS_RU = ("бонусный балл", "бонусных балла", "бонусных баллов")


def offer(config: ReferralProgramIn, referrer_name: str | None) -> dict[str, str] | None:
    """The friend's offer in English and Russian (the program's own text if it has one)."""
    if config.offer is not None:
        return config.offer.model_dump()
    reward = config.friend_reward
    if reward is None:
        return None
    when = {
        "enrolled": ("when you sign up", "при регистрации"),
        "first_order": ("with your first order", "за первый заказ"),
    }[reward.on]
    what = _reward_text(reward)
    en, ru = f"{what['en']} {when[0]}", f"{what['ru']} {when[1]}"
    if referrer_name:
        en = f"{referrer_name} invites you: {en}"
        ru = f"{referrer_name} приглашает вас: {ru}"
    return {"en": en[0].upper() + en[1:], "ru": ru[0].upper() + ru[1:]}


def _reward_text(reward: Reward) -> dict[str, str]:
    if reward.points is not None:
        n = reward.points
        return {
            "en": f"{n} bonus {plural('en', n, _POINTS['en'])}",
            "ru": f"{n} {plural('ru', n, _BONUS_RU)}",
        }
    return {"en": "a welcome coupon", "ru": "приветственный купон"}


def reward_view(reward: Reward | None) -> dict[str, Any] | None:
    return None if reward is None else reward.model_dump(exclude_none=True)
