from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.count_range import CountRange
    from ..models.estimate_sample_channels import EstimateSampleChannels


T = TypeVar("T", bound="EstimateSample")


@_attrs_define
class EstimateSample:
    """How an estimated audience was measured: the sample read and the intervals of its
    figures.

        Attributes:
            size (int): member ids drawn at random (ids of no member count as drawn)
            population (int): the span of member ids the sample was drawn from
            confidence (float): the intervals' confidence level (0.95)
            members (CountRange): An estimated count's interval (both ends included).
            channels (EstimateSampleChannels): the interval of each of `channels`
    """

    size: int
    population: int
    confidence: float
    members: CountRange
    channels: EstimateSampleChannels
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        size = self.size

        population = self.population

        confidence = self.confidence

        members = self.members.to_dict()

        channels = self.channels.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "size": size,
                "population": population,
                "confidence": confidence,
                "members": members,
                "channels": channels,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.count_range import CountRange  # noqa: PLC0415
        from ..models.estimate_sample_channels import EstimateSampleChannels  # noqa: PLC0415

        d = dict(src_dict)
        size = d.pop("size")

        population = d.pop("population")

        confidence = d.pop("confidence")

        members = CountRange.from_dict(d.pop("members"))

        channels = EstimateSampleChannels.from_dict(d.pop("channels"))

        estimate_sample = cls(
            size=size,
            population=population,
            confidence=confidence,
            members=members,
            channels=channels,
        )

        estimate_sample.additional_properties = d
        return estimate_sample

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
