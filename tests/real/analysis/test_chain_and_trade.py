"""The magnet, trade and supply-risk measures on the real processed tables (issue 24)."""

import pytest

from reelib.analysis import magnets, supply_risk, supply_chain, shares
from reelib.processed.tables import country_production_pairs


@pytest.fixture(scope="module")
def stages(processed):
    production = processed("production")
    pairs = country_production_pairs(production, "MCS 2026")
    return supply_risk.stage_comparison(production, processed("trade_flows"),
                                        processed("governance"), pairs, "MCS 2026", 2024)


def test_china_leads_magnet_exports_and_its_share_rose(processed):
    ex = magnets.exporter_shares(processed("trade_flows"))
    china = ex[ex["country_iso3"] == "CHN"].set_index("year")["share_pct"]
    assert china[2002] == pytest.approx(19.4, abs=0.1)
    assert china[2024] == pytest.approx(63.9, abs=0.1)
    assert ex.groupby("year")["share_pct"].sum().tolist() == pytest.approx([100.0] * 23)
    assert ex[(ex["year"] == 2002) & (ex["rank"] == 1)]["country_iso3"].iloc[0] == "JPN"


def test_unit_values_and_mirror_gaps(processed):
    lines = processed("trade_materials")
    unit = magnets.unit_values(lines)
    assert magnets.unit_value_of(unit, "CHN", 2024) == pytest.approx(24.75, abs=0.01)
    assert magnets.unit_value_of(unit, "CHN", 2022) == pytest.approx(37.54, abs=0.01)
    gaps = magnets.mirror_gaps(lines, "CHN", 2024).set_index("partner")
    assert gaps.loc["Germany", "ratio"] == pytest.approx(0.93, abs=0.01)
    assert gaps["exports_reported_usd_m"].is_monotonic_decreasing


def test_every_atlas_pair_has_an_export_stage_or_a_reason(stages):
    assert len(stages) == 77
    missing = stages[stages["top_exporter"].isna()]
    assert missing["export_missing"].notna().all()  # a reason, never a zero
    counts = supply_risk.stage_summary(stages)
    assert counts == {"pairs": 77, "with_code": 27, "compared": 27,
                      "top_exporter_not_top_miner": 15, "china_top_exporter": 7,
                      "china_top_miner": 12}
    ree = stages[stages["commodity"] == "Rare earths"].iloc[0]
    assert ree["mine_hhi_wgi_low"] == pytest.approx(2.87, abs=0.01)
    assert ree["export_hhi_wgi_low"] == pytest.approx(2.30, abs=0.01)
    assert (stages["mine_hhi_wgi_low"].dropna() <= stages["mine_hhi_wgi_high"].dropna()).all()
    assert stages[["mine_hhi_wgi_high", "export_hhi_wgi_high"]].max().max() <= 10


def test_the_stage_page_keeps_markets_apart(processed):
    production = processed("production")
    usgs = shares.compute_shares(shares.select_series(production, "Rare earths",
                                                      years=(2024, 2024)))
    conc = supply_chain.stage_concentration(supply_chain.stage_shares(
        processed("supply_stages")))
    chain = supply_chain.rare_earth_stages(
        usgs, shares.bgs_shares(processed("production_bgs")), conc, processed("chain_shares"),
        magnets.exporter_shares(processed("trade_flows")),
        magnets.eu_import_shares(processed("eu_magnet_imports")))
    assert len(chain) == 7 and chain["share_pct"].between(0, 100).all()
    assert chain.set_index("stage").loc["Separation and refining", "share_pct"] == \
        pytest.approx(91.3, abs=0.1)
