from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.post_purchase_channels_item import PostPurchaseChannelsItem
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tip import Tip


T = TypeVar("T", bound="PostPurchase")


@_attrs_define
class PostPurchase:
    """
    Attributes:
        enabled (bool | Unset):  Default: False.
        channels (list[PostPurchaseChannelsItem] | Unset):
        tips_after_days (int | Unset):  Default: 3.
        review_after_days (int | Unset):  Default: 10.
        nps_after_days (int | Unset):  Default: 30.
        review_points (int | None | Unset): points a review earns (shown)
        review_url (None | str | Unset): may use {sku} and {order_id}
        nps_url (None | str | Unset): may use {survey_id}
        tips (list[Tip] | Unset):
    """

    enabled: bool | Unset = False
    channels: list[PostPurchaseChannelsItem] | Unset = UNSET
    tips_after_days: int | Unset = 3
    review_after_days: int | Unset = 10
    nps_after_days: int | Unset = 30
    review_points: int | None | Unset = UNSET
    review_url: None | str | Unset = UNSET
    nps_url: None | str | Unset = UNSET
    tips: list[Tip] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        channels: list[str] | Unset = UNSET
        if not isinstance(self.channels, Unset):
            channels = []
            for channels_item_data in self.channels:
                channels_item = channels_item_data.value
                channels.append(channels_item)

        tips_after_days = self.tips_after_days

        review_after_days = self.review_after_days

        nps_after_days = self.nps_after_days

        review_points: int | None | Unset
        if isinstance(self.review_points, Unset):
            review_points = UNSET
        else:
            review_points = self.review_points

        review_url: None | str | Unset
        if isinstance(self.review_url, Unset):
            review_url = UNSET
        else:
            review_url = self.review_url

        nps_url: None | str | Unset
        if isinstance(self.nps_url, Unset):
            nps_url = UNSET
        else:
            nps_url = self.nps_url

        tips: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tips, Unset):
            tips = []
            for tips_item_data in self.tips:
                tips_item = tips_item_data.to_dict()
                tips.append(tips_item)

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if channels is not UNSET:
            field_dict["channels"] = channels
        if tips_after_days is not UNSET:
            field_dict["tips_after_days"] = tips_after_days
        if review_after_days is not UNSET:
            field_dict["review_after_days"] = review_after_days
        if nps_after_days is not UNSET:
            field_dict["nps_after_days"] = nps_after_days
        if review_points is not UNSET:
            field_dict["review_points"] = review_points
        if review_url is not UNSET:
            field_dict["review_url"] = review_url
        if nps_url is not UNSET:
            field_dict["nps_url"] = nps_url
        if tips is not UNSET:
            field_dict["tips"] = tips

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tip import Tip  # noqa: PLC0415

        d = dict(src_dict)
        enabled = d.pop("enabled", UNSET)

        _channels = d.pop("channels", UNSET)
        channels: list[PostPurchaseChannelsItem] | Unset = UNSET
        if _channels is not UNSET:
            channels = []
            for channels_item_data in _channels:
                channels_item = PostPurchaseChannelsItem(channels_item_data)

                channels.append(channels_item)

        tips_after_days = d.pop("tips_after_days", UNSET)

        review_after_days = d.pop("review_after_days", UNSET)

        nps_after_days = d.pop("nps_after_days", UNSET)

        def _parse_review_points(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        review_points = _parse_review_points(d.pop("review_points", UNSET))

        def _parse_review_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        review_url = _parse_review_url(d.pop("review_url", UNSET))

        def _parse_nps_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        nps_url = _parse_nps_url(d.pop("nps_url", UNSET))

        _tips = d.pop("tips", UNSET)
        tips: list[Tip] | Unset = UNSET
        if _tips is not UNSET:
            tips = []
            for tips_item_data in _tips:
                tips_item = Tip.from_dict(tips_item_data)

                tips.append(tips_item)

        post_purchase = cls(
            enabled=enabled,
            channels=channels,
            tips_after_days=tips_after_days,
            review_after_days=review_after_days,
            nps_after_days=nps_after_days,
            review_points=review_points,
            review_url=review_url,
            nps_url=nps_url,
            tips=tips,
        )

        return post_purchase
