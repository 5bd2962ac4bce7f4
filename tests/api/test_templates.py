"""Template previews over HTTP: both locales for the sample data, a given context or a
member's own details; problems with pointers into the context; the OpenAPI example."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.staff.models import Scope
from tests.api.conftest import Keys, assert_problem, bearer
from tests.integration.messaging import enrol

PREVIEW = "/api/v1/templates/{}/preview"
MATURED: dict[str, Any] = {
    "member": {"first_name": "Anna", "points_balance": 1250, "tier": "Gold"},
    "matured_points": 2,
    "portal_url": "https://shop.example/account/points",
}


def _post(client: TestClient, keys: Keys, key: str, body: Any = None) -> Any:
    headers = bearer(keys.of(Scope.MESSAGES_READ))
    if body is None:
        return client.post(PREVIEW.format(key), headers=headers)
    return client.post(PREVIEW.format(key), json=body, headers=headers)


def test_renders_the_sample_data_in_both_locales(client: TestClient, keys: Keys) -> None:
    response = _post(client, keys, "points_expiring")

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["template"], body["member_id"], body["time_zone"]) == (
        "points_expiring",
        None,
        "UTC",
    )
    assert set(body["renderings"]) == {"en", "ru"}
    en, ru = body["renderings"]["en"], body["renderings"]["ru"]
    assert en["subject"]
    assert en["subject"] != ru["subject"]
    assert "Loyalist" in en["html"]  # the brand kit's default shop name
    assert en["short"]  # points_expiring has an SMS/push text
    assert ru["short"]
    assert "#unsubscribe" in en["text"]  # a placeholder: nothing was queued


def test_renders_a_given_context_with_plurals(client: TestClient, keys: Keys) -> None:
    response = _post(client, keys, "points_matured", {"context": MATURED})

    assert response.status_code == 200, response.text
    renderings = response.json()["renderings"]
    assert renderings["en"]["subject"].replace("\u00a0", " ").startswith("2 points are")
    assert "2 балла" in renderings["ru"]["subject"].replace("\u00a0", " ")
    assert "Anna" in renderings["en"]["text"]


def test_a_member_brings_their_name_and_time_zone(
    client: TestClient, keys: Keys, app: Loyalist
) -> None:
    enrol(app, "M1", email="ivan@example.ru", first_name="Иван", timezone="Europe/Moscow")

    response = _post(client, keys, "points_matured", {"member_id": "M1", "context": MATURED})

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["member_id"], body["time_zone"]) == ("M1", "Europe/Moscow")
    assert "Иван" in body["renderings"]["ru"]["text"]
    assert "Anna" not in body["renderings"]["en"]["text"]


def test_a_context_that_does_not_fit_points_into_it(client: TestClient, keys: Keys) -> None:
    bad = {**MATURED, "matured_points": "many"}
    del bad["portal_url"]
    bad["member"] = {"first_name": "Anna", "tier": None}

    response = _post(client, keys, "points_matured", {"context": bad})

    assert_problem(
        response,
        422,
        "template_context_invalid",
        "/context/member/points_balance",
        "/context/matured_points",
        "/context/portal_url",
    )


def test_unknown_templates_members_and_fields_are_problems(client: TestClient, keys: Keys) -> None:
    assert_problem(_post(client, keys, "no_such_thing"), 404, "template_not_found")
    assert_problem(_post(client, keys, "welcome", {"member_id": "nobody"}), 404, "member_not_found")
    assert_problem(
        _post(client, keys, "welcome", {"contxt": {}}), 422, "request_invalid", "/contxt"
    )


def test_the_openapi_document_shows_examples(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/api/v1/templates/{key}/preview"]["post"]
    examples = operation["requestBody"]["content"]["application/json"]["examples"]
    assert examples["member"]["value"] == {"member_id": "cust-1001"}
    assert "matured_points" in examples["context"]["value"]["context"]
