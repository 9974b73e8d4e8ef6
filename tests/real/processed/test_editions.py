"""Every USGS edition read by meaning: units, the country-figure rule and the years covered
(the real mirrored files, through data/processed)."""

import pytest


@pytest.fixture(scope="module")
def production(processed):
    p = processed("production")
    return p[p["source_id"].str.startswith("usgs-mcs")]


@pytest.mark.parametrize("table, value, key", [
    ("production", "production_t", ["commodity", "measure", "country_iso3", "year"]),
    ("reserves", "reserves_t", ["commodity", "measure", "country_iso3"]),
])
def test_no_unit_trap_between_editions(processed, table, value, key):
    """The same country (and year) in two editions never differs by a factor of three or
    more in the median of a commodity: that is a wrong unit in a field name (MCS 2023
    chromium, rhenium, vanadium; MCS 2024 selenium, talc; MCS 2026 vanadium), corrected in
    reference/usgs_unit_corrections.csv, not a revision."""
    t = processed(table)
    t = t[t["source_id"].str.startswith("usgs-mcs") & (t["entity"] == "country")
          & (t[value] > 0)]
    pairs = t.merge(t, on=key)
    pairs = pairs[pairs["edition_x"] < pairs["edition_y"]]
    ratio = (pairs[f"{value}_y"] / pairs[f"{value}_x"]).groupby(
        [pairs["commodity"], pairs["measure"], pairs["edition_x"], pairs["edition_y"]]).median()
    assert len(ratio) > 100
    assert ratio.between(1 / 3, 3).all(), ratio[~ratio.between(1 / 3, 3)]


def test_unit_corrections_are_flagged(processed):
    r = processed("reserves")
    v = r[(r["commodity"] == "Vanadium") & (r["edition"] == "MCS 2026")
          & (r["country_iso3"] == "USA")].iloc[0]
    assert v["reserves_t"] == 50_000 and v["correction_id"].startswith("unit:")


@pytest.mark.parametrize("commodity, measure, country", [
    ("Diatomite", "Mine production", "DNK"),
    ("Feldspar and nepheline syenite", "Mine production", "BRA"),
    ("Feldspar and nepheline syenite", "Mine production", "ESP"),
    ("Lime", "Production", "JPN"), ("Lime", "Production", "POL"), ("Lime", "Production", "RUS"),
    ("Tellurium", "Refinery production", "SWE"),
])
def test_a_producer_printed_in_another_form_counts(production, commodity, measure, country):
    """The country-figure rule: a country's row counts whatever form it is printed in."""
    rows = production[(production["edition"] == "MCS 2026")
                      & (production["commodity"] == commodity)
                      & (production["measure"] == measure)]
    assert country in set(rows["country_iso3"])
    assert rows.loc[rows["country_iso3"] == country, "form"].ne("").all()


def test_every_edition_of_the_12_commodities_runs_2020_to_2025(processed):
    latest = processed("production_latest")
    for commodity in ("Rare earths", "Cobalt", "Lithium", "Tungsten", "Graphite (natural)"):
        years = set(latest.loc[(latest["commodity"] == commodity)
                               & (latest["country_iso3"] == "WLD"), "year"])
        assert set(range(2020, 2026)) <= years, (commodity, sorted(years))


def test_revisions_exist_for_every_commodity_of_two_editions(processed, production):
    revisions = processed("revisions")
    per_year = production.groupby(["commodity", "measure", "year"])["edition"].nunique()
    in_two = set(per_year[per_year >= 2].reset_index()["commodity"])
    revised = set(revisions.loc[revisions["table"] == "production", "commodity"])
    assert in_two - revised == set()


def test_a_country_has_one_figure_per_measure_and_year(production):
    key = ["source_id", "commodity", "measure", "country_iso3", "country", "year"]
    assert not production.duplicated(key).any()
