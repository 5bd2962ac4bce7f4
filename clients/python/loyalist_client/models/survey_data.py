from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.survey_channel import SurveyChannel
from ..types import UNSET, Unset

T = TypeVar("T", bound="SurveyData")


@_attrs_define
class SurveyData:
    """
    Attributes:
        survey_id (str):
        score (int | None | Unset):
        comment (None | str | Unset):
        channel (None | SurveyChannel | Unset): where the survey was answered (NPS is reported per channel)
    """

    survey_id: str
    score: int | None | Unset = UNSET
    comment: None | str | Unset = UNSET
    channel: None | SurveyChannel | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        survey_id = self.survey_id

        score: int | None | Unset
        if isinstance(self.score, Unset):
            score = UNSET
        else:
            score = self.score

        comment: None | str | Unset
        if isinstance(self.comment, Unset):
            comment = UNSET
        else:
            comment = self.comment

        channel: None | str | Unset
        if isinstance(self.channel, Unset):
            channel = UNSET
        elif isinstance(self.channel, SurveyChannel):
            channel = self.channel.value
        else:
            channel = self.channel

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "survey_id": survey_id,
            }
        )
        if score is not UNSET:
            field_dict["score"] = score
        if comment is not UNSET:
            field_dict["comment"] = comment
        if channel is not UNSET:
            field_dict["channel"] = channel

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        survey_id = d.pop("survey_id")

        def _parse_score(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        score = _parse_score(d.pop("score", UNSET))

        def _parse_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comment = _parse_comment(d.pop("comment", UNSET))

        def _parse_channel(data: object) -> None | SurveyChannel | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                channel_type_0 = SurveyChannel(data)

                return channel_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SurveyChannel | Unset, data)

        channel = _parse_channel(d.pop("channel", UNSET))

        survey_data = cls(
            survey_id=survey_id,
            score=score,
            comment=comment,
            channel=channel,
        )

        return survey_data
