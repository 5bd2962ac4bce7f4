from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.also_bought_read import AlsoBoughtRead
from ...models.pair_score import PairScore
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    sku: str,
    *,
    limit: int | Unset = 10,
    score: PairScore | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_score: str | Unset = UNSET
    if not isinstance(score, Unset):
        json_score = score.value

    params["score"] = json_score

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/products/{sku}/also-bought".format(
            sku=quote(str(sku), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AlsoBoughtRead | Problem | None:
    if response.status_code == 200:
        response_200 = AlsoBoughtRead.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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
) -> Response[AlsoBoughtRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    sku: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 10,
    score: PairScore | Unset = UNSET,
) -> Response[AlsoBoughtRead | Problem]:
    """Also Bought

     "Bought this, also bought": items bought in the same basket (one order, or the same
    member's orders within 30 days) at least 3 times, from the last refresh. An unknown or
    rarely bought SKU answers 200 with no items (there is no catalogue to tell them apart).

    Args:
        sku (str): the shop's product SKU
        limit (int | Unset): how many items at most Default: 10.
        score (PairScore | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AlsoBoughtRead | Problem]
    """

    kwargs = _get_kwargs(
        sku=sku,
        limit=limit,
        score=score,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    sku: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 10,
    score: PairScore | Unset = UNSET,
) -> AlsoBoughtRead | Problem | None:
    """Also Bought

     "Bought this, also bought": items bought in the same basket (one order, or the same
    member's orders within 30 days) at least 3 times, from the last refresh. An unknown or
    rarely bought SKU answers 200 with no items (there is no catalogue to tell them apart).

    Args:
        sku (str): the shop's product SKU
        limit (int | Unset): how many items at most Default: 10.
        score (PairScore | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AlsoBoughtRead | Problem
    """

    return sync_detailed(
        sku=sku,
        client=client,
        limit=limit,
        score=score,
    ).parsed


async def asyncio_detailed(
    sku: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 10,
    score: PairScore | Unset = UNSET,
) -> Response[AlsoBoughtRead | Problem]:
    """Also Bought

     "Bought this, also bought": items bought in the same basket (one order, or the same
    member's orders within 30 days) at least 3 times, from the last refresh. An unknown or
    rarely bought SKU answers 200 with no items (there is no catalogue to tell them apart).

    Args:
        sku (str): the shop's product SKU
        limit (int | Unset): how many items at most Default: 10.
        score (PairScore | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AlsoBoughtRead | Problem]
    """

    kwargs = _get_kwargs(
        sku=sku,
        limit=limit,
        score=score,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    sku: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 10,
    score: PairScore | Unset = UNSET,
) -> AlsoBoughtRead | Problem | None:
    """Also Bought

     "Bought this, also bought": items bought in the same basket (one order, or the same
    member's orders within 30 days) at least 3 times, from the last refresh. An unknown or
    rarely bought SKU answers 200 with no items (there is no catalogue to tell them apart).

    Args:
        sku (str): the shop's product SKU
        limit (int | Unset): how many items at most Default: 10.
        score (PairScore | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AlsoBoughtRead | Problem
    """

    return (
        await asyncio_detailed(
            sku=sku,
            client=client,
            limit=limit,
            score=score,
        )
    ).parsed
