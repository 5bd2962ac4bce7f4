from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.click_in import ClickIn
from ...models.click_read import ClickRead
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    token: str,
    *,
    body: ClickIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/referral-links/{token}/clicks".format(
            token=quote(str(token), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ClickRead | Problem | None:
    if response.status_code == 200:
        response_200 = ClickRead.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ClickRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    token: str,
    *,
    client: AuthenticatedClient | Client,
    body: ClickIn,
) -> Response[ClickRead | Problem]:
    """Record Click

     The shop reports a click on a share link; counted once per ``click_id``
    (``is_recorded: false`` for a repeat or past the daily limit). 404
    ``referral_link_not_found``.

    Args:
        token (str): the share link's token
        body (ClickIn): A click on a share link, as the shop saw it (the signals are kept hashed).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ClickRead | Problem]
    """

    kwargs = _get_kwargs(
        token=token,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    token: str,
    *,
    client: AuthenticatedClient | Client,
    body: ClickIn,
) -> ClickRead | Problem | None:
    """Record Click

     The shop reports a click on a share link; counted once per ``click_id``
    (``is_recorded: false`` for a repeat or past the daily limit). 404
    ``referral_link_not_found``.

    Args:
        token (str): the share link's token
        body (ClickIn): A click on a share link, as the shop saw it (the signals are kept hashed).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ClickRead | Problem
    """

    return sync_detailed(
        token=token,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    token: str,
    *,
    client: AuthenticatedClient | Client,
    body: ClickIn,
) -> Response[ClickRead | Problem]:
    """Record Click

     The shop reports a click on a share link; counted once per ``click_id``
    (``is_recorded: false`` for a repeat or past the daily limit). 404
    ``referral_link_not_found``.

    Args:
        token (str): the share link's token
        body (ClickIn): A click on a share link, as the shop saw it (the signals are kept hashed).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ClickRead | Problem]
    """

    kwargs = _get_kwargs(
        token=token,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    token: str,
    *,
    client: AuthenticatedClient | Client,
    body: ClickIn,
) -> ClickRead | Problem | None:
    """Record Click

     The shop reports a click on a share link; counted once per ``click_id``
    (``is_recorded: false`` for a repeat or past the daily limit). 404
    ``referral_link_not_found``.

    Args:
        token (str): the share link's token
        body (ClickIn): A click on a share link, as the shop saw it (the signals are kept hashed).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ClickRead | Problem
    """

    return (
        await asyncio_detailed(
            token=token,
            client=client,
            body=body,
        )
    ).parsed
