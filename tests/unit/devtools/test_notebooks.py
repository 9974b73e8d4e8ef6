"""The nbval copies in tests/nbval/ must run the same code as their notebook, and every
notebook must be committed without outputs except the key-number cells."""

import nbformat
import pytest

from reelib import config
from reelib.publish.specs import load_reports_file
from reelib.publish.page import is_check_cell
from reelib.devtools.snapshots import (NBVAL_DIR, code_cells, git_filter,
                                    strip_to_checked_outputs)

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_thin_and_checks_key_numbers(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and 'report_dir: str = ""' in params[0].source
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert not any(ln.lstrip().startswith(("def ", "class ")) for c in code
                   for ln in c.source.splitlines()), "logic belongs in reelib"
    checked = [c for c in code if is_check_cell(c)]
    assert checked, "at least one cell must print key numbers for nbval"
    assert all(c.outputs for c in checked), "run `make snapshots` to record key numbers"
    assert not any(c.outputs for c in code if c not in checked), "outputs belong in reports/"


@pytest.mark.parametrize("path", NOTEBOOKS + sorted(NBVAL_DIR.glob("*.ipynb")),
                         ids=lambda p: p.name)
def test_committed_notebook_is_in_the_form_the_git_filter_stages(path):
    text = path.read_text(encoding="utf-8")
    stripped = nbformat.writes(strip_to_checked_outputs(nbformat.reads(text, as_version=4)))
    assert stripped + "\n" == text, (
        f"{path.name} carries outputs, counts or run metadata: run `make hooks` and "
        "`git add` it again (or `make snapshots`)")


def test_the_filter_keeps_only_the_checked_numbers_of_a_run_notebook():
    import io

    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        cell.execution_count = i + 7
        cell.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00"}
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"{i}\n"),
                        nbformat.v4.new_output("display_data", data={"image/png": "AAAA"})]
    nb.metadata["papermill"] = {"duration": 1.0}
    out = io.StringIO()
    git_filter(io.StringIO(nbformat.writes(nb)), out)
    staged = nbformat.reads(out.getvalue(), as_version=4)
    assert "papermill" not in staged.metadata
    for cell in (c for c in staged.cells if c.cell_type == "code"):
        assert "execution" not in cell.metadata
        if is_check_cell(cell):
            assert [o.output_type for o in cell.outputs] == ["stream"]
            assert cell.execution_count == 1 and cell.metadata["keep_output"]
        else:
            assert cell.outputs == [] and cell.execution_count is None



@pytest.mark.parametrize("spec", [s for s in load_reports_file() if s.nbval],
                         ids=lambda s: s.name)
def test_nbval_copy_matches_its_notebook(spec):
    copy = nbformat.read(NBVAL_DIR / f"{spec.name}.ipynb", as_version=4)
    source = nbformat.read(spec.notebook, as_version=4)
    assert code_cells(copy) == code_cells(source), (
        f"tests/nbval/{spec.name}.ipynb is out of date: run `make snapshots`")
    injected = [c for c in copy.cells if "injected-parameters" in c.metadata.get("tags", [])]
    from papermill.translators import PythonTranslator

    for key, value in spec.parameters.items():
        assert f"{key} = {PythonTranslator.translate(value)}" in injected[0].source

