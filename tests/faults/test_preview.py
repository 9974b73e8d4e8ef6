"""``reelib preview``: a saved notebook rebuilds its report (only it), open pages reload,
a broken save keeps the previous page, Ctrl-C leaves the folder free for the next build."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

from reelib import config
from reelib.files.lock import folder_lock
from reelib.publish.preview import RELOAD_SCRIPT, VERSION_PATH, affected
from reelib.publish.specs import load_reports_file

REPORT = "production-shares-gallium"


def _get(url: str) -> str:
    return urllib.request.urlopen(url, timeout=10).read().decode("utf-8")


def _wait_for(check, seconds: float = 120.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_a_save_rebuilds_the_report_and_a_broken_save_keeps_the_page(project):
    env = dict(os.environ, REELIB_ROOT=str(project))
    proc = subprocess.Popen([sys.executable, "-m", "reelib.cli", "preview", REPORT,
                             "--skip-data", "--port", "0"], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines: list[str] = []
    try:
        for line in proc.stdout:
            lines.append(line)
            m = re.search(r"serving (http://[\d.]+:\d+)/", line)
            if m:
                base = m.group(1)
                break
        page_url = f"{base}/{REPORT}/{REPORT}.html"
        assert RELOAD_SCRIPT in _get(page_url)  # served pages reload themselves
        assert RELOAD_SCRIPT not in (project / "reports" / REPORT / f"{REPORT}.html"
                                     ).read_text(encoding="utf-8")  # the files stay clean
        assert _get(base + VERSION_PATH) == "0"
        manifest = project / "reports" / REPORT / "manifest.json"
        built = json.loads(manifest.read_text())["built_at"], manifest.stat().st_mtime_ns

        notebook = project / "notebooks" / "02-measure-mine-production-shares.ipynb"
        doc = json.loads(notebook.read_text(encoding="utf-8"))
        doc["cells"][0]["source"].append(" ")
        notebook.write_text(json.dumps(doc), encoding="utf-8")
        _wait_for(lambda: _get(base + VERSION_PATH) == "1")
        assert manifest.stat().st_mtime_ns != built[1]  # rebuilt and swapped in
        assert [d.name for d in (project / "reports").iterdir() if d.is_dir()
                and not d.name.startswith(("_", "."))] == [REPORT]  # only the watched one

        code = next(c for c in doc["cells"] if c["cell_type"] == "code"
                    and "parameters" not in c.get("metadata", {}).get("tags", []))
        code["source"] = ["raise RuntimeError('a typo while editing')\n"] + code["source"]
        notebook.write_text(json.dumps(doc), encoding="utf-8")
        _wait_for(lambda: _get(base + VERSION_PATH) == "2")
        assert (project / "reports" / REPORT / f"{REPORT}.html").exists()  # kept
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
    text = "".join(lines) + out
    assert "failed: the previous page is kept" in text, text
    assert proc.returncode == 130  # stopped by Ctrl-C, as a user stops it
    with folder_lock(project / "reports", wait=0):  # and the next build is not kept waiting
        pass


def test_reports_made_from_a_changed_notebook_and_all_when_the_reports_file_changes():
    specs = load_reports_file()
    prices = affected(specs, {(config.NOTEBOOKS_DIR / "06-analyse-price-trends.ipynb")
                              .resolve()})
    assert prices and all(name.startswith("prices-") for name in prices)
    assert affected(specs, {(config.NOTEBOOKS_DIR / "reports.yaml").resolve()}) == \
        [s.name for s in specs]


def test_a_port_out_of_range_or_in_use_is_refused_before_the_build(project):
    """--port 99999 ended as 'internal error (OverflowError)' and a port in use as an
    operating-system error about 'a file', both after the whole initial build."""
    import socket

    env = dict(os.environ, REELIB_ROOT=str(project))

    def preview(port: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "reelib.cli", "preview", REPORT,
                               "--skip-data", "--port", port], env=env, text=True,
                              capture_output=True, timeout=60)

    for bad in ("99999", "-1", "http"):
        done = preview(bad)
        assert done.returncode == 2, done.stderr
        assert "--port must be a whole number from 0 to 65535" in done.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = preview(str(port))
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"--port {port}: the port is in use" in done.stderr and "--port 0" in done.stderr
    assert "building" not in done.stdout  # refused before the build, not after it
    assert not (project / "reports" / REPORT).exists()
