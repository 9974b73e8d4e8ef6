"""One check function per test kind in the claims ledger, dispatched through a registry.

``@check("kind")`` registers a function ``(claim, data) -> Outcome``; ``evaluate_claim``
looks the claim's ``test`` up in ``CHECKS``. Every check turns its measurements into
(label, comparison) pairs and hands them to ``verdicts.combine``, so all claims share one
way of combining evidence into a verdict.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from reelib.analysis.claims.verdicts import Evidence, Outcome, combine, compare
from reelib.analysis.prices.series import daily_series
from reelib.analysis.shares import compute_shares
from reelib.analysis.supply_chain import stage_shares
from reelib.analysis.trade_dependence import partner_shares, select_flows
from reelib.exceptions import RegistryError
from reelib.sources.registry import source_names

Check = Callable[[dict, dict[str, pd.DataFrame]], Outcome]
#: test kind -> check function
CHECKS: dict[str, Check] = {}


def check(*kinds: str) -> Callable[[Check], Check]:
    """Register a check function for one or more test kinds."""

    def register(fn: Check) -> Check:
        for kind in kinds:
            CHECKS[kind] = fn
        return fn

    return register


def _settings(claim: dict) -> tuple[dict, float, str, float | None]:
    return (claim.get("params", {}) or {}, float(claim.get("tolerance", 0) or 0),
            claim.get("comparability", "same"), claim.get("quantity"))


def _production_share_evidence(production: pd.DataFrame, country: str, year: int
                               ) -> list[Evidence]:
    rows = production[(production["commodity"] == "Rare earths")
                      & (production["measure"] == "Mine production")
                      & (production["year"] == year)]
    out = []
    rows = rows.sort_values("edition_published", kind="mergesort")
    for edition, g in rows.groupby("edition", sort=False):
        if not (g["country_iso3"] == country).any() or not (g["country_iso3"] == "WLD").any():
            continue
        s = compute_shares(g.rename(columns={"production_t": "value"}))
        v = s.loc[s["country_iso3"] == country, "share_pct"]
        out.append(Evidence(float(v.iloc[0]), "%", source_names(g["source_id"].unique()),
                            str(edition),
                            f"share of world mine production {year}"))
    return out


def _iea_share_evidence(supply: pd.DataFrame, country: str, stage: str, year: int
                        ) -> list[Evidence]:
    s = stage_shares(supply)
    row = s[(s["stage"] == stage) & (s["year"] == year) & (s["country_iso3"] == country)]
    if row.empty:
        return []
    return [Evidence(float(row["share_pct"].iloc[0]), "%",
                     source_names(supply["source_id"].unique()), str(supply["edition"].iloc[0]),
                     f"share of {stage} (magnet rare earths) {year}")]


def _reserves(reserves: pd.DataFrame) -> pd.DataFrame:
    return reserves[(reserves["commodity"] == "Rare earths")]




@check("not_testable")
def _not_testable(claim: dict, data: dict) -> Outcome:
    return Outcome("not testable", reason=claim.get("notes", ""))


@check("not_comparable")
def _not_comparable(claim: dict, data: dict) -> Outcome:
    return Outcome("not comparable", reason=claim.get("notes", ""))


@check("production_share", "iea_stage_share", "stage_ambiguous")
def _share(claim: dict, data: dict) -> Outcome:
    params, tol, comp, claimed = _settings(claim)
    test = claim["test"]
    evidence = []
    if test in ("production_share", "stage_ambiguous"):
        evidence += _production_share_evidence(data["production"], claim["country"],
                                               int(claim["year"]))
    if test == "iea_stage_share":
        evidence += _iea_share_evidence(data["supply_stages"], claim["country"],
                                        params["stage"], int(claim["year"]))
    if test == "stage_ambiguous":
        evidence += _iea_share_evidence(data["supply_stages"], claim["country"], "refining",
                                        int(claim["year"]))
    if not evidence:
        return Outcome("not testable", reason="no evidence for that country and year")
    op = params.get("op", "approx")
    results = [(f"{e.source} {e.edition} ({e.label})", compare(e.value, claimed, tol, op))
               for e in evidence]
    verdict, sup, oth = combine(results, comp)
    # the gap reported is the newest evidence's (editions are in publication order)
    return Outcome(verdict, evidence, gap=evidence[-1].value - claimed, gap_unit="pp",
                   supporting=sup, not_supporting=oth, reason=claim.get("notes", ""))


@check("reserves_value")
def _reserves_value(claim: dict, data: dict) -> Outcome:
    params, tol, comp, claimed = _settings(claim)
    r = _reserves(data["reserves"])
    rows = r[r["country_iso3"] == claim["country"]].sort_values("edition_published")
    evidence, results, gaps = [], [], []
    for row in rows.itertuples():
        if pd.isna(row.reserves_t):
            evidence.append(Evidence(None, "t", source_names([row.source_id]), row.edition,
                                     "reserves (NA)"))
            continue
        evidence.append(Evidence(float(row.reserves_t), "t", source_names([row.source_id]),
                                 row.edition, "reserves"))
        gap = 100 * (row.reserves_t - claimed) / claimed
        gaps.append(gap)
        results.append((f"{source_names([row.source_id])} {row.edition}",
                        compare(gap, 0, tol, "approx")))
    if not results:
        return Outcome("not testable", evidence, reason="no reported reserves")
    verdict, sup, oth = combine(results, comp)
    na = [e.edition for e in evidence if e.value is None]
    reason = claim.get("notes", "") + (f" {', '.join(na)} gives no figure." if na else "")
    return Outcome(verdict, evidence, gap=gaps[-1], gap_unit="%", supporting=sup,
                   not_supporting=oth, reason=reason.strip())


@check("reserves_rank")
def _reserves_rank(claim: dict, data: dict) -> Outcome:
    params, tol, comp, claimed = _settings(claim)
    r = _reserves(data["reserves"])
    evidence, results = [], []
    for edition, g in r[r["entity"] == "country"].groupby("edition", sort=False):
        g = g.dropna(subset=["reserves_t"]).sort_values("reserves_t", ascending=False)
        ranks = g["reserves_t"].rank(ascending=False, method="min")
        mine = ranks[g["country_iso3"] == claim["country"]]
        if mine.empty:
            continue
        rank = int(mine.iloc[0])
        name = source_names(g["source_id"].unique())
        evidence.append(Evidence(rank, "rank", name, str(edition), "reserves rank"))
        results.append((f"{name} {edition}", "supports" if rank == int(claimed) else
                        "contradicts"))
    verdict, sup, oth = combine(results, comp)
    return Outcome(verdict, evidence, gap=None, supporting=sup, not_supporting=oth,
                   reason=claim.get("notes", ""))


@check("import_partner_rank")
def _import_partner_rank(claim: dict, data: dict) -> Outcome:
    params, tol, comp, claimed = _settings(claim)
    rows = select_flows(data["trade"], reporter_iso3=params["reporter"], flow="import",
                        hs_code=params["hs_code"], years=(claim["year"], claim["year"]))
    s = partner_shares(rows)
    mine = s[s["partner_iso3"] == claim["country"]].iloc[0]
    name, edition = source_names(rows["source_id"].unique()), str(rows["edition"].iloc[0])
    evidence = [Evidence(int(mine["rank"]), "rank", name, edition,
                         f"rank among {len(s)} partners"),
                Evidence(float(mine["share_pct"]), "%", name, edition,
                         "share of imports by value")]
    ok = compare(int(mine["rank"]), params.get("max_rank", claimed), 0, "le_rank")
    verdict, sup, oth = combine([(name, ok)], comp)
    return Outcome(verdict, evidence, supporting=sup, not_supporting=oth,
                   reason=claim.get("notes", ""))


@check("price_change")
def _price_change(claim: dict, data: dict) -> Outcome:
    params, tol, comp, claimed = _settings(claim)
    d = daily_series(data["prices_daily"], params["element"], params["source_id"])
    end = pd.Timestamp(params["end"])
    window = d[(d["date"] <= end) & (d["date"] > end - pd.DateOffset(
        months=int(params["months"])))]
    if window.empty:
        return Outcome("not testable", reason="no quotes in the window")
    low, last = window["price"].min(), window["price"].iloc[-1]
    change = 100 * (last / low - 1)
    quotes = data["prices_daily"]
    edition = str(quotes.loc[quotes["source_id"] == params["source_id"], "edition"].iloc[0])
    ev = Evidence(float(change), "%", source_names([params["source_id"]]), edition,
                  f"{params['element']} oxide: from the {params['months']}-month low "
                  f"{low:.2f} to {last:.2f} ({window['date'].iloc[-1]:%Y-%m-%d})")
    verdict, sup, oth = combine([(source_names([params["source_id"]]),
                                  compare(change, claimed, tol))], comp)
    return Outcome(verdict, [ev], gap=change - claimed, gap_unit="pp", supporting=sup,
                   not_supporting=oth, reason=claim.get("notes", ""))


@check("first_production_year")
def _first_production_year(claim: dict, data: dict) -> Outcome:
    params, tol, comp, claimed = _settings(claim)
    p = data["production"]
    us = p[(p["commodity"] == "Rare earths") & (p["country_iso3"] == claim["country"])
           & (p["year"] > int(params["after"])) & (p["production_t"] > 0)]
    latest = us.sort_values(["year", "edition_published"]).groupby("year").tail(1)
    if latest.empty:
        return Outcome("not testable", reason="no production after the given year")
    first = latest.iloc[0]
    name = source_names([first["source_id"]])
    ev = Evidence(int(first["year"]), "year", name, str(first["edition"]),
                  f"first year with output after {params['after']} "
                  f"({first['production_t']:,.0f} t)")
    gap = int(first["year"]) - int(claimed)
    result = "supports" if gap == 0 else "close" if abs(gap) <= tol else "contradicts"
    verdict, sup, oth = combine([(f"{name} {first['edition']}", result)], comp)
    return Outcome(verdict, [ev], gap=gap, gap_unit="years", supporting=sup,
                   not_supporting=oth, reason=claim.get("notes", ""))


def evaluate_claim(claim: dict, data: dict[str, pd.DataFrame]) -> Outcome:
    """Run one claim's check on the processed tables in ``data``."""
    fn = CHECKS.get(claim["test"])
    if fn is None:
        raise RegistryError(f"claim {claim['id']}: unknown test {claim['test']!r}; known: "
                            f"{sorted(CHECKS)}")
    return fn(claim, data)
