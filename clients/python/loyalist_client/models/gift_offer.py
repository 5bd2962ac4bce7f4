from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="GiftOffer")


@_attrs_define
class GiftOffer:
    """A surprise gift: reward ``reward`` granted with no points cost.

    Attributes:
        reward (str):
    """

    reward: str

    def to_dict(self) -> dict[str, Any]:
        reward = self.reward

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "reward": reward,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reward = d.pop("reward")

        gift_offer = cls(
            reward=reward,
        )

        return gift_offer
