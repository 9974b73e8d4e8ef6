"""reelib.analysis.prices and the events registry on the real price tables."""


import numpy as np
import pandas as pd
import pytest

from reelib.analysis import prices as pa
from reelib.reference.events import events_for, load_events
from reelib.exceptions import SelectionError


class TestEventsAndInputs:
    def test_events_for_an_element(self):
        events = load_events()
        dy = events_for(events, "Dy", "2025-01-01", "2025-12-31")
        nd = events_for(events, "Nd", "2025-01-01", "2025-12-31")
        assert "licences-2025-04" in set(dy["event_id"]) - set(nd["event_id"])
        assert events["source"].str.len().min() > 20  # every event cites its source

    def test_price_basis_is_checked(self):
        assert pa.check_price_basis("real") == "real_usd_per_kg"
        with pytest.raises(SelectionError, match="real"):
            pa.check_price_basis("constant")

    def test_forecast_interval_brackets_the_mean(self):
        months = pd.date_range("2020-01-01", periods=36, freq="MS")
        monthly = pd.DataFrame({"month": months, "price": 50 * 1.01 ** np.arange(36)})
        fc = pa.forecast_ets(monthly, horizon=6)
        fut = fc[fc["is_forecast"]]
        assert len(fut) == 6 and (fut["lower"] < fut["mean"]).all()
        assert (fut["mean"] < fut["upper"]).all()

    def test_real_nd_inputs(self, processed):
        x = pa.price_inputs("Nd", processed("prices_annual"), processed("prices_daily"),
                            processed("cpi"), 2024)
        assert x.annual.set_index("year").loc[2024, "real_usd_per_kg"] == pytest.approx(56.0)
        assert set(x.monthly) == set(pa.DAILY_SOURCES.values())
        assert x.yearend["year"].tolist() == [2011, 2012, 2013, 2014, 2015]



@pytest.fixture(scope="module")
def nd(processed):
    return pa.price_inputs("Nd", processed("prices_annual"), processed("prices_daily"),
                           processed("cpi"), 2024)


@pytest.fixture(scope="module")
def uv(processed):
    uv = pa.unit_value(processed("prices_annual"))
    return uv[uv["year"] >= 1960]


class TestStatisticsOnTheRealSeries:
    def test_only_events_with_ten_changes_on_each_side_get_a_p_value(self, uv):
        """The one minimum-n rule (analysis.inference): the series ends in 2020, so the
        2012-2015 events have 6-9 changes after them and are not tested; the 2010 quota cut
        (10 after) is the only test, so Holm leaves its p-value as it is."""
        tests = pa.event_tests(uv, pa.all_rare_earth_events(), value="usd1998_per_kg",
                               time="year", frequency="annual").set_index("event_id")
        q = tests.loc["quota-cut-2010"]
        assert q["break_at"] == "2011" and q["placebo_percentile"] == pytest.approx(100)
        assert q["n_after"] == 10 and q["p_value"] == pytest.approx(0.025, abs=0.002)
        assert q["p_holm"] == q["p_value"]
        skipped = tests[tests["skipped_reason"] != ""]
        assert set(skipped.index) == {"wto-request-2012", "wto-panel-2014", "quotas-end-2015"}
        assert skipped["skipped_reason"].str.startswith("too close to the end").all()
        assert skipped["p_value"].isna().all()

    def test_an_event_near_the_start_is_said_to_be_near_the_start(self):
        rng = np.random.default_rng(0)
        series = pd.DataFrame({"year": range(2000, 2040),
                               "price": np.exp(np.cumsum(rng.normal(0, 0.1, 40)))})
        events = pd.DataFrame({"event_id": ["early", "late"], "test_breaks": [True, True],
                               "date": pd.to_datetime(["2004-03-01", "2036-03-01"])})
        tests = pa.event_tests(series, events, value="price", time="year",
                               frequency="annual").set_index("event_id")
        assert tests.loc["early", "skipped_reason"].startswith("too close to the start")
        assert tests.loc["late", "skipped_reason"].startswith("too close to the end")

    def test_on_its_placebo_dates_the_test_rejects_near_its_level(self, uv):
        """The old level-trend Chow test rejected at 22 of 50 placebo years."""
        path = pa.f_path(uv, "usd1998_per_kg", "year")
        assert float((path["p_value"] < 0.05).mean()) <= 0.10
        qlr = pa.qlr(path, "year")
        assert qlr["break_at"] == "2011" and qlr["p_value"] > 0.05

    def test_glitch_days_are_priced_at_their_midpoint_and_years_kept(self, nd):
        label = "China domestic (CNY, inferred units)"
        assert nd.glitch_days[label] == 526
        monthly = nd.monthly[label]
        assert monthly["month"].min() == pd.Timestamp("2013-01-01")  # 2013-2014 kept
        daily = nd.daily[label]
        first = daily.iloc[0]  # 4 January 2013: average 341.5 outside [343, 348]
        assert first["is_midpoint"] and first["price"] == 345.5
        assert first["price_published"] == 341.5
        assert monthly["n_glitch_days"].sum() == 526

    def test_the_2014_and_2015_events_can_now_be_tested_on_the_domestic_series(self, nd):
        m = nd.monthly["China domestic (CNY, inferred units)"]
        tests = pa.event_tests(m, nd.events, value="price", time="month",
                               frequency="monthly").set_index("event_id")
        assert tests.loc["quotas-end-2015", "skipped_reason"] == ""  # dropped before
        assert tests.loc["quotas-end-2015", "n_before"] == 22
        # April 2014 is 13 changes in; the 15% trimming needs 21 on each side
        assert tests.loc["wto-panel-2014", "skipped_reason"].startswith(
            "too close to the start of the series (13 changes before")

    def test_forecasts_use_complete_months(self, nd):
        komis = nd.monthly["KOMIS FOB China (USD)"]
        assert komis["month"].max() == pd.Timestamp("2026-03-01")  # April 2026 is partial

    def test_praseodymium_has_too_few_annual_changes_for_a_trend_test(self, processed):
        pr = pa.price_inputs("Pr", processed("prices_annual"), processed("prices_daily"),
                             processed("cpi"), 2024)
        res = pa.trend_of_changes(pr.annual, "real_usd_per_kg")
        assert res.n == 4 and res.p_value is None and "too few" in res.reason


def test_the_unit_value_has_one_row_a_year_in_current_and_1998_dollars(processed):
    uv = pa.unit_value(processed("prices_annual"))
    assert list(uv.columns) == ["year", "current_usd_per_kg", "usd1998_per_kg"]
    assert uv["year"].is_unique and uv["year"].min() == 1922 and uv["year"].max() == 2020
    assert uv["usd1998_per_kg"].notna().sum() >= 90


def test_events_of_all_rare_earths_leave_an_element_s_own_measures_out():
    events = pa.all_rare_earth_events()
    assert "licences-2025-04" not in set(events["event_id"])  # Sm, Gd, Tb, Dy, Lu, Sc, Y
    assert "quota-cut-2010" in set(events["event_id"])
    assert list(events["number"]) == list(range(1, len(events) + 1))
    assert events["date"].is_monotonic_increasing


@pytest.fixture(scope="module")
def calibration(nd):
    from reelib.analysis.prices import forecast as pf
    return pf.calibrate_intervals(nd.monthly["China domestic (CNY, inferred units)"], 12)


class TestForecastIntervals:
    """The model's own 95% interval held the domestic Nd price in about 79% of a long
    backtest; the calibrated one is scored out of sample on 30+ forecasts per horizon."""

    def test_a_long_backtest_with_30_or_more_origins_behind_each_horizon(self, calibration):
        assert (calibration["n_origins"] >= 30).all()
        assert (calibration["n_evaluated"] >= 30).all()

    def test_the_calibrated_interval_is_near_nominal_where_the_models_is_not(self,
                                                                             calibration):
        from reelib.analysis.prices import forecast as pf
        pooled = pf.coverage_overall(calibration)
        assert 85 <= pooled["calibrated_pct"] <= 99
        assert pooled["model_pct"] < 85
        assert pooled["calibrated_pct"] - pooled["model_pct"] > 5

    def test_a_forecast_uses_the_calibrated_interval(self, nd, calibration):
        from reelib.analysis.prices import forecast as pf
        fc = pf.forecast_ets(nd.monthly["KOMIS FOB China (USD)"], 12, calibration=calibration)
        fut = fc[fc["is_forecast"]]
        assert (fut["interval"] == "calibrated").all()
        width = np.log(fut["upper"] / fut["lower"]).to_numpy()
        assert width == pytest.approx(2 * calibration["q_high"].to_numpy())

    def test_a_short_backtest_reports_no_coverage(self, nd):
        from reelib.analysis.prices import forecast as pf
        bt = pf.backtest_ets(nd.monthly["KOMIS FOB China (USD)"], 12, max_origins=8)
        assert pf.backtest_summary(bt)["coverage_pct"].isna().all()
