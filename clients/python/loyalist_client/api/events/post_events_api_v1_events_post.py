from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.event_in import EventIn
from ...models.post_events_api_v1_events_post_body_type_2 import PostEventsApiV1EventsPostBodyType2
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: EventIn | list[EventIn] | PostEventsApiV1EventsPostBodyType2,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/events",
    }

    if isinstance(body, EventIn):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, list):
        _kwargs["json"] = []
        for body_type_1_item_data in body:
            body_type_1_item = body_type_1_item_data.to_dict()
            _kwargs["json"].append(body_type_1_item)

    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | None:
    if response.status_code == 202:
        response_202 = response.json()
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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: EventIn | list[EventIn] | PostEventsApiV1EventsPostBodyType2,
) -> Response[Any | Problem]:
    """Send one event or a batch of up to 1,000

     Idempotent by event id: a replay answers what the first call answered (header
    ``Idempotent-Replayed: true``) and changes nothing. A batch applies whole or not at all.

    Args:
        body (EventIn | list[EventIn] | PostEventsApiV1EventsPostBodyType2):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
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
    body: EventIn | list[EventIn] | PostEventsApiV1EventsPostBodyType2,
) -> Any | Problem | None:
    """Send one event or a batch of up to 1,000

     Idempotent by event id: a replay answers what the first call answered (header
    ``Idempotent-Replayed: true``) and changes nothing. A batch applies whole or not at all.

    Args:
        body (EventIn | list[EventIn] | PostEventsApiV1EventsPostBodyType2):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: EventIn | list[EventIn] | PostEventsApiV1EventsPostBodyType2,
) -> Response[Any | Problem]:
    """Send one event or a batch of up to 1,000

     Idempotent by event id: a replay answers what the first call answered (header
    ``Idempotent-Replayed: true``) and changes nothing. A batch applies whole or not at all.

    Args:
        body (EventIn | list[EventIn] | PostEventsApiV1EventsPostBodyType2):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: EventIn | list[EventIn] | PostEventsApiV1EventsPostBodyType2,
) -> Any | Problem | None:
    """Send one event or a batch of up to 1,000

     Idempotent by event id: a replay answers what the first call answered (header
    ``Idempotent-Replayed: true``) and changes nothing. A batch applies whole or not at all.

    Args:
        body (EventIn | list[EventIn] | PostEventsApiV1EventsPostBodyType2):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
