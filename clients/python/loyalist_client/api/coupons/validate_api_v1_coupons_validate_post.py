from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.coupon_valid import CouponValid
from ...models.problem import Problem
from ...models.validate_in import ValidateIn
from ...types import Response


def _get_kwargs(
    *,
    body: ValidateIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/coupons/validate",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CouponValid | Problem | None:
    if response.status_code == 200:
        response_200 = CouponValid.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CouponValid | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ValidateIn,
) -> Response[CouponValid | Problem]:
    """Validate

     Price the cart with one code; writes nothing. A code that does not apply is a
    problem whose ``code`` says why (404 ``coupon_not_found``, 409 ``coupon_used_up``, 422
    ``coupon_min_order`` …). Failed attempts are limited per API key and member (429).

    Args:
        body (ValidateIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CouponValid | Problem]
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
    body: ValidateIn,
) -> CouponValid | Problem | None:
    """Validate

     Price the cart with one code; writes nothing. A code that does not apply is a
    problem whose ``code`` says why (404 ``coupon_not_found``, 409 ``coupon_used_up``, 422
    ``coupon_min_order`` …). Failed attempts are limited per API key and member (429).

    Args:
        body (ValidateIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CouponValid | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ValidateIn,
) -> Response[CouponValid | Problem]:
    """Validate

     Price the cart with one code; writes nothing. A code that does not apply is a
    problem whose ``code`` says why (404 ``coupon_not_found``, 409 ``coupon_used_up``, 422
    ``coupon_min_order`` …). Failed attempts are limited per API key and member (429).

    Args:
        body (ValidateIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CouponValid | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ValidateIn,
) -> CouponValid | Problem | None:
    """Validate

     Price the cart with one code; writes nothing. A code that does not apply is a
    problem whose ``code`` says why (404 ``coupon_not_found``, 409 ``coupon_used_up``, 422
    ``coupon_min_order`` …). Failed attempts are limited per API key and member (429).

    Args:
        body (ValidateIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CouponValid | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
