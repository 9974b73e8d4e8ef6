"""How reports show tables: readable numbers, no row numbers, the same HTML every build.

A report's reader should not meet ``350000.0``, ``7.429`` or a column of row numbers.
``style_table`` turns a tidy frame into a styled HTML table whose number formats follow
the column names (``*_year`` plain, ``*_pct`` one decimal, p-values four decimals, other
quantities with thousands separators and as many decimals as their size needs);
``show_tables_styled`` makes it the way a notebook displays every DataFrame. Only the
display changes: the frames, and the CSV files ``Report.table`` writes, keep full
precision.
"""

from __future__ import annotations

import hashlib
import math

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

MAX_ROWS = 60  # longer tables show their first and last rows (the CSV has them all)


def _is_year(name: str) -> bool:
    """A calendar year (``year``, ``first_year``), not a rate (``trend_pct_per_year``)."""
    if "per_year" in name or "pct" in name:
        return False
    return name == "year" or name.endswith("_year") or name.startswith("year_")


def _is_p_value(name: str) -> bool:
    return name in ("p", "p_value") or name.endswith(("_p", "p_value", "_pvalue"))


def _decimals(values: pd.Series) -> int:
    """Decimals that show the column's smallest value to three significant digits (0-3)."""
    v = values.dropna().abs()
    v = v[np.isfinite(v) & (v > 0)]
    if v.empty or (v == v.round()).all():
        return 0
    return int(min(3, max(0, 2 - math.floor(math.log10(v.min())))))


def _format_p(p: float) -> str:
    """A p-value cell of an HTML table (a formatter's output is not escaped for us)."""
    return "" if pd.isna(p) else "&lt;0.0001" if p < 0.0001 else f"{p:.4f}"


def column_formats(df: pd.DataFrame) -> dict[str, str]:
    """A format string for each numeric or date column of ``df``, chosen by name and size.

    >>> column_formats(pd.DataFrame({"year": [2023], "value_t": [350000.0],
    ...                              "share_pct": [71.05], "chow_p": [0.0003]}))
    {'year': '{:.0f}', 'value_t': '{:,.0f}', 'share_pct': '{:,.1f}', 'chow_p': '{:.4f}'}
    """
    formats: dict[str, str] = {}
    for name in df.columns:
        col = df[name]
        label = str(name).lower()
        if pd.api.types.is_bool_dtype(col):
            continue
        if pd.api.types.is_datetime64_any_dtype(col):
            times = col.dropna()
            midnight = times.empty or (times == times.dt.normalize()).all()
            formats[name] = "{:%Y-%m-%d}" if midnight else "{:%Y-%m-%d %H:%M}"
        elif pd.api.types.is_numeric_dtype(col):
            if _is_year(label):
                formats[name] = "{:.0f}"
            elif _is_p_value(label):
                formats[name] = "{:.4f}"
            elif "pct" in label or label.endswith("_share"):
                formats[name] = "{:,.1f}"
            else:
                formats[name] = f"{{:,.{_decimals(col.astype('float64'))}f}}"
    return formats


def _is_row_numbers(index: pd.Index) -> bool:
    """An unnamed integer index (0..n, or what is left of it after a filter)."""
    return (not isinstance(index, pd.MultiIndex) and index.name is None
            and pd.api.types.is_integer_dtype(index))


def style_table(df: pd.DataFrame, *, max_rows: int = MAX_ROWS) -> Styler:
    """``df`` as a styled table for a report: formatted numbers, missing values blank,
    the index hidden when it is only row numbers. The table id is derived from the
    content, so a rebuild writes the same HTML."""
    shown = df
    if len(df) > max_rows:
        half = max_rows // 2
        shown = pd.concat([df.head(half), df.tail(half)])
    formats = column_formats(df)
    styler = shown.style.format(
        {c: _format_p if _is_p_value(str(c).lower()) else f for c, f in formats.items()},
        na_rep="", escape="html")
    if "unit" in df.columns:  # a year in a column of mixed quantities reads 2017, not 2,017
        years = shown["unit"].isin(["year", "years"])
        plain = [c for c, f in formats.items() if "," in f]
        if years.any() and plain:
            styler = styler.format("{:.0f}", subset=pd.IndexSlice[years, plain], na_rep="",
                                   escape="html")
    if _is_row_numbers(df.index):
        styler = styler.hide(axis="index")
    text = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])
            and not pd.api.types.is_datetime64_any_dtype(df[c])]
    if text:  # words read from the left, sentences get room; numbers stay right-aligned
        styles = {}
        for c in text:
            lengths = shown[c].dropna().astype("string").str.len()
            long = len(lengths) > 0 and float(lengths.mean()) > 40
            short = len(lengths) == 0 or int(lengths.max()) <= 16  # codes, ids: keep whole
            props = "text-align: left;" + (" min-width: 16em;" if long else "") + (
                " white-space: nowrap;" if short else "")
            styles[c] = [{"selector": sel, "props": props} for sel in ("td", "th")]
        styler = styler.set_table_styles(styles, overwrite=False)
    dates = [c for c in df.columns if pd.api.types.is_datetime64_any_dtype(df[c])]
    if dates:
        nowrap = [{"selector": "td", "props": "white-space: nowrap;"}]
        styler = styler.set_table_styles({c: nowrap for c in dates}, overwrite=False)
    digest = hashlib.sha256(shown.to_csv().encode())
    styler = styler.set_uuid(digest.hexdigest()[:10]).set_table_attributes(
        'class="dataframe reelib-table"')
    if len(df) > max_rows:
        styler = styler.set_caption(f"first and last {max_rows // 2} of {len(df):,} rows "
                                    "(the table's CSV file has them all)")
    return styler


def show_tables_styled() -> None:
    """Make the running IPython kernel display every DataFrame with ``style_table``.

    Outside IPython (plain Python, tests) this does nothing.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the notebook stack
        return
    shell = get_ipython()
    if shell is None:
        return
    formatter = shell.display_formatter.formatters["text/html"]
    formatter.for_type(pd.DataFrame, lambda df: style_table(df).to_html(
        doctype_html=False, exclude_styles=False))
