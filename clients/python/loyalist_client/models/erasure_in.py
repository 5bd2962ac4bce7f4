from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.legal_basis import LegalBasis
from ..types import UNSET, Unset

T = TypeVar("T", bound="ErasureIn")


@_attrs_define
class ErasureIn:
    """Why a member's personal data is erased, as the destruction record will say.

    Attributes:
        legal_basis (LegalBasis | Unset): The ground of a destruction, as the act states it (docs/privacy.md maps each
            to the
            articles of the GDPR and 152-FZ).
        reference (None | str | Unset): the operator's number for the request: its register of requests links the person
            to this record, which names them only by an opaque id
        note (None | str | Unset): why, in words
    """

    legal_basis: LegalBasis | Unset = UNSET
    reference: None | str | Unset = UNSET
    note: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        legal_basis: str | Unset = UNSET
        if not isinstance(self.legal_basis, Unset):
            legal_basis = self.legal_basis.value

        reference: None | str | Unset
        if isinstance(self.reference, Unset):
            reference = UNSET
        else:
            reference = self.reference

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if legal_basis is not UNSET:
            field_dict["legal_basis"] = legal_basis
        if reference is not UNSET:
            field_dict["reference"] = reference
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _legal_basis = d.pop("legal_basis", UNSET)
        legal_basis: LegalBasis | Unset
        if isinstance(_legal_basis, Unset):
            legal_basis = UNSET
        else:
            legal_basis = LegalBasis(_legal_basis)

        def _parse_reference(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reference = _parse_reference(d.pop("reference", UNSET))

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        erasure_in = cls(
            legal_basis=legal_basis,
            reference=reference,
            note=note,
        )

        return erasure_in
