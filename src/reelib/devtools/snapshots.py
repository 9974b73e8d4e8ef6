"""Refresh the outputs nbval compares (``make snapshots``).

The notebooks in ``notebooks/`` are committed without outputs, except in cells that
start with ``# NBVAL_CHECK_OUTPUT``: there the printed key numbers are kept, and
``pytest --nbval-lax`` fails when a change in data or code changes them. Reports marked
``nbval: true`` in ``notebooks/reports.yaml`` also get a parameterised copy in
``tests/nbval/<report>.ipynb`` (for instance the price notebook for a second element).

Run this after an intended change, read the diff of the printed numbers, and commit it.
``python -m reelib.devtools.snapshots --filter`` is the git clean filter ``make hooks``
installs: whatever a researcher's run leaves in a notebook, what is staged is the same
stripped form.
``tests/test_snapshots.py`` checks the copies still match their notebook's code.
"""

from __future__ import annotations

import copy
import sys
import tempfile
from pathlib import Path

import nbformat

from reelib import config
from reelib.publish.page import is_check_cell

NBVAL_DIR = config.PROJECT_ROOT / "tests" / "nbval"


def strip_to_checked_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy fit to commit: only the printed text of checked cells, no run metadata.

    nbstripout does the stripping (outputs, execution counts, run metadata; cell ids are
    kept); checked cells are marked ``keep_output`` so it keeps their printed text, and
    get back the execution count nbval needs to compare them. The git filter (``make
    hooks``) runs this same function, so a notebook saved after a run commits as this.
    """
    from nbstripout._utils import strip_output

    out = copy.deepcopy(nb)
    checked = []
    for cell in out.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill draws a random id: keep diffs quiet
        if is_check_cell(cell):
            cell.metadata["keep_output"] = True
            cell.outputs = [o for o in cell.get("outputs", []) if o.get("output_type") ==
                            "stream" and o.get("name") == "stdout"]
            checked.append(cell)
        else:
            cell.metadata.pop("keep_output", None)
    strip_output(out, keep_output=False, keep_count=False, keep_id=True,
                 extra_keys=["metadata.papermill", "cell.metadata.papermill",
                             "cell.metadata.execution", "cell.metadata.collapsed",
                             "cell.metadata.scrolled"])
    for cell in checked:
        for o in cell.outputs:
            o.pop("metadata", None)
        cell.execution_count = 1 if cell.outputs else None
    for key in list(out.metadata.get("language_info", {})):
        if key != "name":
            out.metadata["language_info"].pop(key)
    return out


def git_filter(stdin=None, stdout=None) -> int:
    """The ``clean`` filter git runs on a notebook being staged (``make hooks``)."""
    text = (stdin or sys.stdin).read()
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception:  # not a notebook we can read: stage it as it is
        (stdout or sys.stdout).write(text)
        return 0
    (stdout or sys.stdout).write(nbformat.writes(strip_to_checked_outputs(nb)) + "\n")
    return 0


def _execute(notebook: Path, parameters: dict) -> nbformat.NotebookNode:
    import papermill as pm

    from reelib.publish.execute import KERNEL_ARGS

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / notebook.name
        pm.execute_notebook(str(notebook), str(out), parameters=parameters or None,
                            kernel_name="python3", progress_bar=False,
                            cwd=str(config.NOTEBOOKS_DIR), extra_arguments=KERNEL_ARGS)
        return nbformat.read(out, as_version=4)


def refresh(echo=print) -> list[Path]:
    """Re-execute every notebook (defaults) and every nbval report; write the snapshots."""
    from reelib.publish.specs import load_reports_file

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
    if sys.argv[1:] == ["--filter"]:
        sys.exit(git_filter())
    refresh()
    sys.exit(0)
