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
    def test_the_2010_quota_cut_stands_out_but_fails_holm(self, uv):
        tests = pa.event_tests(uv, pa.all_rare_earth_events(), value="usd1998_per_kg",
                               time="year", frequency="annual").set_index("event_id")
        q = tests.loc["quota-cut-2010"]
        assert q["break_at"] == "2011" and q["placebo_percentile"] == pytest.approx(100)
        assert q["p_value"] == pytest.approx(0.025, abs=0.002)
        assert q["p_holm"] == pytest.approx(0.050, abs=0.002)
        assert q["verdict"] == "stands out, but not significant after Holm"

    def test_on_its_placebo_dates_the_test_rejects_near_its_level(self, uv):
        """The old level-trend Chow test rejected at 22 of 50 placebo years."""
        path = pa.f_path(uv, "usd1998_per_kg", "year")
        assert float((path["p_value"] < 0.05).mean()) <= 0.10
        qlr = pa.qlr(path, "year")
        assert qlr["break_at"] == "2011" and qlr["p_value"] > 0.05

    def test_glitch_days_are_left_out_and_counted(self, nd):
        label = "China domestic (CNY, inferred units)"
        assert nd.glitch_days[label] == 526
        assert nd.monthly[label]["month"].min() == pd.Timestamp("2015-01-01")

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
