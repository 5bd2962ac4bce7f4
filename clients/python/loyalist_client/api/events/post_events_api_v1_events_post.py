from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.batch_accepted import BatchAccepted
from ...models.custom_event import CustomEvent
from ...models.event_accepted import EventAccepted
from ...models.member_enrolled_event import MemberEnrolledEvent
from ...models.member_updated_event import MemberUpdatedEvent
from ...models.membership_cancelled_event import MembershipCancelledEvent
from ...models.membership_expired_event import MembershipExpiredEvent
from ...models.membership_renewed_event import MembershipRenewedEvent
from ...models.membership_started_event import MembershipStartedEvent
from ...models.order_cancelled_event import OrderCancelledEvent
from ...models.order_delivered_event import OrderDeliveredEvent
from ...models.order_paid_event import OrderPaidEvent
from ...models.order_placed_event import OrderPlacedEvent
from ...models.order_returned_event import OrderReturnedEvent
from ...models.order_shipped_event import OrderShippedEvent
from ...models.post_events_api_v1_events_post_body_type_2 import PostEventsApiV1EventsPostBodyType2
from ...models.problem import Problem
from ...models.review_published_event import ReviewPublishedEvent
from ...models.review_removed_event import ReviewRemovedEvent
from ...models.survey_answered_event import SurveyAnsweredEvent
from ...types import Response


def _get_kwargs(
    *,
    body: CustomEvent
    | list[
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
    | PostEventsApiV1EventsPostBodyType2
    | ReviewPublishedEvent
    | ReviewRemovedEvent
    | SurveyAnsweredEvent,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/events",
    }

    if isinstance(body, MemberEnrolledEvent):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, MemberUpdatedEvent):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, MembershipCancelledEvent):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, MembershipExpiredEvent):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, MembershipRenewedEvent):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, MembershipStartedEvent):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, OrderCancelledEvent):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, OrderDeliveredEvent):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, OrderPaidEvent):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, OrderPlacedEvent):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, OrderReturnedEvent):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, OrderShippedEvent):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, ReviewPublishedEvent):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, ReviewRemovedEvent):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, SurveyAnsweredEvent):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, CustomEvent):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, list):
        _kwargs["json"] = []
        for body_type_1_item_data in body:
            body_type_1_item: dict[str, Any]
            if isinstance(body_type_1_item_data, MemberEnrolledEvent):
                body_type_1_item = body_type_1_item_data.to_dict()
            elif isinstance(body_type_1_item_data, MemberUpdatedEvent):
                body_type_1_item = body_type_1_item_data.to_dict()
            elif isinstance(body_type_1_item_data, MembershipCancelledEvent):
                body_type_1_item = body_type_1_item_data.to_dict()
            elif isinstance(body_type_1_item_data, MembershipExpiredEvent):
                body_type_1_item = body_type_1_item_data.to_dict()
            elif isinstance(body_type_1_item_data, MembershipRenewedEvent):
                body_type_1_item = body_type_1_item_data.to_dict()
            elif isinstance(body_type_1_item_data, MembershipStartedEvent):
                body_type_1_item = body_type_1_item_data.to_dict()
            elif isinstance(body_type_1_item_data, OrderCancelledEvent):
                body_type_1_item = body_type_1_item_data.to_dict()
            elif isinstance(body_type_1_item_data, OrderDeliveredEvent):
                body_type_1_item = body_type_1_item_data.to_dict()
            elif isinstance(body_type_1_item_data, OrderPaidEvent):
                body_type_1_item = body_type_1_item_data.to_dict()
            elif isinstance(body_type_1_item_data, OrderPlacedEvent):
                body_type_1_item = body_type_1_item_data.to_dict()
            elif isinstance(body_type_1_item_data, OrderReturnedEvent):
                body_type_1_item = body_type_1_item_data.to_dict()
            elif isinstance(body_type_1_item_data, OrderShippedEvent):
                body_type_1_item = body_type_1_item_data.to_dict()
            elif isinstance(body_type_1_item_data, ReviewPublishedEvent):
                body_type_1_item = body_type_1_item_data.to_dict()
            elif isinstance(body_type_1_item_data, ReviewRemovedEvent):
                body_type_1_item = body_type_1_item_data.to_dict()
            elif isinstance(body_type_1_item_data, SurveyAnsweredEvent):
                body_type_1_item = body_type_1_item_data.to_dict()
            else:
                body_type_1_item = body_type_1_item_data.to_dict()

            _kwargs["json"].append(body_type_1_item)

    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BatchAccepted | EventAccepted | Problem | None:
    if response.status_code == 202:

        def _parse_response_202(data: object) -> BatchAccepted | EventAccepted:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_202_type_0 = EventAccepted.from_dict(data)

                return response_202_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_202_type_1 = BatchAccepted.from_dict(data)

            return response_202_type_1

        response_202 = _parse_response_202(response.json())

        return response_202

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if response.status_code == 507:
        response_507 = Problem.from_dict(response.json())

        return response_507

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BatchAccepted | EventAccepted | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CustomEvent
    | list[
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
    | PostEventsApiV1EventsPostBodyType2
    | ReviewPublishedEvent
    | ReviewRemovedEvent
    | SurveyAnsweredEvent,
) -> Response[BatchAccepted | EventAccepted | Problem]:
    """Send one event or a batch of up to 1,000

     Send what happened in the shop: an order placed, paid, shipped, returned, a
    member enrolled, a review… (`EventIn`: `type` selects the shape of `data`; custom
    events are `x.<name>`).

    Idempotent by event id: a replay answers what the first call answered (header
    ``Idempotent-Replayed: true``) and changes nothing. A batch applies whole or not at all.

    Args:
        body (CustomEvent | list[CustomEvent | MemberEnrolledEvent | MembershipCancelledEvent |
            MembershipExpiredEvent | MembershipRenewedEvent | MembershipStartedEvent |
            MemberUpdatedEvent | OrderCancelledEvent | OrderDeliveredEvent | OrderPaidEvent |
            OrderPlacedEvent | OrderReturnedEvent | OrderShippedEvent | ReviewPublishedEvent |
            ReviewRemovedEvent | SurveyAnsweredEvent] | MemberEnrolledEvent | MembershipCancelledEvent
            | MembershipExpiredEvent | MembershipRenewedEvent | MembershipStartedEvent |
            MemberUpdatedEvent | OrderCancelledEvent | OrderDeliveredEvent | OrderPaidEvent |
            OrderPlacedEvent | OrderReturnedEvent | OrderShippedEvent |
            PostEventsApiV1EventsPostBodyType2 | ReviewPublishedEvent | ReviewRemovedEvent |
            SurveyAnsweredEvent):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchAccepted | EventAccepted | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: CustomEvent
    | list[
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
    | PostEventsApiV1EventsPostBodyType2
    | ReviewPublishedEvent
    | ReviewRemovedEvent
    | SurveyAnsweredEvent,
) -> BatchAccepted | EventAccepted | Problem | None:
    """Send one event or a batch of up to 1,000

     Send what happened in the shop: an order placed, paid, shipped, returned, a
    member enrolled, a review… (`EventIn`: `type` selects the shape of `data`; custom
    events are `x.<name>`).

    Idempotent by event id: a replay answers what the first call answered (header
    ``Idempotent-Replayed: true``) and changes nothing. A batch applies whole or not at all.

    Args:
        body (CustomEvent | list[CustomEvent | MemberEnrolledEvent | MembershipCancelledEvent |
            MembershipExpiredEvent | MembershipRenewedEvent | MembershipStartedEvent |
            MemberUpdatedEvent | OrderCancelledEvent | OrderDeliveredEvent | OrderPaidEvent |
            OrderPlacedEvent | OrderReturnedEvent | OrderShippedEvent | ReviewPublishedEvent |
            ReviewRemovedEvent | SurveyAnsweredEvent] | MemberEnrolledEvent | MembershipCancelledEvent
            | MembershipExpiredEvent | MembershipRenewedEvent | MembershipStartedEvent |
            MemberUpdatedEvent | OrderCancelledEvent | OrderDeliveredEvent | OrderPaidEvent |
            OrderPlacedEvent | OrderReturnedEvent | OrderShippedEvent |
            PostEventsApiV1EventsPostBodyType2 | ReviewPublishedEvent | ReviewRemovedEvent |
            SurveyAnsweredEvent):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchAccepted | EventAccepted | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CustomEvent
    | list[
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
    | PostEventsApiV1EventsPostBodyType2
    | ReviewPublishedEvent
    | ReviewRemovedEvent
    | SurveyAnsweredEvent,
) -> Response[BatchAccepted | EventAccepted | Problem]:
    """Send one event or a batch of up to 1,000

     Send what happened in the shop: an order placed, paid, shipped, returned, a
    member enrolled, a review… (`EventIn`: `type` selects the shape of `data`; custom
    events are `x.<name>`).

    Idempotent by event id: a replay answers what the first call answered (header
    ``Idempotent-Replayed: true``) and changes nothing. A batch applies whole or not at all.

    Args:
        body (CustomEvent | list[CustomEvent | MemberEnrolledEvent | MembershipCancelledEvent |
            MembershipExpiredEvent | MembershipRenewedEvent | MembershipStartedEvent |
            MemberUpdatedEvent | OrderCancelledEvent | OrderDeliveredEvent | OrderPaidEvent |
            OrderPlacedEvent | OrderReturnedEvent | OrderShippedEvent | ReviewPublishedEvent |
            ReviewRemovedEvent | SurveyAnsweredEvent] | MemberEnrolledEvent | MembershipCancelledEvent
            | MembershipExpiredEvent | MembershipRenewedEvent | MembershipStartedEvent |
            MemberUpdatedEvent | OrderCancelledEvent | OrderDeliveredEvent | OrderPaidEvent |
            OrderPlacedEvent | OrderReturnedEvent | OrderShippedEvent |
            PostEventsApiV1EventsPostBodyType2 | ReviewPublishedEvent | ReviewRemovedEvent |
            SurveyAnsweredEvent):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchAccepted | EventAccepted | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CustomEvent
    | list[
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
    | PostEventsApiV1EventsPostBodyType2
    | ReviewPublishedEvent
    | ReviewRemovedEvent
    | SurveyAnsweredEvent,
) -> BatchAccepted | EventAccepted | Problem | None:
    """Send one event or a batch of up to 1,000

     Send what happened in the shop: an order placed, paid, shipped, returned, a
    member enrolled, a review… (`EventIn`: `type` selects the shape of `data`; custom
    events are `x.<name>`).

    Idempotent by event id: a replay answers what the first call answered (header
    ``Idempotent-Replayed: true``) and changes nothing. A batch applies whole or not at all.

    Args:
        body (CustomEvent | list[CustomEvent | MemberEnrolledEvent | MembershipCancelledEvent |
            MembershipExpiredEvent | MembershipRenewedEvent | MembershipStartedEvent |
            MemberUpdatedEvent | OrderCancelledEvent | OrderDeliveredEvent | OrderPaidEvent |
            OrderPlacedEvent | OrderReturnedEvent | OrderShippedEvent | ReviewPublishedEvent |
            ReviewRemovedEvent | SurveyAnsweredEvent] | MemberEnrolledEvent | MembershipCancelledEvent
            | MembershipExpiredEvent | MembershipRenewedEvent | MembershipStartedEvent |
            MemberUpdatedEvent | OrderCancelledEvent | OrderDeliveredEvent | OrderPaidEvent |
            OrderPlacedEvent | OrderReturnedEvent | OrderShippedEvent |
            PostEventsApiV1EventsPostBodyType2 | ReviewPublishedEvent | ReviewRemovedEvent |
            SurveyAnsweredEvent):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchAccepted | EventAccepted | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
