from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    token: str,
    *,
    score: int | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_score: int | None | Unset
    if isinstance(score, Unset):
        json_score = UNSET
    else:
        json_score = score
    params["score"] = json_score

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/surveys/{token}".format(
            token=quote(str(token), safe=""),
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
    token: str,
    *,
    client: AuthenticatedClient | Client,
    score: int | None | Unset = UNSET,
) -> Response[Problem | str]:
    """Survey Page

     The NPS question of a survey link (English or Russian, by the member's language): a
    0–10 form, the score of the email's link chosen. A GET never records an answer (link
    scanners and previews open links); an answered survey shows the thanks.

    Args:
        token (str): opaque
        score (int | None | Unset): the score the email's link was

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        token=token,
        score=score,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    token: str,
    *,
    client: AuthenticatedClient | Client,
    score: int | None | Unset = UNSET,
) -> Problem | str | None:
    """Survey Page

     The NPS question of a survey link (English or Russian, by the member's language): a
    0–10 form, the score of the email's link chosen. A GET never records an answer (link
    scanners and previews open links); an answered survey shows the thanks.

    Args:
        token (str): opaque
        score (int | None | Unset): the score the email's link was

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return sync_detailed(
        token=token,
        client=client,
        score=score,
    ).parsed


async def asyncio_detailed(
    token: str,
    *,
    client: AuthenticatedClient | Client,
    score: int | None | Unset = UNSET,
) -> Response[Problem | str]:
    """Survey Page

     The NPS question of a survey link (English or Russian, by the member's language): a
    0–10 form, the score of the email's link chosen. A GET never records an answer (link
    scanners and previews open links); an answered survey shows the thanks.

    Args:
        token (str): opaque
        score (int | None | Unset): the score the email's link was

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        token=token,
        score=score,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    token: str,
    *,
    client: AuthenticatedClient | Client,
    score: int | None | Unset = UNSET,
) -> Problem | str | None:
    """Survey Page

     The NPS question of a survey link (English or Russian, by the member's language): a
    0–10 form, the score of the email's link chosen. A GET never records an answer (link
    scanners and previews open links); an answered survey shows the thanks.

    Args:
        token (str): opaque
        score (int | None | Unset): the score the email's link was

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return (
        await asyncio_detailed(
            token=token,
            client=client,
            score=score,
        )
    ).parsed
