from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SegmentFigures")


@_attrs_define
class SegmentFigures:
    """
    Attributes:
        segment (str): RFM segment key (see docs/segments.md)
        members (int):
        share (float): members / members scored, 0–1 (4 decimals)
        avg_recency_days (float | None): null without members
        avg_frequency (float | None):
        avg_monetary (float | None): minor units of `currency`
        avg_p_alive (float | None): null when no lifetime score
        total_clv (float | None): whole units of `currency`
    """

    segment: str
    members: int
    share: float
    avg_recency_days: float | None
    avg_frequency: float | None
    avg_monetary: float | None
    avg_p_alive: float | None
    total_clv: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        segment = self.segment

        members = self.members

        share = self.share

        avg_recency_days: float | None
        avg_recency_days = self.avg_recency_days

        avg_frequency: float | None
        avg_frequency = self.avg_frequency

        avg_monetary: float | None
        avg_monetary = self.avg_monetary

        avg_p_alive: float | None
        avg_p_alive = self.avg_p_alive

        total_clv: float | None
        total_clv = self.total_clv

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "segment": segment,
                "members": members,
                "share": share,
                "avg_recency_days": avg_recency_days,
                "avg_frequency": avg_frequency,
                "avg_monetary": avg_monetary,
                "avg_p_alive": avg_p_alive,
                "total_clv": total_clv,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        segment = d.pop("segment")

        members = d.pop("members")

        share = d.pop("share")

        def _parse_avg_recency_days(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        avg_recency_days = _parse_avg_recency_days(d.pop("avg_recency_days"))

        def _parse_avg_frequency(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        avg_frequency = _parse_avg_frequency(d.pop("avg_frequency"))

        def _parse_avg_monetary(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        avg_monetary = _parse_avg_monetary(d.pop("avg_monetary"))

        def _parse_avg_p_alive(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        avg_p_alive = _parse_avg_p_alive(d.pop("avg_p_alive"))

        def _parse_total_clv(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        total_clv = _parse_total_clv(d.pop("total_clv"))

        segment_figures = cls(
            segment=segment,
            members=members,
            share=share,
            avg_recency_days=avg_recency_days,
            avg_frequency=avg_frequency,
            avg_monetary=avg_monetary,
            avg_p_alive=avg_p_alive,
            total_clv=total_clv,
        )

        segment_figures.additional_properties = d
        return segment_figures

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
