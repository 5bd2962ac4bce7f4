"""HTTP API throughput and latency of `loyalist serve`: single events, balance reads, and the
checkout calls (quote, coupon validate and redeem, points hold + confirm), on SQLite or on
PostgreSQL (``--backend postgresql``: a fresh schema on ``--postgres-url``, dropped after).

``--permission-check`` measures instead, in this process, what the permission check adds to
a request: the same route with and without it, interleaved in one run."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import importlib.util
import math
import multiprocessing
import os
import random
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
from array import array
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any, Protocol

if __package__ in (None, ""):  # run as ``python bench/api.py``: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
import orjson
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.common import PG_DEFAULT, Report, Target, number, percentile
from loyalist.db.crypto import new_master_key

HOST = "127.0.0.1"
SCENARIOS = ("events", "balance", "quote", "validate", "redeem", "hold_confirm")
CHECKOUT_SCENARIOS = ("quote", "validate", "redeem", "hold_confirm")
TITLES = {
    "events": "POST /api/v1/events (one x.page_view event per request, unique ids)",
    "balance": "GET /api/v1/members/{id}/points (balance of a random seeded member)",
    "quote": "POST /api/v1/checkout/quote (3-line cart, a 10% coupon, 10 points)",
    "validate": "POST /api/v1/coupons/validate (3-line cart, a 10% generic code)",
    "redeem": "POST /api/v1/coupons/redemptions (a fresh single-use unique code each)",
    "hold_confirm": "POST /api/v1/checkout/holds (10 points) then …/confirm; both timed",
}
EXPECTED_STATUS = {
    "events": 202,
    "balance": 200,
    "quote": 200,
    "validate": 200,
    "redeem": 201,
    "hold_confirm": 201,
}
_P99 = "ms p99"
#: (scenario, connections) -> (throughput target, p99 target); none for other pairs.
TARGETS: dict[tuple[str, int], tuple[Target | None, Target]] = {
    ("events", 8): (Target(2_500, "req/s"), Target(15, _P99, higher_is_better=False)),
    ("events", 64): (Target(2_500, "req/s"), Target(50, _P99, higher_is_better=False)),
    ("balance", 64): (Target(10_000, "req/s"), Target(10, _P99, higher_is_better=False)),
    ("quote", 64): (Target(5_000, "req/s"), Target(10, _P99, higher_is_better=False)),
    ("validate", 64): (Target(5_000, "req/s"), Target(10, _P99, higher_is_better=False)),
    ("redeem", 8): (None, Target(15, _P99, higher_is_better=False)),
    ("hold_confirm", 8): (None, Target(15, _P99, higher_is_better=False)),
}
#: On PostgreSQL (issue 14), with two server processes.
PG_TARGETS: dict[tuple[str, int], tuple[Target | None, Target]] = {
    ("events", 64): (Target(2_000, "req/s"), Target(50, _P99, higher_is_better=False)),
    ("balance", 64): (Target(5_000, "req/s"), Target(50, _P99, higher_is_better=False)),
}


def targets_of(
    backend: str, scenario: str, connections: int
) -> tuple[Target | None, Target] | None:
    return (PG_TARGETS if backend == "postgresql" else TARGETS).get((scenario, connections))


#: The checkout benchmark measures throughput, not the guessing limits: they are lifted.
OPEN_GUARD = {
    "LOYALIST_COUPON_GUARD__FAILURES_PER_KEY": "1000000000/minute",
    "LOYALIST_COUPON_GUARD__FAILURES_PER_MEMBER": "1000000000/minute",
    "LOYALIST_COUPON_GUARD__ATTEMPTS_PER_MEMBER": "1000000000/minute",
}
CART = {
    "currency": "EUR",
    "lines": [
        {"sku": "SKU-1", "category": "Apparel", "quantity": 2, "unit_price": 2500},
        {"sku": "SKU-2", "category": "Shoes", "quantity": 1, "unit_price": 8000},
        {"sku": "SKU-3", "category": "Socks", "quantity": 3, "unit_price": 500},
    ],
    "shipping": 490,
}
GENERIC_CODE = "BENCH10"
MAX_REQUESTS_PER_WORKER = 2_000_000  # a bound on every request loop besides its deadline
REQUEST_TIMEOUT = 10.0
STARTUP_TIMEOUT = 90.0  # several server processes starting on a busy small machine
COMMAND_TIMEOUT = 120.0
JSON_HEADERS = {"Content-Type": "application/json"}
SEED_MEMBERS_PER_BATCH = 100  # three events each: a batch stays under the 1,000 limit


# ----------------------------------------------------------------------------- the server


@dataclass
class Server:
    """A running ``loyalist serve`` on a temporary home and its database."""

    process: subprocess.Popen[bytes]
    base_url: str
    token: str
    log: Path
    database: Database

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def cpu_seconds(self) -> float | None:
        """User + system CPU of the server and its worker processes (all threads) from
        /proc; None elsewhere."""
        stats: dict[int, list[str]] = {}
        for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else []:
            if not entry.name.isdigit():
                continue
            try:
                stats[int(entry.name)] = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
        if self.process.pid not in stats:
            return None
        family = {self.process.pid}
        family |= {pid for pid, fields in stats.items() if int(fields[1]) in family}
        return _cpu_of(stats, family)

    def database_cpu_seconds(self) -> dict[int, float]:
        """CPU of each PostgreSQL backend serving this server (found by application name),
        when PostgreSQL runs on this machine; empty on SQLite (it runs inside the server)."""
        found: dict[int, float] = {}
        for pid in self.database.backend_pids():
            stat = _proc_stat(pid)
            if stat is not None:
                found[pid] = _cpu_of({pid: stat}, {pid})
        return found


def _proc_stat(pid: int) -> list[str] | None:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _database_cores(
    before: dict[int, float], after: dict[int, float], seconds: float
) -> float | None:
    """CPU cores the backends used between two readings (one new since counts in full)."""
    if not after or seconds <= 0:
        return None
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items()) / seconds


def _cpu_of(stats: dict[int, list[str]], pids: set[int]) -> float:
    ticks = sum(int(stats[pid][11]) + int(stats[pid][12]) for pid in pids if pid in stats)
    return ticks / os.sysconf("SC_CLK_TCK")


@dataclass
class Database:
    """Where the server keeps its data: a SQLite file in its home, or a fresh PostgreSQL
    schema (``search_path``) that ``dropped`` removes."""

    backend: str
    url: str
    admin_url: str | None = None
    schema: str | None = None

    @classmethod
    @contextmanager
    def fresh(cls, backend: str, home: Path, postgres_url: str) -> Iterator[Database]:
        if backend == "sqlite":
            yield cls(backend, f"sqlite:///{home / 'loyalist.db'}")
            return
        schema = f"bench_api_{uuid.uuid4().hex[:10]}"
        engine = create_engine(postgres_url)
        try:
            with engine.begin() as conn:
                conn.execute(text(f"CREATE SCHEMA {schema}"))
            url = make_url(postgres_url).update_query_dict(
                {"options": f"-csearch_path={schema}", "application_name": schema}
            )
            yield cls(backend, url.render_as_string(hide_password=False), postgres_url, schema)
        finally:
            with engine.begin() as conn:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            engine.dispose()

    def backend_pids(self) -> list[int]:
        if self.admin_url is None:
            return []
        engine = create_engine(self.admin_url)
        try:
            with engine.connect() as conn:
                found = conn.execute(
                    text("SELECT pid FROM pg_stat_activity WHERE application_name = :name"),
                    {"name": self.schema},
                )
                return [int(pid) for (pid,) in found]
        finally:
            engine.dispose()

    def describe(self) -> str:
        if self.backend == "sqlite":
            return "SQLite"
        shown = make_url(self.admin_url or "").render_as_string(hide_password=True)
        return f"PostgreSQL, schema {self.schema} on {shown}"


def loyalist_command() -> list[str]:
    beside = Path(sys.executable).parent / "loyalist"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("loyalist")
    if found is None:
        raise SystemExit("cannot find the `loyalist` command: run with the project's .venv")
    return [found]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def run_cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [*loyalist_command(), *args],
        env=env,
        capture_output=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(
            f"`loyalist {' '.join(args)}` failed ({done.returncode}):\n"
            f"{done.stderr.decode(errors='replace')}"
        )
    return done.stdout.decode()


@dataclass(frozen=True, slots=True)
class Installation:
    """An initialised home on a database: the environment its commands run with (one
    secret key for all of them) and an admin API key."""

    home: Path
    database: Database
    env: dict[str, str]
    token: str


def installed(home: Path, database: Database) -> Installation:
    """``loyalist init`` and ``loyalist apikeys create --scope admin`` in ``home``."""
    env = {
        **os.environ,
        "LOYALIST_HOME": str(home),
        "LOYALIST_SECRET_KEY": new_master_key(),
        "LOYALIST_DATABASE_URL": database.url,
        "LOYALIST_LOG_LEVEL": "warning",
        **OPEN_GUARD,
    }
    run_cli(env, "init", "--quiet")
    lines = [
        line.strip()
        for line in run_cli(
            env, "apikeys", "create", "--name", "bench", "--scope", "admin"
        ).splitlines()
        if line.strip()
    ]
    if not lines:
        raise SystemExit("`loyalist apikeys create` printed no key")
    return Installation(home, database, env, lines[-1])


@contextmanager
def running_server(home: Path, database: Database, workers: int = 1) -> Iterator[Server]:
    """``loyalist init``, an admin API key, then ``loyalist serve`` until /healthz answers.

    Stops the server on exit: terminate, then kill after a timeout.
    """
    with serving(installed(home, database), workers) as server:
        yield server


@contextmanager
def serving(
    installation: Installation, workers: int = 1, env: dict[str, str] | None = None
) -> Iterator[Server]:
    """``loyalist serve --workers N`` of ``installation`` (with ``env`` added to its
    environment) until /healthz answers; stopped on exit: terminate, then kill after a
    timeout."""
    port = free_port()
    log = installation.home / f"serve-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                *loyalist_command(),
                "serve",
                "--host",
                HOST,
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            env=installation.env | (env or {}),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(
        process, f"http://{HOST}:{port}", installation.token, log, installation.database
    )
    try:
        wait_healthy(server)
        yield server
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (a graceful stop), then SIGKILL after 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def wait_healthy(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    last = "no answer yet"
    with httpx.Client(base_url=server.base_url, timeout=1.0) as client:
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                raise SystemExit(
                    f"`loyalist serve` exited with {server.process.returncode}:\n"
                    f"{server.log_tail()}"
                )
            try:
                if client.get("/healthz").status_code == 200:
                    return
                last = "healthz answered but not 200"
            except httpx.HTTPError as exc:
                last = f"{type(exc).__name__}"
            time.sleep(0.1)
    raise SystemExit(
        f"`loyalist serve` not healthy after {STARTUP_TIMEOUT:.0f} s ({last}):\n{server.log_tail()}"
    )


def iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def seed_members(server: Server, count: int) -> list[str]:
    """Members with available points: an order placed 60 days ago, paid, delivered 40 days
    ago (past the 30-day return window, so its points are available at once)."""
    now = datetime.now(UTC)
    placed, paid, delivered = (
        iso(now - timedelta(days=60)),
        iso(now - timedelta(days=60, minutes=-5)),
        iso(now - timedelta(days=40)),
    )
    members = [f"B{n:06d}" for n in range(1, count + 1)]
    headers = {"Authorization": f"Bearer {server.token}"}
    with httpx.Client(base_url=server.base_url, headers=headers, timeout=60.0) as client:
        for start in range(0, count, SEED_MEMBERS_PER_BATCH):
            events: list[dict[str, Any]] = []
            for member in members[start : start + SEED_MEMBERS_PER_BATCH]:
                order_id = f"seed-{member}"
                quantity, price = 1 + len(member) % 3, 1000 + 10 * int(member[1:]) % 9000
                order = {
                    "order_id": order_id,
                    "currency": "EUR",
                    "channel": "web",
                    "store": "online",
                    "lines": [
                        {
                            "sku": "SKU-1",
                            "name": "Hoodie",
                            "category": "Apparel",
                            "quantity": quantity,
                            "unit_price": price,
                            "discount": 0,
                        },
                    ],
                    "shipping": 0,
                    "total": quantity * price,
                }
                for suffix, kind, at, data in (
                    ("placed", "order.placed", placed, order),
                    ("paid", "order.paid", paid, {"order_id": order_id}),
                    ("delivered", "order.delivered", delivered, {"order_id": order_id}),
                ):
                    events.append(
                        {
                            "id": f"{order_id}-{suffix}",
                            "type": kind,
                            "member_id": member,
                            "occurred_at": at,
                            "data": data,
                        }
                    )
            response = client.post("/api/v1/events", json={"events": events})
            if response.status_code != 202:
                raise SystemExit(
                    f"seeding failed: {response.status_code} {response.text[:500]}\n"
                    f"server log:\n{server.log_tail()}"
                )
        check = client.get(f"/api/v1/members/{members[0]}/points")
        if check.status_code != 200 or not check.json().get("available"):
            raise SystemExit(
                f"seeded member has no available points: {check.text[:500]}\n"
                f"server log:\n{server.log_tail()}"
            )
    return members


def seed_checkout(server: Server, members: Sequence[str], codes: int) -> list[str]:
    """A generic 10% code, many points for every member (holds draw on them), and ``codes``
    single-use unique codes generated by the server and read back from its CSV export."""
    headers = {"Authorization": f"Bearer {server.token}"}
    name = {"en": "Bench", "ru": "Тест"}
    with httpx.Client(base_url=server.base_url, headers=headers, timeout=300.0) as client:

        def ok(response: httpx.Response, *statuses: int) -> httpx.Response:
            if response.status_code not in statuses:
                raise SystemExit(
                    f"seeding the checkout failed: {response.status_code} "
                    f"{response.text[:500]}\nserver log:\n{server.log_tail()}"
                )
            return response

        campaign = {"name": name, "discount": {"type": "percent", "percent": "10"}}
        ok(
            client.put(
                "/api/v1/coupon-campaigns/bench10",
                json=campaign | {"code_mode": "generic", "code": GENERIC_CODE},
            ),
            200,
            201,
        )
        for member in members:
            ok(
                client.post(
                    f"/api/v1/members/{member}/points/adjustments",
                    json={"points": 10_000_000, "reason": "bench"},
                    headers={"Idempotency-Key": f"bench-seed-{member}-{uuid.uuid4().hex}"},
                ),
                201,
            )
        if not codes:
            return []
        ok(
            client.put(
                "/api/v1/coupon-campaigns/bench-once",
                json=campaign | {"code_mode": "unique"},
            ),
            200,
            201,
        )
        ok(
            client.post(
                "/api/v1/coupon-campaigns/bench-once/codes",
                json={"count": codes, "length": 12, "request_key": "bench"},
            ),
            200,
            201,
        )
        lines = ok(client.get("/api/v1/coupon-campaigns/bench-once/codes.csv"), 200).text
    found = [line.split(",", 1)[0] for line in lines.splitlines()[1:] if line]
    if len(found) != codes:
        raise SystemExit(f"asked for {codes:,} codes, the export has {len(found):,}")
    return found


# ----------------------------------------------------------------------------- the clients


@dataclass(frozen=True, slots=True)
class ClientJob:
    """What one client process does: ``connections`` workers, one keep-alive connection each."""

    base_url: str
    token: str
    client: str  # "httpx" or "raw"
    scenario: str
    connections: int
    warmup: float
    seconds: float
    members: tuple[str, ...]
    id_prefix: str
    seed: int
    codes: tuple[str, ...] = ()  # single-use codes for ``redeem``, this process's share


@dataclass
class ClientResult:
    latencies_ms: array[float]  # successful requests started inside the measured window
    errors: int
    error_samples: list[str]
    window_seconds: float  # start of the measured window to the last answer in it
    cpu_seconds: float  # this client process, from its start signal to its end
    wall_seconds: float


class Connection(Protocol):
    """One keep-alive HTTP/1.1 connection owned by one worker."""

    async def request(
        self, method: str, path: str, body: bytes | None, key: str | None = None
    ) -> tuple[int, bytes]:
        """Send one request; ``key`` goes out as its ``Idempotency-Key``."""
        ...

    async def aclose(self) -> None: ...


class HttpxConnection:
    """An ``httpx.AsyncClient`` limited to one connection.

    One client per worker: httpcore's pool scans every connection for every queued request,
    so one client shared by 64 workers measures the pool, not the server.
    """

    def __init__(self, job: ClientJob, tls: ssl.SSLContext) -> None:
        # ``verify=tls``: one context per process (plain http never uses it), because each
        # client would otherwise load the CA bundle again.
        self._client = httpx.AsyncClient(
            base_url=job.base_url,
            headers={"Authorization": f"Bearer {job.token}"},
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
            timeout=REQUEST_TIMEOUT,
            verify=tls,
            http1=True,
            http2=False,
        )

    async def request(
        self, method: str, path: str, body: bytes | None, key: str | None = None
    ) -> tuple[int, bytes]:
        headers = dict(JSON_HEADERS) if body is not None else {}
        if key is not None:
            headers["Idempotency-Key"] = key
        response = await self._client.request(method, path, content=body, headers=headers)
        return response.status_code, response.content

    async def aclose(self) -> None:
        await self._client.aclose()


class RawConnection:
    """A minimal HTTP/1.1 client on asyncio streams, for when httpx's own CPU use would hide
    the server's speed. Handles only what ``loyalist serve`` answers: Content-Length bodies."""

    def __init__(self, job: ClientJob) -> None:
        url = httpx.URL(job.base_url)
        self._host, self._port = url.host, url.port or 80
        self._auth = f"Authorization: Bearer {job.token}\r\n"
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def request(
        self, method: str, path: str, body: bytes | None, key: str | None = None
    ) -> tuple[int, bytes]:
        try:
            async with asyncio.timeout(REQUEST_TIMEOUT):
                return await self._exchange(method, path, body, key)
        except BaseException:
            await self.aclose()  # a broken exchange leaves the connection unusable
            raise

    async def _exchange(
        self, method: str, path: str, body: bytes | None, key: str | None
    ) -> tuple[int, bytes]:
        if self._streams is None:
            self._streams = await asyncio.open_connection(self._host, self._port)
        reader, writer = self._streams
        head = f"{method} {path} HTTP/1.1\r\nHost: {self._host}:{self._port}\r\n{self._auth}"
        if key is not None:
            head += f"Idempotency-Key: {key}\r\n"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        writer.write(head.encode() + b"\r\n" + (body or b""))
        header = await reader.readuntil(b"\r\n\r\n")
        status = int(header[9:12])
        length = 0
        close = False
        for line in header.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                raise ValueError("chunked answers are not supported by the raw client")
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
        content = await reader.readexactly(length) if length else b""
        if close:
            await self.aclose()
        return status, content

    async def aclose(self) -> None:
        if self._streams is not None:
            writer = self._streams[1]
            self._streams = None
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


@dataclass
class _WorkerState:
    latencies: array[float] = field(default_factory=lambda: array("d"))
    errors: int = 0
    samples: list[str] = field(default_factory=list)
    last_done: float = 0.0

    def error(self, text: str) -> None:
        self.errors += 1
        if len(self.samples) < 3:
            self.samples.append(text)


def _body(value: Any) -> bytes:
    return orjson.dumps(value)


async def _exchange(
    connection: Connection, job: ClientJob, member: str, n: int, number_: int, code: str | None
) -> list[tuple[int, bytes, int, float, float]]:
    """One iteration of a scenario: ``(status, body, expected status, start, end)`` per
    request it made (hold + confirm make two)."""
    started = time.perf_counter()
    scenario = job.scenario
    if scenario == "events":
        body = _body(
            {
                "id": f"{job.id_prefix}-{number_}-{n}",
                "type": "x.page_view",
                "member_id": member,
                "occurred_at": iso(datetime.now(UTC)),
                "data": {"path": f"/products/{n % 997}"},
            }
        )
        status, content = await connection.request("POST", "/api/v1/events", body)
    elif scenario == "balance":
        status, content = await connection.request("GET", f"/api/v1/members/{member}/points", None)
    elif scenario == "quote":
        body = _body({"member_id": member, "cart": CART, "coupons": [GENERIC_CODE], "points": 10})
        status, content = await connection.request("POST", "/api/v1/checkout/quote", body)
    elif scenario == "validate":
        body = _body({"code": GENERIC_CODE, "member_id": member, "cart": CART})
        status, content = await connection.request("POST", "/api/v1/coupons/validate", body)
    elif scenario == "redeem":
        body = _body(
            {"code": code, "member_id": member, "order_id": f"{job.id_prefix}-{n}", "cart": CART}
        )
        status, content = await connection.request(
            "POST", "/api/v1/coupons/redemptions", body, key=f"{job.id_prefix}-{number_}-redeem-{n}"
        )
    else:
        body = _body({"member_id": member, "cart": CART, "points": 10})
        status, content = await connection.request(
            "POST", "/api/v1/checkout/holds", body, key=f"{job.id_prefix}-{number_}-hold-{n}"
        )
        held = time.perf_counter()
        if status != 201:
            return [(status, content, 201, started, held)]
        checkout_id = orjson.loads(content)["id"]
        confirm_status, confirmed = await connection.request(
            "POST", f"/api/v1/checkout/holds/{checkout_id}/confirm", None
        )
        return [
            (status, content, 201, started, held),
            (confirm_status, confirmed, 200, held, time.perf_counter()),
        ]
    return [(status, content, EXPECTED_STATUS[scenario], started, time.perf_counter())]


async def _worker(
    connection: Connection,
    job: ClientJob,
    number_: int,
    measure_from: float,
    deadline: float,
    state: _WorkerState,
    codes: Sequence[str] = (),
) -> None:
    rng = random.Random(job.seed * 1000 + number_)
    members = job.members
    for n in range(MAX_REQUESTS_PER_WORKER):
        if time.perf_counter() >= deadline:
            return
        code = None
        if job.scenario == "redeem":
            if n >= len(codes):
                state.error("out of single-use codes: seed more for this rate")
                return
            code = codes[n]
        member = members[int(rng.random() * len(members))]
        try:
            answers = await _exchange(connection, job, member, n, number_, code)
        except Exception as exc:  # counted and sampled: the benchmark reports, never stops
            if time.perf_counter() >= measure_from:
                state.error(f"{type(exc).__name__}: {exc}")
            await asyncio.sleep(0.01)  # a refused or broken connection must not spin
            continue
        for status, content, expected, started, done in answers:
            if started < measure_from:
                continue
            state.last_done = done
            if status == expected:
                state.latencies.append((done - started) * 1000)
            else:
                state.error(f"HTTP {status}: {content[:200].decode(errors='replace')}")


async def _run_client(job: ClientJob) -> ClientResult:
    tls = ssl.create_default_context()
    connections: list[Connection] = [
        RawConnection(job) if job.client == "raw" else HttpxConnection(job, tls)
        for _ in range(job.connections)
    ]
    try:
        cpu0, start = time.process_time(), time.perf_counter()
        measure_from = start + job.warmup
        deadline = measure_from + job.seconds
        states = [_WorkerState() for _ in connections]
        await asyncio.gather(
            *(
                _worker(
                    connection,
                    job,
                    i,
                    measure_from,
                    deadline,
                    state,
                    job.codes[i :: len(connections)],
                )
                for i, (connection, state) in enumerate(zip(connections, states, strict=True))
            )
        )
        cpu, end = time.process_time() - cpu0, time.perf_counter()
    finally:
        for connection in connections:
            await connection.aclose()
    latencies: array[float] = array("d")
    samples: list[str] = []
    for state in states:
        latencies.extend(state.latencies)
        samples.extend(state.samples)
    last = max((s.last_done for s in states), default=0.0)
    return ClientResult(
        latencies_ms=latencies,
        errors=sum(s.errors for s in states),
        error_samples=samples[:5],
        window_seconds=max(0.0, last - measure_from),
        cpu_seconds=cpu,
        wall_seconds=end - start,
    )


def client_process(
    job: ClientJob, ready: Queue[int], go: Event, results: Queue[tuple[str, Any]]
) -> None:
    """Entry point of a client process (spawned: no GIL or event loop shared with anyone)."""
    try:
        if importlib.util.find_spec("sniffio") is None:
            # Without sniffio, httpcore retries the failing ``import sniffio`` (a walk of
            # sys.path) several times per request; an entry of None makes it fail at once.
            sys.modules["sniffio"] = None  # type: ignore[assignment]
        ready.put(os.getpid())
        if not go.wait(timeout=120):
            results.put(("error", "the start signal never came"))
            return
        results.put(("ok", asyncio.run(_run_client(job))))
    except BaseException as exc:  # report, never hang the parent
        results.put(("error", f"{type(exc).__name__}: {exc}"))


# ----------------------------------------------------------------------------- a phase


@dataclass(frozen=True, slots=True)
class PhaseResult:
    scenario: str
    connections: int
    processes: int
    requests: int
    errors: int
    rate: float
    p50: float
    p90: float
    p99: float
    max: float
    client_cpu_cores: float
    server_cpu_cores: float | None
    error_samples: list[str]
    backend: str = "sqlite"
    database_cpu_cores: float | None = None

    def cpu_us_per_request(self, cores: float | None) -> float | None:
        return None if cores is None or not self.rate else cores / self.rate * 1e6

    def as_json(self) -> dict[str, Any]:
        targets = targets_of(self.backend, self.scenario, self.connections)
        server_us = self.cpu_us_per_request(self.server_cpu_cores)
        database_us = self.cpu_us_per_request(self.database_cpu_cores)
        return {
            "scenario": self.scenario,
            "connections": self.connections,
            "client_processes": self.processes,
            "requests": self.requests,
            "errors": self.errors,
            "requests_per_second": round(self.rate, 1),
            "latency_ms": {
                "p50": round(self.p50, 3),
                "p90": round(self.p90, 3),
                "p99": round(self.p99, 3),
                "max": round(self.max, 3),
            },
            "client_cpu_cores": round(self.client_cpu_cores, 3),
            "server_cpu_cores": (
                None if self.server_cpu_cores is None else round(self.server_cpu_cores, 3)
            ),
            "backend": self.backend,
            "server_cpu_us_per_request": None if server_us is None else round(server_us, 1),
            "database_cpu_cores": (
                None if self.database_cpu_cores is None else round(self.database_cpu_cores, 3)
            ),
            "database_cpu_us_per_request": None if database_us is None else round(database_us, 1),
            "throughput_target": targets[0].as_json(self.rate) if targets and targets[0] else None,
            "p99_target": targets[1].as_json(self.p99) if targets else None,
            "error_samples": self.error_samples,
        }


def run_phase(
    server: Server,
    scenario: str,
    connections: int,
    processes: int,
    members: Sequence[str],
    args: argparse.Namespace,
    codes: Sequence[str] = (),
) -> PhaseResult:
    ctx = multiprocessing.get_context("spawn")
    ready: Queue[int] = ctx.Queue()
    results: Queue[tuple[str, Any]] = ctx.Queue()
    go = ctx.Event()
    shares = [connections // processes + (i < connections % processes) for i in range(processes)]
    run_id = f"bench-{int(time.time())}-{scenario}-{connections}"
    jobs = [
        ClientJob(
            base_url=server.base_url,
            token=server.token,
            client=args.client,
            scenario=scenario,
            connections=share,
            warmup=args.warmup,
            seconds=args.seconds,
            members=tuple(members),
            id_prefix=f"{run_id}-{i}",
            seed=args.seed + i,
            codes=tuple(codes[i::processes]),
        )
        for i, share in enumerate(shares)
        if share > 0
    ]
    children = [
        ctx.Process(target=client_process, args=(job, ready, go, results), daemon=True)
        for job in jobs
    ]
    for child in children:
        child.start()
    outcomes: list[ClientResult] = []
    failures: list[str] = []
    try:
        for _ in children:
            ready.get(timeout=120)
        database_cpu0 = server.database_cpu_seconds()
        server_cpu0, wall0 = server.cpu_seconds(), time.perf_counter()
        go.set()
        for _ in children:
            kind, value = results.get(timeout=args.warmup + args.seconds + REQUEST_TIMEOUT + 60)
            if kind == "ok":
                outcomes.append(value)
            else:
                failures.append(str(value))
        server_cpu1, wall1 = server.cpu_seconds(), time.perf_counter()
        database_cpu1 = server.database_cpu_seconds()
    finally:
        for child in children:
            child.join(timeout=10)
            if child.is_alive():
                child.terminate()
                child.join(timeout=5)
    if failures:
        raise SystemExit(f"a client process failed: {failures[0]}")
    latencies = sorted(x for outcome in outcomes for x in outcome.latencies_ms)
    wall = max(o.wall_seconds for o in outcomes)
    server_cores = (
        None
        if server_cpu0 is None or server_cpu1 is None
        else (server_cpu1 - server_cpu0) / (wall1 - wall0)
    )
    return PhaseResult(
        scenario=scenario,
        connections=connections,
        processes=len(outcomes),
        requests=len(latencies),
        errors=sum(o.errors for o in outcomes),
        rate=sum(len(o.latencies_ms) / o.window_seconds for o in outcomes if o.window_seconds > 0),
        p50=percentile(latencies, 50),
        p90=percentile(latencies, 90),
        p99=percentile(latencies, 99),
        max=latencies[-1] if latencies else float("nan"),
        client_cpu_cores=sum(o.cpu_seconds for o in outcomes) / wall if wall else 0.0,
        server_cpu_cores=server_cores,
        error_samples=[s for o in outcomes for s in o.error_samples][:5],
        backend=server.database.backend,
        database_cpu_cores=_database_cores(database_cpu0, database_cpu1, wall1 - wall0),
    )


def print_phase(report: Report, result: PhaseResult, args: argparse.Namespace) -> None:
    targets = targets_of(result.backend, result.scenario, result.connections)
    plural = "es" if result.processes > 1 else ""
    report.line(
        f"-- {TITLES[result.scenario]}: {result.connections} connections from "
        f"{result.processes} {args.client} client process{plural}, {args.seconds:g} s "
        f"(+{args.warmup:g} s warm-up)"
    )
    rate_note = (
        targets[0].describe(result.rate)
        if targets and targets[0]
        else "no throughput target at this concurrency"
    )
    report.line(f"   requests/s {number(result.rate):>9}   {rate_note}")
    p99_note = f"   {targets[1].describe(result.p99)}" if targets else ""
    report.line(
        f"   latency ms  p50 {number(result.p50)}  p90 {number(result.p90)}  "
        f"p99 {number(result.p99)}  max {number(result.max)}{p99_note}"
    )
    report.line(f"   {result.requests:,} answered in the window, {result.errors:,} errors")
    for sample in result.error_samples[:3]:
        report.line(f"     error: {sample}")
    server = "n/a" if result.server_cpu_cores is None else f"{result.server_cpu_cores:.2f}"
    database = (
        ""
        if result.database_cpu_cores is None
        else f", PostgreSQL backends {result.database_cpu_cores:.2f}"
    )
    report.line(
        f"   CPU cores busy: load generator {result.client_cpu_cores:.2f}, server {server}"
        f"{database} (of {os.cpu_count()}; all share the machine)"
    )
    per_request = [
        f"{who} {number(us)} µs"
        for who, us in (
            ("server", result.cpu_us_per_request(result.server_cpu_cores)),
            ("PostgreSQL", result.cpu_us_per_request(result.database_cpu_cores)),
        )
        if us is not None
    ]
    if per_request:
        report.line(f"   CPU per request: {', '.join(per_request)}")
    server_cores = result.server_cpu_cores or 0.0
    if args.client == "httpx" and result.client_cpu_cores >= 0.25 * server_cores:
        report.line(
            "   note: the httpx load generator took CPU the server could have used; "
            "--client raw costs about a tenth as much per request"
        )


# ----------------------------------------------------------------------------- main


#: What the permission check may add to a request (issue 16).
PERMISSION_TARGET = Target(20, "µs a request", higher_is_better=False)


@dataclass(frozen=True, slots=True)
class Twin:
    """A route measured with its permission check and without it (the same endpoint)."""

    label: str
    guarded: str
    bare: str


def _asgi_get(app: Any, path: str, headers: list[tuple[bytes, bytes]]) -> Any:
    """One GET through the whole ASGI application, no network: the answer's status."""

    async def call() -> int:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": b"",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
        }
        status = 0

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await app(scope, receive, send)
        return status

    return call


async def _interleaved(
    calls: dict[str, Any], rounds: int, deadline: float
) -> dict[str, list[float]]:
    """Per-request µs of each call: one request of each in turn per round (the order turned
    every round), so drift and scheduling hit all of them alike and rounds pair up."""
    times: dict[str, list[float]] = {name: [] for name in calls}
    order = list(calls)
    for number_ in range(rounds):
        if time.perf_counter() > deadline:
            break
        for name in order if number_ % 2 else reversed(order):
            start = time.perf_counter_ns()
            status = await calls[name]()
            times[name].append((time.perf_counter_ns() - start) / 1000)
            if status != 200:
                raise SystemExit(f"{name}: HTTP {status}")
    return times


def measure_permission_check(args: argparse.Namespace, report: Report) -> None:
    """The permission check's cost per request: each twin route (a trivial endpoint, and
    ``GET /api/v1/rules``'s endpoint) served with its guard and as the same endpoint
    without it, side by side in one application (FastAPI matches routes in order),
    interleaved, medians compared; plus the guard called alone (as ``api.lean`` calls it on
    the hot routes), with a warm key cache."""
    from fastapi import Depends, FastAPI, Request
    from starlette.responses import Response

    from loyalist.api import problems, rules
    from loyalist.api.deps import DenialLog, GuardedRoute, KeyCache, principal, require
    from loyalist.api.responses import JsonResponse
    from loyalist.bootstrap import bootstrap, migrate
    from loyalist.db.crypto import Keyring
    from loyalist.settings import Settings
    from loyalist.staff.models import Permission
    from loyalist.staff.service import create_api_key

    async def ping() -> Response:
        return JsonResponse({"ok": True})

    async def nothing() -> None:
        """A dependency that does nothing: what FastAPI's resolution of one costs."""

    with tempfile.TemporaryDirectory(prefix="loyalist-bench-perm-") as tmp:
        settings = Settings(database_url=f"sqlite:///{Path(tmp) / 'bench.db'}")
        loyalist = bootstrap(settings, keyring=Keyring.from_secrets(new_master_key()))
        try:
            migrate(loyalist)
            _key, token = loyalist.db.write(
                lambda uow: create_api_key(uow, "bench", [], role="analyst")
            )
            api = FastAPI()
            api.state.loyalist = loyalist
            api.state.key_cache = KeyCache()
            api.state.denials = DenialLog()
            problems.install(api)
            # As the app's routers: the guard runs before FastAPI solves the rest.
            api.router.route_class = GuardedRoute
            guard = [Depends(require(Permission.PROGRAM_READ))]
            api.add_api_route("/ping/bare", ping, methods=["GET"])
            api.add_api_route("/ping/guarded", ping, methods=["GET"], dependencies=guard)
            api.add_api_route(
                "/ping/authenticated", ping, methods=["GET"], dependencies=[Depends(principal)]
            )
            api.add_api_route("/rules/bare", rules.list_rules, methods=["GET"])
            api.add_api_route(
                "/rules/guarded", rules.list_rules, methods=["GET"], dependencies=guard
            )
            api.add_api_route(
                "/rules/nothing", rules.list_rules, methods=["GET"], dependencies=[Depends(nothing)]
            )
            api.add_api_route(
                "/ping/nothing", ping, methods=["GET"], dependencies=[Depends(nothing)]
            )
            headers = [(b"authorization", f"Bearer {token}".encode()), (b"host", b"bench")]
            twins = [
                Twin("trivial endpoint", "/ping/guarded", "/ping/bare"),
                Twin("GET /api/v1/rules", "/rules/guarded", "/rules/bare"),
            ]
            # Two groups, each timed alone for half the run: a request right after one that
            # read in the thread pool pays for that thread's leftovers (the GIL).
            groups = [
                ["/ping/guarded", "/ping/bare", "/ping/authenticated", "/ping/nothing"],
                ["/rules/guarded", "/rules/bare", "/rules/nothing"],
            ]
            guard_call = require(Permission.PROGRAM_READ)

            async def run() -> tuple[dict[str, list[float]], list[float]]:
                # As `loyalist serve` does after start-up (cli.context.settle_heap).
                gc.collect()
                gc.freeze()
                times: dict[str, list[float]] = {}
                for group in groups:
                    calls = {path: _asgi_get(api, path, headers) for path in group}
                    for call in calls.values():  # warm up: the key cache, the stack
                        for _ in range(200):
                            await call()
                    deadline = time.perf_counter() + args.seconds / len(groups)
                    times |= await _interleaved(calls, 1_000_000, deadline)
                scope: dict[str, Any] = {"type": "http", "headers": headers, "app": api}
                scope |= {"client": ("127.0.0.1", 1), "method": "GET", "path": "/"}
                scope |= {"query_string": b""}
                request = Request(scope)
                alone = []
                for _ in range(20_000):
                    start = time.perf_counter_ns()
                    await guard_call(request)
                    alone.append((time.perf_counter_ns() - start) / 1000)
                return times, alone

            times, alone = asyncio.run(run())
        finally:
            loyalist.close()

    def median(values: list[float]) -> float:
        return percentile(sorted(values), 50)

    report.line("   permission check: each route with its guard and the same endpoint bare, one")
    report.line("   request of each in turn, in-process ASGI calls (no network); the check adds")
    report.line("   the median of the paired differences")
    report.line()
    report.line("   route                 requests  guarded µs  bare µs  check adds µs")
    results = []
    for twin in twins:
        guarded, bare = median(times[twin.guarded]), median(times[twin.bare])
        added = median([g - b for g, b in zip(times[twin.guarded], times[twin.bare], strict=True)])
        results.append(
            {"route": twin.label, "guarded_us": guarded, "bare_us": bare, "added_us": added}
        )
        report.line(
            f"   {twin.label:<20}  {len(times[twin.guarded]):>8,}  {number(guarded):>10}"
            f"  {number(bare):>7}  {number(added):>13}  {PERMISSION_TARGET.describe(added)}"
        )

    def paired(path: str, bare: str) -> float:
        return median([a - b for a, b in zip(times[path], times[bare], strict=True)])

    authenticated = paired("/ping/authenticated", "/ping/bare")
    nothing_ping = paired("/ping/nothing", "/ping/bare")
    nothing_rules = paired("/rules/nothing", "/rules/bare")
    report.line()
    report.line(
        f"   of which authentication (key cache hit, the request's actor): "
        f"{number(authenticated)} µs; a dependency doing nothing costs {number(nothing_ping)}"
        f" µs (trivial endpoint) and {number(nothing_rules)} µs (rules) in FastAPI; the guard"
        f" called alone (as on the hot routes): {number(median(alone))} µs"
    )
    report.data["permission_check"] = {
        "routes": results,
        "authentication_us": authenticated,
        "empty_dependency_us": {"trivial": nothing_ping, "rules": nothing_rules},
        "guard_alone_us": median(alone),
        "target_us": PERMISSION_TARGET.value,
    }


def parse_connections(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("a comma-separated list of integers") from None
    if not values or any(not 1 <= v <= 1024 for v in values):
        raise argparse.ArgumentTypeError("each connection count must be within 1..1024")
    return values


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Requests/s and latency of `loyalist serve` (SQLite or PostgreSQL) under a "
        "keep-alive "
        "load generator that runs in separate processes."
    )
    parser.add_argument("--seconds", type=float, default=20.0, help="measured seconds (20)")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds first (2)")
    parser.add_argument(
        "--connections",
        type=parse_connections,
        default=None,
        help="comma list (8,64; 64 with --layout)",
    )
    parser.add_argument(
        "--scenarios",
        default="events,balance",
        help="comma list of events, balance, quote, validate, redeem, hold_confirm (the first two)",
    )
    parser.add_argument(
        "--client-processes",
        type=int,
        default=0,
        help="load generator processes per phase; 0: 1 up to 8 connections, else 2 (0)",
    )
    parser.add_argument(
        "--client",
        choices=("httpx", "raw"),
        default="httpx",
        help="load generator: httpx.AsyncClient per connection, or a minimal asyncio HTTP/1.1 "
        "client that costs far less CPU (httpx)",
    )
    parser.add_argument("--members", type=int, default=300, help="members to seed (300)")
    parser.add_argument(
        "--codes",
        type=int,
        default=100_000,
        help="single-use codes generated per redeem phase (100,000)",
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="`loyalist serve --workers` processes (1)"
    )
    parser.add_argument(
        "--backend",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="the server's database: a SQLite file, or a fresh schema on --postgres-url, "
        "dropped at the end (sqlite)",
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("LOYALIST_TEST_POSTGRES_URL", PG_DEFAULT),
        help="PostgreSQL for --backend postgresql (LOYALIST_TEST_POSTGRES_URL or "
        "127.0.0.1:5432/test, trust auth)",
    )
    parser.add_argument("--seed", type=int, default=7, help="random seed of the clients (7)")
    parser.add_argument(
        "--permission-check",
        action="store_true",
        help="measure only what the permission check adds to a request (in-process, "
        "--seconds long, on SQLite)",
    )
    parser.add_argument(
        "--layout",
        action="store_true",
        help="issue 20, on PostgreSQL: 1 server process against 2 processes + 1 worker, then "
        "the balance route with metrics and request logs off and on (64 connections unless "
        "--connections is given)",
    )
    parser.add_argument(
        "--json", action="store_true", help="also print a JSON document on stdout (text to stderr)"
    )
    args = parser.parse_args(argv)
    if args.connections is None:
        args.connections = [64] if args.layout else [8, 64]
    if args.layout:
        args.backend = "postgresql"
    args.scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    if not args.scenarios or set(args.scenarios) - set(SCENARIOS):
        parser.error(f"--scenarios takes a comma list of {', '.join(SCENARIOS)}")
    if not 0.5 <= args.seconds <= 3600 or not 0 <= args.warmup <= 600:
        parser.error("--seconds must be within 0.5..3600 and --warmup within 0..600")
    if not 1 <= args.members <= 100_000:
        parser.error("--members must be within 1..100,000")
    if not 0 <= args.client_processes <= 16:
        parser.error("--client-processes must be within 0..16")
    return args


#: Issue 20: what the metrics and the request log (their switches) may cost the balance route.
OBSERVABILITY_TARGET = Target(5, "% overhead", higher_is_better=False)
#: The switches of metrics and structured request logging, off and on.
OBSERVABILITY = {
    on: {
        "LOYALIST_METRICS__ENABLED": "true" if on else "false",
        "LOYALIST_LOG_REQUESTS": "true" if on else "false",
        # The request line is an INFO record (the other servers log warnings only).
        "LOYALIST_LOG_LEVEL": "info",
    }
    for on in (False, True)
}


@dataclass(frozen=True, slots=True)
class LayoutPhase:
    """A phase of ``--layout``: which set-up served it, and what it measured."""

    layout: str
    result: PhaseResult


def run_layout(home: Path, args: argparse.Namespace, report: Report) -> list[LayoutPhase]:
    """Issue 20, one PostgreSQL schema, one seeding: ``loyalist serve`` as 1 process and as
    2 processes (``--workers 2``) with a ``loyalist worker`` running, each scenario
    measured on 1, 2, 2, 1; then the balance route on two 1-process servers with metrics
    and request logging off and on, measured off, on, on, off. Servers are stopped with
    SIGTERM."""
    phases: list[LayoutPhase] = []

    def measure(layout: str, server: Server, scenario: str) -> None:
        for connections in args.connections:
            processes = min(args.client_processes or 2, connections)
            report.line()
            report.line(f"   [{layout}]")
            result = run_phase(server, scenario, connections, processes, members, args)
            phases.append(LayoutPhase(layout, result))
            print_phase(report, result, args)
            if server.process.poll() is not None:
                raise SystemExit(f"`loyalist serve` exited early:\n{server.log_tail()}")

    with Database.fresh("postgresql", home, args.postgres_url) as database:
        installation = installed(home, database)
        report.line(f"   database: {database.describe()}")
        worker_log = home / "worker.log"
        with serving(installation) as one:
            start = time.perf_counter()
            members = seed_members(one, args.members)
            report.line(
                f"   seeded {len(members):,} members with available points in "
                f"{time.perf_counter() - start:.1f} s"
            )
            with worker_log.open("wb") as out:
                worker = subprocess.Popen(
                    [*loyalist_command(), "worker"],
                    env=installation.env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            try:
                with serving(installation, workers=2) as two:
                    # 1, 2, 2, 1: a drift of the machine's load weighs on both alike.
                    for scenario in args.scenarios:
                        for server in (one, two, two, one):
                            layout = "2 processes + worker" if server is two else "1 process"
                            measure(layout, server, scenario)
            finally:
                stop(worker)
        # Both servers up at once (the idle one costs nothing), measured off, on, on, off:
        # a drift of the machine's load over the run weighs on both alike.
        with (
            serving(installation, env=OBSERVABILITY[False]) as off,
            serving(installation, env=OBSERVABILITY[True]) as on,
        ):
            for server in (off, on, on, off):
                measure(f"metrics+logs {'on' if server is on else 'off'}", server, "balance")
    return phases


def print_layout(report: Report, phases: Sequence[LayoutPhase]) -> None:
    """The figures side by side, and the ratios: 2 processes + worker against 1 process,
    and the balance route with metrics and request logs on against off."""
    found: dict[tuple[str, str, int], list[PhaseResult]] = {}
    for p in phases:
        found.setdefault((p.layout, p.result.scenario, p.result.connections), []).append(p.result)
    report.line()
    report.line("   set-up                  scenario  conns  req/s      p50 ms  p99 ms  errors")
    for p in phases:
        r = p.result
        report.line(
            f"   {p.layout:<22}  {r.scenario:<8}  {r.connections:>5}  {number(r.rate):>9}  "
            f"{number(r.p50):>6}  {number(r.p99):>6}  {r.errors:>6}"
        )
    ratios: dict[str, Any] = {}
    report.line()
    for (layout, scenario, connections), ones in found.items():
        twos = found.get(("2 processes + worker", scenario, connections))
        if layout != "1 process" or not twos:
            continue
        scale, p99 = _ratio(twos, ones)
        ratios[f"{scenario}@{connections} 2+worker/1"] = {
            "requests_per_second": round(scale, 3),
            "p99": round(p99, 3),
        }
        report.line(
            f"   {scenario} at {connections}: 2 processes + worker ÷ 1 process = "
            f"{scale:.2f}× req/s, p99 × {p99:.2f}"
        )
    for connections in sorted({p.result.connections for p in phases}):
        offs = found.get(("metrics+logs off", "balance", connections))
        ons = found.get(("metrics+logs on", "balance", connections))
        if not offs or not ons:
            continue
        scale, p99 = _ratio(ons, offs)
        overhead = (1 - scale) * 100
        ratios[f"balance@{connections} observability overhead"] = {
            "percent": round(overhead, 2),
            "p99_on_over_off": round(p99, 3),
        }
        report.line(
            f"   balance at {connections}: metrics + request logs cost {overhead:.1f}% of "
            f"req/s (on ÷ off {scale:.3f}, means of {len(ons)} phases each), p99 on ÷ off "
            f"{p99:.2f}   {OBSERVABILITY_TARGET.describe(overhead)}"
        )
    report.data["layout"] = {
        "phases": [{"layout": p.layout, **p.result.as_json()} for p in phases],
        "ratios": ratios,
    }


def _ratio(measured: Sequence[PhaseResult], baseline: Sequence[PhaseResult]) -> tuple[float, float]:
    """Mean req/s and mean p99 of ``measured`` over those of ``baseline``."""

    def mean(values: Sequence[float]) -> float:
        return sum(values) / len(values)

    rate = mean([r.rate for r in baseline])
    p99 = mean([r.p99 for r in baseline])
    return (
        mean([r.rate for r in measured]) / rate if rate else math.nan,
        mean([r.p99 for r in measured]) / p99 if p99 else math.nan,
    )


def run_all(home: Path, args: argparse.Namespace, report: Report) -> list[PhaseResult]:
    """Start the server in ``home``, seed it, run every phase, stop it."""
    phases: list[PhaseResult] = []
    with (
        Database.fresh(args.backend, home, args.postgres_url) as database,
        running_server(home, database, args.workers) as server,
    ):
        serving = f"{args.workers} process{'es' if args.workers > 1 else ''}"
        report.line(
            f"   server: `loyalist serve` on {server.base_url} ({database.describe()}, {serving})"
        )
        start = time.perf_counter()
        members = seed_members(server, args.members)
        report.line(
            f"   seeded {len(members):,} members with available points in "
            f"{time.perf_counter() - start:.1f} s"
        )
        phases_of_redeem = len(args.connections) if "redeem" in args.scenarios else 0
        codes: list[str] = []
        if set(args.scenarios) & set(CHECKOUT_SCENARIOS):
            start = time.perf_counter()
            codes = seed_checkout(server, members, args.codes * phases_of_redeem)
            report.line(
                f"   seeded the checkout: a generic 10% code, 10M points per member"
                f"{f', {len(codes):,} single-use codes' if codes else ''} in "
                f"{time.perf_counter() - start:.1f} s"
            )
        for scenario in args.scenarios:
            for connections in args.connections:
                processes = args.client_processes or (1 if connections <= 8 else 2)
                processes = min(processes, connections)
                report.line()
                share: list[str] = []
                if scenario == "redeem":
                    share, codes = codes[: args.codes], codes[args.codes :]
                result = run_phase(server, scenario, connections, processes, members, args, share)
                phases.append(result)
                print_phase(report, result, args)
                if server.process.poll() is not None:
                    raise SystemExit(f"`loyalist serve` exited early:\n{server.log_tail()}")
    return phases


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    report = Report("api", args.json)
    report.header(
        {
            "seconds": args.seconds,
            "warmup": args.warmup,
            "connections": args.connections,
            "scenarios": args.scenarios,
            "client_processes": args.client_processes,
            "client": args.client,
            "members": args.members,
            "backend": args.backend,
            "workers": args.workers,
        }
    )
    if args.permission_check:
        measure_permission_check(args, report)
        report.finish()
        return 0
    if args.layout:
        with tempfile.TemporaryDirectory(prefix="loyalist-bench-api-") as tmp:
            print_layout(report, run_layout(Path(tmp), args, report))
        report.finish()
        return 0
    with tempfile.TemporaryDirectory(prefix="loyalist-bench-api-") as tmp:
        phases = run_all(Path(tmp), args, report)
    report.line()
    report.line(
        "   scenario  conns  req/s      p50 ms  p99 ms  errors  client CPU  server CPU"
        "  server µs/req  db µs/req"
    )
    for r in phases:
        server_cpu = "n/a" if r.server_cpu_cores is None else f"{r.server_cpu_cores:.2f}"
        server_us = r.cpu_us_per_request(r.server_cpu_cores)
        database_us = r.cpu_us_per_request(r.database_cpu_cores)
        report.line(
            f"   {r.scenario:<8}  {r.connections:>5}  {number(r.rate):>9}  {number(r.p50):>6}  "
            f"{number(r.p99):>6}  {r.errors:>6}  {r.client_cpu_cores:>10.2f}  {server_cpu:>10}"
            f"  {number(server_us or math.nan):>13}  {number(database_us or math.nan):>9}"
        )
    report.data["phases"] = [r.as_json() for r in phases]
    report.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
