from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.review_removed_data import ReviewRemovedData


T = TypeVar("T", bound="ReviewRemovedEvent")


@_attrs_define
class ReviewRemovedEvent:
    """An event of type `review.removed`, with its `data`.

    Attributes:
        id (str):
        type_ (Literal['review.removed']):
        member_id (str):
        occurred_at (datetime.datetime):
        data (ReviewRemovedData): ``review.removed``: the shop took a review down; what it earned is reversed.
    """

    id: str
    type_: Literal["review.removed"]
    member_id: str
    occurred_at: datetime.datetime
    data: ReviewRemovedData

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_

        member_id = self.member_id

        occurred_at = self.occurred_at.isoformat()

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "type": type_,
                "member_id": member_id,
                "occurred_at": occurred_at,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.review_removed_data import ReviewRemovedData  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        type_ = cast(Literal["review.removed"], d.pop("type"))
        if type_ != "review.removed":
            raise ValueError(f"type must match const 'review.removed', got '{type_}'")

        member_id = d.pop("member_id")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        data = ReviewRemovedData.from_dict(d.pop("data"))

        review_removed_event = cls(
            id=id,
            type_=type_,
            member_id=member_id,
            occurred_at=occurred_at,
            data=data,
        )

        return review_removed_event
