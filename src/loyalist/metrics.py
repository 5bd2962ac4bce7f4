"""The process's Prometheus metrics that the layers count as things happen
(``prometheus-client``): HTTP requests, ingested events, due jobs. What is read when
``/metrics`` is scraped (the SQLite writer, the pools, the outbox, the workers' heartbeat)
is collected by ``loyalist.api.observe``; docs/observability.md lists every metric.

With ``PROMETHEUS_MULTIPROC_DIR`` set before the processes start (several server processes),
prometheus-client keeps these values in files of that folder and ``/metrics`` adds up
every process's."""

from __future__ import annotations

from typing import Final

from prometheus_client import Counter, Histogram

#: Seconds: a balance read takes about a millisecond, an export many seconds.
LATENCY_BUCKETS: Final = (
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
)

REQUESTS: Final = Counter(
    "loyalist_http_requests",
    "HTTP requests answered, by method, route template and status class",
    ("method", "route", "status"),
)
REQUEST_SECONDS: Final = Histogram(
    "loyalist_http_request_duration_seconds",
    "Time from a request's arrival to its last byte sent, by method, route template and "
    "status class",
    ("method", "route", "status"),
    buckets=LATENCY_BUCKETS,
)
INGESTED: Final = Counter(
    "loyalist_ingested_events",
    "Events taken in (replays not counted), by source: api (POST /api/v1/events), "
    "connector (platform webhooks), import (records read from uploaded files)",
    ("source",),
)
JOB_RUNS: Final = Counter("loyalist_job_runs", "Passes of each due job", ("job",))
JOB_FAILURES: Final = Counter(
    "loyalist_job_failures", "Passes of each due job that failed", ("job",)
)
JOB_ITEMS: Final = Counter(
    "loyalist_job_items", "What each due job did (its own unit: points, messages…)", ("job",)
)
