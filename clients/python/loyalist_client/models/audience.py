from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Audience")


@_attrs_define
class Audience:
    """Who the campaign is for: every condition given must hold (each list: any of its
    values); an empty audience is every member. Consent for the campaign's channel and no
    suppression are always required, and members in the program's global holdout are
    never in an audience.

        Attributes:
            condition (None | str | Unset): CEL over `member` (the fields rules see, plus favourites and scores)
            segments (list[str] | Unset):
            tiers (list[str] | Unset):
            rfm (list[str] | Unset): RFM segments (insights' scores)
    """

    condition: None | str | Unset = UNSET
    segments: list[str] | Unset = UNSET
    tiers: list[str] | Unset = UNSET
    rfm: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        condition: None | str | Unset
        if isinstance(self.condition, Unset):
            condition = UNSET
        else:
            condition = self.condition

        segments: list[str] | Unset = UNSET
        if not isinstance(self.segments, Unset):
            segments = self.segments

        tiers: list[str] | Unset = UNSET
        if not isinstance(self.tiers, Unset):
            tiers = self.tiers

        rfm: list[str] | Unset = UNSET
        if not isinstance(self.rfm, Unset):
            rfm = self.rfm

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if condition is not UNSET:
            field_dict["condition"] = condition
        if segments is not UNSET:
            field_dict["segments"] = segments
        if tiers is not UNSET:
            field_dict["tiers"] = tiers
        if rfm is not UNSET:
            field_dict["rfm"] = rfm

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_condition(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        condition = _parse_condition(d.pop("condition", UNSET))

        segments = cast(list[str], d.pop("segments", UNSET))

        tiers = cast(list[str], d.pop("tiers", UNSET))

        rfm = cast(list[str], d.pop("rfm", UNSET))

        audience = cls(
            condition=condition,
            segments=segments,
            tiers=tiers,
            rfm=rfm,
        )

        return audience
