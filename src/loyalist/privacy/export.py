"""The export bundle: everything the program holds about one member, as one JSON document
(format ``loyalist.member-export``, version 1; docs/privacy.md)."""

from __future__ import annotations

from typing import Any

import orjson

from loyalist.activities import service as activities
from loyalist.db.crypto import Field
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import balances
from loyalist.members import service as members
from loyalist.members.models import CONSENT_CHANGE_IP, CONSENT_IP, DEVICE_TOKEN, Member
from loyalist.messages.models import CONTEXT, HTML, SUBJECT, TEXT
from loyalist.messages.policy import StatusEntry, status_history
from loyalist.privacy import policy, repository
from loyalist.privacy.repository import columns


def bundle(uow: UnitOfWork, member: Member) -> dict[str, Any]:
    """The member's bundle: profile (decrypted), consents with their evidence (the IP
    address decrypted) and their trail, the ledger (summary, entries with their text in
    the member's language, lots, holds), every stored event (sealed fields decrypted),
    orders with lines and returns, reviews, survey answers with their comments,
    checkouts, coupons, rewards, referrals, messages with their rendered parts and status
    history, gamification, tiers, rules' counters, scores and segments, devices (tokens
    masked), the audit rows about the member and, after an erasure, its destruction
    record."""
    s = uow.session
    rows = repository.member_sections(s, member.id)
    # Personal values are sealed under the member's data key (none after an erasure).
    cipher = members.ciphers(uow, [member.id])[member.id]
    personal = members.profile(uow, member)
    events = [(a, activities.disclosed_data(a, cipher)) for a in rows["activities"]]
    comments = {
        a.event_id: data["comment"] for a, data in events if data.get("comment") is not None
    }

    def opened(section: str, field: Field) -> list[dict[str, Any]]:
        return [
            {**_without_member(columns(row)), "ip": cipher.open(field, row.ip)}
            for row in rows[section]
        ]

    def message(m: Any) -> dict[str, Any]:
        return {
            **_without_member(columns(m)),
            "context": _json(cipher.open(CONTEXT, m.context)),
            "subject": cipher.open(SUBJECT, m.subject),
            "body_text": cipher.open(TEXT, m.body_text),
            "body_html": cipher.open(HTML, m.body_html),
            "history": statuses.get(m.id, []),
        }

    stored: dict[str, list[StatusEntry]] = {}
    for change in rows["message_statuses"]:
        stored.setdefault(change.message_id, []).append(
            StatusEntry(change.status, change.reason, change.changed_at)
        )
    statuses = {
        m.id: [
            {"status": e.status, "reason": e.reason, "changed_at": e.changed_at}
            for e in status_history(m.created_at, stored.get(m.id, []))
        ]
        for m in rows["messages"]
    }

    def plain(section: str) -> list[dict[str, Any]]:
        return [_without_member(columns(row)) for row in rows[section]]

    def one(section: str) -> dict[str, Any] | None:
        found = plain(section)
        return found[0] if found else None

    return {
        "format": policy.EXPORT_FORMAT,
        "version": policy.EXPORT_VERSION,
        "generated_at": uow.now,
        "member": {
            "id": member.external_id,
            "erased_at": member.erased_at,
            "profile": {
                "email": personal.email,
                "phone": personal.phone,
                "first_name": personal.first_name,
                "last_name": personal.last_name,
                "birthday": personal.birthday,
                "locale": member.locale,
                "timezone": member.timezone,
                "attributes": member.attributes or {},
                "enrolled_at": member.enrolled_at,
                "created_at": member.created_at,
                "updated_at": member.updated_at,
            },
            "devices": [
                {
                    **_without_member(columns(d)),
                    "token": policy.mask_token(cipher.open(DEVICE_TOKEN, d.token) or ""),
                }
                for d in rows["devices"]
            ],
        },
        "consents": {
            "purposes": opened("consents", CONSENT_IP),
            "changes": opened("consent_changes", CONSENT_CHANGE_IP),
            "topics": plain("topic_preferences"),
            "topic_changes": plain("topic_changes"),
        },
        "ledger": {
            "summary": balances.points_summary(uow, member.id),
            "balance": one("balance"),
            "entries": [
                {**_without_member(columns(p)), "text": balances.posting_text(p, member.locale)}
                for p in rows["postings"]
            ],
            "lots": plain("lots"),
            "holds": plain("holds"),
        },
        "events": [{**_without_member(columns(a)), "data": data} for a, data in events],
        "orders": [
            {
                **_without_member(columns(order)),
                "lines": [_without(columns(line), "order_id") for line in lines],
                "returns": [_without(columns(ret), "order_id") for ret in returns],
            }
            for order, lines, returns in repository.orders(s, member.id)
        ],
        "reviews": plain("reviews"),
        "survey_answers": [
            {**_without_member(columns(a)), "comment": comments.get(a.event_id)}
            for a in rows["survey_answers"]
        ],
        "checkouts": plain("checkouts"),
        "coupons": {
            "codes": plain("coupon_codes"),
            "redemptions": plain("coupon_redemptions"),
            "uses": plain("coupon_uses"),
        },
        "rewards": {"redemptions": plain("reward_redemptions")},
        "referrals": {
            "code": one("referral_code"),
            "referred_by": one("referred_by"),
            "referred": plain("referred"),
            "shares": plain("referral_shares"),
            "clicks": plain("referral_clicks"),
            "signals": plain("referral_signals"),
        },
        "messages": [message(m) for m in rows["messages"]],
        "suppressions": plain("suppressions"),
        "gamification": {
            "statistics": one("game_statistics"),
            "badges": plain("badges"),
            "quests": plain("quests"),
            "streaks": plain("streaks"),
        },
        "tiers": {
            "current": one("tier"),
            "memberships": plain("tier_memberships"),
            "changes": plain("tier_changes"),
            "credits": plain("tier_credits"),
        },
        "rules": {
            "counters": plain("rule_counters"),
            "triggers": plain("rule_triggers"),
            "order_statistics": one("order_statistics"),
        },
        "insights": {"segments": member.segments or [], "scores": plain("scores")},
        "audit": plain("audit"),
        "destruction_record": one("destruction_records"),
    }


def _without(row: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in names}


def _without_member(row: dict[str, Any]) -> dict[str, Any]:
    """The member's own key is the bundle's subject, not repeated in every row."""
    return _without(row, "member_id")


def _json(text: str | None) -> Any:
    """A message's template context (JSON text) as data."""
    return None if text is None else orjson.loads(text)
