from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="FunnelCounts")


@_attrs_define
class FunnelCounts:
    """Counts of the referral funnel's stages.

    Attributes:
        shares (int):
        clicks (int):
        attributed (int):
        enrolled (int):
        pending (int):
        review (int):
        qualifying (int):
        blocked (int):
        rejected (int):
        converted (int):
        rewarded (int):
        ambassadors (int | None | Unset): referrers with a converted referral; not for one referrer
    """

    shares: int
    clicks: int
    attributed: int
    enrolled: int
    pending: int
    review: int
    qualifying: int
    blocked: int
    rejected: int
    converted: int
    rewarded: int
    ambassadors: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        shares = self.shares

        clicks = self.clicks

        attributed = self.attributed

        enrolled = self.enrolled

        pending = self.pending

        review = self.review

        qualifying = self.qualifying

        blocked = self.blocked

        rejected = self.rejected

        converted = self.converted

        rewarded = self.rewarded

        ambassadors: int | None | Unset
        if isinstance(self.ambassadors, Unset):
            ambassadors = UNSET
        else:
            ambassadors = self.ambassadors

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "shares": shares,
                "clicks": clicks,
                "attributed": attributed,
                "enrolled": enrolled,
                "pending": pending,
                "review": review,
                "qualifying": qualifying,
                "blocked": blocked,
                "rejected": rejected,
                "converted": converted,
                "rewarded": rewarded,
            }
        )
        if ambassadors is not UNSET:
            field_dict["ambassadors"] = ambassadors

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        shares = d.pop("shares")

        clicks = d.pop("clicks")

        attributed = d.pop("attributed")

        enrolled = d.pop("enrolled")

        pending = d.pop("pending")

        review = d.pop("review")

        qualifying = d.pop("qualifying")

        blocked = d.pop("blocked")

        rejected = d.pop("rejected")

        converted = d.pop("converted")

        rewarded = d.pop("rewarded")

        def _parse_ambassadors(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        ambassadors = _parse_ambassadors(d.pop("ambassadors", UNSET))

        funnel_counts = cls(
            shares=shares,
            clicks=clicks,
            attributed=attributed,
            enrolled=enrolled,
            pending=pending,
            review=review,
            qualifying=qualifying,
            blocked=blocked,
            rejected=rejected,
            converted=converted,
            rewarded=rewarded,
            ambassadors=ambassadors,
        )

        funnel_counts.additional_properties = d
        return funnel_counts

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
