"""reelib.processed.revisions: classification of changes between editions."""

import pandas as pd

from reelib.processed.revisions import basis_tags, classify_change


def _row(value, basis="", is_estimate=False, qualifier="exact", raw=None):
    return pd.Series({"value": value, "basis": basis, "is_estimate": is_estimate,
                      "qualifier": qualifier,
                      "value_raw": raw if raw is not None else str(value)})



class TestClassifyChange:
    def test_basis_change_wins_over_a_value_change(self):
        kind, detail = classify_change(_row(13000, "estimated from China's import data"),
                                       _row(29000, ""))
        assert kind == "basis_change" and "import data" in detail

    def test_estimate_replaced_by_reported(self):
        assert classify_change(_row(240000, is_estimate=True), _row(255000))[0] == (
            "estimate_to_reported")

    def test_revision(self):
        assert classify_change(_row(31000), _row(27000))[0] == "revision"

    def test_rounding_is_not_a_revision(self):
        kind, detail = classify_change(_row(2.0, raw="2"), _row(1.51, raw="1.51"))
        assert kind == "unchanged" and "decimal" in detail

    def test_values_appearing_or_disappearing(self):
        assert classify_change(_row(None, qualifier="not_available"), _row(710000))[0] == (
            "now_available")
        assert classify_change(_row(6.9e6), _row(None, qualifier="not_available"))[0] == (
            "no_longer_available")



def test_basis_tags_from_notes():
    assert basis_tags("Production quota; does not include undocumented production.") == (
        "production quota")
    assert basis_tags("Includes bastnaesite only. Excludes monazite from heavy mineral sands.") \
        == "bastnaesite only (monazite excluded)"
    assert basis_tags("") == ""

