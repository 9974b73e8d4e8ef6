"""Prices: series (selection, deflation, resampling), trend and break statistics, and
decomposition and forecasts -- numbers only. The public functions are re-exported here,
so a notebook imports ``from reelib.analysis import prices``."""

from reelib.analysis.prices.forecast import (forecast_ets, seasonal_strength,  # noqa: F401
                                             stl_decompose)
from reelib.analysis.prices.series import (DAILY_SOURCES, PriceInputs,  # noqa: F401
                                           annual_cpi, annual_series, check_price_basis,
                                           cross_source_annual, daily_series, deflate,
                                           elements_with_enough_data, implied_cny_per_usd,
                                           log_returns, price_inputs, rolling_volatility,
                                           stack_frames, to_monthly)
from reelib.analysis.prices.trend import (BreakResult, TrendResult, break_date,  # noqa: F401
                                          break_tests, chow_test, cusum_test,
                                          newey_west_lags, trend_fitted, trend_hac)
