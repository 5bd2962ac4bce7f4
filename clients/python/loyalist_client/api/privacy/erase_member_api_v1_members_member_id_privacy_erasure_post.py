from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.destruction_record_read import DestructionRecordRead
from ...models.erasure_in import ErasureIn
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    member_id: str,
    *,
    body: ErasureIn | None | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/members/{member_id}/privacy/erasure".format(
            member_id=quote(str(member_id), safe=""),
        ),
    }

    if isinstance(body, ErasureIn):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DestructionRecordRead | Problem | None:
    if response.status_code == 200:
        response_200 = DestructionRecordRead.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = DestructionRecordRead.from_dict(response.json())

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
) -> Response[DestructionRecordRead | Problem]:
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
    body: ErasureIn | None | Unset = UNSET,
) -> Response[DestructionRecordRead | Problem]:
    """Erase Member

     Erase the member's personal data, keeping the books exact: profile, devices,
    message contents, stored event data and free text are destroyed, unspent points are
    closed by an `erasure` ledger entry, the member keeps only an opaque id; a destruction
    record (the act) is written and answered (201). Repeating the request answers the same
    record (200). Later events and changes for the member's id are refused
    (`member_erased`); `GET /api/v1/members/{id}` answers `member_not_found`.

    Args:
        member_id (str): the shop's external member id
        body (ErasureIn | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DestructionRecordRead | Problem]
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
    body: ErasureIn | None | Unset = UNSET,
) -> DestructionRecordRead | Problem | None:
    """Erase Member

     Erase the member's personal data, keeping the books exact: profile, devices,
    message contents, stored event data and free text are destroyed, unspent points are
    closed by an `erasure` ledger entry, the member keeps only an opaque id; a destruction
    record (the act) is written and answered (201). Repeating the request answers the same
    record (200). Later events and changes for the member's id are refused
    (`member_erased`); `GET /api/v1/members/{id}` answers `member_not_found`.

    Args:
        member_id (str): the shop's external member id
        body (ErasureIn | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DestructionRecordRead | Problem
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
    body: ErasureIn | None | Unset = UNSET,
) -> Response[DestructionRecordRead | Problem]:
    """Erase Member

     Erase the member's personal data, keeping the books exact: profile, devices,
    message contents, stored event data and free text are destroyed, unspent points are
    closed by an `erasure` ledger entry, the member keeps only an opaque id; a destruction
    record (the act) is written and answered (201). Repeating the request answers the same
    record (200). Later events and changes for the member's id are refused
    (`member_erased`); `GET /api/v1/members/{id}` answers `member_not_found`.

    Args:
        member_id (str): the shop's external member id
        body (ErasureIn | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DestructionRecordRead | Problem]
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
    body: ErasureIn | None | Unset = UNSET,
) -> DestructionRecordRead | Problem | None:
    """Erase Member

     Erase the member's personal data, keeping the books exact: profile, devices,
    message contents, stored event data and free text are destroyed, unspent points are
    closed by an `erasure` ledger entry, the member keeps only an opaque id; a destruction
    record (the act) is written and answered (201). Repeating the request answers the same
    record (200). Later events and changes for the member's id are refused
    (`member_erased`); `GET /api/v1/members/{id}` answers `member_not_found`.

    Args:
        member_id (str): the shop's external member id
        body (ErasureIn | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DestructionRecordRead | Problem
    """

    return (
        await asyncio_detailed(
            member_id=member_id,
            client=client,
            body=body,
        )
    ).parsed
