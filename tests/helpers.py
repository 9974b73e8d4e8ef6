"""Helpers shared by the build tests: tiny notebooks and reports files written to disk.

(``pythonpath = ["tests"]`` in pyproject.toml makes this importable as ``helpers``.)
"""

from __future__ import annotations

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
