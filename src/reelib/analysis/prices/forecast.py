"""Seasonal-trend decomposition and a short-horizon model forecast of monthly prices."""

from __future__ import annotations

import numpy as np
import pandas as pd

from reelib.exceptions import InsufficientDataError


def stl_decompose(monthly: pd.DataFrame, period: int = 12) -> pd.DataFrame:
    """Robust STL of log monthly prices: trend, seasonal, residual (log points)."""
    from statsmodels.tsa.seasonal import STL

    s = monthly.set_index("month")["price"].asfreq("MS")
    if s.isna().any():
        s = s.interpolate(limit_direction="both")
    if len(s) < 2 * period + 1:
        raise InsufficientDataError(f"{len(s)} months; STL needs at least {2 * period + 1}")
    res = STL(np.log(s), period=period, robust=True).fit()
    return pd.DataFrame({"month": s.index, "log_price": np.log(s).to_numpy(),
                         "trend": res.trend.to_numpy(), "seasonal": res.seasonal.to_numpy(),
                         "resid": res.resid.to_numpy()})


def seasonal_strength(stl: pd.DataFrame) -> float:
    """Share of detrended variance explained by the seasonal part (0-1; Hyndman's F_S)."""
    detrended = stl["seasonal"] + stl["resid"]
    return float(max(0.0, 1 - stl["resid"].var() / detrended.var()))


def forecast_ets(monthly: pd.DataFrame, horizon: int = 12, alpha: float = 0.05
                 ) -> pd.DataFrame:
    """Damped-trend exponential smoothing of log monthly prices, back-transformed.

    A statistical model of the series' own past: it knows nothing about policy. Output:
    month, mean, lower, upper (prediction interval at 1 - alpha), is_forecast.
    """
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    s = monthly.set_index("month")["price"].asfreq("MS")
    s = s.interpolate(limit_direction="both")
    if len(s) < 24:
        raise InsufficientDataError(f"{len(s)} months; the forecast needs at least 24")
    fit = ETSModel(np.log(s), error="add", trend="add", damped_trend=True).fit(disp=False)
    frame = fit.get_prediction(start=len(s), end=len(s) + horizon - 1).summary_frame(alpha=alpha)
    fc = pd.DataFrame({"month": frame.index, "mean": np.exp(frame["mean"]).to_numpy(),
                       "lower": np.exp(frame["pi_lower"]).to_numpy(),
                       "upper": np.exp(frame["pi_upper"]).to_numpy(), "is_forecast": True})
    hist = pd.DataFrame({"month": s.index, "mean": s.to_numpy(), "lower": np.nan,
                         "upper": np.nan, "is_forecast": False})
    return pd.concat([hist, fc], ignore_index=True)
