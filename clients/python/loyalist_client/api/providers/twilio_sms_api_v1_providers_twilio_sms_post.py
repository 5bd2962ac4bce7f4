from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.twilio_sms_api_v1_providers_twilio_sms_post_body import TwilioSmsApiV1ProvidersTwilioSmsPostBody
from ...types import Response


def _get_kwargs(
    *,
    body: TwilioSmsApiV1ProvidersTwilioSmsPostBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/providers/twilio/sms",
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
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
    *,
    client: AuthenticatedClient | Client,
    body: TwilioSmsApiV1ProvidersTwilioSmsPostBody,
) -> Response[Problem | str]:
    """Twilio Sms

     Twilio's inbound SMS webhook (form ``From``, ``Body``, …). A STOP reply (STOP,
    UNSUBSCRIBE, СТОП, …: the whole reply) suppresses SMS to the members with that
    number and withdraws their SMS consent; email is not affected. Answers empty TwiML
    (Twilio itself confirms the opt-out to the sender).

    Args:
        body (TwilioSmsApiV1ProvidersTwilioSmsPostBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: TwilioSmsApiV1ProvidersTwilioSmsPostBody,
) -> Problem | str | None:
    """Twilio Sms

     Twilio's inbound SMS webhook (form ``From``, ``Body``, …). A STOP reply (STOP,
    UNSUBSCRIBE, СТОП, …: the whole reply) suppresses SMS to the members with that
    number and withdraws their SMS consent; email is not affected. Answers empty TwiML
    (Twilio itself confirms the opt-out to the sender).

    Args:
        body (TwilioSmsApiV1ProvidersTwilioSmsPostBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: TwilioSmsApiV1ProvidersTwilioSmsPostBody,
) -> Response[Problem | str]:
    """Twilio Sms

     Twilio's inbound SMS webhook (form ``From``, ``Body``, …). A STOP reply (STOP,
    UNSUBSCRIBE, СТОП, …: the whole reply) suppresses SMS to the members with that
    number and withdraws their SMS consent; email is not affected. Answers empty TwiML
    (Twilio itself confirms the opt-out to the sender).

    Args:
        body (TwilioSmsApiV1ProvidersTwilioSmsPostBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: TwilioSmsApiV1ProvidersTwilioSmsPostBody,
) -> Problem | str | None:
    """Twilio Sms

     Twilio's inbound SMS webhook (form ``From``, ``Body``, …). A STOP reply (STOP,
    UNSUBSCRIBE, СТОП, …: the whole reply) suppresses SMS to the members with that
    number and withdraws their SMS consent; email is not affected. Answers empty TwiML
    (Twilio itself confirms the opt-out to the sender).

    Args:
        body (TwilioSmsApiV1ProvidersTwilioSmsPostBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
