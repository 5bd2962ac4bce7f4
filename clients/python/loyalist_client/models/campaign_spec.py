from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.campaign_spec_channel import CampaignSpecChannel
from ..models.campaign_spec_late import CampaignSpecLate
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.audience import Audience
    from ..models.follow_up import FollowUp
    from ..models.goal import Goal
    from ..models.locale_text import LocaleText
    from ..models.offer import Offer
    from ..models.variant import Variant


T = TypeVar("T", bound="CampaignSpec")


@_attrs_define
class CampaignSpec:
    """A campaign (``PUT /api/v1/campaigns/{key}``, the program file's ``campaigns:``).

    Attributes:
        name (LocaleText): A text members read, in English and Russian (a template source: Jinja2).
        audience (Audience | Unset): Who the campaign is for: every condition given must hold (each list: any of its
            values); an empty audience is every member. Consent for the campaign's channel and no
            suppression are always required, and members in the program's global holdout are
            never in an audience.
        channel (CampaignSpecChannel | Unset):  Default: CampaignSpecChannel.EMAIL.
        template (None | str | Unset):
        subject (LocaleText | None | Unset):
        body (LocaleText | None | Unset):
        html (LocaleText | None | Unset):
        short (LocaleText | None | Unset):
        variants (list[Variant] | Unset):
        control_percent (float | str | Unset):  Default: 10.0.
        offer (None | Offer | Unset):
        goal (Goal | Unset): A conversion: the member's first ``event`` within ``days`` after their send.
        send_at (datetime.datetime | None | Unset): absent: at launch
        late (CampaignSpecLate | Unset): members whose local send time has passed when the campaign starts Default:
            CampaignSpecLate.NEXT_DAY.
        quiet_hours (bool | Unset): false: sent at once even inside members' quiet hours Default: True.
        ends_at (datetime.datetime | None | Unset): the offer's deadline: codes expire, the rule retires
        follow_ups (list[FollowUp] | Unset):
    """

    name: LocaleText
    audience: Audience | Unset = UNSET
    channel: CampaignSpecChannel | Unset = CampaignSpecChannel.EMAIL
    template: None | str | Unset = UNSET
    subject: LocaleText | None | Unset = UNSET
    body: LocaleText | None | Unset = UNSET
    html: LocaleText | None | Unset = UNSET
    short: LocaleText | None | Unset = UNSET
    variants: list[Variant] | Unset = UNSET
    control_percent: float | str | Unset = 10.0
    offer: None | Offer | Unset = UNSET
    goal: Goal | Unset = UNSET
    send_at: datetime.datetime | None | Unset = UNSET
    late: CampaignSpecLate | Unset = CampaignSpecLate.NEXT_DAY
    quiet_hours: bool | Unset = True
    ends_at: datetime.datetime | None | Unset = UNSET
    follow_ups: list[FollowUp] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.locale_text import LocaleText  # noqa: PLC0415
        from ..models.offer import Offer  # noqa: PLC0415

        name = self.name.to_dict()

        audience: dict[str, Any] | Unset = UNSET
        if not isinstance(self.audience, Unset):
            audience = self.audience.to_dict()

        channel: str | Unset = UNSET
        if not isinstance(self.channel, Unset):
            channel = self.channel.value

        template: None | str | Unset
        if isinstance(self.template, Unset):
            template = UNSET
        else:
            template = self.template

        subject: dict[str, Any] | None | Unset
        if isinstance(self.subject, Unset):
            subject = UNSET
        elif isinstance(self.subject, LocaleText):
            subject = self.subject.to_dict()
        else:
            subject = self.subject

        body: dict[str, Any] | None | Unset
        if isinstance(self.body, Unset):
            body = UNSET
        elif isinstance(self.body, LocaleText):
            body = self.body.to_dict()
        else:
            body = self.body

        html: dict[str, Any] | None | Unset
        if isinstance(self.html, Unset):
            html = UNSET
        elif isinstance(self.html, LocaleText):
            html = self.html.to_dict()
        else:
            html = self.html

        short: dict[str, Any] | None | Unset
        if isinstance(self.short, Unset):
            short = UNSET
        elif isinstance(self.short, LocaleText):
            short = self.short.to_dict()
        else:
            short = self.short

        variants: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.variants, Unset):
            variants = []
            for variants_item_data in self.variants:
                variants_item = variants_item_data.to_dict()
                variants.append(variants_item)

        control_percent: float | str | Unset
        if isinstance(self.control_percent, Unset):
            control_percent = UNSET
        else:
            control_percent = self.control_percent

        offer: dict[str, Any] | None | Unset
        if isinstance(self.offer, Unset):
            offer = UNSET
        elif isinstance(self.offer, Offer):
            offer = self.offer.to_dict()
        else:
            offer = self.offer

        goal: dict[str, Any] | Unset = UNSET
        if not isinstance(self.goal, Unset):
            goal = self.goal.to_dict()

        send_at: None | str | Unset
        if isinstance(self.send_at, Unset):
            send_at = UNSET
        elif isinstance(self.send_at, datetime.datetime):
            send_at = self.send_at.isoformat()
        else:
            send_at = self.send_at

        late: str | Unset = UNSET
        if not isinstance(self.late, Unset):
            late = self.late.value

        quiet_hours = self.quiet_hours

        ends_at: None | str | Unset
        if isinstance(self.ends_at, Unset):
            ends_at = UNSET
        elif isinstance(self.ends_at, datetime.datetime):
            ends_at = self.ends_at.isoformat()
        else:
            ends_at = self.ends_at

        follow_ups: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.follow_ups, Unset):
            follow_ups = []
            for follow_ups_item_data in self.follow_ups:
                follow_ups_item = follow_ups_item_data.to_dict()
                follow_ups.append(follow_ups_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if audience is not UNSET:
            field_dict["audience"] = audience
        if channel is not UNSET:
            field_dict["channel"] = channel
        if template is not UNSET:
            field_dict["template"] = template
        if subject is not UNSET:
            field_dict["subject"] = subject
        if body is not UNSET:
            field_dict["body"] = body
        if html is not UNSET:
            field_dict["html"] = html
        if short is not UNSET:
            field_dict["short"] = short
        if variants is not UNSET:
            field_dict["variants"] = variants
        if control_percent is not UNSET:
            field_dict["control_percent"] = control_percent
        if offer is not UNSET:
            field_dict["offer"] = offer
        if goal is not UNSET:
            field_dict["goal"] = goal
        if send_at is not UNSET:
            field_dict["send_at"] = send_at
        if late is not UNSET:
            field_dict["late"] = late
        if quiet_hours is not UNSET:
            field_dict["quiet_hours"] = quiet_hours
        if ends_at is not UNSET:
            field_dict["ends_at"] = ends_at
        if follow_ups is not UNSET:
            field_dict["follow_ups"] = follow_ups

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audience import Audience  # noqa: PLC0415
        from ..models.follow_up import FollowUp  # noqa: PLC0415
        from ..models.goal import Goal  # noqa: PLC0415
        from ..models.locale_text import LocaleText  # noqa: PLC0415
        from ..models.offer import Offer  # noqa: PLC0415
        from ..models.variant import Variant  # noqa: PLC0415

        d = dict(src_dict)
        name = LocaleText.from_dict(d.pop("name"))

        _audience = d.pop("audience", UNSET)
        audience: Audience | Unset
        if isinstance(_audience, Unset):
            audience = UNSET
        else:
            audience = Audience.from_dict(_audience)

        _channel = d.pop("channel", UNSET)
        channel: CampaignSpecChannel | Unset
        if isinstance(_channel, Unset):
            channel = UNSET
        else:
            channel = CampaignSpecChannel(_channel)

        def _parse_template(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        template = _parse_template(d.pop("template", UNSET))

        def _parse_subject(data: object) -> LocaleText | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                subject_type_0 = LocaleText.from_dict(data)

                return subject_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LocaleText | None | Unset, data)

        subject = _parse_subject(d.pop("subject", UNSET))

        def _parse_body(data: object) -> LocaleText | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                body_type_0 = LocaleText.from_dict(data)

                return body_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LocaleText | None | Unset, data)

        body = _parse_body(d.pop("body", UNSET))

        def _parse_html(data: object) -> LocaleText | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                html_type_0 = LocaleText.from_dict(data)

                return html_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LocaleText | None | Unset, data)

        html = _parse_html(d.pop("html", UNSET))

        def _parse_short(data: object) -> LocaleText | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                short_type_0 = LocaleText.from_dict(data)

                return short_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LocaleText | None | Unset, data)

        short = _parse_short(d.pop("short", UNSET))

        _variants = d.pop("variants", UNSET)
        variants: list[Variant] | Unset = UNSET
        if _variants is not UNSET:
            variants = []
            for variants_item_data in _variants:
                variants_item = Variant.from_dict(variants_item_data)

                variants.append(variants_item)

        def _parse_control_percent(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        control_percent = _parse_control_percent(d.pop("control_percent", UNSET))

        def _parse_offer(data: object) -> None | Offer | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                offer_type_0 = Offer.from_dict(data)

                return offer_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Offer | Unset, data)

        offer = _parse_offer(d.pop("offer", UNSET))

        _goal = d.pop("goal", UNSET)
        goal: Goal | Unset
        if isinstance(_goal, Unset):
            goal = UNSET
        else:
            goal = Goal.from_dict(_goal)

        def _parse_send_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                send_at_type_0 = datetime.datetime.fromisoformat(data)

                return send_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        send_at = _parse_send_at(d.pop("send_at", UNSET))

        _late = d.pop("late", UNSET)
        late: CampaignSpecLate | Unset
        if isinstance(_late, Unset):
            late = UNSET
        else:
            late = CampaignSpecLate(_late)

        quiet_hours = d.pop("quiet_hours", UNSET)

        def _parse_ends_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ends_at_type_0 = datetime.datetime.fromisoformat(data)

                return ends_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        ends_at = _parse_ends_at(d.pop("ends_at", UNSET))

        _follow_ups = d.pop("follow_ups", UNSET)
        follow_ups: list[FollowUp] | Unset = UNSET
        if _follow_ups is not UNSET:
            follow_ups = []
            for follow_ups_item_data in _follow_ups:
                follow_ups_item = FollowUp.from_dict(follow_ups_item_data)

                follow_ups.append(follow_ups_item)

        campaign_spec = cls(
            name=name,
            audience=audience,
            channel=channel,
            template=template,
            subject=subject,
            body=body,
            html=html,
            short=short,
            variants=variants,
            control_percent=control_percent,
            offer=offer,
            goal=goal,
            send_at=send_at,
            late=late,
            quiet_hours=quiet_hours,
            ends_at=ends_at,
            follow_ups=follow_ups,
        )

        return campaign_spec
