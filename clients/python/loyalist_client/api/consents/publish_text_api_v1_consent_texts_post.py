from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.consent_text_in import ConsentTextIn
from ...models.consent_text_read import ConsentTextRead
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: ConsentTextIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/consent-texts",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ConsentTextRead | Problem | None:
    if response.status_code == 200:
        response_200 = ConsentTextRead.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = ConsentTextRead.from_dict(response.json())

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
) -> Response[ConsentTextRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ConsentTextIn,
) -> Response[ConsentTextRead | Problem]:
    """Publish Text

     Publish a new version of a purpose's consent text in one language (201); a text
    equal to the newest version answers that version (200). Published versions never
    change: grants and withdrawals name the version and its SHA-256.

    Args:
        body (ConsentTextIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConsentTextRead | Problem]
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
    body: ConsentTextIn,
) -> ConsentTextRead | Problem | None:
    """Publish Text

     Publish a new version of a purpose's consent text in one language (201); a text
    equal to the newest version answers that version (200). Published versions never
    change: grants and withdrawals name the version and its SHA-256.

    Args:
        body (ConsentTextIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConsentTextRead | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ConsentTextIn,
) -> Response[ConsentTextRead | Problem]:
    """Publish Text

     Publish a new version of a purpose's consent text in one language (201); a text
    equal to the newest version answers that version (200). Published versions never
    change: grants and withdrawals name the version and its SHA-256.

    Args:
        body (ConsentTextIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConsentTextRead | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ConsentTextIn,
) -> ConsentTextRead | Problem | None:
    """Publish Text

     Publish a new version of a purpose's consent text in one language (201); a text
    equal to the newest version answers that version (200). Published versions never
    change: grants and withdrawals name the version and its SHA-256.

    Args:
        body (ConsentTextIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConsentTextRead | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
