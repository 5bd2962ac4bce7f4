from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.streak_spec_period import StreakSpecPeriod
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.name import Name


T = TypeVar("T", bound="StreakSpec")


@_attrs_define
class StreakSpec:
    """Consecutive weeks or months (program time zone) with a qualifying event.

    Attributes:
        name (Name): A text members may read, in English and Russian.
        period (StreakSpecPeriod):
        on (list[str]):
        description (Name | None | Unset):
        condition (None | str | Unset):
        is_active (bool | Unset):  Default: True.
    """

    name: Name
    period: StreakSpecPeriod
    on: list[str]
    description: Name | None | Unset = UNSET
    condition: None | str | Unset = UNSET
    is_active: bool | Unset = True

    def to_dict(self) -> dict[str, Any]:
        from ..models.name import Name  # noqa: PLC0415

        name = self.name.to_dict()

        period = self.period.value

        on = self.on

        description: dict[str, Any] | None | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        elif isinstance(self.description, Name):
            description = self.description.to_dict()
        else:
            description = self.description

        condition: None | str | Unset
        if isinstance(self.condition, Unset):
            condition = UNSET
        else:
            condition = self.condition

        is_active = self.is_active

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "period": period,
                "on": on,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if condition is not UNSET:
            field_dict["condition"] = condition
        if is_active is not UNSET:
            field_dict["is_active"] = is_active

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.name import Name  # noqa: PLC0415

        d = dict(src_dict)
        name = Name.from_dict(d.pop("name"))

        period = StreakSpecPeriod(d.pop("period"))

        on = cast(list[str], d.pop("on"))

        def _parse_description(data: object) -> Name | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                description_type_0 = Name.from_dict(data)

                return description_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Name | None | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_condition(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        condition = _parse_condition(d.pop("condition", UNSET))

        is_active = d.pop("is_active", UNSET)

        streak_spec = cls(
            name=name,
            period=period,
            on=on,
            description=description,
            condition=condition,
            is_active=is_active,
        )

        return streak_spec
