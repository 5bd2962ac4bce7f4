from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.name import Name


T = TypeVar("T", bound="QuestStep")


@_attrs_define
class QuestStep:
    """``count`` events of ``event`` (for which ``condition`` holds) complete the step.

    Attributes:
        event (str):
        condition (None | str | Unset):
        count (int | Unset):  Default: 1.
        name (Name | None | Unset):
    """

    event: str
    condition: None | str | Unset = UNSET
    count: int | Unset = 1
    name: Name | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.name import Name  # noqa: PLC0415

        event = self.event

        condition: None | str | Unset
        if isinstance(self.condition, Unset):
            condition = UNSET
        else:
            condition = self.condition

        count = self.count

        name: dict[str, Any] | None | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        elif isinstance(self.name, Name):
            name = self.name.to_dict()
        else:
            name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "event": event,
            }
        )
        if condition is not UNSET:
            field_dict["condition"] = condition
        if count is not UNSET:
            field_dict["count"] = count
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.name import Name  # noqa: PLC0415

        d = dict(src_dict)
        event = d.pop("event")

        def _parse_condition(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        condition = _parse_condition(d.pop("condition", UNSET))

        count = d.pop("count", UNSET)

        def _parse_name(data: object) -> Name | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                name_type_0 = Name.from_dict(data)

                return name_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Name | None | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        quest_step = cls(
            event=event,
            condition=condition,
            count=count,
            name=name,
        )

        return quest_step
