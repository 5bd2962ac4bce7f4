from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SavePreferencesPreferencesTokenPostBody")


@_attrs_define
class SavePreferencesPreferencesTokenPostBody:
    """
    Attributes:
        save (str | Unset): 1
        channel (str | Unset): a ticked channel (repeated): email, sms, push
        topic (str | Unset): a ticked topic (repeated)
        text_email (str | Unset): the version of the consent text shown under a channel's box
    """

    save: str | Unset = UNSET
    channel: str | Unset = UNSET
    topic: str | Unset = UNSET
    text_email: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        save = self.save

        channel = self.channel

        topic = self.topic

        text_email = self.text_email

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if save is not UNSET:
            field_dict["save"] = save
        if channel is not UNSET:
            field_dict["channel"] = channel
        if topic is not UNSET:
            field_dict["topic"] = topic
        if text_email is not UNSET:
            field_dict["text_email"] = text_email

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        save = d.pop("save", UNSET)

        channel = d.pop("channel", UNSET)

        topic = d.pop("topic", UNSET)

        text_email = d.pop("text_email", UNSET)

        save_preferences_preferences_token_post_body = cls(
            save=save,
            channel=channel,
            topic=topic,
            text_email=text_email,
        )

        save_preferences_preferences_token_post_body.additional_properties = d
        return save_preferences_preferences_token_post_body

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
