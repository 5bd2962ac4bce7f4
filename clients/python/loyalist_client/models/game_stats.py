from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="GameStats")


@_attrs_define
class GameStats:
    """
    Attributes:
        orders (int):
        categories (int):
        reviews (int):
        surveys (int):
        referrals (int):
        quests (int):
        badges (int):
    """

    orders: int
    categories: int
    reviews: int
    surveys: int
    referrals: int
    quests: int
    badges: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        orders = self.orders

        categories = self.categories

        reviews = self.reviews

        surveys = self.surveys

        referrals = self.referrals

        quests = self.quests

        badges = self.badges

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "orders": orders,
                "categories": categories,
                "reviews": reviews,
                "surveys": surveys,
                "referrals": referrals,
                "quests": quests,
                "badges": badges,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        orders = d.pop("orders")

        categories = d.pop("categories")

        reviews = d.pop("reviews")

        surveys = d.pop("surveys")

        referrals = d.pop("referrals")

        quests = d.pop("quests")

        badges = d.pop("badges")

        game_stats = cls(
            orders=orders,
            categories=categories,
            reviews=reviews,
            surveys=surveys,
            referrals=referrals,
            quests=quests,
            badges=badges,
        )

        game_stats.additional_properties = d
        return game_stats

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
