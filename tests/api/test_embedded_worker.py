"""The embedded worker (SQLite) stops with the application: the job it is in finishes and is
awaited, and no other starts."""

from __future__ import annotations

import threading
import time

from starlette.testclient import TestClient

from loyalist.api.app import create_app
from loyalist.bootstrap import DueJob, Loyalist
from loyalist.db.database import Database
from loyalist.settings import ProgramPolicy


class TestEmbeddedWorkerOnShutdown:
    def test_waits_for_the_job_in_progress_and_starts_no_other(self, app: Loyalist) -> None:
        started, finished = threading.Event(), threading.Event()
        runs: list[str] = []

        def slow(_db: Database, _program: ProgramPolicy, _limit: int) -> int:
            runs.append("slow")
            started.set()
            time.sleep(0.5)
            finished.set()
            return 1

        def after(_db: Database, _program: ProgramPolicy, _limit: int) -> int:
            runs.append("after")
            return 0

        app._jobs = (DueJob("slow", slow), DueJob("after", after))
        with TestClient(create_app(app, embedded_worker=True)):
            assert started.wait(10)

        assert finished.is_set()
        assert runs == ["slow"]
