from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.custom_event import CustomEvent
    from ..models.member_enrolled_event import MemberEnrolledEvent
    from ..models.member_updated_event import MemberUpdatedEvent
    from ..models.membership_cancelled_event import MembershipCancelledEvent
    from ..models.membership_expired_event import MembershipExpiredEvent
    from ..models.membership_renewed_event import MembershipRenewedEvent
    from ..models.membership_started_event import MembershipStartedEvent
    from ..models.order_cancelled_event import OrderCancelledEvent
    from ..models.order_delivered_event import OrderDeliveredEvent
    from ..models.order_paid_event import OrderPaidEvent
    from ..models.order_placed_event import OrderPlacedEvent
    from ..models.order_returned_event import OrderReturnedEvent
    from ..models.order_shipped_event import OrderShippedEvent
    from ..models.review_published_event import ReviewPublishedEvent
    from ..models.review_removed_event import ReviewRemovedEvent
    from ..models.survey_answered_event import SurveyAnsweredEvent


T = TypeVar("T", bound="PostEventsApiV1EventsPostBodyType2")


@_attrs_define
class PostEventsApiV1EventsPostBodyType2:
    """
    Attributes:
        events (list[CustomEvent | MemberEnrolledEvent | MembershipCancelledEvent | MembershipExpiredEvent |
            MembershipRenewedEvent | MembershipStartedEvent | MemberUpdatedEvent | OrderCancelledEvent | OrderDeliveredEvent
            | OrderPaidEvent | OrderPlacedEvent | OrderReturnedEvent | OrderShippedEvent | ReviewPublishedEvent |
            ReviewRemovedEvent | SurveyAnsweredEvent]):
    """

    events: list[
        CustomEvent
        | MemberEnrolledEvent
        | MembershipCancelledEvent
        | MembershipExpiredEvent
        | MembershipRenewedEvent
        | MembershipStartedEvent
        | MemberUpdatedEvent
        | OrderCancelledEvent
        | OrderDeliveredEvent
        | OrderPaidEvent
        | OrderPlacedEvent
        | OrderReturnedEvent
        | OrderShippedEvent
        | ReviewPublishedEvent
        | ReviewRemovedEvent
        | SurveyAnsweredEvent
    ]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.member_enrolled_event import MemberEnrolledEvent  # noqa: PLC0415
        from ..models.member_updated_event import MemberUpdatedEvent  # noqa: PLC0415
        from ..models.membership_cancelled_event import MembershipCancelledEvent  # noqa: PLC0415
        from ..models.membership_expired_event import MembershipExpiredEvent  # noqa: PLC0415
        from ..models.membership_renewed_event import MembershipRenewedEvent  # noqa: PLC0415
        from ..models.membership_started_event import MembershipStartedEvent  # noqa: PLC0415
        from ..models.order_cancelled_event import OrderCancelledEvent  # noqa: PLC0415
        from ..models.order_delivered_event import OrderDeliveredEvent  # noqa: PLC0415
        from ..models.order_paid_event import OrderPaidEvent  # noqa: PLC0415
        from ..models.order_placed_event import OrderPlacedEvent  # noqa: PLC0415
        from ..models.order_returned_event import OrderReturnedEvent  # noqa: PLC0415
        from ..models.order_shipped_event import OrderShippedEvent  # noqa: PLC0415
        from ..models.review_published_event import ReviewPublishedEvent  # noqa: PLC0415
        from ..models.review_removed_event import ReviewRemovedEvent  # noqa: PLC0415
        from ..models.survey_answered_event import SurveyAnsweredEvent  # noqa: PLC0415

        events = []
        for events_item_data in self.events:
            events_item: dict[str, Any]
            if isinstance(events_item_data, MemberEnrolledEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, MemberUpdatedEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, MembershipCancelledEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, MembershipExpiredEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, MembershipRenewedEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, MembershipStartedEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, OrderCancelledEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, OrderDeliveredEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, OrderPaidEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, OrderPlacedEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, OrderReturnedEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, OrderShippedEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, ReviewPublishedEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, ReviewRemovedEvent):
                events_item = events_item_data.to_dict()
            elif isinstance(events_item_data, SurveyAnsweredEvent):
                events_item = events_item_data.to_dict()
            else:
                events_item = events_item_data.to_dict()

            events.append(events_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "events": events,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.custom_event import CustomEvent  # noqa: PLC0415
        from ..models.member_enrolled_event import MemberEnrolledEvent  # noqa: PLC0415
        from ..models.member_updated_event import MemberUpdatedEvent  # noqa: PLC0415
        from ..models.membership_cancelled_event import MembershipCancelledEvent  # noqa: PLC0415
        from ..models.membership_expired_event import MembershipExpiredEvent  # noqa: PLC0415
        from ..models.membership_renewed_event import MembershipRenewedEvent  # noqa: PLC0415
        from ..models.membership_started_event import MembershipStartedEvent  # noqa: PLC0415
        from ..models.order_cancelled_event import OrderCancelledEvent  # noqa: PLC0415
        from ..models.order_delivered_event import OrderDeliveredEvent  # noqa: PLC0415
        from ..models.order_paid_event import OrderPaidEvent  # noqa: PLC0415
        from ..models.order_placed_event import OrderPlacedEvent  # noqa: PLC0415
        from ..models.order_returned_event import OrderReturnedEvent  # noqa: PLC0415
        from ..models.order_shipped_event import OrderShippedEvent  # noqa: PLC0415
        from ..models.review_published_event import ReviewPublishedEvent  # noqa: PLC0415
        from ..models.review_removed_event import ReviewRemovedEvent  # noqa: PLC0415
        from ..models.survey_answered_event import SurveyAnsweredEvent  # noqa: PLC0415

        d = dict(src_dict)
        events = []
        _events = d.pop("events")
        for events_item_data in _events:

            def _parse_events_item(
                data: object,
            ) -> (
                CustomEvent
                | MemberEnrolledEvent
                | MembershipCancelledEvent
                | MembershipExpiredEvent
                | MembershipRenewedEvent
                | MembershipStartedEvent
                | MemberUpdatedEvent
                | OrderCancelledEvent
                | OrderDeliveredEvent
                | OrderPaidEvent
                | OrderPlacedEvent
                | OrderReturnedEvent
                | OrderShippedEvent
                | ReviewPublishedEvent
                | ReviewRemovedEvent
                | SurveyAnsweredEvent
            ):
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_known_event_type_0 = MemberEnrolledEvent.from_dict(data)

                    return componentsschemas_known_event_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_known_event_type_1 = MemberUpdatedEvent.from_dict(data)

                    return componentsschemas_known_event_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_known_event_type_2 = MembershipCancelledEvent.from_dict(data)

                    return componentsschemas_known_event_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_known_event_type_3 = MembershipExpiredEvent.from_dict(data)

                    return componentsschemas_known_event_type_3
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_known_event_type_4 = MembershipRenewedEvent.from_dict(data)

                    return componentsschemas_known_event_type_4
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_known_event_type_5 = MembershipStartedEvent.from_dict(data)

                    return componentsschemas_known_event_type_5
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_known_event_type_6 = OrderCancelledEvent.from_dict(data)

                    return componentsschemas_known_event_type_6
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_known_event_type_7 = OrderDeliveredEvent.from_dict(data)

                    return componentsschemas_known_event_type_7
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_known_event_type_8 = OrderPaidEvent.from_dict(data)

                    return componentsschemas_known_event_type_8
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_known_event_type_9 = OrderPlacedEvent.from_dict(data)

                    return componentsschemas_known_event_type_9
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_known_event_type_10 = OrderReturnedEvent.from_dict(data)

                    return componentsschemas_known_event_type_10
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_known_event_type_11 = OrderShippedEvent.from_dict(data)

                    return componentsschemas_known_event_type_11
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_known_event_type_12 = ReviewPublishedEvent.from_dict(data)

                    return componentsschemas_known_event_type_12
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_known_event_type_13 = ReviewRemovedEvent.from_dict(data)

                    return componentsschemas_known_event_type_13
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_known_event_type_14 = SurveyAnsweredEvent.from_dict(data)

                    return componentsschemas_known_event_type_14
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_in_type_1 = CustomEvent.from_dict(data)

                return componentsschemas_event_in_type_1

            events_item = _parse_events_item(events_item_data)

            events.append(events_item)

        post_events_api_v1_events_post_body_type_2 = cls(
            events=events,
        )

        post_events_api_v1_events_post_body_type_2.additional_properties = d
        return post_events_api_v1_events_post_body_type_2

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
