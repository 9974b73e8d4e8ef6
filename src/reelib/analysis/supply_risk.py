"""Who mines and who exports, and how governance-weighted each stage's concentration is.

Method (the concentration component of the EU criticality method's supply risk; European
Commission, *Methodology for establishing the EU list of critical raw materials*, 2017):

    HHI_WGI = sum over countries c of (share_c)^2 x WGI_c

with shares as fractions of the stage's world total and WGI_c the World Bank governance
score rescaled to 0-10, higher = riskier. The WGI mean (about -2.5 to +2.5, higher =
better) is rescaled linearly, ``risk = 5 - 2 x WGI`` (so +2.5 -> 0 and -2.5 -> 10), then
clipped to 0-10 (the method states a 0-10 rescale, higher = riskier; its own scaled scores
were not available to check this linear map against). HHI_WGI therefore runs from 0 to 10:
10 is one producer with the worst governance. The EU combines it with import reliance,
recycling and substitution into its supply-risk score; those parts are not computed here.

Where a share has no score, it is never scored as zero: a country without a WGI score
(Taiwan, some territories) and the unallocated rest ("Other countries", extract gaps) make
HHI_WGI an interval. The low end gives an unscored country the best score (0) and spreads
the rest over many tiny producers; the high end gives both the worst score (10) and puts
the rest in one country. ``unscored`` names the countries without a score.

Limits, stated on every page using this: one WGI year (each economy's latest, 2015-2024)
for every year; one HS code per material; export shares come from an extract that keeps
each country's largest partners only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reelib.analysis import shares as share_calc
from reelib.analysis.magnets import exporter_shares
from reelib.reference.countries import display_name
from reelib.reference.trade_materials import NO_CODE, load_trade_materials

RISK_MAX = 10.0
METHOD = ("HHI_WGI = Σ (share)² × WGI, shares as fractions, WGI rescaled to 0-10 "
          "(5 − 2 × WGI mean, higher = riskier), as in the EU criticality method's "
          "supply-risk concentration term")


def governance_risk(governance: pd.DataFrame) -> pd.Series:
    """ISO3 -> governance risk on 0-10 (``5 - 2 * wgi_mean``, clipped; higher = riskier).

    >>> governance_risk(pd.DataFrame({"country_iso3": ["AAA", "BBB"],
    ...                               "wgi_mean": [2.5, -0.25]})).to_dict()
    {'AAA': 0.0, 'BBB': 5.5}
    """
    wgi = governance["wgi_mean"].to_numpy(dtype="float64")
    risk = np.clip(5.0 - 2.0 * wgi, 0.0, RISK_MAX)
    return pd.Series(risk, index=governance["country_iso3"].astype(str).to_numpy(),
                     name="risk_0_10")


def weighted_hhi(country_shares: pd.DataFrame, risk: pd.Series) -> dict[str, object]:
    """HHI and HHI_WGI of one stage from its country shares (``country_iso3``,
    ``entity`` 'country' or 'residual', ``share_pct`` of the world total).

    Returns hhi (0-10,000, the plain index's interval low end), hhi_wgi_low, hhi_wgi_high
    (0-10), scored_share_pct (shares with a score), unscored (names), rest_pct (share not
    allocated to a named country)."""
    is_country = country_shares["entity"].astype(str).eq("country").to_numpy()
    iso = country_shares["country_iso3"].astype(str).to_numpy()
    s = country_shares["share_pct"].to_numpy(dtype="float64", na_value=np.nan) / 100
    s = np.nan_to_num(s)
    named = is_country & (s > 0)
    w = risk.reindex(iso[named]).to_numpy(dtype="float64")
    scored = ~np.isnan(w)
    s_named = s[named]
    base = float((s_named[scored] ** 2 * w[scored]).sum())
    unscored_sq = float((s_named[~scored] ** 2).sum())
    rest = max(0.0, 1.0 - float(s_named.sum()))
    return {
        "hhi": 10_000 * float((s_named ** 2).sum()),
        "hhi_wgi_low": base,
        "hhi_wgi_high": min(RISK_MAX, base + RISK_MAX * (unscored_sq + rest ** 2)),
        "scored_share_pct": 100 * float(s_named[scored].sum()),
        "unscored": ", ".join(display_name(c) for c in iso[named][~scored]),
        "rest_pct": 100 * rest,
    }


def squared_shares(country_shares: pd.DataFrame) -> dict[str, float]:
    """Each named country's squared share (fractions): the weights HHI_WGI puts on its
    governance score (``governance_placebo`` re-weights them with shuffled scores)."""
    named = country_shares[country_shares["entity"].astype(str).eq("country")]
    s = named["share_pct"].to_numpy(dtype="float64", na_value=np.nan) / 100
    return {str(c): float(v) ** 2 for c, v in zip(named["country_iso3"], s) if v > 0}


def export_shares(flows: pd.DataFrame, material: str, year: int) -> pd.DataFrame:
    """Each exporter's share of the extract's world exports of ``material`` in ``year``
    (``magnets.exporter_shares`` for one year) with ``entity`` 'country', ranked. The world
    is the sum of the extract's flows (its largest partners only), so shares lean towards
    large flows."""
    rows = flows[(flows["material"] == material) & (flows["year"] == year)]
    return exporter_shares(rows, material).assign(entity="country")


def _mine_shares(production: pd.DataFrame, commodity: str, measure: str, year: int,
                 edition: str) -> pd.DataFrame:
    series = share_calc.select_series(production, commodity, measure=measure,
                                      vintage=edition)
    return share_calc.compute_shares(series[series["year"] == year])


def stage_comparison(production: pd.DataFrame, flows: pd.DataFrame,
                     governance: pd.DataFrame, pairs: list[dict], edition: str,
                     year: int) -> pd.DataFrame:
    """One row per atlas commodity-measure (``pairs``): the top miner and the top exporter
    of its traded form in ``year``, their shares, and the plain and governance-weighted
    HHI at each stage. A commodity-measure without a code, or without trade in ``year``,
    keeps its mine-stage figures and says why the export stage is missing."""
    risk = governance_risk(governance)
    codes = load_trade_materials().set_index(["commodity", "measure"])
    year_flows = flows[flows["year"] == year]  # once, not once per commodity
    hs_of = (year_flows.drop_duplicates("material").set_index("material")["hs_code"]
             .astype(str).to_dict())
    by_commodity = dict(tuple(production[production["edition"] == edition]
                              .groupby("commodity", sort=False)))
    rows = []
    for pair in pairs:
        commodity, measure = pair["commodity"], pair["measure"]
        row: dict[str, object] = {"commodity": commodity, "measure": measure, "year": year}
        mine = (_mine_shares(by_commodity[commodity], commodity, measure, year, edition)
                if commodity in by_commodity else None)
        if mine is None or mine.empty:
            row["mine_missing"] = f"no {year} production by country in {edition}"
        else:
            top = mine[mine["entity"] == "country"].iloc[0]
            row.update(top_miner=top["country"], top_miner_iso3=top["country_iso3"],
                       top_miner_share_pct=float(top["share_pct"]),
                       mine_squared_shares=squared_shares(mine),
                       **{f"mine_{k}": v for k, v in weighted_hhi(mine, risk).items()})
        if (commodity, measure) not in codes.index:
            row["export_missing"] = NO_CODE
        else:
            code = codes.loc[(commodity, measure)]
            row.update(material=code["material"], relation=code["relation"],
                       traded_form=code["traded_form"], trade_note=code["note"],
                       hs_code=hs_of.get(code["material"], ""))
            exports = export_shares(year_flows, code["material"], year)
            if exports.empty:
                row["export_missing"] = f"no {year} flows of {code['material']} in the extract"
            else:
                top = exports.iloc[0]
                row.update(top_exporter=top["country"], top_exporter_iso3=top["country_iso3"],
                           top_exporter_share_pct=float(top["share_pct"]),
                           china_export_share_pct=(float(exports.loc[
                               exports["country_iso3"] == "CHN", "share_pct"].iloc[0])
                               if (exports["country_iso3"] == "CHN").any() else np.nan),
                           export_squared_shares=squared_shares(exports),
                           **{f"export_{k}": v for k, v in weighted_hhi(exports, risk).items()})
        rows.append(row)
    out = pd.DataFrame(rows)
    for col in ("top_miner_iso3", "top_exporter_iso3", "mine_missing", "export_missing",
                "relation", "trade_note", "traded_form", "material", "hs_code",
                "export_hhi_wgi_low"):
        if col not in out:  # a column no row filled (e.g. no commodity with a code)
            out[col] = pd.NA
    out["same_top"] = out["top_miner_iso3"].eq(out["top_exporter_iso3"]).where(
        out["top_exporter_iso3"].notna() & out["top_miner_iso3"].notna())
    return out.sort_values("export_hhi_wgi_low", ascending=False, na_position="last",
                           kind="mergesort").reset_index(drop=True)


def governance_placebo(stages: pd.DataFrame, governance: pd.DataFrame, draws: int = 1000,
                       seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Does the governance weight, rather than concentration alone, make a stage's HHI_WGI
    high? The placebo shuffles the governance scores across the economies that have one
    (``draws`` times, a fixed ``seed``), keeping every stage's shares, and recomputes the
    index's low end from ``stage_comparison``'s squared shares.

    Returns (per commodity-measure: the share of placebo draws below the observed mine and
    export index, ``*_placebo_pct``; a high one means the actual producers' governance
    raises the index beyond what concentration gives with any scores), and, per draw, how
    many commodity-measures have an export stage more concentrated than their mine stage
    (to set beside the observed count)."""
    risk = governance_risk(governance)
    at = {c: i for i, c in enumerate(risk.index)}
    rng = np.random.default_rng(seed)
    shuffled = np.stack([rng.permutation(risk.to_numpy()) for _ in range(draws)], axis=1)

    def weights(column: str) -> np.ndarray:  # rows x economies, squared shares (scored)
        m = np.zeros((len(stages), len(at)))
        for i, sq in enumerate(stages[column] if column in stages else [None] * len(stages)):
            for c, v in (sq if isinstance(sq, dict) else {}).items():
                if c in at:
                    m[i, at[c]] = v
        return m

    has = {k: stages[f"{k}_hhi_wgi_low"].notna().to_numpy() for k in ("mine", "export")}
    placebo = {k: weights(f"{k}_squared_shares") @ shuffled for k in ("mine", "export")}
    out = stages.loc[:, ["commodity", "measure"]].copy()
    for k in ("mine", "export"):
        observed = stages[f"{k}_hhi_wgi_low"].to_numpy(dtype="float64")
        pct = 100 * (placebo[k] < observed[:, None] - 1e-12).mean(axis=1)
        out[f"{k}_placebo_pct"] = np.where(has[k], pct, np.nan)
    both = has["mine"] & has["export"]
    widen = (stages["mine_hhi_wgi_high"] - stages["mine_hhi_wgi_low"]).to_numpy(dtype="float64")
    counts = (placebo["export"][both] > (placebo["mine"][both] + widen[both, None])).sum(axis=0)
    return out.reset_index(drop=True), counts


def stage_summary(stages: pd.DataFrame) -> dict[str, int]:
    """Counts for the page's lead: commodity-measures, with a code, compared, top exporter
    not the top miner, China the top exporter, China the top miner."""
    compared = stages[stages["same_top"].notna()]
    return {"pairs": len(stages), "with_code": int(stages["material"].notna().sum()),
            "compared": len(compared),
            "top_exporter_not_top_miner": int((~compared["same_top"].astype(bool)).sum()),
            "china_top_exporter": int((compared["top_exporter_iso3"] == "CHN").sum()),
            "china_top_miner": int((compared["top_miner_iso3"] == "CHN").sum())}


def stage_notes(stages: pd.DataFrame) -> pd.DataFrame:
    """Per commodity-measure with a trade code: how the code relates to the measure, and
    the countries in each stage without a governance score (an interval, not a zero)."""
    d = stages[stages["material"].notna()]
    return pd.DataFrame({
        "commodity": d["commodity"], "measure": d["measure"],
        "note on the code": d["trade_note"].fillna(""),
        "mine stage: no score": d["mine_unscored"].fillna(""),
        "export stage: no score": d["export_unscored"].fillna(""),
    }).reset_index(drop=True)


def without_code(stages: pd.DataFrame) -> pd.DataFrame:
    """The commodity-measures with no export stage, and why (never shown as zero)."""
    d = stages[stages["export_missing"].notna()]
    out = d.loc[:, ["commodity", "measure", "top_miner", "top_miner_share_pct",
                    "mine_hhi_wgi_low", "mine_hhi_wgi_high", "mine_unscored",
                    "export_missing"]]
    return out.rename(columns={"export_missing": "why no export stage",
                               "mine_unscored": "mine stage: no score"}).reset_index(drop=True)


def scores_used(stages: pd.DataFrame, governance: pd.DataFrame) -> pd.DataFrame:
    """The governance score of every country that is a top miner or top exporter: WGI mean,
    the 0-10 risk, or the reason it has none."""
    iso = pd.unique(pd.concat([stages["top_miner_iso3"], stages["top_exporter_iso3"]])
                    .dropna().astype(str))
    risk = governance_risk(governance)
    wgi = governance.set_index("country_iso3")["wgi_mean"]
    return pd.DataFrame({
        "country": [display_name(c) for c in iso],
        "wgi_mean": [float(wgi[c]) if c in wgi.index else np.nan for c in iso],
        "risk_0_10": [float(risk[c]) if c in risk.index else np.nan for c in iso],
        "note": ["" if c in risk.index else "no WGI score in the file" for c in iso],
    }).sort_values("risk_0_10", ascending=False, na_position="first").reset_index(drop=True)
