from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.evaluate_request_event import EvaluateRequestEvent
    from ..models.rule_spec import RuleSpec


T = TypeVar("T", bound="EvaluateRequest")


@_attrs_define
class EvaluateRequest:
    """A dry run: the event as the shop would send it, evaluated against the program.

    Attributes:
        event (EvaluateRequestEvent):
        rules (list[RuleSpec] | None | Unset): Evaluate against these rules instead of the stored program.
    """

    event: EvaluateRequestEvent
    rules: list[RuleSpec] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        event = self.event.to_dict()

        rules: list[dict[str, Any]] | None | Unset
        if isinstance(self.rules, Unset):
            rules = UNSET
        elif isinstance(self.rules, list):
            rules = []
            for rules_type_0_item_data in self.rules:
                rules_type_0_item = rules_type_0_item_data.to_dict()
                rules.append(rules_type_0_item)

        else:
            rules = self.rules

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "event": event,
            }
        )
        if rules is not UNSET:
            field_dict["rules"] = rules

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.evaluate_request_event import EvaluateRequestEvent  # noqa: PLC0415
        from ..models.rule_spec import RuleSpec  # noqa: PLC0415

        d = dict(src_dict)
        event = EvaluateRequestEvent.from_dict(d.pop("event"))

        def _parse_rules(data: object) -> list[RuleSpec] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                rules_type_0 = []
                _rules_type_0 = data
                for rules_type_0_item_data in _rules_type_0:
                    rules_type_0_item = RuleSpec.from_dict(rules_type_0_item_data)

                    rules_type_0.append(rules_type_0_item)

                return rules_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[RuleSpec] | None | Unset, data)

        rules = _parse_rules(d.pop("rules", UNSET))

        evaluate_request = cls(
            event=event,
            rules=rules,
        )

        return evaluate_request
