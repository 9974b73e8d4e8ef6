"""Price series: selection, deflation, resampling, returns, volatility, agreement.

Deflation happens here, on top of the cleaned nominal prices (never inside them): real
prices are in constant dollars of ``base_year`` using the annual mean of monthly CPI-U
(FRED CPIAUCSL, seasonally adjusted). Chinese domestic prices are in yuan and are not
deflated with a U.S. index; they are compared with dollar prices only as indices.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from reelib.exceptions import InsufficientDataError, SelectionError
from reelib.readers.daily_prices import CHINA_ID, KOMIS_ID
from reelib.reference.events import events_for, load_events

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

    Output: year, price_usd_per_kg, low, high, edition, source_id, purity_pct, is_estimate,
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
        "source_id": last["source_id"].to_numpy(),
        "purity_pct": last["purity_pct"].to_numpy(), "is_estimate": last["is_estimate"].to_numpy(),
        "n_editions": n.loc[last.index].to_numpy(),
    }).reset_index(drop=True)


def daily_series(daily: pd.DataFrame, element: str, source_id: str) -> pd.DataFrame:
    """Daily prices of one element from one source: date, price, currency, flags and the
    source id (captions cite it).

    The glitch rule: a day whose published average lies outside that day's own [min, max]
    (``is_range_inconsistent``, a glitch of the source) is priced at the midpoint of its
    min and max (``is_midpoint``), since the day's quotes cannot average outside their
    range; the published average is kept beside it (``price_published``). A glitch day
    without both min and max has no price and is left out. Replacing rather than dropping
    keeps whole years in the series: in 2013-2014 the domestic Nd average sits just below
    the day's minimum on every day.
    """
    rows = daily[(daily["element"] == element) & (daily["source_id"] == source_id)]
    if rows.empty:
        raise SelectionError(f"no daily {element!r} prices from {source_id!r}")
    cny = rows["price_cny_per_kg"].notna().all()
    unit = "cny" if cny else "usd"
    published = rows[f"price_{unit}_per_kg"].astype(float).to_numpy()
    low = rows[f"price_low_{unit}_per_kg"].astype(float).to_numpy(na_value=np.nan) \
        if f"price_low_{unit}_per_kg" in rows else np.full(len(rows), np.nan)
    high = rows[f"price_high_{unit}_per_kg"].astype(float).to_numpy(na_value=np.nan) \
        if f"price_high_{unit}_per_kg" in rows else np.full(len(rows), np.nan)
    glitch = rows["is_range_inconsistent"].fillna(False).astype(bool).to_numpy()
    midpoint = glitch & ~np.isnan(low) & ~np.isnan(high)
    price = np.where(midpoint, (low + high) / 2, np.where(glitch, np.nan, published))
    return pd.DataFrame({
        "date": rows["date"].to_numpy(), "price": price, "price_published": published,
        "currency": "CNY" if cny else "USD",
        "is_range_inconsistent": glitch, "is_midpoint": midpoint,
        "source_id": source_id,
    }).sort_values("date").reset_index(drop=True)


def to_monthly(daily: pd.DataFrame) -> pd.DataFrame:
    """Monthly mean of daily prices (month start): month, price, n_days, n_glitch_days.

    Glitch days (``daily_series``'s rule) enter at their midpoint and are counted
    (``n_glitch_days``); a day without a price is left out.
    """
    if "is_range_inconsistent" not in daily.columns:
        daily = daily.assign(is_range_inconsistent=False)
    priced = daily[daily["price"].notna()]
    g = priced.set_index("date")["price"].resample("MS")
    flagged = priced.loc[priced["is_range_inconsistent"].astype(bool), ["date"]]
    n_glitch = flagged.set_index("date").resample("MS").size() if len(flagged) else None
    out = pd.DataFrame({"price": g.mean(), "n_days": g.count()})
    out["n_glitch_days"] = (n_glitch.reindex(out.index, fill_value=0) if n_glitch is not None
                            else 0)
    out = out.reset_index().rename(columns={"date": "month"})
    return out[out["n_days"] > 0].reset_index(drop=True)


def complete_months(monthly: pd.DataFrame, share: float = 0.6) -> pd.DataFrame:
    """Drop a last month with fewer than ``share`` of the usual quotes (the source stopped
    part-way through it): forecasts and tests use complete periods only."""
    if len(monthly) < 3:
        return monthly
    usual = float(monthly["n_days"].median())
    last_short = monthly["n_days"].iloc[-1] < share * usual
    return monthly.iloc[:-1].reset_index(drop=True) if last_short else monthly


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
    CHINA_ID: "China domestic (CNY, inferred units)",
    KOMIS_ID: "KOMIS FOB China (USD)",
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
    monthly: dict[str, pd.DataFrame]  # label -> complete months' means (with currency)
    glitch_days: dict[str, int]  # label -> days priced at their midpoint (daily_series)
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
        overlaps = deflate(others.loc[:, ["year", "edition", "source_id", "price_usd_per_kg",
                                          "purity_pct"]],
                           cpi, base_year)
    dailies, monthlies, glitches = {}, {}, {}
    for source_id, label in DAILY_SOURCES.items():
        try:
            d = daily_series(daily, element, source_id)
        except SelectionError:
            continue
        dailies[label] = d
        monthlies[label] = complete_months(to_monthly(d)).assign(currency=d["currency"].iloc[0])
        glitches[label] = int(d["is_midpoint"].sum())
    return PriceInputs(element=element, base_year=base_year, annual=annual, yearend=yearend,
                       overlaps=overlaps, daily=dailies, monthly=monthlies,
                       glitch_days=glitches,
                       events=number_events(events_for(events, element, "1900-01-01",
                                                        "2030-12-31")))


def unit_value(prices: pd.DataFrame) -> pd.DataFrame:
    """The USGS unit value of all rare earths (DS140: value / quantity of U.S. apparent
    consumption) per year: year, current_usd_per_kg, usd1998_per_kg.

    It is the same for every element, so it has its own report (notebook 10), not a
    section on each element's page.
    """
    uv = prices[(prices["element"] == "REO") & (prices["price_basis"] == "annual_unit_value")]
    if uv.empty:
        raise SelectionError("no all-rare-earths unit value (element 'REO', price_basis "
                             "'annual_unit_value') in the price table; run `reelib data`")
    return (uv.pivot_table(index="year", columns=uv["dollar_year"].fillna(0).astype(int),
                           values="price_usd_per_kg", aggfunc="first")
            .rename(columns={0: "current_usd_per_kg", 1998: "usd1998_per_kg"})
            .rename_axis(columns=None).reset_index())


def all_rare_earth_events(events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Numbered events that concern every rare earth (``elements`` is 'all'), for series
    of all rare earths together; an element's own measures are left to its page."""
    events = load_events() if events is None else events
    return number_events(events[events["elements"].eq("all")])


def number_events(events: pd.DataFrame) -> pd.DataFrame:
    """Events in date order with a ``number`` (1, 2, ...) every chart of a page shares."""
    out = events.sort_values("date", kind="mergesort").reset_index(drop=True)
    return out.assign(number=range(1, len(out) + 1))


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
