"""``loyalist serve --workers N``: its processes count their metrics in one private folder."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from loyalist.cli.runtime import MULTIPROC_DIR, shared_metrics


def test_a_private_folder_is_made_for_the_processes_and_removed_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(MULTIPROC_DIR, raising=False)

    with shared_metrics():
        folder = Path(os.environ[MULTIPROC_DIR])
        mode = stat.S_IMODE(folder.stat().st_mode)
        (folder / "counter_1.db").write_bytes(b"counts")

    assert mode == 0o700
    assert not folder.exists()
    assert MULTIPROC_DIR not in os.environ


def test_the_operators_own_folder_is_used_and_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(MULTIPROC_DIR, str(tmp_path))

    with shared_metrics():
        assert os.environ[MULTIPROC_DIR] == str(tmp_path)

    assert tmp_path.is_dir()
    assert os.environ[MULTIPROC_DIR] == str(tmp_path)
