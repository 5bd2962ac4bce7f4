from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.connector_read import ConnectorRead
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    connector_key: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/connectors/{connector_key}".format(
            connector_key=quote(str(connector_key), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ConnectorRead | Problem | None:
    if response.status_code == 200:
        response_200 = ConnectorRead.from_dict(response.json())

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
) -> Response[ConnectorRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    connector_key: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ConnectorRead | Problem]:
    """Get Connector

     One connector (never its secret).

    Args:
        connector_key (str): the connector's key (in its URL)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConnectorRead | Problem]
    """

    kwargs = _get_kwargs(
        connector_key=connector_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    connector_key: str,
    *,
    client: AuthenticatedClient | Client,
) -> ConnectorRead | Problem | None:
    """Get Connector

     One connector (never its secret).

    Args:
        connector_key (str): the connector's key (in its URL)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConnectorRead | Problem
    """

    return sync_detailed(
        connector_key=connector_key,
        client=client,
    ).parsed


async def asyncio_detailed(
    connector_key: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ConnectorRead | Problem]:
    """Get Connector

     One connector (never its secret).

    Args:
        connector_key (str): the connector's key (in its URL)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConnectorRead | Problem]
    """

    kwargs = _get_kwargs(
        connector_key=connector_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    connector_key: str,
    *,
    client: AuthenticatedClient | Client,
) -> ConnectorRead | Problem | None:
    """Get Connector

     One connector (never its secret).

    Args:
        connector_key (str): the connector's key (in its URL)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConnectorRead | Problem
    """

    return (
        await asyncio_detailed(
            connector_key=connector_key,
            client=client,
        )
    ).parsed
