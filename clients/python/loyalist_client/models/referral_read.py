from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.attributed_on import AttributedOn
from ..models.referral_status import ReferralStatus
from ..models.via import Via
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.check import Check
    from ..models.referral_read_history_item import ReferralReadHistoryItem
    from ..models.referral_read_reward_type_0 import ReferralReadRewardType0


T = TypeVar("T", bound="ReferralRead")


@_attrs_define
class ReferralRead:
    """A referral: who referred whom, its state, checks and history.

    Attributes:
        id (int):
        status (ReferralStatus): pending → qualifying → converted; review → pending | qualifying (approved) or
            rejected; blocked is final. A return before maturity takes qualifying back to pending.
        via (Via):
        attributed_on (AttributedOn):
        attributed_at (datetime.datetime):
        checks (list[Check]):
        is_friend_rewarded (bool):
        history (list[ReferralReadHistoryItem]): steps, oldest first: at, what, …
        referrer_id (None | str | Unset):
        friend_id (None | str | Unset):
        order_id (None | str | Unset):
        matures_at (datetime.datetime | None | Unset):
        converted_at (datetime.datetime | None | Unset):
        is_rewarded (bool | None | Unset):
        reward (None | ReferralReadRewardType0 | Unset): what the referrer got
        decided_by (None | str | Unset):
        decided_at (datetime.datetime | None | Unset):
        decision_note (None | str | Unset):
    """

    id: int
    status: ReferralStatus
    via: Via
    attributed_on: AttributedOn
    attributed_at: datetime.datetime
    checks: list[Check]
    is_friend_rewarded: bool
    history: list[ReferralReadHistoryItem]
    referrer_id: None | str | Unset = UNSET
    friend_id: None | str | Unset = UNSET
    order_id: None | str | Unset = UNSET
    matures_at: datetime.datetime | None | Unset = UNSET
    converted_at: datetime.datetime | None | Unset = UNSET
    is_rewarded: bool | None | Unset = UNSET
    reward: None | ReferralReadRewardType0 | Unset = UNSET
    decided_by: None | str | Unset = UNSET
    decided_at: datetime.datetime | None | Unset = UNSET
    decision_note: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.referral_read_reward_type_0 import ReferralReadRewardType0  # noqa: PLC0415

        id = self.id

        status = self.status.value

        via = self.via.value

        attributed_on = self.attributed_on.value

        attributed_at = self.attributed_at.isoformat()

        checks = []
        for checks_item_data in self.checks:
            checks_item = checks_item_data.to_dict()
            checks.append(checks_item)

        is_friend_rewarded = self.is_friend_rewarded

        history = []
        for history_item_data in self.history:
            history_item = history_item_data.to_dict()
            history.append(history_item)

        referrer_id: None | str | Unset
        if isinstance(self.referrer_id, Unset):
            referrer_id = UNSET
        else:
            referrer_id = self.referrer_id

        friend_id: None | str | Unset
        if isinstance(self.friend_id, Unset):
            friend_id = UNSET
        else:
            friend_id = self.friend_id

        order_id: None | str | Unset
        if isinstance(self.order_id, Unset):
            order_id = UNSET
        else:
            order_id = self.order_id

        matures_at: None | str | Unset
        if isinstance(self.matures_at, Unset):
            matures_at = UNSET
        elif isinstance(self.matures_at, datetime.datetime):
            matures_at = self.matures_at.isoformat()
        else:
            matures_at = self.matures_at

        converted_at: None | str | Unset
        if isinstance(self.converted_at, Unset):
            converted_at = UNSET
        elif isinstance(self.converted_at, datetime.datetime):
            converted_at = self.converted_at.isoformat()
        else:
            converted_at = self.converted_at

        is_rewarded: bool | None | Unset
        if isinstance(self.is_rewarded, Unset):
            is_rewarded = UNSET
        else:
            is_rewarded = self.is_rewarded

        reward: dict[str, Any] | None | Unset
        if isinstance(self.reward, Unset):
            reward = UNSET
        elif isinstance(self.reward, ReferralReadRewardType0):
            reward = self.reward.to_dict()
        else:
            reward = self.reward

        decided_by: None | str | Unset
        if isinstance(self.decided_by, Unset):
            decided_by = UNSET
        else:
            decided_by = self.decided_by

        decided_at: None | str | Unset
        if isinstance(self.decided_at, Unset):
            decided_at = UNSET
        elif isinstance(self.decided_at, datetime.datetime):
            decided_at = self.decided_at.isoformat()
        else:
            decided_at = self.decided_at

        decision_note: None | str | Unset
        if isinstance(self.decision_note, Unset):
            decision_note = UNSET
        else:
            decision_note = self.decision_note

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
                "via": via,
                "attributed_on": attributed_on,
                "attributed_at": attributed_at,
                "checks": checks,
                "is_friend_rewarded": is_friend_rewarded,
                "history": history,
            }
        )
        if referrer_id is not UNSET:
            field_dict["referrer_id"] = referrer_id
        if friend_id is not UNSET:
            field_dict["friend_id"] = friend_id
        if order_id is not UNSET:
            field_dict["order_id"] = order_id
        if matures_at is not UNSET:
            field_dict["matures_at"] = matures_at
        if converted_at is not UNSET:
            field_dict["converted_at"] = converted_at
        if is_rewarded is not UNSET:
            field_dict["is_rewarded"] = is_rewarded
        if reward is not UNSET:
            field_dict["reward"] = reward
        if decided_by is not UNSET:
            field_dict["decided_by"] = decided_by
        if decided_at is not UNSET:
            field_dict["decided_at"] = decided_at
        if decision_note is not UNSET:
            field_dict["decision_note"] = decision_note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.check import Check  # noqa: PLC0415
        from ..models.referral_read_history_item import ReferralReadHistoryItem  # noqa: PLC0415
        from ..models.referral_read_reward_type_0 import ReferralReadRewardType0  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        status = ReferralStatus(d.pop("status"))

        via = Via(d.pop("via"))

        attributed_on = AttributedOn(d.pop("attributed_on"))

        attributed_at = datetime.datetime.fromisoformat(d.pop("attributed_at"))

        checks = []
        _checks = d.pop("checks")
        for checks_item_data in _checks:
            checks_item = Check.from_dict(checks_item_data)

            checks.append(checks_item)

        is_friend_rewarded = d.pop("is_friend_rewarded")

        history = []
        _history = d.pop("history")
        for history_item_data in _history:
            history_item = ReferralReadHistoryItem.from_dict(history_item_data)

            history.append(history_item)

        def _parse_referrer_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        referrer_id = _parse_referrer_id(d.pop("referrer_id", UNSET))

        def _parse_friend_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        friend_id = _parse_friend_id(d.pop("friend_id", UNSET))

        def _parse_order_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        order_id = _parse_order_id(d.pop("order_id", UNSET))

        def _parse_matures_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                matures_at_type_0 = datetime.datetime.fromisoformat(data)

                return matures_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        matures_at = _parse_matures_at(d.pop("matures_at", UNSET))

        def _parse_converted_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                converted_at_type_0 = datetime.datetime.fromisoformat(data)

                return converted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        converted_at = _parse_converted_at(d.pop("converted_at", UNSET))

        def _parse_is_rewarded(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        is_rewarded = _parse_is_rewarded(d.pop("is_rewarded", UNSET))

        def _parse_reward(data: object) -> None | ReferralReadRewardType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                reward_type_0 = ReferralReadRewardType0.from_dict(data)

                return reward_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReferralReadRewardType0 | Unset, data)

        reward = _parse_reward(d.pop("reward", UNSET))

        def _parse_decided_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        decided_by = _parse_decided_by(d.pop("decided_by", UNSET))

        def _parse_decided_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                decided_at_type_0 = datetime.datetime.fromisoformat(data)

                return decided_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        decided_at = _parse_decided_at(d.pop("decided_at", UNSET))

        def _parse_decision_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        decision_note = _parse_decision_note(d.pop("decision_note", UNSET))

        referral_read = cls(
            id=id,
            status=status,
            via=via,
            attributed_on=attributed_on,
            attributed_at=attributed_at,
            checks=checks,
            is_friend_rewarded=is_friend_rewarded,
            history=history,
            referrer_id=referrer_id,
            friend_id=friend_id,
            order_id=order_id,
            matures_at=matures_at,
            converted_at=converted_at,
            is_rewarded=is_rewarded,
            reward=reward,
            decided_by=decided_by,
            decided_at=decided_at,
            decision_note=decision_note,
        )

        referral_read.additional_properties = d
        return referral_read

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
