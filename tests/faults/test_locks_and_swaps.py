"""Promises 5 and 6: one build at a time; the last good report survives kills, failed
swaps and recoveries, and stale failed copies go away."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from helpers import reports_file, run, start, write_notebook

from reelib.publish import schedule
from reelib.publish.execute import recover_swaps, swap_in
from reelib.publish.freshness import stale_reason
from reelib.publish.provenance import code_fingerprint
from reelib.publish.specs import load_reports_file
from reelib.exceptions import BuildLockedError
from reelib.files import lock, paths

pytestmark = pytest.mark.slow
QUIET = {"echo": lambda *a: None}
HOLD = ("import sys, time; from pathlib import Path; from reelib.files.lock import folder_lock\n"
        "with folder_lock(Path(sys.argv[1])):\n"
        "    print('held', flush=True); time.sleep(float(sys.argv[2]))")


def _hold(folder, seconds):
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(folder), str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_build_stops_with_the_holders_pid(tmp_path):
    holder = _hold(tmp_path / "reports", 30)
    try:
        with pytest.raises(BuildLockedError, match=f"PID {holder.pid}"):
            with lock.folder_lock(tmp_path / "reports"):
                pass
    finally:
        holder.kill()
        holder.wait()


def test_a_lock_left_by_a_dead_build_is_taken_over(tmp_path):
    folder = tmp_path / "reports"
    holder = _hold(folder, 30)
    holder.kill()
    holder.wait()
    assert json.loads((folder / ".build.lock").read_text())["pid"] == holder.pid
    with lock.folder_lock(folder):
        assert json.loads((folder / ".build.lock").read_text())["pid"] == os.getpid()


def test_wait_queues_behind_the_running_build(tmp_path):
    holder = _hold(tmp_path / "reports", 1.5)
    t0 = time.monotonic()
    with lock.folder_lock(tmp_path / "reports", wait=30, poll=0.1):
        assert time.monotonic() - t0 >= 1.0
    holder.wait()


def test_two_builds_at_once_one_waits_out_nothing_is_lost(project):
    """The old build deleted the other's staging folders and died with a traceback."""
    nb = project / "notebooks"
    write_notebook(nb / "slow.ipynb", "import time\ntime.sleep(3)\nrep.fact('a', n)",
                   {"facts": ["a"]})
    reports_file(nb, [{"name": "slow", "notebook": "slow.ipynb"}])
    first = start(["build", "--skip-data"], project)
    time.sleep(1.0)
    second = run(["build", "--skip-data"], root=project)
    out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert second.returncode == 3 and "another build is running" in second.stderr
    assert "Traceback" not in second.stderr
    assert json.loads((project / "reports" / "slow" / "facts.json").read_text())["a"]


def test_swap_exchanges_the_new_report_for_the_old_in_one_step(tmp_path):
    reports = tmp_path / "reports"
    (reports / "r").mkdir(parents=True)
    (reports / "r" / "manifest.json").write_text("old")
    staging = reports / ".staging" / "r.123"
    staging.mkdir(parents=True)
    (staging / "manifest.json").write_text("new")
    swap_in(staging, reports / "r", reports)
    assert (reports / "r" / "manifest.json").read_text() == "new" and not staging.exists()


def test_without_an_atomic_exchange_a_kill_mid_swap_is_recovered(tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    (reports / ".staging" / "r.123.old").mkdir(parents=True)
    (reports / ".staging" / "r.123.old" / "manifest.json").write_text("good")
    assert recover_swaps(reports) == ["r"]  # killed after 'final -> .old', before the rest
    assert (reports / "r" / "manifest.json").read_text() == "good"
    monkeypatch.setattr(paths, "exchange", lambda a, b: False)
    from reelib.publish import execute

    monkeypatch.setattr(execute, "exchange", lambda a, b: False)
    staging = reports / ".staging" / "r.456"
    staging.mkdir()
    (staging / "manifest.json").write_text("newer")
    swap_in(staging, reports / "r", reports)
    assert (reports / "r" / "manifest.json").read_text() == "newer"
    assert not list((reports / ".staging").glob("*.old"))


def test_a_build_killed_midway_leaves_only_complete_reports(project):
    nb = project / "notebooks"
    for name in ("a", "b", "c", "d"):
        write_notebook(nb / f"{name}.ipynb", "rep.fact('a', n)", {"facts": ["a"]})
    reports_file(nb, [{"name": x, "notebook": f"{x}.ipynb"} for x in "abcd"])
    assert run(["build", "--skip-data"], root=project).returncode == 0
    for x in "abcd":  # change every notebook, then kill the rebuild part-way
        write_notebook(nb / f"{x}.ipynb", "import time\ntime.sleep(1)\nrep.fact('a', n + 1)",
                       {"facts": ["a"]})
    proc = start(["build", "--skip-data", "--jobs", "2"], project)
    # kill it once the first new report is in place: some swapped in, the rest not yet
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and not any(
            json.loads((project / "reports" / x / "facts.json").read_text())["a"]["value"] == 2
            for x in "abcd"):
        time.sleep(0.02)
    assert proc.poll() is None, "the rebuild ended before it could be killed"
    proc.kill()
    proc.wait()
    specs = {s.name: s for s in load_reports_file(nb / "reports.yaml")}
    values = []
    for x in "abcd":
        folder = project / "reports" / x
        manifest = json.loads((folder / "manifest.json").read_text())
        for rel, sha in manifest["outputs"].items():
            assert (folder / rel).exists(), f"{x}/{rel} missing after the kill"
        values.append(json.loads((folder / "facts.json").read_text())["a"]["value"])
    assert set(values) <= {1, 2} and 2 in values and 1 in values, values
    again = run(["build", "--skip-data"], root=project)
    assert again.returncode == 0, again.stderr
    assert not (project / "reports" / ".staging").exists()
    code = code_fingerprint()
    assert all(stale_reason(specs[x], project / "reports", code) is None for x in "abcd")


def test_a_recovered_report_loses_its_failed_copy_and_index_link(tmp_path):
    """Once, the _failed copy stayed and the index linked it after the report recovered."""
    write_notebook(tmp_path / "nb.ipynb", "raise ValueError('first try')", {"facts": ["a"]})
    path = reports_file(tmp_path, [{"name": "r", "notebook": "nb.ipynb"}])
    out = tmp_path / "reports"
    schedule.build_reports(reports_dir=out, reports_file=path, **QUIET)
    assert (out / "_failed" / "r.ipynb").exists()
    assert "_failed/r.html" in (out / "index.html").read_text()
    write_notebook(tmp_path / "nb.ipynb", "rep.fact('a', n)", {"facts": ["a"]})
    assert schedule.build_reports(reports_dir=out, reports_file=path, **QUIET).ok
    assert not (out / "_failed" / "r.ipynb").exists() and not (out / "_failed" / "r.html").exists()
    assert "_failed/r.html" not in (out / "index.html").read_text()


def test_an_up_to_date_report_loses_a_stale_failed_copy(tmp_path):
    write_notebook(tmp_path / "nb.ipynb", "rep.fact('a', n)", {"facts": ["a"]})
    path = reports_file(tmp_path, [{"name": "r", "notebook": "nb.ipynb"}])
    out = tmp_path / "reports"
    schedule.build_reports(reports_dir=out, reports_file=path, **QUIET)
    (out / "_failed").mkdir()
    (out / "_failed" / "r.html").write_text("old failure")
    result = schedule.build_reports(reports_dir=out, reports_file=path, **QUIET)
    assert result.results[0].status == "up to date" and not (out / "_failed" / "r.html").exists()


def test_a_report_removed_from_the_reports_file_is_not_cited_in_facts_json(tmp_path):
    """Its folder stays (nothing is deleted), but reports/facts.json, which a reader cites,
    holds only the reports the build knows: a lingering folder once put a removed
    report's stale numbers there."""
    write_notebook(tmp_path / "nb.ipynb", "rep.fact('a', n)", {"facts": ["a"]})
    path = reports_file(tmp_path, [{"name": "r", "notebook": "nb.ipynb"}])
    out = tmp_path / "reports"
    gone = out / "gone"
    gone.mkdir(parents=True)
    (gone / "facts.json").write_text('{"a": {"value": 99}}')
    assert schedule.build_reports(reports_dir=out, reports_file=path, **QUIET).ok
    assert set(json.loads((out / "facts.json").read_text())) == {"r"}
    assert (gone / "facts.json").exists()
