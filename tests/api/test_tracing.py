"""OpenTelemetry tracing switched on by the settings: spans of a real server's requests
(a hot route too) and of their SQL reach an OTLP/HTTP collector on loopback, under the
configured service name."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.trace.v1.trace_pb2 import Span

from loyalist.api.app import create_app
from loyalist.bootstrap import bootstrap
from loyalist.clock import ManualClock
from loyalist.db.crypto import Keyring
from loyalist.settings import Settings, TracingSettings
from tests.api.conftest import bearer, make_key
from tests.conftest import TEST_KEY
from tests.live import serving


@contextlib.contextmanager
def collector() -> Iterator[tuple[str, list[bytes]]]:
    """An OTLP/HTTP sink on loopback: its base URL and the bodies posted to /v1/traces."""
    bodies: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if self.path == "/v1/traces":
                bodies.append(body)
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", bodies
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def _spans(bodies: list[bytes]) -> list[tuple[str, dict[str, Any], Span]]:
    """``(service name, span attributes, span)`` of every exported span."""
    found = []
    for body in bodies:
        request = ExportTraceServiceRequest.FromString(body)
        for resource_spans in request.resource_spans:
            resource = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    attributes = {a.key: _value(a.value) for a in span.attributes}
                    found.append((resource["service.name"], attributes, span))
    return found


def _value(value: Any) -> Any:
    kind = value.WhichOneof("value")
    return getattr(value, kind) if kind else None


def test_exports_request_and_sql_spans_under_the_service_name(
    db_url: str, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    with collector() as (endpoint, bodies):
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint)
        monkeypatch.setenv("OTEL_BSP_SCHEDULE_DELAY", "50")
        settings = Settings(
            database_url=db_url,
            tracing=TracingSettings(enabled=True, service_name="shop-loyalty"),
        )
        app = bootstrap(settings, clock=clock, keyring=Keyring.from_secrets(TEST_KEY))
        try:
            token = make_key(app, "till", "admin")
            with serving(create_app(app, embedded_worker=False)) as base:
                headers = bearer(token)
                member = httpx.put(f"{base}/api/v1/members/M1", json={}, headers=headers)
                keys = httpx.get(f"{base}/api/v1/api-keys", headers=headers)
                points = httpx.get(f"{base}/api/v1/members/M1/points", headers=headers)
            # Leaving the block shut the application down: its spans are flushed.
        finally:
            app.close()

    assert (member.status_code, keys.status_code, points.status_code) == (201, 200, 200)
    spans = _spans(bodies)
    assert {service for service, _, _ in spans} == {"shop-loyalty"}
    servers = {
        attributes.get("http.route"): span
        for _, attributes, span in spans
        if span.kind == Span.SPAN_KIND_SERVER
    }
    assert {"/api/v1/api-keys", "/api/v1/members/{member_id}/points"} <= servers.keys()
    assert servers["/api/v1/api-keys"].name == "GET /api/v1/api-keys"
    sql = [
        (attributes, span)
        for _, attributes, span in spans
        if attributes.get("db.system") or attributes.get("db.system.name")
    ]
    assert sql, [span.name for _, _, span in spans]
    listing = servers["/api/v1/api-keys"]
    assert any(span.trace_id == listing.trace_id for _, span in sql), "no SQL in its trace"
    assert not any("M1" in span.name for _, _, span in spans)
