"""Helpers shared by the build and fault tests: tiny notebooks and reports files written to
disk, and running the ``reelib`` command as a user would.

(``pythonpath = ["tests"]`` in pyproject.toml makes this importable as ``helpers``.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import yaml
from nbformat.v4 import new_code_cell, new_notebook


def write_notebook(path, body: str, produces: dict | None = None):
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["reelib"] = {"produces": produces or {}}
    params = new_code_cell('report_dir: str = ""  # where the report is written\n'
                           'n: int = 1  # a number')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, new_code_cell("from reelib.present.report import Report\n"
                                      "rep = Report('t', report_dir)"),
                new_code_cell(body)]
    nbformat.write(nb, path)
    return path


def write_reports_file(tmp_path, entries: list[dict]):
    path = tmp_path / "reports.yaml"
    path.write_text(yaml.safe_dump({"reports": entries}))
    return path


def run(args: list[str], root: Path | None = None, timeout: float = 240,
        **kwargs) -> subprocess.CompletedProcess:
    """Run ``python -m reelib.cli ARGS`` (on ``root`` if given) and capture its output."""
    env = dict(os.environ)
    if root is not None:
        env["REELIB_ROOT"] = str(root)
    return subprocess.run([sys.executable, "-m", "reelib.cli", *args], env=env, text=True,
                          capture_output=True, timeout=timeout, **kwargs)


def start(args: list[str], root: Path) -> subprocess.Popen:
    """Start ``reelib ARGS`` on ``root`` in the background."""
    env = dict(os.environ, REELIB_ROOT=str(root))
    return subprocess.Popen([sys.executable, "-m", "reelib.cli", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def reports_file(folder: Path, entries: list[dict]) -> Path:
    """Write a reports.yaml beside the notebooks in ``folder``."""
    path = folder / "reports.yaml"
    path.write_text(yaml.safe_dump({"reports": entries}))
    return path


def facts(folder: Path) -> dict:
    return json.loads((folder / "facts.json").read_text())


def is_gone(pid: int) -> bool:
    """True if no live process has this PID (a zombie counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in state
