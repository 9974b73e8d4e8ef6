"""Trade dependence: partner shares and their concentration over time.

Comtrade rows include a ``World`` partner, so shares are of world imports. The USITC
query covers 18 partners and no world total, so its shares are of trade with those 18
(``denominator_kind`` says which). Quantities use only rows measured in kilograms.
"""

from __future__ import annotations

import pandas as pd

from reelib.analysis.concentration import hhi_bounds, rank_within
from reelib.exceptions import SelectionError

MEASURES = ("value_usd", "quantity_kg")


def select_flows(trade: pd.DataFrame, *, reporter_iso3: str, flow: str, hs_code: str,
                 period: str = "annual", years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Rows of one reporter, flow and HS code (raises ``SelectionError`` when empty)."""
    rows = trade[(trade["reporter_iso3"] == reporter_iso3) & (trade["flow"] == flow)
                 & (trade["hs_code"] == hs_code) & (trade["period"] == period)]
    if years is not None:
        rows = rows[rows["year"].between(*years)]
    if rows.empty:
        raise SelectionError(f"no {flow} rows for reporter {reporter_iso3}, HS {hs_code}, "
                             f"{period}, {years}")
    return rows.reset_index(drop=True)


def count_partners(trade: pd.DataFrame, *, reporter_iso3: str) -> int:
    """How many partners a reporter's rows list (the world aggregate not counted)."""
    rows = trade[(trade["reporter_iso3"] == reporter_iso3)
                 & (trade["partner_entity"] != "world")]
    if rows.empty:
        raise SelectionError(f"no trade rows for reporter {reporter_iso3}; reporters: "
                             f"{sorted(trade['reporter_iso3'].dropna().unique())}")
    return int(rows["partner_iso3"].nunique())


def partner_shares(rows: pd.DataFrame, measure: str = "value_usd") -> pd.DataFrame:
    """Each partner's share of the reporter's trade, per year.

    Output: year, partner, partner_iso3, partner_entity, amount, denominator,
    denominator_kind ('world total' or 'sum of listed partners'), share_pct, rank.
    """
    if measure not in MEASURES:
        raise SelectionError(f"measure must be one of {MEASURES}")
    out = []
    for year, g in rows.groupby("year", sort=True):
        world = g.loc[g["partner_entity"] == "world", measure].dropna()
        partners = g[g["partner_entity"] != "world"]
        if len(world) == 1 and world.iloc[0] > 0:
            denom, kind = float(world.iloc[0]), "world total"
        else:
            denom, kind = float(partners[measure].sum()), "sum of listed partners"
        if not denom > 0:
            continue
        out.append(partners.assign(amount=partners[measure], denominator=denom,
                                   denominator_kind=kind,
                                   share_pct=100 * partners[measure] / denom))
    if not out:
        raise SelectionError(f"no year with positive {measure}")
    df = pd.concat(out, ignore_index=True)
    df["rank"] = rank_within(df, "year", "amount", df["partner_entity"] == "country")
    cols = ["year", "partner", "partner_iso3", "partner_entity", "amount", "denominator",
            "denominator_kind", "share_pct", "rank"]
    return df.loc[:, cols].sort_values(["year", "rank"]).reset_index(drop=True)


def partner_concentration(shares: pd.DataFrame, amount_unit: str = "usd") -> pd.DataFrame:
    """Per year: top partner and share, CR3 and HHI over partners (0-10,000), and the
    total the shares are of (``total_<amount_unit>``, e.g. ``total_usd``).

    Unallocated areas ('Areas, nes', 'Other Asia, nes', ...) count as one partner in the
    upper bound and as dispersed in the lower bound.
    """
    out = []
    for year, g in shares.groupby("year", sort=True):
        c = g[g["partner_entity"] == "country"].sort_values("share_pct", ascending=False)
        s = c["share_pct"].fillna(0) / 100
        rest = g.loc[g["partner_entity"] == "residual", "share_pct"].fillna(0).sum() / 100
        low, high = hhi_bounds(s, rest)
        out.append(dict(year=year, top_partner=c["partner"].iloc[0] if len(c) else pd.NA,
                        top_share_pct=100 * float(s.iloc[:1].sum()),
                        cr3_pct=100 * float(s.iloc[:3].sum()), hhi_lower=low,
                        hhi_upper=high,
                        **{f"total_{amount_unit}": float(g["denominator"].iloc[0])},
                        denominator_kind=g["denominator_kind"].iloc[0]))
    return pd.DataFrame(out).astype({"year": "Int64"})


def partner_series(shares: pd.DataFrame, partner_iso3: str) -> pd.DataFrame:
    """One partner's amount and share per year (zero-filled where it is absent)."""
    years = pd.DataFrame({"year": sorted(shares["year"].unique())})
    one = shares[shares["partner_iso3"] == partner_iso3].loc[:, ["year", "amount",
                                                                 "share_pct"]]
    return years.merge(one, on="year", how="left").fillna({"amount": 0.0, "share_pct": 0.0})


def import_reliance_by_edition(indicators: pd.DataFrame, commodity: str) -> pd.DataFrame:
    """U.S. net import reliance of ``commodity`` as each edition prints it: one row per
    item and year, one column per edition (oldest first), the printed text kept (bounds
    such as '>50' and 'E', net exporter, stay as printed). Years an edition does not print
    are empty: never filled from another edition."""
    rows = indicators[(indicators["commodity"] == commodity)
                      & (indicators["statistic"] == "Net import reliance")
                      & indicators["year"].notna()]
    if rows.empty:
        raise SelectionError(f"no net import reliance for {commodity!r} in us_indicators")
    order = (rows.drop_duplicates("edition").sort_values("edition_published")["edition"]
             .tolist()) if "edition_published" in rows else sorted(rows["edition"].unique())
    shown = rows.assign(printed=rows["value_raw"].where(~rows["is_estimate"].astype(bool),
                                                        rows["value_raw"] + " (est.)"))
    wide = shown.pivot_table(index=["item", "year"], columns="edition", values="printed",
                             aggfunc="first")
    return wide.reindex(columns=order).reset_index().rename_axis(columns=None)

