from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TwilioSmsApiV1ProvidersTwilioSmsPostBody")


@_attrs_define
class TwilioSmsApiV1ProvidersTwilioSmsPostBody:
    """
    Attributes:
        from_ (str | Unset):
        body (str | Unset):
    """

    from_: str | Unset = UNSET
    body: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_

        body = self.body

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if from_ is not UNSET:
            field_dict["From"] = from_
        if body is not UNSET:
            field_dict["Body"] = body

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        from_ = d.pop("From", UNSET)

        body = d.pop("Body", UNSET)

        twilio_sms_api_v1_providers_twilio_sms_post_body = cls(
            from_=from_,
            body=body,
        )

        twilio_sms_api_v1_providers_twilio_sms_post_body.additional_properties = d
        return twilio_sms_api_v1_providers_twilio_sms_post_body

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
