from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.member_page import MemberPage
from ...models.member_read import MemberRead
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    member_id: None | str | Unset = UNSET,
    email: None | str | Unset = UNSET,
    phone: None | str | Unset = UNSET,
    segment: None | str | Unset = UNSET,
    after: None | str | Unset = UNSET,
    limit: int | Unset = 50,
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

    json_segment: None | str | Unset
    if isinstance(segment, Unset):
        json_segment = UNSET
    else:
        json_segment = segment
    params["segment"] = json_segment

    json_after: None | str | Unset
    if isinstance(after, Unset):
        json_after = UNSET
    else:
        json_after = after
    params["after"] = json_after

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/members",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | list[MemberRead] | MemberPage | None:
    if response.status_code == 200:

        def _parse_response_200(data: object) -> list[MemberRead] | MemberPage:
            try:
                if not isinstance(data, list):
                    raise TypeError()
                response_200_type_0 = []
                _response_200_type_0 = data
                for response_200_type_0_item_data in _response_200_type_0:
                    response_200_type_0_item = MemberRead.from_dict(response_200_type_0_item_data)

                    response_200_type_0.append(response_200_type_0_item)

                return response_200_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_200_type_1 = MemberPage.from_dict(data)

            return response_200_type_1

        response_200 = _parse_response_200(response.json())

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
) -> Response[Problem | list[MemberRead] | MemberPage]:
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
    segment: None | str | Unset = UNSET,
    after: None | str | Unset = UNSET,
    limit: int | Unset = 50,
) -> Response[Problem | list[MemberRead] | MemberPage]:
    """Find Members

     Exact lookup by the shop's member id, an e-mail address or a phone number (these two
    through the blind index: no plaintext is searched, part of a value finds nothing), or
    with ``segment`` a page of the members holding that segment (``member.segments``: the
    shop's and the RFM ones the daily scores set, e.g. ``at_risk``), by member id: pass
    ``next_after`` as ``after`` for the next page. The members are masked for callers
    without ``members.read_pii``. 422 ``lookup_invalid`` for none or several of the four,
    or an e-mail address or phone number that is none.

    Args:
        member_id (None | str | Unset): the shop's member id, exactly
        email (None | str | Unset): an e-mail address, exactly
        phone (None | str | Unset): a phone number, exactly
        segment (None | str | Unset): list the members holding this segment (e.g. `at_risk`), a
            page at a time
        after (None | str | Unset): with `segment`: `next_after` of the last page
        limit (int | Unset): with `segment`: page size Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[MemberRead] | MemberPage]
    """

    kwargs = _get_kwargs(
        member_id=member_id,
        email=email,
        phone=phone,
        segment=segment,
        after=after,
        limit=limit,
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
    segment: None | str | Unset = UNSET,
    after: None | str | Unset = UNSET,
    limit: int | Unset = 50,
) -> Problem | list[MemberRead] | MemberPage | None:
    """Find Members

     Exact lookup by the shop's member id, an e-mail address or a phone number (these two
    through the blind index: no plaintext is searched, part of a value finds nothing), or
    with ``segment`` a page of the members holding that segment (``member.segments``: the
    shop's and the RFM ones the daily scores set, e.g. ``at_risk``), by member id: pass
    ``next_after`` as ``after`` for the next page. The members are masked for callers
    without ``members.read_pii``. 422 ``lookup_invalid`` for none or several of the four,
    or an e-mail address or phone number that is none.

    Args:
        member_id (None | str | Unset): the shop's member id, exactly
        email (None | str | Unset): an e-mail address, exactly
        phone (None | str | Unset): a phone number, exactly
        segment (None | str | Unset): list the members holding this segment (e.g. `at_risk`), a
            page at a time
        after (None | str | Unset): with `segment`: `next_after` of the last page
        limit (int | Unset): with `segment`: page size Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[MemberRead] | MemberPage
    """

    return sync_detailed(
        client=client,
        member_id=member_id,
        email=email,
        phone=phone,
        segment=segment,
        after=after,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    member_id: None | str | Unset = UNSET,
    email: None | str | Unset = UNSET,
    phone: None | str | Unset = UNSET,
    segment: None | str | Unset = UNSET,
    after: None | str | Unset = UNSET,
    limit: int | Unset = 50,
) -> Response[Problem | list[MemberRead] | MemberPage]:
    """Find Members

     Exact lookup by the shop's member id, an e-mail address or a phone number (these two
    through the blind index: no plaintext is searched, part of a value finds nothing), or
    with ``segment`` a page of the members holding that segment (``member.segments``: the
    shop's and the RFM ones the daily scores set, e.g. ``at_risk``), by member id: pass
    ``next_after`` as ``after`` for the next page. The members are masked for callers
    without ``members.read_pii``. 422 ``lookup_invalid`` for none or several of the four,
    or an e-mail address or phone number that is none.

    Args:
        member_id (None | str | Unset): the shop's member id, exactly
        email (None | str | Unset): an e-mail address, exactly
        phone (None | str | Unset): a phone number, exactly
        segment (None | str | Unset): list the members holding this segment (e.g. `at_risk`), a
            page at a time
        after (None | str | Unset): with `segment`: `next_after` of the last page
        limit (int | Unset): with `segment`: page size Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[MemberRead] | MemberPage]
    """

    kwargs = _get_kwargs(
        member_id=member_id,
        email=email,
        phone=phone,
        segment=segment,
        after=after,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    member_id: None | str | Unset = UNSET,
    email: None | str | Unset = UNSET,
    phone: None | str | Unset = UNSET,
    segment: None | str | Unset = UNSET,
    after: None | str | Unset = UNSET,
    limit: int | Unset = 50,
) -> Problem | list[MemberRead] | MemberPage | None:
    """Find Members

     Exact lookup by the shop's member id, an e-mail address or a phone number (these two
    through the blind index: no plaintext is searched, part of a value finds nothing), or
    with ``segment`` a page of the members holding that segment (``member.segments``: the
    shop's and the RFM ones the daily scores set, e.g. ``at_risk``), by member id: pass
    ``next_after`` as ``after`` for the next page. The members are masked for callers
    without ``members.read_pii``. 422 ``lookup_invalid`` for none or several of the four,
    or an e-mail address or phone number that is none.

    Args:
        member_id (None | str | Unset): the shop's member id, exactly
        email (None | str | Unset): an e-mail address, exactly
        phone (None | str | Unset): a phone number, exactly
        segment (None | str | Unset): list the members holding this segment (e.g. `at_risk`), a
            page at a time
        after (None | str | Unset): with `segment`: `next_after` of the last page
        limit (int | Unset): with `segment`: page size Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[MemberRead] | MemberPage
    """

    return (
        await asyncio_detailed(
            client=client,
            member_id=member_id,
            email=email,
            phone=phone,
            segment=segment,
            after=after,
            limit=limit,
        )
    ).parsed
