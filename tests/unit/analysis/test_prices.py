"""reelib.analysis.prices: deflation, resampling, returns, volatility, trend and breaks
(inline series)."""

import math

import numpy as np
import pandas as pd
import pytest

from reelib.analysis import prices as pa
from reelib.analysis.prices import trend
from reelib.present.text import describe_trend
from reelib.exceptions import InsufficientDataError, SelectionError


def _cpi(values: dict[int, float], missing: tuple = ()) -> pd.DataFrame:
    rows = []
    for year, v in values.items():
        for m in range(1, 13):
            rows.append({"month": pd.Timestamp(year, m, 1),
                         "cpi_index_1982_84": None if (year, m) in missing else v})
    return pd.DataFrame(rows).astype({"cpi_index_1982_84": "Float64"})


class TestDeflate:
    def test_constant_dollars_of_the_base_year(self):
        prices = pd.DataFrame({"year": [2023, 2024], "price_usd_per_kg": [10.0, 20.0]})
        out = pa.deflate(prices, _cpi({2023: 100.0, 2024: 110.0}), 2024)
        assert out["real_usd_per_kg"].tolist() == pytest.approx([11.0, 20.0])
        assert prices.columns.tolist() == ["year", "price_usd_per_kg"]  # input unchanged

    def test_partial_years_are_flagged(self):
        out = pa.deflate(pd.DataFrame({"year": [2025], "price_usd_per_kg": [1.0]}),
                         _cpi({2024: 100.0, 2025: 100.0}, missing=((2025, 10), (2025, 12))),
                         2024)
        assert out["cpi_months"].tolist() == [10]

    def test_unknown_base_year(self):
        with pytest.raises(SelectionError, match="base year 1999"):
            pa.deflate(pd.DataFrame({"year": [2024], "price_usd_per_kg": [1.0]}),
                       _cpi({2024: 100.0}), 1999)



class TestResamplingAndReturns:
    def test_monthly_means_and_log_returns(self):
        daily = pd.DataFrame({"date": pd.to_datetime(["2024-01-02", "2024-01-03",
                                                       "2024-02-01"]),
                              "price": [90.0, 110.0, 110.0]})
        monthly = pa.to_monthly(daily)
        assert monthly["price"].tolist() == [100.0, 110.0]
        assert monthly["n_days"].tolist() == [2, 1]
        r = pa.log_returns(monthly)
        assert r["log_return_pct"].iloc[0] == pytest.approx(100 * math.log(1.1))

    def test_a_glitch_day_is_priced_at_the_midpoint_of_its_range(self):
        daily = pd.DataFrame({
            "element": "Nd", "source_id": "s", "date": pd.to_datetime(
                ["2024-01-02", "2024-01-03", "2024-01-04"]),
            "price_cny_per_kg": [338.5, 350.0, 200.0],
            "price_low_cny_per_kg": [340.0, 345.0, None],
            "price_high_cny_per_kg": [345.0, 355.0, None],
            "price_usd_per_kg": [None, None, None],
            "is_range_inconsistent": [True, False, True]})
        d = pa.daily_series(daily, "Nd", "s")
        assert d["price"].tolist()[:2] == [342.5, 350.0]
        assert pd.isna(d["price"].iloc[2])  # a glitch without its range has no price
        m = pa.to_monthly(d)
        assert m["price"].tolist() == [346.25] and m["n_glitch_days"].tolist() == [1]

    def test_rolling_volatility(self):
        returns = pd.DataFrame({"month": pd.date_range("2024-01-01", periods=3, freq="MS"),
                                "log_return_pct": [1.0, 3.0, 5.0]})
        v = pa.rolling_volatility(returns, window=2)
        assert v["vol_monthly_pct"].tolist() == pytest.approx([math.sqrt(2), math.sqrt(2)])
        assert v["vol_annualised_pct"].iloc[0] == pytest.approx(math.sqrt(2) * math.sqrt(12))
        with pytest.raises(InsufficientDataError):
            pa.rolling_volatility(returns, window=12)



class TestTrendOfChanges:
    def test_the_trend_is_the_mean_log_change_with_t_inference(self):
        rng = np.random.default_rng(3)
        change = 0.05 + rng.normal(0, 0.02, 15)
        df = pd.DataFrame({"year": 2000 + np.arange(16),
                           "p": 100 * np.exp(np.concatenate([[0], change.cumsum()]))})
        res = pa.trend_of_changes(df, "p")
        assert res.n == 15 and res.mean_log_change == pytest.approx(change.mean(), rel=1e-10)
        assert res.pct_per_year == pytest.approx(100 * (math.exp(change.mean()) - 1))
        from scipy import stats

        assert res.p_value == pytest.approx(2 * stats.t.sf(abs(res.t_stat), 14))
        lo, hi = res.ci_pct_per_year
        assert lo < res.pct_per_year < hi and res.p_value < 0.001

    def test_below_the_minimum_n_there_is_no_p_value_and_a_reason(self):
        df = pd.DataFrame({"year": [2021, 2022, 2023, 2024, 2025],
                           "p": [93.0, 140.0, 90.0, 60.0, 74.0]})
        res = pa.trend_of_changes(df, "p")
        assert res.n == 4 and res.p_value is None and not res.tested
        assert "too few" in res.reason and "4 changes" in res.reason
        assert "no p-value is given" in describe_trend(res)

    def test_changes_across_a_gap_are_not_counted(self):
        df = pd.DataFrame({"year": [2000, 2001, 2005, 2006], "p": [1.0, 2.0, 4.0, 8.0]})
        changes = pa.log_changes(df, "p", "year")
        assert list(changes["year"]) == [2001, 2006]

    def test_lags_come_from_the_changes_own_autocorrelation(self):
        rng = np.random.default_rng(0)
        white = rng.normal(0, 1, 200)
        persistent = np.zeros(200)
        for i in range(1, 200):
            persistent[i] = 0.8 * persistent[i - 1] + white[i]
        assert trend.andrews_lags(white) <= 2 < trend.andrews_lags(persistent)


class TestEventTests:
    @staticmethod
    def _walk(n=80, seed=1, shift_at=None, shift=0.0):
        rng = np.random.default_rng(seed)
        r = rng.normal(0.0, 0.05, n)
        if shift_at is not None:
            r[shift_at:] += shift
        return pd.DataFrame({"year": 1940 + np.arange(n + 1),
                             "p": np.exp(np.concatenate([[0.0], r.cumsum()]))})

    @staticmethod
    def _events(*years):
        return pd.DataFrame({"event_id": [f"e{y}" for y in years],
                             "date": pd.to_datetime([f"{y}-03-01" for y in years]),
                             "test_breaks": True})

    def test_the_f_statistic_is_the_chow_test_of_an_ar1_in_changes(self):
        df = self._walk()
        path = pa.f_path(df, "p", "year")
        r = np.diff(np.log(df["p"].to_numpy()))
        y, x = r[1:], np.column_stack([np.ones(len(r) - 1), r[:-1]])

        def ssr(yy, xx):
            b = np.linalg.lstsq(xx, yy, rcond=None)[0]
            return float(((yy - xx @ b) ** 2).sum())

        j = 40
        expected = ((ssr(y, x) - ssr(y[:j], x[:j]) - ssr(y[j:], x[j:])) / 2) / (
            (ssr(y[:j], x[:j]) + ssr(y[j:], x[j:])) / (len(y) - 4))
        at = int(df["year"].iloc[2 + j])
        assert path.set_index("year").loc[at, "f_stat"] == pytest.approx(expected, rel=1e-9)

    def test_a_real_shift_stands_out_from_its_placebo_dates(self):
        df = self._walk(shift_at=50, shift=0.15)
        tests = pa.event_tests(df, self._events(1991), value="p", time="year",
                               frequency="annual")
        row = tests.iloc[0]
        assert row["placebo_percentile"] >= 95 and row["p_holm"] < 0.05
        assert row["verdict"] == "associated with a shift"

    def test_events_in_a_stable_series_do_not(self):
        df = self._walk(seed=7)
        tests = pa.event_tests(df, self._events(1970, 1985, 2000), value="p", time="year",
                               frequency="annual")
        assert not (tests["verdict"] == "associated with a shift").any()
        assert (tests["p_holm"] >= tests["p_value"]).all()

    def test_on_random_walks_the_test_rejects_about_as_often_as_its_level(self):
        """Placebo calibration: 5% tests on random walks reject near 5% of dates."""
        rates = [float((pa.f_path(self._walk(seed=s), "p", "year")["p_value"] < 0.05).mean())
                 for s in range(20)]
        assert 0.01 < float(np.mean(rates)) < 0.10

    def test_events_near_the_ends_are_listed_with_the_reason(self):
        df = self._walk(n=30)
        tests = pa.event_tests(df, self._events(1942, 1968), value="p", time="year",
                               frequency="annual")
        assert (tests["skipped_reason"].str.contains("too close")).all()

    def test_holm(self):
        assert pa.holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])

    @pytest.mark.parametrize("date, freq, expected", [
        ("2010-07-01", "annual", 2011), ("2014-03-26", "annual", 2014),
        ("2015-01-01", "monthly", pd.Timestamp("2015-01-01")),
        ("2023-12-21", "monthly", pd.Timestamp("2024-01-01")),
    ])
    def test_break_date_rule(self, date, freq, expected):
        assert pa.break_date(date, freq) == expected


class TestSupF:
    def test_the_stored_quantiles_match_the_published_qlr_table(self):
        from reelib.analysis.prices import supf

        assert supf.critical_value(1) == pytest.approx(8.68, rel=0.02)
        assert supf.critical_value(2) == pytest.approx(5.86, rel=0.02)
        assert supf.critical_value(2, 0.01) == pytest.approx(7.78, rel=0.03)

    def test_a_fresh_simulation_agrees_with_the_stored_table(self):
        from reelib.analysis.prices import supf

        draws = supf.simulate(2, reps=4000, steps=500, seed=5)
        assert float(np.quantile(draws, 0.95)) == pytest.approx(supf.critical_value(2), rel=0.06)
        assert supf.p_value(supf.critical_value(2), 2) == pytest.approx(0.05, abs=0.002)


class TestForecast:
    @staticmethod
    def _monthly(n=40):
        rng = np.random.default_rng(2)
        months = pd.date_range("2020-01-01", periods=n, freq="MS")
        return pd.DataFrame({"month": months,
                             "price": 50 * np.exp(np.cumsum(rng.normal(0.01, 0.05, n))),
                             "n_days": 20})

    def test_the_point_forecast_is_the_median_and_the_mean_lies_above_it(self):
        from reelib.analysis.prices import forecast

        fc = forecast.forecast_ets(self._monthly(), 6)
        fut = fc[fc["is_forecast"]]
        assert (fut["mean"] > fut["median"]).all()
        assert ((fut["lower"] < fut["median"]) & (fut["median"] < fut["upper"])).all()

    def test_the_backtest_scores_each_origin_on_what_followed(self):
        from reelib.analysis.prices import forecast

        m = self._monthly()
        bt = forecast.backtest_ets(m, 6, max_origins=5)
        assert bt["origin"].nunique() == 5 and set(bt["horizon"]) <= set(range(1, 7))
        row = bt.iloc[0]
        actual = float(m.set_index("month").loc[row["month"], "price"])
        assert row["actual"] == pytest.approx(actual)
        assert row["ape_pct"] == pytest.approx(100 * abs(row["median"] / actual - 1))
        summary = forecast.backtest_summary(bt)
        assert list(summary.columns) == ["horizon", "mape_pct", "coverage_pct", "n_forecasts"]

    def test_an_incomplete_last_month_is_dropped(self):
        m = self._monthly(12).assign(n_days=[20] * 11 + [6])
        assert len(pa.complete_months(m)) == 11
