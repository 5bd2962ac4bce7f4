from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.template_in import TemplateIn
from ...models.template_version_read import TemplateVersionRead
from ...types import Response


def _get_kwargs(
    key: str,
    locale: str,
    *,
    body: TemplateIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/templates/{key}/{locale}".format(
            key=quote(str(key), safe=""),
            locale=quote(str(locale), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TemplateVersionRead | None:
    if response.status_code == 200:
        response_200 = TemplateVersionRead.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = TemplateVersionRead.from_dict(response.json())

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
) -> Response[Problem | TemplateVersionRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    key: str,
    locale: str,
    *,
    client: AuthenticatedClient | Client,
    body: TemplateIn,
) -> Response[Problem | TemplateVersionRead]:
    """Put Template

     Store a new version of a template in a locale, live for messages queued from now
    on. It must have exactly the template's parts, compile in the sandbox and render the
    template's sample data (a variable the template's context has not: 422 pointing at
    the part). The same content as the live version again: 200, no version.

    Args:
        key (str): the template's key: welcome, order_confirmation, shipped, delivered,
            post_purchase_tips, review_request, nps_survey, points_matured, points_expiring,
            balance_statement, tier_upgrade, tier_downgrade_warning, membership_renewal,
            reward_issued, referral_converted, referral_friend_welcome, birthday, win_back,
            packing_note
        locale (str): en or ru
        body (TemplateIn): A template's source in one locale: each part the template has (the
            others absent).
            Email templates have ``subject``, ``text`` and ``html``; a few also ``short`` (SMS and
            push); the packing note only ``html``.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TemplateVersionRead]
    """

    kwargs = _get_kwargs(
        key=key,
        locale=locale,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    key: str,
    locale: str,
    *,
    client: AuthenticatedClient | Client,
    body: TemplateIn,
) -> Problem | TemplateVersionRead | None:
    """Put Template

     Store a new version of a template in a locale, live for messages queued from now
    on. It must have exactly the template's parts, compile in the sandbox and render the
    template's sample data (a variable the template's context has not: 422 pointing at
    the part). The same content as the live version again: 200, no version.

    Args:
        key (str): the template's key: welcome, order_confirmation, shipped, delivered,
            post_purchase_tips, review_request, nps_survey, points_matured, points_expiring,
            balance_statement, tier_upgrade, tier_downgrade_warning, membership_renewal,
            reward_issued, referral_converted, referral_friend_welcome, birthday, win_back,
            packing_note
        locale (str): en or ru
        body (TemplateIn): A template's source in one locale: each part the template has (the
            others absent).
            Email templates have ``subject``, ``text`` and ``html``; a few also ``short`` (SMS and
            push); the packing note only ``html``.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TemplateVersionRead
    """

    return sync_detailed(
        key=key,
        locale=locale,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    key: str,
    locale: str,
    *,
    client: AuthenticatedClient | Client,
    body: TemplateIn,
) -> Response[Problem | TemplateVersionRead]:
    """Put Template

     Store a new version of a template in a locale, live for messages queued from now
    on. It must have exactly the template's parts, compile in the sandbox and render the
    template's sample data (a variable the template's context has not: 422 pointing at
    the part). The same content as the live version again: 200, no version.

    Args:
        key (str): the template's key: welcome, order_confirmation, shipped, delivered,
            post_purchase_tips, review_request, nps_survey, points_matured, points_expiring,
            balance_statement, tier_upgrade, tier_downgrade_warning, membership_renewal,
            reward_issued, referral_converted, referral_friend_welcome, birthday, win_back,
            packing_note
        locale (str): en or ru
        body (TemplateIn): A template's source in one locale: each part the template has (the
            others absent).
            Email templates have ``subject``, ``text`` and ``html``; a few also ``short`` (SMS and
            push); the packing note only ``html``.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TemplateVersionRead]
    """

    kwargs = _get_kwargs(
        key=key,
        locale=locale,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    key: str,
    locale: str,
    *,
    client: AuthenticatedClient | Client,
    body: TemplateIn,
) -> Problem | TemplateVersionRead | None:
    """Put Template

     Store a new version of a template in a locale, live for messages queued from now
    on. It must have exactly the template's parts, compile in the sandbox and render the
    template's sample data (a variable the template's context has not: 422 pointing at
    the part). The same content as the live version again: 200, no version.

    Args:
        key (str): the template's key: welcome, order_confirmation, shipped, delivered,
            post_purchase_tips, review_request, nps_survey, points_matured, points_expiring,
            balance_statement, tier_upgrade, tier_downgrade_warning, membership_renewal,
            reward_issued, referral_converted, referral_friend_welcome, birthday, win_back,
            packing_note
        locale (str): en or ru
        body (TemplateIn): A template's source in one locale: each part the template has (the
            others absent).
            Email templates have ``subject``, ``text`` and ``html``; a few also ``short`` (SMS and
            push); the packing note only ``html``.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TemplateVersionRead
    """

    return (
        await asyncio_detailed(
            key=key,
            locale=locale,
            client=client,
            body=body,
        )
    ).parsed
