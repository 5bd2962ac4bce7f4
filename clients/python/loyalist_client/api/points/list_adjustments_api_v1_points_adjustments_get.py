from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.adjustment_request_read_list import AdjustmentRequestReadList
from ...models.adjustment_state import AdjustmentState
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    state: AdjustmentState | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_state: None | str | Unset
    if isinstance(state, Unset):
        json_state = UNSET
    elif isinstance(state, AdjustmentState):
        json_state = state.value
    else:
        json_state = state
    params["state"] = json_state

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/points/adjustments",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AdjustmentRequestReadList | Problem | None:
    if response.status_code == 200:
        response_200 = AdjustmentRequestReadList.from_dict(response.json())

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
) -> Response[AdjustmentRequestReadList | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    state: AdjustmentState | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[AdjustmentRequestReadList | Problem]:
    """List Adjustments

     Adjustment requests (``state=pending``: those waiting for approval), oldest first.

    Args:
        state (AdjustmentState | None | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AdjustmentRequestReadList | Problem]
    """

    kwargs = _get_kwargs(
        state=state,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    state: AdjustmentState | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> AdjustmentRequestReadList | Problem | None:
    """List Adjustments

     Adjustment requests (``state=pending``: those waiting for approval), oldest first.

    Args:
        state (AdjustmentState | None | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AdjustmentRequestReadList | Problem
    """

    return sync_detailed(
        client=client,
        state=state,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    state: AdjustmentState | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[AdjustmentRequestReadList | Problem]:
    """List Adjustments

     Adjustment requests (``state=pending``: those waiting for approval), oldest first.

    Args:
        state (AdjustmentState | None | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AdjustmentRequestReadList | Problem]
    """

    kwargs = _get_kwargs(
        state=state,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    state: AdjustmentState | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> AdjustmentRequestReadList | Problem | None:
    """List Adjustments

     Adjustment requests (``state=pending``: those waiting for approval), oldest first.

    Args:
        state (AdjustmentState | None | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AdjustmentRequestReadList | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            state=state,
            limit=limit,
        )
    ).parsed
