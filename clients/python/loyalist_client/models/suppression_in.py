from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.message_channel import MessageChannel
from ..models.suppression_reason import SuppressionReason
from ..types import UNSET, Unset

T = TypeVar("T", bound="SuppressionIn")


@_attrs_define
class SuppressionIn:
    """Stop messages to a member's channel (``unsubscribe`` is recorded by the one-click
    link and by withdrawing consent, not here).

        Attributes:
            channel (MessageChannel):
            reason (SuppressionReason | Unset):
    """

    channel: MessageChannel
    reason: SuppressionReason | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel.value

        reason: str | Unset = UNSET
        if not isinstance(self.reason, Unset):
            reason = self.reason.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "channel": channel,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        channel = MessageChannel(d.pop("channel"))

        _reason = d.pop("reason", UNSET)
        reason: SuppressionReason | Unset
        if isinstance(_reason, Unset):
            reason = UNSET
        else:
            reason = SuppressionReason(_reason)

        suppression_in = cls(
            channel=channel,
            reason=reason,
        )

        suppression_in.additional_properties = d
        return suppression_in

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
