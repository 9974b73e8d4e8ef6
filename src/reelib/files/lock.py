"""One writer at a time per folder: an OS lock file holding the holder's PID.

The report build locks ``reports/`` and the clean step ``data/processed``.
``folder_lock(folder)`` takes an exclusive ``flock`` on ``<folder>/.build.lock`` and writes
its PID and start time there. The operating system releases the lock when the holder
exits, however it exits, so a lock left by a dead build is simply taken over. A second
build stops at once with ``BuildLockedError`` naming the holder, or waits up to ``wait``
seconds for it.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from reelib.exceptions import BuildLockedError

LOCK_NAME = ".build.lock"
#: lock files this process holds (a build inside ``reelib build`` must not lock twice)
_HELD: set[str] = set()


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text())
        return f"PID {info['pid']}, started {info['started']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "an unknown process"


@contextmanager
def folder_lock(folder: Path, *, wait: float = 0.0, poll: float = 0.5) -> Iterator[Path]:
    """Hold the build lock of ``folder`` for the ``with`` block."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    key = str(path.resolve())
    if key in _HELD:  # taken by this process already (reelib build -> build_reports)
        yield path
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BuildLockedError(
                        f"another build is running in {folder} ({_holder(path)}); wait for "
                        "it to finish, or pass --wait SECONDS to queue behind it") from None
                time.sleep(poll)
        info = {"pid": os.getpid(),
                "started": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(info) + "\n").encode(), 0)
        _HELD.add(key)
        try:
            yield path
        finally:
            _HELD.discard(key)
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
