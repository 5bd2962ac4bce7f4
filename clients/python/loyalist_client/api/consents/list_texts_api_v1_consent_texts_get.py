from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.consent_text_read import ConsentTextRead
from ...models.locale import Locale
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    purpose: None | str | Unset = UNSET,
    locale: Locale | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_purpose: None | str | Unset
    if isinstance(purpose, Unset):
        json_purpose = UNSET
    else:
        json_purpose = purpose
    params["purpose"] = json_purpose

    json_locale: None | str | Unset
    if isinstance(locale, Unset):
        json_locale = UNSET
    elif isinstance(locale, Locale):
        json_locale = locale.value
    else:
        json_locale = locale
    params["locale"] = json_locale

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/consent-texts",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | list[ConsentTextRead] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = ConsentTextRead.from_dict(response_200_item_data)

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
) -> Response[Problem | list[ConsentTextRead]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    purpose: None | str | Unset = UNSET,
    locale: Locale | None | Unset = UNSET,
) -> Response[Problem | list[ConsentTextRead]]:
    """List Texts

     Every published version of the consent texts (of one purpose, one language), by
    purpose and language, newest version first; each with its SHA-256.

    Args:
        purpose (None | str | Unset):
        locale (Locale | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[ConsentTextRead]]
    """

    kwargs = _get_kwargs(
        purpose=purpose,
        locale=locale,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    purpose: None | str | Unset = UNSET,
    locale: Locale | None | Unset = UNSET,
) -> Problem | list[ConsentTextRead] | None:
    """List Texts

     Every published version of the consent texts (of one purpose, one language), by
    purpose and language, newest version first; each with its SHA-256.

    Args:
        purpose (None | str | Unset):
        locale (Locale | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[ConsentTextRead]
    """

    return sync_detailed(
        client=client,
        purpose=purpose,
        locale=locale,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    purpose: None | str | Unset = UNSET,
    locale: Locale | None | Unset = UNSET,
) -> Response[Problem | list[ConsentTextRead]]:
    """List Texts

     Every published version of the consent texts (of one purpose, one language), by
    purpose and language, newest version first; each with its SHA-256.

    Args:
        purpose (None | str | Unset):
        locale (Locale | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[ConsentTextRead]]
    """

    kwargs = _get_kwargs(
        purpose=purpose,
        locale=locale,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    purpose: None | str | Unset = UNSET,
    locale: Locale | None | Unset = UNSET,
) -> Problem | list[ConsentTextRead] | None:
    """List Texts

     Every published version of the consent texts (of one purpose, one language), by
    purpose and language, newest version first; each with its SHA-256.

    Args:
        purpose (None | str | Unset):
        locale (Locale | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[ConsentTextRead]
    """

    return (
        await asyncio_detailed(
            client=client,
            purpose=purpose,
            locale=locale,
        )
    ).parsed
