"""What a report's process starts with: it is forked from a warm parent that has read
what every report reads, and its numerical libraries run one thread each."""

from __future__ import annotations

import os

import pytest
from helpers import facts, reports_file, write_notebook

from reelib import config
from reelib.publish import schedule

pytestmark = pytest.mark.slow


def _build(tmp_path, notebook: str, names: list[str]) -> dict:
    write_notebook(tmp_path / "probe.ipynb", notebook, {"facts": names})
    result = schedule.build_reports(
        reports_dir=tmp_path / "reports", jobs=2, echo=lambda *a: None,
        reports_file=reports_file(tmp_path, [{"name": "a", "notebook": "probe.ipynb"}]))
    assert result.ok, [r.error for r in result.results]
    return {k: v["value"] for k, v in facts(tmp_path / "reports" / "a").items()}


def test_reports_run_with_one_blas_thread_each(tmp_path):
    """Two reports side by side must not each start a BLAS thread per core."""
    from reelib.publish.workers import THREAD_LIMITS

    found = _build(tmp_path, "import os\n"
                   "rep.fact('blas', os.environ.get('OPENBLAS_NUM_THREADS', 'unset'))",
                   ["blas"])
    # the limit, unless whoever runs the tests set their own (which is then kept)
    assert found["blas"] == os.environ.get("OPENBLAS_NUM_THREADS",
                                           THREAD_LIMITS["OPENBLAS_NUM_THREADS"])


def test_reports_start_with_the_tables_and_the_registry_already_read(tmp_path):
    """Reading them in each report's process cost every report again (the registry alone
    took 35 ms to parse, a tenth of a small report)."""
    found = _build(tmp_path, "from reelib.processed import store\n"
                   "from reelib.sources.registry import _parse_registry\n"
                   "rep.fact('tables', len(store._CACHE))\n"
                   "rep.fact('registries', _parse_registry.cache_info().currsize)",
                   ["tables", "registries"])
    assert found["tables"] == len(list(config.PROCESSED_DIR.glob("*.parquet"))) > 0
    assert found["registries"] == 1


def test_processes_a_notebook_starts_end_with_its_report(tmp_path):
    """A notebook that starts a long-running process must not leave it running (holding
    the build's output open) after its report has finished."""
    import subprocess
    import time

    found = _build(tmp_path, "import subprocess\n"
                   "p = subprocess.Popen(['sleep', '120'])\n"
                   "rep.fact('child', p.pid)", ["child"])
    child = int(found["child"])

    def running() -> bool:  # a zombie waiting for init to reap it has ended
        state = subprocess.run(["ps", "-o", "stat=", "-p", str(child)], capture_output=True,
                               text=True).stdout.strip()
        return bool(state) and not state.startswith("Z")

    deadline = time.monotonic() + 3
    while running() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not running(), f"the report's child {child} is still running"


def test_a_symlinked_staging_folder_is_refused_before_anything_is_written(tmp_path):
    """A '.staging' link pointing outside the project must not receive report files."""
    outside = tmp_path / "outside"
    outside.mkdir()
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / ".staging").symlink_to(outside, target_is_directory=True)
    write_notebook(tmp_path / "probe.ipynb", "rep.fact('x', 1)", {"facts": ["x"]})
    result = schedule.build_reports(
        reports_dir=reports, jobs=1, echo=lambda *a: None,
        reports_file=reports_file(tmp_path, [{"name": "a", "notebook": "probe.ipynb"}]))
    assert not result.ok
    assert "outside" in " ".join(str(r.error) for r in result.results)
    assert list(outside.iterdir()) == []
    assert not (reports / "a").exists()


def test_a_cell_printing_megabytes_is_linear_and_bounded():
    """Many small writes used to re-copy all output so far (quadratic); the kept output is
    bounded with a note saying how much was cut."""
    from reelib.publish import inprocess_engine as engine

    out = engine._Outputs()
    line = "x" * 99 + "\n"
    for _ in range(40_000):  # 4 MB in 40,000 writes, joined once (timing: make bench)
        out.stream("stdout", line)
    items = out.items
    assert len(items) == 1
    text = items[0].text
    assert len(text) < engine.MAX_STREAM_CHARS + 200
    assert "3,000,000 more characters" in text
