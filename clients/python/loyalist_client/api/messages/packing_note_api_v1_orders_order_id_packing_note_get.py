from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.packing_note_api_v1_orders_order_id_packing_note_get_format import (
    PackingNoteApiV1OrdersOrderIdPackingNoteGetFormat,
)
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    order_id: str,
    *,
    format_: PackingNoteApiV1OrdersOrderIdPackingNoteGetFormat
    | Unset = PackingNoteApiV1OrdersOrderIdPackingNoteGetFormat.HTML,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/orders/{order_id}/packing-note".format(
            order_id=quote(str(order_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | str | None:
    if response.status_code == 200:
        response_200 = response.text
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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    order_id: str,
    *,
    client: AuthenticatedClient | Client,
    format_: PackingNoteApiV1OrdersOrderIdPackingNoteGetFormat
    | Unset = PackingNoteApiV1OrdersOrderIdPackingNoteGetFormat.HTML,
) -> Response[Problem | str]:
    """Packing Note

     A personalised packing note for the order, in the member's language: their name, a
    thank-you, the points the order earned, their tier progress, one usage tip for what
    they bought and one recommendation (A5, for the warehouse to print and put in the
    parcel).

    Args:
        order_id (str):
        format_ (PackingNoteApiV1OrdersOrderIdPackingNoteGetFormat | Unset): html (a printable
            page) or pdf Default: PackingNoteApiV1OrdersOrderIdPackingNoteGetFormat.HTML.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        order_id=order_id,
        format_=format_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    order_id: str,
    *,
    client: AuthenticatedClient | Client,
    format_: PackingNoteApiV1OrdersOrderIdPackingNoteGetFormat
    | Unset = PackingNoteApiV1OrdersOrderIdPackingNoteGetFormat.HTML,
) -> Problem | str | None:
    """Packing Note

     A personalised packing note for the order, in the member's language: their name, a
    thank-you, the points the order earned, their tier progress, one usage tip for what
    they bought and one recommendation (A5, for the warehouse to print and put in the
    parcel).

    Args:
        order_id (str):
        format_ (PackingNoteApiV1OrdersOrderIdPackingNoteGetFormat | Unset): html (a printable
            page) or pdf Default: PackingNoteApiV1OrdersOrderIdPackingNoteGetFormat.HTML.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return sync_detailed(
        order_id=order_id,
        client=client,
        format_=format_,
    ).parsed


async def asyncio_detailed(
    order_id: str,
    *,
    client: AuthenticatedClient | Client,
    format_: PackingNoteApiV1OrdersOrderIdPackingNoteGetFormat
    | Unset = PackingNoteApiV1OrdersOrderIdPackingNoteGetFormat.HTML,
) -> Response[Problem | str]:
    """Packing Note

     A personalised packing note for the order, in the member's language: their name, a
    thank-you, the points the order earned, their tier progress, one usage tip for what
    they bought and one recommendation (A5, for the warehouse to print and put in the
    parcel).

    Args:
        order_id (str):
        format_ (PackingNoteApiV1OrdersOrderIdPackingNoteGetFormat | Unset): html (a printable
            page) or pdf Default: PackingNoteApiV1OrdersOrderIdPackingNoteGetFormat.HTML.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        order_id=order_id,
        format_=format_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    order_id: str,
    *,
    client: AuthenticatedClient | Client,
    format_: PackingNoteApiV1OrdersOrderIdPackingNoteGetFormat
    | Unset = PackingNoteApiV1OrdersOrderIdPackingNoteGetFormat.HTML,
) -> Problem | str | None:
    """Packing Note

     A personalised packing note for the order, in the member's language: their name, a
    thank-you, the points the order earned, their tier progress, one usage tip for what
    they bought and one recommendation (A5, for the warehouse to print and put in the
    parcel).

    Args:
        order_id (str):
        format_ (PackingNoteApiV1OrdersOrderIdPackingNoteGetFormat | Unset): html (a printable
            page) or pdf Default: PackingNoteApiV1OrdersOrderIdPackingNoteGetFormat.HTML.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return (
        await asyncio_detailed(
            order_id=order_id,
            client=client,
            format_=format_,
        )
    ).parsed
