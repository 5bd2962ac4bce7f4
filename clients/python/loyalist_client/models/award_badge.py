from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="AwardBadge")


@_attrs_define
class AwardBadge:
    """Award a badge (carried out by the gamification domain).

    Attributes:
        type_ (Literal['badge']):
        badge (str):
    """

    type_: Literal["badge"]
    badge: str

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        badge = self.badge

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "badge": badge,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["badge"], d.pop("type"))
        if type_ != "badge":
            raise ValueError(f"type must match const 'badge', got '{type_}'")

        badge = d.pop("badge")

        award_badge = cls(
            type_=type_,
            badge=badge,
        )

        return award_badge
