from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MemberScores")


@_attrs_define
class MemberScores:
    """
    Attributes:
        member_id (str):
        computed_at (datetime.datetime):
        recency_days (int | None): days since the last purchase
        frequency (int | None): purchases
        monetary (int | None): net spend, minor units of `currency`
        r_score (int | None): 1–5, 5 = most recent
        f_score (int | None): 1–5, 5 = most purchases
        m_score (int | None): 1–5, 5 = highest spend
        segment (None | str): RFM segment; null without a purchase
        p_alive (float | None): BG/NBD probability of being alive
        churn_risk (float | None): 1 − p_alive
        expected_purchases_90 (float | None):
        expected_purchases_365 (float | None):
        expected_spend (float | None): whole units of `currency`
        clv (float | None): discounted 365-day value, whole units of `currency`
        currency (None | str):
    """

    member_id: str
    computed_at: datetime.datetime
    recency_days: int | None
    frequency: int | None
    monetary: int | None
    r_score: int | None
    f_score: int | None
    m_score: int | None
    segment: None | str
    p_alive: float | None
    churn_risk: float | None
    expected_purchases_90: float | None
    expected_purchases_365: float | None
    expected_spend: float | None
    clv: float | None
    currency: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        member_id = self.member_id

        computed_at = self.computed_at.isoformat()

        recency_days: int | None
        recency_days = self.recency_days

        frequency: int | None
        frequency = self.frequency

        monetary: int | None
        monetary = self.monetary

        r_score: int | None
        r_score = self.r_score

        f_score: int | None
        f_score = self.f_score

        m_score: int | None
        m_score = self.m_score

        segment: None | str
        segment = self.segment

        p_alive: float | None
        p_alive = self.p_alive

        churn_risk: float | None
        churn_risk = self.churn_risk

        expected_purchases_90: float | None
        expected_purchases_90 = self.expected_purchases_90

        expected_purchases_365: float | None
        expected_purchases_365 = self.expected_purchases_365

        expected_spend: float | None
        expected_spend = self.expected_spend

        clv: float | None
        clv = self.clv

        currency: None | str
        currency = self.currency

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "member_id": member_id,
                "computed_at": computed_at,
                "recency_days": recency_days,
                "frequency": frequency,
                "monetary": monetary,
                "r_score": r_score,
                "f_score": f_score,
                "m_score": m_score,
                "segment": segment,
                "p_alive": p_alive,
                "churn_risk": churn_risk,
                "expected_purchases_90": expected_purchases_90,
                "expected_purchases_365": expected_purchases_365,
                "expected_spend": expected_spend,
                "clv": clv,
                "currency": currency,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        member_id = d.pop("member_id")

        computed_at = datetime.datetime.fromisoformat(d.pop("computed_at"))

        def _parse_recency_days(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        recency_days = _parse_recency_days(d.pop("recency_days"))

        def _parse_frequency(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        frequency = _parse_frequency(d.pop("frequency"))

        def _parse_monetary(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        monetary = _parse_monetary(d.pop("monetary"))

        def _parse_r_score(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        r_score = _parse_r_score(d.pop("r_score"))

        def _parse_f_score(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        f_score = _parse_f_score(d.pop("f_score"))

        def _parse_m_score(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        m_score = _parse_m_score(d.pop("m_score"))

        def _parse_segment(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        segment = _parse_segment(d.pop("segment"))

        def _parse_p_alive(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        p_alive = _parse_p_alive(d.pop("p_alive"))

        def _parse_churn_risk(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        churn_risk = _parse_churn_risk(d.pop("churn_risk"))

        def _parse_expected_purchases_90(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        expected_purchases_90 = _parse_expected_purchases_90(d.pop("expected_purchases_90"))

        def _parse_expected_purchases_365(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        expected_purchases_365 = _parse_expected_purchases_365(d.pop("expected_purchases_365"))

        def _parse_expected_spend(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        expected_spend = _parse_expected_spend(d.pop("expected_spend"))

        def _parse_clv(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        clv = _parse_clv(d.pop("clv"))

        def _parse_currency(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        currency = _parse_currency(d.pop("currency"))

        member_scores = cls(
            member_id=member_id,
            computed_at=computed_at,
            recency_days=recency_days,
            frequency=frequency,
            monetary=monetary,
            r_score=r_score,
            f_score=f_score,
            m_score=m_score,
            segment=segment,
            p_alive=p_alive,
            churn_risk=churn_risk,
            expected_purchases_90=expected_purchases_90,
            expected_purchases_365=expected_purchases_365,
            expected_spend=expected_spend,
            clv=clv,
            currency=currency,
        )

        member_scores.additional_properties = d
        return member_scores

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
