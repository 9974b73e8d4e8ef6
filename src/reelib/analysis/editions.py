"""Editions side by side: what each covers, long series stitched with visible seams,
and the revisions between editions in a form a chart can show.
"""

from __future__ import annotations

import pandas as pd

from reelib.exceptions import SelectionError
from reelib.processed.tables import latest_view
from reelib.sources.registry import edition_dates


def coverage_table(production: pd.DataFrame, commodity: str = "Rare earths") -> pd.DataFrame:
    """Per edition: source, years covered, number of countries, rows, estimated share.

    Output columns: edition, edition_published, source_id, first_year, last_year,
    n_countries, n_values, pct_estimated.
    """
    rows = production[(production["commodity"] == commodity)]
    if rows.empty:
        raise SelectionError(f"no production rows for {commodity!r}")
    g = rows.groupby(["edition", "edition_published", "source_id"], as_index=False)
    out = g.agg(first_year=("year", "min"), last_year=("year", "max"),
                n_countries=("country_iso3", lambda s: int(
                    s[~s.isin(["WLD", "XOT"])].nunique())),
                n_values=("production_t", "count"),
                pct_estimated=("is_estimate", lambda s: 100 * float(s.mean())))
    return out.sort_values("edition_published").reset_index(drop=True)


def coverage_grid(production: pd.DataFrame, commodity: str = "Rare earths",
                  years: tuple[int, int] = (2018, 0)) -> pd.DataFrame:
    """Country x year table: how many editions report a number for that country-year.

    Rows are countries (named producers, then 'Other countries' and 'World'), columns
    years; 0 means no edition gives a value. An end year of 0 is the newest year of the
    commodity in the data.
    """
    mine = production[production["commodity"] == commodity]
    years = (years[0], years[1] or int(mine["year"].max()))
    rows = mine[mine["year"].between(*years) & mine["production_t"].notna()]
    label = rows["country_iso3"].map({"WLD": "World", "XOT": "Other countries"}).fillna(
        rows["country"])
    grid = (rows.assign(label=label).groupby(["label", "year"])["edition"].nunique()
            .unstack("year", fill_value=0))
    order = sorted(i for i in grid.index if i not in ("World", "Other countries"))
    order += [i for i in ("Other countries", "World") if i in grid.index]
    return grid.loc[order].reindex(columns=range(years[0], years[1] + 1), fill_value=0)


def stitched_series(production: pd.DataFrame, country_iso3: str = "WLD",
                    commodity: str = "Rare earths",
                    measure: str = "Mine production") -> pd.DataFrame:
    """One country's (or the world's) series from the newest edition for each year.

    Output: year, production_t, edition, source_id, is_estimate, is_seam (True in the
    first year of a new edition, where the series switches source).
    """
    rows = production[(production["commodity"] == commodity)
                      & (production["measure"] == measure)]
    latest = latest_view(rows)
    s = latest[latest["country_iso3"] == country_iso3].sort_values("year")
    if s.empty:
        raise SelectionError(f"no {commodity!r} {measure!r} series for {country_iso3!r}")
    s = s.loc[:, ["year", "production_t", "edition", "source_id", "is_estimate"]]
    return s.assign(is_seam=s["edition"].ne(s["edition"].shift()) & s["year"].ne(
        s["year"].min())).reset_index(drop=True)


def overlapping_values(production: pd.DataFrame, country_iso3: str = "WLD",
                       commodity: str = "Rare earths") -> pd.DataFrame:
    """Every edition's value for the years that more than one edition reports."""
    rows = production[(production["commodity"] == commodity)
                      & (production["country_iso3"] == country_iso3)
                      & production["production_t"].notna()]
    n = rows.groupby("year")["edition"].transform("nunique")
    return rows[n > 1].loc[:, ["year", "edition", "source_id", "production_t",
                               "is_estimate"]].sort_values(["year", "edition"]).reset_index(
        drop=True)


def revision_summary(revisions: pd.DataFrame, table: str = "production",
                     years: list[int] | None = None, min_abs_pct: float = 0.0) -> pd.DataFrame:
    """The revisions of one table worth showing: changed values, largest first.

    Keeps rows whose kind is not 'unchanged', optionally for some years and with an
    absolute relative change of at least ``min_abs_pct``.
    """
    r = revisions[(revisions["table"] == table) & (revisions["change_kind"] != "unchanged")]
    if years:
        r = r[r["year"].isin(years)]
    r = r[r["rel_change_pct"].abs().fillna(100) >= min_abs_pct]
    r = r.assign(_a=r["abs_change"].abs()).sort_values(["year", "_a"],
                                                        ascending=[True, False])
    cols = ["country", "year", "edition_old", "edition_new", "value_old", "value_new",
            "abs_change", "rel_change_pct", "change_kind", "detail", "source_id_old",
            "source_id_new"]
    if table == "reserves":  # each edition reports reserves for its own year
        r = r.rename(columns={"year": "reserves_year_new", "year_old": "reserves_year_old"})
        cols = ["country", "edition_old", "reserves_year_old", "edition_new",
                "reserves_year_new", *cols[4:]]
    if table == "prices_annual":
        cols = ["series"] + cols
    return r.loc[:, cols].reset_index(drop=True)


def newest_edition(table: pd.DataFrame, commodity: str | None = None) -> str:
    """The newest edition (by publication date) in ``table`` -- of ``commodity``'s rows
    when given. Reports default to it, so a newly registered edition takes over by itself.

    >>> newest_edition(pd.DataFrame({"edition": ["MCS 2025", "MCS 2026"],
    ...                              "edition_published": ["2025-01", "2026-02-06"],
    ...                              "commodity": ["Rare earths", "Tin"]}), "Rare earths")
    'MCS 2025'
    """
    rows = table if commodity is None else table[table["commodity"] == commodity]
    if rows.empty:
        raise SelectionError(f"no rows for {commodity!r}; nothing to pick an edition from")
    return str(rows.sort_values("edition_published", kind="mergesort")["edition"].iloc[-1])


def newest_pair(revisions: pd.DataFrame, commodity: str, measure: str | None = None,
                table: str = "production") -> tuple[pd.DataFrame, str]:
    """The revision rows of the newest pair of editions (by publication date) that print a
    common year of ``commodity`` (and ``measure``), and the pair as 'old -> new' ('' when
    no two editions overlap). A revision needs two editions printing the same year."""
    r = revisions[(revisions["table"] == table) & (revisions["commodity"] == commodity)]
    if measure:
        r = r[r["measure"] == measure]
    if r.empty:
        return r, ""
    dates = edition_dates()  # order editions by publication, never by their names
    newest = max(r["edition_new"].unique(), key=lambda e: dates.get(str(e), ""))
    r = r[r["edition_new"] == newest]
    return r, f"{r['edition_old'].iloc[0]} -> {newest}"

