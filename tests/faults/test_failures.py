"""Promises 2 and 3: a failure blocks exactly its dependants and the rest is built; a
report past its time is a failed report, killed with everything it started."""

from __future__ import annotations

import json
import time

import pytest
from helpers import is_gone, reports_file, write_notebook

from reelib.publish import schedule

pytestmark = pytest.mark.slow


def _build(tmp_path, entries, **kwargs):
    lines: list[str] = []
    result = schedule.build_reports(reports_dir=tmp_path / "reports",
                                    reports_file=reports_file(tmp_path, entries), jobs=2,
                                    echo=lines.append, **kwargs)
    return {r.name: r for r in result.results}, result, lines


def test_a_failure_while_a_needed_report_still_runs_blocks_only_its_dependants(tmp_path):
    """The old build crashed with KeyError here, built nothing more and wrote no index."""
    write_notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(2)\nrep.fact('a', n)",
                   {"facts": ["a"]})
    write_notebook(tmp_path / "bad.ipynb", "raise ValueError('boom in cell')")
    write_notebook(tmp_path / "good.ipynb", "rep.fact('a', n)", {"facts": ["a"]})
    status, result, lines = _build(tmp_path, [
        {"name": "slow", "notebook": "slow.ipynb"},
        {"name": "bad", "notebook": "bad.ipynb"},
        {"name": "third", "notebook": "good.ipynb", "needs": ["slow", "bad"]},
        {"name": "independent", "notebook": "good.ipynb", "needs": ["slow"]},
    ])
    assert not result.ok
    assert status["bad"].status == "failed" and status["third"].status == "blocked"
    assert status["slow"].status == "built" and status["independent"].status == "built"
    out = tmp_path / "reports"
    assert (out / "index.html").exists() and "slow" in json.loads((out / "facts.json").read_text())


def test_each_failure_is_one_line_naming_report_notebook_cell_and_error(tmp_path):
    write_notebook(tmp_path / "bad.ipynb", "x = 1\nraise KeyError('no such column')")
    status, result, lines = _build(tmp_path, [{"name": "bad", "notebook": "bad.ipynb"}])
    error = status["bad"].error
    assert "\n" not in schedule._one_line(error)
    summary = [ln for ln in lines if ln.startswith("  bad: failed:")]
    assert len(summary) == 1
    for part in ("'bad'", "bad.ipynb", "cell 3", "KeyError", "no such column"):
        assert part in summary[0], part
    kept = tmp_path / "reports" / "_failed"
    assert (kept / "bad.ipynb").exists() and (kept / "bad.html").exists()


def test_the_index_and_facts_are_written_when_every_report_fails(tmp_path):
    write_notebook(tmp_path / "bad.ipynb", "1 / 0")
    status, result, _ = _build(tmp_path, [{"name": "a", "notebook": "bad.ipynb"},
                                          {"name": "b", "notebook": "bad.ipynb"}])
    out = tmp_path / "reports"
    assert {r.status for r in result.results} == {"failed"}
    assert "ZeroDivisionError" in (out / "index.html").read_text()
    assert json.loads((out / "facts.json").read_text()) == {}


def test_a_missing_notebook_fails_its_report_only(tmp_path):
    """The old build crashed with FileNotFoundError."""
    write_notebook(tmp_path / "good.ipynb", "rep.fact('a', n)", {"facts": ["a"]})
    status, result, _ = _build(tmp_path, [{"name": "gone", "notebook": "gone.ipynb"},
                                          {"name": "good", "notebook": "good.ipynb"}])
    assert status["gone"].status == "failed" and "not found" in status["gone"].error
    assert status["good"].status == "built"


def test_a_report_whose_process_dies_is_failed_and_the_build_goes_on(tmp_path):
    write_notebook(tmp_path / "dies.ipynb", "import os\nos._exit(3)")
    write_notebook(tmp_path / "good.ipynb", "rep.fact('a', n)", {"facts": ["a"]})
    status, _, _ = _build(tmp_path, [{"name": "dies", "notebook": "dies.ipynb"},
                                     {"name": "good", "notebook": "good.ipynb"}])
    assert status["dies"].status == "failed" and "exited with code 3" in status["dies"].error
    assert status["good"].status == "built"


def test_the_previous_good_report_stays_when_a_rebuild_fails(tmp_path):
    write_notebook(tmp_path / "nb.ipynb", "rep.fact('a', n)", {"facts": ["a"]})
    _build(tmp_path, [{"name": "r", "notebook": "nb.ipynb"}])
    before = (tmp_path / "reports" / "r" / "r.html").read_bytes()
    write_notebook(tmp_path / "nb.ipynb", "raise RuntimeError('regression')", {"facts": ["a"]})
    status, _, _ = _build(tmp_path, [{"name": "r", "notebook": "nb.ipynb"}])
    assert status["r"].status == "failed"
    assert (tmp_path / "reports" / "r" / "r.html").read_bytes() == before


def test_a_report_past_its_timeout_fails_naming_the_cell_and_keeps_its_notebook(tmp_path):
    write_notebook(tmp_path / "hangs.ipynb", "import time\ntime.sleep(120)")
    write_notebook(tmp_path / "good.ipynb", "rep.fact('a', n)", {"facts": ["a"]})
    t0 = time.monotonic()
    status, result, _ = _build(tmp_path, [
        {"name": "hangs", "notebook": "hangs.ipynb", "timeout": 2},
        {"name": "after", "notebook": "good.ipynb", "needs": ["hangs"]},
        {"name": "good", "notebook": "good.ipynb"}])
    assert time.monotonic() - t0 < 60
    error = status["hangs"].error
    assert status["hangs"].status == "failed" and "ReportTimeoutError" in error
    assert "2 s limit" in error and "cell 3 ('import time')" in error
    assert status["after"].status == "blocked" and status["good"].status == "built"
    assert (tmp_path / "reports" / "_failed" / "hangs.ipynb").exists()


def test_the_build_wide_timeout_applies_to_reports_without_their_own(tmp_path):
    write_notebook(tmp_path / "hangs.ipynb", "import time\ntime.sleep(120)")
    status, _, _ = _build(tmp_path, [{"name": "hangs", "notebook": "hangs.ipynb"}], timeout=1.5)
    assert "ReportTimeoutError" in status["hangs"].error and "2 s limit" in status["hangs"].error


def test_a_report_that_ignores_the_timeout_is_killed_with_what_it_started(tmp_path):
    pid_file = tmp_path / "child.pid"
    write_notebook(tmp_path / "stubborn.ipynb", (
        "import signal, subprocess, time\n"
        "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "child = subprocess.Popen(['sleep', '300'])\n"
        f"open({str(pid_file)!r}, 'w').write(str(child.pid))\n"
        "time.sleep(300)"))
    t0 = time.monotonic()
    status, _, _ = _build(tmp_path, [{"name": "stubborn", "notebook": "stubborn.ipynb",
                                      "timeout": 1}], grace=1)
    assert time.monotonic() - t0 < 60
    assert "killed" in status["stubborn"].error
    pid = int(pid_file.read_text())
    for _ in range(40):
        if is_gone(pid):
            break
        time.sleep(0.1)
    assert is_gone(pid), "the notebook's subprocess outlived the killed report"


def test_a_build_started_with_ctrl_c_ignored_still_stops_a_report_at_its_timeout(tmp_path):
    """A script started in the background (``python build_all.py &``) inherits Ctrl-C
    ignored, and so did the report processes of a build it ran through the library; the
    report's own interrupt at its timeout then did nothing: the report sat out the whole
    20 s grace and was killed, its notebook saved only as far as the last autosave. (The
    command line was spared: ``reelib`` installs its own Ctrl-C handler first.)"""
    import signal
    import subprocess
    import sys

    write_notebook(tmp_path / "hangs.ipynb", "import time\ntime.sleep(120)")
    entries = reports_file(tmp_path, [{"name": "hangs", "notebook": "hangs.ipynb",
                                       "timeout": 1}])
    script = ("import sys\nfrom pathlib import Path\nfrom reelib.publish import schedule\n"
              f"r = schedule.build_reports(reports_dir=Path({str(tmp_path / 'reports')!r}), "
              f"reports_file=Path({str(entries)!r}), jobs=1)\n"
              "print(r.results[0].error)")
    t0 = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120,
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    took = time.monotonic() - t0
    assert done.returncode == 0, done.stderr
    assert "ran past its 1 s limit in cell 3 ('import time')" in done.stdout, done.stdout
    assert took < 15, f"the report waited out its grace ({took:.0f} s): {done.stdout}"
    assert (tmp_path / "reports" / "_failed" / "hangs.ipynb").exists()
