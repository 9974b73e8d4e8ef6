"""Reserves against production: shares, reserves-to-production years, editions.

USGS prints reserves with no year; reelib dates them to the year the edition reports
(MCS YYYY -> YYYY-1), so an edition's reserves meet that edition's production of the
same year. World reserves are often printed as lower bounds (">75,000,000"): shares of
such a total are then upper bounds, and the output says so.
"""

from __future__ import annotations

import pandas as pd

from reelib.exceptions import SelectionError


def reserves_by_edition(reserves: pd.DataFrame, commodity: str = "Rare earths") -> pd.DataFrame:
    """Country x edition table of reserves in t (NaN where not available)."""
    rows = reserves[reserves["commodity"] == commodity]
    if rows.empty:
        raise SelectionError(f"no reserves for {commodity!r}")
    label = rows["country_iso3"].map({"WLD": "World", "XOT": "Other countries"}).fillna(
        rows["country"])
    wide = rows.assign(label=label).pivot_table(index="label", columns="edition",
                                                values="reserves_t", aggfunc="first")
    order = sorted(i for i in wide.index if i not in ("World", "Other countries"))
    order += [i for i in ("Other countries", "World") if i in wide.index]
    editions = rows.drop_duplicates("edition").sort_values("edition_published")["edition"]
    return wide.loc[order, list(editions)]


def reserves_vs_production(reserves: pd.DataFrame, production: pd.DataFrame,
                           commodity: str, edition: str
                           ) -> pd.DataFrame:
    """Each country's share of world reserves and of mine production, and R/P years.

    Both from ``edition``, for the year it reports reserves for. Output columns: country,
    country_iso3, reserves_t, production_t, reserves_share_pct, production_share_pct,
    rp_years (reserves / production), world_reserves_is_lower_bound, year, edition,
    source_id.
    """
    res = reserves[(reserves["commodity"] == commodity) & (reserves["edition"] == edition)]
    if res.empty:
        raise SelectionError(f"no {commodity!r} reserves in {edition!r}")
    year = int(res["year"].iloc[0])
    prod = production[(production["commodity"] == commodity)
                      & (production["edition"] == edition) & (production["year"] == year)
                      & (production["measure"] == "Mine production")]
    world_res = res.loc[res["country_iso3"] == "WLD"]
    world_prod = prod.loc[prod["country_iso3"] == "WLD", "production_t"]
    if world_res.empty or world_prod.empty:
        raise SelectionError(f"{edition!r} lacks a world total of reserves or production")
    wr, wp = float(world_res["reserves_t"].iloc[0]), float(world_prod.iloc[0])
    merged = res[res["entity"] == "country"].loc[:, ["country", "country_iso3", "reserves_t"]]
    merged = merged.merge(prod.loc[prod["entity"] == "country",
                                   ["country_iso3", "production_t"]], on="country_iso3",
                          how="outer")
    return merged.assign(
        reserves_share_pct=100 * merged["reserves_t"] / wr,
        production_share_pct=100 * merged["production_t"] / wp,
        rp_years=merged["reserves_t"] / merged["production_t"].where(
            merged["production_t"] > 0),
        world_reserves_is_lower_bound=bool(world_res["is_lower_bound"].iloc[0]),
        year=year, edition=edition, source_id=res["source_id"].iloc[0],
    ).sort_values("reserves_t", ascending=False, na_position="last").reset_index(drop=True)


def world_rp_years(reserves: pd.DataFrame, production: pd.DataFrame,
                   commodity: str = "Rare earths") -> pd.DataFrame:
    """World reserves / world production per edition (years of output at that rate)."""
    out = []
    for edition, res in reserves[reserves["commodity"] == commodity].groupby("edition"):
        w = res[res["country_iso3"] == "WLD"]
        if w.empty:
            continue
        year = int(w["year"].iloc[0])
        p = production[(production["commodity"] == commodity) & (production["edition"] == edition)
                       & (production["year"] == year) & (production["country_iso3"] == "WLD")]
        if p.empty:
            continue
        out.append(dict(edition=edition, source_id=str(w["source_id"].iloc[0]), year=year,
                        world_reserves_t=float(w["reserves_t"].iloc[0]),
                        world_production_t=float(p["production_t"].iloc[0]),
                        reserves_is_lower_bound=bool(w["is_lower_bound"].iloc[0])))
    df = pd.DataFrame(out)
    return df.assign(rp_years=df["world_reserves_t"] / df["world_production_t"]).sort_values(
        "year").reset_index(drop=True)
