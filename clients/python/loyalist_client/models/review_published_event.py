from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.review_data import ReviewData


T = TypeVar("T", bound="ReviewPublishedEvent")


@_attrs_define
class ReviewPublishedEvent:
    """An event of type `review.published`, with its `data`.

    Attributes:
        id (str):
        type_ (Literal['review.published']):
        member_id (str):
        occurred_at (datetime.datetime):
        data (ReviewData):
    """

    id: str
    type_: Literal["review.published"]
    member_id: str
    occurred_at: datetime.datetime
    data: ReviewData

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
        from ..models.review_data import ReviewData  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        type_ = cast(Literal["review.published"], d.pop("type"))
        if type_ != "review.published":
            raise ValueError(f"type must match const 'review.published', got '{type_}'")

        member_id = d.pop("member_id")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        data = ReviewData.from_dict(d.pop("data"))

        review_published_event = cls(
            id=id,
            type_=type_,
            member_id=member_id,
            occurred_at=occurred_at,
            data=data,
        )

        return review_published_event
