from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.coupon_gift import CouponGift
from ...models.coupon_given import CouponGiven
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    member_id: str,
    *,
    body: CouponGift,
    idempotency_key: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/members/{member_id}/coupons".format(
            member_id=quote(str(member_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CouponGiven | Problem | None:
    if response.status_code == 201:
        response_201 = CouponGiven.from_dict(response.json())

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
) -> Response[CouponGiven | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    member_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: CouponGift,
    idempotency_key: str,
) -> Response[CouponGiven | Problem]:
    """Give Coupon

     Give the member a personal code of an active unique-code campaign (a goodwill
    gesture), with a reason: audited as ``coupon.given``. Replaying the Idempotency-Key
    returns the first code. 422 ``campaign_not_unique`` for a shared-code campaign,
    ``coupon_inactive`` for a paused one.

    Args:
        member_id (str): the shop's external member id
        idempotency_key (str): required: one unique value per operation, sent again on every
            retry; replaying it returns the first answer, another body is a 409
        body (CouponGift): Which campaign's personal code to give the member, and why (kept in the
            audit trail).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CouponGiven | Problem]
    """

    kwargs = _get_kwargs(
        member_id=member_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    member_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: CouponGift,
    idempotency_key: str,
) -> CouponGiven | Problem | None:
    """Give Coupon

     Give the member a personal code of an active unique-code campaign (a goodwill
    gesture), with a reason: audited as ``coupon.given``. Replaying the Idempotency-Key
    returns the first code. 422 ``campaign_not_unique`` for a shared-code campaign,
    ``coupon_inactive`` for a paused one.

    Args:
        member_id (str): the shop's external member id
        idempotency_key (str): required: one unique value per operation, sent again on every
            retry; replaying it returns the first answer, another body is a 409
        body (CouponGift): Which campaign's personal code to give the member, and why (kept in the
            audit trail).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CouponGiven | Problem
    """

    return sync_detailed(
        member_id=member_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    member_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: CouponGift,
    idempotency_key: str,
) -> Response[CouponGiven | Problem]:
    """Give Coupon

     Give the member a personal code of an active unique-code campaign (a goodwill
    gesture), with a reason: audited as ``coupon.given``. Replaying the Idempotency-Key
    returns the first code. 422 ``campaign_not_unique`` for a shared-code campaign,
    ``coupon_inactive`` for a paused one.

    Args:
        member_id (str): the shop's external member id
        idempotency_key (str): required: one unique value per operation, sent again on every
            retry; replaying it returns the first answer, another body is a 409
        body (CouponGift): Which campaign's personal code to give the member, and why (kept in the
            audit trail).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CouponGiven | Problem]
    """

    kwargs = _get_kwargs(
        member_id=member_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    member_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: CouponGift,
    idempotency_key: str,
) -> CouponGiven | Problem | None:
    """Give Coupon

     Give the member a personal code of an active unique-code campaign (a goodwill
    gesture), with a reason: audited as ``coupon.given``. Replaying the Idempotency-Key
    returns the first code. 422 ``campaign_not_unique`` for a shared-code campaign,
    ``coupon_inactive`` for a paused one.

    Args:
        member_id (str): the shop's external member id
        idempotency_key (str): required: one unique value per operation, sent again on every
            retry; replaying it returns the first answer, another body is a 409
        body (CouponGift): Which campaign's personal code to give the member, and why (kept in the
            audit trail).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CouponGiven | Problem
    """

    return (
        await asyncio_detailed(
            member_id=member_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
