from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReviewRemovedData")


@_attrs_define
class ReviewRemovedData:
    """``review.removed``: the shop took a review down; what it earned is reversed.

    Attributes:
        review_id (str):
        reason (None | str | Unset):
    """

    review_id: str
    reason: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        review_id = self.review_id

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "review_id": review_id,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        review_id = d.pop("review_id")

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        review_removed_data = cls(
            review_id=review_id,
            reason=reason,
        )

        return review_removed_data
