"""reelib.facts and reelib.index: reading recorded facts, what changed, formatting."""

import json

import pytest

from reelib import facts
from reelib.exceptions import SelectionError
from reelib.index import format_fact


def _write(folder, report, doc):
    (folder / report).mkdir(parents=True, exist_ok=True)
    (folder / report / "facts.json").write_text(json.dumps(doc))


def test_load_and_compare_with_the_previous_build(tmp_path):
    _write(tmp_path, "r", {"a": {"value": 71.1, "unit": "%", "label": "share"},
                           "b": {"value": 5, "label": "n"}, "d": {"value": None}})
    (tmp_path / "facts.previous.json").write_text(json.dumps(
        {"r": {"a": {"value": 69.2, "label": "share"}, "c": {"value": 1, "label": "old"},
               "d": {"value": None}}}))
    cur = facts.load_report_facts(tmp_path, ["r"])
    assert facts.fact(cur, "r", "a") == 71.1
    changes = facts.compare_facts(cur, facts.load_previous_facts(tmp_path)).set_index("key")
    assert changes.loc["a", "change"] == "+1.90"
    assert changes.loc["b", "change"] == "new" and changes.loc["c", "change"] == "removed"
    assert "d" not in changes.index  # missing in both builds is no change


def test_first_build_has_no_previous(tmp_path):
    _write(tmp_path, "r", {"a": {"value": 1}})
    assert facts.load_previous_facts(tmp_path) is None
    assert facts.compare_facts(facts.load_report_facts(tmp_path, ["r"]), None).empty


def test_missing_report_or_fact_is_named(tmp_path):
    _write(tmp_path, "r", {"a": {"value": 1}})
    with pytest.raises(SelectionError, match="'zz'"):
        facts.load_report_facts(tmp_path, ["zz"])
    with pytest.raises(SelectionError, match=r"\['a'\]"):
        facts.fact(facts.load_report_facts(tmp_path, ["r"]), "r", "b")


@pytest.mark.parametrize("fact, text", [
    ({"value": 71.05, "unit": "%"}, "71%"), ({"value": 6.25, "unit": "%"}, "6.2%"),
    ({"value": 380000.0, "unit": "t"}, "380,000 t"), ({"value": None}, "not available"),
    ({"value": "Myanmar"}, "Myanmar"), ({"value": 0.0003}, "0.0003"), ({"value": 2.13}, "2.13"),
])
def test_format_fact(fact, text):
    assert format_fact(fact) == text
