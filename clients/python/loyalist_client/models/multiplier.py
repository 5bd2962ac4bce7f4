from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.line_match import LineMatch


T = TypeVar("T", bound="Multiplier")


@_attrs_define
class Multiplier:
    """Extra base points: ``factor`` 2 doubles the base points of the order (or of the
    matching lines), i.e. adds one more time the base.

        Attributes:
            type_ (Literal['multiplier']):
            factor (float | str):
            lines (LineMatch | None | Unset):
    """

    type_: Literal["multiplier"]
    factor: float | str
    lines: LineMatch | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.line_match import LineMatch  # noqa: PLC0415

        type_ = self.type_

        factor: float | str
        factor = self.factor

        lines: dict[str, Any] | None | Unset
        if isinstance(self.lines, Unset):
            lines = UNSET
        elif isinstance(self.lines, LineMatch):
            lines = self.lines.to_dict()
        else:
            lines = self.lines

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "factor": factor,
            }
        )
        if lines is not UNSET:
            field_dict["lines"] = lines

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.line_match import LineMatch  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["multiplier"], d.pop("type"))
        if type_ != "multiplier":
            raise ValueError(f"type must match const 'multiplier', got '{type_}'")

        def _parse_factor(data: object) -> float | str:
            return cast(float | str, data)

        factor = _parse_factor(d.pop("factor"))

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

        multiplier = cls(
            type_=type_,
            factor=factor,
            lines=lines,
        )

        return multiplier
