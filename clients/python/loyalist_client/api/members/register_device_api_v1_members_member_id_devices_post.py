from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.device_in import DeviceIn
from ...models.device_read import DeviceRead
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    member_id: str,
    *,
    body: DeviceIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/members/{member_id}/devices".format(
            member_id=quote(str(member_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> DeviceRead | Problem | None:
    if response.status_code == 200:
        response_200 = DeviceRead.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = DeviceRead.from_dict(response.json())

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
) -> Response[DeviceRead | Problem]:
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
    body: DeviceIn,
) -> Response[DeviceRead | Problem]:
    """Register Device

     Register a device of the member's app for push messages (the token in the body, kept
    encrypted and never shown again). Registering a known token again answers 200 and
    makes it the member's newest device (push goes to the newest one the configured
    provider serves); a token another member registered moves to this member.

    Args:
        member_id (str): the shop's external member id
        body (DeviceIn): A device that takes push messages: the token its push service gave the
            app (FCM's
            registration token, RuStore's push token) and that service.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeviceRead | Problem]
    """

    kwargs = _get_kwargs(
        member_id=member_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    member_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: DeviceIn,
) -> DeviceRead | Problem | None:
    """Register Device

     Register a device of the member's app for push messages (the token in the body, kept
    encrypted and never shown again). Registering a known token again answers 200 and
    makes it the member's newest device (push goes to the newest one the configured
    provider serves); a token another member registered moves to this member.

    Args:
        member_id (str): the shop's external member id
        body (DeviceIn): A device that takes push messages: the token its push service gave the
            app (FCM's
            registration token, RuStore's push token) and that service.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeviceRead | Problem
    """

    return sync_detailed(
        member_id=member_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    member_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: DeviceIn,
) -> Response[DeviceRead | Problem]:
    """Register Device

     Register a device of the member's app for push messages (the token in the body, kept
    encrypted and never shown again). Registering a known token again answers 200 and
    makes it the member's newest device (push goes to the newest one the configured
    provider serves); a token another member registered moves to this member.

    Args:
        member_id (str): the shop's external member id
        body (DeviceIn): A device that takes push messages: the token its push service gave the
            app (FCM's
            registration token, RuStore's push token) and that service.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeviceRead | Problem]
    """

    kwargs = _get_kwargs(
        member_id=member_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    member_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: DeviceIn,
) -> DeviceRead | Problem | None:
    """Register Device

     Register a device of the member's app for push messages (the token in the body, kept
    encrypted and never shown again). Registering a known token again answers 200 and
    makes it the member's newest device (push goes to the newest one the configured
    provider serves); a token another member registered moves to this member.

    Args:
        member_id (str): the shop's external member id
        body (DeviceIn): A device that takes push messages: the token its push service gave the
            app (FCM's
            registration token, RuStore's push token) and that service.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeviceRead | Problem
    """

    return (
        await asyncio_detailed(
            member_id=member_id,
            client=client,
            body=body,
        )
    ).parsed
