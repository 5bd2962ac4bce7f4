from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.checkout_read import CheckoutRead
from ...models.hold_in import HoldIn
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: HoldIn,
    idempotency_key: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/checkout/holds",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CheckoutRead | Problem | None:
    if response.status_code == 201:
        response_201 = CheckoutRead.from_dict(response.json())

        return response_201

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

    if response.status_code == 428:
        response_428 = Problem.from_dict(response.json())

        return response_428

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CheckoutRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: HoldIn,
    idempotency_key: str,
) -> Response[CheckoutRead | Problem]:
    """Create Hold

     Reserve the chosen points and a use of each coupon until confirmed (here or by the
    order's ``order.paid`` with this ``checkout_id`` or the hold's ``order_id``), released,
    or timed out. The sum of a member's holds never exceeds the balance.

    Args:
        idempotency_key (str): required: one unique value per operation, sent again on every
            retry; replaying it returns the first answer, another body is a 409
        body (HoldIn): Reserve the chosen points and coupons until confirmed, released or timed
            out.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CheckoutRead | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: HoldIn,
    idempotency_key: str,
) -> CheckoutRead | Problem | None:
    """Create Hold

     Reserve the chosen points and a use of each coupon until confirmed (here or by the
    order's ``order.paid`` with this ``checkout_id`` or the hold's ``order_id``), released,
    or timed out. The sum of a member's holds never exceeds the balance.

    Args:
        idempotency_key (str): required: one unique value per operation, sent again on every
            retry; replaying it returns the first answer, another body is a 409
        body (HoldIn): Reserve the chosen points and coupons until confirmed, released or timed
            out.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CheckoutRead | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: HoldIn,
    idempotency_key: str,
) -> Response[CheckoutRead | Problem]:
    """Create Hold

     Reserve the chosen points and a use of each coupon until confirmed (here or by the
    order's ``order.paid`` with this ``checkout_id`` or the hold's ``order_id``), released,
    or timed out. The sum of a member's holds never exceeds the balance.

    Args:
        idempotency_key (str): required: one unique value per operation, sent again on every
            retry; replaying it returns the first answer, another body is a 409
        body (HoldIn): Reserve the chosen points and coupons until confirmed, released or timed
            out.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CheckoutRead | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: HoldIn,
    idempotency_key: str,
) -> CheckoutRead | Problem | None:
    """Create Hold

     Reserve the chosen points and a use of each coupon until confirmed (here or by the
    order's ``order.paid`` with this ``checkout_id`` or the hold's ``order_id``), released,
    or timed out. The sum of a member's holds never exceeds the balance.

    Args:
        idempotency_key (str): required: one unique value per operation, sent again on every
            retry; replaying it returns the first answer, another body is a 409
        body (HoldIn): Reserve the chosen points and coupons until confirmed, released or timed
            out.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CheckoutRead | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
