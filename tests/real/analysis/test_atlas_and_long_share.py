"""China's long share (primary and secondary, USGS beside BGS) and the critical-minerals
atlas, on the real processed tables, with key numbers checked against the raw files."""

import pandas as pd
import pytest

from reelib.analysis import atlas, shares
from reelib.processed.tables import country_production_pairs
from reelib.readers import usgs_mcs
from reelib.reference.export_controls import load_export_controls


@pytest.fixture(scope="module")
def long_share(processed):
    return shares.long_china_share(processed("production"), processed("production_compilers"))


def test_china_share_runs_from_2003_with_the_seam_at_the_first_primary_year(long_share):
    years = long_share["year"].tolist()
    assert years == list(range(2003, 2026))
    first_primary = long_share.loc[long_share["basis"] == "primary", "year"].min()
    assert first_primary == 2018
    assert (long_share.loc[long_share["year"] < 2018, "basis"] == "secondary").all()
    assert long_share.set_index("year").loc[2018, "is_seam"]
    by_year = long_share.set_index("year")["china_share_pct"]
    assert by_year[2010] == pytest.approx(100 * 130_000 / 133_000)  # secondary, USGS
    assert by_year[2024] == pytest.approx(100 * 270_000 / 380_000)  # MCS 2026, primary


def test_usgs_and_bgs_disagree_most_while_usgs_reports_the_quota(long_share, processed):
    compared = shares.compare_compilers(long_share, processed("production_compilers"))
    listed = compared.loc[compared["is_listed"], "year"].tolist()
    assert {2014, 2015, 2016, 2017, 2018, 2019, 2020} <= set(listed)
    assert not set(listed) & {2022, 2023, 2024}
    quota = compared[compared["usgs_caveats"].str.contains("production quota")]
    assert set(quota["year"]) >= {2018, 2019, 2020, 2021}
    assert compared.set_index("year").loc[2016, "china_gap_pct"] == pytest.approx(
        100 * (140_000 - 105_000) / 105_000)


def test_a_commodity_without_a_long_series_gives_the_mcs_editions(processed):
    """Tungsten has no compiler series: its years are the USGS editions' (MCS 2022 gives
    2020-2021, MCS 2023 2022, MCS 2024 2023, MCS 2026 2024-2025)."""
    out = shares.long_china_share(processed("production"), processed("production_compilers"),
                                  "Tungsten", "Mine production")
    assert out["year"].tolist() == list(range(2020, 2026))
    assert (out["basis"] == "primary").all()
    none = shares.long_china_share(processed("production"), processed("production_compilers"),
                                   "Iodine", "Mine production")
    assert none.empty  # China prints no iodine production


@pytest.fixture(scope="module")
def table(processed):
    production = processed("production")
    pairs = country_production_pairs(production, "MCS 2026")
    return atlas.atlas_table(production, processed("reserves"), processed("us_indicators"),
                             load_export_controls(), pairs, "MCS 2026", as_of="2026-12-07")


def test_the_atlas_has_a_row_per_commodity_measure_with_production_by_country(table):
    assert len(table) >= 70 and table["commodity"].nunique() >= 60
    assert not table.duplicated(["commodity", "measure"]).any()
    assert (table["hhi_lower"] <= table["hhi_upper"]).all()
    assert (table["hhi_upper"] <= 10_000).all()


def test_atlas_shares_match_the_raw_mcs_2026_file(table):
    from reelib.sources.registry import load_registry
    release = usgs_mcs.read_long_release(load_registry()["usgs-mcs-2026"])
    for chapter, commodity in (("TUNGSTEN", "Tungsten"), ("BISMUTH", "Bismuth"),
                               ("RARE EARTHS", "Rare earths")):
        rows = release[(release["chapter"] == chapter) & (release["year"] == 2025)
                       & (release["statistic"] == "Production")
                       & release["section"].str.startswith("World")]
        china = float(rows.loc[rows["country"] == "China", "value"].iloc[0])
        world = float(rows.loc[rows["country"].str.startswith("World total"), "value"].iloc[0])
        row = table[table["commodity"] == commodity].iloc[0]
        assert row["china_share_pct"] == pytest.approx(100 * china / world), commodity


def test_export_controls_mark_the_commodities_the_registry_names(table):
    marked = set(table.loc[table["export_controlled"], "commodity"])
    assert {"Gallium", "Graphite (natural)", "Antimony", "Tungsten", "Bismuth", "Indium",
            "Molybdenum", "Tellurium", "Rare earths"} <= marked
    gallium = table[table["commodity"] == "Gallium"].iloc[0]
    # at the end of 2025 the U.S.-specific ban (No. 46/2024 art. 2) was suspended
    assert gallium["controls_in_force_end_of_year"] == "No. 23/2023"
    assert gallium["controls_in_force_build_date"] == "No. 23/2023; No. 46/2024 art. 2 (?)"
    rare = table[table["commodity"] == "Rare earths"].iloc[0]
    assert rare["controls_in_force_end_of_year"] == "Catalogue 2023; No. 18/2025"
    assert "No. 57/2025 (?)" in rare["controls_in_force_build_date"]
    assert "Copper" not in marked


def test_us_import_reliance_keeps_bounds_as_printed(table):
    rare = table[table["commodity"] == "Rare earths"].iloc[0]
    assert rare["us_import_reliance_pct"] is not pd.NA
    bounded = table[table["us_import_reliance_qualifier"] == "lower_bound"]
    assert len(bounded) and bounded["us_import_reliance_pct"].notna().all()


def test_no_share_or_cr3_above_100_and_the_rule_is_named(table):
    assert (table["cr3_pct"] <= 100).all() and (table["china_share_pct"].dropna() <= 100).all()
    gallium = table[table["commodity"] == "Gallium"].iloc[0]  # rows 101% of the total
    assert gallium["cr3_pct"] == 100 and gallium["rounding_gap_pct"] > 0
    assert gallium["share_basis"] == shares.ROWS_ABOVE_TOTAL


@pytest.mark.parametrize("commodity, measure, printed, basis", [
    ("Potash", "Mine production", "≤ 3.4", "Reserves: K2O equivalent"),  # not ore reserves
    ("Iron ore", "Mine production: Iron content", "3.4",
     "Reserves (million metric tons): Iron content"),
    ("Iron ore", "Mine production: Usable ore", "8.5",
     "Reserves (million metric tons): Crude ore"),
    ("Tungsten", "Mine production", "≤ 53.2", "Reserves"),  # world reserves a lower bound
])
def test_reserves_shares_compare_like_with_like_and_keep_bounds(table, commodity, measure,
                                                               printed, basis):
    row = table[(table["commodity"] == commodity) & (table["measure"] == measure)].iloc[0]
    assert row["china_reserves_share_printed"] == printed
    assert row["china_reserves_measure"] == basis


@pytest.mark.parametrize("measure, printed, qualifier", [
    ("Silicon metal", ">50", "lower_bound"), ("Ferrosilicon", "<50", "upper_bound")])
def test_import_reliance_is_the_measures_own_item_and_keeps_its_bound(table, measure, printed,
                                                                      qualifier):
    row = table[(table["commodity"] == "Silicon") & (table["measure"] == measure)].iloc[0]
    assert row["us_import_reliance_printed"] == printed
    assert row["us_import_reliance_qualifier"] == qualifier
    assert row["us_import_reliance_pct"] == 50  # the bound, never 0
    cadmium = table[table["commodity"] == "Cadmium"].iloc[0]
    assert cadmium["us_import_reliance_printed"] == "<25"
    assert cadmium["us_import_reliance_pct"] == 25
