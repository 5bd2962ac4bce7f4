from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.hold_read import HoldRead
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    hold_id: str,
    *,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/points/holds/{hold_id}/release".format(
            hold_id=quote(str(hold_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> HoldRead | Problem | None:
    if response.status_code == 200:
        response_200 = HoldRead.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[HoldRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    hold_id: str,
    *,
    client: AuthenticatedClient | Client,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[HoldRead | Problem]:
    """Release Hold

     Give the held points back. Repeat-safe; 409 once confirmed.

    Args:
        hold_id (str):
        idempotency_key (None | str | Unset): replaying a key returns the first answer; another
            body is a 409

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HoldRead | Problem]
    """

    kwargs = _get_kwargs(
        hold_id=hold_id,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    hold_id: str,
    *,
    client: AuthenticatedClient | Client,
    idempotency_key: None | str | Unset = UNSET,
) -> HoldRead | Problem | None:
    """Release Hold

     Give the held points back. Repeat-safe; 409 once confirmed.

    Args:
        hold_id (str):
        idempotency_key (None | str | Unset): replaying a key returns the first answer; another
            body is a 409

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HoldRead | Problem
    """

    return sync_detailed(
        hold_id=hold_id,
        client=client,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    hold_id: str,
    *,
    client: AuthenticatedClient | Client,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[HoldRead | Problem]:
    """Release Hold

     Give the held points back. Repeat-safe; 409 once confirmed.

    Args:
        hold_id (str):
        idempotency_key (None | str | Unset): replaying a key returns the first answer; another
            body is a 409

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HoldRead | Problem]
    """

    kwargs = _get_kwargs(
        hold_id=hold_id,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    hold_id: str,
    *,
    client: AuthenticatedClient | Client,
    idempotency_key: None | str | Unset = UNSET,
) -> HoldRead | Problem | None:
    """Release Hold

     Give the held points back. Repeat-safe; 409 once confirmed.

    Args:
        hold_id (str):
        idempotency_key (None | str | Unset): replaying a key returns the first answer; another
            body is a 409

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HoldRead | Problem
    """

    return (
        await asyncio_detailed(
            hold_id=hold_id,
            client=client,
            idempotency_key=idempotency_key,
        )
    ).parsed
