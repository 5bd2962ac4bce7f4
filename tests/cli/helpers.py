"""Helpers for command-line tests: event files, what the database holds, command output."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import func, select

from loyalist.activities.models import Activity
from loyalist.bootstrap import Loyalist

CSV_COLUMNS = ("id", "type", "member_id", "occurred_at", "data")
_IMPORTED = re.compile(r"imported (\d+) events \((\d+) already present\)")


def jsonl_line(event: dict[str, Any]) -> str:
    return orjson.dumps(event).decode()


def csv_row(event: dict[str, Any], *, indent: bool = False) -> list[str]:
    """An event as a CSV row; ``indent`` spreads its ``data`` JSON over several lines."""
    data = orjson.dumps(event["data"], option=orjson.OPT_INDENT_2 if indent else 0).decode()
    return [event["id"], event["type"], event["member_id"], event["occurred_at"], data]


def write_jsonl(path: Path, events: Iterable[dict[str, Any]]) -> Path:
    path.write_text("".join(jsonl_line(ev) + "\n" for ev in events))
    return path


def write_csv(path: Path, rows: Iterable[list[str]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        writer.writerows(rows)
    return path


def activity_ids(app: Loyalist) -> set[str]:
    return set(app.db.read(lambda uow: uow.session.scalars(select(Activity.event_id)).all()))


def activity_count(app: Loyalist) -> int:
    return app.db.read(
        lambda uow: uow.session.scalar(select(func.count()).select_from(Activity)) or 0
    )


def imported(stdout: str) -> tuple[int, int]:
    """``(new, already present)`` from the summary line of ``import events``."""
    found = _IMPORTED.search(stdout)
    assert found, f"no import summary in {stdout!r}"
    return int(found[1]), int(found[2])
