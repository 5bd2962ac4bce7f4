import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.actor_kind import ActorKind
from ...models.audit_page import AuditPage
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    actor_kind: ActorKind | None | Unset = UNSET,
    actor_id: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    member_id: None | str | Unset = UNSET,
    target_type: None | str | Unset = UNSET,
    target_id: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 100,
    before: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_actor_kind: None | str | Unset
    if isinstance(actor_kind, Unset):
        json_actor_kind = UNSET
    elif isinstance(actor_kind, ActorKind):
        json_actor_kind = actor_kind.value
    else:
        json_actor_kind = actor_kind
    params["actor_kind"] = json_actor_kind

    json_actor_id: None | str | Unset
    if isinstance(actor_id, Unset):
        json_actor_id = UNSET
    else:
        json_actor_id = actor_id
    params["actor_id"] = json_actor_id

    json_action: None | str | Unset
    if isinstance(action, Unset):
        json_action = UNSET
    else:
        json_action = action
    params["action"] = json_action

    json_member_id: None | str | Unset
    if isinstance(member_id, Unset):
        json_member_id = UNSET
    else:
        json_member_id = member_id
    params["member_id"] = json_member_id

    json_target_type: None | str | Unset
    if isinstance(target_type, Unset):
        json_target_type = UNSET
    else:
        json_target_type = target_type
    params["target_type"] = json_target_type

    json_target_id: None | str | Unset
    if isinstance(target_id, Unset):
        json_target_id = UNSET
    else:
        json_target_id = target_id
    params["target_id"] = json_target_id

    json_from_: None | str | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    elif isinstance(from_, datetime.datetime):
        json_from_ = from_.isoformat()
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: None | str | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    elif isinstance(to, datetime.datetime):
        json_to = to.isoformat()
    else:
        json_to = to
    params["to"] = json_to

    params["limit"] = limit

    json_before: None | str | Unset
    if isinstance(before, Unset):
        json_before = UNSET
    else:
        json_before = before
    params["before"] = json_before

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/audit",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AuditPage | Problem | None:
    if response.status_code == 200:
        response_200 = AuditPage.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AuditPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    actor_kind: ActorKind | None | Unset = UNSET,
    actor_id: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    member_id: None | str | Unset = UNSET,
    target_type: None | str | Unset = UNSET,
    target_id: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 100,
    before: None | str | Unset = UNSET,
) -> Response[AuditPage | Problem]:
    """List Audit

     Who did what, to which target or member, when and from where (the address cut to
    its network: IPv4 /24, IPv6 /48), newest first; every filter given must match.
    ``member_id`` is the member's id in the shop (404 when no member has it).

    Args:
        actor_kind (ActorKind | None | Unset): staff, api_key, system
        actor_id (None | str | Unset):
        action (None | str | Unset):
        member_id (None | str | Unset): the shop's member id
        target_type (None | str | Unset):
        target_id (None | str | Unset):
        from_ (datetime.datetime | None | Unset): inclusive
        to (datetime.datetime | None | Unset): exclusive
        limit (int | Unset):  Default: 100.
        before (None | str | Unset): next_before of the last page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditPage | Problem]
    """

    kwargs = _get_kwargs(
        actor_kind=actor_kind,
        actor_id=actor_id,
        action=action,
        member_id=member_id,
        target_type=target_type,
        target_id=target_id,
        from_=from_,
        to=to,
        limit=limit,
        before=before,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    actor_kind: ActorKind | None | Unset = UNSET,
    actor_id: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    member_id: None | str | Unset = UNSET,
    target_type: None | str | Unset = UNSET,
    target_id: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 100,
    before: None | str | Unset = UNSET,
) -> AuditPage | Problem | None:
    """List Audit

     Who did what, to which target or member, when and from where (the address cut to
    its network: IPv4 /24, IPv6 /48), newest first; every filter given must match.
    ``member_id`` is the member's id in the shop (404 when no member has it).

    Args:
        actor_kind (ActorKind | None | Unset): staff, api_key, system
        actor_id (None | str | Unset):
        action (None | str | Unset):
        member_id (None | str | Unset): the shop's member id
        target_type (None | str | Unset):
        target_id (None | str | Unset):
        from_ (datetime.datetime | None | Unset): inclusive
        to (datetime.datetime | None | Unset): exclusive
        limit (int | Unset):  Default: 100.
        before (None | str | Unset): next_before of the last page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditPage | Problem
    """

    return sync_detailed(
        client=client,
        actor_kind=actor_kind,
        actor_id=actor_id,
        action=action,
        member_id=member_id,
        target_type=target_type,
        target_id=target_id,
        from_=from_,
        to=to,
        limit=limit,
        before=before,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    actor_kind: ActorKind | None | Unset = UNSET,
    actor_id: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    member_id: None | str | Unset = UNSET,
    target_type: None | str | Unset = UNSET,
    target_id: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 100,
    before: None | str | Unset = UNSET,
) -> Response[AuditPage | Problem]:
    """List Audit

     Who did what, to which target or member, when and from where (the address cut to
    its network: IPv4 /24, IPv6 /48), newest first; every filter given must match.
    ``member_id`` is the member's id in the shop (404 when no member has it).

    Args:
        actor_kind (ActorKind | None | Unset): staff, api_key, system
        actor_id (None | str | Unset):
        action (None | str | Unset):
        member_id (None | str | Unset): the shop's member id
        target_type (None | str | Unset):
        target_id (None | str | Unset):
        from_ (datetime.datetime | None | Unset): inclusive
        to (datetime.datetime | None | Unset): exclusive
        limit (int | Unset):  Default: 100.
        before (None | str | Unset): next_before of the last page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditPage | Problem]
    """

    kwargs = _get_kwargs(
        actor_kind=actor_kind,
        actor_id=actor_id,
        action=action,
        member_id=member_id,
        target_type=target_type,
        target_id=target_id,
        from_=from_,
        to=to,
        limit=limit,
        before=before,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    actor_kind: ActorKind | None | Unset = UNSET,
    actor_id: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    member_id: None | str | Unset = UNSET,
    target_type: None | str | Unset = UNSET,
    target_id: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 100,
    before: None | str | Unset = UNSET,
) -> AuditPage | Problem | None:
    """List Audit

     Who did what, to which target or member, when and from where (the address cut to
    its network: IPv4 /24, IPv6 /48), newest first; every filter given must match.
    ``member_id`` is the member's id in the shop (404 when no member has it).

    Args:
        actor_kind (ActorKind | None | Unset): staff, api_key, system
        actor_id (None | str | Unset):
        action (None | str | Unset):
        member_id (None | str | Unset): the shop's member id
        target_type (None | str | Unset):
        target_id (None | str | Unset):
        from_ (datetime.datetime | None | Unset): inclusive
        to (datetime.datetime | None | Unset): exclusive
        limit (int | Unset):  Default: 100.
        before (None | str | Unset): next_before of the last page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            actor_kind=actor_kind,
            actor_id=actor_id,
            action=action,
            member_id=member_id,
            target_type=target_type,
            target_id=target_id,
            from_=from_,
            to=to,
            limit=limit,
            before=before,
        )
    ).parsed
