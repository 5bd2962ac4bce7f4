"""Privacy use cases: export a member's data, erase it keeping the books exact, list the
destruction records.

An erasure runs in the caller's unit of work (one transaction per member on request, or
per chunk of members for retention and the benchmark) and changes other domains only
through their services, in this order: the books first (checkouts released, unspent
points closed), then what was said (messages, referral codes and signals, game lists,
scores), the identity (profile, devices, external id), then the stored events, which name
the member by the new opaque id.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from loyalist.activities import service as activities
from loyalist.audit import service as audit
from loyalist.audit.models import Actor
from loyalist.checkout import service as checkout
from loyalist.db.uow import UnitOfWork
from loyalist.gamification import service as gamification
from loyalist.insights import service as insights
from loyalist.ledger import erasure as ledger
from loyalist.members import service as members
from loyalist.members.errors import MemberNotFoundError
from loyalist.messages import service as messages
from loyalist.privacy import export, policy, repository
from loyalist.privacy.models import DestructionKind, DestructionRecord, LegalBasis
from loyalist.privacy.schemas import ActorRead, DestructionRecordRead, ErasureIn
from loyalist.referrals import service as referrals


def _member_id(uow: UnitOfWork, external_id: str) -> int:
    """The member named by the shop's id, also after an erasure at their request (the id
    then resolves to the opaque shell, so a repeated request or an export still works).

    Raises:
        MemberNotFoundError: no such member (nor one erased at their request).
    """
    found = members.member_ids(uow, [external_id]).get(external_id)
    if found is None:
        found = members.find_erased(uow, external_id)
    if found is None:
        raise MemberNotFoundError(f"member {external_id!r} does not exist")
    return found


def export_member(uow: UnitOfWork, external_id: str, actor: Actor) -> dict[str, Any]:
    """Everything held about the member as one JSON-ready document (see :mod:`export`),
    recorded in the audit trail as ``privacy.export``.

    Raises:
        MemberNotFoundError: no such member.
    """
    member_id = _member_id(uow, external_id)
    member = repository.member(uow.session, member_id)
    assert member is not None
    document = export.bundle(uow, member)
    audit.record(
        uow,
        actor,
        "privacy.export",
        target_type="member",
        target_id=str(member_id),
        member_id=member_id,
    )
    return document


def erase_member(
    uow: UnitOfWork, external_id: str, request: ErasureIn, actor: Actor
) -> tuple[DestructionRecordRead, bool]:
    """Erase one member at a request; returns the destruction record and whether this call
    made it (a repeated request answers the first record and changes nothing).

    Raises:
        MemberNotFoundError: no such member.
    """
    member_id = _member_id(uow, external_id)
    found = repository.record_of(uow.session, member_id)
    if found is not None:
        return record_read(found), False
    (record,) = erase_members(
        uow,
        [member_id],
        kind=DestructionKind.REQUEST,
        legal_basis=request.legal_basis,
        actor=actor,
        reference=request.reference,
        note=request.note,
    )
    return record, True


def erase_members(
    uow: UnitOfWork,
    member_ids: Sequence[int],
    *,
    kind: DestructionKind,
    legal_basis: LegalBasis,
    actor: Actor,
    reference: str | None = None,
    note: str | None = None,
) -> list[DestructionRecordRead]:
    """Erase the members' personal data and keep the books exact; returns a destruction
    record per member (in id order), one ``privacy.erasure`` audit row each.

    Invariants: the ledger verifies afterwards, and the program's liability drops by
    exactly the points the erasure entries closed; members with a record already are left
    as they are (their record is returned).
    """
    ids = sorted(set(member_ids))
    done = {m: record_read(r) for m, r in repository.records_of(uow.session, ids).items()}
    todo = [m for m in ids if m not in done]
    if not todo:
        return [done[m] for m in ids]
    members.lock_members(uow, todo)
    carts = checkout.erase_member_checkouts(uow, todo)
    closed = ledger.close_for_erasure(uow, todo)
    sent = messages.erase_member_messages(uow, todo)
    referral_rows = referrals.erase_members(uow, todo)
    gamification.erase_member_statistics(uow, todo)
    insights.forget_member_scores(uow, todo)
    identities = members.erase_members(uow, todo, on_request=policy.refuses_return(kind))
    told = activities.erase_member_activities(uow, {m: identities[m].subject for m in todo})
    # Last, the members' data keys: whatever copy of a value sealed under them survives
    # (a backup, a WAL page, a dead PostgreSQL row) can no longer be opened.
    members.destroy_data_key(uow, todo)
    seqs = audit.record_many(
        uow,
        actor,
        "privacy.erasure",
        [
            {
                "target_type": "member",
                "target_id": str(m),
                "member_id": m,
                "after": {
                    "subject": identities[m].subject,
                    "kind": kind.value,
                    "legal_basis": legal_basis.value,
                    "points_closed": closed.get(m, 0),
                },
                "reason": note,
            }
            for m in todo
        ],
    )
    rows: list[dict[str, Any]] = [
        {
            "member_id": m,
            "subject": identities[m].subject,
            "kind": kind.value,
            "legal_basis": legal_basis.value,
            "reference": reference,
            "note": note,
            "categories": {
                "profile_fields": list(identities[m].fields),
                "devices": identities[m].devices,
                "consent_addresses": identities[m].consent_addresses,
                "events": told.activities.get(m, 0),
                "order_lines": told.order_lines.get(m, 0),
                "review_texts": told.review_texts.get(m, 0),
                "messages": sent.get(m, 0),
                "referral_rows": referral_rows.get(m, 0),
                "checkouts": carts.get(m, 0),
            },
            "method": policy.METHOD,
            "points_closed": closed.get(m, 0),
            "actor_kind": actor.kind.value,
            "actor_id": actor.id,
            "actor_label": actor.label,
            "audit_seq": seq,
            "performed_at": uow.now,
        }
        for m, seq in zip(todo, seqs, strict=True)
    ]
    made = repository.add_records(uow.session, rows)
    for m, record_id, row in zip(todo, made, rows, strict=True):
        done[m] = DestructionRecordRead(
            id=record_id,
            actor=ActorRead(kind=actor.kind, id=actor.id, label=actor.label),
            **{k: v for k, v in row.items() if not k.startswith("actor_") and k != "member_id"},
        )
    return [done[m] for m in ids]


def record_read(record: DestructionRecord) -> DestructionRecordRead:
    return DestructionRecordRead(
        id=record.id,
        subject=record.subject,
        kind=DestructionKind(record.kind),
        legal_basis=LegalBasis(record.legal_basis),
        reference=record.reference,
        note=record.note,
        categories=record.categories,
        method=record.method,
        points_closed=record.points_closed,
        actor=ActorRead(kind=record.actor_kind, id=record.actor_id, label=record.actor_label),
        audit_seq=record.audit_seq,
        performed_at=record.performed_at,
    )


def destruction_records(
    uow: UnitOfWork, *, limit: int, before: tuple[datetime, int] | None
) -> tuple[list[DestructionRecordRead], tuple[datetime, int] | None]:
    """A page of destruction records, newest first, and the cursor of the next page."""
    found = repository.records_page(uow.session, limit, before)
    last = found[-1] if len(found) == limit else None
    return [record_read(r) for r in found], (last.performed_at, last.id) if last else None


def acts(
    uow: UnitOfWork, *, since: datetime | None = None, until: datetime | None = None
) -> Iterator[DestructionRecordRead]:
    """Every destruction record performed in ``[since, until)``, oldest first (streamed:
    the acts an operator files)."""
    for record in repository.records_between(uow.session, since, until):
        yield record_read(record)
