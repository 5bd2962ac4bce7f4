from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="NpsRow")


@_attrs_define
class NpsRow:
    """
    Attributes:
        responses (int):
        promoters (int): answers scoring 9–10
        passives (int): answers scoring 7–8
        detractors (int): answers scoring 0–6
        nps (float | None): % promoters − % detractors, one decimal; null without responses
        period (None | str): 2026-01-15 (day), 2026-W03 (ISO week), 2026-01 (month); null: whole range
        period_start (datetime.date | None): first day of the period, program time zone
        group (None | str): the segment, tier or channel; null: none (or not grouped)
    """

    responses: int
    promoters: int
    passives: int
    detractors: int
    nps: float | None
    period: None | str
    period_start: datetime.date | None
    group: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        responses = self.responses

        promoters = self.promoters

        passives = self.passives

        detractors = self.detractors

        nps: float | None
        nps = self.nps

        period: None | str
        period = self.period

        period_start: None | str
        if isinstance(self.period_start, datetime.date):
            period_start = self.period_start.isoformat()
        else:
            period_start = self.period_start

        group: None | str
        group = self.group

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "responses": responses,
                "promoters": promoters,
                "passives": passives,
                "detractors": detractors,
                "nps": nps,
                "period": period,
                "period_start": period_start,
                "group": group,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        responses = d.pop("responses")

        promoters = d.pop("promoters")

        passives = d.pop("passives")

        detractors = d.pop("detractors")

        def _parse_nps(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        nps = _parse_nps(d.pop("nps"))

        def _parse_period(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        period = _parse_period(d.pop("period"))

        def _parse_period_start(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                period_start_type_0 = datetime.date.fromisoformat(data)

                return period_start_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        period_start = _parse_period_start(d.pop("period_start"))

        def _parse_group(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        group = _parse_group(d.pop("group"))

        nps_row = cls(
            responses=responses,
            promoters=promoters,
            passives=passives,
            detractors=detractors,
            nps=nps,
            period=period,
            period_start=period_start,
            group=group,
        )

        nps_row.additional_properties = d
        return nps_row

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
