from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cap import Cap
    from ..models.disposable_domains import DisposableDomains
    from ..models.fraud_rules import FraudRules
    from ..models.friend_reward import FriendReward
    from ..models.milestone import Milestone
    from ..models.name import Name
    from ..models.referral_program_in_min_order import ReferralProgramInMinOrder
    from ..models.reward import Reward


T = TypeVar("T", bound="ReferralProgramIn")


@_attrs_define
class ReferralProgramIn:
    """The referral program (``PUT /api/v1/referral-program`` replaces it whole).

    Attributes:
        is_active (bool | Unset):  Default: True.
        attribution_window_days (int | Unset): days from the last click on the link (or share, or the link's creation)
            to the sign-up or first order; a code typed at sign-up always counts Default: 30.
        friend_reward (FriendReward | None | Unset):
        referrer_reward (None | Reward | Unset):
        min_order (ReferralProgramInMinOrder | Unset): minimum net order amount per currency (minor units) for the
            friend's first order to qualify; a currency not listed has no minimum
        milestones (list[Milestone] | Unset):
        cap (Cap | None | Unset):
        fraud (FraudRules | Unset):
        disposable_domains (DisposableDomains | Unset): Edits to the shipped list of disposable e-mail domains.
        share_base_url (str | Unset): the share link is this followed by the member's token Default:
            'https://shop.example/r/'.
        show_referrer_name (bool | Unset): code and link look-ups may show the referrer's first name Default: False.
        offer (Name | None | Unset): the friend's offer as the shop shows it; generated if absent
    """

    is_active: bool | Unset = True
    attribution_window_days: int | Unset = 30
    friend_reward: FriendReward | None | Unset = UNSET
    referrer_reward: None | Reward | Unset = UNSET
    min_order: ReferralProgramInMinOrder | Unset = UNSET
    milestones: list[Milestone] | Unset = UNSET
    cap: Cap | None | Unset = UNSET
    fraud: FraudRules | Unset = UNSET
    disposable_domains: DisposableDomains | Unset = UNSET
    share_base_url: str | Unset = "https://shop.example/r/"
    show_referrer_name: bool | Unset = False
    offer: Name | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.cap import Cap  # noqa: PLC0415
        from ..models.friend_reward import FriendReward  # noqa: PLC0415
        from ..models.name import Name  # noqa: PLC0415
        from ..models.reward import Reward  # noqa: PLC0415

        is_active = self.is_active

        attribution_window_days = self.attribution_window_days

        friend_reward: dict[str, Any] | None | Unset
        if isinstance(self.friend_reward, Unset):
            friend_reward = UNSET
        elif isinstance(self.friend_reward, FriendReward):
            friend_reward = self.friend_reward.to_dict()
        else:
            friend_reward = self.friend_reward

        referrer_reward: dict[str, Any] | None | Unset
        if isinstance(self.referrer_reward, Unset):
            referrer_reward = UNSET
        elif isinstance(self.referrer_reward, Reward):
            referrer_reward = self.referrer_reward.to_dict()
        else:
            referrer_reward = self.referrer_reward

        min_order: dict[str, Any] | Unset = UNSET
        if not isinstance(self.min_order, Unset):
            min_order = self.min_order.to_dict()

        milestones: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.milestones, Unset):
            milestones = []
            for milestones_item_data in self.milestones:
                milestones_item = milestones_item_data.to_dict()
                milestones.append(milestones_item)

        cap: dict[str, Any] | None | Unset
        if isinstance(self.cap, Unset):
            cap = UNSET
        elif isinstance(self.cap, Cap):
            cap = self.cap.to_dict()
        else:
            cap = self.cap

        fraud: dict[str, Any] | Unset = UNSET
        if not isinstance(self.fraud, Unset):
            fraud = self.fraud.to_dict()

        disposable_domains: dict[str, Any] | Unset = UNSET
        if not isinstance(self.disposable_domains, Unset):
            disposable_domains = self.disposable_domains.to_dict()

        share_base_url = self.share_base_url

        show_referrer_name = self.show_referrer_name

        offer: dict[str, Any] | None | Unset
        if isinstance(self.offer, Unset):
            offer = UNSET
        elif isinstance(self.offer, Name):
            offer = self.offer.to_dict()
        else:
            offer = self.offer

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if is_active is not UNSET:
            field_dict["is_active"] = is_active
        if attribution_window_days is not UNSET:
            field_dict["attribution_window_days"] = attribution_window_days
        if friend_reward is not UNSET:
            field_dict["friend_reward"] = friend_reward
        if referrer_reward is not UNSET:
            field_dict["referrer_reward"] = referrer_reward
        if min_order is not UNSET:
            field_dict["min_order"] = min_order
        if milestones is not UNSET:
            field_dict["milestones"] = milestones
        if cap is not UNSET:
            field_dict["cap"] = cap
        if fraud is not UNSET:
            field_dict["fraud"] = fraud
        if disposable_domains is not UNSET:
            field_dict["disposable_domains"] = disposable_domains
        if share_base_url is not UNSET:
            field_dict["share_base_url"] = share_base_url
        if show_referrer_name is not UNSET:
            field_dict["show_referrer_name"] = show_referrer_name
        if offer is not UNSET:
            field_dict["offer"] = offer

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cap import Cap  # noqa: PLC0415
        from ..models.disposable_domains import DisposableDomains  # noqa: PLC0415
        from ..models.fraud_rules import FraudRules  # noqa: PLC0415
        from ..models.friend_reward import FriendReward  # noqa: PLC0415
        from ..models.milestone import Milestone  # noqa: PLC0415
        from ..models.name import Name  # noqa: PLC0415
        from ..models.referral_program_in_min_order import ReferralProgramInMinOrder  # noqa: PLC0415
        from ..models.reward import Reward  # noqa: PLC0415

        d = dict(src_dict)
        is_active = d.pop("is_active", UNSET)

        attribution_window_days = d.pop("attribution_window_days", UNSET)

        def _parse_friend_reward(data: object) -> FriendReward | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                friend_reward_type_0 = FriendReward.from_dict(data)

                return friend_reward_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FriendReward | None | Unset, data)

        friend_reward = _parse_friend_reward(d.pop("friend_reward", UNSET))

        def _parse_referrer_reward(data: object) -> None | Reward | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                referrer_reward_type_0 = Reward.from_dict(data)

                return referrer_reward_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Reward | Unset, data)

        referrer_reward = _parse_referrer_reward(d.pop("referrer_reward", UNSET))

        _min_order = d.pop("min_order", UNSET)
        min_order: ReferralProgramInMinOrder | Unset
        if isinstance(_min_order, Unset):
            min_order = UNSET
        else:
            min_order = ReferralProgramInMinOrder.from_dict(_min_order)

        _milestones = d.pop("milestones", UNSET)
        milestones: list[Milestone] | Unset = UNSET
        if _milestones is not UNSET:
            milestones = []
            for milestones_item_data in _milestones:
                milestones_item = Milestone.from_dict(milestones_item_data)

                milestones.append(milestones_item)

        def _parse_cap(data: object) -> Cap | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                cap_type_0 = Cap.from_dict(data)

                return cap_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Cap | None | Unset, data)

        cap = _parse_cap(d.pop("cap", UNSET))

        _fraud = d.pop("fraud", UNSET)
        fraud: FraudRules | Unset
        if isinstance(_fraud, Unset):
            fraud = UNSET
        else:
            fraud = FraudRules.from_dict(_fraud)

        _disposable_domains = d.pop("disposable_domains", UNSET)
        disposable_domains: DisposableDomains | Unset
        if isinstance(_disposable_domains, Unset):
            disposable_domains = UNSET
        else:
            disposable_domains = DisposableDomains.from_dict(_disposable_domains)

        share_base_url = d.pop("share_base_url", UNSET)

        show_referrer_name = d.pop("show_referrer_name", UNSET)

        def _parse_offer(data: object) -> Name | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                offer_type_0 = Name.from_dict(data)

                return offer_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Name | None | Unset, data)

        offer = _parse_offer(d.pop("offer", UNSET))

        referral_program_in = cls(
            is_active=is_active,
            attribution_window_days=attribution_window_days,
            friend_reward=friend_reward,
            referrer_reward=referrer_reward,
            min_order=min_order,
            milestones=milestones,
            cap=cap,
            fraud=fraud,
            disposable_domains=disposable_domains,
            share_base_url=share_base_url,
            show_referrer_name=show_referrer_name,
            offer=offer,
        )

        return referral_program_in
