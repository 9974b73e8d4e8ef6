"""The nbval copies in tests/nbval/ must run the same code as their notebook, and every
notebook must be committed without outputs except the key-number cells."""

import nbformat
import pytest

from reelib import config
from reelib.build.specs import load_reports_file
from reelib.build.snapshots import CHECK_MARK, NBVAL_DIR, code_cells

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
    checked = [c for c in code if c.source.lstrip().startswith(CHECK_MARK)]
    assert checked, "at least one cell must print key numbers for nbval"
    assert all(c.outputs for c in checked), "run `make snapshots` to record key numbers"
    assert not any(c.outputs for c in code if c not in checked), "outputs belong in reports/"



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

