"""Every operation of the OpenAPI document, fuzzed in-process by schemathesis: no answer is
a 5xx and every answer matches the schema the document gives for its status.

Bounded and seeded: each operation's own examples from the document, then a few generated
requests (valid and invalid), the same ones on every run (hypothesis ``derandomize``).
schemathesis drives the requests through the ASGI app (``openapi.from_asgi``'s transport);
its pytest plugin (``schema.parametrize``) does not run on this pytest, so the test
parametrizes the operations itself.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from loyalist.api.app import create_app
from loyalist.bootstrap import Loyalist
from tests.api.conftest import _documented, bearer, make_key

#: Generated requests per operation and mode (valid, invalid), besides its examples.
MAX_EXAMPLES = 3
CHECKS = [not_a_server_error, response_schema_conformance]
CONFIG = schemathesis.Config.from_dict({"seed": 19, "generation": {"deterministic": True}})
OPERATIONS = sorted(
    (method.upper(), path)
    for path, operations in _documented()["paths"].items()
    for method in operations
)
BOUNDED = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


_SPEC: dict[str, Any] = {}


def _spec(app: Loyalist) -> dict[str, Any]:
    """The served document (the same for every app and backend): built once per run."""
    if not _SPEC:
        _SPEC.update(create_app(app, embedded_worker=False).openapi())
    return _SPEC


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_answers_no_5xx_and_matches_its_schema(
    app: Loyalist, method: str, path: str
) -> None:
    schema = schemathesis.openapi.from_dict(_spec(app), config=CONFIG)
    schema.app = create_app(app, embedded_worker=False)
    operation = schema[path][method]
    headers = bearer(make_key(app, "schemathesis", "admin"))

    def check(case: schemathesis.Case[Any]) -> None:
        # A fresh key per request on the writes that ask for one: the write runs, no replay.
        extra = {"Idempotency-Key": uuid.uuid4().hex}
        case.call_and_validate(headers=headers | extra, checks=CHECKS)

    for strategy in schema.get_strategies_from_examples(operation):
        _explore(strategy, check)
    _explore(operation.as_strategy(schemathesis.GenerationMode.POSITIVE), check)
    # An operation without inputs has no invalid request to send.
    with contextlib.suppress(Unsatisfiable):
        _explore(operation.as_strategy(schemathesis.GenerationMode.NEGATIVE), check)


def _explore(strategy: Any, check: Any) -> None:
    """Run ``check`` over the bounded, seeded examples of ``strategy``."""

    @BOUNDED
    @given(strategy)
    def run(case: schemathesis.Case[Any]) -> None:
        check(case)

    run()
