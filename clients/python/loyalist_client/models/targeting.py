from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Targeting")


@_attrs_define
class Targeting:
    """
    Attributes:
        tiers (list[str] | Unset): Any of these tier keys.
        segments (list[str] | Unset): Any of these segments.
        offers (list[str] | Unset): Members holding any of these offers (a campaign's `campaign:<key>/<arm>`).
    """

    tiers: list[str] | Unset = UNSET
    segments: list[str] | Unset = UNSET
    offers: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        tiers: list[str] | Unset = UNSET
        if not isinstance(self.tiers, Unset):
            tiers = self.tiers

        segments: list[str] | Unset = UNSET
        if not isinstance(self.segments, Unset):
            segments = self.segments

        offers: list[str] | Unset = UNSET
        if not isinstance(self.offers, Unset):
            offers = self.offers

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if tiers is not UNSET:
            field_dict["tiers"] = tiers
        if segments is not UNSET:
            field_dict["segments"] = segments
        if offers is not UNSET:
            field_dict["offers"] = offers

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        tiers = cast(list[str], d.pop("tiers", UNSET))

        segments = cast(list[str], d.pop("segments", UNSET))

        offers = cast(list[str], d.pop("offers", UNSET))

        targeting = cls(
            tiers=tiers,
            segments=segments,
            offers=offers,
        )

        return targeting
