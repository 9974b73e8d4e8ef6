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
import html
import math
import re

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

MAX_ROWS = 60  # longer tables show their first and last rows (the CSV has them all)

#: column-name endings that are units, longest first: ``price_usd_per_kg`` -> "Price (USD/kg)"
UNIT_SUFFIXES = (("_pct_per_month", "% a month"), ("_pct_per_year", "% a year"),
                 ("_usd_per_kg", "USD/kg"), ("_cny_per_kg", "CNY/kg"), ("_usd_per_t", "USD/t"),
                 ("_eur_per_kg", "EUR/kg"), ("_usd_m", "USD million"),
                 ("_eur_m", "EUR million"), ("_0_10", "0-10"),
                 ("_pct", "%"), ("_pp", "percentage points"), ("_kt", "kt"), ("_t", "t"),
                 ("_usd", "USD"), ("_years", "years"), ("_months", "months"),
                 ("_iso3", "ISO3"))
#: words written in capitals or with symbols in a header
ACRONYMS = {"hhi": "HHI", "cr1": "CR1", "cr3": "CR3", "usd": "USD", "iso3": "ISO3",
            "reo": "REO", "hs": "HS", "ci": "CI", "id": "ID", "mape": "MAPE", "qlr": "QLR",
            "ets": "ETS", "hac": "HAC", "chi2": "χ²", "ar1": "AR(1)", "mcs": "MCS",
            "usgs": "USGS", "iea": "IEA", "p": "p", "f": "F", "n": "n", "us": "U.S.",
            "cny": "CNY", "fob": "FOB",
            "eur": "EUR", "wgi": "WGI", "eu": "EU", "top3": "top-3", "rp": "R/P"}
#: whole names a rule would say badly
LABELS = {"rp_years": "Reserves / production (years)", "abs_change": "Absolute change",
          "rel_change_pct": "Relative change (%)", "value_raw": "Value as printed",
          "source_id": "Source", "claim_id": "Claim", "event_id": "Event",
          "pct_estimated": "Estimated (%)", "hhi_lower": "HHI, lower bound",
          "hhi_upper": "HHI, upper bound", "p_value": "p-value", "trend_p_value": "Trend p-value",
          "top3_share_pct": "Top-3 share (%)", "source_id_new": "Source (new)",
          "source_id_old": "Source (old)", "reserves_is_lower_bound": "Reserves a lower bound?",
          "world_reserves_is_lower_bound": "World reserves a lower bound?",
          "holm_p": "Holm-adjusted p-value",
          "controls_in_force_end_of_year": "Export controls in force, end of data year",
          "controls_in_force_build_date": "Export controls in force, build date",
          "status_data_date": "Status on the data's date",
          "status_build_date": "Status on the as-of date (default: the build date)",
          "us_import_reliance_pct": "U.S. net import reliance (%)",
          "us_import_reliance_qualifier": "Reliance as printed",
          "us_import_reliance_printed": "U.S. net import reliance (%, as printed)",
          "china_reserves_share_printed": "China share of reserves (%; ≤: world a lower bound)",
          "china_share_first_year": "First year (from 2020)",
          "china_share_first_pct": "China share, first year (%)",
          "revised_country_years": "Country-years revised",
          "revised_editions": "Newest revision (editions)"}
_SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")


def column_label(name: object) -> object:
    """A table header for a tidy column name: words, acronyms, the unit in brackets.

    >>> [column_label(c) for c in ("latest_usd_per_kg", "wald_hac_chi2", "china_share_pct",
    ...                            "n_countries", "edition_new", "is_proxy", "MCS 2024")]
    ['Latest (USD/kg)', 'Wald HAC χ²', 'China share (%)', 'Countries (n)', 'Edition (new)', \
'Proxy?', 'MCS 2024']
    """
    if not isinstance(name, str) or name != name.lower() or " " in name:
        return name  # already a label (a pivoted edition, a country)
    if name in LABELS:
        return LABELS[name]
    stem, unit, qualifier, question = name, "", "", False
    for suffix, text in UNIT_SUFFIXES:
        if stem.endswith(suffix) and stem != suffix.lstrip("_"):
            stem, unit = stem[: -len(suffix)], text
            break
    for end in ("_new", "_old", "_lower", "_upper"):
        if stem.endswith(end):
            stem, qualifier = stem[: -len(end)], end[1:]
            break
    if stem.startswith("is_"):
        stem, question = stem[3:], True
    if stem.startswith("n_"):
        stem, unit = stem[2:], unit or "n"
    words = [ACRONYMS.get(w, w) for w in stem.split("_") if w]
    if len(words) > 1 and words[-1] == "p":
        words[-1] = "p-value"
    text = " ".join(words)
    if words and stem.split("_")[0] not in ACRONYMS:
        text = text[:1].upper() + text[1:]
    brackets = ", ".join(b for b in (qualifier, unit) if b)
    return text + ("?" if question else "") + (f" ({brackets})" if brackets else "")


def category_text(value: object) -> object:
    """A snake_case category value as words ('lower_bound' -> 'lower bound'); else as is."""
    if isinstance(value, str) and _SNAKE.match(value):
        return value.replace("_", " ")
    return value


def _is_category(name: object, values: pd.Series) -> bool:
    """A text column of snake_case codes that read as words (not ids, not free text)."""
    if not isinstance(name, str) or name == "id" or name.endswith(("_id", "_ids", "slug")):
        return False
    texts = values.dropna()
    texts = texts[texts.map(lambda v: isinstance(v, str))]
    return bool(len(texts)) and bool(texts.map(lambda v: bool(_SNAKE.match(v))).any()) and \
        bool(texts.str.len().max() <= 40)


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
            elif label.startswith("hhi"):  # an index on 0-10,000, stated in whole points
                formats[name] = "{:,.0f}"
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


def style_table(df: pd.DataFrame, *, max_rows: int = MAX_ROWS,
                links: dict[str, pd.Series] | None = None, sortable: bool = False) -> Styler:
    """``df`` as a styled table for a report: formatted numbers, missing values blank,
    the index hidden when it is only row numbers. The table id is derived from the
    content, so a rebuild writes the same HTML.

    ``links`` maps a column to relative addresses (aligned on ``df``'s index): its cells
    become links, text escaped, and only plain relative addresses are accepted.
    ``sortable`` lets the reader sort the table by a column (the page's one small script).
    """
    shown = df
    if len(df) > max_rows:
        half = max_rows // 2
        shown = pd.concat([df.head(half), df.tail(half)])
    for col, hrefs in (links or {}).items():
        bad = [h for h in hrefs.dropna()
               if not re.fullmatch(r"(\.\./)?[A-Za-z0-9._/#-]+", str(h)) or ".." in
               str(h).removeprefix("../")]
        if bad:
            raise ValueError(f"not a plain relative address: {bad[0]!r}")
        shown = shown.assign(**{col: [
            f'<a href="{html.escape(str(h))}">{html.escape(str(v))}</a>'
            if isinstance(h, str) else html.escape(str(v))
            for v, h in zip(shown[col], hrefs.reindex(shown.index))]})
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
    flags = [c for c in df.columns if pd.api.types.is_bool_dtype(df[c])]
    if flags:  # a flag reads yes/no, not True/False
        styler = styler.format(lambda v: "" if pd.isna(v) else ("yes" if v else "no"),
                               subset=flags)
    categories = [c for c in df.columns if _is_category(c, shown[c])]
    if categories:
        styler = styler.format(category_text, subset=categories, na_rep="", escape="html")
    if not isinstance(df.columns, pd.MultiIndex):
        styler = styler.relabel_index([column_label(c) for c in df.columns], axis="columns")
    if links:  # the cells were rendered as links above: shown as they are
        styler = styler.format(lambda v: v, subset=list(links), escape=None)
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
        'class="dataframe reelib-table' + (' reelib-sortable"' if sortable else '"'))
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
