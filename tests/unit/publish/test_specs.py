"""reelib.publish.specs: the reports file and dependency order."""


import pytest
from helpers import write_notebook, write_reports_file

from reelib.publish import parameters, specs
from reelib.exceptions import RegistryError


class TestReportsFile:
    def test_unknown_dependency_is_refused(self, tmp_path):
        nb = write_notebook(tmp_path / "a.ipynb", "pass")
        path = write_reports_file(tmp_path, [{"name": "a", "notebook": nb.name, "needs": ["zz"]}])
        with pytest.raises(RegistryError, match="unknown report"):
            specs.load_reports_file(path)

    def test_order_puts_needs_first_and_detects_cycles(self, tmp_path):
        a = specs.ReportSpec("a", tmp_path, "A", needs=("b",))
        b = specs.ReportSpec("b", tmp_path, "B")
        assert [s.name for s in specs.order_specs([a, b])] == ["b", "a"]
        with pytest.raises(RegistryError, match="cycle"):
            specs.order_specs([specs.ReportSpec("a", tmp_path, "A", needs=("b",)),
                          specs.ReportSpec("b", tmp_path, "B", needs=("a",))])

    def test_every_notebook_declares_what_it_produces(self):
        for spec in specs.load_reports_file():
            declared = parameters.notebook_declarations(spec.notebook)
            assert declared["facts"], spec.name

