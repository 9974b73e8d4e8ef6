"""Charts for the price report. Each takes tidy frames and returns a Figure."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from reelib.present.plots import add_caption, legend_below

_EVENT_COLORS = {"policy": "#c8102e", "trade": "#1f4e9c", "market": "#6a3d9a"}
#: one colour per price source on every chart of a page (matched on the series label)
SOURCE_COLORS = {"china domestic": "#c8102e", "komis": "#1f4e9c", "usgs": "#444444"}
_OTHER_COLORS = ("#e69f00", "#009e73", "#cc79a7")


def source_color(label: str, i: int = 0) -> str:
    """The colour of a price source's series, the same on every chart ('KOMIS ...': blue).

    >>> source_color("KOMIS FOB China (USD)"), source_color("China domestic (CNY)")
    ('#1f4e9c', '#c8102e')
    """
    low = str(label).lower()
    for key, color in SOURCE_COLORS.items():
        if low.startswith(key) or f" {key}" in low:
            return color
    return _OTHER_COLORS[i % len(_OTHER_COLORS)]


def _with_events(caption: str, events: pd.DataFrame) -> str:
    """The caption, then the numbered events drawn (nothing when none is drawn)."""
    legend = event_legend(events)
    return f"{caption} Events: {legend}" if legend else caption


def _log_money(ax) -> None:
    """Log y axis with plain-number ticks at 1, 2 and 5 times powers of ten."""
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(FuncFormatter(
        lambda v, _: f"{v:,.0f}" if v >= 10 else f"{v:,.2g}"))
    ax.yaxis.set_minor_formatter(NullFormatter())


def draw_events(ax, events: pd.DataFrame, *, annual: bool) -> None:
    """Vertical lines at events, numbered as on the rest of the page (``number``)."""
    for i, e in enumerate(events.itertuples()):
        x = e.date.year + (e.date.dayofyear - 1) / 365.25 if annual else e.date
        color = _EVENT_COLORS.get(e.category, "#555555")
        ax.axvline(x, color=color, ls="--", lw=1, alpha=0.7)
        # staggered so events close in time keep readable numbers
        ax.text(x, 0.98 - 0.06 * (i % 3), f" {e.number}", color=color, fontsize=8, va="top",
                ha="left", transform=ax.get_xaxis_transform())


def event_legend(events: pd.DataFrame) -> str:
    """Numbered list of events for a caption (the page's numbering)."""
    return " ".join(f"{e.number}: {e.date:%b %Y}, {getattr(e, 'label', '') or e.event_id}."
                    for e in events.itertuples())


def plot_annual_prices(annual: pd.DataFrame, yearend: pd.DataFrame | None,
                       overlaps: pd.DataFrame, events: pd.DataFrame, *, element: str,
                       real: bool, base_year: int, caption: str) -> Figure:
    """Annual average price (nominal or real) with year-end ranges and other editions."""
    col = "real_usd_per_kg" if real else "price_usd_per_kg"
    other = "price_usd_per_kg" if real else "real_usd_per_kg"
    unit = f"USD/kg ({'constant ' + str(base_year) + ' dollars, CPI-U' if real else 'current'})"
    fig, ax = plt.subplots(figsize=(10, 4.8))
    ax.plot(annual["year"], annual[other], color="#999999", lw=1.2, ls="--",
            label=f"{'nominal' if real else f'real ({base_year} USD)'} for comparison")
    ax.plot(annual["year"], annual[col], marker="o", color="#c8102e", lw=2,
            label=f"annual average, {'real' if real else 'nominal'}, newest edition "
                  "(USGS/Argus, FOB China)")
    est = annual[annual["is_estimate"].astype(bool)]
    if len(est):
        ax.scatter(est["year"], est[col], s=80, facecolors="white", edgecolors="#c8102e",
                   zorder=3, label="estimate")
    if yearend is not None and len(yearend):
        ycol = "real_usd_per_kg" if real else "price_usd_per_kg"
        scale = yearend[ycol] / yearend["price_usd_per_kg"]
        ax.errorbar(yearend["year"] + 0.15, yearend[ycol],
                    yerr=[(yearend["price_usd_per_kg"] - yearend["low"]) * scale,
                          (yearend["high"] - yearend["price_usd_per_kg"]) * scale],
                    fmt="s", color="#555555", ms=4, capsize=3,
                    label="year-end range (MCS 2016): a different statistic")
    if overlaps is not None and len(overlaps):
        ocol = "real_usd_per_kg" if real else "price_usd_per_kg"
        ax.scatter(overlaps["year"] - 0.15, overlaps[ocol], marker="x", color="#1f4e9c",
                   label="same year, other editions", zorder=4)
    _log_money(ax)
    draw_events(ax, events, annual=True)
    ax.set(title=f"{element} oxide price, {'real' if real else 'nominal'}", ylabel=unit,
           xlabel="")
    legend_below(ax)
    add_caption(fig, _with_events(caption, events))
    return fig


def plot_long_run(series: pd.DataFrame, value: str, fitted: pd.DataFrame | None,
                  events: pd.DataFrame, *, title: str, ylabel: str, caption: str) -> Figure:
    """A long annual series on a log scale with its fitted trend (year, fitted) and events."""
    fig, ax = plt.subplots(figsize=(10, 4.6))
    d = series.dropna(subset=[value])
    ax.plot(d["year"], d[value], color="#444444", lw=1.4, marker=".", label="unit value")
    if fitted is not None:
        ax.plot(fitted["year"], fitted["fitted"], color="#c8102e", lw=1.2, ls="-.",
                label="average-change path (mean log change per year)")
    _log_money(ax)
    draw_events(ax, events, annual=True)
    ax.set(title=title, ylabel=ylabel, xlabel="")
    legend_below(ax)
    add_caption(fig, _with_events(caption, events))
    return fig


def plot_monthly(monthly: dict[str, pd.DataFrame], events: pd.DataFrame, *, title: str,
                 caption: str) -> Figure:
    """Monthly mean prices of one or more sources (own axes per currency), with events."""
    fig, ax = plt.subplots(figsize=(10, 4.6))
    axes: dict = {}
    for i, (label, m) in enumerate(monthly.items()):
        cur = m["currency"].iloc[0]
        if cur not in axes:
            axes[cur] = ax if not axes else ax.twinx()
            if axes[cur] is not ax:
                axes[cur].grid(False)
        axes[cur].plot(m["month"], m["price"], color=source_color(label, i), lw=1.5,
                       label=label)
        axes[cur].set_ylabel(f"{cur}/kg")
    lines = [ln for a in axes.values() for ln in a.get_lines()]
    legend_below(ax, lines, [ln.get_label() for ln in lines])
    draw_events(ax, events, annual=False)
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set(title=title)
    add_caption(fig, _with_events(caption, events))
    return fig


def plot_volatility(vols: dict[str, pd.DataFrame], events: pd.DataFrame, *, window: int,
                    caption: str) -> Figure:
    """Rolling standard deviation of monthly log returns, per source."""
    fig, ax = plt.subplots(figsize=(10, 4.2))
    for i, (label, v) in enumerate(vols.items()):
        ax.plot(v["month"], v["vol_monthly_pct"], lw=1.6, label=label,
                color=source_color(label, i))
    draw_events(ax, events, annual=False)
    ax.set(title=f"Volatility: {window}-month rolling s.d. of monthly log returns",
           ylabel="% per month", xlabel="")
    legend_below(ax)
    add_caption(fig, _with_events(caption, events))
    return fig


def plot_stl(stl: pd.DataFrame, *, title: str, caption: str) -> Figure:
    """The STL components of log monthly prices."""
    fig, axes = plt.subplots(4, 1, figsize=(10, 7), sharex=True)
    for ax, col, label in zip(axes, ["log_price", "trend", "seasonal", "resid"],
                              ["log price", "trend", "seasonal", "remainder"]):
        ax.plot(stl["month"], stl[col], lw=1.2, color="#444444")
        ax.set_ylabel(label, fontsize=9)
    axes[0].set_title(title)
    add_caption(fig, caption)
    return fig


def plot_forecast(fc: pd.DataFrame, *, title: str, caption: str, currency: str) -> Figure:
    """History and a model forecast: its median and 95% prediction interval."""
    fig, ax = plt.subplots(figsize=(10, 4.4))
    hist, fut = fc[~fc["is_forecast"]], fc[fc["is_forecast"]]
    ax.plot(hist["month"], hist["median"], color="#444444", lw=1.5,
            label="monthly mean price (complete months)")
    ax.plot(fut["month"], fut["median"], color="#1f4e9c", lw=1.5, ls="--",
            label="model forecast: median (damped-trend ETS on log prices)")
    ax.fill_between(fut["month"], fut["lower"], fut["upper"], color="#1f4e9c", alpha=0.2,
                    label="95% prediction interval")
    ax.set(title=title, ylabel=f"{currency}/kg", xlabel="")
    legend_below(ax, ncol=3)
    add_caption(fig, caption)
    return fig


def plot_break_search(path: pd.DataFrame, tests: pd.DataFrame, qlr: dict,
                      events: pd.DataFrame, *, time: str, title: str, caption: str
                      ) -> Figure:
    """The break F statistic at every admissible date (the placebo distribution), its 95th
    percentile, the sup-F critical value, and the events, numbered as on the page."""
    fig, ax = plt.subplots(figsize=(10, 4.2))
    x = path[time]
    if time == "year":
        x = x.astype(float)
    ax.plot(x, path["f_stat"], color="#444444", lw=1.4, marker=".", ms=4,
            label="break F at each date (placebo dates)")
    p95 = float(path["f_stat"].quantile(0.95))
    ax.axhline(p95, color="#e69f00", ls="--", lw=1,
               label="95th percentile of the placebo dates")
    ax.axhline(qlr["critical_5pct"], color="#c8102e", ls=":", lw=1.2,
               label="5% critical value for the largest F (Andrews)")
    tested = tests[tests["skipped_reason"] == ""] if "skipped_reason" in tests else tests
    for r in tested.itertuples():
        at = float(r.break_at) if time == "year" else pd.Timestamp(r.break_at)
        ax.scatter([at], [r.f_stat], s=60, facecolors="white", edgecolors="#c8102e",
                   zorder=4)
    shown = events[events["event_id"].isin(set(tested["event_id"]))]
    draw_events(ax, shown, annual=time == "year")
    ax.set(title=title, ylabel="F statistic", xlabel="", ylim=(0, None))
    legend_below(ax, ncol=3)
    add_caption(fig, _with_events(caption, shown))
    return fig


def plot_cross_source(cross: pd.DataFrame, *, base_year: int, caption: str) -> Figure:
    """Annual means of each source as indices (base year = 100)."""
    fig, ax = plt.subplots(figsize=(10, 4.2))
    for i, (label, g) in enumerate(cross.groupby("series", sort=True)):
        ax.plot(g["year"], g["index"], marker="o", ms=4, lw=1.6, label=label,
                color=source_color(label, i))
    ax.axhline(100, color="#999999", lw=0.8)
    ax.set(title=f"Sources compared as indices ({base_year} = 100)", ylabel="index", xlabel="")
    legend_below(ax, ncol=3)
    add_caption(fig, caption)
    return fig
