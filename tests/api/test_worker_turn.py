"""With several server processes on one SQLite file, one of them runs the embedded worker."""

from __future__ import annotations

from pathlib import Path

from loyalist.api.app import WorkerTurn


class TestWorkerTurn:
    def test_only_one_server_runs_the_worker_until_it_stops(self, tmp_path: Path) -> None:
        url = f"sqlite:///{tmp_path / 'loyalist.db'}"
        first, second = WorkerTurn(url), WorkerTurn(url)
        assert first.mine()
        assert first.mine()
        assert not second.mine()
        first.release()
        assert second.mine()
        assert not first.mine()
        second.release()

    def test_every_server_runs_it_without_a_database_file(self) -> None:
        for url in ("sqlite://", "postgresql+psycopg://postgres@127.0.0.1/test"):
            one, other = WorkerTurn(url), WorkerTurn(url)
            assert one.mine()
            assert other.mine()
