"""Staff sign-in with argon2id: server time of ``POST /api/v1/auth/sign-in`` (the ASGI
application in this process, no network), beside the password check alone, with the
default parameters (``LOYALIST_STAFF__PASSWORD_*``). Target: at most 150 ms a sign-in.

    .venv/bin/python bench/sign_in.py [--backend sqlite|postgresql|both] [--count 30] [--json]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as ``python bench/sign_in.py``: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Report, percentile, scratch_database
from loyalist.api.app import create_app
from loyalist.audit.models import SYSTEM
from loyalist.bootstrap import bootstrap, migrate
from loyalist.db.crypto import Keyring, new_master_key
from loyalist.settings import Settings
from loyalist.staff import users
from loyalist.staff.passwords import Hasher
from loyalist.staff.schemas import StaffUserCreate

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

PASSWORD = "correct horse battery staple"  # noqa: S105 (the benchmark user's)
#: A bound on the loop's time besides its count.
MAX_SECONDS = 60.0


def _ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "median": round(percentile(ordered, 50), 1),
        "p95": round(percentile(ordered, 95), 1),
        "max": round(ordered[-1], 1),
    }


def measure(url: str, count: int) -> dict[str, Any]:
    settings = Settings(database_url=url)
    app = bootstrap(settings, keyring=Keyring.from_secrets(new_master_key()))
    try:
        migrate(app)
        staff = settings.staff
        hasher = Hasher(
            staff.password_time_cost, staff.password_memory_kib, staff.password_parallelism
        )
        data = StaffUserCreate(
            email="analyst@shop.example", name="Anna", roles=["analyst"], password=PASSWORD
        )
        hashed = users.new_password_hash(hasher, PASSWORD, email=data.email, name=data.name)
        app.db.write(lambda uow: users.create_user(uow, data, hashed, SYSTEM))
        verify: list[float] = []
        sign_in: list[float] = []
        started = time.monotonic()
        with TestClient(create_app(app, embedded_worker=False), base_url="https://bench") as client:
            body = {"email": data.email, "password": PASSWORD}
            client.post("/api/v1/auth/sign-in", json=body)  # warm up
            for _ in range(count):
                if time.monotonic() - started > MAX_SECONDS:
                    break
                t0 = time.perf_counter()
                hasher.verify(hashed, PASSWORD)
                verify.append((time.perf_counter() - t0) * 1000)
                client.cookies.clear()
                t0 = time.perf_counter()
                answer = client.post("/api/v1/auth/sign-in", json=body)
                sign_in.append((time.perf_counter() - t0) * 1000)
                assert answer.status_code == 200, answer.text
        return {
            "argon2id": hashed.split("$")[3],
            "runs": len(sign_in),
            "verify_ms": _ms(verify),
            "sign_in_ms": _ms(sign_in),
            "sign_in_over_verify": round(
                percentile(sorted(sign_in), 50) / percentile(sorted(verify), 50), 2
            ),
        }
    finally:
        app.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    report = Report("sign_in", options.json)
    report.header({"backend": options.backend, "count": options.count})
    backends = ("sqlite", "postgresql") if options.backend == "both" else (options.backend,)
    for backend in backends:
        with scratch_database(backend, "sign_in") as url:
            if url is None:
                continue
            found = measure(url, options.count)
            report.data[backend] = found
            verify, sign_in = found["verify_ms"], found["sign_in_ms"]
            report.line(
                f"{backend}: argon2id {found['argon2id']}, {found['runs']} sign-ins: "
                f"sign-in median {sign_in['median']} ms, p95 {sign_in['p95']} ms, "
                f"max {sign_in['max']} ms (target <= 150 ms); password check alone median "
                f"{verify['median']} ms; ratio {found['sign_in_over_verify']}"
            )
    report.finish()


if __name__ == "__main__":
    main()
