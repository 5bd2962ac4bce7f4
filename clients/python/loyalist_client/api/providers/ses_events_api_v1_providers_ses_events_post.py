from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.events_applied import EventsApplied
from ...models.problem import Problem
from ...models.ses_events_api_v1_providers_ses_events_post_body import SesEventsApiV1ProvidersSesEventsPostBody
from ...models.subscription_pending import SubscriptionPending
from ...types import Response


def _get_kwargs(
    *,
    body: SesEventsApiV1ProvidersSesEventsPostBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/providers/ses/events",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EventsApplied | SubscriptionPending | Problem | None:
    if response.status_code == 200:

        def _parse_response_200(data: object) -> EventsApplied | SubscriptionPending:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_0 = EventsApplied.from_dict(data)

                return response_200_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_200_type_1 = SubscriptionPending.from_dict(data)

            return response_200_type_1

        response_200 = _parse_response_200(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[EventsApplied | SubscriptionPending | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SesEventsApiV1ProvidersSesEventsPostBody,
) -> Response[EventsApplied | SubscriptionPending | Problem]:
    """Ses Events

     Amazon SES bounce, complaint, delivery, open and click notifications posted by an
    SNS HTTPS subscription (or with raw message delivery). A permanent bounce or a
    complaint suppresses email to the address; a delivery marks our message
    ``delivered``; an open or a click is recorded on it once (``engaged``). A
    subscription confirmation is logged with its SubscribeURL for the operator to open.

    Args:
        body (SesEventsApiV1ProvidersSesEventsPostBody): an SNS notification (or subscription
            confirmation)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventsApplied | SubscriptionPending | Problem]
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
    body: SesEventsApiV1ProvidersSesEventsPostBody,
) -> EventsApplied | SubscriptionPending | Problem | None:
    """Ses Events

     Amazon SES bounce, complaint, delivery, open and click notifications posted by an
    SNS HTTPS subscription (or with raw message delivery). A permanent bounce or a
    complaint suppresses email to the address; a delivery marks our message
    ``delivered``; an open or a click is recorded on it once (``engaged``). A
    subscription confirmation is logged with its SubscribeURL for the operator to open.

    Args:
        body (SesEventsApiV1ProvidersSesEventsPostBody): an SNS notification (or subscription
            confirmation)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventsApplied | SubscriptionPending | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SesEventsApiV1ProvidersSesEventsPostBody,
) -> Response[EventsApplied | SubscriptionPending | Problem]:
    """Ses Events

     Amazon SES bounce, complaint, delivery, open and click notifications posted by an
    SNS HTTPS subscription (or with raw message delivery). A permanent bounce or a
    complaint suppresses email to the address; a delivery marks our message
    ``delivered``; an open or a click is recorded on it once (``engaged``). A
    subscription confirmation is logged with its SubscribeURL for the operator to open.

    Args:
        body (SesEventsApiV1ProvidersSesEventsPostBody): an SNS notification (or subscription
            confirmation)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventsApplied | SubscriptionPending | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: SesEventsApiV1ProvidersSesEventsPostBody,
) -> EventsApplied | SubscriptionPending | Problem | None:
    """Ses Events

     Amazon SES bounce, complaint, delivery, open and click notifications posted by an
    SNS HTTPS subscription (or with raw message delivery). A permanent bounce or a
    complaint suppresses email to the address; a delivery marks our message
    ``delivered``; an open or a click is recorded on it once (``engaged``). A
    subscription confirmation is logged with its SubscribeURL for the operator to open.

    Args:
        body (SesEventsApiV1ProvidersSesEventsPostBody): an SNS notification (or subscription
            confirmation)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventsApplied | SubscriptionPending | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
