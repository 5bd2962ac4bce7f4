from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.resolution_reason_type_0 import ResolutionReasonType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.friend_reward import FriendReward
    from ..models.resolution_offer_type_0 import ResolutionOfferType0


T = TypeVar("T", bound="Resolution")


@_attrs_define
class Resolution:
    """Whether a typed code or a link's token is valid, and the friend's offer.

    Attributes:
        is_valid (bool):
        code (None | str | Unset): the code (as typed, if invalid)
        token (None | str | Unset): the token asked (link look-ups)
        reason (None | ResolutionReasonType0 | Unset): why it is not valid
        referrer_first_name (None | str | Unset): only when the program shows it
        offer (None | ResolutionOfferType0 | Unset): by language (en, ru)
        friend_reward (FriendReward | None | Unset):
    """

    is_valid: bool
    code: None | str | Unset = UNSET
    token: None | str | Unset = UNSET
    reason: None | ResolutionReasonType0 | Unset = UNSET
    referrer_first_name: None | str | Unset = UNSET
    offer: None | ResolutionOfferType0 | Unset = UNSET
    friend_reward: FriendReward | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.friend_reward import FriendReward  # noqa: PLC0415
        from ..models.resolution_offer_type_0 import ResolutionOfferType0  # noqa: PLC0415

        is_valid = self.is_valid

        code: None | str | Unset
        if isinstance(self.code, Unset):
            code = UNSET
        else:
            code = self.code

        token: None | str | Unset
        if isinstance(self.token, Unset):
            token = UNSET
        else:
            token = self.token

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        elif isinstance(self.reason, ResolutionReasonType0):
            reason = self.reason.value
        else:
            reason = self.reason

        referrer_first_name: None | str | Unset
        if isinstance(self.referrer_first_name, Unset):
            referrer_first_name = UNSET
        else:
            referrer_first_name = self.referrer_first_name

        offer: dict[str, Any] | None | Unset
        if isinstance(self.offer, Unset):
            offer = UNSET
        elif isinstance(self.offer, ResolutionOfferType0):
            offer = self.offer.to_dict()
        else:
            offer = self.offer

        friend_reward: dict[str, Any] | None | Unset
        if isinstance(self.friend_reward, Unset):
            friend_reward = UNSET
        elif isinstance(self.friend_reward, FriendReward):
            friend_reward = self.friend_reward.to_dict()
        else:
            friend_reward = self.friend_reward

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "is_valid": is_valid,
            }
        )
        if code is not UNSET:
            field_dict["code"] = code
        if token is not UNSET:
            field_dict["token"] = token
        if reason is not UNSET:
            field_dict["reason"] = reason
        if referrer_first_name is not UNSET:
            field_dict["referrer_first_name"] = referrer_first_name
        if offer is not UNSET:
            field_dict["offer"] = offer
        if friend_reward is not UNSET:
            field_dict["friend_reward"] = friend_reward

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.friend_reward import FriendReward  # noqa: PLC0415
        from ..models.resolution_offer_type_0 import ResolutionOfferType0  # noqa: PLC0415

        d = dict(src_dict)
        is_valid = d.pop("is_valid")

        def _parse_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        code = _parse_code(d.pop("code", UNSET))

        def _parse_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        token = _parse_token(d.pop("token", UNSET))

        def _parse_reason(data: object) -> None | ResolutionReasonType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reason_type_0 = ResolutionReasonType0(data)

                return reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ResolutionReasonType0 | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        def _parse_referrer_first_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        referrer_first_name = _parse_referrer_first_name(d.pop("referrer_first_name", UNSET))

        def _parse_offer(data: object) -> None | ResolutionOfferType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                offer_type_0 = ResolutionOfferType0.from_dict(data)

                return offer_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ResolutionOfferType0 | Unset, data)

        offer = _parse_offer(d.pop("offer", UNSET))

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

        resolution = cls(
            is_valid=is_valid,
            code=code,
            token=token,
            reason=reason,
            referrer_first_name=referrer_first_name,
            offer=offer,
            friend_reward=friend_reward,
        )

        resolution.additional_properties = d
        return resolution

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
