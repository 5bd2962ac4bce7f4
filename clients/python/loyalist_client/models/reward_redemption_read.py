from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.reward_redemption_status import RewardRedemptionStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.reward_redemption_read_name import RewardRedemptionReadName


T = TypeVar("T", bound="RewardRedemptionRead")


@_attrs_define
class RewardRedemptionRead:
    """A reward a member took: its personal coupon and state.

    Attributes:
        id (str):
        reward (str): the reward's key
        name (RewardRedemptionReadName): by language (en, ru)
        points (int): the points it cost
        coupon_used (bool):
        status (RewardRedemptionStatus): issued (a personal coupon the member may use) → once the coupon expired,
            refunded
            (unused and the reward refunds: points back) or expired (used, or no refund: settled).
        created_at (datetime.datetime):
        member_id (None | str | Unset):
        code (None | str | Unset): masked for callers without coupons.export
        valid_until (datetime.datetime | None | Unset):
        granted_by_rule (None | str | Unset): the rule that granted it, if one did
        refunded_at (datetime.datetime | None | Unset):
    """

    id: str
    reward: str
    name: RewardRedemptionReadName
    points: int
    coupon_used: bool
    status: RewardRedemptionStatus
    created_at: datetime.datetime
    member_id: None | str | Unset = UNSET
    code: None | str | Unset = UNSET
    valid_until: datetime.datetime | None | Unset = UNSET
    granted_by_rule: None | str | Unset = UNSET
    refunded_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        reward = self.reward

        name = self.name.to_dict()

        points = self.points

        coupon_used = self.coupon_used

        status = self.status.value

        created_at = self.created_at.isoformat()

        member_id: None | str | Unset
        if isinstance(self.member_id, Unset):
            member_id = UNSET
        else:
            member_id = self.member_id

        code: None | str | Unset
        if isinstance(self.code, Unset):
            code = UNSET
        else:
            code = self.code

        valid_until: None | str | Unset
        if isinstance(self.valid_until, Unset):
            valid_until = UNSET
        elif isinstance(self.valid_until, datetime.datetime):
            valid_until = self.valid_until.isoformat()
        else:
            valid_until = self.valid_until

        granted_by_rule: None | str | Unset
        if isinstance(self.granted_by_rule, Unset):
            granted_by_rule = UNSET
        else:
            granted_by_rule = self.granted_by_rule

        refunded_at: None | str | Unset
        if isinstance(self.refunded_at, Unset):
            refunded_at = UNSET
        elif isinstance(self.refunded_at, datetime.datetime):
            refunded_at = self.refunded_at.isoformat()
        else:
            refunded_at = self.refunded_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "reward": reward,
                "name": name,
                "points": points,
                "coupon_used": coupon_used,
                "status": status,
                "created_at": created_at,
            }
        )
        if member_id is not UNSET:
            field_dict["member_id"] = member_id
        if code is not UNSET:
            field_dict["code"] = code
        if valid_until is not UNSET:
            field_dict["valid_until"] = valid_until
        if granted_by_rule is not UNSET:
            field_dict["granted_by_rule"] = granted_by_rule
        if refunded_at is not UNSET:
            field_dict["refunded_at"] = refunded_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.reward_redemption_read_name import RewardRedemptionReadName  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        reward = d.pop("reward")

        name = RewardRedemptionReadName.from_dict(d.pop("name"))

        points = d.pop("points")

        coupon_used = d.pop("coupon_used")

        status = RewardRedemptionStatus(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_member_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        member_id = _parse_member_id(d.pop("member_id", UNSET))

        def _parse_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        code = _parse_code(d.pop("code", UNSET))

        def _parse_valid_until(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_until_type_0 = datetime.datetime.fromisoformat(data)

                return valid_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        valid_until = _parse_valid_until(d.pop("valid_until", UNSET))

        def _parse_granted_by_rule(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        granted_by_rule = _parse_granted_by_rule(d.pop("granted_by_rule", UNSET))

        def _parse_refunded_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                refunded_at_type_0 = datetime.datetime.fromisoformat(data)

                return refunded_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        refunded_at = _parse_refunded_at(d.pop("refunded_at", UNSET))

        reward_redemption_read = cls(
            id=id,
            reward=reward,
            name=name,
            points=points,
            coupon_used=coupon_used,
            status=status,
            created_at=created_at,
            member_id=member_id,
            code=code,
            valid_until=valid_until,
            granted_by_rule=granted_by_rule,
            refunded_at=refunded_at,
        )

        reward_redemption_read.additional_properties = d
        return reward_redemption_read

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
