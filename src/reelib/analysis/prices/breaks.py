"""Did prices shift at a policy event -- more than they shift at any other date?

Method (numbers only; ``reelib.present.text`` writes the sentences):

1. Model the log change of the price, r_t = a + b r_(t-1) + e_t (an AR(1) in changes), so
   the errors are close to white noise instead of near a unit root.
2. At an event, a Chow F test asks whether a and b differ after it (2 restrictions,
   F(2, m - 4) small-sample critical values, m changes used). Each side needs at least
   15% of the sample and at least ``MIN_SIDE`` changes.
3. Placebo: the same F test at every admissible date. The event's percentile in that
   distribution says whether it stands out; price series shift often, so an F test that
   rejects at most dates says nothing about one of them.
4. Across the events tested on one series, the F p-values are Holm-adjusted.
5. An event is *associated with a shift* only when its Holm-adjusted p-value is below
   5% **and** its F is at or above the 95th percentile of its placebo dates; an event
   whose F stands out among the dates but fails the adjusted test is said to; one with
   a small p-value that does not stand out is *not distinguishable from other dates*.
6. Where does the data itself put its break? The largest F over all dates (QLR / sup-F)
   is compared with Andrews' (1993) critical values (``supf``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from reelib.analysis.inference import MIN_N
from reelib.analysis.prices import supf
from reelib.analysis.prices.trend import log_changes
from reelib.exceptions import InsufficientDataError

TRIM = 0.15
MIN_SIDE = MIN_N  # changes on each side of a break (analysis.inference)
ALPHA = 0.05
PLACEBO_PERCENTILE = 95.0
K = 2  # coefficients allowed to break: intercept and AR(1) term


def break_date(event_date, frequency: str):
    """The first period of the post-event regime.

    Annual: the event's year if it falls in January-June, else the next year. Monthly:
    the event's month if it falls on day 1-15, else the next month.
    """
    ts = pd.Timestamp(event_date)
    if frequency == "annual":
        return ts.year if ts.month <= 6 else ts.year + 1
    month = ts.to_period("M").to_timestamp()
    return month if ts.day <= 15 else month + pd.offsets.MonthBegin(1)


def _design(changes: pd.DataFrame, time: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(times, y = r_t, X = [1, r_(t-1)]) over changes whose previous change exists."""
    r = changes["log_change"].to_numpy()
    t = changes[time].to_numpy()
    if pd.api.types.is_datetime64_any_dtype(changes[time]):
        idx = changes[time].dt.to_period("M").astype("int64").to_numpy()
    else:
        idx = changes[time].astype(int).to_numpy()
    consecutive = np.diff(idx) == 1
    y, lag, times = r[1:][consecutive], r[:-1][consecutive], t[1:][consecutive]
    return times, y, np.column_stack([np.ones_like(y), lag])


def _ssr(y: np.ndarray, x: np.ndarray) -> float:
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    e = y - x @ beta
    return float(e @ e)


def _f_at(y: np.ndarray, x: np.ndarray, j: int, pooled: float) -> float:
    s1, s2 = _ssr(y[:j], x[:j]), _ssr(y[j:], x[j:])
    m = len(y)
    return ((pooled - s1 - s2) / K) / ((s1 + s2) / (m - 2 * K))


def admissible(m: int, trim: float = TRIM) -> range:
    """Split points j (first index of the second regime) with enough data on each side."""
    lo = max(MIN_SIDE, math.ceil(trim * m))
    return range(lo, m - lo + 1)


def f_path(series: pd.DataFrame, value: str, time: str, trim: float = TRIM) -> pd.DataFrame:
    """The break F statistic at every admissible date: time, f_stat, p_value.

    ``time`` is the first period of the second regime at each split.
    """
    from scipy import stats

    times, y, x = _design(log_changes(series, value, time), time)
    m = len(y)
    splits = admissible(m, trim)
    if len(splits) < 1:
        raise InsufficientDataError(f"{m} usable changes; a break test needs at least "
                                    f"{2 * MIN_SIDE}")
    pooled = _ssr(y, x)
    f = np.array([_f_at(y, x, j, pooled) for j in splits])
    return pd.DataFrame({time: times[list(splits)], "f_stat": f,
                         "p_value": stats.f.sf(f, K, m - 2 * K)})


def holm(p_values: list[float]) -> list[float]:
    """Holm step-down adjusted p-values (same order as given).

    >>> [round(p, 3) for p in holm([0.01, 0.04, 0.03])]
    [0.03, 0.06, 0.06]
    """
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    out = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        out[i] = running
    return out


@dataclass(frozen=True)
class EventTest:
    """One event's break test and where it stands among its placebo dates."""

    event_id: str
    break_at: str
    n_changes: int
    n_before: int
    n_after: int
    f_stat: float
    df_den: int
    p_value: float
    p_holm: float
    placebo_dates: int
    placebo_percentile: float  # share of placebo dates with a smaller or equal F, in %
    growth_before_pct: float  # mean change per period before the break, %
    growth_after_pct: float
    verdict: str


VERDICTS = ("associated with a shift", "stands out, but not significant after Holm",
            "not distinguishable from other dates", "no evidence of a shift")


def verdict(p_holm: float, percentile: float) -> str:
    """The reading of one event's test (see the module doc, step 5).

    >>> verdict(0.01, 99)
    'associated with a shift'
    >>> verdict(0.01, 60)
    'not distinguishable from other dates'
    """
    stands_out = percentile >= PLACEBO_PERCENTILE
    if p_holm < ALPHA:
        return VERDICTS[0] if stands_out else VERDICTS[2]
    return VERDICTS[1] if stands_out else VERDICTS[3]


def event_tests(series: pd.DataFrame, events: pd.DataFrame, *, value: str, time: str,
                frequency: str, trim: float = TRIM) -> pd.DataFrame:
    """Break tests at every registered event inside the series (module doc, steps 1-5).

    Events too close to either end are listed with ``skipped_reason`` instead.
    """
    path = f_path(series, value, time, trim)
    times, y, x = _design(log_changes(series, value, time), time)
    m, pooled = len(y), _ssr(y, x)
    rows, skipped = [], []
    first, last = times[0], times[-1]
    for e in events[events["test_breaks"]].itertuples():
        at = break_date(e.date, frequency)
        if frequency == "monthly" and not (pd.Timestamp(first) < pd.Timestamp(at)
                                           <= pd.Timestamp(last)):
            continue  # outside the series: nothing to test
        if frequency == "annual" and not (int(first) < int(at) <= int(last)):
            continue
        target = (np.datetime64(pd.Timestamp(at)).astype(times.dtype)
                  if np.issubdtype(times.dtype, np.datetime64) else at)
        j = int(np.searchsorted(times, target))
        if j not in admissible(m, trim):
            need = max(MIN_SIDE, math.ceil(trim * m))
            where = "start" if j < need else "end"
            skipped.append({"event_id": e.event_id, "break_at": str(at)[:10],
                            "skipped_reason": f"too close to the {where} of the series ({j} "
                                              f"changes before, {m - j} after; each side "
                                              f"needs {need})"})
            continue
        f = _f_at(y, x, j, pooled)
        rows.append({"event_id": e.event_id, "break_at": str(at)[:10], "n_changes": m,
                     "n_before": j, "n_after": m - j, "f_stat": f, "df_den": m - 2 * K,
                     "p_value": float(path.loc[path[time] == times[j], "p_value"].iloc[0]),
                     "placebo_dates": len(path),
                     "placebo_percentile": 100 * float((path["f_stat"] <= f).mean()),
                     "growth_before_pct": 100 * (math.exp(float(y[:j].mean())) - 1),
                     "growth_after_pct": 100 * (math.exp(float(y[j:].mean())) - 1)})
    for row, adj in zip(rows, holm([r["p_value"] for r in rows])):
        row["p_holm"] = adj
        row["verdict"] = verdict(adj, row["placebo_percentile"])
        row["skipped_reason"] = ""
    cols = [*EventTest.__dataclass_fields__, "skipped_reason"]
    return pd.DataFrame(rows + skipped, columns=cols)


def qlr(path: pd.DataFrame, time: str) -> dict:
    """The data's own break: the largest F (sup-F / QLR), its date and Andrews p-value."""
    best = path.loc[path["f_stat"].idxmax()]
    stat = float(best["f_stat"])
    when = best[time]
    when = str(when)[:10] if isinstance(when, (pd.Timestamp, np.datetime64)) else str(int(when))
    return {"break_at": when, "sup_f": stat, "p_value": supf.p_value(stat, K),
            "p_bound": supf.p_bound(stat, K),
            "critical_5pct": supf.critical_value(K, 0.05), "dates_searched": len(path)}


def as_records(tests: pd.DataFrame) -> list[EventTest]:
    """The tested rows as ``EventTest`` objects (skipped events left out)."""
    fields = EventTest.__dataclass_fields__
    ints = {k for k, f in fields.items() if f.type == "int"}
    return [EventTest(**{k: int(r[k]) if k in ints else r[k] for k in fields})
            for _, r in tests.iterrows() if not r["skipped_reason"]]


