from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.reward import Reward


T = TypeVar("T", bound="Milestone")


@_attrs_define
class Milestone:
    """An extra reward for every ``every``-th rewarded referral of a referrer.

    Attributes:
        every (int):
        reward (Reward): Points (available at once) or a personal coupon of a campaign: exactly one.
    """

    every: int
    reward: Reward

    def to_dict(self) -> dict[str, Any]:
        every = self.every

        reward = self.reward.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "every": every,
                "reward": reward,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.reward import Reward  # noqa: PLC0415

        d = dict(src_dict)
        every = d.pop("every")

        reward = Reward.from_dict(d.pop("reward"))

        milestone = cls(
            every=every,
            reward=reward,
        )

        return milestone
