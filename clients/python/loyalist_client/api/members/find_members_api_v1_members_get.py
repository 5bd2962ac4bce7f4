from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.member_read import MemberRead
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    member_id: None | str | Unset = UNSET,
    email: None | str | Unset = UNSET,
    phone: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_member_id: None | str | Unset
    if isinstance(member_id, Unset):
        json_member_id = UNSET
    else:
        json_member_id = member_id
    params["member_id"] = json_member_id

    json_email: None | str | Unset
    if isinstance(email, Unset):
        json_email = UNSET
    else:
        json_email = email
    params["email"] = json_email

    json_phone: None | str | Unset
    if isinstance(phone, Unset):
        json_phone = UNSET
    else:
        json_phone = phone
    params["phone"] = json_phone

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/members",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | list[MemberRead] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = MemberRead.from_dict(response_200_item_data)

            response_200.append(response_200_item)

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | list[MemberRead]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    member_id: None | str | Unset = UNSET,
    email: None | str | Unset = UNSET,
    phone: None | str | Unset = UNSET,
) -> Response[Problem | list[MemberRead]]:
    """Find Members

     Exact lookup by the shop's member id, an e-mail address or a phone number (these two
    through the blind index: no plaintext is searched, part of a value finds nothing); the
    members found are masked for callers without ``members.read_pii``. 422
    ``lookup_invalid`` for none or several of the three, or an e-mail address or phone
    number that is none.

    Args:
        member_id (None | str | Unset): the shop's member id, exactly
        email (None | str | Unset): an e-mail address, exactly
        phone (None | str | Unset): a phone number, exactly

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[MemberRead]]
    """

    kwargs = _get_kwargs(
        member_id=member_id,
        email=email,
        phone=phone,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    member_id: None | str | Unset = UNSET,
    email: None | str | Unset = UNSET,
    phone: None | str | Unset = UNSET,
) -> Problem | list[MemberRead] | None:
    """Find Members

     Exact lookup by the shop's member id, an e-mail address or a phone number (these two
    through the blind index: no plaintext is searched, part of a value finds nothing); the
    members found are masked for callers without ``members.read_pii``. 422
    ``lookup_invalid`` for none or several of the three, or an e-mail address or phone
    number that is none.

    Args:
        member_id (None | str | Unset): the shop's member id, exactly
        email (None | str | Unset): an e-mail address, exactly
        phone (None | str | Unset): a phone number, exactly

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[MemberRead]
    """

    return sync_detailed(
        client=client,
        member_id=member_id,
        email=email,
        phone=phone,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    member_id: None | str | Unset = UNSET,
    email: None | str | Unset = UNSET,
    phone: None | str | Unset = UNSET,
) -> Response[Problem | list[MemberRead]]:
    """Find Members

     Exact lookup by the shop's member id, an e-mail address or a phone number (these two
    through the blind index: no plaintext is searched, part of a value finds nothing); the
    members found are masked for callers without ``members.read_pii``. 422
    ``lookup_invalid`` for none or several of the three, or an e-mail address or phone
    number that is none.

    Args:
        member_id (None | str | Unset): the shop's member id, exactly
        email (None | str | Unset): an e-mail address, exactly
        phone (None | str | Unset): a phone number, exactly

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[MemberRead]]
    """

    kwargs = _get_kwargs(
        member_id=member_id,
        email=email,
        phone=phone,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    member_id: None | str | Unset = UNSET,
    email: None | str | Unset = UNSET,
    phone: None | str | Unset = UNSET,
) -> Problem | list[MemberRead] | None:
    """Find Members

     Exact lookup by the shop's member id, an e-mail address or a phone number (these two
    through the blind index: no plaintext is searched, part of a value finds nothing); the
    members found are masked for callers without ``members.read_pii``. 422
    ``lookup_invalid`` for none or several of the three, or an e-mail address or phone
    number that is none.

    Args:
        member_id (None | str | Unset): the shop's member id, exactly
        email (None | str | Unset): an e-mail address, exactly
        phone (None | str | Unset): a phone number, exactly

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[MemberRead]
    """

    return (
        await asyncio_detailed(
            client=client,
            member_id=member_id,
            email=email,
            phone=phone,
        )
    ).parsed
