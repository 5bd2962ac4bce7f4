from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="GrantReward")


@_attrs_define
class GrantReward:
    """Grant the member a catalogue reward without its points cost, a "surprise" (carried
    out by the rewards domain; the reward's stock and per-member limit still apply).

        Attributes:
            type_ (Literal['reward']):
            reward (str):
    """

    type_: Literal["reward"]
    reward: str

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        reward = self.reward

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "reward": reward,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["reward"], d.pop("type"))
        if type_ != "reward":
            raise ValueError(f"type must match const 'reward', got '{type_}'")

        reward = d.pop("reward")

        grant_reward = cls(
            type_=type_,
            reward=reward,
        )

        return grant_reward
