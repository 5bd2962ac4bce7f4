from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="LineMatch")


@_attrs_define
class LineMatch:
    """Which order lines an effect counts: any listed SKU or category, and the condition.

    Attributes:
        skus (list[str] | Unset):
        categories (list[str] | Unset):
        condition (None | str | Unset): CEL over `line` (and the rule's other variables); slower than lists.
    """

    skus: list[str] | Unset = UNSET
    categories: list[str] | Unset = UNSET
    condition: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        skus: list[str] | Unset = UNSET
        if not isinstance(self.skus, Unset):
            skus = self.skus

        categories: list[str] | Unset = UNSET
        if not isinstance(self.categories, Unset):
            categories = self.categories

        condition: None | str | Unset
        if isinstance(self.condition, Unset):
            condition = UNSET
        else:
            condition = self.condition

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if skus is not UNSET:
            field_dict["skus"] = skus
        if categories is not UNSET:
            field_dict["categories"] = categories
        if condition is not UNSET:
            field_dict["condition"] = condition

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        skus = cast(list[str], d.pop("skus", UNSET))

        categories = cast(list[str], d.pop("categories", UNSET))

        def _parse_condition(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        condition = _parse_condition(d.pop("condition", UNSET))

        line_match = cls(
            skus=skus,
            categories=categories,
            condition=condition,
        )

        return line_match
