"""``kill -9`` of ``loyalist import events FILE`` at seeded moments, twice, then a rerun to
the end: every event of the file is applied once, and the points are those of an import
that was never interrupted (the same file into a second installation)."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from loyalist.bootstrap import Loyalist, bootstrap
from loyalist.db.crypto import Keyring
from loyalist.demo import ShopSpec, generate_events
from loyalist.settings import Settings
from tests.cli.conftest import Cli
from tests.cli.helpers import activity_count, imported, write_jsonl
from tests.conftest import TEST_KEY
from tests.faults.helpers import fault_seeds, kill_9, replayable, wait_until
from tests.integration.helpers import assert_ledger_consistent, points


def _balances(app: Loyalist, members: set[str]) -> dict[str, tuple[int, int, int]]:
    """Each member's available, pending and lifetime earned points."""
    found = {m: points(app, m) for m in members}
    return {m: (p["available"], p["pending"], p["lifetime_earned"]) for m, p in found.items()}


@pytest.mark.parametrize("seed", fault_seeds(3, 4))
def test_an_import_killed_twice_then_rerun_applies_every_event_once(
    seed: int, cli: Cli, app: Loyalist, tmp_path: Path, sqlite_template: Path
) -> None:
    with replayable(seed) as rng:
        events = list(generate_events(ShopSpec(members=40, months=3, end=date(2026, 11, 1))))
        path = write_jsonl(tmp_path / "shop.jsonl", events)
        batch = str(rng.choice((10, 20, 30)))
        committed: list[int] = []
        for kill in range(2):
            with (tmp_path / f"import-{kill}.log").open("wb") as log:
                process = cli.start(
                    "import", "events", str(path), "--batch-size", batch, output=log
                )
                try:
                    already = activity_count(app)
                    after = already + rng.randrange(1, len(events) // 3)
                    wait_until(
                        lambda: activity_count(app) >= after,  # noqa: B023 (called at once)
                        timeout=60,
                        what="the import",
                        process=process,
                    )
                    time.sleep(rng.uniform(0, 0.02))
                    kill_9(process)
                finally:
                    process.kill()
                    process.wait(timeout=30)
            committed.append(activity_count(app))
        assert 0 < committed[0] <= committed[1] < len(events), "the kills must land mid-import"

        rerun = cli.run("import", "events", str(path))

        assert rerun.code == 0, rerun.stderr
        fresh, replayed = imported(rerun.stdout)
        assert (fresh + replayed, replayed >= committed[1]) == (len(events), True)
        assert activity_count(app) == len({ev["id"] for ev in events})
        assert_ledger_consistent(app)
        # the same points as an import that was never interrupted
        clean_db = tmp_path / "clean.db"
        clean_db.write_bytes(sqlite_template.read_bytes())
        clean = replace(cli, database_url=f"sqlite:///{clean_db}")
        assert clean.run("import", "events", str(path)).code == 0
        reference = bootstrap(
            Settings(database_url=clean.database_url), keyring=Keyring.from_secrets(TEST_KEY)
        )
        try:
            members = {ev["member_id"] for ev in events}
            assert _balances(app, members) == _balances(reference, members)
        finally:
            reference.close()
