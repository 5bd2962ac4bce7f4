from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.member_export_audit_item import MemberExportAuditItem
    from ..models.member_export_checkouts_item import MemberExportCheckoutsItem
    from ..models.member_export_consents import MemberExportConsents
    from ..models.member_export_coupons import MemberExportCoupons
    from ..models.member_export_destruction_record_type_0 import MemberExportDestructionRecordType0
    from ..models.member_export_events_item import MemberExportEventsItem
    from ..models.member_export_gamification import MemberExportGamification
    from ..models.member_export_insights import MemberExportInsights
    from ..models.member_export_ledger import MemberExportLedger
    from ..models.member_export_member import MemberExportMember
    from ..models.member_export_messages_item import MemberExportMessagesItem
    from ..models.member_export_orders_item import MemberExportOrdersItem
    from ..models.member_export_referrals import MemberExportReferrals
    from ..models.member_export_reviews_item import MemberExportReviewsItem
    from ..models.member_export_rewards import MemberExportRewards
    from ..models.member_export_rules import MemberExportRules
    from ..models.member_export_suppressions_item import MemberExportSuppressionsItem
    from ..models.member_export_survey_answers_item import MemberExportSurveyAnswersItem
    from ..models.member_export_tiers import MemberExportTiers


T = TypeVar("T", bound="MemberExport")


@_attrs_define
class MemberExport:
    """A member's export bundle (``loyalist.member-export``, version 1): one section per
    domain, each described in docs/privacy.md.

        Attributes:
            format_ (str):
            version (int):
            generated_at (datetime.datetime):
            member (MemberExportMember): id, erased_at, profile, devices
            consents (MemberExportConsents):
            ledger (MemberExportLedger): summary, balance, entries, lots, holds
            events (list[MemberExportEventsItem]):
            orders (list[MemberExportOrdersItem]):
            reviews (list[MemberExportReviewsItem]):
            survey_answers (list[MemberExportSurveyAnswersItem]):
            checkouts (list[MemberExportCheckoutsItem]):
            coupons (MemberExportCoupons):
            rewards (MemberExportRewards):
            referrals (MemberExportReferrals):
            messages (list[MemberExportMessagesItem]):
            suppressions (list[MemberExportSuppressionsItem]):
            gamification (MemberExportGamification):
            tiers (MemberExportTiers):
            rules (MemberExportRules):
            insights (MemberExportInsights):
            audit (list[MemberExportAuditItem]):
            destruction_record (MemberExportDestructionRecordType0 | None | Unset): after an erasure: what was destroyed,
                how and by whom
    """

    format_: str
    version: int
    generated_at: datetime.datetime
    member: MemberExportMember
    consents: MemberExportConsents
    ledger: MemberExportLedger
    events: list[MemberExportEventsItem]
    orders: list[MemberExportOrdersItem]
    reviews: list[MemberExportReviewsItem]
    survey_answers: list[MemberExportSurveyAnswersItem]
    checkouts: list[MemberExportCheckoutsItem]
    coupons: MemberExportCoupons
    rewards: MemberExportRewards
    referrals: MemberExportReferrals
    messages: list[MemberExportMessagesItem]
    suppressions: list[MemberExportSuppressionsItem]
    gamification: MemberExportGamification
    tiers: MemberExportTiers
    rules: MemberExportRules
    insights: MemberExportInsights
    audit: list[MemberExportAuditItem]
    destruction_record: MemberExportDestructionRecordType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.member_export_destruction_record_type_0 import MemberExportDestructionRecordType0  # noqa: PLC0415

        format_ = self.format_

        version = self.version

        generated_at = self.generated_at.isoformat()

        member = self.member.to_dict()

        consents = self.consents.to_dict()

        ledger = self.ledger.to_dict()

        events = []
        for events_item_data in self.events:
            events_item = events_item_data.to_dict()
            events.append(events_item)

        orders = []
        for orders_item_data in self.orders:
            orders_item = orders_item_data.to_dict()
            orders.append(orders_item)

        reviews = []
        for reviews_item_data in self.reviews:
            reviews_item = reviews_item_data.to_dict()
            reviews.append(reviews_item)

        survey_answers = []
        for survey_answers_item_data in self.survey_answers:
            survey_answers_item = survey_answers_item_data.to_dict()
            survey_answers.append(survey_answers_item)

        checkouts = []
        for checkouts_item_data in self.checkouts:
            checkouts_item = checkouts_item_data.to_dict()
            checkouts.append(checkouts_item)

        coupons = self.coupons.to_dict()

        rewards = self.rewards.to_dict()

        referrals = self.referrals.to_dict()

        messages = []
        for messages_item_data in self.messages:
            messages_item = messages_item_data.to_dict()
            messages.append(messages_item)

        suppressions = []
        for suppressions_item_data in self.suppressions:
            suppressions_item = suppressions_item_data.to_dict()
            suppressions.append(suppressions_item)

        gamification = self.gamification.to_dict()

        tiers = self.tiers.to_dict()

        rules = self.rules.to_dict()

        insights = self.insights.to_dict()

        audit = []
        for audit_item_data in self.audit:
            audit_item = audit_item_data.to_dict()
            audit.append(audit_item)

        destruction_record: dict[str, Any] | None | Unset
        if isinstance(self.destruction_record, Unset):
            destruction_record = UNSET
        elif isinstance(self.destruction_record, MemberExportDestructionRecordType0):
            destruction_record = self.destruction_record.to_dict()
        else:
            destruction_record = self.destruction_record

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "format": format_,
                "version": version,
                "generated_at": generated_at,
                "member": member,
                "consents": consents,
                "ledger": ledger,
                "events": events,
                "orders": orders,
                "reviews": reviews,
                "survey_answers": survey_answers,
                "checkouts": checkouts,
                "coupons": coupons,
                "rewards": rewards,
                "referrals": referrals,
                "messages": messages,
                "suppressions": suppressions,
                "gamification": gamification,
                "tiers": tiers,
                "rules": rules,
                "insights": insights,
                "audit": audit,
            }
        )
        if destruction_record is not UNSET:
            field_dict["destruction_record"] = destruction_record

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.member_export_audit_item import MemberExportAuditItem  # noqa: PLC0415
        from ..models.member_export_checkouts_item import MemberExportCheckoutsItem  # noqa: PLC0415
        from ..models.member_export_consents import MemberExportConsents  # noqa: PLC0415
        from ..models.member_export_coupons import MemberExportCoupons  # noqa: PLC0415
        from ..models.member_export_destruction_record_type_0 import MemberExportDestructionRecordType0  # noqa: PLC0415
        from ..models.member_export_events_item import MemberExportEventsItem  # noqa: PLC0415
        from ..models.member_export_gamification import MemberExportGamification  # noqa: PLC0415
        from ..models.member_export_insights import MemberExportInsights  # noqa: PLC0415
        from ..models.member_export_ledger import MemberExportLedger  # noqa: PLC0415
        from ..models.member_export_member import MemberExportMember  # noqa: PLC0415
        from ..models.member_export_messages_item import MemberExportMessagesItem  # noqa: PLC0415
        from ..models.member_export_orders_item import MemberExportOrdersItem  # noqa: PLC0415
        from ..models.member_export_referrals import MemberExportReferrals  # noqa: PLC0415
        from ..models.member_export_reviews_item import MemberExportReviewsItem  # noqa: PLC0415
        from ..models.member_export_rewards import MemberExportRewards  # noqa: PLC0415
        from ..models.member_export_rules import MemberExportRules  # noqa: PLC0415
        from ..models.member_export_suppressions_item import MemberExportSuppressionsItem  # noqa: PLC0415
        from ..models.member_export_survey_answers_item import MemberExportSurveyAnswersItem  # noqa: PLC0415
        from ..models.member_export_tiers import MemberExportTiers  # noqa: PLC0415

        d = dict(src_dict)
        format_ = d.pop("format")

        version = d.pop("version")

        generated_at = datetime.datetime.fromisoformat(d.pop("generated_at"))

        member = MemberExportMember.from_dict(d.pop("member"))

        consents = MemberExportConsents.from_dict(d.pop("consents"))

        ledger = MemberExportLedger.from_dict(d.pop("ledger"))

        events = []
        _events = d.pop("events")
        for events_item_data in _events:
            events_item = MemberExportEventsItem.from_dict(events_item_data)

            events.append(events_item)

        orders = []
        _orders = d.pop("orders")
        for orders_item_data in _orders:
            orders_item = MemberExportOrdersItem.from_dict(orders_item_data)

            orders.append(orders_item)

        reviews = []
        _reviews = d.pop("reviews")
        for reviews_item_data in _reviews:
            reviews_item = MemberExportReviewsItem.from_dict(reviews_item_data)

            reviews.append(reviews_item)

        survey_answers = []
        _survey_answers = d.pop("survey_answers")
        for survey_answers_item_data in _survey_answers:
            survey_answers_item = MemberExportSurveyAnswersItem.from_dict(survey_answers_item_data)

            survey_answers.append(survey_answers_item)

        checkouts = []
        _checkouts = d.pop("checkouts")
        for checkouts_item_data in _checkouts:
            checkouts_item = MemberExportCheckoutsItem.from_dict(checkouts_item_data)

            checkouts.append(checkouts_item)

        coupons = MemberExportCoupons.from_dict(d.pop("coupons"))

        rewards = MemberExportRewards.from_dict(d.pop("rewards"))

        referrals = MemberExportReferrals.from_dict(d.pop("referrals"))

        messages = []
        _messages = d.pop("messages")
        for messages_item_data in _messages:
            messages_item = MemberExportMessagesItem.from_dict(messages_item_data)

            messages.append(messages_item)

        suppressions = []
        _suppressions = d.pop("suppressions")
        for suppressions_item_data in _suppressions:
            suppressions_item = MemberExportSuppressionsItem.from_dict(suppressions_item_data)

            suppressions.append(suppressions_item)

        gamification = MemberExportGamification.from_dict(d.pop("gamification"))

        tiers = MemberExportTiers.from_dict(d.pop("tiers"))

        rules = MemberExportRules.from_dict(d.pop("rules"))

        insights = MemberExportInsights.from_dict(d.pop("insights"))

        audit = []
        _audit = d.pop("audit")
        for audit_item_data in _audit:
            audit_item = MemberExportAuditItem.from_dict(audit_item_data)

            audit.append(audit_item)

        def _parse_destruction_record(data: object) -> MemberExportDestructionRecordType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                destruction_record_type_0 = MemberExportDestructionRecordType0.from_dict(data)

                return destruction_record_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MemberExportDestructionRecordType0 | None | Unset, data)

        destruction_record = _parse_destruction_record(d.pop("destruction_record", UNSET))

        member_export = cls(
            format_=format_,
            version=version,
            generated_at=generated_at,
            member=member,
            consents=consents,
            ledger=ledger,
            events=events,
            orders=orders,
            reviews=reviews,
            survey_answers=survey_answers,
            checkouts=checkouts,
            coupons=coupons,
            rewards=rewards,
            referrals=referrals,
            messages=messages,
            suppressions=suppressions,
            gamification=gamification,
            tiers=tiers,
            rules=rules,
            insights=insights,
            audit=audit,
            destruction_record=destruction_record,
        )

        member_export.additional_properties = d
        return member_export

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
