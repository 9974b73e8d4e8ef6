"""Seasonal-trend decomposition, and a short-horizon model forecast with its backtest.

The forecast is damped-trend exponential smoothing of log monthly prices (ETS(A,Ad,N)):
a model of the series' own past that knows nothing about policy. Back-transformed, the
point forecast exp(E[log p]) is the **median** of the price forecast, not its mean (the
mean, exp(mu + sigma^2 / 2), is given too). Only complete months are used. A rolling-origin
backtest refits the model at successive origins and scores it on what followed: the mean
absolute percentage error (MAPE) of the median at each horizon and how often the 95%
interval held the actual price.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from reelib.exceptions import InsufficientDataError

MIN_TRAIN = 24  # months a model is fitted on, at the least
Z95 = 1.959963984540054


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


def _monthly_series(monthly: pd.DataFrame) -> pd.Series:
    s = monthly.set_index("month")["price"].asfreq("MS")
    return s.interpolate(limit_direction="both")


def _fit_predict(log_s: pd.Series, horizon: int, alpha: float) -> pd.DataFrame:
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on short windows
        fit = ETSModel(log_s, error="add", trend="add", damped_trend=True).fit(disp=False)
        frame = fit.get_prediction(start=len(log_s), end=len(log_s) + horizon - 1
                                   ).summary_frame(alpha=alpha)
    return frame


def forecast_ets(monthly: pd.DataFrame, horizon: int = 12, alpha: float = 0.05
                 ) -> pd.DataFrame:
    """History and forecast: month, median, mean, lower, upper, is_forecast.

    ``median`` is exp(E[log p]); ``mean`` adds half the forecast variance of the log.
    """
    s = _monthly_series(monthly)
    if len(s) < MIN_TRAIN:
        raise InsufficientDataError(f"{len(s)} months; the forecast needs at least {MIN_TRAIN}")
    frame = _fit_predict(np.log(s), horizon, alpha)
    sigma = (frame["pi_upper"] - frame["pi_lower"]) / (2 * Z95)
    fc = pd.DataFrame({"month": frame.index, "median": np.exp(frame["mean"]).to_numpy(),
                       "mean": np.exp(frame["mean"] + sigma**2 / 2).to_numpy(),
                       "lower": np.exp(frame["pi_lower"]).to_numpy(),
                       "upper": np.exp(frame["pi_upper"]).to_numpy(), "is_forecast": True})
    hist = pd.DataFrame({"month": s.index, "median": s.to_numpy(), "mean": s.to_numpy(),
                         "lower": np.nan, "upper": np.nan, "is_forecast": False})
    return pd.concat([hist, fc], ignore_index=True)


def backtest_ets(monthly: pd.DataFrame, horizon: int = 12, max_origins: int = 12,
                 alpha: float = 0.05) -> pd.DataFrame:
    """Rolling-origin backtest: one row per origin and horizon step.

    Origins (the last month a model is fitted through) leave at least ``MIN_TRAIN``
    months to fit; the latest ``max_origins`` of those with a full ``horizon`` still to
    score are used, or, on a short series, the latest that leave any month to score.
    Output: origin, horizon, month, actual, median, lower, upper, ape_pct (absolute %
    error of the median), covered.
    """
    s = _monthly_series(monthly)
    n = len(s)
    candidates = list(range(MIN_TRAIN - 1, n - 1))
    if not candidates:
        raise InsufficientDataError(f"{n} months: too few for a backtest (needs more than "
                                    f"{MIN_TRAIN})")
    full = [o for o in candidates if o <= n - 1 - horizon]
    origins = (full if len(full) >= max_origins else candidates)[-max_origins:]
    rows = []
    for origin in origins:
        h = min(horizon, n - 1 - origin)
        frame = _fit_predict(np.log(s.iloc[:origin + 1]), h, alpha)
        actual = s.iloc[origin + 1:origin + 1 + h]
        for step, (month, value) in enumerate(actual.items(), start=1):
            med = float(np.exp(frame["mean"].iloc[step - 1]))
            lo, hi = (float(np.exp(frame[c].iloc[step - 1])) for c in ("pi_lower", "pi_upper"))
            rows.append({"origin": s.index[origin], "horizon": step, "month": month,
                         "actual": float(value), "median": med, "lower": lo, "upper": hi,
                         "ape_pct": 100 * abs(med / value - 1), "covered": lo <= value <= hi})
    return pd.DataFrame(rows)


def backtest_summary(backtest: pd.DataFrame) -> pd.DataFrame:
    """Per horizon: MAPE of the median, share of actuals inside the 95% interval, n."""
    g = backtest.groupby("horizon")
    return pd.DataFrame({"mape_pct": g["ape_pct"].mean(),
                         "coverage_pct": 100 * g["covered"].mean(),
                         "n_forecasts": g.size()}).reset_index()


def compare_with_annual(fc: pd.DataFrame, annual: pd.DataFrame,
                        value: str = "price_usd_per_kg") -> dict:
    """A forecast whose horizon has since been observed, scored against annual averages.

    The model's change from its last observed month to the end of its horizon (median
    and 95% interval) beside the change of the annual averages between the same two
    calendar years -- another market and currency, so direction and size, not levels.
    """
    hist, fut = fc[~fc["is_forecast"]], fc[fc["is_forecast"]]
    origin, end = hist.iloc[-1], fut.iloc[-1]
    base = float(origin["median"])
    ann = annual.set_index("year")[value]
    y0, y1 = int(origin["month"].year), int(end["month"].year)
    observed = (100 * (float(ann[y1]) / float(ann[y0]) - 1)
                if y0 in ann.index and y1 in ann.index and y1 > y0 else float("nan"))
    low, high = 100 * (end["lower"] / base - 1), 100 * (end["upper"] / base - 1)
    return {"origin_month": origin["month"], "end_month": end["month"],
            "model_change_pct": 100 * (end["median"] / base - 1), "model_low_pct": low,
            "model_high_pct": high, "observed_from_year": y0, "observed_to_year": y1,
            "observed_change_pct": observed,
            "observed_inside_interval": bool(low <= observed <= high) if observed == observed
            else None}
