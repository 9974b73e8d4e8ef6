"""Numbers and sentences for report prose: every sentence about a result is written here.

Analysis modules return numbers (dataclasses and frames); the functions below turn them
into the sentences the notebooks display with ``say``. Formatting of a value with its
unit lives here too, so one fact reads the same on every page.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from reelib.analysis.prices.trend import BreakResult, TrendResult
from reelib.present.numbers import fmt_num, fmt_p, fmt_pct, format_fact  # noqa: F401


_LINK = re.compile(r"\]\s*\(")


def inert(text: str) -> str:
    """Markdown prose in which strings from data cannot become markup.

    HTML is escaped (a country name ``<script>`` shows as text) and link or image syntax
    is broken (``[x](javascript:...)`` shows as text); code spans are left as written.

    >>> print(inert("China <script>x</script> [a](javascript:1) `<id>`"))
    China &lt;script&gt;x&lt;/script&gt; [a]\\(javascript:1) `<id>`
    """
    parts = text.split("`")
    for i in range(0, len(parts), 2):  # outside code spans
        parts[i] = _LINK.sub("]\\(", html.escape(parts[i], quote=False))
    return "`".join(parts)


def say(text: str):
    """Display a sentence of interpretation as Markdown (numbers formatted by the caller);
    strings from data in it are shown as text, never as markup (``inert``)."""
    from IPython.display import Markdown

    return Markdown(inert(text))


# --- sentences about statistics ---------------------------------------------------------


def describe_trend(trend: TrendResult) -> str:
    """One sentence a reader can quote about a log-linear trend."""
    sig = "statistically significant" if trend.p_value < 0.05 else "not statistically " \
        "significant"
    return (f"Trend {trend.pct_per_year:+.1f}% a year (95% CI per period "
            f"{trend.ci_low_pct:+.2f}% to {trend.ci_high_pct:+.2f}%), {sig} at 5% "
            f"(HAC t = {trend.t_stat:.2f}, {fmt_p(trend.p_value)}, n = {trend.n}).")


def describe_break(result: BreakResult) -> str:
    """Plain-language reading of the Chow and HAC Wald tests at one date."""

    def verdict(p: float) -> str:
        return "rejects" if p < 0.05 else "does not reject"

    text = (f"At {result.break_at} ({result.event_id}): the Chow test "
            f"{verdict(result.chow_p)} a stable trend (F = {result.chow_f:.2f}, "
            f"{fmt_p(result.chow_p)}); allowing for autocorrelation, the HAC Wald test "
            f"{verdict(result.wald_hac_p)} it (chi2 = {result.wald_hac_chi2:.2f}, "
            f"{fmt_p(result.wald_hac_p)}). The fitted level shifts "
            f"{result.level_shift_pct:+.0f}% at the break. n = {result.n_before} before, "
            f"{result.n_after} after.")
    if min(result.n_before, result.n_after) < 12:
        text += (" With fewer than 12 observations on one side, the HAC test over-rejects;"
                 " read the Chow F test, and both as indicative only.")
    return text


def describe_cusum(cusum: dict) -> str:
    """One sentence about a CUSUM test of parameter stability."""
    verdict = ("rejects parameter stability" if cusum["p_value"] < 0.05
               else "does not reject parameter stability")
    return (f"CUSUM of OLS residuals {verdict} (statistic {cusum['statistic']:.2f}, "
            f"5% critical value {cusum['critical_5pct']:.2f}, {fmt_p(cusum['p_value'])}, "
            f"n = {cusum['n']}).")


def add_break_readings(breaks: pd.DataFrame) -> pd.DataFrame:
    """The break-test table with a ``reading`` column (the reason where a test was skipped)."""
    fields = list(BreakResult.__dataclass_fields__)
    readings = [r["skipped_reason"] if r["skipped_reason"] else
                describe_break(BreakResult(**{k: r[k] for k in fields}))
                for _, r in breaks.iterrows()]
    return breaks.drop(columns=["skipped_reason"]).assign(reading=pd.Series(
        readings, index=breaks.index, dtype=object))
