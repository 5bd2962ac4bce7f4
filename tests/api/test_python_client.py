"""The generated Python client (clients/python, ``loyalist-client``) against a live server on
127.0.0.1: a shop sends an order, reads the member's points, and follows a problem's link."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from loyalist_client import AuthenticatedClient, models
from loyalist_client.api.events import post_events_api_v1_events_post as post_events
from loyalist_client.api.points import get_points_api_v1_members_member_id_points_get as get_points
from loyalist_client.models import Problem

from loyalist.api.app import create_app
from loyalist.bootstrap import Loyalist
from tests.api.conftest import Keys
from tests.conftest import START, event, order_body
from tests.live import serving


@pytest.fixture
def shop(app: Loyalist, keys: Keys) -> Iterator[AuthenticatedClient]:
    """The generated client, with the admin key, on a live server."""
    with (
        serving(create_app(app, embedded_worker=False)) as url,
        AuthenticatedClient(base_url=url, token=keys.admin, timeout=httpx.Timeout(30)) as client,
    ):
        yield client


def _event(wire: dict[str, Any]) -> Any:
    """An event as the client's model: its type's own (``order.paid`` → ``OrderPaidEvent``)
    where the document types each event, else ``CustomEvent`` (``x.<name>``)."""
    name = "".join(part.title() for part in wire["type"].split(".")) + "Event"
    model = getattr(models, name, None) or models.CustomEvent
    return model.from_dict(wire)


def _as_dict(parsed: Any) -> dict[str, Any]:
    """An answer as JSON: a generated model's ``to_dict()``, or the JSON itself where the
    document does not type the answer."""
    body: dict[str, Any] = parsed.to_dict() if hasattr(parsed, "to_dict") else parsed
    return body


def test_a_shop_sends_an_order_and_reads_the_points_through_the_client(
    shop: AuthenticatedClient,
) -> None:
    order = order_body("2001", ("shoe", 2, 5000), ("sock", 1, 1000), shipping=495)
    paid_at = START + timedelta(minutes=3)
    batch = [
        event("2001-placed", "order.placed", "client-M1", START, **order),
        event("2001-paid", "order.paid", "client-M1", paid_at, order_id="2001"),
    ]
    sent = post_events.sync_detailed(client=shop, body=[_event(e) for e in batch])
    assert sent.status_code == 202, sent.content
    again = post_events.sync_detailed(client=shop, body=[_event(e) for e in batch])
    assert again.status_code == 202
    assert again.headers["idempotent-replayed"] == "true"
    assert [r["status"] for r in _as_dict(again.parsed)["results"]] == ["accepted", "accepted"]

    points = get_points.sync_detailed("client-M1", client=shop)
    assert points.status_code == 200, points.content
    balance = _as_dict(points.parsed)
    assert (balance["available"], balance["pending"], balance["lifetime_earned"]) == (0, 110, 110)


def test_a_problem_arrives_typed_and_its_link_explains_it(shop: AuthenticatedClient) -> None:
    answer = get_points.sync_detailed("client-nobody", client=shop)
    assert answer.status_code == 404
    problem = answer.parsed
    assert isinstance(problem, Problem)
    assert problem.code == "member_not_found"
    page = httpx.get(problem.type_)
    assert page.status_code == 200
    assert "<h1>member_not_found</h1>" in page.text
