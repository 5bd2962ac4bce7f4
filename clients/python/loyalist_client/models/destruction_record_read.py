from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.destruction_kind import DestructionKind
from ..models.legal_basis import LegalBasis

if TYPE_CHECKING:
    from ..models.actor_read import ActorRead
    from ..models.destruction_record_read_categories import DestructionRecordReadCategories


T = TypeVar("T", bound="DestructionRecordRead")


@_attrs_define
class DestructionRecordRead:
    """What was destroyed of one member, how, when, by whom and on what ground.

    Attributes:
        id (int):
        subject (str): the opaque id the member row carries now
        kind (DestructionKind): Why a member's personal data was destroyed: someone asked (the member, an authority,
            the operator), or the retention period after the member's last activity ran out.
        legal_basis (LegalBasis): The ground of a destruction, as the act states it (docs/privacy.md maps each to the
            articles of the GDPR and 152-FZ).
        reference (None | str):
        note (None | str):
        categories (DestructionRecordReadCategories): what was destroyed: personal fields by name, rows or fields per
            category
        method (str):
        points_closed (int): net points the erasure entry closed
        actor (ActorRead):
        audit_seq (int | None): the `privacy.erasure` row of the audit trail
        performed_at (datetime.datetime):
    """

    id: int
    subject: str
    kind: DestructionKind
    legal_basis: LegalBasis
    reference: None | str
    note: None | str
    categories: DestructionRecordReadCategories
    method: str
    points_closed: int
    actor: ActorRead
    audit_seq: int | None
    performed_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        subject = self.subject

        kind = self.kind.value

        legal_basis = self.legal_basis.value

        reference: None | str
        reference = self.reference

        note: None | str
        note = self.note

        categories = self.categories.to_dict()

        method = self.method

        points_closed = self.points_closed

        actor = self.actor.to_dict()

        audit_seq: int | None
        audit_seq = self.audit_seq

        performed_at = self.performed_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "subject": subject,
                "kind": kind,
                "legal_basis": legal_basis,
                "reference": reference,
                "note": note,
                "categories": categories,
                "method": method,
                "points_closed": points_closed,
                "actor": actor,
                "audit_seq": audit_seq,
                "performed_at": performed_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.actor_read import ActorRead  # noqa: PLC0415
        from ..models.destruction_record_read_categories import DestructionRecordReadCategories  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        subject = d.pop("subject")

        kind = DestructionKind(d.pop("kind"))

        legal_basis = LegalBasis(d.pop("legal_basis"))

        def _parse_reference(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reference = _parse_reference(d.pop("reference"))

        def _parse_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        note = _parse_note(d.pop("note"))

        categories = DestructionRecordReadCategories.from_dict(d.pop("categories"))

        method = d.pop("method")

        points_closed = d.pop("points_closed")

        actor = ActorRead.from_dict(d.pop("actor"))

        def _parse_audit_seq(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        audit_seq = _parse_audit_seq(d.pop("audit_seq"))

        performed_at = datetime.datetime.fromisoformat(d.pop("performed_at"))

        destruction_record_read = cls(
            id=id,
            subject=subject,
            kind=kind,
            legal_basis=legal_basis,
            reference=reference,
            note=note,
            categories=categories,
            method=method,
            points_closed=points_closed,
            actor=actor,
            audit_seq=audit_seq,
            performed_at=performed_at,
        )

        destruction_record_read.additional_properties = d
        return destruction_record_read

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
