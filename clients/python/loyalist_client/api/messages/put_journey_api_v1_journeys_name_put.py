from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.put_journey_api_v1_journeys_name_put_body import PutJourneyApiV1JourneysNamePutBody
from ...types import Response


def _get_kwargs(
    name: str,
    *,
    body: PutJourneyApiV1JourneysNamePutBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/journeys/{name}".format(
            name=quote(str(name), safe=""),
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
    name: str,
    *,
    client: AuthenticatedClient | Client,
    body: PutJourneyApiV1JourneysNamePutBody,
) -> Response[Problem]:
    """Put Journey

     Replace one journey's settings (fields left out take their defaults; the schema of
    each journey: the `JourneysConfig` schema of `GET /journeys`). The journeys read the
    new settings from the next event on, in every process.

    Args:
        name (str): welcome, order_confirmation, shipping, post_purchase, points, tier,
            rewards_referrals, birthday, win_back
        body (PutJourneyApiV1JourneysNamePutBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    name: str,
    *,
    client: AuthenticatedClient | Client,
    body: PutJourneyApiV1JourneysNamePutBody,
) -> Problem | None:
    """Put Journey

     Replace one journey's settings (fields left out take their defaults; the schema of
    each journey: the `JourneysConfig` schema of `GET /journeys`). The journeys read the
    new settings from the next event on, in every process.

    Args:
        name (str): welcome, order_confirmation, shipping, post_purchase, points, tier,
            rewards_referrals, birthday, win_back
        body (PutJourneyApiV1JourneysNamePutBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem
    """

    return sync_detailed(
        name=name,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    name: str,
    *,
    client: AuthenticatedClient | Client,
    body: PutJourneyApiV1JourneysNamePutBody,
) -> Response[Problem]:
    """Put Journey

     Replace one journey's settings (fields left out take their defaults; the schema of
    each journey: the `JourneysConfig` schema of `GET /journeys`). The journeys read the
    new settings from the next event on, in every process.

    Args:
        name (str): welcome, order_confirmation, shipping, post_purchase, points, tier,
            rewards_referrals, birthday, win_back
        body (PutJourneyApiV1JourneysNamePutBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    name: str,
    *,
    client: AuthenticatedClient | Client,
    body: PutJourneyApiV1JourneysNamePutBody,
) -> Problem | None:
    """Put Journey

     Replace one journey's settings (fields left out take their defaults; the schema of
    each journey: the `JourneysConfig` schema of `GET /journeys`). The journeys read the
    new settings from the next event on, in every process.

    Args:
        name (str): welcome, order_confirmation, shipping, post_purchase, points, tier,
            rewards_referrals, birthday, win_back
        body (PutJourneyApiV1JourneysNamePutBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem
    """

    return (
        await asyncio_detailed(
            name=name,
            client=client,
            body=body,
        )
    ).parsed
