"""BGS rare-earth oxide production by country, 1992-2024 (secondary): the real file, and
damaged copies that must stop the clean naming file, row, column and value."""

import pytest

from reelib.analysis import shares
from reelib.exceptions import SourceFormatError, UnknownCountryError, UnparseableValueError
from reelib.readers.bgs_by_country import FILE, SOURCE_ID, read_bgs_by_country


@pytest.fixture(scope="module")
def bgs():
    return read_bgs_by_country()


def test_the_real_file(bgs):
    assert len(bgs) == 254 and bgs["year"].min() == 1992 and bgs["year"].max() == 2024
    world = bgs[bgs["entity"] == "world"].set_index("year")["production_t"]
    assert world[1992] == 54_895 and world[2024] == 360_714
    # the unlisted rest is kept where the listed producers fall short of the world
    rest = bgs[bgs["entity"] == "residual"].set_index("year")["production_t"]
    assert set(rest.index) == {1992, 1993, 1994, 2018, 2019, 2020, 2021, 2022, 2023, 2024}
    named = set(bgs.loc[bgs["entity"] == "country", "country"])
    assert {"China", "United States", "Myanmar", "Australia"} <= named
    assert "USA" not in named  # the file's own spelling is kept in country_published only


def test_the_story_the_issue_asks_for(bgs):
    s = shares.bgs_shares(bgs)
    china = shares.share_milestones(s, "CHN")
    assert china["first_pct"] == pytest.approx(38.8, abs=0.1)  # 1992
    assert china["peak_year"] == 2009 and china["peak_pct"] > 97
    us = shares.share_milestones(s, "USA")
    assert us["gaps"] == [(2003, 2011), (2016, 2017)]  # Mountain Pass closed, restarted
    myanmar = shares.share_milestones(s, "MMR")
    assert myanmar["first_year"] == 2013
    assert (s.groupby("year")["share_pct"].sum() <= 100 + 1e-6).all()


@pytest.mark.parametrize("change, error, match", [
    (lambda t: t.replace("1992,CHN,China,21300,0.388,", "1992,CHN,China,21300,0.488,", 1),
     SourceFormatError, r"row 2.*share"),
    (lambda t: t.replace("1992,USA,USA,20699", "1992,XXQ,Nowhere,20699", 1),
     UnknownCountryError, r"row 3.*iso3.*XXQ"),
    (lambda t: t.replace("20699,0.3771,54895", "20699,0.3771,54896", 1),
     SourceFormatError, r"world total of 1992 changes"),
    (lambda t: t + "1992,VNM,Vietnam,0,0,54895\n", SourceFormatError,
     r"9 producers listed for 1992"),
    (lambda t: t.replace("1992,RUS,Russia,4000", "1992,RUS,Russia,4O00", 1),
     UnparseableValueError, r"tonnes_reo"),
], ids=["share", "country code", "world total", "too many producers", "number"])
def test_a_damaged_copy_is_refused(scratch_copy, change, error, match):
    bad = scratch_copy(SOURCE_ID, FILE)
    bad.write_text(change(bad.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(error, match=match):
        read_bgs_by_country(bad)
