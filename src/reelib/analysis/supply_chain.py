"""Concentration along the supply chain (IEA mining and refining by country).

Shares are of the sum of the country rows (for rare earths this equals the IEA total;
for some other minerals the extract's stated total differs from its rows, see
tests/test_iea.py). "Rest of world" is a remainder, never ranked.
"""

from __future__ import annotations

import pandas as pd

from reelib.analysis.concentration import hhi_bounds, rank_within
from reelib.exceptions import SelectionError


def stage_shares(supply: pd.DataFrame, mineral: str = "Rare Earth Elements") -> pd.DataFrame:
    """Every country's share of each stage and year.

    Output: stage, year, scenario, country, country_iso3, entity, production_kt,
    stage_total_kt, share_pct, rank (countries only).
    """
    rows = supply[supply["mineral"] == mineral]
    if rows.empty:
        raise SelectionError(f"IEA supply has no mineral {mineral!r}; available: "
                             f"{sorted(supply['mineral'].unique())}")
    total = rows.groupby(["stage", "year"])["production_kt"].transform("sum")
    out = rows.assign(stage_total_kt=total, share_pct=100 * rows["production_kt"] / total)
    out["rank"] = rank_within(out, ["stage", "year"], "production_kt",
                              out["entity"] == "country")
    cols = ["stage", "year", "scenario", "country", "country_iso3", "entity", "production_kt",
            "stage_total_kt", "share_pct", "rank"]
    return out.loc[:, cols].sort_values(["stage", "year", "rank"]).reset_index(drop=True)


def stage_concentration(shares: pd.DataFrame) -> pd.DataFrame:
    """Per stage and year: China's share, the top country, top-3 share, HHI bounds."""
    out = []
    for (stage, year), g in shares.groupby(["stage", "year"], sort=True):
        c = g[g["entity"] == "country"].sort_values("share_pct", ascending=False)
        s = c["share_pct"] / 100
        rest = g.loc[g["entity"] != "country", "share_pct"].sum() / 100
        low, high = hhi_bounds(s, rest)
        china = c.loc[c["country_iso3"] == "CHN", "share_pct"]
        out.append(dict(stage=stage, year=year, scenario=g["scenario"].iloc[0],
                        china_share_pct=float(china.iloc[0]) if len(china) else 0.0,
                        top_country=c["country"].iloc[0], top3_share_pct=100 * float(
                            s.iloc[:3].sum()),
                        rest_of_world_pct=100 * rest, hhi_lower=low, hhi_upper=high,
                        total_kt=float(g["stage_total_kt"].iloc[0])))
    return pd.DataFrame(out).astype({"year": "Int64"})


def cited_stage_share(chain_shares: pd.DataFrame, stage: str) -> float:
    """China's share at one stage of the cited chain-shares table (``chain_shares``)."""
    row = chain_shares.loc[chain_shares["stage"] == stage, "china_share_pct"]
    if row.empty:
        raise SelectionError(f"no share for stage {stage!r}; stages: "
                             f"{sorted(chain_shares['stage'])}")
    return float(row.iloc[0])


def repeated_projections(conc: pd.DataFrame) -> str:
    """Projection years whose every stage repeats the year before ('2035 and 2040'), or ''.

    The IEA extract's base case stops changing after a point; two identical years are not
    two forecasts.
    """
    cols = ["china_share_pct", "top3_share_pct", "total_kt"]
    wide = conc.sort_values(["stage", "year"]).groupby("stage")
    repeated: set[int] = set()
    for _, g in wide:
        same = (g[cols].diff().abs().fillna(1).sum(axis=1) == 0).to_numpy()
        years = g["year"].to_numpy()
        for i in range(1, len(g)):
            if same[i]:
                repeated |= {int(years[i - 1]), int(years[i])}
    return " and ".join(str(y) for y in sorted(repeated))


def scope_of(supply: pd.DataFrame, mineral: str) -> str:
    """What an IEA mineral label covers, for labels: 'magnet rare earths (Nd, Pr, Dy, Tb)'
    for the IEA's 'Rare Earth Elements', else the label itself in lower case."""
    scope = supply.loc[supply["mineral"] == mineral, "scope"].dropna()
    return str(scope.iloc[0]) if len(scope) and scope.iloc[0] != mineral else mineral.lower()


def rare_earth_stages(usgs_shares: pd.DataFrame, bgs_shares: pd.DataFrame,
                      iea_conc: pd.DataFrame, chain_shares: pd.DataFrame,
                      magnet_exporters: pd.DataFrame, eu_imports: pd.DataFrame,
                      year: int = 2024) -> pd.DataFrame:
    """China's share at each stage of the rare-earth chain in ``year``, one row per
    measure: label (short, for charts), stage, measure, share_pct, year, unit_basis,
    source. The stages are different physical markets (tonnes of oxide mined, oxide
    refined, magnets made, magnets traded by value), so the shares are side by side, never
    added or multiplied.

    Inputs: USGS and BGS country shares (``compute_shares`` / ``bgs_shares`` output), the
    IEA stage concentration, the secondary chain-shares table, HS 850511 exporter shares
    (``magnets.exporter_shares``) and EU import shares (``magnets.eu_import_shares``).
    """
    def share(df: pd.DataFrame, iso: str = "CHN", column: str = "country_iso3",
              at: int = year) -> float:
        hit = df[(df["year"] == at) & (df[column] == iso)]
        return float(hit["share_pct"].iloc[0]) if len(hit) else float("nan")

    iea = iea_conc.set_index(["stage", "year"])
    rows = [  # label (short, for charts), stage, measure, share, unit basis, source
        ("Mining, all REE (USGS)", "Mining", "all rare earths, t REO", share(usgs_shares),
         "tonnes", f"USGS, {usgs_shares['edition'].iloc[0]}"),
        ("Mining, all REE (BGS)", "Mining", "all rare earths, t REO", share(bgs_shares),
         "tonnes", "BGS World Mineral Statistics (secondary)"),
        ("Mining, magnet REE (IEA)", "Mining", "magnet rare earths (Nd, Pr, Dy, Tb)",
         float(iea.loc[("mining", year), "china_share_pct"]), "tonnes",
         "IEA Global Critical Minerals Outlook 2025"),
        ("Refining, magnet REE (IEA)", "Separation and refining",
         "magnet rare earths (Nd, Pr, Dy, Tb)",
         float(iea.loc[("refining", year), "china_share_pct"]), "tonnes",
         "IEA Global Critical Minerals Outlook 2025"),
        ("Magnet output (cited)", "Magnet production", "permanent magnets (cited figure)",
         cited_stage_share(chain_shares, "magnets"), "output",
         "secondary compilation (cited, not measured)"),
        ("Magnet exports, value (BACI)", "Magnet exports",
         "HS 850511 metal permanent magnets, value", share(magnet_exporters), "USD",
         "CEPII BACI extract (secondary; largest partners only)"),
        ("EU NdFeB imports, value (Eurostat)", "EU magnet imports",
         "CN 85051110 sintered NdFeB, value, share from China",
         share(eu_imports.assign(share_pct=eu_imports["value_share_pct"]),
               column="origin_iso3"), "EUR", "Eurostat Comext (secondary)"),
    ]
    out = pd.DataFrame(rows, columns=["label", "stage", "measure", "share_pct", "unit_basis",
                                      "source"])
    out.insert(3, "year", year)
    out.loc[out["stage"] == "Magnet production", "year"] = int(chain_shares["year"].iloc[0])
    return out
