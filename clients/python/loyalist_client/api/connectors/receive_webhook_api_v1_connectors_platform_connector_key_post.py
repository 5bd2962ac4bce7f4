from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.receive_webhook_api_v1_connectors_platform_connector_key_post_body import (
    ReceiveWebhookApiV1ConnectorsPlatformConnectorKeyPostBody,
)
from ...models.webhook_answer import WebhookAnswer
from ...types import Response


def _get_kwargs(
    platform: str,
    connector_key: str,
    *,
    body: ReceiveWebhookApiV1ConnectorsPlatformConnectorKeyPostBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/connectors/{platform}/{connector_key}".format(
            platform=quote(str(platform), safe=""),
            connector_key=quote(str(connector_key), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | WebhookAnswer | None:
    if response.status_code == 200:
        response_200 = WebhookAnswer.from_dict(response.json())

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
) -> Response[Problem | WebhookAnswer]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    platform: str,
    connector_key: str,
    *,
    client: AuthenticatedClient | Client,
    body: ReceiveWebhookApiV1ConnectorsPlatformConnectorKeyPostBody,
) -> Response[Problem | WebhookAnswer]:
    """Receive a platform's webhook

     No API key: the platform's signature over the raw body authenticates the call
    (Shopify `X-Shopify-Hmac-Sha256`, WooCommerce `X-WC-Webhook-Signature`, Saleor
    `Saleor-Signature`). A topic the adapter does not map is acknowledged and `ignored`;
    a mapped one becomes Loyalist events, ingested as `POST /api/v1/events` ingests them —
    idempotent on ids derived from the platform's own, so a redelivery is `replayed`.

    Args:
        platform (str): shopify, woocommerce or saleor
        connector_key (str): the connector's key (in its URL)
        body (ReceiveWebhookApiV1ConnectorsPlatformConnectorKeyPostBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookAnswer]
    """

    kwargs = _get_kwargs(
        platform=platform,
        connector_key=connector_key,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    platform: str,
    connector_key: str,
    *,
    client: AuthenticatedClient | Client,
    body: ReceiveWebhookApiV1ConnectorsPlatformConnectorKeyPostBody,
) -> Problem | WebhookAnswer | None:
    """Receive a platform's webhook

     No API key: the platform's signature over the raw body authenticates the call
    (Shopify `X-Shopify-Hmac-Sha256`, WooCommerce `X-WC-Webhook-Signature`, Saleor
    `Saleor-Signature`). A topic the adapter does not map is acknowledged and `ignored`;
    a mapped one becomes Loyalist events, ingested as `POST /api/v1/events` ingests them —
    idempotent on ids derived from the platform's own, so a redelivery is `replayed`.

    Args:
        platform (str): shopify, woocommerce or saleor
        connector_key (str): the connector's key (in its URL)
        body (ReceiveWebhookApiV1ConnectorsPlatformConnectorKeyPostBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookAnswer
    """

    return sync_detailed(
        platform=platform,
        connector_key=connector_key,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    platform: str,
    connector_key: str,
    *,
    client: AuthenticatedClient | Client,
    body: ReceiveWebhookApiV1ConnectorsPlatformConnectorKeyPostBody,
) -> Response[Problem | WebhookAnswer]:
    """Receive a platform's webhook

     No API key: the platform's signature over the raw body authenticates the call
    (Shopify `X-Shopify-Hmac-Sha256`, WooCommerce `X-WC-Webhook-Signature`, Saleor
    `Saleor-Signature`). A topic the adapter does not map is acknowledged and `ignored`;
    a mapped one becomes Loyalist events, ingested as `POST /api/v1/events` ingests them —
    idempotent on ids derived from the platform's own, so a redelivery is `replayed`.

    Args:
        platform (str): shopify, woocommerce or saleor
        connector_key (str): the connector's key (in its URL)
        body (ReceiveWebhookApiV1ConnectorsPlatformConnectorKeyPostBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookAnswer]
    """

    kwargs = _get_kwargs(
        platform=platform,
        connector_key=connector_key,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    platform: str,
    connector_key: str,
    *,
    client: AuthenticatedClient | Client,
    body: ReceiveWebhookApiV1ConnectorsPlatformConnectorKeyPostBody,
) -> Problem | WebhookAnswer | None:
    """Receive a platform's webhook

     No API key: the platform's signature over the raw body authenticates the call
    (Shopify `X-Shopify-Hmac-Sha256`, WooCommerce `X-WC-Webhook-Signature`, Saleor
    `Saleor-Signature`). A topic the adapter does not map is acknowledged and `ignored`;
    a mapped one becomes Loyalist events, ingested as `POST /api/v1/events` ingests them —
    idempotent on ids derived from the platform's own, so a redelivery is `replayed`.

    Args:
        platform (str): shopify, woocommerce or saleor
        connector_key (str): the connector's key (in its URL)
        body (ReceiveWebhookApiV1ConnectorsPlatformConnectorKeyPostBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookAnswer
    """

    return (
        await asyncio_detailed(
            platform=platform,
            connector_key=connector_key,
            client=client,
            body=body,
        )
    ).parsed
