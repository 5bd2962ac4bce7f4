from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.action import Action
from ..types import UNSET, Unset

T = TypeVar("T", bound="VelocityRule")


@_attrs_define
class VelocityRule:
    """
    Attributes:
        action (Action | Unset): What a fraud rule does when it fires.
        max_referrals (int | Unset):  Default: 3.
        days (int | Unset):  Default: 7.
    """

    action: Action | Unset = UNSET
    max_referrals: int | Unset = 3
    days: int | Unset = 7

    def to_dict(self) -> dict[str, Any]:
        action: str | Unset = UNSET
        if not isinstance(self.action, Unset):
            action = self.action.value

        max_referrals = self.max_referrals

        days = self.days

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if action is not UNSET:
            field_dict["action"] = action
        if max_referrals is not UNSET:
            field_dict["max_referrals"] = max_referrals
        if days is not UNSET:
            field_dict["days"] = days

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _action = d.pop("action", UNSET)
        action: Action | Unset
        if isinstance(_action, Unset):
            action = UNSET
        else:
            action = Action(_action)

        max_referrals = d.pop("max_referrals", UNSET)

        days = d.pop("days", UNSET)

        velocity_rule = cls(
            action=action,
            max_referrals=max_referrals,
            days=days,
        )

        return velocity_rule
