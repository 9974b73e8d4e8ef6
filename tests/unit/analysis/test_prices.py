"""reelib.analysis.prices: deflation, resampling, returns, volatility, trend and breaks
(inline series)."""

import math

import numpy as np
import pandas as pd
import pytest

from reelib.analysis import prices as pa
from reelib.present.text import describe_break
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

    def test_rolling_volatility(self):
        returns = pd.DataFrame({"month": pd.date_range("2024-01-01", periods=3, freq="MS"),
                                "log_return_pct": [1.0, 3.0, 5.0]})
        v = pa.rolling_volatility(returns, window=2)
        assert v["vol_monthly_pct"].tolist() == pytest.approx([math.sqrt(2), math.sqrt(2)])
        assert v["vol_annualised_pct"].iloc[0] == pytest.approx(math.sqrt(2) * math.sqrt(12))
        with pytest.raises(InsufficientDataError):
            pa.rolling_volatility(returns, window=12)



class TestTrendAndBreaks:
    def test_trend_matches_least_squares_on_log_prices(self):
        t = np.arange(12)
        price = 100 * 1.05**t * np.where(t % 2 == 0, 1.02, 0.98)
        df = pd.DataFrame({"year": 2000 + t, "p": price})
        res = pa.trend_hac(df, "p")
        slope = np.polyfit(t, np.log(price), 1)[0]
        assert res.slope_per_period == pytest.approx(slope, rel=1e-10)
        assert res.pct_per_year == pytest.approx(100 * (math.exp(slope) - 1), rel=1e-10)
        assert res.n == 12 and res.hac_lags == pa.newey_west_lags(12) == 2
        assert res.p_value < 0.001

    def test_time_index_counts_years_not_rows(self):
        df = pd.DataFrame({"year": [2000, 2001, 2005, 2006, 2010],
                           "p": [math.exp(0.1 * y) for y in (0, 1, 5, 6, 10)]})
        assert pa.trend_hac(df, "p").slope_per_period == pytest.approx(0.1)

    def test_chow_f_equals_the_textbook_formula(self):
        rng = np.random.default_rng(1)
        t = np.arange(20)
        logp = 0.02 * t + np.where(t >= 10, math.log(2), 0) + rng.normal(0, 0.05, 20)
        df = pd.DataFrame({"year": 2000 + t, "p": np.exp(logp)})
        res = pa.chow_test(df, 2010, value="p", event_id="e")

        def ssr(x, y):
            coef = np.polyfit(x, y, 1)
            return float(((y - np.polyval(coef, x)) ** 2).sum())

        pooled, s1, s2 = ssr(t, logp), ssr(t[:10], logp[:10]), ssr(t[10:], logp[10:])
        expected = ((pooled - s1 - s2) / 2) / ((s1 + s2) / (20 - 4))
        assert res.chow_f == pytest.approx(expected, rel=1e-9)
        assert (res.n_before, res.n_after) == (10, 10) and res.chow_p < 0.001
        assert res.level_shift_pct == pytest.approx(100, abs=15)
        assert "rejects a stable trend" in describe_break(res)

    def test_break_too_close_to_the_edge(self):
        df = pd.DataFrame({"year": range(2000, 2010), "p": range(1, 11)})
        with pytest.raises(InsufficientDataError, match="at least 3"):
            pa.chow_test(df, 2008, value="p")

    @pytest.mark.parametrize("date, freq, expected", [
        ("2010-07-01", "annual", 2011), ("2014-03-26", "annual", 2014),
        ("2015-01-01", "monthly", pd.Timestamp("2015-01-01")),
        ("2023-12-21", "monthly", pd.Timestamp("2024-01-01")),
    ])
    def test_break_date_rule(self, date, freq, expected):
        assert pa.break_date(date, freq) == expected

    def test_cusum_on_a_stable_series_does_not_reject(self):
        t = np.arange(30)
        df = pd.DataFrame({"year": 1990 + t, "p": np.exp(0.01 * t + 0.05 * np.sin(t))})
        assert pa.cusum_test(df, "p")["p_value"] > 0.05

