from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="NpsFigures")


@_attrs_define
class NpsFigures:
    """
    Attributes:
        responses (int):
        promoters (int): answers scoring 9–10
        passives (int): answers scoring 7–8
        detractors (int): answers scoring 0–6
        nps (float | None): % promoters − % detractors, one decimal; null without responses
    """

    responses: int
    promoters: int
    passives: int
    detractors: int
    nps: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        responses = self.responses

        promoters = self.promoters

        passives = self.passives

        detractors = self.detractors

        nps: float | None
        nps = self.nps

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "responses": responses,
                "promoters": promoters,
                "passives": passives,
                "detractors": detractors,
                "nps": nps,
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

        nps_figures = cls(
            responses=responses,
            promoters=promoters,
            passives=passives,
            detractors=detractors,
            nps=nps,
        )

        nps_figures.additional_properties = d
        return nps_figures

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
