from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.count_range import CountRange


T = TypeVar("T", bound="EstimateSampleChannels")


@_attrs_define
class EstimateSampleChannels:
    """the interval of each of `channels`"""

    additional_properties: dict[str, CountRange] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            field_dict[prop_name] = prop.to_dict()

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.count_range import CountRange  # noqa: PLC0415

        d = dict(src_dict)
        estimate_sample_channels = cls()

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional_property = CountRange.from_dict(prop_dict)

            additional_properties[prop_name] = additional_property

        estimate_sample_channels.additional_properties = additional_properties
        return estimate_sample_channels

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> CountRange:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: CountRange) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
