"""Price series and their statistics: deflation, resampling, returns, volatility, trend,
structural breaks, decomposition and a short-horizon model forecast.

Deflation happens here, on top of the cleaned nominal prices (never inside them): real
prices are in constant dollars of ``base_year`` using the annual mean of monthly CPI-U
(FRED CPIAUCSL, seasonally adjusted). Chinese domestic prices are in yuan and are not
deflated with a U.S. index; they are compared with dollar prices only as indices.

Statistics use log prices. The long-run trend is OLS on a time index with Newey-West
(HAC) standard errors. Break tests at a registered event report the classic Chow F test
and, because price series are autocorrelated, a HAC-robust Wald test of a level and
slope shift; CUSUM of OLS residuals checks stability without choosing a date.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from reelib import config
from reelib.exceptions import InsufficientDataError, SelectionError
from reelib.formatting import fmt_p

EVENTS_FILE: Path = config.REFERENCE_DIR / "events.csv"


# --- events -----------------------------------------------------------------------------


def load_events(path: Path | None = None) -> pd.DataFrame:
    """Read the events registry (date, precision, category, text, elements, source)."""
    df = pd.read_csv(path or EVENTS_FILE, dtype=str, keep_default_na=False)
    return df.assign(date=pd.to_datetime(df["date"], format="%Y-%m-%d"),
                     test_breaks=df["test_breaks"].eq("yes"))


def events_for(events: pd.DataFrame, element: str, start, end,
               tested_only: bool = False) -> pd.DataFrame:
    """Events that concern ``element`` (or all elements) between two dates."""
    applies = events["elements"].eq("all") | events["elements"].str.split(";").map(
        lambda els: element in els)
    inside = events["date"].between(pd.Timestamp(start), pd.Timestamp(end))
    out = events[applies & inside]
    return out[out["test_breaks"]] if tested_only else out


# --- CPI and deflation ----------------------------------------------------------------------


def annual_cpi(cpi: pd.DataFrame) -> pd.DataFrame:
    """Annual mean of the monthly index, with the number of months it averages."""
    g = cpi.assign(year=cpi["month"].dt.year).groupby("year")["cpi_index_1982_84"]
    return pd.DataFrame({"cpi": g.mean(), "n_months": g.count()}).reset_index()


def deflate(df: pd.DataFrame, cpi: pd.DataFrame, base_year: int, *,
            value: str = "price_usd_per_kg", year: str = "year") -> pd.DataFrame:
    """Add ``real_usd_per_kg`` (constant ``base_year`` dollars) and ``cpi_months``.

    Years without CPI get a missing real price; ``cpi_months`` < 12 marks a partial-year
    deflator (2025 has 10 months: no October release, no December yet).
    """
    ann = annual_cpi(cpi)
    base = ann.loc[ann["year"] == base_year, "cpi"]
    if base.empty:
        raise SelectionError(f"no CPI for base year {base_year}; CPI covers "
                             f"{ann['year'].min()}-{ann['year'].max()}")
    merged = df.merge(ann.rename(columns={"year": year}), on=year, how="left")
    return merged.assign(real_usd_per_kg=merged[value] * float(base.iloc[0]) / merged["cpi"],
                         cpi_months=merged["n_months"].astype("Int64")).drop(
        columns=["cpi", "n_months"])


# --- series selection -------------------------------------------------------------------------


def annual_series(prices: pd.DataFrame, element: str, basis: str = "annual_average"
                  ) -> pd.DataFrame:
    """One value per year for ``element`` on one basis, from the newest edition.

    Output: year, price_usd_per_kg, low, high, edition, purity_pct, is_estimate,
    n_editions (how many editions print that year). Current dollars only.
    """
    rows = prices[(prices["element"] == element) & (prices["price_basis"] == basis)
                  & prices["dollar_year"].isna() & prices["price_usd_per_kg"].notna()]
    if rows.empty:
        raise SelectionError(f"no {basis} prices for {element!r}")
    rows = rows.sort_values(["year", "edition_published"])
    n = rows.groupby("year")["edition"].nunique()
    last = rows.groupby("year").tail(1).set_index("year")
    return pd.DataFrame({
        "year": last.index.astype(int), "price_usd_per_kg": last["price_usd_per_kg"].to_numpy(),
        "low": last["price_low_usd_per_kg"].to_numpy(),
        "high": last["price_high_usd_per_kg"].to_numpy(), "edition": last["edition"].to_numpy(),
        "purity_pct": last["purity_pct"].to_numpy(), "is_estimate": last["is_estimate"].to_numpy(),
        "n_editions": n.loc[last.index].to_numpy(),
    }).reset_index(drop=True)


def daily_series(daily: pd.DataFrame, element: str, source_id: str) -> pd.DataFrame:
    """Daily prices of one element from one source: date, price, currency, flags."""
    rows = daily[(daily["element"] == element) & (daily["source_id"] == source_id)]
    if rows.empty:
        raise SelectionError(f"no daily {element!r} prices from {source_id!r}")
    cny = rows["price_cny_per_kg"].notna().all()
    return pd.DataFrame({
        "date": rows["date"].to_numpy(),
        "price": (rows["price_cny_per_kg"] if cny else rows["price_usd_per_kg"]).astype(float)
        .to_numpy(),
        "currency": "CNY" if cny else "USD",
        "is_range_inconsistent": rows["is_range_inconsistent"].to_numpy(),
    }).sort_values("date").reset_index(drop=True)


def to_monthly(daily: pd.DataFrame) -> pd.DataFrame:
    """Monthly mean of daily prices (month start), with the number of quotes per month."""
    s = daily.set_index("date")["price"]
    g = s.resample("MS")
    out = pd.DataFrame({"price": g.mean(), "n_days": g.count()}).reset_index().rename(
        columns={"date": "month"})
    return out[out["n_days"] > 0].reset_index(drop=True)


def log_returns(monthly: pd.DataFrame) -> pd.DataFrame:
    """Monthly log returns (in %) of consecutive months with prices."""
    s = monthly.set_index("month")["price"]
    r = 100 * np.log(s).diff()
    return pd.DataFrame({"month": r.index, "log_return_pct": r.to_numpy()}).dropna(
        ).reset_index(drop=True)


def rolling_volatility(returns: pd.DataFrame, window: int = 12) -> pd.DataFrame:
    """Rolling standard deviation of monthly log returns (% per month) and annualised."""
    if len(returns) < window:
        raise InsufficientDataError(f"{len(returns)} monthly returns, window is {window}")
    sd = returns["log_return_pct"].rolling(window).std(ddof=1)
    return pd.DataFrame({"month": returns["month"], "vol_monthly_pct": sd,
                         "vol_annualised_pct": sd * math.sqrt(12)}).dropna().reset_index(
        drop=True)


# --- trend and breaks -------------------------------------------------------------------------


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

    def reading(self) -> str:
        """One sentence a reader can quote."""
        sig = "statistically significant" if self.p_value < 0.05 else "not statistically " \
            "significant"
        return (f"Trend {self.pct_per_year:+.1f}% a year (95% CI per period "
                f"{self.ci_low_pct:+.2f}% to {self.ci_high_pct:+.2f}%), {sig} at 5% "
                f"(HAC t = {self.t_stat:.2f}, {fmt_p(self.p_value)}, n = {self.n}).")

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

    def reading(self) -> str:
        """Plain-language reading of both tests."""
        def verdict(p: float) -> str:
            return "rejects" if p < 0.05 else "does not reject"

        text = (f"At {self.break_at} ({self.event_id}): the Chow test {verdict(self.chow_p)} a "
                f"stable trend (F = {self.chow_f:.2f}, {fmt_p(self.chow_p)}); allowing for "
                f"autocorrelation, the HAC Wald test {verdict(self.wald_hac_p)} it "
                f"(chi2 = {self.wald_hac_chi2:.2f}, {fmt_p(self.wald_hac_p)}). The fitted "
                f"level shifts {self.level_shift_pct:+.0f}% at the break. n = {self.n_before} "
                f"before, {self.n_after} after.")
        if min(self.n_before, self.n_after) < 12:
            text += (" With fewer than 12 observations on one side, the HAC test over-rejects;"
                     " read the Chow F test, and both as indicative only.")
        return text


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

    Returns statistic, p-value, 5% critical value and a reading.
    """
    import statsmodels.formula.api as smf
    from statsmodels.stats.diagnostic import breaks_cusumolsresid

    d = _prepare(df, value, time)
    if len(d) < 8:
        raise InsufficientDataError(f"{len(d)} observations; CUSUM needs at least 8")
    fit = smf.ols("log_price ~ t", data=d).fit()
    stat, p, crit = breaks_cusumolsresid(fit.resid.to_numpy(), ddof=2)
    crit5 = dict(crit)[5]
    verdict = ("rejects parameter stability" if p < 0.05
               else "does not reject parameter stability")
    return {"statistic": float(stat), "p_value": float(p), "critical_5pct": float(crit5),
            "n": len(d), "reading": f"CUSUM of OLS residuals {verdict} (statistic {stat:.2f}, "
                                    f"5% critical value {crit5:.2f}, {fmt_p(p)}, n = {len(d)})."}


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


# --- decomposition and forecast ---------------------------------------------------------------


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


# --- cross-source agreement ---------------------------------------------------------------------


def cross_source_annual(annual_usd: pd.DataFrame, daily_sources: dict[str, pd.DataFrame],
                        base_year: int) -> pd.DataFrame:
    """Annual means of each source side by side, as indices (base_year = 100).

    ``annual_usd``: output of ``annual_series``; ``daily_sources``: {label: daily_series}.
    Also gives, where a yuan and a dollar series overlap, the implied yuan per dollar
    (domestic CNY price / USGS USD price), which folds together the exchange rate, VAT
    and any difference of grade or delivery terms.
    """
    frames = [annual_usd.loc[:, ["year", "price_usd_per_kg"]].rename(
        columns={"price_usd_per_kg": "price"}).assign(series="USGS/Argus annual average",
                                                      currency="USD")]
    for label, d in daily_sources.items():
        ann = d.assign(year=d["date"].dt.year).groupby("year")["price"].agg(["mean", "count"])
        ann = ann[ann["count"] >= 60].reset_index().rename(columns={"mean": "price"})
        frames.append(ann.loc[:, ["year", "price"]].assign(series=label,
                                                           currency=d["currency"].iloc[0]))
    long = pd.concat(frames, ignore_index=True)
    base = long[long["year"] == base_year].set_index("series")["price"]
    long = long.assign(index=100 * long["price"] / long["series"].map(base))
    return long.sort_values(["series", "year"]).reset_index(drop=True)


def implied_cny_per_usd(cross: pd.DataFrame) -> pd.DataFrame:
    """Yuan price / dollar price per year where both a CNY and the USGS series exist."""
    usd = cross[cross["series"] == "USGS/Argus annual average"].set_index("year")["price"]
    cny = cross[cross["currency"] == "CNY"].set_index("year")["price"]
    both = pd.concat({"cny_per_kg": cny, "usd_per_kg": usd}, axis=1).dropna()
    return both.assign(implied_cny_per_usd=both["cny_per_kg"] / both["usd_per_kg"]).reset_index()


# --- everything one price report needs ---------------------------------------------------------

#: Daily sources and how the report labels them.
DAILY_SOURCES = {
    "china-domestic-reo-prices-daily-2013-2024": "China domestic (CNY, inferred units)",
    "komis-minor-metal-prices-daily-2024-2026": "KOMIS FOB China (USD)",
}


@dataclass
class PriceInputs:
    """The series one element's price report uses; empty where the data have none."""

    element: str
    base_year: int
    annual: pd.DataFrame | None  # annual averages, newest edition, with real prices
    yearend: pd.DataFrame | None  # MCS 2016 year-end ranges, with real prices
    overlaps: pd.DataFrame | None  # other editions' values for the same years
    daily: dict[str, pd.DataFrame]  # label -> daily prices
    monthly: dict[str, pd.DataFrame]  # label -> monthly means (with currency)
    unit_value: pd.DataFrame  # DS140 unit value, all rare earths, 1998 dollars and current
    events: pd.DataFrame  # events that concern the element


PRICE_BASES = ("real", "nominal")


def check_price_basis(price_basis: str) -> str:
    """Return the column a price basis uses; raise ``SelectionError`` for an unknown one."""
    if price_basis not in PRICE_BASES:
        raise SelectionError(f"price_basis must be one of {PRICE_BASES}, got {price_basis!r}")
    return "real_usd_per_kg" if price_basis == "real" else "price_usd_per_kg"


def price_inputs(element: str, prices: pd.DataFrame, daily: pd.DataFrame, cpi: pd.DataFrame,
                 base_year: int, events: pd.DataFrame | None = None) -> PriceInputs:
    """Collect, deflate and resample every series for ``element``."""
    events = load_events() if events is None else events

    def annual_or_none(basis: str) -> pd.DataFrame | None:
        try:
            return deflate(annual_series(prices, element, basis), cpi, base_year)
        except SelectionError:
            return None

    annual, yearend = annual_or_none("annual_average"), annual_or_none("yearend_range")
    overlaps = None
    rows = prices[(prices["element"] == element) & (prices["price_basis"] == "annual_average")
                  & prices["dollar_year"].isna()]
    if annual is not None and len(rows):
        newest = set(zip(annual["year"], annual["edition"]))
        others = rows[[(y, e) not in newest for y, e in zip(rows["year"], rows["edition"])]]
        overlaps = deflate(others.loc[:, ["year", "edition", "price_usd_per_kg", "purity_pct"]],
                           cpi, base_year)
    dailies, monthlies = {}, {}
    for source_id, label in DAILY_SOURCES.items():
        try:
            d = daily_series(daily, element, source_id)
        except SelectionError:
            continue
        dailies[label] = d
        monthlies[label] = to_monthly(d).assign(currency=d["currency"].iloc[0])
    uv = prices[(prices["element"] == "REO") & (prices["price_basis"] == "annual_unit_value")]
    unit_value = (uv.pivot_table(index="year", columns=uv["dollar_year"].fillna(0).astype(int),
                                 values="price_usd_per_kg", aggfunc="first")
                  .rename(columns={0: "current_usd_per_kg", 1998: "usd1998_per_kg"})
                  .reset_index())
    return PriceInputs(element=element, base_year=base_year, annual=annual, yearend=yearend,
                       overlaps=overlaps, daily=dailies, monthly=monthlies,
                       unit_value=unit_value, events=events_for(events, element, "1900-01-01",
                                                                "2030-12-31"))


def break_tests(series: pd.DataFrame, events: pd.DataFrame, *, value: str, time: str,
                frequency: str) -> pd.DataFrame:
    """Chow and HAC-Wald tests at every registered event inside the series' span.

    Events too close to either end for a test are listed with the reason instead.
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
            rows.append({**asdict(r), "reading": r.reading()})
        except InsufficientDataError as exc:
            rows.append({"event_id": e.event_id, "break_at": str(at)[:10], "reading": str(exc)})
    cols = ["event_id", "break_at", "n_before", "n_after", "chow_f", "chow_p", "wald_hac_chi2",
            "wald_hac_p", "level_shift_pct", "reading"]
    return pd.DataFrame(rows, columns=cols)


def elements_with_enough_data(prices: pd.DataFrame, daily: pd.DataFrame,
                              min_years: int = 8) -> list[str]:
    """Elements with >= ``min_years`` of annual averages or a daily series."""
    ann = prices[(prices["price_basis"] == "annual_average") & prices["dollar_year"].isna()]
    counts = ann.groupby("element")["year"].nunique()
    enough = set(counts[counts >= min_years].index) | set(daily["element"].unique())
    return sorted(e for e in enough if e not in ("Mischmetal", "NdPr", "REO"))


def stack_frames(frames: dict[str, pd.DataFrame], label: str) -> pd.DataFrame:
    """Concatenate {name: frame} into one frame with the name in column ``label``."""
    return pd.concat([f.assign(**{label: name}) for name, f in frames.items()],
                     ignore_index=True)
