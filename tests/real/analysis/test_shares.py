"""reelib.analysis.shares on the real processed production table."""

import pytest

from reelib.analysis import shares


def test_real_rare_earth_concentration_2024(processed):
    rows = shares.select_series(processed("production"), "Rare earths", years=(2024, 2024))
    s = shares.compute_shares(rows)
    china = s[s["country_iso3"] == "CHN"].iloc[0]
    assert china["share_pct"] == pytest.approx(100 * 270000 / 380000)
    c = shares.concentration(s).iloc[0]
    assert c["hhi_lower"] < c["hhi_upper"] and c["top_country"] == "China"



def test_cr1_of_china_is_chinas_share_and_the_hhi_covers_the_rounding_gap(processed):
    rows = shares.select_series(processed("production"), "Rare earths", years=(2024, 2024))
    sh = shares.compute_shares(rows)
    c = shares.concentration(sh).iloc[0]
    china = sh.loc[sh["country_iso3"] == "CHN"].iloc[0]
    assert c["cr1_pct"] == china["share_pct"] == pytest.approx(71.05, abs=0.01)
    assert china["share_of_rows_pct"] == pytest.approx(70.31, abs=0.01)  # the sensitivity
    assert c["rounding_gap_pct"] == pytest.approx(1.05, abs=0.01)
    assert c["hhi_upper"] - c["hhi_lower"] > 100  # the ~110-point rounding gap is inside


def test_caveats_travel_with_chinas_quota_figures(processed):
    p = processed("production")
    china = p[(p["commodity"] == "Rare earths") & (p["country_iso3"] == "CHN")]
    mcs2025 = china[china["edition"] == "MCS 2025"].set_index("year")["caveats"]
    assert "production quota" in mcs2025[2023] and "excludes undocumented" in mcs2025[2023]
    latest = china[china["edition"] == "MCS 2026"].set_index("year")["caveats"]
    assert "production quota" not in latest[2024]  # MCS 2026 v1.1 removed that footnote


def test_a_lower_bound_is_never_a_revision_delta(processed):
    r = processed("revisions")
    world = r[(r["table"] == "reserves") & (r["country_iso3"] == "WLD")
              & (r["commodity"] == "Rare earths") & (r["edition_old"] != "MCS 2023")]
    assert set(world["change_kind"]) == {"bound_not_value"}
    assert world["abs_change"].isna().all() and world["rel_change_pct"].isna().all()


def test_identical_iea_projection_years_are_named(processed):
    from reelib.analysis import supply_chain

    conc = supply_chain.stage_concentration(supply_chain.stage_shares(processed(
        "supply_stages")))
    assert supply_chain.repeated_projections(conc) == "2035 and 2040"
