"""Issue 22 on the built reports: each class of finding checked where a reader meets it,
in the tables and pages the build wrote (not only on small frames)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

pytestmark = [pytest.mark.needs_reports, pytest.mark.usefixtures("built_reports")]


def _table(reports, report, name) -> pd.DataFrame:
    return pd.read_csv(reports / report / "tables" / f"{name}.csv", keep_default_na=False,
                       na_values=[""])


def _page(reports, report) -> str:
    return (reports / report / f"{report}.html").read_text(encoding="utf-8")


def _facts(reports) -> dict:
    return json.loads((reports / "facts.json").read_text(encoding="utf-8"))


def test_bounds_and_bases_reach_the_atlas(built_reports):
    atlas = _table(built_reports, "critical-minerals-atlas", "atlas").set_index(
        ["commodity", "measure"])
    assert atlas.loc[("Cadmium", "Refinery production"), "us_import_reliance_printed"] == "<25"
    assert atlas.loc[("Silicon", "Silicon metal"), "us_import_reliance_printed"] == ">50"
    assert atlas.loc[("Silicon", "Ferrosilicon"), "us_import_reliance_printed"] == "<50"
    assert atlas.loc[("Potash", "Mine production"), "china_reserves_share_printed"] == "≤ 3.4"
    assert (atlas["cr3_pct"] <= 100).all() and (atlas["china_share_pct"].dropna() <= 100).all()
    assert "≤ 53.2" in _page(built_reports, "critical-minerals-atlas")  # tungsten reserves


def _shares_reports(reports):
    """The shares reports this build made (folders of reports no longer listed may linger
    in an old checkout's reports/; a fresh build has none)."""
    return [reports / name for name in _facts(reports) if name.startswith("shares-")]


def test_no_share_report_prints_a_cr3_above_100(built_reports):
    for folder in _shares_reports(built_reports):
        conc = _table(built_reports, folder.name, "concentration")
        assert (conc["cr3_pct"] <= 100 + 1e-9).all(), folder.name


def test_export_controls_as_rows_with_their_status(built_reports):
    controls = _table(built_reports, "critical-minerals-atlas", "export-controls").set_index(
        "measure")
    for n in ("55", "56", "57", "58", "62"):
        assert f"No. {n}/2025" in controls.index
    assert {"No. 70/2025", "No. 72/2025"} <= set(controls.index)  # both suspensions
    assert controls.loc["No. 57/2025", "status_data_date"].startswith(
        "suspended before taking effect")
    assert controls.loc["No. 46/2024 art. 2", "status_data_date"].startswith("suspended")
    page = _page(built_reports, "critical-minerals-atlas")
    assert "No. 72/2025" in page and "suspended before taking effect" in page
    nd = _table(built_reports, "prices-nd", "export-controls")
    assert "No. 18/2025" not in set(nd["measure"])  # Nd is not among its seven elements
    dy = _table(built_reports, "prices-dy", "export-controls")
    assert "No. 18/2025" in set(dy["measure"])


def test_claims_are_judged_as_of_their_date_and_the_ledger_is_complete(built_reports):
    v = _table(built_reports, "claims-check", "claims-verdicts").set_index("claim_id")
    assert len(v) >= 72
    assert v.loc["c001-5", "verdict"] == "contradicted"  # quotas ended in 2015
    assert v.loc["c004-13", "verdict"] == "contradicted"  # no export ban on rare earths
    assert v.loc["c000-7", "evidence_edition"] == "MCS 2025"  # not MCS 2026 (2026)
    assert "April 2025" in v.loc["c000-7", "inconsistency"]


def test_no_p_value_below_ten_changes_a_side(built_reports):
    for folder in [built_reports / n for n in _facts(built_reports) if n.startswith("prices-")]:
        path = folder / "tables" / "breaks-monthly.csv"
        if path.exists():
            b = pd.read_csv(path)
            tested = b[b["p_value"].notna()]
            assert (tested[["n_before", "n_after"]] >= 10).all().all(), folder.name
    unit = _table(built_reports, "rare-earth-unit-value", "breaks-unit-value") if (
        built_reports / "rare-earth-unit-value" / "tables" / "breaks-unit-value.csv"
    ).exists() else None
    if unit is not None:
        tested = unit[unit["p_value"].notna()]
        assert (tested[["n_before", "n_after"]] >= 10).all().all()


def test_forecast_coverage_only_with_its_n(built_reports):
    cal = _table(built_reports, "prices-nd", "forecast-calibration")
    assert (cal["n_origins"] >= 30).all()
    shown = cal.dropna(subset=["coverage_calibrated_pct"])
    assert len(shown) and (shown["n_evaluated"] >= 30).all()
    bt = _table(built_reports, "prices-nd", "forecast-backtest")
    assert bt.loc[bt["n_forecasts"] < 30, "coverage_pct"].isna().all()
    assert "calibrated on a long backtest" in _page(built_reports, "prices-nd")


def test_pages_a_domain_expert_reads(built_reports):
    facts = _facts(built_reports)
    shares = facts["production-shares-rare-earths"]
    assert (shares["us_dominance_start"]["value"], shares["us_dominance_end"]["value"]) == (
        1966, 1984)
    assert "us_share_peak_pct" not in shares
    conflicts = _table(built_reports, "production-shares-rare-earths", "world-total-conflicts")
    assert 2010 in set(conflicts["year"])
    assert "magnet rare earths" in facts["supply-chain-stages"]["china_mining_share_2024_pct"][
        "label"]
    assert "magnet rare earths" in (built_reports / "index.html").read_text(encoding="utf-8")
    summary = _page(built_reports, "summary")
    assert "at least" in summary and "Brazil reserves 21,000,000" in summary
    for folder in _shares_reports(built_reports):
        page = (folder / f"{folder.name}.html").read_text(encoding="utf-8")
        assert "HHI between" not in page
        if "rare-earths" not in folder.name:  # the comparison exists for rare earths only
            assert "USGS and BGS differ" not in page, folder.name
