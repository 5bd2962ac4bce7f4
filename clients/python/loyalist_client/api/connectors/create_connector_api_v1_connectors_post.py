from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.connector_create import ConnectorCreate
from ...models.connector_read import ConnectorRead
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: ConnectorCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/connectors",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ConnectorRead | Problem | None:
    if response.status_code == 201:
        response_201 = ConnectorRead.from_dict(response.json())

        return response_201

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
    *,
    client: AuthenticatedClient | Client,
    body: ConnectorCreate,
) -> Response[ConnectorRead | Problem]:
    """Create Connector

     Connect a shop: its platform, the key its webhook URL ends with and the secret the
    platform signs webhooks with (write-only: stored encrypted, never shown again). Point the
    platform's webhooks at the answer's `webhook_path`.

    Args:
        body (ConnectorCreate): A new connector: ``secret`` is what the platform signs its
            webhooks with (Shopify: the
            app's client secret; WooCommerce: the webhook's secret; Saleor: the app's secret key).
            It is stored encrypted and never shown again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConnectorRead | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: ConnectorCreate,
) -> ConnectorRead | Problem | None:
    """Create Connector

     Connect a shop: its platform, the key its webhook URL ends with and the secret the
    platform signs webhooks with (write-only: stored encrypted, never shown again). Point the
    platform's webhooks at the answer's `webhook_path`.

    Args:
        body (ConnectorCreate): A new connector: ``secret`` is what the platform signs its
            webhooks with (Shopify: the
            app's client secret; WooCommerce: the webhook's secret; Saleor: the app's secret key).
            It is stored encrypted and never shown again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConnectorRead | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ConnectorCreate,
) -> Response[ConnectorRead | Problem]:
    """Create Connector

     Connect a shop: its platform, the key its webhook URL ends with and the secret the
    platform signs webhooks with (write-only: stored encrypted, never shown again). Point the
    platform's webhooks at the answer's `webhook_path`.

    Args:
        body (ConnectorCreate): A new connector: ``secret`` is what the platform signs its
            webhooks with (Shopify: the
            app's client secret; WooCommerce: the webhook's secret; Saleor: the app's secret key).
            It is stored encrypted and never shown again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConnectorRead | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ConnectorCreate,
) -> ConnectorRead | Problem | None:
    """Create Connector

     Connect a shop: its platform, the key its webhook URL ends with and the secret the
    platform signs webhooks with (write-only: stored encrypted, never shown again). Point the
    platform's webhooks at the answer's `webhook_path`.

    Args:
        body (ConnectorCreate): A new connector: ``secret`` is what the platform signs its
            webhooks with (Shopify: the
            app's client secret; WooCommerce: the webhook's secret; Saleor: the app's secret key).
            It is stored encrypted and never shown again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConnectorRead | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
