from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CampaignStats")


@_attrs_define
class CampaignStats:
    """
    Attributes:
        codes (int): usable codes (of ready batches)
        uses (int):
        redeemed (int):
        discount_given (int): minor units, every currency added up
    """

    codes: int
    uses: int
    redeemed: int
    discount_given: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        codes = self.codes

        uses = self.uses

        redeemed = self.redeemed

        discount_given = self.discount_given

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "codes": codes,
                "uses": uses,
                "redeemed": redeemed,
                "discount_given": discount_given,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        codes = d.pop("codes")

        uses = d.pop("uses")

        redeemed = d.pop("redeemed")

        discount_given = d.pop("discount_given")

        campaign_stats = cls(
            codes=codes,
            uses=uses,
            redeemed=redeemed,
            discount_given=discount_given,
        )

        campaign_stats.additional_properties = d
        return campaign_stats

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
