from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.reward_redemption_read import RewardRedemptionRead
from ...types import Response


def _get_kwargs(
    member_id: str,
    key: str,
    *,
    idempotency_key: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/members/{member_id}/rewards/{key}/redemptions".format(
            member_id=quote(str(member_id), safe=""),
            key=quote(str(key), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | RewardRedemptionRead | None:
    if response.status_code == 201:
        response_201 = RewardRedemptionRead.from_dict(response.json())

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
) -> Response[Problem | RewardRedemptionRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    member_id: str,
    key: str,
    *,
    client: AuthenticatedClient | Client,
    idempotency_key: str,
) -> Response[Problem | RewardRedemptionRead]:
    """Redeem Reward

     Spend the reward's points and issue the member its personal coupon, in one
    transaction. 404 ``reward_not_found``; 409 ``insufficient_points``,
    ``reward_out_of_stock``, ``reward_limit_reached``; 422 ``reward_not_eligible``,
    ``reward_not_available``. Replaying an ``Idempotency-Key`` returns the first answer.

    Args:
        member_id (str): the shop's external member id
        key (str): the reward's key: lower-case letters, digits, _ and -, up to 57
        idempotency_key (str): required: one unique value per operation, sent again on every
            retry; replaying it returns the first answer, another body is a 409

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RewardRedemptionRead]
    """

    kwargs = _get_kwargs(
        member_id=member_id,
        key=key,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    member_id: str,
    key: str,
    *,
    client: AuthenticatedClient | Client,
    idempotency_key: str,
) -> Problem | RewardRedemptionRead | None:
    """Redeem Reward

     Spend the reward's points and issue the member its personal coupon, in one
    transaction. 404 ``reward_not_found``; 409 ``insufficient_points``,
    ``reward_out_of_stock``, ``reward_limit_reached``; 422 ``reward_not_eligible``,
    ``reward_not_available``. Replaying an ``Idempotency-Key`` returns the first answer.

    Args:
        member_id (str): the shop's external member id
        key (str): the reward's key: lower-case letters, digits, _ and -, up to 57
        idempotency_key (str): required: one unique value per operation, sent again on every
            retry; replaying it returns the first answer, another body is a 409

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RewardRedemptionRead
    """

    return sync_detailed(
        member_id=member_id,
        key=key,
        client=client,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    member_id: str,
    key: str,
    *,
    client: AuthenticatedClient | Client,
    idempotency_key: str,
) -> Response[Problem | RewardRedemptionRead]:
    """Redeem Reward

     Spend the reward's points and issue the member its personal coupon, in one
    transaction. 404 ``reward_not_found``; 409 ``insufficient_points``,
    ``reward_out_of_stock``, ``reward_limit_reached``; 422 ``reward_not_eligible``,
    ``reward_not_available``. Replaying an ``Idempotency-Key`` returns the first answer.

    Args:
        member_id (str): the shop's external member id
        key (str): the reward's key: lower-case letters, digits, _ and -, up to 57
        idempotency_key (str): required: one unique value per operation, sent again on every
            retry; replaying it returns the first answer, another body is a 409

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RewardRedemptionRead]
    """

    kwargs = _get_kwargs(
        member_id=member_id,
        key=key,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    member_id: str,
    key: str,
    *,
    client: AuthenticatedClient | Client,
    idempotency_key: str,
) -> Problem | RewardRedemptionRead | None:
    """Redeem Reward

     Spend the reward's points and issue the member its personal coupon, in one
    transaction. 404 ``reward_not_found``; 409 ``insufficient_points``,
    ``reward_out_of_stock``, ``reward_limit_reached``; 422 ``reward_not_eligible``,
    ``reward_not_available``. Replaying an ``Idempotency-Key`` returns the first answer.

    Args:
        member_id (str): the shop's external member id
        key (str): the reward's key: lower-case letters, digits, _ and -, up to 57
        idempotency_key (str): required: one unique value per operation, sent again on every
            retry; replaying it returns the first answer, another body is a 409

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RewardRedemptionRead
    """

    return (
        await asyncio_detailed(
            member_id=member_id,
            key=key,
            client=client,
            idempotency_key=idempotency_key,
        )
    ).parsed
