from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.perks import Perks
    from ..models.threshold import Threshold
    from ..models.tier_level_name import TierLevelName


T = TypeVar("T", bound="TierLevel")


@_attrs_define
class TierLevel:
    """One tier. Without a threshold, the first level is the base tier every member has;
    any later level is reachable only through a paid plan.

        Attributes:
            key (str):
            name (TierLevelName):
            threshold (None | Threshold | Unset):
            perks (Perks | Unset): What a tier gives; the shop reads ``free_shipping`` and ``flags`` from the API.

                ``rewards`` is the seam for tier-only rewards and offers: reward or offer ids the
                rewards domain shows only to members of this tier.
    """

    key: str
    name: TierLevelName
    threshold: None | Threshold | Unset = UNSET
    perks: Perks | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.threshold import Threshold  # noqa: PLC0415

        key = self.key

        name = self.name.to_dict()

        threshold: dict[str, Any] | None | Unset
        if isinstance(self.threshold, Unset):
            threshold = UNSET
        elif isinstance(self.threshold, Threshold):
            threshold = self.threshold.to_dict()
        else:
            threshold = self.threshold

        perks: dict[str, Any] | Unset = UNSET
        if not isinstance(self.perks, Unset):
            perks = self.perks.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "key": key,
                "name": name,
            }
        )
        if threshold is not UNSET:
            field_dict["threshold"] = threshold
        if perks is not UNSET:
            field_dict["perks"] = perks

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.perks import Perks  # noqa: PLC0415
        from ..models.threshold import Threshold  # noqa: PLC0415
        from ..models.tier_level_name import TierLevelName  # noqa: PLC0415

        d = dict(src_dict)
        key = d.pop("key")

        name = TierLevelName.from_dict(d.pop("name"))

        def _parse_threshold(data: object) -> None | Threshold | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                threshold_type_0 = Threshold.from_dict(data)

                return threshold_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Threshold | Unset, data)

        threshold = _parse_threshold(d.pop("threshold", UNSET))

        _perks = d.pop("perks", UNSET)
        perks: Perks | Unset
        if isinstance(_perks, Unset):
            perks = UNSET
        else:
            perks = Perks.from_dict(_perks)

        tier_level = cls(
            key=key,
            name=name,
            threshold=threshold,
            perks=perks,
        )

        return tier_level
