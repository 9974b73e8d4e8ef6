"""Prices: series (selection, deflation, resampling), trends, break tests with placebo
dates, decomposition and forecasts with backtests -- numbers only. The public functions
are re-exported here, so a notebook imports ``from reelib.analysis import prices``."""

from reelib.analysis.prices.breaks import (EventTest, break_date, event_tests,  # noqa: F401
                                           f_path, holm, qlr)
from reelib.analysis.prices.forecast import (forecast_ets, seasonal_strength,  # noqa: F401
                                             stl_decompose)
from reelib.analysis.prices.series import (DAILY_SOURCES, PriceInputs,  # noqa: F401
                                           all_rare_earth_events, annual_cpi, annual_series,
                                           check_price_basis, complete_months,
                                           cross_source_annual, daily_series, deflate,
                                           elements_with_enough_data, implied_cny_per_usd,
                                           log_returns, price_inputs, rolling_volatility,
                                           stack_frames, to_monthly, unit_value)
from reelib.analysis.prices.trend import (MIN_TREND_N, TrendResult,  # noqa: F401
                                          log_changes, trend_fitted, trend_of_changes)
