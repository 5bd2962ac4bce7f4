from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.campaign_spec import CampaignSpec
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    key: str,
    *,
    body: CampaignSpec,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/campaigns/{key}".format(
            key=quote(str(key), safe=""),
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
    key: str,
    *,
    client: AuthenticatedClient | Client,
    body: CampaignSpec,
) -> Response[Problem]:
    """Put Campaign

     Create a campaign (a draft) or change its spec. The same spec again: 200, nothing
    written. A campaign's spec changes only while it is a draft or scheduled before its
    first send (409 ``campaign_not_editable`` after).

    Args:
        key (str): the campaign's key: lower-case letters, digits, _ and -, up to 32
        body (CampaignSpec): A campaign (``PUT /api/v1/campaigns/{key}``, the program file's
            ``campaigns:``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem]
    """

    kwargs = _get_kwargs(
        key=key,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    key: str,
    *,
    client: AuthenticatedClient | Client,
    body: CampaignSpec,
) -> Problem | None:
    """Put Campaign

     Create a campaign (a draft) or change its spec. The same spec again: 200, nothing
    written. A campaign's spec changes only while it is a draft or scheduled before its
    first send (409 ``campaign_not_editable`` after).

    Args:
        key (str): the campaign's key: lower-case letters, digits, _ and -, up to 32
        body (CampaignSpec): A campaign (``PUT /api/v1/campaigns/{key}``, the program file's
            ``campaigns:``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem
    """

    return sync_detailed(
        key=key,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    key: str,
    *,
    client: AuthenticatedClient | Client,
    body: CampaignSpec,
) -> Response[Problem]:
    """Put Campaign

     Create a campaign (a draft) or change its spec. The same spec again: 200, nothing
    written. A campaign's spec changes only while it is a draft or scheduled before its
    first send (409 ``campaign_not_editable`` after).

    Args:
        key (str): the campaign's key: lower-case letters, digits, _ and -, up to 32
        body (CampaignSpec): A campaign (``PUT /api/v1/campaigns/{key}``, the program file's
            ``campaigns:``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem]
    """

    kwargs = _get_kwargs(
        key=key,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    key: str,
    *,
    client: AuthenticatedClient | Client,
    body: CampaignSpec,
) -> Problem | None:
    """Put Campaign

     Create a campaign (a draft) or change its spec. The same spec again: 200, nothing
    written. A campaign's spec changes only while it is a draft or scheduled before its
    first send (409 ``campaign_not_editable`` after).

    Args:
        key (str): the campaign's key: lower-case letters, digits, _ and -, up to 32
        body (CampaignSpec): A campaign (``PUT /api/v1/campaigns/{key}``, the program file's
            ``campaigns:``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem
    """

    return (
        await asyncio_detailed(
            key=key,
            client=client,
            body=body,
        )
    ).parsed
