from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.referral_page import ReferralPage
from ...models.referral_status import ReferralStatus
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: None | ReferralStatus | Unset = UNSET,
    referrer: None | str | Unset = UNSET,
    after: int | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, ReferralStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_referrer: None | str | Unset
    if isinstance(referrer, Unset):
        json_referrer = UNSET
    else:
        json_referrer = referrer
    params["referrer"] = json_referrer

    json_after: int | None | Unset
    if isinstance(after, Unset):
        json_after = UNSET
    else:
        json_after = after
    params["after"] = json_after

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/referrals",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | ReferralPage | None:
    if response.status_code == 200:
        response_200 = ReferralPage.from_dict(response.json())

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
) -> Response[Problem | ReferralPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    status: None | ReferralStatus | Unset = UNSET,
    referrer: None | str | Unset = UNSET,
    after: int | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[Problem | ReferralPage]:
    """List Referrals

     Referrals oldest first; ``status=review`` is the staff queue.

    Args:
        status (None | ReferralStatus | Unset):
        referrer (None | str | Unset):
        after (int | None | Unset): the last id of the page before
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReferralPage]
    """

    kwargs = _get_kwargs(
        status=status,
        referrer=referrer,
        after=after,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    status: None | ReferralStatus | Unset = UNSET,
    referrer: None | str | Unset = UNSET,
    after: int | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> Problem | ReferralPage | None:
    """List Referrals

     Referrals oldest first; ``status=review`` is the staff queue.

    Args:
        status (None | ReferralStatus | Unset):
        referrer (None | str | Unset):
        after (int | None | Unset): the last id of the page before
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReferralPage
    """

    return sync_detailed(
        client=client,
        status=status,
        referrer=referrer,
        after=after,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    status: None | ReferralStatus | Unset = UNSET,
    referrer: None | str | Unset = UNSET,
    after: int | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[Problem | ReferralPage]:
    """List Referrals

     Referrals oldest first; ``status=review`` is the staff queue.

    Args:
        status (None | ReferralStatus | Unset):
        referrer (None | str | Unset):
        after (int | None | Unset): the last id of the page before
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReferralPage]
    """

    kwargs = _get_kwargs(
        status=status,
        referrer=referrer,
        after=after,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    status: None | ReferralStatus | Unset = UNSET,
    referrer: None | str | Unset = UNSET,
    after: int | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> Problem | ReferralPage | None:
    """List Referrals

     Referrals oldest first; ``status=review`` is the staff queue.

    Args:
        status (None | ReferralStatus | Unset):
        referrer (None | str | Unset):
        after (int | None | Unset): the last id of the page before
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReferralPage
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            referrer=referrer,
            after=after,
            limit=limit,
        )
    ).parsed
