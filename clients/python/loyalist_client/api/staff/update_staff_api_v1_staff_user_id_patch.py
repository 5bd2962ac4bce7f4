from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.staff_user_read import StaffUserRead
from ...models.staff_user_update import StaffUserUpdate
from ...types import Response


def _get_kwargs(
    user_id: int,
    *,
    body: StaffUserUpdate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/staff/{user_id}".format(
            user_id=quote(str(user_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | StaffUserRead | None:
    if response.status_code == 200:
        response_200 = StaffUserRead.from_dict(response.json())

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
) -> Response[Problem | StaffUserRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    user_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: StaffUserUpdate,
) -> Response[Problem | StaffUserRead]:
    """Update Staff

     Change roles, name, language or whether the user is active; ``is_active: false``
    ends their sessions at once. The last active owner cannot be disabled or demoted.

    Args:
        user_id (int): the staff user's id
        body (StaffUserUpdate): Only the fields present change; ``is_active: false`` ends the
            user's sessions.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | StaffUserRead]
    """

    kwargs = _get_kwargs(
        user_id=user_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    user_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: StaffUserUpdate,
) -> Problem | StaffUserRead | None:
    """Update Staff

     Change roles, name, language or whether the user is active; ``is_active: false``
    ends their sessions at once. The last active owner cannot be disabled or demoted.

    Args:
        user_id (int): the staff user's id
        body (StaffUserUpdate): Only the fields present change; ``is_active: false`` ends the
            user's sessions.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | StaffUserRead
    """

    return sync_detailed(
        user_id=user_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    user_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: StaffUserUpdate,
) -> Response[Problem | StaffUserRead]:
    """Update Staff

     Change roles, name, language or whether the user is active; ``is_active: false``
    ends their sessions at once. The last active owner cannot be disabled or demoted.

    Args:
        user_id (int): the staff user's id
        body (StaffUserUpdate): Only the fields present change; ``is_active: false`` ends the
            user's sessions.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | StaffUserRead]
    """

    kwargs = _get_kwargs(
        user_id=user_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    user_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: StaffUserUpdate,
) -> Problem | StaffUserRead | None:
    """Update Staff

     Change roles, name, language or whether the user is active; ``is_active: false``
    ends their sessions at once. The last active owner cannot be disabled or demoted.

    Args:
        user_id (int): the staff user's id
        body (StaffUserUpdate): Only the fields present change; ``is_active: false`` ends the
            user's sessions.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | StaffUserRead
    """

    return (
        await asyncio_detailed(
            user_id=user_id,
            client=client,
            body=body,
        )
    ).parsed
