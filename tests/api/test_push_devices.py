"""Push devices: registered through the API (token encrypted, never shown again), the worker
sends a push message to the member's newest device the provider serves (FCM at a loopback
sink), a token FCM calls unregistered is forgotten, and devices go with their member."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, select
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist, bootstrap
from loyalist.clock import ManualClock
from loyalist.db.crypto import Keyring
from loyalist.db.uow import UnitOfWork
from loyalist.members.models import Device, Member
from loyalist.messages import service as messages
from loyalist.messages.contexts import TemplateKey
from loyalist.messages.models import MessageChannel, MessageKind
from loyalist.messages.samples import sample_context
from loyalist.settings import MessageSettings, ProgramPolicy, PushProvider, PushSettings, Settings
from loyalist.staff.models import Scope
from tests.api.conftest import Keys, assert_problem, bearer
from tests.conftest import TEST_KEY
from tests.integration.helpers import run_jobs
from tests.integration.messages.sink import Reply, Sink
from tests.integration.messages.test_push_channel import fcm_error
from tests.integration.messaging import BASE_URL, enrol, messages_of, queue

MEMBERS = "/api/v1/members"
PROJECT = "shop-loyalty-b5ae1"
PHONE_A = "bk3RNwTe3H0:CI2k_HHwgIpoDKCIZvvDMExUdFQ3P1"
PHONE_B = "fK9x2Lq8TzE:APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqx"
TABLET = "rs-7c1f0e9a2b3d4c5e6f708192a3b4c5d6"


@pytest.fixture
def app(
    db_url: str, clock: ManualClock, program: ProgramPolicy, http_sink: Sink
) -> Iterator[Loyalist]:
    """Push through FCM HTTP v1 at the sink; no SMTP host."""
    settings = Settings(
        database_url=db_url,
        program=program,
        writer_linger_ms=0.5,
        messages=MessageSettings(base_url=BASE_URL),
        push=PushSettings(
            provider=PushProvider.FCM,
            project_id=PROJECT,
            token="ya29.c.b0Aaek",
            url=http_sink.url(""),
            timeout_seconds=5,
        ),
    )
    loyalist = bootstrap(settings, clock=clock, keyring=Keyring.from_secrets(TEST_KEY))
    yield loyalist
    loyalist.close()


def _register(
    client: TestClient, keys: Keys, member: str, token: str, platform: str = "fcm"
) -> Any:
    return client.post(
        f"{MEMBERS}/{member}/devices",
        json={"token": token, "platform": platform},
        headers=bearer(keys.of(Scope.MEMBERS_WRITE)),
    )


def _devices(client: TestClient, keys: Keys, member: str) -> list[dict[str, Any]]:
    response = client.get(
        f"{MEMBERS}/{member}/devices", headers=bearer(keys.of(Scope.MEMBERS_READ))
    )
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def _push(member_id: int, order: str) -> messages.MessageDraft:
    context = sample_context(TemplateKey.SHIPPED, "en")
    context["order"] = {**context["order"], "number": order}
    return messages.MessageDraft(
        member_id=member_id,
        kind=MessageKind.TRANSACTIONAL,
        channel=MessageChannel.PUSH,
        journey="shipping",
        natural_key=order,
        template_key=TemplateKey.SHIPPED.value,
        locale="en",
        time_zone="UTC",
        context=context,
    )


def test_registering_a_device_again_keeps_it_and_the_token_is_never_shown(
    client: TestClient, keys: Keys, app: Loyalist, clock: ManualClock
) -> None:
    enrol(app, "M1")
    first = _register(client, keys, "M1", PHONE_A)
    assert first.status_code == 201, first.text
    clock.advance(timedelta(minutes=5))
    again = _register(client, keys, "M1", PHONE_A)
    assert again.status_code == 200, again.text
    assert again.json()["id"] == first.json()["id"]
    [listed] = _devices(client, keys, "M1")
    assert listed == {
        "id": first.json()["id"],
        "platform": "fcm",
        "registered_at": again.json()["registered_at"],
    }
    assert PHONE_A not in client.get(f"{MEMBERS}/M1/devices", headers=bearer(keys.admin)).text


def test_bad_devices_and_unknown_members_are_refused(
    client: TestClient, keys: Keys, app: Loyalist
) -> None:
    enrol(app, "M1")
    assert_problem(
        _register(client, keys, "M1", PHONE_A, "apns"), 422, "request_invalid", "/platform"
    )
    assert_problem(_register(client, keys, "M1", "has space"), 422, "request_invalid", "/token")
    assert_problem(_register(client, keys, "NOBODY", PHONE_A), 404, "member_not_found")
    gone = client.delete(
        f"{MEMBERS}/M1/devices/dev_missing", headers=bearer(keys.of(Scope.MEMBERS_WRITE))
    )
    assert_problem(gone, 404, "device_not_found")
    assert _devices(client, keys, "M1") == []


def test_the_worker_pushes_to_the_newest_device_the_provider_serves(
    client: TestClient, keys: Keys, app: Loyalist, clock: ManualClock, http_sink: Sink
) -> None:
    member = enrol(app, "M1")
    _register(client, keys, "M1", PHONE_A)
    clock.advance(timedelta(minutes=1))
    _register(client, keys, "M1", PHONE_B)
    clock.advance(timedelta(minutes=1))
    _register(client, keys, "M1", TABLET, "rustore")  # newest, but FCM cannot reach it
    http_sink.reply(Reply(200, {"name": f"projects/{PROJECT}/messages/0:15004"}))
    [message_id] = queue(app, _push(member, "A-1"))

    run_jobs(app)

    request = http_sink.last
    assert (request.method, request.path) == ("POST", f"/v1/projects/{PROJECT}/messages:send")
    assert request.headers["authorization"] == "Bearer ya29.c.b0Aaek"
    sent = request.json()
    assert isinstance(sent, dict)
    assert sent["message"]["token"] == PHONE_B
    assert "A-1" in sent["message"]["notification"]["body"]
    [message] = messages_of(app, "M1")
    assert (message.id, message.status) == (message_id, "sent")
    assert len(http_sink.received) == 1


def test_a_token_fcm_calls_unregistered_is_forgotten(
    client: TestClient, keys: Keys, app: Loyalist, clock: ManualClock, http_sink: Sink
) -> None:
    member = enrol(app, "M1")
    older = _register(client, keys, "M1", PHONE_A).json()
    clock.advance(timedelta(minutes=1))
    _register(client, keys, "M1", PHONE_B)
    http_sink.reply(
        fcm_error(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED"),
        Reply(200, {"name": f"projects/{PROJECT}/messages/2"}),
    )
    queue(app, _push(member, "A-1"))

    run_jobs(app)

    [failed] = messages_of(app, "M1")
    assert failed.status == "failed"
    assert "UNREGISTERED" in (failed.reason or "")
    assert [d["id"] for d in _devices(client, keys, "M1")] == [older["id"]]

    queue(app, _push(member, "A-2"))  # the next push goes to the device that is left
    run_jobs(app)

    tokens = [r.json()["message"]["token"] for r in http_sink.received]  # type: ignore[index]
    assert tokens == [PHONE_B, PHONE_A]
    assert {m.natural_key: m.status for m in messages_of(app, "M1")} == {
        "A-1": "failed",
        "A-2": "sent",
    }


def test_a_member_without_a_device_has_no_push_address(
    client: TestClient, keys: Keys, app: Loyalist, http_sink: Sink
) -> None:
    enrol(app, "M2")
    member = enrol(app, "M1")
    _register(client, keys, "M2", PHONE_A)
    _register(client, keys, "M1", PHONE_A)  # the app's user changed: the token moves
    assert _devices(client, keys, "M2") == []
    response = client.delete(
        f"{MEMBERS}/M1/devices/{_devices(client, keys, 'M1')[0]['id']}",
        headers=bearer(keys.of(Scope.MEMBERS_WRITE)),
    )
    assert response.status_code == 204, response.text
    queue(app, _push(member, "A-1"))

    run_jobs(app)

    [message] = messages_of(app, "M1")
    assert (message.status, message.reason) == ("failed", "the member has no push address")
    assert http_sink.received == []


def test_devices_go_with_their_member(client: TestClient, keys: Keys, app: Loyalist) -> None:
    enrol(app, "M1")
    enrol(app, "M2")
    _register(client, keys, "M1", PHONE_A)
    _register(client, keys, "M1", TABLET, "rustore")
    _register(client, keys, "M2", PHONE_B)

    def erase(uow: UnitOfWork) -> None:
        uow.session.execute(delete(Member).where(Member.external_id == "M1"))

    app.db.write(erase)

    def left(uow: UnitOfWork) -> int:
        return int(uow.session.scalar(select(func.count()).select_from(Device)) or 0)

    assert app.db.read(left) == 1
    assert len(_devices(client, keys, "M2")) == 1
