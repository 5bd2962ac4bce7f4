import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.funnel import Funnel
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    referrer: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_from_: None | str | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    elif isinstance(from_, datetime.datetime):
        json_from_ = from_.isoformat()
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: None | str | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    elif isinstance(to, datetime.datetime):
        json_to = to.isoformat()
    else:
        json_to = to
    params["to"] = json_to

    json_referrer: None | str | Unset
    if isinstance(referrer, Unset):
        json_referrer = UNSET
    else:
        json_referrer = referrer
    params["referrer"] = json_referrer

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/referrals/funnel",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Funnel | Problem | None:
    if response.status_code == 200:
        response_200 = Funnel.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Funnel | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    referrer: None | str | Unset = UNSET,
) -> Response[Funnel | Problem]:
    """Funnel

     Shares, clicks, attributed (and of them enrolled), each status, converted, rewarded
    and the ambassadors KPI (members with at least one converted referral).

    Args:
        from_ (datetime.datetime | None | Unset): inclusive
        to (datetime.datetime | None | Unset): exclusive
        referrer (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Funnel | Problem]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        referrer=referrer,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    referrer: None | str | Unset = UNSET,
) -> Funnel | Problem | None:
    """Funnel

     Shares, clicks, attributed (and of them enrolled), each status, converted, rewarded
    and the ambassadors KPI (members with at least one converted referral).

    Args:
        from_ (datetime.datetime | None | Unset): inclusive
        to (datetime.datetime | None | Unset): exclusive
        referrer (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Funnel | Problem
    """

    return sync_detailed(
        client=client,
        from_=from_,
        to=to,
        referrer=referrer,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    referrer: None | str | Unset = UNSET,
) -> Response[Funnel | Problem]:
    """Funnel

     Shares, clicks, attributed (and of them enrolled), each status, converted, rewarded
    and the ambassadors KPI (members with at least one converted referral).

    Args:
        from_ (datetime.datetime | None | Unset): inclusive
        to (datetime.datetime | None | Unset): exclusive
        referrer (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Funnel | Problem]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        referrer=referrer,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    referrer: None | str | Unset = UNSET,
) -> Funnel | Problem | None:
    """Funnel

     Shares, clicks, attributed (and of them enrolled), each status, converted, rewarded
    and the ambassadors KPI (members with at least one converted referral).

    Args:
        from_ (datetime.datetime | None | Unset): inclusive
        to (datetime.datetime | None | Unset): exclusive
        referrer (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Funnel | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            to=to,
            referrer=referrer,
        )
    ).parsed
