"""Claims outcomes as report tables and sentences."""

from __future__ import annotations

import pandas as pd

from reelib.analysis.claims.verdicts import Outcome


def _fmt(value, unit: str) -> str:
    if value is None:
        return "not available"
    if unit == "%":
        return f"{value:.1f}%"
    if unit in ("rank", "year"):
        return f"{unit} {int(value)}"
    return f"{value:,.0f} {unit}"


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
