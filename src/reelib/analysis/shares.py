"""Shares, top-n concentration and the Herfindahl-Hirschman index with honest bounds.

Shares are taken of the published world total when there is one (as USGS does: China
270,000 t of a world 380,000 t is 71%), otherwise of the sum of the rows. Totals are never
added to country rows: only ``entity == 'country'`` rows are ranked, "Other countries"
(``entity == 'residual'``) is kept as an unallocated remainder.

"Other countries" hides producers, so the HHI is an interval, not a number:

* lower bound: the remainder is spread over many tiny producers (adds nothing);
* upper bound: the remainder is one producer (adds its share squared).

The remainder also absorbs any mass the named rows leave unexplained (withheld values,
for instance).

The rounding rule, applied here and nowhere else: USGS rounds the world total and each
country separately, so the listed rows (countries and "Other countries") can add up to
more than the printed total. Shares stay shares of the printed total, as the publisher
computes them (China 270,000 t of 380,000 t is 71.1%), but no share and no CR-n is shown
above 100%: a share of 101% or a CR3 of 101% would claim a precision the table does not
have. The HHI interval covers both the printed total and the rows' own sum when the gap
is a rounding gap (within ``ROUNDING_GAP_MAX`` points). ``denominator_kind`` names the
case (``ROWS_ABOVE_TOTAL`` within rounding, ``ROWS_FAR_ABOVE_TOTAL`` beyond it: then a
figure is inconsistent with the total, not rounded), ``rounding_gap_pct`` gives the gap
(rows minus total, in points of the printed total), and the pages state the rule where
it applies. Where the rows add up to less, the missing mass joins the remainder.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reelib.analysis.concentration import hhi_band, hhi_bounds, ranks_desc
from reelib.analysis.editions import stitched_series
from reelib.exceptions import BasisMismatchError, InsufficientDataError, SelectionError
from reelib.processed.tables import latest_view
from reelib.reference.countries import display_name

__all__ = ["compute_shares", "concentration", "hhi_band", "long_run_share", "select_series",
           "share_of", "summarise_year"]


#: largest difference (points) between the rows' sum and the world total read as rounding
ROUNDING_GAP_MAX = 2.0
#: the denominator kind where the listed rows add up to more than the published total
ROWS_ABOVE_TOTAL = "world total (rows above it by rounding)"
#: ... and where they add up to more than rounding explains (the printed total is kept)
ROWS_FAR_ABOVE_TOTAL = "world total (rows above it by more than rounding)"


def select_series(table: pd.DataFrame, commodity: str, *, measure: str | None = None,
                  vintage: str = "latest", value: str = "production_t",
                  years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Pick one commodity and measure from a production/reserves table under a vintage.

    ``vintage`` is ``"latest"`` (newest edition per year) or an edition such as
    ``"MCS 2025"``. ``measure`` may be omitted when the commodity has only one.
    Raises ``SelectionError`` listing what is available when the choice is empty.
    """
    rows = table[table["commodity"] == commodity]
    if rows.empty:
        raise SelectionError(f"commodity {commodity!r} not found; available: "
                             f"{sorted(table['commodity'].unique())}")
    measures = sorted(rows["measure"].unique())
    if measure is None or measure == "":
        if len(measures) != 1:
            raise SelectionError(f"{commodity!r} has several measures {measures}; name one")
        measure = measures[0]
    if measure not in measures:
        raise SelectionError(f"{commodity!r} has no measure {measure!r}; available: {measures}")
    rows = rows[rows["measure"] == measure]
    if vintage == "latest":
        rows = latest_view(rows)
    else:
        editions = sorted(rows["edition"].unique())
        if vintage not in editions:
            raise SelectionError(f"{commodity!r} {measure!r} has no edition {vintage!r}; "
                                 f"available: {editions}")
        rows = rows[rows["edition"] == vintage]
    if years is not None:  # an end year of 0 is the newest year in the data
        rows = rows[rows["year"].between(years[0], years[1] or rows["year"].max())]
    if rows.empty:
        raise SelectionError(f"no {commodity!r} {measure!r} rows for {vintage!r} in {years}")
    return rows.rename(columns={value: "value"}).reset_index(drop=True)


_SHARES_INPUT = ("year", "country", "country_iso3", "entity", "value", "edition",
                 "is_estimate", "caveats")
_SHARES_COLUMNS = ["year", "country", "country_iso3", "entity", "value", "denominator",
                   "denominator_kind", "share_pct", "share_of_rows_pct", "rank", "edition",
                   "is_estimate", "caveats"]


def _check_one_basis(year: np.ndarray, basis: np.ndarray) -> None:
    """Refuse a year whose rows are on different bases (the first such year)."""
    for y in np.unique(year):
        found = sorted({b for b in basis[year == y] if not pd.isna(b)})
        if len(found) > 1:
            raise BasisMismatchError(
                f"{y}: rows on different bases {found}"
                "; shares would mix quantities -- select one measure/basis")


def _sort_codes(labels: np.ndarray) -> np.ndarray:
    """Integer keys that sort ``labels`` as pandas sorts strings, missing ones last."""
    missing = np.array([pd.isna(x) for x in labels], dtype=bool)
    names = sorted(set(labels[~missing]))
    code = {name: i for i, name in enumerate(names)}
    return np.array([len(names) if m else code[x] for x, m in zip(labels, missing)],
                    dtype="int64")


def compute_shares(rows: pd.DataFrame) -> pd.DataFrame:
    """Return each country's share of the world per year, on one declared denominator.

    The denominator is the published world total when there is one (``denominator_kind``
    'world total'), otherwise the sum of the rows. Because USGS rounds its world total and
    its country figures separately, the rows rarely add up to it exactly; the share of the
    rows' own sum is given beside it as a sensitivity (``share_of_rows_pct``, missing in a
    year whose rows sum to nothing). Rows without a year are left out.

    Input: rows from ``select_series`` (``value``, ``entity``, ``country_iso3``, ...).
    Output, one row per country-year (plus the ``XOT`` remainder row), by year, countries
    by rank, then the remainder: year, country, country_iso3, entity, value, denominator,
    denominator_kind, share_pct, share_of_rows_pct, rank (countries only; ties share the
    best rank), edition, is_estimate, caveats.
    """
    # The years' totals, ranks and order come from numpy arrays and the frame is taken
    # once: a loop of DataFrame operations per year paid pandas' per-call overhead a
    # dozen times a year (the atlas calls this ~75 times, each of the 74 shares reports
    # once).
    dated = np.flatnonzero(rows["year"].notna().to_numpy(dtype=bool))
    year = rows["year"].to_numpy(dtype="float64", na_value=np.nan)[dated].astype("int64")
    if "basis" in rows.columns:
        _check_one_basis(year, rows["basis"].to_numpy(dtype=object)[dated])
    entity = rows["entity"].to_numpy(dtype=object, na_value="")[dated]
    value = rows["value"].to_numpy(dtype="float64", na_value=np.nan)[dated]
    is_world, is_country = entity == "world", entity == "country"
    is_residual = entity == "residual"
    years = np.unique(year)
    at = np.searchsorted(years, year)  # each row's year
    denom, row_sum = np.zeros(len(years)), np.zeros(len(years))
    published = np.zeros(len(years), dtype=bool)
    over = np.zeros(len(years), dtype=bool)
    beyond = np.zeros(len(years), dtype=bool)
    rank = np.full(len(year), np.nan)
    for i in range(len(years)):
        here = at == i
        world = value[here & is_world]
        world = world[~np.isnan(world)]
        if len(world) > 1:
            raise BasisMismatchError(f"{years[i]}: {len(world)} world totals; "
                                     "select one edition")
        row_sum[i] = (np.nansum(value[here & is_country])
                      + np.nansum(value[here & is_residual]))
        published[i] = len(world) == 1 and world[0] > 0
        denom[i] = world[0] if published[i] else row_sum[i]
        if published[i] and row_sum[i] > world[0]:  # the rounding rule (module doc)
            if row_sum[i] <= world[0] * (1 + ROUNDING_GAP_MAX / 100):
                over[i] = True
            else:
                beyond[i] = True
        ranked = np.flatnonzero(here & is_country & ~np.isnan(value))
        rank[ranked] = ranks_desc(value[ranked])
    if not (denom > 0).any():
        raise InsufficientDataError("no year has a positive total")
    named = np.flatnonzero((is_country | is_residual) & (denom[at] > 0))
    country = rows["country"].to_numpy(dtype=object)[dated][named]
    # by year, countries before the remainder, rank (missing last), country name; ties
    # in input order (lexsort is stable)
    order = named[np.lexsort((_sort_codes(country), np.nan_to_num(rank[named], nan=np.inf),
                              is_residual[named], year[named]))]
    keep = [rows.columns.get_loc(c) for c in _SHARES_INPUT if c in rows.columns]
    df = rows.iloc[dated[order], keep].reset_index(drop=True)
    at = at[order]
    df["denominator"] = denom[at]
    df["denominator_kind"] = np.select(
        [over[at], beyond[at], published[at]],
        [ROWS_ABOVE_TOTAL, ROWS_FAR_ABOVE_TOTAL, "world total"], "sum of rows")
    # no share claims more than all of the printed total
    df["share_pct"] = (100 * df["value"] / df["denominator"]).clip(upper=100.0)
    df["share_of_rows_pct"] = (100 * df["value"] / row_sum[at]).mask(row_sum[at] <= 0)
    rank = rank[order]
    df["rank"] = pd.arrays.IntegerArray(np.nan_to_num(rank).astype("int64"), np.isnan(rank))
    if "caveats" not in df.columns:
        df["caveats"] = ""
    return df.loc[:, _SHARES_COLUMNS]


_CONCENTRATION_COLUMNS = ["year", "top_country", "cr1_pct", "cr3_pct", "hhi_lower",
                          "hhi_upper", "named_share_pct", "remainder_pct",
                          "rounding_gap_pct", "n_countries", "denominator_kind"]


def _year_concentration(country: np.ndarray, share: np.ndarray, rows_share: np.ndarray,
                        value: np.ndarray, denominator: np.ndarray, is_country: np.ndarray,
                        is_residual: np.ndarray) -> dict:
    """``concentration`` of one year, from its rows as arrays (NaN for missing)."""
    named = is_country & ~np.isnan(share)
    order = np.argsort(-share[named], kind="stable")  # largest first
    s = share[named][order] / 100
    residual = np.nansum(share[is_residual]) / 100
    total = denominator[0] if len(denominator) else np.nan
    # from the values, not the shares: a share is capped at 100% and would hide the gap
    gap = float((np.nansum(value[is_country]) + np.nansum(value[is_residual])) / total - 1)
    gap = 0.0 if abs(gap) < 1e-9 else gap  # float noise
    remainder = residual + max(-gap, 0.0)  # withheld or unexplained mass counts too
    bounds = [hhi_bounds(s, remainder)]
    rows_s = rows_share[named][order] / 100
    if (not np.isnan(value[is_country]).any() and abs(gap) <= ROUNDING_GAP_MAX / 100
            and not np.isnan(rows_s).any()):
        bounds.append(hhi_bounds(rows_s, float(np.nansum(rows_share[is_residual])) / 100))
    return dict(
        top_country=country[named][order][0] if len(s) else pd.NA,
        cr1_pct=min(100.0, 100 * float(s[:1].sum())),
        cr3_pct=min(100.0, 100 * float(s[:3].sum())),
        hhi_lower=min(10_000.0, min(b[0] for b in bounds)),
        hhi_upper=min(10_000.0, max(b[1] for b in bounds)),
        named_share_pct=float(share[named].sum()), remainder_pct=100 * remainder,
        rounding_gap_pct=100 * gap, n_countries=int((value[named] > 0).sum()))


def concentration(shares: pd.DataFrame) -> pd.DataFrame:
    """Return per year: the top producer, CR1, CR3, HHI bounds and the remainder.

    CR-n are shares of the declared denominator (so CR1 is the top producer's share,
    exactly as stated elsewhere). The HHI is an interval: its lower bound spreads the
    unallocated remainder over many tiny producers, its upper bound gives it to one, and
    both are taken on the published world total and on the rows' own sum, so the rounding
    gap between the two (``rounding_gap_pct``: rows minus total, in points) is inside it.
    The rows' sum is used only when every country reports a value and the gap is a
    rounding gap (within ``ROUNDING_GAP_MAX`` points): with values withheld it is not a
    plausible total.

    Columns: year, top_country, cr1_pct, cr3_pct, hhi_lower, hhi_upper (0-10,000),
    named_share_pct, remainder_pct, rounding_gap_pct, n_countries, denominator_kind.
    """
    dated = shares["year"].notna().to_numpy(dtype=bool)
    year = shares["year"].to_numpy(dtype="float64", na_value=np.nan)
    order = np.flatnonzero(dated)[np.argsort(year[dated], kind="stable")]
    year = year[order].astype("int64")
    rows_share = (shares["share_of_rows_pct"].to_numpy(dtype="float64", na_value=np.nan)
                  if "share_of_rows_pct" in shares else np.full(len(shares), np.nan))
    entity = shares["entity"].to_numpy(dtype=object, na_value="")[order]
    arrays = dict(
        country=shares["country"].to_numpy(dtype=object)[order],
        share=shares["share_pct"].to_numpy(dtype="float64", na_value=np.nan)[order],
        rows_share=rows_share[order],
        value=shares["value"].to_numpy(dtype="float64", na_value=np.nan)[order],
        denominator=shares["denominator"].to_numpy(dtype="float64", na_value=np.nan)[order],
        is_country=entity == "country", is_residual=entity == "residual")
    kinds = shares["denominator_kind"].to_numpy(dtype=object)[order]
    starts = np.flatnonzero(np.r_[True, year[1:] != year[:-1]]) if len(year) else []
    out = []
    for i, j in zip(starts, [*starts[1:], len(year)]):  # one numpy pass per year
        out.append(dict(year=year[i], **_year_concentration(
            **{k: v[i:j] for k, v in arrays.items()}), denominator_kind=kinds[i]))
    return pd.DataFrame(out, columns=_CONCENTRATION_COLUMNS).astype(
        {"year": "Int64", "n_countries": "Int64", "top_country": "str",
         "denominator_kind": "str"})


def share_of(shares: pd.DataFrame, country_iso3: str) -> pd.DataFrame:
    """Return one country's share per year (year, country, country_iso3, value, share_pct,
    denominator, edition, is_estimate)."""
    rows = shares[shares["country_iso3"] == country_iso3]
    return rows.loc[:, ["year", "country", "country_iso3", "value", "share_pct", "denominator",
                        "edition", "is_estimate"]].reset_index(drop=True)


def long_run_share(production: pd.DataFrame, country_iso3: str,
                   commodity: str = "Rare earths", measure: str = "Mine production"
                   ) -> pd.DataFrame:
    """A country's share of world production over every year the sources cover.

    Country and world values come from the newest edition for each year (DS140 before
    the yearbook years, then the yearbook and MCS editions); both must come from the same
    edition in a year. Output: year, value, world_t, share_pct, edition; years where the
    country's value is not available (NA, withheld) are left out.
    """
    country = stitched_series(production, country_iso3, commodity, measure)
    world = stitched_series(production, "WLD", commodity, measure)
    both = country.merge(world, on=["year", "edition"], suffixes=("", "_world"))
    return pd.DataFrame({
        "year": both["year"], "value": both["production_t"],
        "world_t": both["production_t_world"],
        "share_pct": 100 * both["production_t"] / both["production_t_world"],
        "edition": both["edition"], "source_id": both["source_id"],
    }).dropna(subset=["share_pct"]).reset_index(drop=True)


def summarise_year(shares: pd.DataFrame, conc: pd.DataFrame, year: int,
                   country_iso3: str = "CHN") -> dict:
    """Headline numbers of one year: world total, a country's share, top producer, CR3,
    HHI bounds and the edition they come from (missing values as None)."""
    s = shares[shares["year"] == year]
    c = conc[conc["year"] == year]
    if s.empty or c.empty:
        raise SelectionError(f"no shares for {year}")
    row = s[s["country_iso3"] == country_iso3]
    c0 = c.iloc[0]
    return {
        "year": int(year), "edition": str(s["edition"].iloc[0]),
        "world_total": float(s["denominator"].iloc[0]),
        "denominator_kind": str(s["denominator_kind"].iloc[0]),
        "country_share_pct": float(row["share_pct"].iloc[0]) if len(row) else None,
        "country_value": float(row["value"].iloc[0]) if len(row) else None,
        "top_country": str(c0["top_country"]), "cr1_pct": float(c0["cr1_pct"]),
        "cr3_pct": float(c0["cr3_pct"]), "hhi_lower": float(c0["hhi_lower"]),
        "hhi_upper": float(c0["hhi_upper"]), "remainder_pct": float(c0["remainder_pct"]),
    }


#: above this relative gap between the two compilers' China figures, a year is listed
COMPILER_GAP_PCT = 10.0


def long_china_share(production: pd.DataFrame, compilers: pd.DataFrame,
                     commodity: str = "Rare earths",
                     measure: str = "Mine production") -> pd.DataFrame:
    """China's share of world production over every year a source covers it.

    Primary USGS editions wherever they give China and the world for a year (the newest
    edition per year, as ``long_run_share``); before that, the secondary compilation of
    the newest MCS value per year (``production_compilers``, compiler USGS). Columns: year,
    china_t, world_t, china_share_pct, basis ('primary' or 'secondary'), edition,
    source_id, caveats (of the primary China row), is_seam (first year of a new source),
    usgs_printed_quota (some USGS edition in the sources printed China's figure for the
    year as the official production quota).
    """
    try:
        primary = long_run_share(production, "CHN", commodity, measure)
    except SelectionError:  # China produces none of it (or the edition gives no value)
        primary = pd.DataFrame(columns=["year", "value", "world_t", "share_pct", "edition",
                                        "source_id"])
    china_rows = production[(production["commodity"] == commodity)
                            & (production["measure"] == measure)
                            & (production["country_iso3"] == "CHN")]
    caveat = china_rows.set_index(["year", "edition"])["caveats"]
    out = [pd.DataFrame({
        "year": primary["year"].astype("Int64"), "china_t": primary["value"],
        "world_t": primary["world_t"], "china_share_pct": primary["share_pct"],
        "basis": "primary", "edition": primary["edition"], "source_id": primary["source_id"],
        "caveats": [str(caveat.get((y, e), "")) for y, e in
                    zip(primary["year"], primary["edition"])],
    })]
    first = int(primary["year"].min()) if len(primary) else 10_000
    mine = compilers[(compilers["commodity"] == commodity) & (compilers["measure"] == measure)]
    usgs = mine[(mine["compiler"] == "USGS") & (mine["year"] < first)]
    if len(usgs):
        wide = usgs.pivot_table(index="year", columns="country_iso3", values="production_t",
                                aggfunc="first")
        meta = usgs.drop_duplicates("year").set_index("year")
        out.insert(0, pd.DataFrame({
            "year": wide.index.astype("int64"), "china_t": wide["CHN"].to_numpy(),
            "world_t": wide["WLD"].to_numpy(),
            "china_share_pct": (100 * wide["CHN"] / wide["WLD"]).to_numpy(),
            "basis": "secondary", "edition": meta.loc[wide.index, "edition"].to_numpy(),
            "source_id": meta.loc[wide.index, "source_id"].to_numpy(), "caveats": "",
        }))
    df = pd.concat(out, ignore_index=True).sort_values("year").reset_index(drop=True)
    df["is_seam"] = df["source_id"].ne(df["source_id"].shift()) & (df.index > 0)
    # a year is a quota year if any USGS edition printed China's figure as the quota, even
    # when the newest edition dropped the footnote (MCS 2026 v1.1 for 2024)
    quota_years = set(china_rows.loc[china_rows["caveats"].fillna("").str.contains(
        "production quota"), "year"].dropna().astype(int))
    df["usgs_printed_quota"] = df["year"].astype(int).isin(quota_years)
    return df.astype({"year": "Int64", "china_t": "Float64", "world_t": "Float64",
                      "china_share_pct": "Float64", "basis": "string", "edition": "string",
                      "source_id": "string", "caveats": "string", "is_seam": "bool",
                      "usgs_printed_quota": "bool"})


def compare_compilers(long_share: pd.DataFrame, compilers: pd.DataFrame,
                      commodity: str = "Rare earths",
                      measure: str = "Mine production") -> pd.DataFrame:
    """USGS (the long series above) beside BGS, year by year, where both exist.

    Columns: year, usgs_china_t, bgs_china_t, china_gap_pct (BGS minus USGS, % of USGS),
    usgs_share_pct, bgs_share_pct, share_gap_pp, usgs_basis, usgs_caveats,
    usgs_printed_quota, is_listed (China figures differ by more than ``COMPILER_GAP_PCT``).
    """
    bgs = compilers[(compilers["compiler"] == "BGS") & (compilers["country_iso3"] == "CHN")
                    & (compilers["commodity"] == commodity) & (compilers["measure"] == measure)]
    both = long_share.merge(bgs.loc[:, ["year", "production_t", "china_share_pct"]]
                            .rename(columns={"production_t": "bgs_china_t",
                                             "china_share_pct": "bgs_share_pct"}),
                            on="year", how="inner")
    gap = 100 * (both["bgs_china_t"] - both["china_t"]) / both["china_t"]
    out = pd.DataFrame({
        "year": both["year"], "usgs_china_t": both["china_t"],
        "bgs_china_t": both["bgs_china_t"], "china_gap_pct": gap,
        "usgs_share_pct": both["china_share_pct"], "bgs_share_pct": both["bgs_share_pct"],
        "share_gap_pp": both["bgs_share_pct"] - both["china_share_pct"],
        "usgs_basis": both["basis"], "usgs_caveats": both["caveats"],
        "usgs_printed_quota": both["usgs_printed_quota"] if "usgs_printed_quota" in both
        else False,
    })
    out["is_listed"] = out["china_gap_pct"].abs() > COMPILER_GAP_PCT
    return out.astype({"year": "Int64", "china_gap_pct": "Float64",
                       "share_gap_pp": "Float64", "is_listed": "bool"})


#: fewer years than this are shown as a table, not drawn (two points make no trend)
MIN_YEARS_TO_DRAW = 3


def focus_table(shares: pd.DataFrame, countries: list[str]) -> pd.DataFrame:
    """The focus countries' shares by year, one column per year (share_pct), largest
    first: the table a short series gets instead of a chart."""
    d = shares[shares["country_iso3"].isin(countries)]
    if d.empty:
        return pd.DataFrame(columns=["country"])
    wide = d.pivot_table(index="country", columns="year", values="share_pct", aggfunc="first")
    wide.columns = [f"share_{int(y)}_pct" for y in wide.columns]
    return wide.sort_values(wide.columns[-1], ascending=False).reset_index()


def top_producers(shares: pd.DataFrame, n: int = 4) -> list[str]:
    """ISO3 codes of the ``n`` largest producing countries in the latest year."""
    last = shares[(shares["year"] == shares["year"].max()) & (shares["entity"] == "country")]
    return last.sort_values("share_pct", ascending=False)["country_iso3"].head(n).tolist()


#: a country "dominates" a year when its share is at least this (percent of the world)
DOMINANCE_PCT = 50.0


def dominance_period(long_share: pd.DataFrame, threshold: float = DOMINANCE_PCT) -> dict | None:
    """The longest run of consecutive years with a share of at least ``threshold`` (a
    ``long_run_share`` frame): start, end, years, median, lowest and highest share, and the
    median world total. A single year's peak can rest on an outlier world total (the U.S.
    81% of 1950 rests on a world total of 470 t); a run of years does not."""
    d = long_share.dropna(subset=["share_pct"]).sort_values("year")
    years = d["year"].astype(int).to_numpy()
    above = (d["share_pct"].astype(float) >= threshold).to_numpy()
    best, start = None, None
    for i in range(len(years)):
        consecutive = i > 0 and years[i] == years[i - 1] + 1 and above[i - 1]
        if above[i] and not consecutive:
            start = i
        if above[i] and (best is None or i - start > best[1] - best[0]):
            best = (start, i)
    if best is None or best[1] == best[0]:
        return None  # no run of two years or more
    run = d.iloc[best[0]:best[1] + 1]
    return {"start": int(run["year"].iloc[0]), "end": int(run["year"].iloc[-1]),
            "years": len(run), "median_pct": float(run["share_pct"].median()),
            "min_pct": float(run["share_pct"].min()), "max_pct": float(run["share_pct"].max()),
            "median_world_t": float(run["world_t"].median()),
            "edition": str(run["edition"].iloc[-1]), "source_id": str(run["source_id"].iloc[-1])}


def world_below_china(world: pd.DataFrame, long_china: pd.DataFrame) -> pd.DataFrame:
    """Years where a chart's world total (``editions.stitched_series`` of the world) is
    below China's own figure in the China-share series (``long_china_share``): a world
    total cannot be smaller than one country, so the two series come from sources that
    disagree, and a page drawing both must say so. Columns: year, world_t, world_source,
    china_t, china_world_t (the world total the China share uses), china_source."""
    both = world.loc[:, ["year", "production_t", "source_id"]].rename(
        columns={"production_t": "world_t", "source_id": "world_source"}).merge(
        long_china.loc[:, ["year", "china_t", "world_t", "source_id"]].rename(
            columns={"world_t": "china_world_t", "source_id": "china_source"}),
        on="year")
    out = both[both["world_t"].astype(float) < both["china_t"].astype(float)]
    return out.loc[:, ["year", "world_t", "world_source", "china_t", "china_world_t",
                       "china_source"]].reset_index(drop=True)


def bgs_shares(production_bgs: pd.DataFrame, commodity: str = "Rare earths") -> pd.DataFrame:
    """Country shares of the BGS world total per year (``compute_shares`` on the processed
    ``production_bgs`` table: listed producers, the world total and the unlisted rest)."""
    rows = production_bgs[production_bgs["commodity"] == commodity]
    if rows.empty:
        return pd.DataFrame(columns=_SHARES_COLUMNS)
    out = compute_shares(rows.rename(columns={"production_t": "value"}).assign(
        is_estimate=False, caveats="BGS (secondary)"))
    return out.assign(source_id=str(rows["source_id"].iloc[0]))  # for captions and facts


def share_milestones(shares: pd.DataFrame, iso3: str) -> dict | None:
    """A country's path in a shares table: first and last year listed, share then, and the
    year of its highest share (None when never listed). A year the country is not listed
    among the largest producers is a gap, not a zero."""
    s = shares[shares["country_iso3"] == iso3].dropna(subset=["share_pct"]).sort_values("year")
    if s.empty:
        return None
    top = s.loc[s["share_pct"].astype(float).idxmax()]
    listed = set(s["year"].astype(int))
    all_years = sorted(set(shares["year"].dropna().astype(int)))
    inside = [y for y in all_years if int(s["year"].iloc[0]) < y < int(s["year"].iloc[-1])]
    gaps, start = [], None
    for y in inside + [None]:  # runs of years inside the span where it is not listed
        if y is not None and y not in listed:
            start = y if start is None else start
            end = y
        elif start is not None:
            gaps.append((start, end))
            start = None
    return {"iso3": iso3, "country": str(s["country"].iloc[0]), "gaps": gaps,
            "first_year": int(s["year"].iloc[0]), "first_pct": float(s["share_pct"].iloc[0]),
            "last_year": int(s["year"].iloc[-1]), "last_pct": float(s["share_pct"].iloc[-1]),
            "peak_year": int(top["year"]), "peak_pct": float(top["share_pct"]),
            "years_listed": int(s["year"].nunique())}


#: the countries whose paths the BGS section follows: the rise, the U.S. closure and
#: restart, and the newer producers
BGS_STORY = ("CHN", "USA", "AUS", "MMR")


def bgs_lines(bgs: pd.DataFrame, long_china: pd.DataFrame,
              countries: tuple[str, ...] = BGS_STORY) -> dict[str, pd.DataFrame]:
    """Share lines for a chart: each country in ``countries`` from BGS, and China from the
    USGS long series (``long_china_share``) beside them for comparison."""
    lines = {f"{display_name(iso)} (BGS)": share_of(bgs, iso) for iso in countries
             if (bgs["country_iso3"] == iso).any()}
    if len(long_china):
        lines["China (USGS)"] = long_china.loc[:, ["year", "china_share_pct"]].rename(
            columns={"china_share_pct": "share_pct"})
    return lines

