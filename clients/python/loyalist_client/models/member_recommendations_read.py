from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.method import Method

if TYPE_CHECKING:
    from ..models.recommendation_read import RecommendationRead


T = TypeVar("T", bound="MemberRecommendationsRead")


@_attrs_define
class MemberRecommendationsRead:
    """
    Attributes:
        member_id (str):
        method (Method): How a personal recommendation was chosen.
        computed_at (datetime.datetime | None): the model's refresh; null: never
        items (list[RecommendationRead]):
    """

    member_id: str
    method: Method
    computed_at: datetime.datetime | None
    items: list[RecommendationRead]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        member_id = self.member_id

        method = self.method.value

        computed_at: None | str
        if isinstance(self.computed_at, datetime.datetime):
            computed_at = self.computed_at.isoformat()
        else:
            computed_at = self.computed_at

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "member_id": member_id,
                "method": method,
                "computed_at": computed_at,
                "items": items,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.recommendation_read import RecommendationRead  # noqa: PLC0415

        d = dict(src_dict)
        member_id = d.pop("member_id")

        method = Method(d.pop("method"))

        def _parse_computed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                computed_at_type_0 = datetime.datetime.fromisoformat(data)

                return computed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        computed_at = _parse_computed_at(d.pop("computed_at"))

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = RecommendationRead.from_dict(items_item_data)

            items.append(items_item)

        member_recommendations_read = cls(
            member_id=member_id,
            method=method,
            computed_at=computed_at,
            items=items,
        )

        member_recommendations_read.additional_properties = d
        return member_recommendations_read

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
