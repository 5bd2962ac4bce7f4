from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.level_ref import LevelRef
    from ..models.next_level import NextLevel


T = TypeVar("T", bound="MemberLevel")


@_attrs_define
class MemberLevel:
    """
    Attributes:
        points (int): the member's lifetime earned points
        current (LevelRef | None):
        next_ (NextLevel | None):
    """

    points: int
    current: LevelRef | None
    next_: NextLevel | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.level_ref import LevelRef  # noqa: PLC0415
        from ..models.next_level import NextLevel  # noqa: PLC0415

        points = self.points

        current: dict[str, Any] | None
        if isinstance(self.current, LevelRef):
            current = self.current.to_dict()
        else:
            current = self.current

        next_: dict[str, Any] | None
        if isinstance(self.next_, NextLevel):
            next_ = self.next_.to_dict()
        else:
            next_ = self.next_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "points": points,
                "current": current,
                "next": next_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.level_ref import LevelRef  # noqa: PLC0415
        from ..models.next_level import NextLevel  # noqa: PLC0415

        d = dict(src_dict)
        points = d.pop("points")

        def _parse_current(data: object) -> LevelRef | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                current_type_0 = LevelRef.from_dict(data)

                return current_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LevelRef | None, data)

        current = _parse_current(d.pop("current"))

        def _parse_next_(data: object) -> NextLevel | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                next_type_0 = NextLevel.from_dict(data)

                return next_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NextLevel | None, data)

        next_ = _parse_next_(d.pop("next"))

        member_level = cls(
            points=points,
            current=current,
            next_=next_,
        )

        member_level.additional_properties = d
        return member_level

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
