from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.suppression_in import SuppressionIn
from ...models.suppression_read import SuppressionRead
from ...types import Response


def _get_kwargs(
    member_id: str,
    *,
    body: SuppressionIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/members/{member_id}/suppressions".format(
            member_id=quote(str(member_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SuppressionRead | None:
    if response.status_code == 201:
        response_201 = SuppressionRead.from_dict(response.json())

        return response_201

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
) -> Response[Problem | SuppressionRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    member_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SuppressionIn,
) -> Response[Problem | SuppressionRead]:
    """Add Suppression

     Suppress a member's channel: every message stops (transactional too) until the
    suppression is lifted; a bounce or complaint only for the member's current address.

    Args:
        member_id (str): the shop's external member id
        body (SuppressionIn): Stop messages to a member's channel (``unsubscribe`` is recorded by
            the one-click
            link and by withdrawing consent, not here).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SuppressionRead]
    """

    kwargs = _get_kwargs(
        member_id=member_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    member_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SuppressionIn,
) -> Problem | SuppressionRead | None:
    """Add Suppression

     Suppress a member's channel: every message stops (transactional too) until the
    suppression is lifted; a bounce or complaint only for the member's current address.

    Args:
        member_id (str): the shop's external member id
        body (SuppressionIn): Stop messages to a member's channel (``unsubscribe`` is recorded by
            the one-click
            link and by withdrawing consent, not here).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SuppressionRead
    """

    return sync_detailed(
        member_id=member_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    member_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SuppressionIn,
) -> Response[Problem | SuppressionRead]:
    """Add Suppression

     Suppress a member's channel: every message stops (transactional too) until the
    suppression is lifted; a bounce or complaint only for the member's current address.

    Args:
        member_id (str): the shop's external member id
        body (SuppressionIn): Stop messages to a member's channel (``unsubscribe`` is recorded by
            the one-click
            link and by withdrawing consent, not here).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SuppressionRead]
    """

    kwargs = _get_kwargs(
        member_id=member_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    member_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SuppressionIn,
) -> Problem | SuppressionRead | None:
    """Add Suppression

     Suppress a member's channel: every message stops (transactional too) until the
    suppression is lifted; a bounce or complaint only for the member's current address.

    Args:
        member_id (str): the shop's external member id
        body (SuppressionIn): Stop messages to a member's channel (``unsubscribe`` is recorded by
            the one-click
            link and by withdrawing consent, not here).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SuppressionRead
    """

    return (
        await asyncio_detailed(
            member_id=member_id,
            client=client,
            body=body,
        )
    ).parsed
