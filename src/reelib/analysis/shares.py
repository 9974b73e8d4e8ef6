"""Shares, top-n concentration and the Herfindahl-Hirschman index with honest bounds.

Shares are taken of the published world total when there is one (as USGS does: China
270,000 t of a world 380,000 t is 71%), otherwise of the sum of the rows. Totals are never
added to country rows: only ``entity == 'country'`` rows are ranked, "Other countries"
(``entity == 'residual'``) is kept as an unallocated remainder.

"Other countries" hides producers, so the HHI is an interval, not a number:

* lower bound: the remainder is spread over many tiny producers (adds nothing);
* upper bound: the remainder is one producer (adds its share squared).

The remainder also absorbs any mass the named rows leave unexplained (withheld values,
for instance). When USGS rounds the world total, the rows can add up to slightly more
than 100% of it; CR-n and the HHI are then taken of the rows' own sum (so they stay
within 100% and 10,000) and the overshoot is reported.
"""

from __future__ import annotations

import pandas as pd

from reelib.analysis.concentration import hhi_band, hhi_bounds, rank_within
from reelib.analysis.editions import stitched_series
from reelib.exceptions import BasisMismatchError, InsufficientDataError, SelectionError
from reelib.processed.tables import latest_view

__all__ = ["compute_shares", "concentration", "hhi_band", "long_run_share", "select_series",
           "share_of", "summarise_year"]


#: largest difference (points) between the rows' sum and the world total read as rounding
ROUNDING_GAP_MAX = 2.0


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
    if years is not None:
        rows = rows[rows["year"].between(*years)]
    if rows.empty:
        raise SelectionError(f"no {commodity!r} {measure!r} rows for {vintage!r} in {years}")
    return rows.rename(columns={value: "value"}).reset_index(drop=True)


def _check_one_basis(rows: pd.DataFrame) -> None:
    per_year = rows.groupby("year")["basis"].nunique()
    if (per_year > 1).any():
        year = int(per_year[per_year > 1].index[0])
        raise BasisMismatchError(
            f"{year}: rows on different bases "
            f"{sorted(rows.loc[rows['year'] == year, 'basis'].unique())}"
            "; shares would mix quantities -- select one measure/basis")


_SHARES_INPUT = ("year", "country", "country_iso3", "entity", "value", "edition",
                 "is_estimate", "caveats")


def compute_shares(rows: pd.DataFrame) -> pd.DataFrame:
    """Return each country's share of the world per year, on one declared denominator.

    The denominator is the published world total when there is one (``denominator_kind``
    'world total'), otherwise the sum of the rows. Because USGS rounds its world total and
    its country figures separately, the rows rarely add up to it exactly; the share of the
    rows' own sum is given beside it as a sensitivity (``share_of_rows_pct``).

    Input: rows from ``select_series`` (``value``, ``entity``, ``country_iso3``, ...).
    Output, one row per country-year (plus the ``XOT`` remainder row): year, country,
    country_iso3, entity, value, denominator, denominator_kind, share_pct,
    share_of_rows_pct, rank (countries only), edition, is_estimate, caveats.
    """
    _check_one_basis(rows)
    # only the columns the result uses: every step below costs per column
    rows = rows.loc[:, [c for c in _SHARES_INPUT if c in rows.columns]]
    out = []
    for year, g in rows.groupby("year", sort=True):
        world = g.loc[g["entity"] == "world", "value"].dropna()
        countries = g[g["entity"] == "country"]
        residual = g[g["entity"] == "residual"]
        if len(world) > 1:
            raise BasisMismatchError(f"{year}: {len(world)} world totals; select one edition")
        row_sum = float(countries["value"].sum() + residual["value"].sum())
        if len(world) == 1 and world.iloc[0] > 0:
            denom, kind = float(world.iloc[0]), "world total"
        else:
            denom, kind = row_sum, "sum of rows"
        if denom <= 0:
            continue
        part = pd.concat([countries, residual]).assign(
            denominator=denom, denominator_kind=kind,
            share_pct=lambda d: 100 * d["value"] / denom,
            share_of_rows_pct=lambda d: 100 * d["value"] / row_sum if row_sum > 0 else pd.NA)
        out.append(part)
    if not out:
        raise InsufficientDataError("no year has a positive total")
    df = pd.concat(out, ignore_index=True)
    df["rank"] = rank_within(df, "year", "value", df["entity"] == "country")
    if "caveats" not in df.columns:
        df["caveats"] = ""
    cols = ["year", "country", "country_iso3", "entity", "value", "denominator",
            "denominator_kind", "share_pct", "share_of_rows_pct", "rank", "edition",
            "is_estimate", "caveats"]
    return df.loc[:, cols].sort_values(["year", "entity", "rank", "country"],
                                       kind="mergesort").reset_index(drop=True)


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
    out = []
    for year, g in shares.groupby("year", sort=True):
        c = g[(g["entity"] == "country") & g["share_pct"].notna()].sort_values(
            "share_pct", ascending=False)
        s = c["share_pct"] / 100
        residual = g.loc[g["entity"] == "residual", "share_pct"].fillna(0).sum() / 100
        gap = float(s.sum() + residual - 1)
        gap = 0.0 if abs(gap) < 1e-9 else gap  # float noise
        remainder = residual + max(-gap, 0.0)  # withheld or unexplained mass counts too
        bounds = [hhi_bounds(s, remainder)]
        complete = g.loc[g["entity"] == "country", "value"].notna().all()
        if (complete and abs(gap) <= ROUNDING_GAP_MAX / 100 and "share_of_rows_pct" in c
                and c["share_of_rows_pct"].notna().all()):
            rows_s = c["share_of_rows_pct"].astype(float) / 100
            rows_rest = g.loc[g["entity"] == "residual", "share_of_rows_pct"].fillna(0).sum()
            bounds.append(hhi_bounds(rows_s, float(rows_rest) / 100))
        out.append(dict(
            year=year,
            top_country=c["country"].iloc[0] if len(c) else pd.NA,
            cr1_pct=100 * float(s.iloc[:1].sum()), cr3_pct=100 * float(s.iloc[:3].sum()),
            hhi_lower=min(b[0] for b in bounds), hhi_upper=max(b[1] for b in bounds),
            named_share_pct=float(c["share_pct"].sum()), remainder_pct=100 * remainder,
            rounding_gap_pct=100 * gap, n_countries=int((c["value"] > 0).sum()),
            denominator_kind=g["denominator_kind"].iloc[0],
        ))
    return pd.DataFrame(out).astype({"year": "Int64", "n_countries": "Int64"})


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
    source_id, caveats (of the primary China row), is_seam (first year of a new source).
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
    return df.astype({"year": "Int64", "china_t": "Float64", "world_t": "Float64",
                      "china_share_pct": "Float64", "basis": "string", "edition": "string",
                      "source_id": "string", "caveats": "string", "is_seam": "bool"})


def compare_compilers(long_share: pd.DataFrame, compilers: pd.DataFrame,
                      commodity: str = "Rare earths",
                      measure: str = "Mine production") -> pd.DataFrame:
    """USGS (the long series above) beside BGS, year by year, where both exist.

    Columns: year, usgs_china_t, bgs_china_t, china_gap_pct (BGS minus USGS, % of USGS),
    usgs_share_pct, bgs_share_pct, share_gap_pp, usgs_basis, usgs_caveats, is_listed
    (China figures differ by more than ``COMPILER_GAP_PCT``).
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
