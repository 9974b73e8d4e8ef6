"""reelib.present.facts and text.format_fact: recorded facts, what changed, formatting."""

import json

import pandas as pd
import pytest

from reelib.present import facts
from reelib.exceptions import SelectionError
from reelib.files.atomic import write_csv_atomic
from reelib.present.text import format_fact


def _write(folder, report, doc):
    (folder / report).mkdir(parents=True, exist_ok=True)
    (folder / report / "facts.json").write_text(json.dumps(doc))


def _write_summary_facts(folder, rows):
    tables = folder / "summary" / "tables"
    tables.mkdir(parents=True, exist_ok=True)
    write_csv_atomic(pd.DataFrame(rows), tables / "facts.csv")  # as Report.table writes it


def test_load_and_compare_with_the_facts_the_last_summary_read(tmp_path):
    _write(tmp_path, "r", {"a": {"value": 71.1, "unit": "%", "label": "share"},
                           "b": {"value": 5, "label": "n"}, "d": {"value": None},
                           "e": {"value": 5054.0}, "f": {"value": "Myanmar"}})
    _write_summary_facts(tmp_path, [
        {"report": "r", "key": "a", "value": 69.2, "label": "share"},
        {"report": "r", "key": "c", "value": 1, "label": "old"},
        {"report": "r", "key": "d", "value": None, "label": ""},
        {"report": "r", "key": "e", "value": 5054.0, "label": ""},
        {"report": "r", "key": "f", "value": "Burma", "label": ""}])
    cur = facts.load_report_facts(tmp_path, ["r"])
    assert facts.lookup(cur)("r", "a") == 71.1
    changes = facts.compare_facts(cur, facts.load_previous_facts(tmp_path)).set_index("key")
    assert changes.loc["a", "change"] == "+1.90"
    assert changes.loc["b", "change"] == "new" and changes.loc["c", "change"] == "removed"
    assert changes.loc["f", "change"] == "changed"
    assert "d" not in changes.index  # missing in both builds is no change
    assert "e" not in changes.index  # a float read back from the CSV is the same value



def test_the_summary_snapshot_round_trips_without_changes(tmp_path):
    _write(tmp_path, "r", {"a": {"value": 0.1 + 0.2}, "b": {"value": 36}, "c": {"value": None},
                           "d": {"value": "Myanmar"}, "e": {"value": 2.13, "unit": "%"}})
    cur = facts.load_report_facts(tmp_path, ["r"])
    _write_summary_facts(tmp_path, cur)
    assert facts.compare_facts(cur, facts.load_previous_facts(tmp_path)).empty



def test_first_build_has_no_previous(tmp_path):
    _write(tmp_path, "r", {"a": {"value": 1}})
    assert facts.load_previous_facts(tmp_path) is None
    assert facts.compare_facts(facts.load_report_facts(tmp_path, ["r"]), None).empty



def test_a_previous_snapshot_without_its_columns_is_named(tmp_path):
    _write_summary_facts(tmp_path, [{"report": "r", "value": 1}])
    with pytest.raises(SelectionError, match=r"facts.csv lacks column\(s\) \['key', 'label'\]"):
        facts.load_previous_facts(tmp_path)



def test_a_facts_source_and_edition_are_readable(tmp_path):
    _write(tmp_path, "r", {"a": {"value": 69.2, "source": "USGS", "edition": "MCS 2026"}})
    cur = facts.load_report_facts(tmp_path, ["r"])
    assert facts.fact_field(cur, "r", "a", "edition") == "MCS 2026"
    assert facts.fact_field(cur, "r", "a", "source") == "USGS"
    with pytest.raises(SelectionError, match="unknown fact field 'year'"):
        facts.fact_field(cur, "r", "a", "year")



def test_missing_report_or_fact_is_named(tmp_path):
    _write(tmp_path, "r", {"a": {"value": 1}})
    with pytest.raises(SelectionError, match="'zz'"):
        facts.load_report_facts(tmp_path, ["zz"])
    with pytest.raises(SelectionError, match=r"\['a'\]"):
        facts.fact(facts.load_report_facts(tmp_path, ["r"]), "r", "b")



@pytest.mark.parametrize("fact, text", [
    ({"value": 71.05, "unit": "%"}, "71.0%"), ({"value": 6.25, "unit": "%"}, "6.2%"),
    ({"value": 71.05, "unit": "%", "decimals": 0}, "71%"),
    ({"value": 1386613152.0, "unit": "USD"}, "USD 1.39 billion"),
    ({"value": 380000.0, "unit": "t"}, "380,000 t"), ({"value": None}, "not available"),
    ({"value": "Myanmar"}, "Myanmar"), ({"value": 0.0003}, "0.0003"), ({"value": 2.13}, "2.13"),
])
def test_format_fact(fact, text):
    assert format_fact(fact) == text



def test_changes_are_written_as_their_reports_write_them():
    import pandas as pd

    from reelib.present.facts import changes_display, compare_facts

    facts = pd.DataFrame({"report": ["a", "a"], "key": ["share", "tonnes"],
                          "value": ["71.4", "380000.0"], "unit": ["%", "t"],
                          "label": ["China share", "World output"], "decimals": [1, None]})
    previous = facts.assign(value=["69.2", "390000.0"])
    shown = changes_display(compare_facts(facts, previous), facts).set_index("figure")
    assert shown.loc["China share"].tolist() == ["a", "69.2%", "71.4%", "+2.2%"]
    assert shown.loc["World output", "change"] == "-10,000 t"
    assert "key" not in shown.columns
