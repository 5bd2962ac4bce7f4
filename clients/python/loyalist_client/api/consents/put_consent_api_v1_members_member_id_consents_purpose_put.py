from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.consent_update import ConsentUpdate
from ...models.problem import Problem
from ...models.purpose_consent_read import PurposeConsentRead
from ...types import Response


def _get_kwargs(
    member_id: str,
    purpose: str,
    *,
    body: ConsentUpdate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/members/{member_id}/consents/{purpose}".format(
            member_id=quote(str(member_id), safe=""),
            purpose=quote(str(purpose), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | PurposeConsentRead | None:
    if response.status_code == 200:
        response_200 = PurposeConsentRead.from_dict(response.json())

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
) -> Response[Problem | PurposeConsentRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    member_id: str,
    purpose: str,
    *,
    client: AuthenticatedClient | Client,
    body: ConsentUpdate,
) -> Response[Problem | PurposeConsentRead]:
    """Put Consent

     Grant or withdraw the member's consent for a purpose, with its evidence: ``source``
    (where the member gave it), ``ip`` (the member's address, when the shop knows it),
    ``text`` (the version they were shown; in the member's language unless ``locale`` is
    given). Marketing consent is the purpose named by the channel (``email``, ``sms``,
    ``push``). Saying again what is held records nothing.

    Args:
        member_id (str): the shop's external member id
        purpose (str): processing, email, sms, push, …
        body (ConsentUpdate): A grant or withdrawal with its evidence: where it was given
            (``source``: ``api``,
            ``checkout``, ``portal``…), the member's IP address when known, and the text they saw.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | PurposeConsentRead]
    """

    kwargs = _get_kwargs(
        member_id=member_id,
        purpose=purpose,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    member_id: str,
    purpose: str,
    *,
    client: AuthenticatedClient | Client,
    body: ConsentUpdate,
) -> Problem | PurposeConsentRead | None:
    """Put Consent

     Grant or withdraw the member's consent for a purpose, with its evidence: ``source``
    (where the member gave it), ``ip`` (the member's address, when the shop knows it),
    ``text`` (the version they were shown; in the member's language unless ``locale`` is
    given). Marketing consent is the purpose named by the channel (``email``, ``sms``,
    ``push``). Saying again what is held records nothing.

    Args:
        member_id (str): the shop's external member id
        purpose (str): processing, email, sms, push, …
        body (ConsentUpdate): A grant or withdrawal with its evidence: where it was given
            (``source``: ``api``,
            ``checkout``, ``portal``…), the member's IP address when known, and the text they saw.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | PurposeConsentRead
    """

    return sync_detailed(
        member_id=member_id,
        purpose=purpose,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    member_id: str,
    purpose: str,
    *,
    client: AuthenticatedClient | Client,
    body: ConsentUpdate,
) -> Response[Problem | PurposeConsentRead]:
    """Put Consent

     Grant or withdraw the member's consent for a purpose, with its evidence: ``source``
    (where the member gave it), ``ip`` (the member's address, when the shop knows it),
    ``text`` (the version they were shown; in the member's language unless ``locale`` is
    given). Marketing consent is the purpose named by the channel (``email``, ``sms``,
    ``push``). Saying again what is held records nothing.

    Args:
        member_id (str): the shop's external member id
        purpose (str): processing, email, sms, push, …
        body (ConsentUpdate): A grant or withdrawal with its evidence: where it was given
            (``source``: ``api``,
            ``checkout``, ``portal``…), the member's IP address when known, and the text they saw.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | PurposeConsentRead]
    """

    kwargs = _get_kwargs(
        member_id=member_id,
        purpose=purpose,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    member_id: str,
    purpose: str,
    *,
    client: AuthenticatedClient | Client,
    body: ConsentUpdate,
) -> Problem | PurposeConsentRead | None:
    """Put Consent

     Grant or withdraw the member's consent for a purpose, with its evidence: ``source``
    (where the member gave it), ``ip`` (the member's address, when the shop knows it),
    ``text`` (the version they were shown; in the member's language unless ``locale`` is
    given). Marketing consent is the purpose named by the channel (``email``, ``sms``,
    ``push``). Saying again what is held records nothing.

    Args:
        member_id (str): the shop's external member id
        purpose (str): processing, email, sms, push, …
        body (ConsentUpdate): A grant or withdrawal with its evidence: where it was given
            (``source``: ``api``,
            ``checkout``, ``portal``…), the member's IP address when known, and the text they saw.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | PurposeConsentRead
    """

    return (
        await asyncio_detailed(
            member_id=member_id,
            purpose=purpose,
            client=client,
            body=body,
        )
    ).parsed
