"""reelib.processed.revisions on the real production and reserves tables."""

import pytest



@pytest.fixture(scope="module")
def revisions(processed):
    return processed("revisions")



def test_real_revisions_separate_basis_changes(revisions):
    r = revisions[(revisions["table"] == "production")].set_index(
        ["country", "year", "edition_new"])
    aus = r.loc[("Australia", 2024, "MCS 2026")]
    assert (aus["value_old"], aus["value_new"], aus["change_kind"]) == (13000, 29000,
                                                                         "basis_change")
    china = r.loc[("China", 2023, "MCS 2025")]
    assert (china["value_old"], china["value_new"]) == (240000, 255000)
    vn = revisions[(revisions["table"] == "reserves") & (revisions["country"] == "Vietnam")
                   & (revisions["edition_new"] == "MCS 2025")].iloc[0]
    assert (vn["value_old"], vn["value_new"]) == (22e6, 3.5e6)
    assert vn["rel_change_pct"] == pytest.approx(-84.09, abs=0.01)

