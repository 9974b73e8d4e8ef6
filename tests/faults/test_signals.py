"""SIGTERM and SIGINT in every phase (fetch, clean): exit 130, the folder lock released,
nothing half-written, and the next run succeeds."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reelib import config

pytestmark = pytest.mark.slow


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


def _env(project: Path) -> dict:
    return {**os.environ, "REELIB_ROOT": str(project),
            config.MIRROR_ENV_VAR: str(config.mirror_dir())}


def _wait_for_raw(project: Path, proc: subprocess.Popen, timeout: float = 60) -> None:
    """Until the fetch has written its first source folder (it is then mid-fetch)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end and proc.poll() is None:
        if any(p.is_dir() for p in (project / "data" / "raw").iterdir()):
            return
        time.sleep(0.01)


def _start(project: Path, *args: str) -> subprocess.Popen:
    env = _env(project)
    return subprocess.Popen([sys.executable, "-m", "reelib.cli", *args], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


# Both signals share one handler; each is sent in one phase, so together they cover both
# signals and both phases in half the time of every combination.
@pytest.mark.parametrize("phase, delay, sig", [("fetch", 0.0, signal.SIGTERM),
                                               ("clean", 4.0, signal.SIGINT)],
                         ids=["TERM-in-fetch", "INT-in-clean"])
def test_a_signal_in_fetch_or_clean_exits_130_and_leaves_nothing_half_done(
        project, sig, phase, delay):
    processed = project / "data" / "processed"
    before = _digests(processed)
    if phase == "clean":  # the raw files in place, so the signal lands in the clean
        done = subprocess.run([sys.executable, "-m", "reelib.cli", "fetch"], cwd=project,
                              env=_env(project),
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    proc = _start(project, phase)
    if phase == "fetch":
        _wait_for_raw(project, proc)
    time.sleep(delay)
    assert proc.poll() is None, "finished before the signal: raise the work or lower delay"
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, (proc.returncode, err[-2000:])
    assert "interrupted" in err
    assert _digests(processed) == before  # nothing half-written
    leftovers = [p for p in (project / "data").rglob("*") if p.name.endswith((".part", ".tmp"))
                 or ".tmp-" in p.name]
    assert leftovers == []
    # the next run succeeds; after the clean, `data` also finds the old tables still current
    again = subprocess.run([sys.executable, "-m", "reelib.cli",
                            "data" if phase == "clean" else phase], cwd=project,
                           env=_env(project),
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr[-2000:]
    if phase == "clean":
        assert "is up to date" in again.stdout, again.stdout


@pytest.mark.parametrize("err, fix", [("ENOSPC", "free disk space"),
                                      ("EROFS", "read-only"), ("EACCES", "permissions")])
def test_an_operating_system_error_names_the_path_and_the_fix(monkeypatch, capsys, err, fix):
    import errno

    from reelib import cli
    from reelib.processed import pipeline

    def refuse(*a, **k):
        raise OSError(getattr(errno, err), os.strerror(getattr(errno, err)),
                      "data/processed/production.parquet")

    monkeypatch.setattr(pipeline, "clean_all", refuse)
    assert cli.main(["clean"]) == cli.EXIT_OS_ERROR
    msg = capsys.readouterr().err
    assert "data/processed/production.parquet" in msg and fix in msg and "bug" not in msg
