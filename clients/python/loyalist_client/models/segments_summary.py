from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.segment_figures import SegmentFigures


T = TypeVar("T", bound="SegmentsSummary")


@_attrs_define
class SegmentsSummary:
    """
    Attributes:
        computed_at (datetime.datetime | None): when the scores were last computed
        currency (None | str):
        members_scored (int): members with RFM scores (a purchase)
        churn_risk_high (int): members with churn risk ≥ 0.7
        segments (list[SegmentFigures]): every segment, best first
    """

    computed_at: datetime.datetime | None
    currency: None | str
    members_scored: int
    churn_risk_high: int
    segments: list[SegmentFigures]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        computed_at: None | str
        if isinstance(self.computed_at, datetime.datetime):
            computed_at = self.computed_at.isoformat()
        else:
            computed_at = self.computed_at

        currency: None | str
        currency = self.currency

        members_scored = self.members_scored

        churn_risk_high = self.churn_risk_high

        segments = []
        for segments_item_data in self.segments:
            segments_item = segments_item_data.to_dict()
            segments.append(segments_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "computed_at": computed_at,
                "currency": currency,
                "members_scored": members_scored,
                "churn_risk_high": churn_risk_high,
                "segments": segments,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.segment_figures import SegmentFigures  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_computed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                computed_at_type_0 = datetime.datetime.fromisoformat(data)

                return computed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        computed_at = _parse_computed_at(d.pop("computed_at"))

        def _parse_currency(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        currency = _parse_currency(d.pop("currency"))

        members_scored = d.pop("members_scored")

        churn_risk_high = d.pop("churn_risk_high")

        segments = []
        _segments = d.pop("segments")
        for segments_item_data in _segments:
            segments_item = SegmentFigures.from_dict(segments_item_data)

            segments.append(segments_item)

        segments_summary = cls(
            computed_at=computed_at,
            currency=currency,
            members_scored=members_scored,
            churn_risk_high=churn_risk_high,
            segments=segments,
        )

        segments_summary.additional_properties = d
        return segments_summary

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
