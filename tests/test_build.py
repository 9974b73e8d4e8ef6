"""reelib.build: parameter checks, dependency order, an end-to-end report, failures."""

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from reelib import build, config
from reelib.exceptions import ParameterError, RegistryError


def _notebook(path, body: str, produces: dict | None = None):
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["reelib"] = {"produces": produces or {}}
    params = new_code_cell('report_dir: str = ""  # where the report is written\n'
                           'n: int = 1  # a number')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, new_code_cell("from reelib.report import Report\n"
                                      "rep = Report('t', report_dir)"),
                new_code_cell(body)]
    nbformat.write(nb, path)
    return path


def _reports_file(tmp_path, entries: list[dict]):
    path = tmp_path / "reports.yaml"
    import yaml

    path.write_text(yaml.safe_dump({"reports": entries}))
    return path


class TestValidateParameters:
    def test_unknown_name_lists_the_notebooks_parameters(self, tmp_path):
        nb = _notebook(tmp_path / "a.ipynb", "pass")
        spec = build.ReportSpec("a", nb, "A", {"nn": 2})
        with pytest.raises(ParameterError) as err:
            build.validate_parameters(spec)
        assert "no parameter 'nn'" in str(err.value)
        assert "n: int = 1" in str(err.value) and "report_dir: str" in str(err.value)

    def test_wrong_type_is_refused(self, tmp_path):
        nb = _notebook(tmp_path / "a.ipynb", "pass")
        with pytest.raises(ParameterError, match="must be int, got str"):
            build.validate_parameters(build.ReportSpec("a", nb, "A", {"n": "2"}))

    def test_every_report_in_the_reports_file_has_valid_parameters(self):
        for spec in build.load_reports_file():
            build.validate_parameters(spec)


class TestReportsFile:
    def test_unknown_dependency_is_refused(self, tmp_path):
        nb = _notebook(tmp_path / "a.ipynb", "pass")
        path = _reports_file(tmp_path, [{"name": "a", "notebook": str(nb), "needs": ["zz"]}])
        with pytest.raises(RegistryError, match="unknown report"):
            build.load_reports_file(path)

    def test_order_puts_needs_first_and_detects_cycles(self, tmp_path):
        a = build.ReportSpec("a", tmp_path, "A", needs=("b",))
        b = build.ReportSpec("b", tmp_path, "B")
        assert [s.name for s in build._order([a, b])] == ["b", "a"]
        with pytest.raises(RegistryError, match="cycle"):
            build._order([build.ReportSpec("a", tmp_path, "A", needs=("b",)),
                          build.ReportSpec("b", tmp_path, "B", needs=("a",))])

    def test_every_notebook_declares_what_it_produces(self):
        for spec in build.load_reports_file():
            declared = build.notebook_declarations(spec.notebook)
            assert declared["facts"], spec.name


@pytest.mark.slow
def test_one_real_report_end_to_end(tmp_path, processed):
    processed("reserves")  # make sure data/processed exists
    out = tmp_path / "reports"
    result = build.build_reports(["reserves"], reports_dir=out, jobs=1, echo=lambda *a: None)
    assert result.ok
    folder = out / "reserves"
    declared = build.notebook_declarations(config.NOTEBOOKS_DIR
                                           / "03-compare-reserves-and-production.ipynb")
    for slug in declared["figures"]:
        assert (folder / "figures" / f"{slug}.png").stat().st_size > 1000
        assert (folder / "figures" / f"{slug}.svg").exists()
    for slug in declared["tables"]:
        assert (folder / "tables" / f"{slug}.csv").exists()
    facts = json.loads((folder / "facts.json").read_text())
    assert facts["china_reserves_share_pct"]["value"] == pytest.approx(58.7, abs=0.05)
    html = (folder / "reserves.html").read_text()
    assert "Reserves: who holds them" in html and "rep = Report" not in html  # code hidden
    manifest = json.loads((folder / "manifest.json").read_text())
    assert set(manifest["reads"]) >= {"reserves", "production"}
    assert manifest["fingerprint"]["parameters"] == {}
    svg = (folder / "figures" / "reserves-by-edition.svg").read_bytes()
    png = (folder / "figures" / "reserves-by-edition.png").read_bytes()
    assert b"<dc:date>" not in svg
    index = (out / "index.html").read_text()
    assert "Rare-earth reserves against production" in index and "sha256" in index
    # unchanged inputs: skipped; forced: identical figures, tables and HTML page
    again = build.build_reports(["reserves"], reports_dir=out, jobs=1, echo=lambda *a: None)
    assert [r.status for r in again.results] == ["up to date"]
    page = (folder / "reserves.html").read_bytes()
    tables = {p.name: p.read_bytes() for p in (folder / "tables").iterdir()}
    build.build_reports(["reserves"], reports_dir=out, jobs=1, force=True, echo=lambda *a: None)
    assert (folder / "figures" / "reserves-by-edition.svg").read_bytes() == svg
    assert (folder / "figures" / "reserves-by-edition.png").read_bytes() == png
    assert {p.name: p.read_bytes() for p in (folder / "tables").iterdir()} == tables
    assert (folder / "reserves.html").read_bytes() == page


@pytest.mark.slow
def test_a_failing_notebook_keeps_the_previous_report_and_the_rest_builds(tmp_path):
    good = _notebook(tmp_path / "good.ipynb", "rep.fact('a', n)", {"facts": ["a"]})
    bad = _notebook(tmp_path / "bad.ipynb", "raise ValueError('boom in cell')", {"facts": ["a"]})
    lazy = _notebook(tmp_path / "lazy.ipynb", "pass", {"facts": ["a"], "figures": ["f"]})
    path = _reports_file(tmp_path, [
        {"name": "good", "notebook": str(good)},
        {"name": "bad", "notebook": str(bad)},
        {"name": "after-bad", "notebook": str(good), "needs": ["bad"]},
        {"name": "lazy", "notebook": str(lazy)},
    ])
    out = tmp_path / "reports"
    (out / "bad").mkdir(parents=True)
    (out / "bad" / "facts.json").write_text('{"previous": "good build"}')
    lines = []
    result = build.build_reports(reports_dir=out, reports_file=path, jobs=2, echo=lines.append)
    status = {r.name: r for r in result.results}
    assert not result.ok
    assert status["good"].status == "built" and status["bad"].status == "failed"
    assert status["after-bad"].status == "blocked" and status["lazy"].status == "failed"
    assert "ValueError" in status["bad"].error and "boom in cell" in status["bad"].error
    assert "raise ValueError" in status["bad"].error and "bad.ipynb" in status["bad"].error
    assert "figures/f.png" in status["lazy"].error
    assert (out / "_failed" / "bad.ipynb").exists() and (out / "_failed" / "bad.html").exists()
    assert json.loads((out / "bad" / "facts.json").read_text()) == {"previous": "good build"}
    assert json.loads((out / "good" / "facts.json").read_text())["a"]["value"] == 1
    assert not (out / ".staging").exists()
    assert "failed" in (out / "index.html").read_text()


def test_one_price_report_per_element_with_enough_data(processed):
    from reelib.price_analysis import elements_with_enough_data

    wanted = set(elements_with_enough_data(processed("prices_annual"),
                                           processed("prices_daily")))
    built = {s.parameters.get("element") for s in build.load_reports_file()
             if s.notebook.name.startswith("06-")}
    assert built == wanted
