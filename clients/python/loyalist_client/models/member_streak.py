from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.member_streak_period import MemberStreakPeriod

T = TypeVar("T", bound="MemberStreak")


@_attrs_define
class MemberStreak:
    """
    Attributes:
        key (str):
        name (None | str):
        period (MemberStreakPeriod):
        current (int):
        best (int):
        last_period (None | str):
    """

    key: str
    name: None | str
    period: MemberStreakPeriod
    current: int
    best: int
    last_period: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        name: None | str
        name = self.name

        period = self.period.value

        current = self.current

        best = self.best

        last_period: None | str
        last_period = self.last_period

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "name": name,
                "period": period,
                "current": current,
                "best": best,
                "last_period": last_period,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key = d.pop("key")

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        period = MemberStreakPeriod(d.pop("period"))

        current = d.pop("current")

        best = d.pop("best")

        def _parse_last_period(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_period = _parse_last_period(d.pop("last_period"))

        member_streak = cls(
            key=key,
            name=name,
            period=period,
            current=current,
            best=best,
            last_period=last_period,
        )

        member_streak.additional_properties = d
        return member_streak

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
