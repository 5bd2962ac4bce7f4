from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.action import Action
from ..types import UNSET, Unset

T = TypeVar("T", bound="SelfReferralRule")


@_attrs_define
class SelfReferralRule:
    """
    Attributes:
        action (Action | Unset): What a fraud rule does when it fires.
        signal_window_days (int | Unset): same IP or device seen this recently Default: 30.
    """

    action: Action | Unset = UNSET
    signal_window_days: int | Unset = 30

    def to_dict(self) -> dict[str, Any]:
        action: str | Unset = UNSET
        if not isinstance(self.action, Unset):
            action = self.action.value

        signal_window_days = self.signal_window_days

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if action is not UNSET:
            field_dict["action"] = action
        if signal_window_days is not UNSET:
            field_dict["signal_window_days"] = signal_window_days

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

        signal_window_days = d.pop("signal_window_days", UNSET)

        self_referral_rule = cls(
            action=action,
            signal_window_days=signal_window_days,
        )

        return self_referral_rule
