"""Trend and structural-break statistics of log prices (numbers only).

The long-run trend is OLS of log price on a time index with Newey-West (HAC) standard
errors. Break tests at a registered event report the classic Chow F test and, because
price series are autocorrelated, a HAC-robust Wald test of a level and slope shift;
CUSUM of OLS residuals checks stability without choosing a date. Sentences about these
numbers are written by ``reelib.present.text``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from reelib.exceptions import InsufficientDataError


@dataclass(frozen=True)
class TrendResult:
    """Log-linear trend with HAC standard errors."""

    n: int
    intercept: float
    slope_per_period: float
    se_hac: float
    t_stat: float
    p_value: float
    pct_per_period: float
    ci_low_pct: float
    ci_high_pct: float
    hac_lags: int
    periods_per_year: int

    @property
    def pct_per_year(self) -> float:
        return 100 * (math.exp(self.slope_per_period * self.periods_per_year) - 1)

    def as_dict(self) -> dict:
        return {**asdict(self), "pct_per_year": self.pct_per_year}


def newey_west_lags(n: int) -> int:
    """The usual Newey-West lag rule: floor(4 (n/100)^(2/9)), at least 1."""
    return max(1, int(math.floor(4 * (n / 100) ** (2 / 9))))


def _time_index(times: pd.Series) -> np.ndarray:
    """Periods since the first observation: years for annual data, months for monthly."""
    if pd.api.types.is_datetime64_any_dtype(times):
        p = times.dt.to_period("M")
        return np.array([(x - p.iloc[0]).n for x in p], dtype=float)
    return (times.astype(float) - float(times.iloc[0])).to_numpy()


def _prepare(df: pd.DataFrame, value: str, time: str) -> pd.DataFrame:
    d = df[[time, value]].dropna().sort_values(time)
    d = d[d[value] > 0]
    return pd.DataFrame({"log_price": np.log(d[value].astype(float)).to_numpy(),
                         "t": _time_index(d[time].reset_index(drop=True)),
                         time: d[time].to_numpy()})


def trend_hac(df: pd.DataFrame, value: str, time: str = "year",
              periods_per_year: int = 1) -> TrendResult:
    """OLS of log(value) on a time index with Newey-West standard errors."""
    import statsmodels.formula.api as smf

    d = _prepare(df, value, time)
    if len(d) < 5:
        raise InsufficientDataError(f"{len(d)} observations; a trend needs at least 5")
    lags = newey_west_lags(len(d))
    fit = smf.ols("log_price ~ t", data=d).fit(cov_type="HAC", cov_kwds={"maxlags": lags})
    b, se = float(fit.params["t"]), float(fit.bse["t"])
    lo, hi = (float(x) for x in fit.conf_int().loc["t"])
    return TrendResult(n=len(d), intercept=float(fit.params["Intercept"]), slope_per_period=b,
                       se_hac=se, t_stat=float(fit.tvalues["t"]),
                       p_value=float(fit.pvalues["t"]), pct_per_period=100 * (math.exp(b) - 1),
                       ci_low_pct=100 * (math.exp(lo) - 1), ci_high_pct=100 * (math.exp(hi) - 1),
                       hac_lags=lags, periods_per_year=periods_per_year)


def trend_fitted(df: pd.DataFrame, value: str, trend: TrendResult, time: str = "year"
                 ) -> pd.DataFrame:
    """The fitted trend in price units at each observation: time and ``fitted``."""
    d = _prepare(df, value, time)
    return pd.DataFrame({time: d[time], "fitted": np.exp(trend.intercept + trend.slope_per_period
                                                         * d["t"])})


@dataclass(frozen=True)
class BreakResult:
    """Break tests at one date: classic Chow F and a HAC-robust Wald test."""

    event_id: str
    break_at: str
    n_before: int
    n_after: int
    chow_f: float
    chow_p: float
    wald_hac_chi2: float
    wald_hac_p: float
    level_shift_pct: float


def chow_test(df: pd.DataFrame, break_at, *, value: str, time: str = "year",
              event_id: str = "") -> BreakResult:
    """Test for a break in the log-linear trend at ``break_at`` (first period of regime 2).

    Each regime needs at least 3 observations (2 parameters each plus one residual degree
    of freedom); otherwise ``InsufficientDataError``.
    """
    import statsmodels.formula.api as smf
    from scipy import stats

    d = _prepare(df, value, time)
    post = (d[time] >= break_at).to_numpy()
    n1, n2 = int((~post).sum()), int(post.sum())
    if n1 < 3 or n2 < 3:
        raise InsufficientDataError(f"break at {break_at}: {n1} observations before and {n2} "
                                    "after; each side needs at least 3")
    k = 2
    pooled = smf.ols("log_price ~ t", data=d).fit()
    ssr1 = smf.ols("log_price ~ t", data=d[~post]).fit().ssr
    ssr2 = smf.ols("log_price ~ t", data=d[post]).fit().ssr
    f = ((pooled.ssr - ssr1 - ssr2) / k) / ((ssr1 + ssr2) / (n1 + n2 - 2 * k))
    p = float(stats.f.sf(f, k, n1 + n2 - 2 * k))
    t0 = float(d.loc[post, "t"].iloc[0])  # slope shift measured from the break
    dd = d.assign(post=post.astype(float), post_t=post.astype(float) * (d["t"] - t0))
    full = smf.ols("log_price ~ t + post + post_t", data=dd).fit(
        cov_type="HAC", cov_kwds={"maxlags": newey_west_lags(len(dd))})
    wald = full.wald_test("post = 0, post_t = 0", scalar=True)
    return BreakResult(event_id=event_id, break_at=str(break_at)[:10], n_before=n1, n_after=n2,
                       chow_f=float(f), chow_p=p, wald_hac_chi2=float(wald.statistic),
                       wald_hac_p=float(wald.pvalue),
                       level_shift_pct=100 * (math.exp(float(full.params["post"])) - 1))


def cusum_test(df: pd.DataFrame, value: str, time: str = "year") -> dict:
    """CUSUM test on OLS residuals of the log-linear trend (no break date chosen).

    Returns statistic, p_value, critical_5pct and n.
    """
    import statsmodels.formula.api as smf
    from statsmodels.stats.diagnostic import breaks_cusumolsresid

    d = _prepare(df, value, time)
    if len(d) < 8:
        raise InsufficientDataError(f"{len(d)} observations; CUSUM needs at least 8")
    fit = smf.ols("log_price ~ t", data=d).fit()
    stat, p, crit = breaks_cusumolsresid(fit.resid.to_numpy(), ddof=2)
    crit5 = dict(crit)[5]
    return {"statistic": float(stat), "p_value": float(p), "critical_5pct": float(crit5),
            "n": len(d)}


def break_date(event_date, frequency: str):
    """Map an event date to the first period of the post-event regime.

    Annual: the event's year if it falls in January-June, else the next year. Monthly:
    the event's month if it falls on day 1-15, else the next month.
    """
    ts = pd.Timestamp(event_date)
    if frequency == "annual":
        return ts.year if ts.month <= 6 else ts.year + 1
    month = ts.to_period("M").to_timestamp()
    return month if ts.day <= 15 else month + pd.offsets.MonthBegin(1)


def break_tests(series: pd.DataFrame, events: pd.DataFrame, *, value: str, time: str,
                frequency: str) -> pd.DataFrame:
    """Chow and HAC-Wald tests at every registered event inside the series' span.

    Events too close to either end for a test are listed with the reason in
    ``skipped_reason`` instead of statistics.
    """
    d = series.dropna(subset=[value])
    start, end = d[time].min(), d[time].max()
    rows = []
    for e in events[events["test_breaks"]].itertuples():
        at = break_date(e.date, frequency)
        if not (start < at <= end):
            continue
        try:
            r = chow_test(d, at, value=value, time=time, event_id=e.event_id)
            rows.append({**asdict(r), "skipped_reason": ""})
        except InsufficientDataError as exc:
            rows.append({"event_id": e.event_id, "break_at": str(at)[:10],
                         "skipped_reason": str(exc)})
    cols = ["event_id", "break_at", "n_before", "n_after", "chow_f", "chow_p", "wald_hac_chi2",
            "wald_hac_p", "level_shift_pct", "skipped_reason"]
    return pd.DataFrame(rows, columns=cols)
