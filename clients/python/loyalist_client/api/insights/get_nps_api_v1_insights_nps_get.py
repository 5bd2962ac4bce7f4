import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.dimension import Dimension
from ...models.nps_report import NpsReport
from ...models.period import Period
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    period: None | Period | Unset = UNSET,
    by: Dimension | None | Unset = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_period: None | str | Unset
    if isinstance(period, Unset):
        json_period = UNSET
    elif isinstance(period, Period):
        json_period = period.value
    else:
        json_period = period
    params["period"] = json_period

    json_by: None | str | Unset
    if isinstance(by, Unset):
        json_by = UNSET
    elif isinstance(by, Dimension):
        json_by = by.value
    else:
        json_by = by
    params["by"] = json_by

    json_from_: None | str | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    elif isinstance(from_, datetime.date):
        json_from_ = from_.isoformat()
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: None | str | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    elif isinstance(to, datetime.date):
        json_to = to.isoformat()
    else:
        json_to = to
    params["to"] = json_to

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/insights/nps",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> NpsReport | Problem | None:
    if response.status_code == 200:
        response_200 = NpsReport.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[NpsReport | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    period: None | Period | Unset = UNSET,
    by: Dimension | None | Unset = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
) -> Response[NpsReport | Problem]:
    """Get Nps

     Net Promoter Score of members' first answers to each survey (later answers to the
    same survey do not count), with promoters (9–10), passives (7–8), detractors (0–6) and
    NPS = % promoters − % detractors to one decimal. Tiers and segments are the members'
    current ones; a member in several segments counts in each, once in the total.

    Args:
        period (None | Period | Unset): day, week (ISO, from Monday) or month; none: whole range
        by (Dimension | None | Unset): segment, tier or channel
        from_ (datetime.date | None | Unset): first day, program time zone
        to (datetime.date | None | Unset): last day (included), program time zone

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[NpsReport | Problem]
    """

    kwargs = _get_kwargs(
        period=period,
        by=by,
        from_=from_,
        to=to,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    period: None | Period | Unset = UNSET,
    by: Dimension | None | Unset = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
) -> NpsReport | Problem | None:
    """Get Nps

     Net Promoter Score of members' first answers to each survey (later answers to the
    same survey do not count), with promoters (9–10), passives (7–8), detractors (0–6) and
    NPS = % promoters − % detractors to one decimal. Tiers and segments are the members'
    current ones; a member in several segments counts in each, once in the total.

    Args:
        period (None | Period | Unset): day, week (ISO, from Monday) or month; none: whole range
        by (Dimension | None | Unset): segment, tier or channel
        from_ (datetime.date | None | Unset): first day, program time zone
        to (datetime.date | None | Unset): last day (included), program time zone

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        NpsReport | Problem
    """

    return sync_detailed(
        client=client,
        period=period,
        by=by,
        from_=from_,
        to=to,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    period: None | Period | Unset = UNSET,
    by: Dimension | None | Unset = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
) -> Response[NpsReport | Problem]:
    """Get Nps

     Net Promoter Score of members' first answers to each survey (later answers to the
    same survey do not count), with promoters (9–10), passives (7–8), detractors (0–6) and
    NPS = % promoters − % detractors to one decimal. Tiers and segments are the members'
    current ones; a member in several segments counts in each, once in the total.

    Args:
        period (None | Period | Unset): day, week (ISO, from Monday) or month; none: whole range
        by (Dimension | None | Unset): segment, tier or channel
        from_ (datetime.date | None | Unset): first day, program time zone
        to (datetime.date | None | Unset): last day (included), program time zone

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[NpsReport | Problem]
    """

    kwargs = _get_kwargs(
        period=period,
        by=by,
        from_=from_,
        to=to,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    period: None | Period | Unset = UNSET,
    by: Dimension | None | Unset = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
) -> NpsReport | Problem | None:
    """Get Nps

     Net Promoter Score of members' first answers to each survey (later answers to the
    same survey do not count), with promoters (9–10), passives (7–8), detractors (0–6) and
    NPS = % promoters − % detractors to one decimal. Tiers and segments are the members'
    current ones; a member in several segments counts in each, once in the total.

    Args:
        period (None | Period | Unset): day, week (ISO, from Monday) or month; none: whole range
        by (Dimension | None | Unset): segment, tier or channel
        from_ (datetime.date | None | Unset): first day, program time zone
        to (datetime.date | None | Unset): last day (included), program time zone

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        NpsReport | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            period=period,
            by=by,
            from_=from_,
            to=to,
        )
    ).parsed
