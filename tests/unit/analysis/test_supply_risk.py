"""Governance-weighted concentration (EU criticality method's HHI_WGI) on small frames."""

import pandas as pd
import pytest

from reelib.analysis import magnets, supply_risk as sr


def _shares(rows):
    return pd.DataFrame(rows, columns=["country_iso3", "entity", "share_pct"])


GOV = pd.DataFrame({"country_iso3": ["AAA", "BBB", "CCC"], "wgi_mean": [2.5, -2.5, 0.0]})


def test_risk_scale_runs_from_best_to_worst_governance():
    risk = sr.governance_risk(GOV)
    assert risk.to_dict() == {"AAA": 0.0, "BBB": 10.0, "CCC": 5.0}


def test_one_producer_with_the_worst_governance_scores_ten():
    out = sr.weighted_hhi(_shares([("BBB", "country", 100.0)]), sr.governance_risk(GOV))
    assert out["hhi"] == pytest.approx(10_000) and out["hhi_wgi_low"] == pytest.approx(10.0)
    assert out["hhi_wgi_high"] == pytest.approx(10.0) and out["unscored"] == ""


def test_a_country_without_a_score_makes_an_interval_never_a_zero():
    # 60% scored (risk 5), 40% from a country with no score
    out = sr.weighted_hhi(_shares([("CCC", "country", 60.0), ("TWN", "country", 40.0)]),
                          sr.governance_risk(GOV))
    assert out["hhi_wgi_low"] == pytest.approx(0.36 * 5)
    assert out["hhi_wgi_high"] == pytest.approx(0.36 * 5 + 0.16 * 10)
    assert out["scored_share_pct"] == pytest.approx(60.0) and out["unscored"] == "Taiwan"


def test_the_unallocated_rest_widens_the_interval():
    out = sr.weighted_hhi(_shares([("AAA", "country", 70.0), ("XOT", "residual", 30.0)]),
                          sr.governance_risk(GOV))
    assert out["hhi_wgi_low"] == pytest.approx(0.0)  # AAA has the best score
    assert out["hhi_wgi_high"] == pytest.approx(0.09 * 10)  # the rest as one worst country
    assert out["rest_pct"] == pytest.approx(30.0)


def test_export_shares_are_of_the_extract_total():
    flows = pd.DataFrame({"material": "m", "year": 2024,
                          "exporter_iso3": ["AAA", "AAA", "BBB"],
                          "importer_iso3": ["BBB", "CCC", "AAA"],
                          "value_usd": [30.0, 30.0, 40.0]})
    out = sr.export_shares(flows, "m", 2024)
    assert out["country_iso3"].tolist() == ["AAA", "BBB"]
    assert out["share_pct"].tolist() == pytest.approx([60.0, 40.0])


def test_unit_values_use_the_reporters_world_row_and_skip_missing_weights():
    lines = pd.DataFrame({
        "year": 2024, "hs_code": "850511", "flow": "export",
        "reporter_iso3": ["AAA", "AAA", "BBB", "CCC"],
        "partner_iso3": ["WLD", "BBB", "WLD", "WLD"],
        "entity": ["world", "country", "world", "world"],
        "value_usd": [1000.0, 999.0, 500.0, 100.0],
        "net_weight_kg": [40.0, 1.0, float("nan"), 10.0], "is_ambiguous": False})
    out = magnets.unit_values(lines)
    assert out["country_iso3"].tolist() == ["AAA", "CCC"]  # BBB: no weight, no unit value
    assert out["usd_per_kg"].tolist() == pytest.approx([25.0, 10.0])
    assert out["share_pct"].tolist() == pytest.approx([1000 / 16, 100 / 16])


def test_the_placebo_separates_governance_from_concentration():
    gov = pd.DataFrame({"country_iso3": ["AAA", "BBB", "CCC"], "wgi_mean": [2.5, -2.5, 0.0]})
    risk = sr.governance_risk(gov)
    rows = []
    for iso in ("AAA", "BBB"):  # one producer each: the best and the worst governed
        shares = _shares([(iso, "country", 100.0)])
        hhi = sr.weighted_hhi(shares, risk)
        rows.append({"commodity": iso, "measure": "m", "mine_hhi_wgi_low": hhi["hhi_wgi_low"],
                     "mine_hhi_wgi_high": hhi["hhi_wgi_high"],
                     "mine_squared_shares": sr.squared_shares(shares),
                     "export_hhi_wgi_low": float("nan")})
    placebo, counts = sr.governance_placebo(pd.DataFrame(rows), gov, draws=3000)
    best, worst = placebo["mine_placebo_pct"].tolist()
    assert best == 0.0  # no shuffle gives the best-governed producer a lower score
    assert 60 < worst < 72  # the worst score is above the other two in about 2/3 of draws
    assert placebo["export_placebo_pct"].isna().all() and len(counts) == 3000
