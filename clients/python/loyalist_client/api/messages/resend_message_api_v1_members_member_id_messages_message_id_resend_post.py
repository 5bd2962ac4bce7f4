from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.message_read import MessageRead
from ...models.problem import Problem
from ...models.resend_in import ResendIn
from ...types import UNSET, Response, Unset


def _get_kwargs(
    member_id: str,
    message_id: str,
    *,
    body: None | ResendIn | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/members/{member_id}/messages/{message_id}/resend".format(
            member_id=quote(str(member_id), safe=""),
            message_id=quote(str(message_id), safe=""),
        ),
    }

    if isinstance(body, ResendIn):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> MessageRead | Problem | None:
    if response.status_code == 200:
        response_200 = MessageRead.from_dict(response.json())

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
) -> Response[MessageRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    member_id: str,
    message_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: None | ResendIn | Unset = UNSET,
) -> Response[MessageRead | Problem]:
    """Resend Message

     Send a `failed` or `not_configured` message again: the same message (same id, which
    is the email's Message-ID and the webhook-id, so receivers deduplicate) goes back to
    `queued`, with who resent it and why in its history. The send-time check runs again:
    consent, suppression, quiet hours and caps. A `suppressed` or `capped` message is not
    resent (409): that would overrule the member's consent or the program's cap.

    Args:
        member_id (str): the shop's external member id
        message_id (str): the message's id
        body (None | ResendIn | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MessageRead | Problem]
    """

    kwargs = _get_kwargs(
        member_id=member_id,
        message_id=message_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    member_id: str,
    message_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: None | ResendIn | Unset = UNSET,
) -> MessageRead | Problem | None:
    """Resend Message

     Send a `failed` or `not_configured` message again: the same message (same id, which
    is the email's Message-ID and the webhook-id, so receivers deduplicate) goes back to
    `queued`, with who resent it and why in its history. The send-time check runs again:
    consent, suppression, quiet hours and caps. A `suppressed` or `capped` message is not
    resent (409): that would overrule the member's consent or the program's cap.

    Args:
        member_id (str): the shop's external member id
        message_id (str): the message's id
        body (None | ResendIn | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MessageRead | Problem
    """

    return sync_detailed(
        member_id=member_id,
        message_id=message_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    member_id: str,
    message_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: None | ResendIn | Unset = UNSET,
) -> Response[MessageRead | Problem]:
    """Resend Message

     Send a `failed` or `not_configured` message again: the same message (same id, which
    is the email's Message-ID and the webhook-id, so receivers deduplicate) goes back to
    `queued`, with who resent it and why in its history. The send-time check runs again:
    consent, suppression, quiet hours and caps. A `suppressed` or `capped` message is not
    resent (409): that would overrule the member's consent or the program's cap.

    Args:
        member_id (str): the shop's external member id
        message_id (str): the message's id
        body (None | ResendIn | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MessageRead | Problem]
    """

    kwargs = _get_kwargs(
        member_id=member_id,
        message_id=message_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    member_id: str,
    message_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: None | ResendIn | Unset = UNSET,
) -> MessageRead | Problem | None:
    """Resend Message

     Send a `failed` or `not_configured` message again: the same message (same id, which
    is the email's Message-ID and the webhook-id, so receivers deduplicate) goes back to
    `queued`, with who resent it and why in its history. The send-time check runs again:
    consent, suppression, quiet hours and caps. A `suppressed` or `capped` message is not
    resent (409): that would overrule the member's consent or the program's cap.

    Args:
        member_id (str): the shop's external member id
        message_id (str): the message's id
        body (None | ResendIn | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MessageRead | Problem
    """

    return (
        await asyncio_detailed(
            member_id=member_id,
            message_id=message_id,
            client=client,
            body=body,
        )
    ).parsed
