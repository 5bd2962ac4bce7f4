from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.estimate_channels import EstimateChannels
    from ..models.estimate_excluded import EstimateExcluded
    from ..models.estimate_sample import EstimateSample


T = TypeVar("T", bound="Estimate")


@_attrs_define
class Estimate:
    """``POST …/audience/estimate``: members matching the audience, and per channel how
    many can be sent to after consent and suppression (and the control group's share).
    Exact on a small shop; on a large one estimated from a sample of members (``is_exact``
    false, ``sample`` says how: the launch always counts every member).

        Attributes:
            members (int):
            channels (EstimateChannels):
            control (int):
            excluded (EstimateExcluded): members left out by reason: global_holdout, no_consent, suppressed, unreachable (no
                address or device)
            is_exact (bool): true: every member was counted; false: the figures are estimated from `sample` (scaled up,
                rounded)
            sample (EstimateSample | None | Unset): the sample of an estimate (null when exact)
    """

    members: int
    channels: EstimateChannels
    control: int
    excluded: EstimateExcluded
    is_exact: bool
    sample: EstimateSample | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.estimate_sample import EstimateSample  # noqa: PLC0415

        members = self.members

        channels = self.channels.to_dict()

        control = self.control

        excluded = self.excluded.to_dict()

        is_exact = self.is_exact

        sample: dict[str, Any] | None | Unset
        if isinstance(self.sample, Unset):
            sample = UNSET
        elif isinstance(self.sample, EstimateSample):
            sample = self.sample.to_dict()
        else:
            sample = self.sample

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "members": members,
                "channels": channels,
                "control": control,
                "excluded": excluded,
                "is_exact": is_exact,
            }
        )
        if sample is not UNSET:
            field_dict["sample"] = sample

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.estimate_channels import EstimateChannels  # noqa: PLC0415
        from ..models.estimate_excluded import EstimateExcluded  # noqa: PLC0415
        from ..models.estimate_sample import EstimateSample  # noqa: PLC0415

        d = dict(src_dict)
        members = d.pop("members")

        channels = EstimateChannels.from_dict(d.pop("channels"))

        control = d.pop("control")

        excluded = EstimateExcluded.from_dict(d.pop("excluded"))

        is_exact = d.pop("is_exact")

        def _parse_sample(data: object) -> EstimateSample | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                sample_type_0 = EstimateSample.from_dict(data)

                return sample_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EstimateSample | None | Unset, data)

        sample = _parse_sample(d.pop("sample", UNSET))

        estimate = cls(
            members=members,
            channels=channels,
            control=control,
            excluded=excluded,
            is_exact=is_exact,
            sample=sample,
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
