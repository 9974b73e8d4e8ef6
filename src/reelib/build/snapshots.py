"""Refresh the outputs nbval compares (``make snapshots``).

The notebooks in ``notebooks/`` are committed without outputs, except in cells that
start with ``# NBVAL_CHECK_OUTPUT``: there the printed key numbers are kept, and
``pytest --nbval-lax`` fails when a change in data or code changes them. Reports marked
``nbval: true`` in ``notebooks/reports.yaml`` also get a parameterised copy in
``tests/nbval/<report>.ipynb`` (for instance the price notebook for a second element).

Run this after an intended change, read the diff of the printed numbers, and commit it.
``tests/test_snapshots.py`` checks the copies still match their notebook's code.
"""

from __future__ import annotations

import copy
import sys
import tempfile
from pathlib import Path

import nbformat

from reelib import config

CHECK_MARK = "# NBVAL_CHECK_OUTPUT"
NBVAL_DIR = config.PROJECT_ROOT / "tests" / "nbval"


def strip_to_checked_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy keeping only text outputs of checked cells, without run metadata."""
    out = copy.deepcopy(nb)
    for cell in out.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill draws a random id: keep diffs quiet
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        if cell.source.lstrip().startswith(CHECK_MARK):
            cell.outputs = [o for o in cell.outputs if o.get("output_type") == "stream"
                            and o.get("name") == "stdout"]
            cell.execution_count = 1 if cell.outputs else None
        else:
            cell.outputs, cell.execution_count = [], None
    out.metadata.pop("papermill", None)
    for key in list(out.metadata.get("language_info", {})):
        if key != "name":
            out.metadata["language_info"].pop(key)
    return out


def _execute(notebook: Path, parameters: dict) -> nbformat.NotebookNode:
    import papermill as pm

    from reelib.build.execute import KERNEL_ARGS

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / notebook.name
        pm.execute_notebook(str(notebook), str(out), parameters=parameters or None,
                            kernel_name="python3", progress_bar=False,
                            cwd=str(config.NOTEBOOKS_DIR), extra_arguments=KERNEL_ARGS)
        return nbformat.read(out, as_version=4)


def refresh(echo=print) -> list[Path]:
    """Re-execute every notebook (defaults) and every nbval report; write the snapshots."""
    from reelib.build.specs import load_reports_file

    written = []
    for nb_path in sorted(config.NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb")):
        echo(f"snapshot {nb_path.name}")
        nbformat.write(strip_to_checked_outputs(_execute(nb_path, {})), nb_path)
        written.append(nb_path)
    NBVAL_DIR.mkdir(parents=True, exist_ok=True)
    for spec in load_reports_file():
        if not spec.nbval:
            continue
        target = NBVAL_DIR / f"{spec.name}.ipynb"
        echo(f"snapshot {target.relative_to(config.PROJECT_ROOT)} ({spec.parameters})")
        nbformat.write(strip_to_checked_outputs(_execute(spec.notebook, spec.parameters)),
                       target)
        written.append(target)
    return written


def code_cells(nb: nbformat.NotebookNode) -> list[str]:
    """Code cell sources, without papermill's injected-parameters cell."""
    return [c.source for c in nb.cells if c.cell_type == "code"
            and "injected-parameters" not in c.metadata.get("tags", [])]


if __name__ == "__main__":  # pragma: no cover
    refresh()
    sys.exit(0)
