"""Numbers and sentences for report prose: every sentence about a result is written here.

Analysis modules return numbers (dataclasses and frames); the functions below turn them
into the sentences the notebooks display with ``say``. Formatting of a value with its
unit lives here too, so one fact reads the same on every page.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from reelib.analysis.prices.breaks import EventTest
from reelib.analysis.prices.trend import TrendResult
from reelib.analysis.shares import ROWS_ABOVE_TOTAL, ROWS_FAR_ABOVE_TOTAL
from reelib.present.numbers import (fmt_num, fmt_p, fmt_pct, fmt_range,  # noqa: F401
                                    format_fact, format_value, range_text)
from reelib.sources.registry import load_registry


_LINK = re.compile(r"\]\s*\(")
_FACT = re.compile(r"\u27e6fact:([^|\u27e7]+)\|([^\u27e7]*)\u27e7")


def fact_token(fact_id: str, text: str) -> str:
    """A fact as written in a sentence; ``say`` turns it into a marked span."""
    return f"\u27e6fact:{fact_id}|{text}\u27e7"


def fact_range(low_id: str, low: dict, high_id: str, high: dict) -> str:
    """Two recorded facts (bounds) for a sentence: 'low-high', each marked as its fact, or
    the one number when both read the same (``numbers.range_text``)."""
    low_text, high_text = format_fact(low), format_fact(high)
    return range_text(fact_token(low_id, low_text), fact_token(high_id, high_text),
                      reads=(low_text, high_text))


def _fact_span(match: re.Match) -> str:
    return (f'<span class="fact" data-fact="{html.escape(match.group(1))}">'
            f"{match.group(2)}</span>")


def inert(text: str) -> str:
    """Markdown prose in which strings from data cannot become markup.

    HTML is escaped (a country name ``<script>`` shows as text) and link or image syntax
    is broken (``[x](javascript:...)`` shows as text); code spans are left as written.

    >>> print(inert("China <script>x</script> [a](javascript:1) `<id>`"))
    China &lt;script&gt;x&lt;/script&gt; [a]\\(javascript:1) `<id>`
    """
    parts = text.split("`")
    for i in range(0, len(parts), 2):  # outside code spans
        parts[i] = _FACT.sub(_fact_span,
                             _LINK.sub("]\\(", html.escape(parts[i], quote=False)))
    return "`".join(parts)


def say(text: str):
    """Display a sentence of interpretation as Markdown (numbers formatted by the caller);
    strings from data in it are shown as text, never as markup (``inert``)."""
    from IPython.display import Markdown

    return Markdown(inert(text))


# --- citations ---------------------------------------------------------------------------

def source_ids(df: pd.DataFrame | pd.Series) -> list[str]:
    """The source ids of ``df``'s rows (``source_id`` and the ``_old``/``_new`` pairs of
    the revisions table), distinct, in order of appearance. A cell may name several ids
    separated by ';' (evidence drawn from two tables)."""
    if isinstance(df, pd.Series):  # one row
        df = df.to_frame().T
    ids: list[str] = []
    for col in ("source_id", "source_id_old", "source_id_new"):
        if col in df.columns:
            for cell in pd.unique(df[col].dropna().astype(str)):
                ids.extend(v for v in cell.split(";") if v and v not in ids)
    return ids


def cite(*frames: pd.DataFrame | pd.Series | None, note: str = "") -> str:
    """A figure's source line with full citations of the rows it draws, then ``note``.

    Each source is cited as publisher, title (edition), from the registry (the title
    without its descriptive gloss; the index page has the full entry); sources of one
    publisher are grouped and follow the registry's order, so every caption of a page
    cites them alike. Never a file path. A frame that is None (a series the element does
    not have) is skipped.
    """
    wanted = {sid for df in frames if df is not None for sid in source_ids(df)}
    registry = load_registry()
    unknown = sorted(wanted - set(registry))
    if unknown:
        raise KeyError(f"unknown source id(s) {unknown}; see data/raw/registry.yaml")
    groups: dict[str, list[str]] = {}
    for sid, src in registry.items():
        if sid in wanted:
            title = re.split(r" \(|: ", src.title, maxsplit=1)[0]  # the title, not its gloss
            groups.setdefault(src.publisher, []).append(f"{title} ({src.edition})")
    parts = [f"{publisher}, {'; '.join(titles)}" for publisher, titles in groups.items()]
    head = ("Sources: " if len(wanted) > 1 else "Source: ") + ". ".join(parts) + "."
    return f"{head} {note}".strip() if parts else note


# --- sentences about statistics ---------------------------------------------------------

_PERIOD = {1: "annual", 12: "monthly"}


def describe_trend(trend: TrendResult, what: str = "The series") -> str:
    """The trend sentence: its size, n, period, method in words, and the p-value -- or why
    there is none."""
    per = "a year"
    size = f"{trend.pct_per_year:+.1f}% {per}"
    span = f"{trend.first[:7]} to {trend.last[:7]}"
    changes = f"n = {trend.n} {_PERIOD.get(trend.periods_per_year, '')} changes".replace(
        "  ", " ")
    if not trend.tested:
        return (f"{what} changed on average {size} from {span} ({changes}): {trend.reason}, "
                "so no p-value is given.")
    lo, hi = trend.ci_pct_per_year
    reading = ("a statistically significant trend" if trend.p_value < 0.05
               else "no statistically significant trend")
    return (f"{what} changed on average {size} from {span} ({changes}; 95% CI {lo:+.1f}% to "
            f"{hi:+.1f}%), {reading} ({fmt_p(trend.p_value)}; the mean log change tested "
            f"with Student's t on {trend.n - 1} degrees of freedom and a Newey-West standard "
            f"error with {trend.hac_lags} lag{'s' * (trend.hac_lags != 1)} chosen from the "
            "changes' own autocorrelation).")


def ordinal(n: int) -> str:
    """1 -> '1st', 71 -> '71st', 12 -> '12th'.

    >>> ordinal(71), ordinal(12), ordinal(100)
    ('71st', '12th', '100th')
    """
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def describe_event(test: EventTest, what: str = "", unit: str = "year") -> str:
    """One event's break test, its placebo standing and its reading."""
    name = what or test.event_id
    return (f"**{name}** (new regime from {test.break_at}): F = {test.f_stat:.2f} with 2 and "
            f"{int(test.df_den)} degrees of freedom ({int(test.n_before)} changes before, "
            f"{int(test.n_after)} after), {fmt_p(test.p_value)}, Holm-adjusted "
            f"{fmt_p(test.p_holm)}; its F is at the {ordinal(round(test.placebo_percentile))} "
            f"percentile of the {int(test.placebo_dates)} dates tested. Mean change "
            f"{test.growth_before_pct:+.1f}% per {unit} before, {test.growth_after_pct:+.1f}% "
            f"after. Reading: *{test.verdict}*.")


def _period(value) -> str:
    """A year as '1961' (never '1961.0'), a month as '2022-03'."""
    if (isinstance(value, (int, float)) and not isinstance(value, bool)
            and float(value).is_integer()):
        return str(int(value))
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m")
    return str(value)[:7]


def describe_largest_change(series: pd.DataFrame, value: str, time: str = "year",
                            trend: TrendResult | None = None) -> str:
    """The largest single period-to-period change, and how much it moves the average."""
    import math

    from reelib.analysis.prices.trend import log_changes

    ch = log_changes(series, value, time)
    big = ch.loc[ch["log_change"].abs().idxmax()]
    i = int(ch.index.get_loc(big.name))
    before = series.dropna(subset=[value]).sort_values(time)[time]
    start = before[before < big[time]].max()
    share = 100 * (math.exp(float(big["log_change"])) - 1)
    text = (f"The largest single change is {_period(start)} to {_period(big[time])} "
            f"({share:+.0f}%)")
    if trend is not None and trend.n > 1 and i >= 0:
        k = trend.periods_per_year
        without = (trend.mean_log_change * trend.n - float(big["log_change"])) / (trend.n - 1)
        text += (f"; without it the average change would be "
                 f"{100 * (math.exp(without * k) - 1):+.1f}% a year")
    return text + "."


def fmt_qlr_p(qlr: dict) -> str:
    """The sup-F p-value; at the end of Andrews' table it is a bound ('p ≥ 0.5')."""
    bound = qlr.get("p_bound", "")
    if bound:
        return f"p {bound} {qlr['p_value']:g}"
    return fmt_p(qlr["p_value"])


def describe_qlr(qlr: dict) -> str:
    """Where the data put their own break (sup-F / QLR) and whether it is significant."""
    significant = qlr["p_value"] < 0.05
    return (f"Searching all {qlr['dates_searched']} admissible dates, the largest break "
            f"statistic falls at {qlr['break_at']} (sup-F = {qlr['sup_f']:.2f}; Andrews' 5% "
            f"critical value {qlr['critical_5pct']:.2f}, {fmt_qlr_p(qlr)}): "
            + ("the series has a break at a date of its own choosing."
               if significant else "no date stands out as a break once the search over all "
                                   "dates is accounted for."))


def describe_method_of_breaks() -> str:
    """The event-test method in words (shown once per page)."""
    return ("Each test asks whether the log change of the price followed a different AR(1) "
            "process after the event than before (a Chow F test of the intercept and the "
            "first-order autocorrelation). The same test is run at every admissible date "
            "(each side at least 15% of the sample): an event is *associated with a shift* "
            "only if its Holm-adjusted p-value is below 5% and its F is at or above the 95th "
            "percentile of those placebo dates.")


def describe_backtest(summary: pd.DataFrame, origins: int) -> str:
    """How the forecasting model did on the series' own past (rolling origins); a
    coverage only where enough forecasts stand behind it."""
    first = summary.iloc[0]
    last = summary.iloc[-1]
    text = (f"Backtest: refitted at {origins} successive month-ends, the model's median was "
            f"off by {first['mape_pct']:.1f}% on average one month ahead and "
            f"{last['mape_pct']:.1f}% {int(last['horizon'])} months ahead "
            f"({int(last['n_forecasts'])} forecast{'s' * int(last['n_forecasts'] != 1)} "
            "that far)")
    cov = summary["coverage_pct"].dropna()
    if cov.empty:
        return (text + f"; with at most {int(summary['n_forecasts'].max())} forecasts per "
                "horizon, too few to say how often an interval holds, no coverage is given.")
    return (text + f"; its 95% interval held the actual price in {cov.min():.0f}-"
            f"{cov.max():.0f}% of cases (n = {int(summary['n_forecasts'].min())}-"
            f"{int(summary['n_forecasts'].max())} forecasts per horizon).")


def describe_calibration(calibration: pd.DataFrame, pooled: dict, label: str) -> str:
    """The calibrated interval: where it comes from and how often it held, with n."""
    origins = int(calibration["n_origins"].max())
    return (f"The 95% interval is calibrated on a long backtest of the {label} series "
            f"({origins} monthly origins): at each horizon it spans the median times "
            "exp(±q), q the split-conformal quantile of the absolute log errors. Scored out "
            "of sample (each forecast against the errors observed before it), it held the "
            f"price in {pooled['calibrated_pct']:.0f}% of {pooled['n']:,} forecasts "
            f"(horizons 1-{int(calibration['horizon'].max())}, overlapping, so not "
            f"independent); the model's own interval held it in {pooled['model_pct']:.0f}% "
            "of the same forecasts.")


def describe_forecast_check(check: dict, label: str, element: str) -> str:
    """A forecast of an already observed period, read as a backtest against what happened."""
    head = (f"The series ends in {check['origin_month']:%B %Y}, so this {label} forecast "
            f"covers a period the project has since observed: the model expected {element} "
            f"oxide to move {check['model_change_pct']:+.0f}% by "
            f"{check['end_month']:%B %Y} (95% interval {check['model_low_pct']:+.0f}% to "
            f"{check['model_high_pct']:+.0f}%).")
    if check["observed_inside_interval"] is None:
        return head + " No annual average covers both years to compare with."
    where = "inside" if check["observed_inside_interval"] else "outside"
    return (head + f" USGS/Argus annual averages (USD, FOB China -- another market and "
            f"currency) moved {check['observed_change_pct']:+.0f}% from "
            f"{check['observed_from_year']} to {check['observed_to_year']}, {where} the "
            "model's interval.")


def share_basis_note(kind: str, gap_pct: float, year: int) -> str:
    """One sentence on the denominator of a year's shares (``analysis.shares`` rounding
    rule): a rounding gap, a gap beyond rounding, an unallocated rest, or no world total."""
    listed = f"In {year} the listed countries add up to {100 + gap_pct:.1f}% of"
    if kind == ROWS_ABOVE_TOTAL:
        return (f"{listed} the rounded world total, a rounding gap: shares are of the printed "
                "total as USGS computes them, CR3 is capped at 100%, and the HHI interval "
                "covers both the total and the countries' own sum.")
    if kind == ROWS_FAR_ABOVE_TOTAL:
        return (f"{listed} the printed world total, more than rounding explains: shares are "
                "of the printed total and none is shown above 100%.")
    if kind == "sum of rows":
        return f"USGS prints no world total for {year}: shares are of the listed countries' sum."
    if gap_pct < -1e-9:
        return (f"{listed} the world total; the rest is not allocated to any country (the HHI "
                "interval covers it).")
    return ""


def rounding_rule_summary(table: pd.DataFrame) -> str:
    """Where the rounding rule applied across a table of ``share_basis`` and
    ``rounding_gap_pct`` rows (the atlas): how many, and which went beyond rounding."""
    near = table[table["share_basis"] == ROWS_ABOVE_TOTAL]
    far = table[table["share_basis"] == ROWS_FAR_ABOVE_TOTAL]
    none = table[table["share_basis"] == "sum of rows"]
    parts = []
    if len(near):
        parts.append(f"For {len(near)} commodity-measures the listed countries add up to more "
                     "than the rounded world total by a rounding gap (at most "
                     f"{near['rounding_gap_pct'].max():.1f} points): shares stay shares of the "
                     "printed total, CR3 is capped at 100% and the HHI interval covers both "
                     "totals.")
    if len(far):
        names = ", ".join(f"{c.lower()} ({g:+.1f} points)" for c, g in
                          zip(far["commodity"], far["rounding_gap_pct"]))
        parts.append(f"For {len(far)} the excess is larger than rounding explains ({names}): "
                     "the printed world total is kept and no share is shown above 100%.")
    if len(none):
        parts.append(f"For {len(none)} USGS prints no world total; shares are of the listed "
                     "countries' sum.")
    return " ".join(parts)


def describe_bgs_shares(milestones: list[dict], first: int, last: int) -> str:
    """One sentence per country's path in the BGS series (``shares.share_milestones``)."""
    parts = []
    for m in milestones:
        listed = (f"listed from {m['first_year']}" if m["first_year"] > first else
                  f"{m['first_pct']:.0f}% in {m['first_year']}")
        gone = ("" if m["last_year"] == last else
                f", last listed in {m['last_year']}")
        if m["gaps"]:
            gone += ", not listed " + " and ".join(
                f"{a}" if a == b else f"{a}-{b}" for a, b in m["gaps"])
        parts.append(f"{m['country']}: {listed}, highest {m['peak_pct']:.0f}% in "
                     f"{m['peak_year']}, {m['last_pct']:.0f}% in {m['last_year']}{gone}")
    return ("; ".join(parts) + f" (BGS, {first}-{last}; a year a country is missing it was "
            "not among the largest producers the file lists, which is not zero).")
