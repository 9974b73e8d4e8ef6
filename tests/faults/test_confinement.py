"""Promise 1, confinement: names from files never make the build or fetch write or delete
outside their folders."""

from __future__ import annotations

import os
import shutil

import pytest
import yaml
from helpers import reports_file, write_notebook

from reelib import config
from reelib.publish import schedule
from reelib.publish.execute import swap_in
from reelib.publish.specs import load_reports_file
from reelib.exceptions import RegistryError, UnsafePathError
from reelib.files.paths import check_name, ensure_inside, remove_inside
from reelib.sources.fetch import fetch_file, raw_path
from reelib.sources.registry import Source, SourceFile, load_registry

QUIET = {"echo": lambda *a: None}


@pytest.mark.parametrize("name", ["../escape", "../../data", "/abs/x", "a/b", "..", ".hidden",
                                  "a\\b", "", "name with space"])
def test_unsafe_report_names_are_refused_before_anything_runs(tmp_path, name):
    write_notebook(tmp_path / "nb.ipynb", "pass")
    path = reports_file(tmp_path, [{"name": name, "notebook": "nb.ipynb"}])
    with pytest.raises(RegistryError, match="report name"):
        load_reports_file(path)


def test_a_report_name_pointing_at_data_deletes_nothing(tmp_path):
    """Once, a name '../../data' made the staging clean-up remove the whole data folder."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "keep.txt").write_text("precious")
    nb_dir = tmp_path / "notebooks"
    nb_dir.mkdir()
    write_notebook(nb_dir / "nb.ipynb", "pass")
    path = reports_file(nb_dir, [{"name": "../../data", "notebook": "nb.ipynb"}])
    with pytest.raises(RegistryError):
        schedule.build_reports(reports_dir=tmp_path / "reports", reports_file=path, **QUIET)
    assert (tmp_path / "data" / "keep.txt").read_text() == "precious"


@pytest.mark.parametrize("notebook", ["../outside.ipynb", "/etc/passwd", "sub/nb.ipynb"])
def test_notebook_paths_stay_in_the_notebooks_folder(tmp_path, notebook):
    path = reports_file(tmp_path, [{"name": "a", "notebook": notebook}])
    with pytest.raises(RegistryError, match="notebook"):
        load_reports_file(path)


def test_a_notebook_symlink_out_of_the_folder_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    write_notebook(outside / "nb.ipynb", "pass")
    inside = tmp_path / "notebooks"
    inside.mkdir()
    (inside / "nb.ipynb").symlink_to(outside / "nb.ipynb")
    path = reports_file(inside, [{"name": "a", "notebook": "nb.ipynb"}])
    with pytest.raises(RegistryError, match="outside"):
        load_reports_file(path)


def test_a_report_folder_that_is_a_symlink_is_replaced_not_followed(tmp_path):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("precious")
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "a").symlink_to(victim, target_is_directory=True)
    staging = reports / ".staging" / "a.1"
    staging.mkdir(parents=True)
    (staging / "manifest.json").write_text("{}")
    swap_in(staging, reports / "a", reports)
    assert (victim / "keep.txt").read_text() == "precious"
    assert not (reports / "a").is_symlink() and (reports / "a" / "manifest.json").exists()


@pytest.mark.parametrize("field, value", [("name", "../evil.csv"), ("name", "/etc/passwd"),
                                          ("name", "sub/file.csv"), ("id", "../x")])
def test_registry_names_that_would_escape_data_raw_are_refused(tmp_path, field, value):
    doc = yaml.safe_load(config.REGISTRY_FILE.read_text())
    if field == "id":
        doc["sources"][0]["id"] = value
    else:
        doc["sources"][0]["files"][0]["name"] = value
    path = tmp_path / "registry.yaml"
    path.write_text(yaml.safe_dump(doc))
    with pytest.raises(RegistryError, match="not a plain name"):
        load_registry(path)


def test_fetch_never_writes_outside_data_raw(tmp_path):
    raw = tmp_path / "raw"
    source = Source(id="s", publisher="p", title="t", edition="e", licence="l", kind="primary",
                    files=(SourceFile("../../escaped.txt", "0" * 64, None),))
    with pytest.raises(UnsafePathError):
        fetch_file(source, source.files[0], mirror=tmp_path, raw_dir=raw)
    assert not (tmp_path / "escaped.txt").exists() and not list(tmp_path.glob("**/escaped*"))
    with pytest.raises(UnsafePathError):
        raw_path("../s", "f.csv", raw)


def test_remove_inside_refuses_paths_outside_its_folder(tmp_path):
    keep = tmp_path / "keep"
    keep.mkdir()
    root = tmp_path / "root"
    root.mkdir()
    with pytest.raises(UnsafePathError):
        remove_inside(root / ".." / "keep", root)
    link = root / "link"
    os.symlink(keep, link)
    remove_inside(link, root)  # the link goes, its target stays
    assert keep.exists() and not link.exists()


def test_ensure_inside_resolves_symlinks(tmp_path):
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "out").symlink_to(tmp_path, target_is_directory=True)
    with pytest.raises(UnsafePathError):
        ensure_inside(tmp_path / "root" / "out" / "x", tmp_path / "root")
    assert check_name("prices-nd") == "prices-nd"
    shutil.rmtree(tmp_path / "root")
