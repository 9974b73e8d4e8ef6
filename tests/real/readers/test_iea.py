"""reelib.readers.iea on the real IEA extract."""

import pytest

from reelib.readers import iea


@pytest.fixture(scope="module")
def supply():
    return iea.read_iea_supply()


def test_note_sentences_are_not_countries(supply):
    assert supply["country"].str.len().max() < 40



def test_magnet_rare_earths_2024(supply):
    ree = supply[(supply["mineral"] == iea.RARE_EARTHS) & (supply["year"] == 2024)]
    refining = ree[ree["stage"] == "refining"].set_index("country")["production_kt"]
    assert refining["China"] == pytest.approx(73.7567, abs=1e-4)
    assert refining.sum() == pytest.approx(80.8051, abs=1e-4)
    mining = ree[ree["stage"] == "mining"].set_index("country")["production_kt"]
    assert mining["China"] / mining.sum() == pytest.approx(0.6097, abs=1e-4)
    assert set(ree["scenario"]) == {"reported"}



def test_rare_earth_country_rows_sum_to_the_iea_total(supply):
    ree = supply[supply["mineral"] == iea.RARE_EARTHS]
    for _, g in ree.groupby(["stage", "year"]):
        assert g["production_kt"].sum() == pytest.approx(g["iea_total_kt"].iloc[0], rel=1e-6)



def test_extract_totals_disagree_with_country_rows_for_nickel_and_graphite(supply):
    # A property of the extract, recorded so a fixed extract is noticed: shares in reelib
    # use the sum of the country rows, never the stated total.
    g = supply[(supply["mineral"] == "Nickel") & (supply["stage"] == "mining")
               & (supply["year"] == 2024)]
    assert g["production_kt"].sum() - g["iea_total_kt"].iloc[0] == pytest.approx(100.0)

