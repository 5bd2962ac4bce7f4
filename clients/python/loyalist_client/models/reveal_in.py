from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.personal_field import PersonalField

T = TypeVar("T", bound="RevealIn")


@_attrs_define
class RevealIn:
    """Which one personal field to show in full, and why (kept in the audit trail).

    Attributes:
        field (PersonalField): A personal field of the profile that staff may reveal one at a time.
        reason (str):
    """

    field: PersonalField
    reason: str

    def to_dict(self) -> dict[str, Any]:
        field = self.field.value

        reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "field": field,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        field = PersonalField(d.pop("field"))

        reason = d.pop("reason")

        reveal_in = cls(
            field=field,
            reason=reason,
        )

        return reveal_in
