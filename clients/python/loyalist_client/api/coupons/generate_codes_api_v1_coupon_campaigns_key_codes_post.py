from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.batch_read import BatchRead
from ...models.generate_in import GenerateIn
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    key: str,
    *,
    body: GenerateIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/coupon-campaigns/{key}/codes".format(
            key=quote(str(key), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> BatchRead | Problem | None:
    if response.status_code == 200:
        response_200 = BatchRead.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = BatchRead.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[BatchRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    key: str,
    *,
    client: AuthenticatedClient | Client,
    body: GenerateIn,
) -> Response[BatchRead | Problem]:
    """Generate Codes

     Generate ``count`` unique codes for a campaign with unique codes, and answer when
    they are all stored (a million takes seconds: keep the client's timeout generous).

    ``request_key`` names the batch: the same body again answers 200 with the batch, adding
    nothing; after a dropped connection it resumes the batch where it stopped. Codes are
    valid only once the batch is ``ready``.

    Args:
        key (str):
        body (GenerateIn): Generate ``count`` unique codes; the same ``request_key`` again
            resumes, never doubles.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchRead | Problem]
    """

    kwargs = _get_kwargs(
        key=key,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    key: str,
    *,
    client: AuthenticatedClient | Client,
    body: GenerateIn,
) -> BatchRead | Problem | None:
    """Generate Codes

     Generate ``count`` unique codes for a campaign with unique codes, and answer when
    they are all stored (a million takes seconds: keep the client's timeout generous).

    ``request_key`` names the batch: the same body again answers 200 with the batch, adding
    nothing; after a dropped connection it resumes the batch where it stopped. Codes are
    valid only once the batch is ``ready``.

    Args:
        key (str):
        body (GenerateIn): Generate ``count`` unique codes; the same ``request_key`` again
            resumes, never doubles.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchRead | Problem
    """

    return sync_detailed(
        key=key,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    key: str,
    *,
    client: AuthenticatedClient | Client,
    body: GenerateIn,
) -> Response[BatchRead | Problem]:
    """Generate Codes

     Generate ``count`` unique codes for a campaign with unique codes, and answer when
    they are all stored (a million takes seconds: keep the client's timeout generous).

    ``request_key`` names the batch: the same body again answers 200 with the batch, adding
    nothing; after a dropped connection it resumes the batch where it stopped. Codes are
    valid only once the batch is ``ready``.

    Args:
        key (str):
        body (GenerateIn): Generate ``count`` unique codes; the same ``request_key`` again
            resumes, never doubles.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchRead | Problem]
    """

    kwargs = _get_kwargs(
        key=key,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    key: str,
    *,
    client: AuthenticatedClient | Client,
    body: GenerateIn,
) -> BatchRead | Problem | None:
    """Generate Codes

     Generate ``count`` unique codes for a campaign with unique codes, and answer when
    they are all stored (a million takes seconds: keep the client's timeout generous).

    ``request_key`` names the batch: the same body again answers 200 with the batch, adding
    nothing; after a dropped connection it resumes the batch where it stopped. Codes are
    valid only once the batch is ``ready``.

    Args:
        key (str):
        body (GenerateIn): Generate ``count`` unique codes; the same ``request_key`` again
            resumes, never doubles.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchRead | Problem
    """

    return (
        await asyncio_detailed(
            key=key,
            client=client,
            body=body,
        )
    ).parsed
