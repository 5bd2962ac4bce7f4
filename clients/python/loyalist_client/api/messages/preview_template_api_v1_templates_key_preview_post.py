from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.preview_in import PreviewIn
from ...models.preview_read import PreviewRead
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    key: str,
    *,
    body: None | PreviewIn | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/templates/{key}/preview".format(
            key=quote(str(key), safe=""),
        ),
    }

    if isinstance(body, PreviewIn):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PreviewRead | Problem | None:
    if response.status_code == 200:
        response_200 = PreviewRead.from_dict(response.json())

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
) -> Response[PreviewRead | Problem]:
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
    body: None | PreviewIn | Unset = UNSET,
) -> Response[PreviewRead | Problem]:
    """Preview Template

     Render a template (subject, text, HTML in the brand layout, short text) in English
    and Russian, nothing sent: with the shipped sample data, a whole context of your own
    (problems point into it: `/context/order/lines/0/quantity`), and/or a member's own
    name, balance, tier and time zone.

    Args:
        key (str): the template's key: welcome, order_confirmation, shipped, delivered,
            post_purchase_tips, review_request, nps_survey, points_matured, points_expiring,
            balance_statement, tier_upgrade, tier_downgrade_warning, membership_renewal,
            reward_issued, referral_converted, referral_friend_welcome, birthday, win_back,
            packing_note
        body (None | PreviewIn | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PreviewRead | Problem]
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
    body: None | PreviewIn | Unset = UNSET,
) -> PreviewRead | Problem | None:
    """Preview Template

     Render a template (subject, text, HTML in the brand layout, short text) in English
    and Russian, nothing sent: with the shipped sample data, a whole context of your own
    (problems point into it: `/context/order/lines/0/quantity`), and/or a member's own
    name, balance, tier and time zone.

    Args:
        key (str): the template's key: welcome, order_confirmation, shipped, delivered,
            post_purchase_tips, review_request, nps_survey, points_matured, points_expiring,
            balance_statement, tier_upgrade, tier_downgrade_warning, membership_renewal,
            reward_issued, referral_converted, referral_friend_welcome, birthday, win_back,
            packing_note
        body (None | PreviewIn | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PreviewRead | Problem
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
    body: None | PreviewIn | Unset = UNSET,
) -> Response[PreviewRead | Problem]:
    """Preview Template

     Render a template (subject, text, HTML in the brand layout, short text) in English
    and Russian, nothing sent: with the shipped sample data, a whole context of your own
    (problems point into it: `/context/order/lines/0/quantity`), and/or a member's own
    name, balance, tier and time zone.

    Args:
        key (str): the template's key: welcome, order_confirmation, shipped, delivered,
            post_purchase_tips, review_request, nps_survey, points_matured, points_expiring,
            balance_statement, tier_upgrade, tier_downgrade_warning, membership_renewal,
            reward_issued, referral_converted, referral_friend_welcome, birthday, win_back,
            packing_note
        body (None | PreviewIn | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PreviewRead | Problem]
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
    body: None | PreviewIn | Unset = UNSET,
) -> PreviewRead | Problem | None:
    """Preview Template

     Render a template (subject, text, HTML in the brand layout, short text) in English
    and Russian, nothing sent: with the shipped sample data, a whole context of your own
    (problems point into it: `/context/order/lines/0/quantity`), and/or a member's own
    name, balance, tier and time zone.

    Args:
        key (str): the template's key: welcome, order_confirmation, shipped, delivered,
            post_purchase_tips, review_request, nps_survey, points_matured, points_expiring,
            balance_statement, tier_upgrade, tier_downgrade_warning, membership_renewal,
            reward_issued, referral_converted, referral_friend_welcome, birthday, win_back,
            packing_note
        body (None | PreviewIn | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PreviewRead | Problem
    """

    return (
        await asyncio_detailed(
            key=key,
            client=client,
            body=body,
        )
    ).parsed
