from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="NeighbourRead")


@_attrs_define
class NeighbourRead:
    """
    Attributes:
        sku (str):
        score (float): the requested score (lift or cosine)
        lift (float): n_ab · N / (n_a · n_b); above 1: bought together more than chance
        cosine (float): n_ab / √(n_a · n_b), in (0, 1]
        support (int): baskets holding both items
    """

    sku: str
    score: float
    lift: float
    cosine: float
    support: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        sku = self.sku

        score = self.score

        lift = self.lift

        cosine = self.cosine

        support = self.support

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "sku": sku,
                "score": score,
                "lift": lift,
                "cosine": cosine,
                "support": support,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        sku = d.pop("sku")

        score = d.pop("score")

        lift = d.pop("lift")

        cosine = d.pop("cosine")

        support = d.pop("support")

        neighbour_read = cls(
            sku=sku,
            score=score,
            lift=lift,
            cosine=cosine,
            support=support,
        )

        neighbour_read.additional_properties = d
        return neighbour_read

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
