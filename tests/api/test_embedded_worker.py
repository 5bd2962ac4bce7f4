"""The application's shutdown: the embedded worker's job finishes and is awaited, no other
starts; an application that owns its ``Loyalist`` (``loyalist serve --workers N``) closes it,
committing the queued writes."""

from __future__ import annotations

import threading
import time
from functools import partial

from sqlalchemy import select
from starlette.testclient import TestClient

from loyalist.api.app import create_app
from loyalist.bootstrap import DueJob, Loyalist
from loyalist.db.database import Database
from loyalist.db.uow import UnitOfWork
from loyalist.settings import ProgramPolicy
from loyalist.staff.models import ApiKey, Scope
from loyalist.staff.service import create_api_key


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


def new_key(uow: UnitOfWork, name: str) -> int:
    return create_api_key(uow, name, [Scope.ADMIN])[0].id


class TestOwnedLoyalistOnShutdown:
    def test_commits_the_queued_writes_before_the_application_ends(self, app: Loyalist) -> None:
        with TestClient(create_app(app, embedded_worker=False, owns_loyalist=True)):
            busy = app.db.submit(lambda uow: time.sleep(0.3))
            queued = [app.db.submit(partial(new_key, name=f"queued {n}")) for n in range(20)]

        assert busy.done()
        assert all(future.done() for future in queued)
        ids = [future.result(timeout=0) for future in queued]
        stored = app.db.read(lambda uow: set(uow.session.scalars(select(ApiKey.id))))
        assert set(ids) <= stored
