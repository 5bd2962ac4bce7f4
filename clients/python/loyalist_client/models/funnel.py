from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Funnel")


@_attrs_define
class Funnel:
    """The funnel of the period (of one referrer, when asked).

    Attributes:
        shares (int):
        clicks (int):
        attributed (int):
        enrolled (int):
        pending (int):
        review (int):
        qualifying (int):
        blocked (int):
        rejected (int):
        converted (int):
        rewarded (int):
        ambassadors (int | None | Unset): referrers with a converted referral; not for one referrer
        referrer_id (None | str | Unset):
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):
    """

    shares: int
    clicks: int
    attributed: int
    enrolled: int
    pending: int
    review: int
    qualifying: int
    blocked: int
    rejected: int
    converted: int
    rewarded: int
    ambassadors: int | None | Unset = UNSET
    referrer_id: None | str | Unset = UNSET
    from_: datetime.datetime | None | Unset = UNSET
    to: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        shares = self.shares

        clicks = self.clicks

        attributed = self.attributed

        enrolled = self.enrolled

        pending = self.pending

        review = self.review

        qualifying = self.qualifying

        blocked = self.blocked

        rejected = self.rejected

        converted = self.converted

        rewarded = self.rewarded

        ambassadors: int | None | Unset
        if isinstance(self.ambassadors, Unset):
            ambassadors = UNSET
        else:
            ambassadors = self.ambassadors

        referrer_id: None | str | Unset
        if isinstance(self.referrer_id, Unset):
            referrer_id = UNSET
        else:
            referrer_id = self.referrer_id

        from_: None | str | Unset
        if isinstance(self.from_, Unset):
            from_ = UNSET
        elif isinstance(self.from_, datetime.datetime):
            from_ = self.from_.isoformat()
        else:
            from_ = self.from_

        to: None | str | Unset
        if isinstance(self.to, Unset):
            to = UNSET
        elif isinstance(self.to, datetime.datetime):
            to = self.to.isoformat()
        else:
            to = self.to

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "shares": shares,
                "clicks": clicks,
                "attributed": attributed,
                "enrolled": enrolled,
                "pending": pending,
                "review": review,
                "qualifying": qualifying,
                "blocked": blocked,
                "rejected": rejected,
                "converted": converted,
                "rewarded": rewarded,
            }
        )
        if ambassadors is not UNSET:
            field_dict["ambassadors"] = ambassadors
        if referrer_id is not UNSET:
            field_dict["referrer_id"] = referrer_id
        if from_ is not UNSET:
            field_dict["from"] = from_
        if to is not UNSET:
            field_dict["to"] = to

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        shares = d.pop("shares")

        clicks = d.pop("clicks")

        attributed = d.pop("attributed")

        enrolled = d.pop("enrolled")

        pending = d.pop("pending")

        review = d.pop("review")

        qualifying = d.pop("qualifying")

        blocked = d.pop("blocked")

        rejected = d.pop("rejected")

        converted = d.pop("converted")

        rewarded = d.pop("rewarded")

        def _parse_ambassadors(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        ambassadors = _parse_ambassadors(d.pop("ambassadors", UNSET))

        def _parse_referrer_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        referrer_id = _parse_referrer_id(d.pop("referrer_id", UNSET))

        def _parse_from_(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                from_type_0 = datetime.datetime.fromisoformat(data)

                return from_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        from_ = _parse_from_(d.pop("from", UNSET))

        def _parse_to(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                to_type_0 = datetime.datetime.fromisoformat(data)

                return to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        to = _parse_to(d.pop("to", UNSET))

        funnel = cls(
            shares=shares,
            clicks=clicks,
            attributed=attributed,
            enrolled=enrolled,
            pending=pending,
            review=review,
            qualifying=qualifying,
            blocked=blocked,
            rejected=rejected,
            converted=converted,
            rewarded=rewarded,
            ambassadors=ambassadors,
            referrer_id=referrer_id,
            from_=from_,
            to=to,
        )

        funnel.additional_properties = d
        return funnel

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
