"""The long-run trend of a price series, as an average rate of change (numbers only).

Log prices of rare earths behave like a random walk (the residuals of a trend line have
first-order autocorrelation near 1), so a trend line's standard errors are unreliable
however they are corrected. The trend is therefore measured on the changes: the average
log change per period, with a Newey-West standard error whose lag is chosen from the
changes' own autocorrelation (Andrews 1991, AR(1) plug-in, Bartlett kernel), and
Student-t inference with n - 1 degrees of freedom. Below ``MIN_TREND_N`` changes no
p-value is given; the reason is. Sentences about these numbers are written by
``reelib.present.text``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from reelib.analysis.inference import MIN_N
from reelib.exceptions import InsufficientDataError

#: fewer period-to-period changes than this: the average is shown without a test
MIN_TREND_N = MIN_N  # the project's one minimum-n rule (analysis.inference)


@dataclass(frozen=True)
class TrendResult:
    """Average log change per period, its uncertainty and how it was measured."""

    n: int  # number of period-to-period changes
    first: str  # first and last period of the series
    last: str
    mean_log_change: float
    se_hac: float | None
    t_stat: float | None
    p_value: float | None  # two-sided, t with n - 1 df; None below MIN_TREND_N
    ci_low_log: float | None
    ci_high_log: float | None
    hac_lags: int
    periods_per_year: int
    reason: str = ""  # why there is no p-value, if there is none

    @property
    def pct_per_period(self) -> float:
        return 100 * (math.exp(self.mean_log_change) - 1)

    @property
    def pct_per_year(self) -> float:
        return 100 * (math.exp(self.mean_log_change * self.periods_per_year) - 1)

    @property
    def ci_pct_per_year(self) -> tuple[float, float] | None:
        if self.ci_low_log is None:
            return None
        k = self.periods_per_year
        return (100 * (math.exp(self.ci_low_log * k) - 1),
                100 * (math.exp(self.ci_high_log * k) - 1))

    @property
    def tested(self) -> bool:
        return self.p_value is not None

    def as_dict(self) -> dict:
        return {**asdict(self), "pct_per_year": self.pct_per_year}


def log_changes(df: pd.DataFrame, value: str, time: str = "year") -> pd.DataFrame:
    """Log changes between consecutive periods (pairs spanning a gap are dropped).

    Output: time (the later period), log_change.
    """
    d = df[[time, value]].dropna()
    d = d[d[value] > 0].sort_values(time)
    t = d[time]
    if pd.api.types.is_datetime64_any_dtype(t):
        step = t.dt.to_period("M").astype("int64").diff()
    else:
        step = t.astype(float).diff()
    change = np.log(d[value].astype(float)).diff()
    out = pd.DataFrame({time: t.to_numpy(), "log_change": change.to_numpy(),
                        "step": step.to_numpy()})
    return out[out["step"] == 1].drop(columns="step").reset_index(drop=True)


def andrews_lags(x: np.ndarray) -> int:
    """Newey-West lag from the data: Andrews (1991) AR(1) plug-in for the Bartlett kernel.

    >>> andrews_lags(np.array([0.1, -0.2, 0.05, 0.3, -0.1, 0.0, 0.2, -0.3, 0.1, 0.05]))
    2
    """
    e = x - x.mean()
    if len(e) < 3 or float((e[:-1] ** 2).sum()) == 0:
        return 0
    rho = float((e[1:] * e[:-1]).sum() / (e[:-1] ** 2).sum())
    rho = max(min(rho, 0.97), -0.97)
    alpha = 4 * rho**2 / ((1 - rho) ** 2 * (1 + rho) ** 2)
    return int(min(math.floor(1.1447 * (alpha * len(e)) ** (1 / 3)), len(e) // 3))


def _hac_se(x: np.ndarray, lags: int) -> float:
    """Newey-West standard error of the mean of ``x`` (Bartlett weights)."""
    e = x - x.mean()
    n = len(e)
    s = float((e**2).sum())
    for j in range(1, lags + 1):
        s += 2 * (1 - j / (lags + 1)) * float((e[j:] * e[:-j]).sum())
    return math.sqrt(max(s, 0.0) / n) / math.sqrt(n)


def trend_of_changes(df: pd.DataFrame, value: str, time: str = "year",
                     periods_per_year: int = 1, min_n: int = MIN_TREND_N) -> TrendResult:
    """Average log change per period with HAC standard error and t inference (module doc)."""
    from scipy import stats

    ch = log_changes(df, value, time)
    if len(ch) < 2:
        raise InsufficientDataError(f"{len(ch)} period-to-period changes; a trend needs 2")
    x = ch["log_change"].to_numpy()
    n = len(x)
    first = str(df.dropna(subset=[value])[time].min())[:10]
    last = str(df.dropna(subset=[value])[time].max())[:10]
    lags = andrews_lags(x)
    if n < min_n:
        return TrendResult(n=n, first=first, last=last, mean_log_change=float(x.mean()),
                           se_hac=None, t_stat=None, p_value=None, ci_low_log=None,
                           ci_high_log=None, hac_lags=lags, periods_per_year=periods_per_year,
                           reason=f"{n} changes are too few to test a trend (the minimum is "
                                  f"{min_n})")
    se = _hac_se(x, lags)
    t = float(x.mean() / se) if se > 0 else float("inf")
    p = float(2 * stats.t.sf(abs(t), df=n - 1))
    half = float(stats.t.ppf(0.975, df=n - 1)) * se
    return TrendResult(n=n, first=first, last=last, mean_log_change=float(x.mean()),
                       se_hac=se, t_stat=t, p_value=p, ci_low_log=float(x.mean() - half),
                       ci_high_log=float(x.mean() + half), hac_lags=lags,
                       periods_per_year=periods_per_year)


def trend_fitted(df: pd.DataFrame, value: str, trend: TrendResult, time: str = "year"
                 ) -> pd.DataFrame:
    """The average-change path from the first observation: time and ``fitted``."""
    d = df[[time, value]].dropna().sort_values(time)
    d = d[d[value] > 0]
    t = d[time]
    steps = (t.dt.to_period("M").astype("int64") if pd.api.types.is_datetime64_any_dtype(t)
             else t.astype(float))
    steps = (steps - steps.iloc[0]).to_numpy(dtype=float)
    start = float(d[value].iloc[0])
    return pd.DataFrame({time: t.to_numpy(),
                         "fitted": start * np.exp(trend.mean_log_change * steps)})
