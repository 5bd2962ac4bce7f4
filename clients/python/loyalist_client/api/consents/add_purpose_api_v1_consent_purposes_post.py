from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.purpose_in import PurposeIn
from ...models.purpose_read import PurposeRead
from ...types import Response


def _get_kwargs(
    *,
    body: PurposeIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/consent-purposes",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | PurposeRead | None:
    if response.status_code == 201:
        response_201 = PurposeRead.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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
) -> Response[Problem | PurposeRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: PurposeIn,
) -> Response[Problem | PurposeRead]:
    """Add Purpose

     Add the purpose "transfer of personal data to a processor" (``transfer.<processor>``),
    which the send-time check asks for when ``require_transfer_consent`` is on and a
    channel's provider is that processor.

    Args:
        body (PurposeIn): A transfer purpose: consent to hand personal data to a named processor
            (its code
            becomes ``transfer.<processor>``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | PurposeRead]
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
    body: PurposeIn,
) -> Problem | PurposeRead | None:
    """Add Purpose

     Add the purpose "transfer of personal data to a processor" (``transfer.<processor>``),
    which the send-time check asks for when ``require_transfer_consent`` is on and a
    channel's provider is that processor.

    Args:
        body (PurposeIn): A transfer purpose: consent to hand personal data to a named processor
            (its code
            becomes ``transfer.<processor>``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | PurposeRead
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: PurposeIn,
) -> Response[Problem | PurposeRead]:
    """Add Purpose

     Add the purpose "transfer of personal data to a processor" (``transfer.<processor>``),
    which the send-time check asks for when ``require_transfer_consent`` is on and a
    channel's provider is that processor.

    Args:
        body (PurposeIn): A transfer purpose: consent to hand personal data to a named processor
            (its code
            becomes ``transfer.<processor>``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | PurposeRead]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: PurposeIn,
) -> Problem | PurposeRead | None:
    """Add Purpose

     Add the purpose "transfer of personal data to a processor" (``transfer.<processor>``),
    which the send-time check asks for when ``require_transfer_consent`` is on and a
    channel's provider is that processor.

    Args:
        body (PurposeIn): A transfer purpose: consent to hand personal data to a named processor
            (its code
            becomes ``transfer.<processor>``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | PurposeRead
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
