"""Issue 23: names that collide with the build's own files, ad-hoc names that stay unique,
malformed report entries and numeric options, and escaping on report pages."""

import math

import pytest

from reelib.exceptions import RegistryError
from reelib.present import layout
from reelib.publish import specs


def _base():
    return specs.ReportSpec(name="prices-nd", notebook=specs.config.NOTEBOOKS_DIR /
                            "06-analyse-price-trends.ipynb", title="Nd oxide prices",
                            parameters={"element": "Nd"})


@pytest.mark.parametrize("name", sorted(layout.reserved_names()))
def test_an_adhoc_name_equal_to_a_file_the_build_keeps_is_refused(name):
    # '.staging' and '_failed' are not plain names already; the others are reserved
    with pytest.raises(RegistryError, match="reserved|not a plain name"):
        specs.adhoc_spec(_base(), {"element": "Sm"}, name=name)


@pytest.mark.parametrize("name", ["index.html", "screenshots", "_failed"])
def test_a_reports_file_entry_named_like_a_build_file_is_refused(tmp_path, name):
    f = tmp_path / "reports.yaml"
    (tmp_path / "06-analyse-price-trends.ipynb").write_text("{}")
    f.write_text(f"reports:\n  - name: {name}\n    notebook: 06-analyse-price-trends.ipynb\n")
    with pytest.raises(RegistryError, match="reserved|not a plain name"):
        specs.load_reports_file(f)


def test_long_adhoc_names_that_differ_in_one_parameter_stay_apart():
    long = "x" * 150
    a = specs.adhoc_spec(_base(), {"element": "Sm", "note": long + "a"})
    b = specs.adhoc_spec(_base(), {"element": "Sm", "note": long + "b"})
    assert a.name != b.name and len(a.name) <= 120 and len(b.name) <= 120


@pytest.mark.parametrize("entry, fix", [
    ("title: '{element.symbol}'", "title"),
    ("parameters: [element, Nd]", "parameters"),
    ("timeout: .inf", "timeout"),
    ("timeout: .nan", "timeout"),
    ("timeout: 1e12", "timeout"),
])
def test_malformed_entries_name_the_entry_and_the_fix(tmp_path, entry, fix):
    (tmp_path / "06-analyse-price-trends.ipynb").write_text("{}")
    f = tmp_path / "reports.yaml"
    f.write_text("reports:\n  - name: prices-{element}\n    notebook: "
                 f"06-analyse-price-trends.ipynb\n    {entry}\n"
                 "    matrix: {element: [Nd, Dy]}\n")
    with pytest.raises(RegistryError, match=fix):
        specs.load_reports_file(f)


@pytest.mark.parametrize("value", ["inf", "nan", "-1", "0", "1e12"])
def test_the_timeout_option_is_checked_where_it_is_read(value):
    from reelib.cli import positive_seconds

    with pytest.raises(Exception, match="timeout|seconds"):
        positive_seconds(value)
    assert math.isclose(positive_seconds("90"), 90.0)


def test_titles_descriptions_and_parameters_are_escaped_on_the_report_page():
    from pathlib import Path

    from nbformat.v4 import new_markdown_cell, new_notebook

    from reelib.publish.page import notebook_html, page_context

    spec = specs.ReportSpec("prices-xx", Path("06-x.ipynb"), 'T " onmouseover="a',
                            parameters={"element": '"><b>x'},
                            description='D " onload="b')
    context = page_context(spec, stamp={"built_at": "2026-01-02", "commit": "abc"})
    nb = new_notebook(cells=[new_markdown_cell("# Heading")])
    page = notebook_html(nb, context)
    assert 'onload="b"' not in page and 'onmouseover="a"' not in page
    assert "<b>x" not in page


@pytest.mark.parametrize("option, value", [("--jobs", "0"), ("--jobs", "-3"),
                                           ("--jobs", "100000"), ("--jobs", "two"),
                                           ("--wait", "inf"), ("--wait", "nan"),
                                           ("--wait", "-5")])
def test_numeric_options_are_checked_where_they_are_read(option, value, capsys):
    """Siblings of the timeout defect: every numeric option refuses absurd values with
    exit 2 and names the option."""
    from reelib import cli

    with pytest.raises(SystemExit) as exit_:
        cli.main(["build", option, value, "--skip-data", "prices-nd"])
    assert exit_.value.code == 2
    assert option in capsys.readouterr().err
