from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.season_copy import SeasonCopy
from ...types import Response


def _get_kwargs(
    season: str,
    *,
    body: SeasonCopy,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/campaigns/seasons/{season}/copy".format(
            season=quote(str(season), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | None:
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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    season: str,
    *,
    client: AuthenticatedClient | Client,
    body: SeasonCopy,
) -> Response[Problem]:
    """Copy Season

     A new draft from a season, dated for its next occurrence; change it with PUT before
    launching it.

    Args:
        season (str): a season's key (GET …/seasons)
        body (SeasonCopy): ``POST /api/v1/campaigns/seasons/{season}/copy``: the new draft's key.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem]
    """

    kwargs = _get_kwargs(
        season=season,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    season: str,
    *,
    client: AuthenticatedClient | Client,
    body: SeasonCopy,
) -> Problem | None:
    """Copy Season

     A new draft from a season, dated for its next occurrence; change it with PUT before
    launching it.

    Args:
        season (str): a season's key (GET …/seasons)
        body (SeasonCopy): ``POST /api/v1/campaigns/seasons/{season}/copy``: the new draft's key.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem
    """

    return sync_detailed(
        season=season,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    season: str,
    *,
    client: AuthenticatedClient | Client,
    body: SeasonCopy,
) -> Response[Problem]:
    """Copy Season

     A new draft from a season, dated for its next occurrence; change it with PUT before
    launching it.

    Args:
        season (str): a season's key (GET …/seasons)
        body (SeasonCopy): ``POST /api/v1/campaigns/seasons/{season}/copy``: the new draft's key.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem]
    """

    kwargs = _get_kwargs(
        season=season,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    season: str,
    *,
    client: AuthenticatedClient | Client,
    body: SeasonCopy,
) -> Problem | None:
    """Copy Season

     A new draft from a season, dated for its next occurrence; change it with PUT before
    launching it.

    Args:
        season (str): a season's key (GET …/seasons)
        body (SeasonCopy): ``POST /api/v1/campaigns/seasons/{season}/copy``: the new draft's key.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem
    """

    return (
        await asyncio_detailed(
            season=season,
            client=client,
            body=body,
        )
    ).parsed
