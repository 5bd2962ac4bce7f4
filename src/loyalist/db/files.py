"""Files and directories readable by their owner only: the SQLite database, the key file,
exports and import reports (0600), and the directories Loyalist creates for them (0700).

What exists already is never loosened: a directory that exists keeps its mode, and a file
opened again loses its group and other bits, nothing more.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

#: Group and other lose every permission on what a process creates (``loyalist`` sets it at
#: start; the systemd units say ``UMask=0077``).
PRIVATE_UMASK = 0o077
PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def restrict_umask() -> None:
    """Add ``PRIVATE_UMASK`` to the process umask (a stricter umask stays as it is), so
    what sqlite, polars or matplotlib create is private too."""
    os.umask(os.umask(PRIVATE_UMASK) | PRIVATE_UMASK)


def private_opener(path: str, flags: int) -> int:
    """An ``opener`` for :func:`open`: a file it creates has mode 0600; an existing regular
    file of ours opened again loses its group and other permissions (it is never
    loosened; another user's file, writable to us, keeps the mode its owner gave it)."""
    fd = os.open(path, flags, PRIVATE_FILE_MODE)
    try:
        found = os.fstat(fd)
        mine = found.st_uid == os.geteuid()
        if stat.S_ISREG(found.st_mode) and mine and found.st_mode & 0o077:
            os.fchmod(fd, stat.S_IMODE(found.st_mode) & ~0o077)
    except BaseException:
        os.close(fd)
        raise
    return fd


def make_private_dir(path: Path) -> None:
    """Create ``path`` and its missing parents with mode 0700; existing ones keep theirs."""
    missing = []
    for folder in (path, *path.parents):
        if folder.is_dir():
            break
        missing.append(folder)
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR_MODE, exist_ok=True)


def create_private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 (and its missing folders with 0700) unless it
    exists, for a writer that opens it by name: SQLite (whose ``-wal`` and ``-shm`` files
    take the database file's mode) and polars."""
    make_private_dir(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    except FileExistsError:
        return
