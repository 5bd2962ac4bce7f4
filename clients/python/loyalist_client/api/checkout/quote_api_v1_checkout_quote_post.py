from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.quote import Quote
from ...models.quote_in import QuoteIn
from ...types import Response


def _get_kwargs(
    *,
    body: QuoteIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/checkout/quote",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Quote | None:
    if response.status_code == 200:
        response_200 = Quote.from_dict(response.json())

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

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Quote]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: QuoteIn,
) -> Response[Problem | Quote]:
    """Quote

     The cart priced with the typed coupons and the chosen points: discount per line, the
    points range (min, max, step, value), and which of the member's own coupons apply.
    Writes nothing.

    Args:
        body (QuoteIn): Price a cart for a member. ``points`` is the amount the customer chose
            (omit to
            see the allowed range only); ``coupons`` are codes typed in, applied in stacking order.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Quote]
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
    body: QuoteIn,
) -> Problem | Quote | None:
    """Quote

     The cart priced with the typed coupons and the chosen points: discount per line, the
    points range (min, max, step, value), and which of the member's own coupons apply.
    Writes nothing.

    Args:
        body (QuoteIn): Price a cart for a member. ``points`` is the amount the customer chose
            (omit to
            see the allowed range only); ``coupons`` are codes typed in, applied in stacking order.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Quote
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: QuoteIn,
) -> Response[Problem | Quote]:
    """Quote

     The cart priced with the typed coupons and the chosen points: discount per line, the
    points range (min, max, step, value), and which of the member's own coupons apply.
    Writes nothing.

    Args:
        body (QuoteIn): Price a cart for a member. ``points`` is the amount the customer chose
            (omit to
            see the allowed range only); ``coupons`` are codes typed in, applied in stacking order.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Quote]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: QuoteIn,
) -> Problem | Quote | None:
    """Quote

     The cart priced with the typed coupons and the chosen points: discount per line, the
    points range (min, max, step, value), and which of the member's own coupons apply.
    Writes nothing.

    Args:
        body (QuoteIn): Price a cart for a member. ``points`` is the amount the customer chose
            (omit to
            see the allowed range only); ``coupons`` are codes typed in, applied in stacking order.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Quote
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
