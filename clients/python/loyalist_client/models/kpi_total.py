from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="KpiTotal")


@_attrs_define
class KpiTotal:
    """
    Attributes:
        members (int | None): members enrolled by the end of the period
        new_members (int | None): members enrolled in the period
        active_members (int): members with at least one paid order in the period
        orders (int): paid, not cancelled orders in the period
        revenue (int): their amounts net of returns, minor units of `currency`
        average_order_value (int | None): revenue / orders, minor units, half up
        purchase_frequency (float | None): orders / active members, 4 decimals
        repeat_buyers (int): active members with 2+ orders in their lifetime by the period's end
        repeat_purchase_rate (float | None): repeat buyers / active members; share in [0, 1], 4 decimals; null without a
            denominator
        customers (int | None): members with an order by the period's end
        churned_customers (int | None): customers without an order in the `churn_days` before the period's end
        churn_rate (float | None): churned customers / customers; share in [0, 1], 4 decimals; null without a
            denominator
        ambassadors (int | None): members with a converted referral or a 9–10 answer by the period's end
        nps_responses (int | None): first survey answers with a score in the period
        promoters (int | None):
        detractors (int | None):
        nps (float | None): % promoters − % detractors, one decimal
        reviews (int | None): live reviews published in the period
        average_rating (float | None): their mean rating, 2 decimals
        points_issued (int | None):
        points_redeemed (int | None): net of refunds of spent points
        points_expired (int | None):
        points_reversed (int | None):
        points_adjusted (int | None): signed: positive when given
        liability_points (int | None): outstanding points at the period's end
        liability_money (int | None): liability × point value, minor units of `liability_currency`, half up
        breakage_rate (float | None): expired / issued, to date; share in [0, 1], 4 decimals; null without a denominator
        redemption_rate (float | None): redeemed / issued, to date; share in [0, 1], 4 decimals; null without a
            denominator
        period (str):
        period_start (datetime.date):
    """

    members: int | None
    new_members: int | None
    active_members: int
    orders: int
    revenue: int
    average_order_value: int | None
    purchase_frequency: float | None
    repeat_buyers: int
    repeat_purchase_rate: float | None
    customers: int | None
    churned_customers: int | None
    churn_rate: float | None
    ambassadors: int | None
    nps_responses: int | None
    promoters: int | None
    detractors: int | None
    nps: float | None
    reviews: int | None
    average_rating: float | None
    points_issued: int | None
    points_redeemed: int | None
    points_expired: int | None
    points_reversed: int | None
    points_adjusted: int | None
    liability_points: int | None
    liability_money: int | None
    breakage_rate: float | None
    redemption_rate: float | None
    period: str
    period_start: datetime.date
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        members: int | None
        members = self.members

        new_members: int | None
        new_members = self.new_members

        active_members = self.active_members

        orders = self.orders

        revenue = self.revenue

        average_order_value: int | None
        average_order_value = self.average_order_value

        purchase_frequency: float | None
        purchase_frequency = self.purchase_frequency

        repeat_buyers = self.repeat_buyers

        repeat_purchase_rate: float | None
        repeat_purchase_rate = self.repeat_purchase_rate

        customers: int | None
        customers = self.customers

        churned_customers: int | None
        churned_customers = self.churned_customers

        churn_rate: float | None
        churn_rate = self.churn_rate

        ambassadors: int | None
        ambassadors = self.ambassadors

        nps_responses: int | None
        nps_responses = self.nps_responses

        promoters: int | None
        promoters = self.promoters

        detractors: int | None
        detractors = self.detractors

        nps: float | None
        nps = self.nps

        reviews: int | None
        reviews = self.reviews

        average_rating: float | None
        average_rating = self.average_rating

        points_issued: int | None
        points_issued = self.points_issued

        points_redeemed: int | None
        points_redeemed = self.points_redeemed

        points_expired: int | None
        points_expired = self.points_expired

        points_reversed: int | None
        points_reversed = self.points_reversed

        points_adjusted: int | None
        points_adjusted = self.points_adjusted

        liability_points: int | None
        liability_points = self.liability_points

        liability_money: int | None
        liability_money = self.liability_money

        breakage_rate: float | None
        breakage_rate = self.breakage_rate

        redemption_rate: float | None
        redemption_rate = self.redemption_rate

        period = self.period

        period_start = self.period_start.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "members": members,
                "new_members": new_members,
                "active_members": active_members,
                "orders": orders,
                "revenue": revenue,
                "average_order_value": average_order_value,
                "purchase_frequency": purchase_frequency,
                "repeat_buyers": repeat_buyers,
                "repeat_purchase_rate": repeat_purchase_rate,
                "customers": customers,
                "churned_customers": churned_customers,
                "churn_rate": churn_rate,
                "ambassadors": ambassadors,
                "nps_responses": nps_responses,
                "promoters": promoters,
                "detractors": detractors,
                "nps": nps,
                "reviews": reviews,
                "average_rating": average_rating,
                "points_issued": points_issued,
                "points_redeemed": points_redeemed,
                "points_expired": points_expired,
                "points_reversed": points_reversed,
                "points_adjusted": points_adjusted,
                "liability_points": liability_points,
                "liability_money": liability_money,
                "breakage_rate": breakage_rate,
                "redemption_rate": redemption_rate,
                "period": period,
                "period_start": period_start,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_members(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        members = _parse_members(d.pop("members"))

        def _parse_new_members(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        new_members = _parse_new_members(d.pop("new_members"))

        active_members = d.pop("active_members")

        orders = d.pop("orders")

        revenue = d.pop("revenue")

        def _parse_average_order_value(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        average_order_value = _parse_average_order_value(d.pop("average_order_value"))

        def _parse_purchase_frequency(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        purchase_frequency = _parse_purchase_frequency(d.pop("purchase_frequency"))

        repeat_buyers = d.pop("repeat_buyers")

        def _parse_repeat_purchase_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        repeat_purchase_rate = _parse_repeat_purchase_rate(d.pop("repeat_purchase_rate"))

        def _parse_customers(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        customers = _parse_customers(d.pop("customers"))

        def _parse_churned_customers(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        churned_customers = _parse_churned_customers(d.pop("churned_customers"))

        def _parse_churn_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        churn_rate = _parse_churn_rate(d.pop("churn_rate"))

        def _parse_ambassadors(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        ambassadors = _parse_ambassadors(d.pop("ambassadors"))

        def _parse_nps_responses(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        nps_responses = _parse_nps_responses(d.pop("nps_responses"))

        def _parse_promoters(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        promoters = _parse_promoters(d.pop("promoters"))

        def _parse_detractors(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        detractors = _parse_detractors(d.pop("detractors"))

        def _parse_nps(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        nps = _parse_nps(d.pop("nps"))

        def _parse_reviews(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        reviews = _parse_reviews(d.pop("reviews"))

        def _parse_average_rating(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        average_rating = _parse_average_rating(d.pop("average_rating"))

        def _parse_points_issued(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        points_issued = _parse_points_issued(d.pop("points_issued"))

        def _parse_points_redeemed(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        points_redeemed = _parse_points_redeemed(d.pop("points_redeemed"))

        def _parse_points_expired(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        points_expired = _parse_points_expired(d.pop("points_expired"))

        def _parse_points_reversed(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        points_reversed = _parse_points_reversed(d.pop("points_reversed"))

        def _parse_points_adjusted(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        points_adjusted = _parse_points_adjusted(d.pop("points_adjusted"))

        def _parse_liability_points(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        liability_points = _parse_liability_points(d.pop("liability_points"))

        def _parse_liability_money(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        liability_money = _parse_liability_money(d.pop("liability_money"))

        def _parse_breakage_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        breakage_rate = _parse_breakage_rate(d.pop("breakage_rate"))

        def _parse_redemption_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        redemption_rate = _parse_redemption_rate(d.pop("redemption_rate"))

        period = d.pop("period")

        period_start = datetime.date.fromisoformat(d.pop("period_start"))

        kpi_total = cls(
            members=members,
            new_members=new_members,
            active_members=active_members,
            orders=orders,
            revenue=revenue,
            average_order_value=average_order_value,
            purchase_frequency=purchase_frequency,
            repeat_buyers=repeat_buyers,
            repeat_purchase_rate=repeat_purchase_rate,
            customers=customers,
            churned_customers=churned_customers,
            churn_rate=churn_rate,
            ambassadors=ambassadors,
            nps_responses=nps_responses,
            promoters=promoters,
            detractors=detractors,
            nps=nps,
            reviews=reviews,
            average_rating=average_rating,
            points_issued=points_issued,
            points_redeemed=points_redeemed,
            points_expired=points_expired,
            points_reversed=points_reversed,
            points_adjusted=points_adjusted,
            liability_points=liability_points,
            liability_money=liability_money,
            breakage_rate=breakage_rate,
            redemption_rate=redemption_rate,
            period=period,
            period_start=period_start,
        )

        kpi_total.additional_properties = d
        return kpi_total

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
