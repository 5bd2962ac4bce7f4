from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.session_stage import SessionStage

T = TypeVar("T", bound="SessionStarted")


@_attrs_define
class SessionStarted:
    """A session after a step: where the sign-in stands and the CSRF token to send back.

    Attributes:
        stage (SessionStage): How far a session's sign-in went: ``two_factor``: the password passed, a code is
            due; ``enrolment``: the password passed and the user's roles need two factors that are
            not enrolled yet; ``complete``: signed in.
        csrf_token (str):
        expires_at (datetime.datetime):
    """

    stage: SessionStage
    csrf_token: str
    expires_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        stage = self.stage.value

        csrf_token = self.csrf_token

        expires_at = self.expires_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "stage": stage,
                "csrf_token": csrf_token,
                "expires_at": expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        stage = SessionStage(d.pop("stage"))

        csrf_token = d.pop("csrf_token")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        session_started = cls(
            stage=stage,
            csrf_token=csrf_token,
            expires_at=expires_at,
        )

        session_started.additional_properties = d
        return session_started

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
