from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.timeline_page import TimelinePage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    member_id: str,
    *,
    limit: int | Unset = 50,
    before: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

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
        "url": "/api/v1/members/{member_id}/timeline".format(
            member_id=quote(str(member_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | TimelinePage | None:
    if response.status_code == 200:
        response_200 = TimelinePage.from_dict(response.json())

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
) -> Response[Problem | TimelinePage]:
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
    limit: int | Unset = 50,
    before: None | str | Unset = UNSET,
) -> Response[Problem | TimelinePage]:
    """Get Timeline

     Everything that happened to the member, newest first; page with ``before``.

    Each item has ``id``, ``type``, ``occurred_at``, ``received_at`` and ``data``:

    - activities (``order.paid``, ``review.published``, ``survey.answered``, …) with their
      public event data;
    - ``message``: when it was queued, with its channel, journey, template key, status and
      the reason it was not delivered (its content is under
      ``GET /api/v1/members/{id}/messages``, scope ``messages:read``);
    - ``tier``: a tier move (``from_tier``, ``to_tier``, ``reason``, ``text``);
    - with ``points.read``: ``points`` (a point movement: ``points``, ``text`` explaining it,
      ``reason`` and the ``rule`` — key, version, name — that earned it) and ``reward`` (a
      reward given: ``reward``, ``name``, ``points`` paid, ``status``; its code is under
      ``GET /api/v1/members/{id}/rewards``);
    - with ``checkout.read``: ``coupon`` (a use of a coupon code at checkout: ``campaign``,
      ``name``, ``order_id``, ``discount``, ``currency``, ``status``; not the code).

    At one instant the order is coupon use, message, reward, activity, tier move, point
    movement.
    Clients should ignore types they do not know: more kinds may be added.

    Args:
        member_id (str): the shop's external member id
        limit (int | Unset):  Default: 50.
        before (None | str | Unset): cursor from next_before

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TimelinePage]
    """

    kwargs = _get_kwargs(
        member_id=member_id,
        limit=limit,
        before=before,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    member_id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    before: None | str | Unset = UNSET,
) -> Problem | TimelinePage | None:
    """Get Timeline

     Everything that happened to the member, newest first; page with ``before``.

    Each item has ``id``, ``type``, ``occurred_at``, ``received_at`` and ``data``:

    - activities (``order.paid``, ``review.published``, ``survey.answered``, …) with their
      public event data;
    - ``message``: when it was queued, with its channel, journey, template key, status and
      the reason it was not delivered (its content is under
      ``GET /api/v1/members/{id}/messages``, scope ``messages:read``);
    - ``tier``: a tier move (``from_tier``, ``to_tier``, ``reason``, ``text``);
    - with ``points.read``: ``points`` (a point movement: ``points``, ``text`` explaining it,
      ``reason`` and the ``rule`` — key, version, name — that earned it) and ``reward`` (a
      reward given: ``reward``, ``name``, ``points`` paid, ``status``; its code is under
      ``GET /api/v1/members/{id}/rewards``);
    - with ``checkout.read``: ``coupon`` (a use of a coupon code at checkout: ``campaign``,
      ``name``, ``order_id``, ``discount``, ``currency``, ``status``; not the code).

    At one instant the order is coupon use, message, reward, activity, tier move, point
    movement.
    Clients should ignore types they do not know: more kinds may be added.

    Args:
        member_id (str): the shop's external member id
        limit (int | Unset):  Default: 50.
        before (None | str | Unset): cursor from next_before

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TimelinePage
    """

    return sync_detailed(
        member_id=member_id,
        client=client,
        limit=limit,
        before=before,
    ).parsed


async def asyncio_detailed(
    member_id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    before: None | str | Unset = UNSET,
) -> Response[Problem | TimelinePage]:
    """Get Timeline

     Everything that happened to the member, newest first; page with ``before``.

    Each item has ``id``, ``type``, ``occurred_at``, ``received_at`` and ``data``:

    - activities (``order.paid``, ``review.published``, ``survey.answered``, …) with their
      public event data;
    - ``message``: when it was queued, with its channel, journey, template key, status and
      the reason it was not delivered (its content is under
      ``GET /api/v1/members/{id}/messages``, scope ``messages:read``);
    - ``tier``: a tier move (``from_tier``, ``to_tier``, ``reason``, ``text``);
    - with ``points.read``: ``points`` (a point movement: ``points``, ``text`` explaining it,
      ``reason`` and the ``rule`` — key, version, name — that earned it) and ``reward`` (a
      reward given: ``reward``, ``name``, ``points`` paid, ``status``; its code is under
      ``GET /api/v1/members/{id}/rewards``);
    - with ``checkout.read``: ``coupon`` (a use of a coupon code at checkout: ``campaign``,
      ``name``, ``order_id``, ``discount``, ``currency``, ``status``; not the code).

    At one instant the order is coupon use, message, reward, activity, tier move, point
    movement.
    Clients should ignore types they do not know: more kinds may be added.

    Args:
        member_id (str): the shop's external member id
        limit (int | Unset):  Default: 50.
        before (None | str | Unset): cursor from next_before

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TimelinePage]
    """

    kwargs = _get_kwargs(
        member_id=member_id,
        limit=limit,
        before=before,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    member_id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    before: None | str | Unset = UNSET,
) -> Problem | TimelinePage | None:
    """Get Timeline

     Everything that happened to the member, newest first; page with ``before``.

    Each item has ``id``, ``type``, ``occurred_at``, ``received_at`` and ``data``:

    - activities (``order.paid``, ``review.published``, ``survey.answered``, …) with their
      public event data;
    - ``message``: when it was queued, with its channel, journey, template key, status and
      the reason it was not delivered (its content is under
      ``GET /api/v1/members/{id}/messages``, scope ``messages:read``);
    - ``tier``: a tier move (``from_tier``, ``to_tier``, ``reason``, ``text``);
    - with ``points.read``: ``points`` (a point movement: ``points``, ``text`` explaining it,
      ``reason`` and the ``rule`` — key, version, name — that earned it) and ``reward`` (a
      reward given: ``reward``, ``name``, ``points`` paid, ``status``; its code is under
      ``GET /api/v1/members/{id}/rewards``);
    - with ``checkout.read``: ``coupon`` (a use of a coupon code at checkout: ``campaign``,
      ``name``, ``order_id``, ``discount``, ``currency``, ``status``; not the code).

    At one instant the order is coupon use, message, reward, activity, tier move, point
    movement.
    Clients should ignore types they do not know: more kinds may be added.

    Args:
        member_id (str): the shop's external member id
        limit (int | Unset):  Default: 50.
        before (None | str | Unset): cursor from next_before

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TimelinePage
    """

    return (
        await asyncio_detailed(
            member_id=member_id,
            client=client,
            limit=limit,
            before=before,
        )
    ).parsed
