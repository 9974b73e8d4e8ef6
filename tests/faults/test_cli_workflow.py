"""The researcher's command line (issue 12): ``reelib list``, ad-hoc reports with ``-p``,
and papermill refusing a parameter the notebook does not have."""

from __future__ import annotations

import json

import pytest
from helpers import run

from reelib import config
from reelib.publish.specs import adhoc_spec, base_spec, load_reports_file
from reelib.cli import parse_assignments
from reelib.exceptions import ParameterError, RegistryError
from reelib.present.report import unknown_injected_parameters

PRICES = config.NOTEBOOKS_DIR / "06-analyse-price-trends.ipynb"


def test_assignments_are_read_as_yaml_values():
    assert parse_assignments(["element=Sm", "start_year=2015", "focus_countries=[CHN, USA]",
                              "vintage=MCS 2025", "flag=true"]) == {
        "element": "Sm", "start_year": 2015, "focus_countries": ["CHN", "USA"],
        "vintage": "MCS 2025", "flag": True}
    for bad in ("element", "=Sm", "two words=1"):
        with pytest.raises(ParameterError, match="name=value"):
            parse_assignments([bad])


def test_an_adhoc_report_keeps_its_base_and_gets_its_own_name():
    specs = load_reports_file()
    spec = adhoc_spec(base_spec("prices-nd", specs), {"element": "Sm", "start_year": 2015})
    assert spec.name == "prices-nd--element-Sm--start_year-2015" and spec.adhoc
    assert spec.parameters == {"element": "Sm", "start_year": 2015}
    assert spec.notebook == PRICES and "element = Sm" in spec.title
    by_number = base_spec("06", specs)
    assert by_number.notebook == PRICES
    with pytest.raises(RegistryError, match="neither a report"):
        base_spec("no-such", specs)
    with pytest.raises(RegistryError, match="not a plain name"):
        adhoc_spec(base_spec("prices-nd", specs), {"element": "Sm"}, name="../x")


@pytest.mark.parametrize("args, message", [
    (["build", "prices-nd", "-p", "elment=Sm"], "has no parameter 'elment'"),
    (["build", "prices-nd", "-p", "start_year=soon"], "must be int"),
    (["build", "prices-nd", "prices-dy", "-p", "element=Sm"], "exactly one"),
    (["build", "no-such", "-p", "element=Sm"], "neither a report"),
    (["build", "prices-nd", "-p", "element=Sm", "--name", "prices-dy"], "reports file"),
    (["build", "critical-minerals-atlas", "-p", "as_of=soon"], "as_of must be a date"),
])
def test_a_bad_adhoc_request_stops_before_fetch_and_clean(project, args, message):
    result = run(args, root=project, timeout=60)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "fetch:" not in result.stdout
    assert list((project / "reports").iterdir()) == []


@pytest.mark.slow
def test_an_adhoc_report_is_built_under_its_own_name_and_listed(project):
    result = run(["build", "reserves", "-p", "edition=MCS 2025", "--skip-data"],
                 root=project, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr
    name = "reserves--edition-MCS-2025"
    folder = project / "reports" / name
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["adhoc"] and manifest["fingerprint"]["parameters"] == {
        "edition": "MCS 2025"}
    assert not (project / "reports" / "reserves").exists()  # the listed report is untouched
    index = (project / "reports" / "index.html").read_text()
    assert "Ad-hoc reports" in index and f'href="{name}/{name}.html"' in index
    listing = run(["list"], root=project, timeout=60)
    assert listing.returncode == 0
    lines = {ln.split()[0]: ln for ln in listing.stdout.splitlines() if ln.strip()}
    assert "up to date" in lines[name] and "(ad hoc)" in lines[name]
    assert "never built" in lines["prices-nd"] and '{"element": "Nd"}' in lines["prices-nd"]


def test_list_names_every_report_with_notebook_and_status(project):
    result = run(["list"], root=project, timeout=60)
    assert result.returncode == 0, result.stderr
    for spec in load_reports_file():
        line = next(ln for ln in result.stdout.splitlines() if ln.startswith(spec.name + " "))
        assert spec.notebook.name in line and "never built" in line


def test_a_date_given_to_a_text_parameter_stays_its_text():
    """``-p as_of=2025-12-31`` reads as a YAML date; the atlas's as_of is a str."""
    from reelib.publish.parameters import check_declared
    declared = {"as_of": {"name": "as_of", "type": "str", "default": ""},
                "report_dir": {"name": "report_dir", "type": "str", "default": ""}}
    out = check_declared("r", "nb.ipynb", declared, parse_assignments(["as_of=2025-12-31"]))
    assert out == {"as_of": "2025-12-31"}


def test_papermill_injected_parameters_are_checked_against_the_parameters_cell():
    cells = ['element: str = "Nd"  # symbol\nreport_dir: str = ""',
             "# Parameters\nelement = \"Dy\"\n"]
    assert unknown_injected_parameters(cells) == ([], ["element", "report_dir"])
    assert unknown_injected_parameters(cells + ["# Parameters\nelment = 'x'\n"])[0] == [
        "elment"]
    assert unknown_injected_parameters(["x = 1"]) == ([], [])  # no typed parameters cell
    # a kernel that ran another notebook before: its latest cells count
    earlier = ['commodity: str = "Gallium"', "# Parameters\ncomodity = 'x'\n", "print(1)"]
    assert unknown_injected_parameters(earlier + cells) == ([], ["element", "report_dir"])
    assert unknown_injected_parameters(cells + ["rep = 1"]) == ([], ["element", "report_dir"])


@pytest.mark.slow
def test_papermill_with_an_unknown_parameter_fails_instead_of_running_defaults(tmp_path):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError) as err:
        pm.execute_notebook(str(PRICES), str(tmp_path / "out.ipynb"),
                            parameters={"elment": "Dy"}, kernel_name="python3",
                            progress_bar=False, cwd=str(config.PROJECT_ROOT))
    assert err.value.ename == "ParameterError" and "'elment'" in err.value.evalue


def test_a_build_whose_reader_went_away_still_finishes(project):
    """``reelib build | head -1``: the pipe closes before the first line; the build goes on
    quietly, exits 0 and leaves the report built (no 'internal error')."""
    import os
    import subprocess
    import sys

    from helpers import reports_file, write_notebook

    nb = project / "notebooks"
    write_notebook(nb / "talk.ipynb", "print('a line of output')\nrep.fact('a', n)",
                   {"facts": ["a"]})
    reports_file(nb, [{"name": "talk", "notebook": "talk.ipynb"}])
    proc = subprocess.Popen([sys.executable, "-m", "reelib.cli", "build", "--skip-data",
                             "talk"],
                            env=dict(os.environ, REELIB_ROOT=str(project)),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.stdout.close()  # the reader is gone before anything is written
    stderr = proc.stderr.read()
    assert proc.wait(timeout=240) == 0, stderr
    assert "internal error" not in stderr and "BrokenPipe" not in stderr
    assert (project / "reports" / "talk" / "manifest.json").exists()
