from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.campaign_state import CampaignState
from ..models.change_action import ChangeAction

if TYPE_CHECKING:
    from ..models.campaign_change_spec_type_0 import CampaignChangeSpecType0


T = TypeVar("T", bound="CampaignChange")


@_attrs_define
class CampaignChange:
    """One change of a campaign: its spec after it (when the spec changed) or a state move.

    Attributes:
        revision (int):
        action (ChangeAction):
        state (CampaignState): draft → scheduled → running → finished; paused and cancelled on the way. A
            campaign launched with a future ``send_at`` is ``scheduled`` until its first send is
            due.
        spec (CampaignChangeSpecType0 | None): the spec as stored by this change
        detail (None | str):
        actor (str): who made it
        at (datetime.datetime):
    """

    revision: int
    action: ChangeAction
    state: CampaignState
    spec: CampaignChangeSpecType0 | None
    detail: None | str
    actor: str
    at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.campaign_change_spec_type_0 import CampaignChangeSpecType0  # noqa: PLC0415

        revision = self.revision

        action = self.action.value

        state = self.state.value

        spec: dict[str, Any] | None
        if isinstance(self.spec, CampaignChangeSpecType0):
            spec = self.spec.to_dict()
        else:
            spec = self.spec

        detail: None | str
        detail = self.detail

        actor = self.actor

        at = self.at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "revision": revision,
                "action": action,
                "state": state,
                "spec": spec,
                "detail": detail,
                "actor": actor,
                "at": at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.campaign_change_spec_type_0 import CampaignChangeSpecType0  # noqa: PLC0415

        d = dict(src_dict)
        revision = d.pop("revision")

        action = ChangeAction(d.pop("action"))

        state = CampaignState(d.pop("state"))

        def _parse_spec(data: object) -> CampaignChangeSpecType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                spec_type_0 = CampaignChangeSpecType0.from_dict(data)

                return spec_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CampaignChangeSpecType0 | None, data)

        spec = _parse_spec(d.pop("spec"))

        def _parse_detail(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        detail = _parse_detail(d.pop("detail"))

        actor = d.pop("actor")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        campaign_change = cls(
            revision=revision,
            action=action,
            state=state,
            spec=spec,
            detail=detail,
            actor=actor,
            at=at,
        )

        campaign_change.additional_properties = d
        return campaign_change

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
