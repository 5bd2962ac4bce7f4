from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.coupon_offer import CouponOffer
    from ..models.gift_offer import GiftOffer
    from ..models.locale_text import LocaleText
    from ..models.points_offer import PointsOffer


T = TypeVar("T", bound="Offer")


@_attrs_define
class Offer:
    """
    Attributes:
        coupon (CouponOffer | None | Unset):
        points (None | PointsOffer | Unset):
        gift (GiftOffer | None | Unset):
        description (LocaleText | None | Unset): what the message says the offer is
    """

    coupon: CouponOffer | None | Unset = UNSET
    points: None | PointsOffer | Unset = UNSET
    gift: GiftOffer | None | Unset = UNSET
    description: LocaleText | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.coupon_offer import CouponOffer  # noqa: PLC0415
        from ..models.gift_offer import GiftOffer  # noqa: PLC0415
        from ..models.locale_text import LocaleText  # noqa: PLC0415
        from ..models.points_offer import PointsOffer  # noqa: PLC0415

        coupon: dict[str, Any] | None | Unset
        if isinstance(self.coupon, Unset):
            coupon = UNSET
        elif isinstance(self.coupon, CouponOffer):
            coupon = self.coupon.to_dict()
        else:
            coupon = self.coupon

        points: dict[str, Any] | None | Unset
        if isinstance(self.points, Unset):
            points = UNSET
        elif isinstance(self.points, PointsOffer):
            points = self.points.to_dict()
        else:
            points = self.points

        gift: dict[str, Any] | None | Unset
        if isinstance(self.gift, Unset):
            gift = UNSET
        elif isinstance(self.gift, GiftOffer):
            gift = self.gift.to_dict()
        else:
            gift = self.gift

        description: dict[str, Any] | None | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        elif isinstance(self.description, LocaleText):
            description = self.description.to_dict()
        else:
            description = self.description

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if coupon is not UNSET:
            field_dict["coupon"] = coupon
        if points is not UNSET:
            field_dict["points"] = points
        if gift is not UNSET:
            field_dict["gift"] = gift
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.coupon_offer import CouponOffer  # noqa: PLC0415
        from ..models.gift_offer import GiftOffer  # noqa: PLC0415
        from ..models.locale_text import LocaleText  # noqa: PLC0415
        from ..models.points_offer import PointsOffer  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_coupon(data: object) -> CouponOffer | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                coupon_type_0 = CouponOffer.from_dict(data)

                return coupon_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CouponOffer | None | Unset, data)

        coupon = _parse_coupon(d.pop("coupon", UNSET))

        def _parse_points(data: object) -> None | PointsOffer | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                points_type_0 = PointsOffer.from_dict(data)

                return points_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PointsOffer | Unset, data)

        points = _parse_points(d.pop("points", UNSET))

        def _parse_gift(data: object) -> GiftOffer | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                gift_type_0 = GiftOffer.from_dict(data)

                return gift_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GiftOffer | None | Unset, data)

        gift = _parse_gift(d.pop("gift", UNSET))

        def _parse_description(data: object) -> LocaleText | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                description_type_0 = LocaleText.from_dict(data)

                return description_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LocaleText | None | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        offer = cls(
            coupon=coupon,
            points=points,
            gift=gift,
            description=description,
        )

        return offer
