"""Promises 7-10: parameters are checked against the data, data strings are text, user
errors are one line with an exit code, and a source cut short is noticed."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
import yaml
from helpers import reports_file, run, write_notebook

from reelib import cli, config
from reelib.publish import schedule
from reelib.exceptions import (ParameterError, RegistryError, RowCountError,
                               UnknownCountryError)
from reelib.processed import pipeline, tables
from reelib.processed.store import load_table
from reelib.readers import usgs_mcs
from reelib.reference.countries import lookup_country
from reelib.sources.registry import load_registry

QUIET = {"echo": lambda *a: None}
PRICES = config.NOTEBOOKS_DIR / "06-analyse-price-trends.ipynb"


# --- 7. parameters against the data ----------------------------------------------------

@pytest.mark.parametrize("parameters, hint", [
    ({"element": "Ndd"}, "Did you mean 'Nd'?"),
    ({"element": "nd"}, "Did you mean 'Nd'?"),
    ({"element": "Xx"}, "Valid values: 'Ce'"),
])
def test_a_price_report_for_an_element_without_data_fails_before_it_runs(
        tmp_path, parameters, hint, processed):
    """The old build ran it, exited 0 and replaced the page with an empty one."""
    shutil.copyfile(PRICES, tmp_path / PRICES.name)
    path = reports_file(tmp_path, [{"name": "prices-x", "notebook": PRICES.name,
                                    "parameters": parameters}])
    result = schedule.build_reports(reports_dir=tmp_path / "reports", reports_file=path,
                                    **QUIET)
    error = result.results[0].error
    assert result.results[0].status == "failed" and "ParameterError" in error and hint in error
    assert result.results[0].seconds < 15
    assert not (tmp_path / "reports" / "prices-x").exists()


@pytest.mark.parametrize("parameters, hint", [
    ({"commodity": "Galium"}, "Did you mean 'Gallium'?"),
    ({"vintage": "MCS 2021"}, "'MCS 2022'"),
    ({"focus_countries": ["CHN", "XYZ"]}, "no such country"),
])
def test_share_report_parameters_are_checked_against_the_data(parameters, hint, processed):
    from reelib.processed.domains import check_parameters

    with pytest.raises(ParameterError, match="data/processed") as err:
        check_parameters({"commodity": "Rare earths", **parameters})
    assert hint in str(err.value)


@pytest.mark.slow
def test_papermill_on_the_notebook_checks_its_parameters_first(tmp_path, processed):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError) as err:
        pm.execute_notebook(str(PRICES), str(tmp_path / "out.ipynb"),
                            parameters={"element": "Ndd"}, kernel_name="python3",
                            progress_bar=False, cwd=str(config.PROJECT_ROOT))
    assert err.value.ename == "ParameterError" and "Did you mean 'Nd'" in err.value.evalue
    assert err.value.cell_index <= 3  # the first call after the parameters


def test_an_unknown_parameter_name_lists_the_notebooks_parameters(tmp_path):
    shutil.copyfile(PRICES, tmp_path / PRICES.name)
    path = reports_file(tmp_path, [{"name": "p", "notebook": PRICES.name,
                                    "parameters": {"elemnt": "Nd"}}])
    result = schedule.build_reports(reports_dir=tmp_path / "reports", reports_file=path,
                                    **QUIET)
    assert "has no parameter 'elemnt'" in result.results[0].error
    assert 'element: str = "Nd"' in result.results[0].error


# --- 8. data strings are text, never markup --------------------------------------------

def test_a_country_name_merely_containing_a_known_one_is_unknown():
    for name in ("<script>alert(1)</script>China", "China [x](javascript:alert(1))",
                 "Not China", "Chinatown"):
        assert lookup_country(name) is None, name
    assert lookup_country("China") == ("CHN", "country")


def test_a_source_file_with_markup_in_a_country_name_stops_the_clean(scratch_copy):
    path = scratch_copy("usgs-mcs-2025", "mcs2025-rare-earths_world_transcribed.csv")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",China,", ",<script>alert(1)</script>China,", 1),
                    encoding="utf-8")
    with pytest.raises(UnknownCountryError, match="script"):
        tables.build_production(usgs_mcs.read_mcs2025_world(path))


@pytest.mark.slow
def test_data_strings_in_prose_are_shown_as_text_on_the_page(tmp_path):
    evil = "<script>alert(1)</script> [click](javascript:alert(2)) <b>bold</b>"
    write_notebook(tmp_path / "nb.ipynb",
                   f"from reelib.present.text import say\nname = {evil!r}\n"
                   "rep.fact('a', n)\nsay(f'The largest producer was {name}.')",
                   {"facts": ["a"]})
    path = reports_file(tmp_path, [{"name": "r", "notebook": "nb.ipynb",
                                    "title": "<script>x</script> title"}])
    out = tmp_path / "reports"
    assert schedule.build_reports(reports_dir=out, reports_file=path, **QUIET).ok
    page = (out / "r" / "r.html").read_text()
    assert "<script>alert(1)" not in page and 'href="javascript:' not in page
    assert "&lt;script&gt;alert(1)" in page
    index = (out / "index.html").read_text()
    assert "<script>x</script>" not in index and "&lt;script&gt;x" in index


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd",
                                 "https://ok.example/a b"])
def test_only_http_addresses_are_links_or_downloads(tmp_path, url):
    doc = yaml.safe_load(config.REGISTRY_FILE.read_text())
    doc["sources"][0]["landing_url"] = url
    path = tmp_path / "registry.yaml"
    path.write_text(yaml.safe_dump(doc))
    with pytest.raises(RegistryError, match="not an http"):
        load_registry(path)


# --- 9. no tracebacks for user errors ----------------------------------------------------

@pytest.mark.parametrize("content, message", [
    ("sources: {a: 1}\n", "expected a mapping with a non-empty 'sources' list"),
    ("sources:\n  - just a string\n", "expected a mapping"),
    ("sources: [\n", "not valid YAML"),
    ("sources:\n  - !!python/object/apply:os.system ['echo pwned']\n", "not valid YAML"),
])
def test_a_malformed_registry_is_one_line_and_exit_code_2(project, content, message):
    (project / "data" / "raw" / "registry.yaml").write_text(content)
    result = run(["sources"], root=project, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "RegistryError" in result.stderr and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("content, message", [
    ("- a list, not a mapping\n", "expected a mapping with a 'reports' list"),
    ("reports:\n  - name: a\n    notebok: x.ipynb\n", "unknown key(s) ['notebok']"),
    ("reports:\n  - name: a\n    notebook: 01-compare-data-sources-and-revisions.ipynb\n"
     "    timeout: soon\n", "timeout must be a number of seconds above 0"),
    ("reports:\n  - !!python/name:os.system\n", "not valid YAML"),
    ("reports:\n  - {name: a, notebook: 01-compare-data-sources-and-revisions.ipynb, "
     "needs: [a]}\n", "dependency cycle"),
])
def test_a_malformed_reports_file_is_one_line_and_exit_code_2(project, content, message):
    (project / "notebooks" / "reports.yaml").write_text(content)
    result = run(["build", "--skip-data"], root=project, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert message in result.stderr


def test_an_unknown_report_is_named_before_fetch_and_clean(project):
    result = run(["build", "no-such-report"], root=project, timeout=60)
    assert result.returncode == 2 and "unknown report(s) ['no-such-report']" in result.stderr
    assert "fetch:" not in result.stdout and "clean:" not in result.stdout


@pytest.mark.parametrize("name", ["nonexistent.ipynb", "99", "notebooks/missing.ipynb"])
def test_params_of_a_missing_notebook_is_one_line(name):
    result = run(["params", name], timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "ParameterError" in result.stderr


def test_params_accepts_a_number_or_a_name():
    by_number = run(["params", "06"], timeout=60)
    by_name = run(["params", "06-analyse-price-trends"], timeout=60)
    assert by_number.returncode == 0 and "element: str" in by_number.stdout
    assert by_number.stdout == by_name.stdout


def test_an_internal_error_says_it_is_a_bug_and_debug_shows_the_traceback(monkeypatch,
                                                                          capsys):
    def broken(args):
        raise RuntimeError("unexpected state")

    monkeypatch.setattr(cli, "_cmd_sources", broken)
    assert cli.main(["sources"]) == 70
    assert "internal error" in capsys.readouterr().err
    with pytest.raises(RuntimeError):
        cli.main(["--debug", "sources"])


# --- 10. row-count guards ------------------------------------------------------------------

def _built() -> dict[str, pd.DataFrame]:
    names = ["production", "reserves", "prices_annual", "prices_daily", "trade",
             "supply_stages", "cpi", "us_salient", "chain_shares"]
    return {n: load_table(n) for n in names}


def test_a_source_edition_with_too_few_rows_is_an_error(processed):
    built = _built()
    prod = built["production"]
    built["production"] = prod.drop(prod.index[prod["source_id"] == "usgs-mcs-2025"][:3])
    with pytest.raises(RowCountError, match="usgs-mcs-2025 .MCS 2025. gave 33 rows"):
        pipeline.check_row_counts(built)


def test_a_file_cut_at_a_line_boundary_is_caught(processed, scratch_copy):
    path = scratch_copy("usgs-mcs-2025", "mcs2025-rare-earths_world_transcribed.csv")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    data = [i for i, ln in enumerate(lines) if ln.strip(", \r\n")]
    path.write_text("".join(lines[:data[-3]]), encoding="utf-8")  # drop the last rows
    short = tables.build_production(usgs_mcs.read_mcs2025_world(path))
    built = _built()
    prod = built["production"]
    built["production"] = pd.concat([prod[prod["source_id"] != "usgs-mcs-2025"], short])
    with pytest.raises(RowCountError, match="usgs-mcs-2025"):
        pipeline.check_row_counts(built)


def test_an_edition_without_an_expected_count_must_be_recorded(processed):
    built = _built()
    extra = built["chain_shares"].assign(edition="a newer snapshot")
    built["chain_shares"] = pd.concat([built["chain_shares"], extra])
    with pytest.raises(RowCountError, match="has no expected row count"):
        pipeline.check_row_counts(built)


# Numeric parameters out of their range: each ended deep in a cell (ZeroDivisionError,
# KeyError, "need at least one array to stack", "negative dimensions") or, worse, built a
# report of empty charts. Each is now refused before fetch and clean, naming the range:
# two cases through the command, as a user meets them, the rest against the check itself.
@pytest.mark.parametrize("report, assignment, message", [
    ("mine-and-export-concentration", "placebo_draws=0", "placebo_draws=0: must be from 1 to"),
    ("production-shares-rare-earths", "start_year=2020 -p end_year=2019",
     "start_year=2020 is after end_year=2019"),
])
def test_a_numeric_parameter_out_of_range_stops_before_fetch_and_clean(project, report,
                                                                       assignment, message):
    options = [arg for a in assignment.split(" -p ") for arg in ("-p", a)]
    result = run(["build", report, *options], root=project, timeout=60)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr and "fetch:" not in result.stdout, result.stderr
    assert list((project / "reports").iterdir()) == []


@pytest.mark.parametrize("parameters, message", [
    ({"placebo_draws": -5}, "placebo_draws=-5: must be from 1 to 100000"),
    ({"claim_count": 0}, "claim_count=0: must be from 1 to"),
    ({"claim_price_usd": -1.0}, "claim_price_usd=-1.0: must be from 0.01"),
    ({"claim_price_usd": float("nan")}, "claim_price_usd=nan: must be from 0.01"),
    ({"horizon_months": 0}, "horizon_months=0: must be from 1 to 36"),
    ({"horizon_months": -5}, "horizon_months=-5: must be from 1 to 36"),
    ({"start_year": 3000}, "start_year=3000: must be from 1900 to"),
    ({"end_year": 1066}, r"end_year=1066: must be 0 \(the newest year in the data\) or"),
    ({"coverage_start": 2024, "coverage_end": 2020}, "coverage_start=2024 is after"),
])
def test_the_range_check_names_the_parameter_and_its_range(parameters, message):
    from reelib.processed.domains import check_ranges

    with pytest.raises(ParameterError, match=message):
        check_ranges(parameters)


def test_zero_where_it_means_the_newest_and_other_types_pass_the_range_check():
    from reelib.processed.domains import check_ranges

    check_ranges({"end_year": 0, "start_year": 2018, "coverage_end": 0, "placebo_draws": 1,
                  "element": "Nd", "hs_codes": ["2846"]})


@pytest.mark.parametrize("parameters, message", [
    ({"year": 1800}, r"year=1800: no such trade year in data/processed \(trade_flows\)\. "
                     r"Valid values: 2002-2024"),
    ({"usgs_year": 2031}, r"usgs_year=2031: no such production year"),
    ({"base_year": 1900},
     r"base_year=1900: no such CPI year in data/processed \(cpi: a year of 12"),
])
def test_a_year_the_data_do_not_hold_is_refused_naming_the_years_they_do(processed,
                                                                         parameters, message):
    from reelib.processed.domains import check_parameters

    with pytest.raises(ParameterError, match=message):
        check_parameters(parameters)


def test_the_defaults_and_the_reports_file_pass_the_ranges(processed):
    """Every report of the reports file, with its notebook's defaults, is in range."""
    import ast

    from reelib.processed.domains import check_parameters
    from reelib.publish.parameters import notebook_parameters
    from reelib.publish.specs import load_reports_file

    for spec in load_reports_file():
        defaults = {k: ast.literal_eval(v["default"])
                    for k, v in notebook_parameters(spec.notebook).items()}
        check_parameters({**defaults, **spec.parameters})


def test_every_numeric_notebook_parameter_has_a_range_or_a_domain():
    """A new int or float parameter needs its line in parameter_ranges.csv (or a data
    domain in domains.PARAMETER_KINDS): otherwise a value out of range reaches a cell."""
    from reelib.processed.domains import PARAMETER_KINDS, parameter_ranges
    from reelib.publish.parameters import notebook_parameters

    missing = [f"{nb.name}: {name}" for nb in sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
               for name, p in notebook_parameters(nb).items()
               if p["type"] in ("int", "float") and name not in parameter_ranges()
               and name not in PARAMETER_KINDS]
    assert missing == []
