from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PointsOffer")


@_attrs_define
class PointsOffer:
    """Bonus points on each paid order in the campaign window, or a multiplier of the
    order's base points: a rule (``cmp-<campaign>-<arm>``) created at launch for the
    members of the arm and retired when the campaign ends.

        Attributes:
            points (int | None | Unset):
            multiplier (float | None | str | Unset):
            max_per_member (int | None | Unset):
    """

    points: int | None | Unset = UNSET
    multiplier: float | None | str | Unset = UNSET
    max_per_member: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        points: int | None | Unset
        if isinstance(self.points, Unset):
            points = UNSET
        else:
            points = self.points

        multiplier: float | None | str | Unset
        if isinstance(self.multiplier, Unset):
            multiplier = UNSET
        else:
            multiplier = self.multiplier

        max_per_member: int | None | Unset
        if isinstance(self.max_per_member, Unset):
            max_per_member = UNSET
        else:
            max_per_member = self.max_per_member

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if points is not UNSET:
            field_dict["points"] = points
        if multiplier is not UNSET:
            field_dict["multiplier"] = multiplier
        if max_per_member is not UNSET:
            field_dict["max_per_member"] = max_per_member

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_points(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        points = _parse_points(d.pop("points", UNSET))

        def _parse_multiplier(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        multiplier = _parse_multiplier(d.pop("multiplier", UNSET))

        def _parse_max_per_member(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_per_member = _parse_max_per_member(d.pop("max_per_member", UNSET))

        points_offer = cls(
            points=points,
            multiplier=multiplier,
            max_per_member=max_per_member,
        )

        return points_offer
