from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.birthday import Birthday
    from ..models.order_confirmation import OrderConfirmation
    from ..models.points import Points
    from ..models.post_purchase import PostPurchase
    from ..models.rewards_referrals import RewardsReferrals
    from ..models.shipping import Shipping
    from ..models.tier import Tier
    from ..models.welcome import Welcome
    from ..models.win_back import WinBack


T = TypeVar("T", bound="JourneysConfig")


@_attrs_define
class JourneysConfig:
    """Every journey's settings (a journey left out keeps its defaults).

    Attributes:
        welcome (Welcome | Unset):
        order_confirmation (OrderConfirmation | Unset):
        shipping (Shipping | Unset):
        post_purchase (PostPurchase | Unset):
        points (Points | Unset):
        tier (Tier | Unset):
        rewards_referrals (RewardsReferrals | Unset):
        birthday (Birthday | Unset):
        win_back (WinBack | Unset):
    """

    welcome: Welcome | Unset = UNSET
    order_confirmation: OrderConfirmation | Unset = UNSET
    shipping: Shipping | Unset = UNSET
    post_purchase: PostPurchase | Unset = UNSET
    points: Points | Unset = UNSET
    tier: Tier | Unset = UNSET
    rewards_referrals: RewardsReferrals | Unset = UNSET
    birthday: Birthday | Unset = UNSET
    win_back: WinBack | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        welcome: dict[str, Any] | Unset = UNSET
        if not isinstance(self.welcome, Unset):
            welcome = self.welcome.to_dict()

        order_confirmation: dict[str, Any] | Unset = UNSET
        if not isinstance(self.order_confirmation, Unset):
            order_confirmation = self.order_confirmation.to_dict()

        shipping: dict[str, Any] | Unset = UNSET
        if not isinstance(self.shipping, Unset):
            shipping = self.shipping.to_dict()

        post_purchase: dict[str, Any] | Unset = UNSET
        if not isinstance(self.post_purchase, Unset):
            post_purchase = self.post_purchase.to_dict()

        points: dict[str, Any] | Unset = UNSET
        if not isinstance(self.points, Unset):
            points = self.points.to_dict()

        tier: dict[str, Any] | Unset = UNSET
        if not isinstance(self.tier, Unset):
            tier = self.tier.to_dict()

        rewards_referrals: dict[str, Any] | Unset = UNSET
        if not isinstance(self.rewards_referrals, Unset):
            rewards_referrals = self.rewards_referrals.to_dict()

        birthday: dict[str, Any] | Unset = UNSET
        if not isinstance(self.birthday, Unset):
            birthday = self.birthday.to_dict()

        win_back: dict[str, Any] | Unset = UNSET
        if not isinstance(self.win_back, Unset):
            win_back = self.win_back.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if welcome is not UNSET:
            field_dict["welcome"] = welcome
        if order_confirmation is not UNSET:
            field_dict["order_confirmation"] = order_confirmation
        if shipping is not UNSET:
            field_dict["shipping"] = shipping
        if post_purchase is not UNSET:
            field_dict["post_purchase"] = post_purchase
        if points is not UNSET:
            field_dict["points"] = points
        if tier is not UNSET:
            field_dict["tier"] = tier
        if rewards_referrals is not UNSET:
            field_dict["rewards_referrals"] = rewards_referrals
        if birthday is not UNSET:
            field_dict["birthday"] = birthday
        if win_back is not UNSET:
            field_dict["win_back"] = win_back

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.birthday import Birthday  # noqa: PLC0415
        from ..models.order_confirmation import OrderConfirmation  # noqa: PLC0415
        from ..models.points import Points  # noqa: PLC0415
        from ..models.post_purchase import PostPurchase  # noqa: PLC0415
        from ..models.rewards_referrals import RewardsReferrals  # noqa: PLC0415
        from ..models.shipping import Shipping  # noqa: PLC0415
        from ..models.tier import Tier  # noqa: PLC0415
        from ..models.welcome import Welcome  # noqa: PLC0415
        from ..models.win_back import WinBack  # noqa: PLC0415

        d = dict(src_dict)
        _welcome = d.pop("welcome", UNSET)
        welcome: Welcome | Unset
        if isinstance(_welcome, Unset):
            welcome = UNSET
        else:
            welcome = Welcome.from_dict(_welcome)

        _order_confirmation = d.pop("order_confirmation", UNSET)
        order_confirmation: OrderConfirmation | Unset
        if isinstance(_order_confirmation, Unset):
            order_confirmation = UNSET
        else:
            order_confirmation = OrderConfirmation.from_dict(_order_confirmation)

        _shipping = d.pop("shipping", UNSET)
        shipping: Shipping | Unset
        if isinstance(_shipping, Unset):
            shipping = UNSET
        else:
            shipping = Shipping.from_dict(_shipping)

        _post_purchase = d.pop("post_purchase", UNSET)
        post_purchase: PostPurchase | Unset
        if isinstance(_post_purchase, Unset):
            post_purchase = UNSET
        else:
            post_purchase = PostPurchase.from_dict(_post_purchase)

        _points = d.pop("points", UNSET)
        points: Points | Unset
        if isinstance(_points, Unset):
            points = UNSET
        else:
            points = Points.from_dict(_points)

        _tier = d.pop("tier", UNSET)
        tier: Tier | Unset
        if isinstance(_tier, Unset):
            tier = UNSET
        else:
            tier = Tier.from_dict(_tier)

        _rewards_referrals = d.pop("rewards_referrals", UNSET)
        rewards_referrals: RewardsReferrals | Unset
        if isinstance(_rewards_referrals, Unset):
            rewards_referrals = UNSET
        else:
            rewards_referrals = RewardsReferrals.from_dict(_rewards_referrals)

        _birthday = d.pop("birthday", UNSET)
        birthday: Birthday | Unset
        if isinstance(_birthday, Unset):
            birthday = UNSET
        else:
            birthday = Birthday.from_dict(_birthday)

        _win_back = d.pop("win_back", UNSET)
        win_back: WinBack | Unset
        if isinstance(_win_back, Unset):
            win_back = UNSET
        else:
            win_back = WinBack.from_dict(_win_back)

        journeys_config = cls(
            welcome=welcome,
            order_confirmation=order_confirmation,
            shipping=shipping,
            post_purchase=post_purchase,
            points=points,
            tier=tier,
            rewards_referrals=rewards_referrals,
            birthday=birthday,
            win_back=win_back,
        )

        return journeys_config
