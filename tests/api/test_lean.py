"""The hot routes answered by ``api.lean`` and their FastAPI twins answer alike: same status,
media type, headers and body, for success and every kind of refusal.

Each case runs twice on the same application: once through the lean layer (``lean``
side), once through FastAPI's own stack (``twin`` side), each side with its own member,
so the two answers differ only in the side's name and the generated ids, which are
masked. The lean layer's hand-off to FastAPI is watched: a case says whether the lean
layer answers it itself or hands it over (every refusal before the endpoint).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

from loyalist.api.app import MAX_BODY_BYTES, create_app
from loyalist.api.lean import HOT, LeanRoutes
from loyalist.bootstrap import Loyalist
from loyalist.staff.models import Scope as KeyScope
from tests.api.conftest import Keys, bearer
from tests.api.connectors_helpers import SECRET, create_connector, signed_headers
from tests.conftest import START, event

CART: dict[str, Any] = {
    "currency": "EUR",
    "lines": [{"sku": "A", "category": "cat", "quantity": 2, "unit_price": 3000}],
}
SIDES = ("lean", "twin")
_GENERATED = re.compile(r"\b(hld|chk)_[0-9a-f]{24}\b")
_ID_KEYS = frozenset({"id", "posting_id", "point_hold_id", "hold_id"})


@dataclass
class Sides:
    """A client per side, and the paths the lean layer handed over to FastAPI."""

    clients: dict[str, TestClient]
    handed_over: list[str] = field(default_factory=list)


@pytest.fixture
def sides(app: Loyalist, keys: Keys) -> Sides:
    api = create_app(app, embedded_worker=False)
    stack = FastAPI.build_middleware_stack(api)  # FastAPI's own stack, without the layer
    found = Sides({})

    async def twin(scope: Scope, receive: Receive, send: Send) -> None:
        scope["app"] = api
        await stack(scope, receive, send)

    async def handed_over(scope: Scope, receive: Receive, send: Send) -> None:
        found.handed_over.append(scope["path"])
        await stack(scope, receive, send)

    layer = LeanRoutes(api, handed_over, MAX_BODY_BYTES)

    async def lean(scope: Scope, receive: Receive, send: Send) -> None:
        scope["app"] = api
        await layer(scope, receive, send)

    found.clients = {"lean": TestClient(lean), "twin": TestClient(twin)}
    admin = bearer(keys.admin)
    twin_client = found.clients["twin"]
    coupon = {
        "name": {"en": "Ten off", "ru": "Минус десять"},
        "discount": {"type": "fixed", "amount": 1000, "currency": "EUR"},
        "code_mode": "generic",
        "code": "TENOFF",
    }
    assert twin_client.put("/api/v1/coupon-campaigns/tenoff", json=coupon, headers=admin).is_success
    for side in SIDES:
        enrolled = twin_client.post(
            "/api/v1/events",
            json=event(f"{side}-enrol", "member.enrolled", f"{side}-1", START),
            headers=admin,
        )
        assert enrolled.status_code == 202, enrolled.text
        given = twin_client.post(
            f"/api/v1/members/{side}-1/points/adjustments",
            json={"points": 5000, "reason": "opening balance"},
            headers=admin | {"Idempotency-Key": f"{side}-opening"},
        )
        assert given.status_code == 201, given.text
    found.handed_over.clear()
    return found


def _masked(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: "<id>" if k in _ID_KEYS else _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    if isinstance(value, str):
        return _GENERATED.sub("<id>", value.replace("twin", "lean"))
    return value


def _answer(response: httpx.Response) -> tuple[int, dict[str, str], Any]:
    headers = {k: v for k, v in response.headers.items() if k != "content-length"}
    try:
        body = _masked(response.json())
    except ValueError:
        body = response.text
    return response.status_code, headers, body


Call = Callable[[TestClient, str], httpx.Response]


def both(sides: Sides, call: Call, *, lean: bool) -> httpx.Response:
    """Run ``call`` on each side; assert the answers match and whether the lean layer
    answered (``lean``) or handed the request over. Returns the lean side's answer."""
    answers = {}
    for side in SIDES:
        sides.handed_over.clear()
        answers[side] = call(sides.clients[side], side)
        if side == "lean":
            assert (not sides.handed_over) is lean, (sides.handed_over, answers[side].text)
    assert _answer(answers["lean"]) == _answer(answers["twin"])
    return answers["lean"]


def post(path: str, body: Any = None, **headers: str) -> Call:
    def call(client: TestClient, side: str) -> httpx.Response:
        content = body if isinstance(body, bytes) else None
        data = None if isinstance(body, bytes) else body
        if isinstance(data, dict | list):
            data = orjson.loads(orjson.dumps(data).replace(b"{side}", side.encode()))
        if content is not None:
            headers.setdefault("Content-Type", "application/json")
        response: httpx.Response = client.post(
            path.format(side=side),
            json=data,
            content=content,
            headers={k.replace("_", "-"): v.format(side=side) for k, v in headers.items()},
        )
        return response

    return call


def get(path: str, **headers: str) -> Call:
    def call(client: TestClient, side: str) -> httpx.Response:
        response: httpx.Response = client.get(
            path.format(side=side),
            headers={k.replace("_", "-"): v for k, v in headers.items()},
        )
        return response

    return call


def auth(keys: Keys, scope: KeyScope | None = None) -> dict[str, str]:
    """The ``Authorization`` header of the admin key, or of a key with only ``scope``."""
    token = keys.admin if scope is None else keys.of(scope)
    return {"Authorization": f"Bearer {token}"}


#: A key with a scope none of the hot routes needs.
OTHER = KeyScope.PROGRAM_READ
#: One refusal of each kind before the endpoint, for a route with a body.
BAD_BODIES: dict[str, bytes] = {
    "malformed": b'{"member_id": ',
    "not an object": b"[1, 2]",
    "invalid field": b'{"member_id": "x", "cart": {"currency": "EUR", "lines": []}}',
    "unknown field": b'{"member_id": "x", "cart": {"currency": "EUR", "lines": []}, "z": 1}',
    "too large": b" " * (MAX_BODY_BYTES + 1),
}


class TestEveryHotRouteIsCovered:
    def test_the_cases_below_drive_every_hot_route(self) -> None:
        assert len(HOT) == 11
        assert {path for _, path in HOT} == {
            "/api/v1/members/{member_id}/points",
            "/api/v1/events",
            "/api/v1/checkout/quote",
            "/api/v1/coupons/validate",
            "/api/v1/coupons/redemptions",
            "/api/v1/checkout/holds",
            "/api/v1/checkout/holds/{checkout_id}/confirm",
            "/api/v1/members/{member_id}/points/redemptions",
            "/api/v1/members/{member_id}/points/holds",
            "/api/v1/points/holds/{hold_id}/confirm",
            "/api/v1/connectors/{platform}/{connector_key}",
        }


class TestCredentials:
    """Missing, malformed, unknown key and a key without the scope, on every hot route."""

    ROUTES = (
        ("GET", "/api/v1/members/{side}-1/points", None),
        ("POST", "/api/v1/events", event("{side}-e", "x.page_view", "{side}-1", START)),
        ("POST", "/api/v1/checkout/quote", {"member_id": "{side}-1", "cart": CART}),
        ("POST", "/api/v1/coupons/validate", {"code": "TENOFF", "cart": CART}),
        ("POST", "/api/v1/coupons/redemptions", {"code": "TENOFF", "cart": CART}),
        ("POST", "/api/v1/checkout/holds", {"member_id": "{side}-1", "cart": CART, "points": 1}),
        ("POST", "/api/v1/checkout/holds/chk_none/confirm", None),
        ("POST", "/api/v1/members/{side}-1/points/redemptions", {"points": 1}),
        ("POST", "/api/v1/members/{side}-1/points/holds", {"points": 1}),
        ("POST", "/api/v1/points/holds/hld_none/confirm", None),
    )

    @pytest.mark.parametrize(("method", "path", "body"), ROUTES)
    @pytest.mark.parametrize("credentials", ["none", "malformed", "unknown", "other scope"])
    def test_refusals_are_the_same(
        self, sides: Sides, keys: Keys, method: str, path: str, body: Any, credentials: str
    ) -> None:
        headers = {
            "none": {},
            "malformed": {"Authorization": "Bearer nope"},
            "unknown": {"Authorization": "Bearer lk_000000000000_" + "x" * 43},
            "other scope": auth(keys, OTHER),
        }[credentials] | {"Idempotency-Key": "k-{side}"}
        call = get(path, **headers) if method == "GET" else post(path, body, **headers)
        answer = both(sides, call, lean=False)
        assert answer.status_code == (403 if credentials == "other scope" else 401)


class TestBalance:
    def test_a_balance_is_the_same(self, sides: Sides, keys: Keys) -> None:
        answer = both(sides, get("/api/v1/members/{side}-1/points", **auth(keys)), lean=True)
        assert answer.json()["available"] == 5000

    def test_an_unknown_member_is_the_same(self, sides: Sides, keys: Keys) -> None:
        call = get("/api/v1/members/{side}-ghost/points", **auth(keys))
        assert both(sides, call, lean=True).json()["code"] == "member_not_found"

    def test_a_too_long_member_id_is_the_same(self, sides: Sides, keys: Keys) -> None:
        call = get("/api/v1/members/" + "m" * 129 + "/points", **auth(keys))
        answer = both(sides, call, lean=False)
        assert [e["pointer"] for e in answer.json()["errors"]] == ["#path/member_id"]

    def test_a_nul_in_the_path_is_the_same(self, sides: Sides, keys: Keys) -> None:
        call = get("/api/v1/members/a%00b/points", **auth(keys))
        assert both(sides, call, lean=False).json()["code"] == "request_invalid"

    def test_a_trailing_slash_goes_to_fastapi(self, sides: Sides, keys: Keys) -> None:
        both(sides, get("/api/v1/members/{side}-1/points/", **auth(keys)), lean=False)

    def test_a_too_large_body_is_the_same(self, sides: Sides, keys: Keys) -> None:
        def call(client: TestClient, side: str) -> httpx.Response:
            response: httpx.Response = client.request(
                "GET",
                f"/api/v1/members/{side}-1/points",
                content=BAD_BODIES["too large"],
                headers=auth(keys),
            )
            return response

        assert both(sides, call, lean=False).status_code == 413


class TestEvents:
    def test_one_event_then_its_replay_are_the_same(self, sides: Sides, keys: Keys) -> None:
        sent = event("{side}-e1", "x.page_view", "{side}-1", START, path="/p")
        first = both(sides, post("/api/v1/events", sent, **auth(keys)), lean=True)
        assert first.status_code == 202
        again = both(sides, post("/api/v1/events", sent, **auth(keys)), lean=True)
        assert again.headers["Idempotent-Replayed"] == "true"

    def test_a_batch_is_the_same(self, sides: Sides, keys: Keys) -> None:
        batch = [
            event("{side}-b1", "x.page_view", "{side}-1", START),
            event("{side}-b2", "x.page_view", "{side}-1", START),
        ]
        answer = both(sides, post("/api/v1/events", batch, **auth(keys)), lean=True)
        assert answer.json()["accepted"] == 2

    def test_an_unknown_member_is_the_same(self, sides: Sides, keys: Keys) -> None:
        sent = event("{side}-e2", "x.page_view", "{side}-ghost", START)
        assert both(sides, post("/api/v1/events", sent, **auth(keys)), lean=True).is_error

    @pytest.mark.parametrize("kind", sorted(BAD_BODIES))
    def test_bad_bodies_are_the_same(self, sides: Sides, keys: Keys, kind: str) -> None:
        # The events route parses its body itself: only the size limit is FastAPI's.
        call = post("/api/v1/events", BAD_BODIES[kind], **auth(keys))
        answer = both(sides, call, lean=kind != "too large")
        assert answer.status_code == (413 if kind == "too large" else 422)

    def test_a_validation_error_points_at_the_field(self, sides: Sides, keys: Keys) -> None:
        sent = event("{side}-e3", "x.page_view", "{side}-1", START) | {"occurred_at": "soon"}
        answer = both(sides, post("/api/v1/events", sent, **auth(keys)), lean=True)
        assert [e["pointer"] for e in answer.json()["errors"]] == ["/occurred_at"]

    def test_a_nul_in_the_body_is_the_same(self, sides: Sides, keys: Keys) -> None:
        sent = event("{side}-e4", "x.page_view", "{side}-1", START, path="a\x00b")
        answer = both(sides, post("/api/v1/events", sent, **auth(keys)), lean=False)
        assert answer.json()["errors"][0]["pointer"] == "/data/path"


class TestReadsWithABody:
    @pytest.mark.parametrize(
        ("path", "body"),
        [
            ("/api/v1/checkout/quote", {"member_id": "{side}-1", "cart": CART, "points": 0}),
            ("/api/v1/checkout/quote", {"member_id": "{side}-1", "cart": CART}),
            ("/api/v1/coupons/validate", {"code": "TENOFF", "member_id": "{side}-1", "cart": CART}),
        ],
    )
    def test_a_success_is_the_same(
        self, sides: Sides, keys: Keys, path: str, body: dict[str, Any]
    ) -> None:
        assert both(sides, post(path, body, **auth(keys)), lean=True).status_code == 200

    @pytest.mark.parametrize(
        ("path", "body", "code"),
        [
            ("/api/v1/checkout/quote", {"member_id": "{side}-x", "cart": CART}, "member_not_found"),
            ("/api/v1/coupons/validate", {"code": "NOPE", "cart": CART}, "coupon_not_found"),
            (
                "/api/v1/checkout/quote",
                {"member_id": "{side}-1", "cart": CART, "points": 10**9},
                "points_out_of_range",
            ),
        ],
    )
    def test_a_refusal_by_the_endpoint_is_the_same(
        self, sides: Sides, keys: Keys, path: str, body: dict[str, Any], code: str
    ) -> None:
        assert both(sides, post(path, body, **auth(keys)), lean=True).json()["code"] == code

    @pytest.mark.parametrize("path", ["/api/v1/checkout/quote", "/api/v1/coupons/validate"])
    @pytest.mark.parametrize("kind", sorted(BAD_BODIES))
    def test_bad_bodies_are_the_same(self, sides: Sides, keys: Keys, path: str, kind: str) -> None:
        answer = both(sides, post(path, BAD_BODIES[kind], **auth(keys)), lean=False)
        assert answer.status_code == (413 if kind == "too large" else 422)

    def test_a_body_without_a_json_media_type_is_the_same(self, sides: Sides, keys: Keys) -> None:
        body = orjson.dumps({"member_id": "lean-1", "cart": CART})
        call = post("/api/v1/checkout/quote", body, **auth(keys) | {"Content-Type": "text/plain"})
        assert both(sides, call, lean=False).status_code == 422

    def test_an_empty_body_is_the_same(self, sides: Sides, keys: Keys) -> None:
        call = post("/api/v1/coupons/validate", b"", **auth(keys))
        assert both(sides, call, lean=False).json()["errors"][0]["pointer"] == ""

    def test_the_validation_pointer_is_the_same(self, sides: Sides, keys: Keys) -> None:
        body = {"member_id": "{side}-1", "cart": CART, "points": -1}
        answer = both(sides, post("/api/v1/checkout/quote", body, **auth(keys)), lean=False)
        assert [e["pointer"] for e in answer.json()["errors"]] == ["/points"]


class TestWrites:
    def test_a_coupon_redemption_and_its_replay_are_the_same(
        self, sides: Sides, keys: Keys
    ) -> None:
        body = {"code": "TENOFF", "member_id": "{side}-1", "order_id": "{side}-o1", "cart": CART}
        call = post("/api/v1/coupons/redemptions", body, **auth(keys), Idempotency_Key="r-{side}")
        assert both(sides, call, lean=True).status_code == 201
        assert both(sides, call, lean=True).headers["Idempotent-Replayed"] == "true"

    def test_a_reused_idempotency_key_is_the_same(self, sides: Sides, keys: Keys) -> None:
        path = "/api/v1/members/{side}-1/points/redemptions"
        first = post(path, {"points": 5}, **auth(keys), Idempotency_Key="p-{side}")
        assert both(sides, first, lean=True).status_code == 201
        other = post(path, {"points": 6}, **auth(keys), Idempotency_Key="p-{side}")
        assert both(sides, other, lean=True).json()["code"] == "idempotency_key_reused"

    def test_a_checkout_hold_its_replay_and_confirm_are_the_same(
        self, sides: Sides, keys: Keys
    ) -> None:
        body = {"member_id": "{side}-1", "cart": CART, "points": 100, "coupons": ["TENOFF"]}
        call = post("/api/v1/checkout/holds", body, **auth(keys), Idempotency_Key="h-{side}")
        assert both(sides, call, lean=True).status_code == 201
        replay = both(sides, call, lean=True)
        assert replay.headers["Idempotent-Replayed"] == "true"
        ids = {
            side: sides.clients[side].post(
                "/api/v1/checkout/holds",
                json={"member_id": f"{side}-1", "cart": CART, "points": 100},
                headers=auth(keys) | {"Idempotency-Key": f"h2-{side}"},
            )
            for side in SIDES
        }
        assert all(r.status_code == 201 for r in ids.values())

        def confirm(body: Any) -> Call:
            def call(client: TestClient, side: str) -> httpx.Response:
                path = f"/api/v1/checkout/holds/{ids[side].json()['id']}/confirm"
                return post(path, body, **auth(keys))(client, side)

            return call

        assert both(sides, confirm({"order_id": "{side}-o9"}), lean=True).status_code == 200
        assert both(sides, confirm(None), lean=True).json()["status"] == "confirmed"
        other = both(sides, confirm({"order_id": "{side}-o8"}), lean=True)
        assert other.json()["code"] == "checkout_order_mismatch"
        assert both(sides, confirm(b"{"), lean=False).status_code == 422

    def test_a_hold_without_an_idempotency_key_is_the_same(self, sides: Sides, keys: Keys) -> None:
        body = {"member_id": "{side}-1", "cart": CART, "points": 100}
        answer = both(sides, post("/api/v1/checkout/holds", body, **auth(keys)), lean=False)
        assert answer.json()["code"] == "idempotency_key_missing"
        assert answer.json()["errors"][0]["pointer"] == "#header/Idempotency-Key"

    def test_a_too_long_idempotency_key_is_the_same(self, sides: Sides, keys: Keys) -> None:
        path = "/api/v1/members/{side}-1/points/redemptions"
        call = post(path, {"points": 5}, **auth(keys), Idempotency_Key="k" * 256)
        assert both(sides, call, lean=False).status_code == 422

    def test_insufficient_points_are_the_same(self, sides: Sides, keys: Keys) -> None:
        path = "/api/v1/members/{side}-1/points/holds"
        call = post(path, {"points": 10**6}, **auth(keys), Idempotency_Key="i-{side}")
        assert both(sides, call, lean=True).json()["code"] == "insufficient_points"

    def test_a_points_hold_and_its_confirm_are_the_same(self, sides: Sides, keys: Keys) -> None:
        path = "/api/v1/members/{side}-1/points/holds"
        call = post(path, {"points": 40}, **auth(keys), Idempotency_Key="ph-{side}")
        assert both(sides, call, lean=True).status_code == 201
        holds = {
            side: sides.clients[side]
            .post(
                path.format(side=side),
                json={"points": 30},
                headers=auth(keys) | {"Idempotency-Key": f"ph2-{side}"},
            )
            .json()["id"]
            for side in SIDES
        }

        def confirm(client: TestClient, side: str) -> httpx.Response:
            return post(
                f"/api/v1/points/holds/{holds[side]}/confirm", {"points": 20}, **auth(keys)
            )(client, side)

        assert both(sides, confirm, lean=True).json()["confirmed_points"] == 20
        unknown = post("/api/v1/points/holds/hld_none/confirm", None, **auth(keys))
        assert both(sides, unknown, lean=True).json()["code"] == "hold_not_found"


class TestWebhooks:
    """The platforms' webhook route: no API key, the signature checked by the endpoint."""

    BODY = b'{"id": 1, "email": "a@example.com"}'

    @pytest.fixture(autouse=True)
    def _connector(self, sides: Sides, keys: Keys) -> None:
        create_connector(sides.clients["twin"], auth(keys), "shopify", key="shop")
        sides.handed_over.clear()

    def test_an_unmapped_topic_is_the_same(self, sides: Sides) -> None:
        headers = signed_headers("shopify", "carts/create", self.BODY, SECRET)
        answer = both(
            sides, post("/api/v1/connectors/shopify/shop", self.BODY, **headers), lean=True
        )
        assert answer.json()["ignored"]

    def test_a_wrong_signature_is_the_same(self, sides: Sides) -> None:
        headers = signed_headers("shopify", "orders/paid", self.BODY, "another secret")
        call = post("/api/v1/connectors/shopify/shop", self.BODY, **headers)
        assert both(sides, call, lean=True).status_code == 401

    def test_an_unknown_connector_or_platform_is_the_same(self, sides: Sides) -> None:
        headers = signed_headers("shopify", "orders/paid", self.BODY, SECRET)
        for path in ("/api/v1/connectors/shopify/other", "/api/v1/connectors/magento/shop"):
            assert both(sides, post(path, self.BODY, **headers), lean=True).status_code == 404

    def test_a_too_long_key_goes_to_fastapi(self, sides: Sides) -> None:
        headers = signed_headers("shopify", "orders/paid", self.BODY, SECRET)
        call = post("/api/v1/connectors/shopify/" + "k" * 65, self.BODY, **headers)
        assert both(sides, call, lean=False).status_code == 422
