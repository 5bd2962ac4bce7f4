from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.dimension import Dimension
from ..models.period import Period

if TYPE_CHECKING:
    from ..models.kpi_row import KpiRow
    from ..models.kpi_total import KpiTotal


T = TypeVar("T", bound="KpiReport")


@_attrs_define
class KpiReport:
    """
    Attributes:
        period (Period):
        by (Dimension | None):
        from_ (datetime.date): first day counted
        to (datetime.date): last day counted (inclusive)
        timezone (str):
        currency (None | str): orders counted (null: every currency)
        liability_currency (str):
        point_value (str): whole units of `liability_currency` a point is worth
        churn_days (int):
        rows (list[KpiRow]):
        totals (list[KpiTotal] | None): per period over every member once; only when grouped
    """

    period: Period
    by: Dimension | None
    from_: datetime.date
    to: datetime.date
    timezone: str
    currency: None | str
    liability_currency: str
    point_value: str
    churn_days: int
    rows: list[KpiRow]
    totals: list[KpiTotal] | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        period = self.period.value

        by: None | str
        if isinstance(self.by, Dimension):
            by = self.by.value
        else:
            by = self.by

        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        timezone = self.timezone

        currency: None | str
        currency = self.currency

        liability_currency = self.liability_currency

        point_value = self.point_value

        churn_days = self.churn_days

        rows = []
        for rows_item_data in self.rows:
            rows_item = rows_item_data.to_dict()
            rows.append(rows_item)

        totals: list[dict[str, Any]] | None
        if isinstance(self.totals, list):
            totals = []
            for totals_type_0_item_data in self.totals:
                totals_type_0_item = totals_type_0_item_data.to_dict()
                totals.append(totals_type_0_item)

        else:
            totals = self.totals

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "period": period,
                "by": by,
                "from": from_,
                "to": to,
                "timezone": timezone,
                "currency": currency,
                "liability_currency": liability_currency,
                "point_value": point_value,
                "churn_days": churn_days,
                "rows": rows,
                "totals": totals,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.kpi_row import KpiRow  # noqa: PLC0415
        from ..models.kpi_total import KpiTotal  # noqa: PLC0415

        d = dict(src_dict)
        period = Period(d.pop("period"))

        def _parse_by(data: object) -> Dimension | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                by_type_0 = Dimension(data)

                return by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Dimension | None, data)

        by = _parse_by(d.pop("by"))

        from_ = datetime.date.fromisoformat(d.pop("from"))

        to = datetime.date.fromisoformat(d.pop("to"))

        timezone = d.pop("timezone")

        def _parse_currency(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        currency = _parse_currency(d.pop("currency"))

        liability_currency = d.pop("liability_currency")

        point_value = d.pop("point_value")

        churn_days = d.pop("churn_days")

        rows = []
        _rows = d.pop("rows")
        for rows_item_data in _rows:
            rows_item = KpiRow.from_dict(rows_item_data)

            rows.append(rows_item)

        def _parse_totals(data: object) -> list[KpiTotal] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                totals_type_0 = []
                _totals_type_0 = data
                for totals_type_0_item_data in _totals_type_0:
                    totals_type_0_item = KpiTotal.from_dict(totals_type_0_item_data)

                    totals_type_0.append(totals_type_0_item)

                return totals_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[KpiTotal] | None, data)

        totals = _parse_totals(d.pop("totals"))

        kpi_report = cls(
            period=period,
            by=by,
            from_=from_,
            to=to,
            timezone=timezone,
            currency=currency,
            liability_currency=liability_currency,
            point_value=point_value,
            churn_days=churn_days,
            rows=rows,
            totals=totals,
        )

        kpi_report.additional_properties = d
        return kpi_report

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
