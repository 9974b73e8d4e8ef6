"""reports.yaml `matrix:` entries expand into one report per parameter set."""

import json

import pytest
import yaml

from reelib.publish.specs import load_reports_file, matrix_names, slug
from reelib.exceptions import RegistryError


def _file(tmp_path, entry):
    (tmp_path / "nb.ipynb").write_text("{}")
    path = tmp_path / "reports.yaml"
    path.write_text(yaml.safe_dump({"reports": [entry]}))
    return path


def test_listed_values_expand_into_their_product_with_slugged_names(tmp_path):
    path = _file(tmp_path, {"name": "p-{element}-{basis}", "notebook": "nb.ipynb",
                            "title": "{element} ({basis})", "parameters": {"start_year": 2015},
                            "matrix": {"element": ["Nd", "Dy"], "basis": ["real", "nominal"]}})
    specs = load_reports_file(path, processed_dir=tmp_path)
    assert sorted(s.name for s in specs) == ["p-dy-nominal", "p-dy-real", "p-nd-nominal",
                                             "p-nd-real"]
    one = next(s for s in specs if s.name == "p-dy-nominal")
    assert one.title == "Dy (nominal)" and one.group == "p-{element}-{basis}"
    assert one.parameters == {"start_year": 2015, "element": "Dy", "basis": "nominal"}


def test_the_data_driven_list_comes_from_the_clean_and_is_empty_before_it(tmp_path):
    entry = {"name": "s-{commodity}-{measure}", "group": "shares", "notebook": "nb.ipynb",
             "title": "{commodity}, {measure}",
             "matrix": {"commodity_measure": "country-production"}}
    path = _file(tmp_path, entry)
    assert load_reports_file(path, processed_dir=tmp_path) == []
    (tmp_path / "matrix_values.json").write_text(json.dumps({"country_production": [
        {"commodity": "Graphite (natural)", "measure": "Mine production"},
        {"commodity": "Copper", "measure": "Refinery production"}]}))
    specs = load_reports_file(path, processed_dir=tmp_path)
    assert [s.name for s in specs] == ["s-graphite-natural-mine-production",
                                       "s-copper-refinery-production"]
    assert specs[0].parameters == {"commodity": "Graphite (natural)",
                                   "measure": "Mine production"}
    (tmp_path / "matrix_values.json").write_text('{"country_prod')  # cut short
    with pytest.raises(RegistryError, match="damaged.*reelib clean"):
        load_reports_file(path, processed_dir=tmp_path)


@pytest.mark.parametrize("matrix, message", [
    ({"element": "Nd"}, "unknown data-driven matrix"),
    ({"element": []}, "non-empty lists"),
    ([1, 2], "must map parameter names"),
])
def test_a_malformed_matrix_is_a_registry_error(tmp_path, matrix, message):
    path = _file(tmp_path, {"name": "p-{element}", "notebook": "nb.ipynb", "matrix": matrix})
    with pytest.raises(RegistryError, match=message):
        load_reports_file(path, processed_dir=tmp_path)


def test_a_name_using_an_unknown_placeholder_is_refused(tmp_path):
    path = _file(tmp_path, {"name": "p-{elemnt}", "notebook": "nb.ipynb",
                            "matrix": {"element": ["Nd"]}})
    with pytest.raises(RegistryError, match="only the matrix's parameters"):
        load_reports_file(path, processed_dir=tmp_path)


def test_the_project_matrix_names_every_commodity_report_the_atlas_links(processed):
    processed("production")
    names = matrix_names("shares-by-commodity")
    assert len(names) >= 70
    assert names[("Gallium", "Primary production")] == "shares-gallium-primary-production"
    assert all(n == slug(n) for n in names.values())
