"""Check the claims in the seed articles against the processed data.

The ledger (``reference/claims.yaml``) says, for each claim, what is claimed and how to
test it. ``evaluate_claims`` runs every test and returns one verdict per claim:

* **supported** -- every source/edition that measures it agrees within the tolerance;
* **partly supported** -- editions or stages disagree, the value is close but outside the
  tolerance (within twice of it), or the evidence is only a proxy for what is claimed;
* **contradicted** -- no evidence agrees, none is close;
* **not comparable** -- the data measure something else (ore tonnage vs oxide reserves);
* **not testable** -- the project's data do not cover it (the reason is given).

Each verdict carries the evidence value(s) with source and edition, the gap in percentage
points (shares) or percent (quantities), and which editions support the claim.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from reelib import config
from reelib.exceptions import RegistryError

CLAIMS_FILE: Path = config.REFERENCE_DIR / "claims.yaml"
VERDICTS = ("supported", "partly supported", "contradicted", "not comparable", "not testable")


def load_claims(path: Path | None = None) -> list[dict]:
    """Read the claims ledger, checking required fields and unique ids."""
    doc = yaml.safe_load((path or CLAIMS_FILE).read_text(encoding="utf-8"))
    claims, seen = doc["claims"], set()
    for c in claims:
        for key in ("id", "seed_file", "claim", "test"):
            if not c.get(key):
                raise RegistryError(f"claims ledger: entry {c.get('id')!r} lacks {key!r}")
        if c["id"] in seen:
            raise RegistryError(f"claims ledger: id {c['id']!r} is used twice")
        seen.add(c["id"])
    return claims


@dataclass
class Evidence:
    """One measurement a claim is compared with."""

    value: float | None
    unit: str
    source: str
    edition: str
    label: str = ""


@dataclass
class Outcome:
    """One claim's verdict with its evidence."""

    verdict: str
    evidence: list[Evidence] = field(default_factory=list)
    gap: float | None = None
    gap_unit: str = ""
    supporting: list[str] = field(default_factory=list)
    not_supporting: list[str] = field(default_factory=list)
    reason: str = ""


# --- comparing one measurement with a claim ---------------------------------------------------


def compare(measured: float, claimed: float, tolerance: float, op: str = "approx") -> str:
    """Return 'supports', 'close' or 'contradicts' for one measurement.

    ``approx``: |measured - claimed| <= tol supports, <= 2 tol is close. ``gt``/``ge``: the
    measurement must exceed the claimed bound; below it by at most tol is close. ``lt``:
    mirror image. ``le_rank``: measured rank <= claimed rank supports.
    """
    if op == "approx":
        gap = abs(measured - claimed)
        return "supports" if gap <= tolerance else "close" if gap <= 2 * tolerance else \
            "contradicts"
    if op in ("gt", "ge"):
        if measured > claimed or (op == "ge" and measured == claimed):
            return "supports"
        return "close" if claimed - measured <= tolerance else "contradicts"
    if op == "lt":
        if measured < claimed:
            return "supports"
        return "close" if measured - claimed <= tolerance else "contradicts"
    if op == "le_rank":
        return "supports" if measured <= claimed else "contradicts"
    raise ValueError(f"unknown comparison {op!r}")


def combine(results: list[tuple[str, str]], comparability: str = "same") -> tuple[str, list,
                                                                                   list]:
    """Combine (label, 'supports'|'close'|'contradicts') results into a verdict.

    All support -> supported; some support or any close -> partly supported; else
    contradicted. A proxy measure caps 'supported' at 'partly supported'.
    """
    supporting = [label for label, r in results if r == "supports"]
    others = [label for label, r in results if r != "supports"]
    if results and not others:
        verdict = "supported"
    elif supporting or any(r == "close" for _, r in results):
        verdict = "partly supported"
    else:
        verdict = "contradicted"
    if comparability == "proxy" and verdict == "supported":
        verdict = "partly supported"
    return verdict, supporting, others


# --- the tests ---------------------------------------------------------------------------


def _production_share_evidence(production: pd.DataFrame, country: str, year: int
                               ) -> list[Evidence]:
    from reelib.shares import compute_shares

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
        out.append(Evidence(float(v.iloc[0]), "%", "USGS", str(edition),
                            f"share of world mine production {year}"))
    return out


def _iea_share_evidence(supply: pd.DataFrame, country: str, stage: str, year: int
                        ) -> list[Evidence]:
    from reelib.stages import stage_shares

    s = stage_shares(supply)
    row = s[(s["stage"] == stage) & (s["year"] == year) & (s["country_iso3"] == country)]
    if row.empty:
        return []
    return [Evidence(float(row["share_pct"].iloc[0]), "%", "IEA", "GCMO 2025",
                     f"share of {stage} (magnet rare earths) {year}")]


def _reserves(reserves: pd.DataFrame) -> pd.DataFrame:
    return reserves[(reserves["commodity"] == "Rare earths")]


def evaluate_claim(claim: dict, data: dict[str, pd.DataFrame]) -> Outcome:
    """Run one claim's test on the processed tables in ``data``."""
    test, params = claim["test"], claim.get("params", {}) or {}
    tol, comp = float(claim.get("tolerance", 0) or 0), claim.get("comparability", "same")
    claimed = claim.get("quantity")
    if test == "not_testable":
        return Outcome("not testable", reason=claim.get("notes", ""))
    if test == "not_comparable":
        return Outcome("not comparable", reason=claim.get("notes", ""))

    if test in ("production_share", "iea_stage_share", "stage_ambiguous"):
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

    if test == "reserves_value":
        r = _reserves(data["reserves"])
        rows = r[r["country_iso3"] == claim["country"]].sort_values("edition_published")
        evidence, results, gaps = [], [], []
        for row in rows.itertuples():
            if pd.isna(row.reserves_t):
                evidence.append(Evidence(None, "t", "USGS", row.edition, "reserves (NA)"))
                continue
            evidence.append(Evidence(float(row.reserves_t), "t", "USGS", row.edition,
                                     "reserves"))
            gap = 100 * (row.reserves_t - claimed) / claimed
            gaps.append(gap)
            results.append((f"USGS {row.edition}", compare(gap, 0, tol, "approx")))
        if not results:
            return Outcome("not testable", evidence, reason="no reported reserves")
        verdict, sup, oth = combine(results, comp)
        na = [e.edition for e in evidence if e.value is None]
        reason = claim.get("notes", "") + (f" {', '.join(na)} gives no figure." if na else "")
        return Outcome(verdict, evidence, gap=gaps[-1], gap_unit="%", supporting=sup,
                       not_supporting=oth, reason=reason.strip())

    if test == "reserves_rank":
        r = _reserves(data["reserves"])
        evidence, results = [], []
        for edition, g in r[r["entity"] == "country"].groupby("edition", sort=False):
            g = g.dropna(subset=["reserves_t"]).sort_values("reserves_t", ascending=False)
            ranks = g["reserves_t"].rank(ascending=False, method="min")
            mine = ranks[g["country_iso3"] == claim["country"]]
            if mine.empty:
                continue
            rank = int(mine.iloc[0])
            evidence.append(Evidence(rank, "rank", "USGS", str(edition), "reserves rank"))
            results.append((f"USGS {edition}", "supports" if rank == int(claimed) else
                            "contradicts"))
        verdict, sup, oth = combine(results, comp)
        return Outcome(verdict, evidence, gap=None, supporting=sup, not_supporting=oth,
                       reason=claim.get("notes", ""))

    if test == "import_partner_rank":
        from reelib.dependence import partner_shares, select_flows

        rows = select_flows(data["trade"], reporter_iso3=params["reporter"], flow="import",
                            hs_code=params["hs_code"], years=(claim["year"], claim["year"]))
        s = partner_shares(rows)
        mine = s[s["partner_iso3"] == claim["country"]].iloc[0]
        evidence = [Evidence(int(mine["rank"]), "rank", "USITC DataWeb",
                             "download 2026-07-10", f"rank among {len(s)} partners"),
                    Evidence(float(mine["share_pct"]), "%", "USITC DataWeb",
                             "download 2026-07-10", "share of imports by value")]
        ok = compare(int(mine["rank"]), params.get("max_rank", claimed), 0, "le_rank")
        verdict, sup, oth = combine([("USITC DataWeb", ok)], comp)
        return Outcome(verdict, evidence, supporting=sup, not_supporting=oth,
                       reason=claim.get("notes", ""))

    if test == "price_change":
        from reelib.price_analysis import daily_series

        d = daily_series(data["prices_daily"], params["element"], params["source_id"])
        end = pd.Timestamp(params["end"])
        window = d[(d["date"] <= end) & (d["date"] > end - pd.DateOffset(
            months=int(params["months"])))]
        if window.empty:
            return Outcome("not testable", reason="no quotes in the window")
        low, last = window["price"].min(), window["price"].iloc[-1]
        change = 100 * (last / low - 1)
        ev = Evidence(float(change), "%", params["source_id"], "",
                      f"{params['element']} oxide: from the {params['months']}-month low "
                      f"{low:.2f} to {last:.2f} ({window['date'].iloc[-1]:%Y-%m-%d})")
        verdict, sup, oth = combine([(params["source_id"], compare(change, claimed, tol))], comp)
        return Outcome(verdict, [ev], gap=change - claimed, gap_unit="pp", supporting=sup,
                       not_supporting=oth, reason=claim.get("notes", ""))

    if test == "first_production_year":
        p = data["production"]
        us = p[(p["commodity"] == "Rare earths") & (p["country_iso3"] == claim["country"])
               & (p["year"] > int(params["after"])) & (p["production_t"] > 0)]
        latest = us.sort_values(["year", "edition_published"]).groupby("year").tail(1)
        if latest.empty:
            return Outcome("not testable", reason="no production after the given year")
        first = latest.iloc[0]
        ev = Evidence(int(first["year"]), "year", "USGS", str(first["edition"]),
                      f"first year with output after {params['after']} "
                      f"({first['production_t']:,.0f} t)")
        gap = int(first["year"]) - int(claimed)
        result = "supports" if gap == 0 else "close" if abs(gap) <= tol else "contradicts"
        verdict, sup, oth = combine([(f"USGS {first['edition']}", result)], comp)
        return Outcome(verdict, [ev], gap=gap, gap_unit="years", supporting=sup,
                       not_supporting=oth, reason=claim.get("notes", ""))

    raise RegistryError(f"claim {claim['id']}: unknown test {test!r}")


def _fmt(value, unit: str) -> str:
    if value is None:
        return "not available"
    if unit == "%":
        return f"{value:.1f}%"
    if unit in ("rank", "year"):
        return f"{unit} {int(value)}"
    return f"{value:,.0f} {unit}"


def evaluate_all(data: dict[str, pd.DataFrame], claims: list[dict] | None = None
                 ) -> list[tuple[dict, Outcome]]:
    """Run every claim's test once: [(claim, outcome)], for the two tables below."""
    return [(c, evaluate_claim(c, data)) for c in claims or load_claims()]


def evaluate_claims(data: dict[str, pd.DataFrame], claims: list[dict] | None = None
                    ) -> pd.DataFrame:
    """Evaluate every claim; return one row per claim with verdict and evidence."""
    return results_table(evaluate_all(data, claims))


def results_table(outcomes: list[tuple[dict, Outcome]]) -> pd.DataFrame:
    """One row per claim: verdict, evidence, gap, supporting editions."""
    rows = []
    for c, o in outcomes:
        numeric = [e for e in o.evidence if isinstance(e.value, (int, float))]
        rows.append({
            "claim_id": c["id"], "seed_file": c["seed_file"], "outlet": c.get("outlet", ""),
            "article_date": str(c.get("article_date", "")), "claim": c["claim"],
            "stage": c.get("stage", ""), "claimed": c.get("quantity"), "unit": c.get("unit", ""),
            "verdict": o.verdict,
            "evidence": "; ".join(f"{_fmt(e.value, e.unit)} ({e.source}"
                                  f"{', ' + e.edition if e.edition else ''}: {e.label})"
                                  for e in o.evidence),
            "evidence_value": numeric[-1].value if numeric else None,
            "evidence_source": numeric[-1].source if numeric else "",
            "evidence_edition": numeric[-1].edition if numeric else "",
            "gap": o.gap, "gap_unit": o.gap_unit,
            "supported_by": "; ".join(o.supporting),
            "not_supported_by": "; ".join(o.not_supporting),
            "comparability": c.get("comparability", ""), "reason": o.reason,
        })
    df = pd.DataFrame(rows)
    return df.astype({"claimed": "Float64", "evidence_value": "Float64", "gap": "Float64"})


def verdict_counts(results: pd.DataFrame) -> pd.DataFrame:
    """Number of claims per verdict, in the fixed verdict order."""
    counts = results["verdict"].value_counts().reindex(list(VERDICTS), fill_value=0)
    return counts.rename_axis("verdict").reset_index(name="claims")


def reading(row: pd.Series) -> str:
    """One sentence per claim: the verdict, the evidence and what it means."""
    head = f"**{row['claim_id']}** ({row['outlet']}, {row['article_date']}): {row['claim']}. "
    if row["verdict"] in ("not testable", "not comparable"):
        return head + f"*{row['verdict'].capitalize()}*: {row['reason']}"
    gap = "" if pd.isna(row["gap"]) else f" (gap {row['gap']:+.1f} {row['gap_unit']})"
    who = f" Supported by {row['supported_by']}." if row["supported_by"] else ""
    whonot = f" Not by {row['not_supported_by']}." if row["not_supported_by"] else ""
    proxy = " The evidence is a proxy for what is claimed." if row["comparability"] == "proxy" \
        else ""
    return (head + f"*{row['verdict'].capitalize()}*: {row['evidence']}{gap}.{who}{whonot}"
            f"{proxy} {row['reason']}").strip()


def evidence_long(outcomes: list[tuple[dict, Outcome]]) -> pd.DataFrame:
    """Every evidence value of every claim: claim_id, claimed, value, unit, source, edition."""
    rows = []
    for c, o in outcomes:
        for e in o.evidence:
            rows.append({"claim_id": c["id"], "claim": c["claim"], "claimed": c.get("quantity"),
                         "claim_unit": c.get("unit", ""), "value": e.value, "unit": e.unit,
                         "source": e.source, "edition": e.edition, "label": e.label,
                         "verdict": o.verdict})
    return pd.DataFrame(rows).astype({"claimed": "Float64", "value": "Float64"})
