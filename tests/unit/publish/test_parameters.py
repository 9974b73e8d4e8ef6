"""reelib.publish.parameters: checking report parameters against the notebook."""


import pytest
from helpers import write_notebook

from reelib.publish import parameters, specs
from reelib.exceptions import ParameterError


class TestValidateParameters:
    def test_unknown_name_lists_the_notebooks_parameters(self, tmp_path):
        nb = write_notebook(tmp_path / "a.ipynb", "pass")
        spec = specs.ReportSpec("a", nb, "A", {"nn": 2})
        with pytest.raises(ParameterError) as err:
            parameters.validate_parameters(spec)
        assert "no parameter 'nn'" in str(err.value)
        assert "n: int = 1" in str(err.value) and "report_dir: str" in str(err.value)

    def test_wrong_type_is_refused(self, tmp_path):
        nb = write_notebook(tmp_path / "a.ipynb", "pass")
        with pytest.raises(ParameterError, match="must be int, got str"):
            parameters.validate_parameters(specs.ReportSpec("a", nb, "A", {"n": "2"}))

    def test_every_report_in_the_reports_file_has_valid_parameters(self):
        for spec in specs.load_reports_file():
            parameters.validate_parameters(spec)

