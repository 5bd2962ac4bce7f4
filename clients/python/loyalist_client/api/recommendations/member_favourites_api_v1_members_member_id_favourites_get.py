from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.favourites_read import FavouritesRead
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    member_id: str,
    *,
    limit: int | Unset = 10,
    half_life_days: float | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_half_life_days: float | None | Unset
    if isinstance(half_life_days, Unset):
        json_half_life_days = UNSET
    else:
        json_half_life_days = half_life_days
    params["half_life_days"] = json_half_life_days

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/members/{member_id}/favourites".format(
            member_id=quote(str(member_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> FavouritesRead | Problem | None:
    if response.status_code == 200:
        response_200 = FavouritesRead.from_dict(response.json())

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
) -> Response[FavouritesRead | Problem]:
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
    limit: int | Unset = 10,
    half_life_days: float | None | Unset = UNSET,
) -> Response[FavouritesRead | Problem]:
    """Member Favourites

     The member's top products and categories by orders (returns deducted), then spend
    in the program currency: what a "discount on your favourites" offer targets.

    Args:
        member_id (str): the shop's external member id
        limit (int | Unset): how many items at most Default: 10.
        half_life_days (float | None | Unset): weigh each order by 0.5^(age in days / this)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FavouritesRead | Problem]
    """

    kwargs = _get_kwargs(
        member_id=member_id,
        limit=limit,
        half_life_days=half_life_days,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    member_id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 10,
    half_life_days: float | None | Unset = UNSET,
) -> FavouritesRead | Problem | None:
    """Member Favourites

     The member's top products and categories by orders (returns deducted), then spend
    in the program currency: what a "discount on your favourites" offer targets.

    Args:
        member_id (str): the shop's external member id
        limit (int | Unset): how many items at most Default: 10.
        half_life_days (float | None | Unset): weigh each order by 0.5^(age in days / this)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FavouritesRead | Problem
    """

    return sync_detailed(
        member_id=member_id,
        client=client,
        limit=limit,
        half_life_days=half_life_days,
    ).parsed


async def asyncio_detailed(
    member_id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 10,
    half_life_days: float | None | Unset = UNSET,
) -> Response[FavouritesRead | Problem]:
    """Member Favourites

     The member's top products and categories by orders (returns deducted), then spend
    in the program currency: what a "discount on your favourites" offer targets.

    Args:
        member_id (str): the shop's external member id
        limit (int | Unset): how many items at most Default: 10.
        half_life_days (float | None | Unset): weigh each order by 0.5^(age in days / this)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FavouritesRead | Problem]
    """

    kwargs = _get_kwargs(
        member_id=member_id,
        limit=limit,
        half_life_days=half_life_days,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    member_id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 10,
    half_life_days: float | None | Unset = UNSET,
) -> FavouritesRead | Problem | None:
    """Member Favourites

     The member's top products and categories by orders (returns deducted), then spend
    in the program currency: what a "discount on your favourites" offer targets.

    Args:
        member_id (str): the shop's external member id
        limit (int | Unset): how many items at most Default: 10.
        half_life_days (float | None | Unset): weigh each order by 0.5^(age in days / this)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FavouritesRead | Problem
    """

    return (
        await asyncio_detailed(
            member_id=member_id,
            client=client,
            limit=limit,
            half_life_days=half_life_days,
        )
    ).parsed
