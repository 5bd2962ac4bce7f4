from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.message_read import MessageRead
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    member_id: str,
    *,
    limit: int | Unset = 50,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/members/{member_id}/messages".format(
            member_id=quote(str(member_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | list[MessageRead] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = MessageRead.from_dict(response_200_item_data)

            response_200.append(response_200_item)

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
) -> Response[Problem | list[MessageRead]]:
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
    limit: int | Unset = 50,
) -> Response[Problem | list[MessageRead]]:
    """List Messages

     The member's messages, newest first, each with its status history (queued, held,
    sent, delivered, failed, suppressed, capped, not_configured) and the reason for each
    hold, retry and non-delivery. Without ``members.read_pii`` the member's e-mail,
    phone, last name and birthday are starred out of the content.

    Args:
        member_id (str): the shop's external member id
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[MessageRead]]
    """

    kwargs = _get_kwargs(
        member_id=member_id,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    member_id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
) -> Problem | list[MessageRead] | None:
    """List Messages

     The member's messages, newest first, each with its status history (queued, held,
    sent, delivered, failed, suppressed, capped, not_configured) and the reason for each
    hold, retry and non-delivery. Without ``members.read_pii`` the member's e-mail,
    phone, last name and birthday are starred out of the content.

    Args:
        member_id (str): the shop's external member id
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[MessageRead]
    """

    return sync_detailed(
        member_id=member_id,
        client=client,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    member_id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
) -> Response[Problem | list[MessageRead]]:
    """List Messages

     The member's messages, newest first, each with its status history (queued, held,
    sent, delivered, failed, suppressed, capped, not_configured) and the reason for each
    hold, retry and non-delivery. Without ``members.read_pii`` the member's e-mail,
    phone, last name and birthday are starred out of the content.

    Args:
        member_id (str): the shop's external member id
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[MessageRead]]
    """

    kwargs = _get_kwargs(
        member_id=member_id,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    member_id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
) -> Problem | list[MessageRead] | None:
    """List Messages

     The member's messages, newest first, each with its status history (queued, held,
    sent, delivered, failed, suppressed, capped, not_configured) and the reason for each
    hold, retry and non-delivery. Without ``members.read_pii`` the member's e-mail,
    phone, last name and birthday are starred out of the content.

    Args:
        member_id (str): the shop's external member id
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[MessageRead]
    """

    return (
        await asyncio_detailed(
            member_id=member_id,
            client=client,
            limit=limit,
        )
    ).parsed
