from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.member_recommendations_read import MemberRecommendationsRead
from ...models.method import Method
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    member_id: str,
    *,
    limit: int | Unset = 10,
    method: Method | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_method: str | Unset = UNSET
    if not isinstance(method, Unset):
        json_method = method.value

    params["method"] = json_method

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/members/{member_id}/recommendations".format(
            member_id=quote(str(member_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> MemberRecommendationsRead | Problem | None:
    if response.status_code == 200:
        response_200 = MemberRecommendationsRead.from_dict(response.json())

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
) -> Response[MemberRecommendationsRead | Problem]:
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
    method: Method | Unset = UNSET,
) -> Response[MemberRecommendationsRead | Problem]:
    """Member Recommendations

     Products for the member from their purchase history, never one bought in the last
    90 days or ever returned; filled up with popular items (last 90 days, distinct buyers),
    which is all a member without history gets.

    Args:
        member_id (str): the shop's external member id
        limit (int | Unset): how many items at most Default: 10.
        method (Method | Unset): How a personal recommendation was chosen.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MemberRecommendationsRead | Problem]
    """

    kwargs = _get_kwargs(
        member_id=member_id,
        limit=limit,
        method=method,
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
    method: Method | Unset = UNSET,
) -> MemberRecommendationsRead | Problem | None:
    """Member Recommendations

     Products for the member from their purchase history, never one bought in the last
    90 days or ever returned; filled up with popular items (last 90 days, distinct buyers),
    which is all a member without history gets.

    Args:
        member_id (str): the shop's external member id
        limit (int | Unset): how many items at most Default: 10.
        method (Method | Unset): How a personal recommendation was chosen.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MemberRecommendationsRead | Problem
    """

    return sync_detailed(
        member_id=member_id,
        client=client,
        limit=limit,
        method=method,
    ).parsed


async def asyncio_detailed(
    member_id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 10,
    method: Method | Unset = UNSET,
) -> Response[MemberRecommendationsRead | Problem]:
    """Member Recommendations

     Products for the member from their purchase history, never one bought in the last
    90 days or ever returned; filled up with popular items (last 90 days, distinct buyers),
    which is all a member without history gets.

    Args:
        member_id (str): the shop's external member id
        limit (int | Unset): how many items at most Default: 10.
        method (Method | Unset): How a personal recommendation was chosen.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MemberRecommendationsRead | Problem]
    """

    kwargs = _get_kwargs(
        member_id=member_id,
        limit=limit,
        method=method,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    member_id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 10,
    method: Method | Unset = UNSET,
) -> MemberRecommendationsRead | Problem | None:
    """Member Recommendations

     Products for the member from their purchase history, never one bought in the last
    90 days or ever returned; filled up with popular items (last 90 days, distinct buyers),
    which is all a member without history gets.

    Args:
        member_id (str): the shop's external member id
        limit (int | Unset): how many items at most Default: 10.
        method (Method | Unset): How a personal recommendation was chosen.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MemberRecommendationsRead | Problem
    """

    return (
        await asyncio_detailed(
            member_id=member_id,
            client=client,
            limit=limit,
            method=method,
        )
    ).parsed
