from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.reveal_in import RevealIn
from ...models.reveal_read import RevealRead
from ...types import Response


def _get_kwargs(
    member_id: str,
    *,
    body: RevealIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/members/{member_id}/reveal".format(
            member_id=quote(str(member_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | RevealRead | None:
    if response.status_code == 200:
        response_200 = RevealRead.from_dict(response.json())

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

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

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
) -> Response[Problem | RevealRead]:
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
    body: RevealIn,
) -> Response[Problem | RevealRead]:
    """Reveal

     One personal field (``email``, ``phone``, ``name``, ``birthday``) of the member in
    full, for a stated reason: recorded as a ``pii.read`` audit row with the caller, the
    field and the reason, in the same transaction as the read. Limited per caller
    (``LOYALIST_REVEAL__PER_CALLER``): beyond it 429 ``reveals_limited`` with Retry-After.

    Args:
        member_id (str): the shop's external member id
        body (RevealIn): Which one personal field to show in full, and why (kept in the audit
            trail).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RevealRead]
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
    body: RevealIn,
) -> Problem | RevealRead | None:
    """Reveal

     One personal field (``email``, ``phone``, ``name``, ``birthday``) of the member in
    full, for a stated reason: recorded as a ``pii.read`` audit row with the caller, the
    field and the reason, in the same transaction as the read. Limited per caller
    (``LOYALIST_REVEAL__PER_CALLER``): beyond it 429 ``reveals_limited`` with Retry-After.

    Args:
        member_id (str): the shop's external member id
        body (RevealIn): Which one personal field to show in full, and why (kept in the audit
            trail).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RevealRead
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
    body: RevealIn,
) -> Response[Problem | RevealRead]:
    """Reveal

     One personal field (``email``, ``phone``, ``name``, ``birthday``) of the member in
    full, for a stated reason: recorded as a ``pii.read`` audit row with the caller, the
    field and the reason, in the same transaction as the read. Limited per caller
    (``LOYALIST_REVEAL__PER_CALLER``): beyond it 429 ``reveals_limited`` with Retry-After.

    Args:
        member_id (str): the shop's external member id
        body (RevealIn): Which one personal field to show in full, and why (kept in the audit
            trail).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RevealRead]
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
    body: RevealIn,
) -> Problem | RevealRead | None:
    """Reveal

     One personal field (``email``, ``phone``, ``name``, ``birthday``) of the member in
    full, for a stated reason: recorded as a ``pii.read`` audit row with the caller, the
    field and the reason, in the same transaction as the read. Limited per caller
    (``LOYALIST_REVEAL__PER_CALLER``): beyond it 429 ``reveals_limited`` with Retry-After.

    Args:
        member_id (str): the shop's external member id
        body (RevealIn): Which one personal field to show in full, and why (kept in the audit
            trail).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RevealRead
    """

    return (
        await asyncio_detailed(
            member_id=member_id,
            client=client,
            body=body,
        )
    ).parsed
