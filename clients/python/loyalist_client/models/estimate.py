from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.estimate_channels import EstimateChannels
    from ..models.estimate_excluded import EstimateExcluded


T = TypeVar("T", bound="Estimate")


@_attrs_define
class Estimate:
    """``POST …/audience/estimate``: members matching the audience, and per channel how
    many can be sent to after consent and suppression (and the control group's share).

        Attributes:
            members (int):
            channels (EstimateChannels):
            control (int):
            excluded (EstimateExcluded): members left out by reason: global_holdout, no_consent, suppressed, unreachable (no
                address or device)
    """

    members: int
    channels: EstimateChannels
    control: int
    excluded: EstimateExcluded
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        members = self.members

        channels = self.channels.to_dict()

        control = self.control

        excluded = self.excluded.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "members": members,
                "channels": channels,
                "control": control,
                "excluded": excluded,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.estimate_channels import EstimateChannels  # noqa: PLC0415
        from ..models.estimate_excluded import EstimateExcluded  # noqa: PLC0415

        d = dict(src_dict)
        members = d.pop("members")

        channels = EstimateChannels.from_dict(d.pop("channels"))

        control = d.pop("control")

        excluded = EstimateExcluded.from_dict(d.pop("excluded"))

        estimate = cls(
            members=members,
            channels=channels,
            control=control,
            excluded=excluded,
        )

        estimate.additional_properties = d
        return estimate

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
