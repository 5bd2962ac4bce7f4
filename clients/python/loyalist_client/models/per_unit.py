from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.per_unit_of import PerUnitOf
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.line_match import LineMatch
    from ..models.per_unit_rates import PerUnitRates


T = TypeVar("T", bound="PerUnit")


@_attrs_define
class PerUnit:
    """Points per whole currency unit of the order (shipping excluded) or of matching lines.

    ``base: true`` marks the program's base earning, which multipliers and tier perks scale.

        Attributes:
            type_ (Literal['per_unit']):
            rates (PerUnitRates):
            of (PerUnitOf | Unset):  Default: PerUnitOf.ORDER.
            lines (LineMatch | None | Unset):
            base (bool | Unset):  Default: False.
    """

    type_: Literal["per_unit"]
    rates: PerUnitRates
    of: PerUnitOf | Unset = PerUnitOf.ORDER
    lines: LineMatch | None | Unset = UNSET
    base: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        from ..models.line_match import LineMatch  # noqa: PLC0415

        type_ = self.type_

        rates = self.rates.to_dict()

        of: str | Unset = UNSET
        if not isinstance(self.of, Unset):
            of = self.of.value

        lines: dict[str, Any] | None | Unset
        if isinstance(self.lines, Unset):
            lines = UNSET
        elif isinstance(self.lines, LineMatch):
            lines = self.lines.to_dict()
        else:
            lines = self.lines

        base = self.base

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "rates": rates,
            }
        )
        if of is not UNSET:
            field_dict["of"] = of
        if lines is not UNSET:
            field_dict["lines"] = lines
        if base is not UNSET:
            field_dict["base"] = base

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.line_match import LineMatch  # noqa: PLC0415
        from ..models.per_unit_rates import PerUnitRates  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["per_unit"], d.pop("type"))
        if type_ != "per_unit":
            raise ValueError(f"type must match const 'per_unit', got '{type_}'")

        rates = PerUnitRates.from_dict(d.pop("rates"))

        _of = d.pop("of", UNSET)
        of: PerUnitOf | Unset
        if isinstance(_of, Unset):
            of = UNSET
        else:
            of = PerUnitOf(_of)

        def _parse_lines(data: object) -> LineMatch | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                lines_type_0 = LineMatch.from_dict(data)

                return lines_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LineMatch | None | Unset, data)

        lines = _parse_lines(d.pop("lines", UNSET))

        base = d.pop("base", UNSET)

        per_unit = cls(
            type_=type_,
            rates=rates,
            of=of,
            lines=lines,
            base=base,
        )

        return per_unit
