"""Claims outcomes as report tables and sentences."""

from __future__ import annotations

import pandas as pd

from reelib.analysis.claims.checks import as_of
from reelib.analysis.claims.verdicts import VERDICTS, Outcome
from reelib.present.numbers import format_value


def _fmt(value, unit: str) -> str:
    if unit == "event":
        return "recorded"
    if value is None:
        return "not available"
    if unit in ("rank", "year"):
        return f"{unit} {int(value)}"
    return format_value(value, unit, 1 if unit == "%" else None)


def _evidence_text(evidence) -> str:
    return "; ".join(f"{_fmt(e.value, e.unit)} ({e.source}{', ' + e.edition if e.edition else ''}"
                     f": {e.label})" for e in evidence)


def results_table(outcomes: list[tuple[dict, Outcome]]) -> pd.DataFrame:
    """One row per claim: what was claimed, when, the verdict at that date and its evidence,
    what later editions say, and whether the evidence is a proxy."""
    rows = []
    for c, o in outcomes:
        current = [e for e in o.evidence if e.current]
        numeric = [e for e in current if isinstance(e.value, (int, float))]
        rows.append({
            "claim_id": c["id"], "seed_file": c["seed_file"], "outlet": c.get("outlet", ""),
            "article_date": str(c.get("article_date", "")), "judged_as_of": as_of(c),
            "kind": c.get("kind", "quantitative"), "claim": c["claim"],
            "stage": c.get("stage", ""), "claimed": c.get("quantity"),
            "unit": c.get("unit", ""), "verdict": o.verdict,
            "is_proxy": c.get("comparability") == "proxy",
            "evidence": _evidence_text(current),
            "claimed_text": _fmt(c.get("quantity"), c.get("unit", ""))
            if c.get("quantity") is not None else "",
            "evidence_text": _fmt(numeric[-1].value, numeric[-1].unit) if numeric else "",
            "evidence_value": numeric[-1].value if numeric else None,
            "evidence_source": numeric[-1].source if numeric else "",
            "evidence_edition": numeric[-1].edition if numeric else "",
            "gap": o.gap, "gap_unit": o.gap_unit,
            "revised_since": "; ".join(f"{e.edition}: {_fmt(e.value, e.unit)}"
                                       for e in o.revised_since),
            "evidence_after_article": o.after_article,
            "supported_by": "; ".join(o.supporting),
            "not_supported_by": "; ".join(o.not_supporting),
            "comparability": c.get("comparability", ""), "reason": o.reason,
            "inconsistency": o.inconsistency,
        })
    df = pd.DataFrame(rows)
    return df.astype({"claimed": "Float64", "evidence_value": "Float64", "gap": "Float64"})


#: the verdict table as a page shows it: values written with their units
VERDICT_COLUMNS = {"claim_id": "claim_id", "kind": "kind", "claim": "claim", "verdict": "verdict",
                   "is_proxy": "is_proxy", "claimed_text": "claimed", "evidence_text": "evidence",
                   "evidence_source": "evidence_source", "evidence_edition": "evidence_edition",
                   "judged_as_of": "judged_as_of", "revised_since": "revised_since",
                   "inconsistency": "inconsistency"}


def verdict_table(results: pd.DataFrame) -> pd.DataFrame:
    """The claims table for a page: one row per claim, claimed and measured values written
    with their units ('USD 1.20 billion', '70.0%'), the verdict and its evidence."""
    return results.loc[:, list(VERDICT_COLUMNS)].rename(columns=VERDICT_COLUMNS)


def verdicts_by_kind(results: pd.DataFrame) -> pd.DataFrame:
    """Claims per verdict, quantitative and qualitative apart (fixed verdict order)."""
    table = (results.groupby(["verdict", "kind"]).size().unstack("kind", fill_value=0)
             .reindex(list(VERDICTS), fill_value=0))
    for kind in ("quantitative", "qualitative"):
        if kind not in table.columns:
            table[kind] = 0
    table = table.loc[:, ["quantitative", "qualitative"]]
    return table.assign(all=table.sum(axis=1)).rename_axis("verdict").reset_index()


def reading(row: pd.Series) -> str:
    """One sentence per claim: the verdict, the evidence at the article's date, what later
    editions say and what it means."""
    date = row["article_date"] if row["article_date"] == row["judged_as_of"] else \
        f"{row['article_date']}, judged as of {row['judged_as_of']}"
    head = f"**{row['claim_id']}** ({row['outlet']}, {date}): {row['claim']}. "
    tail = f" *Internal inconsistency:* {row['inconsistency']}" if row["inconsistency"] else ""
    if row["verdict"] in ("not testable", "not comparable"):
        return head + f"*{row['verdict'].capitalize()}*: {row['reason']}{tail}"
    gap = "" if pd.isna(row["gap"]) else f" (gap {row['gap']:+.1f} {row['gap_unit']})"
    proxy = " *Proxy:* the evidence measures another stage or basis, so it can at most " \
            "partly support the claim." if row["is_proxy"] else ""
    later = f" Revised since: {row['revised_since']}." if row["revised_since"] else ""
    after = " (No edition was out by the article's date; the earliest is used.)" \
        if row["evidence_after_article"] else ""
    return (head + f"*{row['verdict'].capitalize()}*: {row['evidence']}{gap}.{after}{proxy}"
            f"{later} {row['reason']}{tail}").strip()


def evidence_long(outcomes: list[tuple[dict, Outcome]]) -> pd.DataFrame:
    """Every evidence value of every claim: claim_id, claimed, value, unit, source, edition,
    and whether it was current at the article's date."""
    rows = []
    for c, o in outcomes:
        for e in o.evidence:
            rows.append({"claim_id": c["id"], "claim": c["claim"], "claimed": c.get("quantity"),
                         "claim_unit": c.get("unit", ""), "value": e.value, "unit": e.unit,
                         "source": e.source, "edition": e.edition, "label": e.label,
                         "current_at_article": e.current, "verdict": o.verdict,
                         "source_id": ";".join(e.source_ids)})
    return pd.DataFrame(rows).astype({"claimed": "Float64", "value": "Float64"})


def plotted_evidence(evidence: pd.DataFrame) -> pd.DataFrame:
    """The evidence the claims figure draws: percentage claims measured in percent, with a
    value, current at the article's date (the evidence the verdict rests on)."""
    d = evidence[(evidence["unit"] == "%") & (evidence["claim_unit"] == "%")
                 & evidence["value"].notna()]
    if "current_at_article" in d.columns:
        d = d[d["current_at_article"].astype(bool)]
    return d.copy()
