"""What Loyalist writes to disk is its owner's only: the home and the folders it creates
0700; the database with its ``-wal`` and ``-shm`` files, the key file, exports, import
reports and plots 0600; and what exists already is never loosened.

Every test runs under umask 022 (what most shells have), so a private mode is Loyalist's
doing, not the test machine's.
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import polars as pl
import pytest
from sqlalchemy import text

from loyalist.activities.schemas import parse_events
from loyalist.activities.service import ingest_events
from loyalist.bootstrap import Loyalist
from loyalist.cli.exports import FileFormat, write_frames
from loyalist.coupons import service as coupons
from loyalist.coupons.schemas import CampaignIn
from loyalist.db.crypto import write_key_file
from loyalist.db.engine import create_engines
from loyalist.db.files import (
    create_private_file,
    make_private_dir,
    private_opener,
    restrict_umask,
)
from tests.cli.conftest import Cli, needs_sqlite, sqlite_only
from tests.cli.helpers import jsonl_line
from tests.conftest import event, order_body

BACKFILL = Path(__file__).resolve().parents[1] / "data" / "connectors" / "backfill"
CDNOW = Path(__file__).resolve().parents[1] / "data" / "cdnow" / "CDNOW_sample.txt"


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    before = os.umask(0o022)
    yield
    os.umask(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _recent(days_ago: float) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) - timedelta(days=days_ago)


def _shop(app: Loyalist) -> None:
    batch = [
        event("e1", "member.enrolled", "F1", _recent(9), email="one@example.org"),
        event("o1", "order.placed", "F1", _recent(8), **order_body("FO1", ("shoe", 1, 5000))),
        event("p1", "order.paid", "F1", _recent(7.9), order_id="FO1"),
    ]
    app.db.write(lambda uow: ingest_events(uow, parse_events(batch)))


@needs_sqlite
class TestInit:
    def test_creates_the_home_its_folders_the_key_and_the_database_private(
        self, tmp_path: Path
    ) -> None:
        cli = Cli(tmp_path / "srv" / "loyalist" / "home")

        result = cli.run("init")

        assert result.code == 0, result.stderr
        for folder in (tmp_path / "srv", tmp_path / "srv" / "loyalist", cli.home):
            assert mode(folder) == 0o700, folder
        assert mode(cli.home / "secret.key") == 0o600
        assert mode(cli.home / "loyalist.db") == 0o600

    def test_an_existing_home_key_and_database_keep_their_modes(self, tmp_path: Path) -> None:
        home = tmp_path / "home"
        home.mkdir(mode=0o750)
        home.chmod(0o750)
        key_file = home / "secret.key"
        assert write_key_file(key_file)
        key_file.chmod(0o400)
        database = home / "loyalist.db"
        database.touch()
        database.chmod(0o640)

        result = Cli(home).run("init")

        assert result.code == 0, result.stderr
        assert "created secret key" not in result.stderr
        assert (mode(home), mode(key_file), mode(database)) == (0o750, 0o400, 0o640)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@needs_sqlite
class TestServe:
    def test_the_database_its_wal_and_shm_files_are_private_while_serving(
        self, tmp_path: Path
    ) -> None:
        cli = Cli(tmp_path / "home")
        assert cli.run("init").code == 0
        port = _free_port()
        database = cli.home / "loyalist.db"
        log = (tmp_path / "serve.log").open("wb")
        server = cli.start("serve", "--port", str(port), output=log)
        try:
            deadline = time.monotonic() + 30
            ready = False
            while time.monotonic() < deadline and server.poll() is None:
                try:
                    ready = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).is_success
                except httpx.TransportError:
                    ready = False
                wal = database.with_name("loyalist.db-wal")
                shm = database.with_name("loyalist.db-shm")
                if ready and wal.exists() and shm.exists():
                    break
                time.sleep(0.2)
            assert ready, (tmp_path / "serve.log").read_text()
            assert {p.name: mode(p) for p in (database, wal, shm)} == {
                "loyalist.db": 0o600,
                "loyalist.db-wal": 0o600,
                "loyalist.db-shm": 0o600,
            }
            # what the server creates by name beside the database: private by the umask
            others = [p for p in cli.home.iterdir() if p.is_file()]
            assert {p.name: mode(p) for p in others} == {p.name: 0o600 for p in others}
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()


@sqlite_only
class TestExports:
    def test_exports_are_private_and_replace_a_readable_file_without_touching_its_folder(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        _shop(app)
        out = tmp_path / "exports"
        out.mkdir()
        out.chmod(0o755)
        readable = out / "members.csv"
        readable.write_text("old\n")
        readable.chmod(0o644)
        targets = {
            "members": readable,
            "ledger": out / "ledger.parquet",
            "balances": out / "balances.csv",
            "orders": out / "orders.parquet",
        }

        for what, target in targets.items():
            result = cli.run("export", what, "--out", str(target))
            assert result.code == 0, result.stderr

        assert {p.name: mode(p) for p in out.iterdir()} == {
            "members.csv": 0o600,
            "ledger.parquet": 0o600,
            "balances.csv": 0o600,
            "orders.parquet": 0o600,
        }
        assert readable.read_text().startswith("member_id,")
        assert mode(out) == 0o755

    def test_coupon_codes_and_the_program_file_are_private(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        name, discount = {"en": "Spring", "ru": "Весна"}, {"type": "percent", "percent": "10"}
        spec = CampaignIn.model_validate({"name": name, "discount": discount})
        app.db.write(lambda uow: coupons.put_campaign(uow, "spring", spec))
        generated = cli.run("coupons", "generate", "spring", "--count", "5", "--request-key", "k")
        assert generated.code == 0, generated.stderr
        codes, program = tmp_path / "codes.csv", tmp_path / "program.yaml"

        exported = cli.run("coupons", "export", "spring", "--out", str(codes))
        written = cli.run("program", "export", "--output", str(program))

        assert exported.code == 0, exported.stderr
        assert written.code == 0, written.stderr
        assert (mode(codes), mode(program)) == (0o600, 0o600)
        assert len(codes.read_text().splitlines()) == 6


@sqlite_only
class TestImportReports:
    def test_the_rejected_lines_of_an_event_import_are_private(
        self, cli: Cli, tmp_path: Path
    ) -> None:
        path = tmp_path / "events.jsonl"
        good = event("g0", "member.enrolled", "Q1", _recent(9))
        path.write_text(jsonl_line(good) + '\n{"id": "bad",\n')

        result = cli.run("import", "events", str(path), "--on-error", "skip")

        assert result.code == 0, result.stderr
        assert mode(tmp_path / "events.jsonl.rejected.csv") == 0o600

    def test_the_rejected_and_adjusted_orders_of_a_backfill_are_private(
        self, cli: Cli, tmp_path: Path
    ) -> None:
        path = Path(shutil.copy(BACKFILL / "shopify_orders_bad_rows.csv", tmp_path))

        result = cli.run("import", "shopify-orders", str(path), "--on-error", "skip")

        assert result.code == 0, result.stderr
        reports = sorted(tmp_path.glob("*.csv.*.csv"))
        assert {p.name: mode(p) for p in reports} == {
            "shopify_orders_bad_rows.csv.rejected.csv": 0o600,
            "shopify_orders_bad_rows.csv.adjusted.csv": 0o600,
        }


@sqlite_only
class TestInsights:
    def test_a_lifetime_value_plot_is_private(self, cli: Cli, tmp_path: Path) -> None:
        orders = tmp_path / "orders.csv"
        rows = ["customer_id,date,amount"]
        for line in CDNOW.read_text().splitlines():
            if line.strip():
                _, customer, day, _, amount = line.split()
                rows.append(f"{customer},{day},{amount}")
        orders.write_text("\n".join(rows) + "\n")
        plot = tmp_path / "holdout.png"

        result = cli.run(
            "insights",
            "clv",
            "--orders",
            str(orders),
            "--calibration-end",
            "1997-09-30",
            "--holdout-end",
            "1998-06-30",
            "--plot",
            str(plot),
        )

        assert result.code == 0, result.stderr
        assert mode(plot) == 0o600


@needs_sqlite
class TestLibrary:
    """The same modes for a program that uses Loyalist without the ``loyalist`` command
    (whose umask is its own)."""

    def test_a_new_sqlite_database_and_its_wal_and_shm_are_private(self, tmp_path: Path) -> None:
        path = tmp_path / "data" / "loyalist.db"
        writer, reader = create_engines(f"sqlite:///{path}")
        try:
            with writer.connect() as conn:
                conn.execute(text("CREATE TABLE t (x INTEGER)"))
                conn.execute(text("INSERT INTO t VALUES (1)"))
                files = {p.name: mode(p) for p in path.parent.iterdir()}
        finally:
            writer.dispose()
            reader.dispose()

        assert files == {"loyalist.db": 0o600, "loyalist.db-wal": 0o600, "loyalist.db-shm": 0o600}
        assert mode(path.parent) == 0o700

    def test_written_frames_and_a_key_file_are_private(self, tmp_path: Path) -> None:
        frame = pl.DataFrame({"member": ["A", "B"], "points": [1, 2]})
        csv_path, parquet_path = tmp_path / "a.csv", tmp_path / "a.parquet"
        key_file = tmp_path / "keys" / "secret.key"

        write_frames([frame], frame.schema, csv_path, FileFormat.CSV)
        write_frames([frame], frame.schema, parquet_path, FileFormat.PARQUET)
        write_key_file(key_file)

        assert (mode(csv_path), mode(parquet_path), mode(key_file)) == (0o600, 0o600, 0o600)
        assert mode(key_file.parent) == 0o700
        assert pl.read_parquet(parquet_path).equals(frame)

    def test_a_file_opened_again_loses_group_and_other_bits_only(self, tmp_path: Path) -> None:
        loose, narrow = tmp_path / "loose", tmp_path / "narrow"
        for path, given in ((loose, 0o666), (narrow, 0o400)):
            path.write_text("x")
            path.chmod(given)

        with open(loose, "a", opener=private_opener) as handle:
            handle.write("y")
        create_private_file(narrow)

        assert (mode(loose), mode(narrow)) == (0o600, 0o400)
        assert loose.read_text() == "xy"

    def test_an_existing_folder_keeps_its_mode_and_new_ones_are_private(
        self, tmp_path: Path
    ) -> None:
        shared = tmp_path / "shared"
        shared.mkdir()
        shared.chmod(0o755)

        make_private_dir(shared / "a" / "b")

        assert (mode(shared), mode(shared / "a"), mode(shared / "a" / "b")) == (0o755, 0o700, 0o700)


def test_the_umask_loses_group_and_other_bits_and_a_stricter_one_stays() -> None:
    found = []
    for given in (0o002, 0o277):
        os.umask(given)
        restrict_umask()
        found.append(os.umask(0o022))

    assert found == [0o077, 0o277]
