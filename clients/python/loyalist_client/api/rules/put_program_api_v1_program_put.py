from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.program_applied import ProgramApplied
from ...models.whole_program import WholeProgram
from ...types import Response


def _get_kwargs(
    *,
    body: WholeProgram,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/program",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | ProgramApplied | None:
    if response.status_code == 200:
        response_200 = ProgramApplied.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | ProgramApplied]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: WholeProgram,
) -> Response[Problem | ProgramApplied]:
    """Put Program

     Apply a program file in one transaction; a section left out is left as it is. Rules:
    changed ones get a new version, rules not listed are retired (`rules: []` retires them
    all). Tiers are replaced when given. Journeys given are configured (others keep their
    settings). Templates get a new version where their content differs. Campaigns given are
    created or changed (409 ``campaign_not_editable`` for one that has started sending).
    Nothing changes on error.

    Args:
        body (WholeProgram): ``program.yaml``: rules, tiers, coupon campaigns, rewards, the
            referral program,
            badges, quests, streaks, levels, journeys, templates and campaigns; each section
            optional (left out: left as it is).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProgramApplied]
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
    body: WholeProgram,
) -> Problem | ProgramApplied | None:
    """Put Program

     Apply a program file in one transaction; a section left out is left as it is. Rules:
    changed ones get a new version, rules not listed are retired (`rules: []` retires them
    all). Tiers are replaced when given. Journeys given are configured (others keep their
    settings). Templates get a new version where their content differs. Campaigns given are
    created or changed (409 ``campaign_not_editable`` for one that has started sending).
    Nothing changes on error.

    Args:
        body (WholeProgram): ``program.yaml``: rules, tiers, coupon campaigns, rewards, the
            referral program,
            badges, quests, streaks, levels, journeys, templates and campaigns; each section
            optional (left out: left as it is).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProgramApplied
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: WholeProgram,
) -> Response[Problem | ProgramApplied]:
    """Put Program

     Apply a program file in one transaction; a section left out is left as it is. Rules:
    changed ones get a new version, rules not listed are retired (`rules: []` retires them
    all). Tiers are replaced when given. Journeys given are configured (others keep their
    settings). Templates get a new version where their content differs. Campaigns given are
    created or changed (409 ``campaign_not_editable`` for one that has started sending).
    Nothing changes on error.

    Args:
        body (WholeProgram): ``program.yaml``: rules, tiers, coupon campaigns, rewards, the
            referral program,
            badges, quests, streaks, levels, journeys, templates and campaigns; each section
            optional (left out: left as it is).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProgramApplied]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: WholeProgram,
) -> Problem | ProgramApplied | None:
    """Put Program

     Apply a program file in one transaction; a section left out is left as it is. Rules:
    changed ones get a new version, rules not listed are retired (`rules: []` retires them
    all). Tiers are replaced when given. Journeys given are configured (others keep their
    settings). Templates get a new version where their content differs. Campaigns given are
    created or changed (409 ``campaign_not_editable`` for one that has started sending).
    Nothing changes on error.

    Args:
        body (WholeProgram): ``program.yaml``: rules, tiers, coupon campaigns, rewards, the
            referral program,
            badges, quests, streaks, levels, journeys, templates and campaigns; each section
            optional (left out: left as it is).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProgramApplied
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
