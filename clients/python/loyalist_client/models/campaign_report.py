from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.campaign_state import CampaignState

if TYPE_CHECKING:
    from ..models.arm_report import ArmReport
    from ..models.goal_read import GoalRead
    from ..models.uplift import Uplift
    from ..models.winner_rule import WinnerRule


T = TypeVar("T", bound="CampaignReport")


@_attrs_define
class CampaignReport:
    """``winner``: the variant declared once the measurement was complete (every main send
    done and the last goal window closed), null before or when none beat the control
    group; ``leader``: the variant the rule picks from the figures now.

        Attributes:
            key (str):
            state (CampaignState): draft → scheduled → running → finished; paused and cancelled on the way. A
                campaign launched with a future ``send_at`` is ``scheduled`` until its first send is
                due.
            currency (str):
            goal (GoalRead):
            measurement_complete (bool):
            arms (list[ArmReport]):
            uplift (list[Uplift]):
            winner (None | str):
            leader (None | str):
            winner_rule (WinnerRule):
    """

    key: str
    state: CampaignState
    currency: str
    goal: GoalRead
    measurement_complete: bool
    arms: list[ArmReport]
    uplift: list[Uplift]
    winner: None | str
    leader: None | str
    winner_rule: WinnerRule
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        state = self.state.value

        currency = self.currency

        goal = self.goal.to_dict()

        measurement_complete = self.measurement_complete

        arms = []
        for arms_item_data in self.arms:
            arms_item = arms_item_data.to_dict()
            arms.append(arms_item)

        uplift = []
        for uplift_item_data in self.uplift:
            uplift_item = uplift_item_data.to_dict()
            uplift.append(uplift_item)

        winner: None | str
        winner = self.winner

        leader: None | str
        leader = self.leader

        winner_rule = self.winner_rule.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "state": state,
                "currency": currency,
                "goal": goal,
                "measurement_complete": measurement_complete,
                "arms": arms,
                "uplift": uplift,
                "winner": winner,
                "leader": leader,
                "winner_rule": winner_rule,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.arm_report import ArmReport  # noqa: PLC0415
        from ..models.goal_read import GoalRead  # noqa: PLC0415
        from ..models.uplift import Uplift  # noqa: PLC0415
        from ..models.winner_rule import WinnerRule  # noqa: PLC0415

        d = dict(src_dict)
        key = d.pop("key")

        state = CampaignState(d.pop("state"))

        currency = d.pop("currency")

        goal = GoalRead.from_dict(d.pop("goal"))

        measurement_complete = d.pop("measurement_complete")

        arms = []
        _arms = d.pop("arms")
        for arms_item_data in _arms:
            arms_item = ArmReport.from_dict(arms_item_data)

            arms.append(arms_item)

        uplift = []
        _uplift = d.pop("uplift")
        for uplift_item_data in _uplift:
            uplift_item = Uplift.from_dict(uplift_item_data)

            uplift.append(uplift_item)

        def _parse_winner(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        winner = _parse_winner(d.pop("winner"))

        def _parse_leader(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        leader = _parse_leader(d.pop("leader"))

        winner_rule = WinnerRule.from_dict(d.pop("winner_rule"))

        campaign_report = cls(
            key=key,
            state=state,
            currency=currency,
            goal=goal,
            measurement_complete=measurement_complete,
            arms=arms,
            uplift=uplift,
            winner=winner,
            leader=leader,
            winner_rule=winner_rule,
        )

        campaign_report.additional_properties = d
        return campaign_report

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
