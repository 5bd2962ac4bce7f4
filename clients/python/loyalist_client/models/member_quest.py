from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.quest_period_read import QuestPeriodRead
    from ..models.quest_reward import QuestReward
    from ..models.quest_step_read import QuestStepRead


T = TypeVar("T", bound="MemberQuest")


@_attrs_define
class MemberQuest:
    """A quest in the current period, with the member's progress per step.

    Attributes:
        key (str):
        name (None | str):
        description (None | str):
        period (QuestPeriodRead):
        steps (list[QuestStepRead]):
        is_completed (bool):
        completed_at (datetime.datetime | None):
        reward (QuestReward): What completing the quest gives, once per member and period.
    """

    key: str
    name: None | str
    description: None | str
    period: QuestPeriodRead
    steps: list[QuestStepRead]
    is_completed: bool
    completed_at: datetime.datetime | None
    reward: QuestReward
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        name: None | str
        name = self.name

        description: None | str
        description = self.description

        period = self.period.to_dict()

        steps = []
        for steps_item_data in self.steps:
            steps_item = steps_item_data.to_dict()
            steps.append(steps_item)

        is_completed = self.is_completed

        completed_at: None | str
        if isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        reward = self.reward.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "name": name,
                "description": description,
                "period": period,
                "steps": steps,
                "is_completed": is_completed,
                "completed_at": completed_at,
                "reward": reward,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.quest_period_read import QuestPeriodRead  # noqa: PLC0415
        from ..models.quest_reward import QuestReward  # noqa: PLC0415
        from ..models.quest_step_read import QuestStepRead  # noqa: PLC0415

        d = dict(src_dict)
        key = d.pop("key")

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        period = QuestPeriodRead.from_dict(d.pop("period"))

        steps = []
        _steps = d.pop("steps")
        for steps_item_data in _steps:
            steps_item = QuestStepRead.from_dict(steps_item_data)

            steps.append(steps_item)

        is_completed = d.pop("is_completed")

        def _parse_completed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        completed_at = _parse_completed_at(d.pop("completed_at"))

        reward = QuestReward.from_dict(d.pop("reward"))

        member_quest = cls(
            key=key,
            name=name,
            description=description,
            period=period,
            steps=steps,
            is_completed=is_completed,
            completed_at=completed_at,
            reward=reward,
        )

        member_quest.additional_properties = d
        return member_quest

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
