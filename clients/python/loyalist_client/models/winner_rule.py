from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WinnerRule")


@_attrs_define
class WinnerRule:
    """
    Attributes:
        min_members (int):
        alpha (float):
        correction (Literal['holm']):
    """

    min_members: int
    alpha: float
    correction: Literal["holm"]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        min_members = self.min_members

        alpha = self.alpha

        correction = self.correction

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "min_members": min_members,
                "alpha": alpha,
                "correction": correction,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        min_members = d.pop("min_members")

        alpha = d.pop("alpha")

        correction = cast(Literal["holm"], d.pop("correction"))
        if correction != "holm":
            raise ValueError(f"correction must match const 'holm', got '{correction}'")

        winner_rule = cls(
            min_members=min_members,
            alpha=alpha,
            correction=correction,
        )

        winner_rule.additional_properties = d
        return winner_rule

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
