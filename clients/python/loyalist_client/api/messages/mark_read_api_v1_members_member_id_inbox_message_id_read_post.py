from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.message_read_at import MessageReadAt
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    member_id: str,
    message_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/members/{member_id}/inbox/{message_id}/read".format(
            member_id=quote(str(member_id), safe=""),
            message_id=quote(str(message_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> MessageReadAt | Problem | None:
    if response.status_code == 200:
        response_200 = MessageReadAt.from_dict(response.json())

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
) -> Response[MessageReadAt | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    member_id: str,
    message_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[MessageReadAt | Problem]:
    """Mark Read

     Mark an inbox message read (again: keeps the first ``read_at``).

    Args:
        member_id (str): the shop's external member id
        message_id (str): the message's id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MessageReadAt | Problem]
    """

    kwargs = _get_kwargs(
        member_id=member_id,
        message_id=message_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    member_id: str,
    message_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> MessageReadAt | Problem | None:
    """Mark Read

     Mark an inbox message read (again: keeps the first ``read_at``).

    Args:
        member_id (str): the shop's external member id
        message_id (str): the message's id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MessageReadAt | Problem
    """

    return sync_detailed(
        member_id=member_id,
        message_id=message_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    member_id: str,
    message_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[MessageReadAt | Problem]:
    """Mark Read

     Mark an inbox message read (again: keeps the first ``read_at``).

    Args:
        member_id (str): the shop's external member id
        message_id (str): the message's id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MessageReadAt | Problem]
    """

    kwargs = _get_kwargs(
        member_id=member_id,
        message_id=message_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    member_id: str,
    message_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> MessageReadAt | Problem | None:
    """Mark Read

     Mark an inbox message read (again: keeps the first ``read_at``).

    Args:
        member_id (str): the shop's external member id
        message_id (str): the message's id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MessageReadAt | Problem
    """

    return (
        await asyncio_detailed(
            member_id=member_id,
            message_id=message_id,
            client=client,
        )
    ).parsed
