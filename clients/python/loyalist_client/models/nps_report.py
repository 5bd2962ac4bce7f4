from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.dimension import Dimension
from ..models.period import Period

if TYPE_CHECKING:
    from ..models.nps_figures import NpsFigures
    from ..models.nps_row import NpsRow


T = TypeVar("T", bound="NpsReport")


@_attrs_define
class NpsReport:
    """
    Attributes:
        period (None | Period):
        by (Dimension | None):
        from_ (datetime.date | None): first day counted
        to (datetime.date | None): last day counted (inclusive)
        timezone (str):
        rows (list[NpsRow]):
        total (NpsFigures):
    """

    period: None | Period
    by: Dimension | None
    from_: datetime.date | None
    to: datetime.date | None
    timezone: str
    rows: list[NpsRow]
    total: NpsFigures
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        period: None | str
        if isinstance(self.period, Period):
            period = self.period.value
        else:
            period = self.period

        by: None | str
        if isinstance(self.by, Dimension):
            by = self.by.value
        else:
            by = self.by

        from_: None | str
        if isinstance(self.from_, datetime.date):
            from_ = self.from_.isoformat()
        else:
            from_ = self.from_

        to: None | str
        if isinstance(self.to, datetime.date):
            to = self.to.isoformat()
        else:
            to = self.to

        timezone = self.timezone

        rows = []
        for rows_item_data in self.rows:
            rows_item = rows_item_data.to_dict()
            rows.append(rows_item)

        total = self.total.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "period": period,
                "by": by,
                "from": from_,
                "to": to,
                "timezone": timezone,
                "rows": rows,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.nps_figures import NpsFigures  # noqa: PLC0415
        from ..models.nps_row import NpsRow  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_period(data: object) -> None | Period:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                period_type_0 = Period(data)

                return period_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Period, data)

        period = _parse_period(d.pop("period"))

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

        def _parse_from_(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                from_type_0 = datetime.date.fromisoformat(data)

                return from_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        from_ = _parse_from_(d.pop("from"))

        def _parse_to(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                to_type_0 = datetime.date.fromisoformat(data)

                return to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        to = _parse_to(d.pop("to"))

        timezone = d.pop("timezone")

        rows = []
        _rows = d.pop("rows")
        for rows_item_data in _rows:
            rows_item = NpsRow.from_dict(rows_item_data)

            rows.append(rows_item)

        total = NpsFigures.from_dict(d.pop("total"))

        nps_report = cls(
            period=period,
            by=by,
            from_=from_,
            to=to,
            timezone=timezone,
            rows=rows,
            total=total,
        )

        nps_report.additional_properties = d
        return nps_report

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
