"""OpenTelemetry tracing, when ``LOYALIST_TRACING__ENABLED=true``: a server span per HTTP
request (``opentelemetry-instrumentation-fastapi``, the hot routes of ``api.lean`` too) and
a span per SQL statement run through SQLAlchemy (``opentelemetry-instrumentation-sqlalchemy``),
exported by OTLP over HTTP to the collector the standard ``OTEL_EXPORTER_OTLP_*`` variables
name, under the service name ``LOYALIST_TRACING__SERVICE_NAME``.

Only imported when tracing is on: OpenTelemetry adds to a process's start-up. The tracer
provider is the application's own (not the process's global one), so FastAPI's native
telemetry stays off and two applications of one process (tests) do not share it.
"""

from __future__ import annotations

import types
from collections.abc import Callable

from fastapi import FastAPI
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.types import ASGIApp

from loyalist.bootstrap import Loyalist


def install(api: FastAPI, loyalist: Loyalist) -> Callable[[], None]:
    """Trace ``api``'s requests and ``loyalist``'s SQL; returns what flushes the spans
    still buffered and takes the instrumentation off (at the application's shutdown)."""
    provider = TracerProvider(
        resource=Resource.create({SERVICE_NAME: loyalist.settings.tracing.service_name})
    )
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    # The instrumentation wraps a stack that opens with Starlette's ServerErrorMiddleware
    # (FastAPI's own); ours opens with the edge, so it is handed one wrapped in it, and its
    # span covers the whole stack: the lean routes, the request log and the edge too.
    own = api.build_middleware_stack

    def wrapped(_self: FastAPI) -> ASGIApp:
        return ServerErrorMiddleware(own())

    api.build_middleware_stack = types.MethodType(wrapped, api)  # type: ignore[method-assign]
    FastAPIInstrumentor.instrument_app(api, tracer_provider=provider)
    db = loyalist.db
    engines = {id(e): e for e in (db.write_engine, db.read_engine, db.analysis_engine)}
    sql = SQLAlchemyInstrumentor()
    # Its declared range stops below SQLAlchemy 2.1, whose engine events it uses unchanged
    # (tests/api/test_tracing.py checks the SQL spans arrive).
    sql.instrument(engines=list(engines.values()), tracer_provider=provider, skip_dep_check=True)

    def stop() -> None:
        sql.uninstrument()
        FastAPIInstrumentor.uninstrument_app(api)
        provider.shutdown()

    return stop
