from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.events_applied import EventsApplied
from ...models.postmark_events_api_v1_providers_postmark_events_post_body import (
    PostmarkEventsApiV1ProvidersPostmarkEventsPostBody,
)
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: PostmarkEventsApiV1ProvidersPostmarkEventsPostBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/providers/postmark/events",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EventsApplied | Problem | None:
    if response.status_code == 200:
        response_200 = EventsApplied.from_dict(response.json())

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
) -> Response[EventsApplied | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: PostmarkEventsApiV1ProvidersPostmarkEventsPostBody,
) -> Response[EventsApplied | Problem]:
    """Postmark Events

     Postmark bounce, spam complaint, delivery, open and click webhooks. A hard bounce or
    a spam complaint suppresses email to the address; soft bounces change nothing; an
    open or a click is recorded on our message once (``engaged``).

    Args:
        body (PostmarkEventsApiV1ProvidersPostmarkEventsPostBody): a Postmark webhook (bounce,
            delivery, open, …)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventsApplied | Problem]
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
    body: PostmarkEventsApiV1ProvidersPostmarkEventsPostBody,
) -> EventsApplied | Problem | None:
    """Postmark Events

     Postmark bounce, spam complaint, delivery, open and click webhooks. A hard bounce or
    a spam complaint suppresses email to the address; soft bounces change nothing; an
    open or a click is recorded on our message once (``engaged``).

    Args:
        body (PostmarkEventsApiV1ProvidersPostmarkEventsPostBody): a Postmark webhook (bounce,
            delivery, open, …)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventsApplied | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: PostmarkEventsApiV1ProvidersPostmarkEventsPostBody,
) -> Response[EventsApplied | Problem]:
    """Postmark Events

     Postmark bounce, spam complaint, delivery, open and click webhooks. A hard bounce or
    a spam complaint suppresses email to the address; soft bounces change nothing; an
    open or a click is recorded on our message once (``engaged``).

    Args:
        body (PostmarkEventsApiV1ProvidersPostmarkEventsPostBody): a Postmark webhook (bounce,
            delivery, open, …)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventsApplied | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: PostmarkEventsApiV1ProvidersPostmarkEventsPostBody,
) -> EventsApplied | Problem | None:
    """Postmark Events

     Postmark bounce, spam complaint, delivery, open and click webhooks. A hard bounce or
    a spam complaint suppresses email to the address; soft bounces change nothing; an
    open or a click is recorded on our message once (``engaged``).

    Args:
        body (PostmarkEventsApiV1ProvidersPostmarkEventsPostBody): a Postmark webhook (bounce,
            delivery, open, …)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventsApplied | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
