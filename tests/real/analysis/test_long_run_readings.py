"""Readings a domain expert would check on the long rare-earth series: no record on an
outlier denominator, one world total per chart, the quota caveat on every quota year."""

import pytest

from reelib.analysis import editions, shares, supply_chain
from reelib.reference.corrections import describe_corrections


@pytest.fixture(scope="module")
def long_china(processed):
    return shares.long_china_share(processed("production"), processed("production_compilers"))


def test_us_dominance_is_a_run_of_years_not_a_peak_on_a_470_t_world(processed):
    us = shares.long_run_share(processed("production"), "USA")
    peak = us.loc[us["share_pct"].idxmax()]
    assert int(peak["year"]) == 1950 and float(peak["world_t"]) == 470  # the outlier
    run = shares.dominance_period(us)
    assert (run["start"], run["end"], run["years"]) == (1966, 1984, 19)
    assert 60 < run["median_pct"] < 65 and run["median_world_t"] > 10_000


def test_a_world_total_below_chinas_own_figure_is_found(processed, long_china):
    world = editions.stitched_series(processed("production"), "WLD", "Rare earths",
                                     "Mine production")
    conflicts = shares.world_below_china(world, long_china).set_index("year")
    assert 2010 in conflicts.index
    assert conflicts.loc[2010, "world_t"] == 101_000 and conflicts.loc[2010, "china_t"] == 130_000
    assert conflicts.loc[2010, "china_world_t"] == 133_000  # the share uses its own total


def test_every_year_usgs_printed_the_quota_is_flagged(long_china):
    quota = set(long_china.loc[long_china["usgs_printed_quota"], "year"].astype(int))
    assert quota == set(range(2018, 2025))  # 2024 too, though MCS 2026 dropped the footnote


def test_the_iea_basket_is_named_where_its_share_is_labelled(processed):
    assert supply_chain.scope_of(processed("supply_stages"), "Rare Earth Elements") == \
        "magnet rare earths (Nd, Pr, Dy, Tb)"
    assert supply_chain.scope_of(processed("supply_stages"), "Lithium") == "lithium"


def test_the_brazil_correction_is_disclosed_in_words():
    text = describe_corrections("usgs-mcs-2026", chapter="RARE EARTHS")
    assert "Brazil reserves 21,000,000 -> 11,000,000" in text and "version 1.3" in text
