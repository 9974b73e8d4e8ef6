"""Seasonal-trend decomposition, and a short-horizon model forecast with its backtest.

The forecast is damped-trend exponential smoothing of log monthly prices (ETS(A,Ad,N)):
a model of the series' own past that knows nothing about policy. Back-transformed, the
point forecast exp(E[log p]) is the **median** of the price forecast, not its mean (the
mean, exp(mu + sigma^2 / 2), is given too). Only complete months are used. A rolling-origin
backtest refits the model at successive origins and scores it on what followed: the mean
absolute percentage error (MAPE) of the median at each horizon and how often the 95%
interval held the actual price (only from ``MIN_COVERAGE_N`` forecasts up).

The model's own 95% interval held the price in only about 78-87% of a long backtest
(domestic Nd, 2013-2024: 100+ origins), so the pages use an interval calibrated on the
element's longest monthly series (``calibrate_intervals``) and report its coverage, scored
out of sample, with its n.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from reelib.exceptions import InsufficientDataError

MIN_TRAIN = 24  # months a model is fitted on, at the least
MIN_COVERAGE_N = 30  # forecasts behind any coverage figure the pages print
CALIBRATION_STEP = 1  # months between backtest origins of the interval calibration
MIN_CALIBRATION_ORIGINS = 30  # backtest origins behind a calibrated interval
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
    """Fit ETS(A,Ad,N) to ``log_s``; forecast ``horizon`` months: mean, pi_lower, pi_upper.

    The interval is the model's analytic one (Hyndman et al. 2008, class 1): the variance
    at step h is sigma^2 (1 + sum_{j<h} c_j^2), c_j = alpha + beta phi (1 - phi^j)/(1 - phi);
    it equals statsmodels' ``get_prediction`` interval at a fraction of its cost.
    """
    from scipy.stats import norm
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on short windows
        fit = ETSModel(log_s, error="add", trend="add", damped_trend=True).fit(disp=False)
        mean = fit.forecast(horizon)
    a, b, phi = (float(v) for v in np.asarray(fit.params)[:3])
    j = np.arange(1, horizon)
    c = a + b * phi * (1 - phi**j) / (1 - phi) if phi != 1 else a + b * j
    var = float(fit.mse) * (1 + np.concatenate([[0.0], np.cumsum(c**2)]))
    half = norm.ppf(1 - alpha / 2) * np.sqrt(var)
    return pd.DataFrame({"mean": mean.to_numpy(), "pi_lower": mean.to_numpy() - half,
                         "pi_upper": mean.to_numpy() + half}, index=mean.index)


def forecast_ets(monthly: pd.DataFrame, horizon: int = 12, alpha: float = 0.05,
                 calibration: pd.DataFrame | None = None) -> pd.DataFrame:
    """History and forecast: month, median, mean, lower, upper, is_forecast, interval.

    ``median`` is exp(E[log p]); ``mean`` adds half the forecast variance of the log. With
    a ``calibration`` (``calibrate_intervals``) the interval is the median times the
    backtest's error quantiles at each horizon (``interval`` 'calibrated'); without one it
    is the model's own ('model'), which the long backtests show to be too narrow.
    """
    s = _monthly_series(monthly)
    if len(s) < MIN_TRAIN:
        raise InsufficientDataError(f"{len(s)} months; the forecast needs at least {MIN_TRAIN}")
    frame = _fit_predict(np.log(s), horizon, alpha)
    sigma = (frame["pi_upper"] - frame["pi_lower"]) / (2 * Z95)
    lower, upper, kind = frame["pi_lower"].to_numpy(), frame["pi_upper"].to_numpy(), "model"
    if calibration is not None:
        q = calibration.set_index("horizon").reindex(range(1, horizon + 1))
        if q[["q_low", "q_high"]].isna().any().any():
            raise InsufficientDataError("the calibration does not reach the forecast horizon")
        lower = frame["mean"].to_numpy() + q["q_low"].to_numpy()
        upper = frame["mean"].to_numpy() + q["q_high"].to_numpy()
        kind = "calibrated"
    fc = pd.DataFrame({"month": frame.index, "median": np.exp(frame["mean"]).to_numpy(),
                       "mean": np.exp(frame["mean"] + sigma**2 / 2).to_numpy(),
                       "lower": np.exp(lower), "upper": np.exp(upper), "is_forecast": True,
                       "interval": kind})
    hist = pd.DataFrame({"month": s.index, "median": s.to_numpy(), "mean": s.to_numpy(),
                         "lower": np.nan, "upper": np.nan, "is_forecast": False,
                         "interval": ""})
    return pd.concat([hist, fc], ignore_index=True)


def backtest_ets(monthly: pd.DataFrame, horizon: int = 12, max_origins: int | None = 12,
                 alpha: float = 0.05, step: int = 1) -> pd.DataFrame:
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
    if max_origins is None:  # every full-horizon origin, ``step`` months apart
        origins = full[::-1][::step][::-1]
    else:
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
    """Per horizon: MAPE of the median, share of actuals inside the 95% interval, n.

    A coverage from fewer than ``MIN_COVERAGE_N`` forecasts is left empty: one to three
    forecasts say nothing about how often an interval holds.
    """
    g = backtest.groupby("horizon")
    n = g.size()
    coverage = (100 * g["covered"].mean()).where(n >= MIN_COVERAGE_N)
    return pd.DataFrame({"mape_pct": g["ape_pct"].mean(), "coverage_pct": coverage,
                         "n_forecasts": n}).reset_index()


def _conformal(abs_errors: np.ndarray, alpha: float) -> float | None:
    """The split-conformal half-width: the k-th smallest |error|, k = ceil((n+1)(1-alpha));
    None when n is too small for the level (k > n)."""
    n = len(abs_errors)
    k = math.ceil((n + 1) * (1 - alpha))
    return float(np.sort(abs_errors)[k - 1]) if k <= n else None


def calibrate_intervals(monthly: pd.DataFrame, horizon: int = 12, alpha: float = 0.05,
                        step: int = CALIBRATION_STEP) -> pd.DataFrame:
    """Prediction intervals calibrated on a long rolling-origin backtest.

    The model is refitted at every ``step``-th month-end with a full ``horizon`` after it.
    At each horizon the absolute log errors, |log(actual / median)|, give a symmetric
    split-conformal half-width q (the k-th smallest, k = ceil((n+1)(1-alpha))); the
    interval is the median times exp(-q) to exp(q). Its coverage is scored out of sample,
    sequentially: each forecast is judged against the q from errors already observed when
    it was made (an origin's h-step error is known h months later); a forecast made before
    enough errors were observed for the level (19 at 95%) is not scored. The model's own
    interval is scored on the same forecasts. Forecasts from neighbouring origins overlap,
    so they are not independent: n counts forecasts, not independent trials.

    Output per horizon: horizon, q_low, q_high (log points, from every origin, for the
    forecast), n_origins, n_evaluated, coverage_model_pct, coverage_calibrated_pct (empty
    below ``MIN_COVERAGE_N`` scored forecasts).
    """
    bt = backtest_ets(monthly, horizon, max_origins=None, alpha=alpha, step=step)
    n_origins = bt["origin"].nunique() if len(bt) else 0
    if n_origins < MIN_CALIBRATION_ORIGINS:
        raise InsufficientDataError(
            f"{n_origins} backtest origins; a calibrated interval needs at least "
            f"{MIN_CALIBRATION_ORIGINS}")
    bt = bt.assign(abs_err=np.abs(np.log(bt["actual"] / bt["median"])))
    scored = []
    for o in np.sort(bt["origin"].unique()):
        seen = bt[bt["month"] <= o]
        for r in bt[bt["origin"] == o].itertuples():
            q = _conformal(seen.loc[seen["horizon"] == r.horizon, "abs_err"].to_numpy(), alpha)
            if q is not None:
                scored.append({"horizon": r.horizon, "model": r.covered,
                               "calibrated": bool(r.abs_err <= q)})
    scored = pd.DataFrame(scored, columns=["horizon", "model", "calibrated"])
    per = bt.groupby("horizon")["abs_err"]
    half = per.apply(lambda e: _conformal(e.to_numpy(), alpha))
    out = pd.DataFrame({"q_low": -half, "q_high": half, "n_origins": per.size()})
    g = scored.groupby("horizon")
    n_eval = g.size().reindex(out.index, fill_value=0)
    enough = n_eval >= MIN_COVERAGE_N
    out["n_evaluated"] = n_eval
    out["n_covered_model"] = g["model"].sum().reindex(out.index, fill_value=0).astype(int)
    out["n_covered_calibrated"] = g["calibrated"].sum().reindex(out.index,
                                                                fill_value=0).astype(int)
    out["coverage_model_pct"] = (100 * out["n_covered_model"] / n_eval).where(enough)
    out["coverage_calibrated_pct"] = (100 * out["n_covered_calibrated"] / n_eval).where(enough)
    return out.reset_index()


def coverage_overall(calibration: pd.DataFrame) -> dict:
    """Coverage pooled over every scored forecast of a calibration (all horizons): n, and
    the share the calibrated interval and the model's own interval held, in %."""
    n = int(calibration["n_evaluated"].sum())
    return {"n": n,
            "calibrated_pct": 100 * calibration["n_covered_calibrated"].sum() / n if n else None,
            "model_pct": 100 * calibration["n_covered_model"].sum() / n if n else None}


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
