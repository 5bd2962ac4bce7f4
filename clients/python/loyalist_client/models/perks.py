from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.perks_flags import PerksFlags


T = TypeVar("T", bound="Perks")


@_attrs_define
class Perks:
    """What a tier gives; the shop reads ``free_shipping`` and ``flags`` from the API.

    ``rewards`` is the seam for tier-only rewards and offers: reward or offer ids the
    rewards domain shows only to members of this tier.

        Attributes:
            earning_multiplier (float | str | Unset):  Default: 1.0.
            free_shipping (bool | Unset):  Default: False.
            flags (PerksFlags | Unset):
            rewards (list[str] | Unset):
    """

    earning_multiplier: float | str | Unset = 1.0
    free_shipping: bool | Unset = False
    flags: PerksFlags | Unset = UNSET
    rewards: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        earning_multiplier: float | str | Unset
        if isinstance(self.earning_multiplier, Unset):
            earning_multiplier = UNSET
        else:
            earning_multiplier = self.earning_multiplier

        free_shipping = self.free_shipping

        flags: dict[str, Any] | Unset = UNSET
        if not isinstance(self.flags, Unset):
            flags = self.flags.to_dict()

        rewards: list[str] | Unset = UNSET
        if not isinstance(self.rewards, Unset):
            rewards = self.rewards

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if earning_multiplier is not UNSET:
            field_dict["earning_multiplier"] = earning_multiplier
        if free_shipping is not UNSET:
            field_dict["free_shipping"] = free_shipping
        if flags is not UNSET:
            field_dict["flags"] = flags
        if rewards is not UNSET:
            field_dict["rewards"] = rewards

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.perks_flags import PerksFlags  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_earning_multiplier(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        earning_multiplier = _parse_earning_multiplier(d.pop("earning_multiplier", UNSET))

        free_shipping = d.pop("free_shipping", UNSET)

        _flags = d.pop("flags", UNSET)
        flags: PerksFlags | Unset
        if isinstance(_flags, Unset):
            flags = UNSET
        else:
            flags = PerksFlags.from_dict(_flags)

        rewards = cast(list[str], d.pop("rewards", UNSET))

        perks = cls(
            earning_multiplier=earning_multiplier,
            free_shipping=free_shipping,
            flags=flags,
            rewards=rewards,
        )

        return perks
