"""Read the facts the reports recorded, and compare them with the previous build.

Each report writes ``reports/<report>/facts.json`` (``reelib.present.report.Report.fact``); the
build collects them into ``reports/facts.json``. The executive summary quotes only these
facts, and saves the ones it read as its table ``facts.csv``: the next build of the
summary compares against that table, so "what changed" always means "since the facts
the last summary was written from" -- however many builds skipped it in between, and
whichever reports were rebuilt on their own.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from reelib import config
from reelib.exceptions import SelectionError
from reelib.present import layout
from reelib.present.numbers import format_fact, format_value
from reelib.present.text import fact_range, fact_token

_COLUMNS = ["report", "key", "value", "unit", "label", "source", "edition", "key_finding",
            "decimals", "caveats"]


def _resolve(reports_dir: str | Path) -> Path:
    p = Path(reports_dir)
    return p if p.is_absolute() else config.PROJECT_ROOT / p


def _frame(doc: dict) -> pd.DataFrame:
    rows = [{"report": report, "key": key, **{c: f.get(c) for c in _COLUMNS[2:]}}
            for report, facts in doc.items() for key, f in facts.items() if isinstance(f, dict)]
    return pd.DataFrame(rows, columns=_COLUMNS)


def load_report_facts(reports_dir: str | Path, reports: list[str]) -> pd.DataFrame:
    """Facts of the named reports, long: report, key, value, unit, label, source, edition.

    Raises ``SelectionError`` naming a report whose facts are missing (not built yet).
    """
    root = _resolve(reports_dir)
    doc = {}
    for name in reports:
        path = root / name / layout.FACTS
        if not path.exists():
            raise SelectionError(f"no facts for report {name!r} at {path}; build it first "
                                 "(`make reports`)")
        doc[name] = json.loads(path.read_text())
    return _frame(doc)


def load_previous_facts(reports_dir: str | Path, report: str = "summary"
                        ) -> pd.DataFrame | None:
    """The facts ``report`` summarised when it was last built (its ``tables/facts.csv``),
    or None when it has not been built before.

    Values come back as text; ``compare_facts`` compares values as text.
    """
    path = layout.table_path(_resolve(reports_dir) / report, "facts")
    if not path.exists():
        return None
    previous = pd.read_csv(path, dtype="string", keep_default_na=False)
    missing = [c for c in ("report", "key", "value", "label") if c not in previous.columns]
    if missing:
        raise SelectionError(f"{path} lacks column(s) {missing}; delete it to start afresh")
    return previous.replace({"": None})


def lookup(facts: pd.DataFrame) -> Callable[[str, str], Any]:
    """``fact`` bound to ``facts``: ``f = lookup(facts); f("reserves", "world_rp_years")``."""
    return partial(fact, facts)


def fact(facts: pd.DataFrame, report: str, key: str):
    """One fact's value; ``SelectionError`` lists the report's keys when it is missing."""
    return fact_field(facts, report, key, "value")


def fact_field(facts: pd.DataFrame, report: str, key: str, field: str):
    """One field of a fact (``value``, ``unit``, ``label``, ``source``, ``edition``)."""
    if field not in _COLUMNS[2:]:
        raise SelectionError(f"unknown fact field {field!r}; fields: {_COLUMNS[2:]}")
    row = facts[(facts["report"] == report) & (facts["key"] == key)]
    if row.empty:
        keys = sorted(facts.loc[facts["report"] == report, "key"])
        raise SelectionError(f"report {report!r} has no fact {key!r}; it has {keys}")
    return row[field].iloc[0]


def _recorded(facts: pd.DataFrame, report: str, key: str) -> dict:
    """One fact as its report recorded it (the dict ``Report.fact`` wrote)."""
    row = facts[(facts["report"] == report) & (facts["key"] == key)]
    if row.empty:
        fact(facts, report, key)  # raises, listing the report's facts
    f = {c: (None if pd.isna(v) else v) for c, v in row.iloc[0].items()}
    if f.get("decimals") is not None:
        f["decimals"] = int(f["decimals"])
    return f


def ref(facts: pd.DataFrame, report: str, key: str) -> str:
    """A fact of another report, for a sentence passed to ``say``: written and marked as on
    that report's own page."""
    return fact_token(f"{report}/{key}", format_fact(_recorded(facts, report, key)))


def ref_range(facts: pd.DataFrame, report: str, low_key: str, high_key: str) -> str:
    """Two bounds of another report as 'low-high', or once when they read the same."""
    return fact_range(f"{report}/{low_key}", _recorded(facts, report, low_key),
                      f"{report}/{high_key}", _recorded(facts, report, high_key))


def provenance(facts: pd.DataFrame, report: str, key: str) -> dict:
    """The ``source``, ``edition``, ``caveats`` and ``decimals`` a report recorded for a
    fact, to pass on to a fact quoted from it: ``rep.fact(..., **provenance(...))``, so
    the quoted fact reads exactly as the original."""
    out: dict = {f: fact_field(facts, report, key, f) or ""
                 for f in ("source", "edition", "caveats")}
    decimals = fact_field(facts, report, key, "decimals")
    out["decimals"] = None if decimals is None or pd.isna(decimals) else int(decimals)
    return out


def compare_facts(current: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """Facts whose value differs from the previous build (new, removed or changed)."""
    cols = ["report", "key", "label", "previous", "current", "change"]
    if previous is None:
        return pd.DataFrame(columns=cols)
    merged = current.merge(previous, on=["report", "key"], how="outer",
                           suffixes=("", "_prev"), indicator=True)
    merged = merged[merged["report"].isin(set(current["report"]))]
    def same(a, b) -> bool:
        if pd.isna(a) or pd.isna(b):
            return pd.isna(a) and pd.isna(b)
        return str(a) == str(b)

    differs = [not same(a, b) for a, b in zip(merged["value"], merged["value_prev"])]
    changed = merged[(merged["_merge"] != "both") | pd.Series(differs, index=merged.index)]

    def change(r) -> str:
        if r["_merge"] == "left_only":
            return "new"
        if r["_merge"] == "right_only":
            return "removed"
        try:
            return f"{float(r['value']) - float(r['value_prev']):+,.2f}"
        except (TypeError, ValueError):
            return "changed"

    return pd.DataFrame({
        "report": changed["report"], "key": changed["key"],
        "label": changed["label"].fillna(changed["label_prev"]),
        "previous": changed["value_prev"], "current": changed["value"],
        "change": [change(r) for _, r in changed.iterrows()],
    }, columns=cols).reset_index(drop=True)


def changes_display(changes: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """The changes as a page shows them: each value written the way its report writes it
    (unit, recorded precision), the change in the same unit, no internal keys."""
    meta = facts.set_index(["report", "key"])[["unit", "decimals"]] if len(facts) else None

    def how(r) -> tuple[str, int | None]:
        if meta is None or (r["report"], r["key"]) not in meta.index:
            return "", None
        m = meta.loc[(r["report"], r["key"])]
        return ("" if pd.isna(m["unit"]) else str(m["unit"]),
                None if pd.isna(m["decimals"]) else int(m["decimals"]))

    def written(r, col: str) -> str:
        value = r[col]
        if pd.isna(value):
            return ""
        try:
            return format_value(float(value), *how(r))
        except (TypeError, ValueError):
            return str(value)

    def change(r) -> str:
        try:
            diff = float(r["current"]) - float(r["previous"])
        except (TypeError, ValueError):
            return str(r["change"])
        return ("+" if diff > 0 else "") + format_value(diff, *how(r))

    return pd.DataFrame({
        "report": changes["report"], "figure": changes["label"],
        "previous": [written(r, "previous") for _, r in changes.iterrows()],
        "current": [written(r, "current") for _, r in changes.iterrows()],
        "change": [change(r) for _, r in changes.iterrows()]})


def load_report_table(reports_dir: str | Path, report: str, table: str) -> pd.DataFrame:
    """A table a report wrote (``reports/<report>/tables/<table>.csv``)."""
    path = layout.table_path(_resolve(reports_dir) / report, table)
    if not path.exists():
        raise SelectionError(f"report {report!r} has no table {table!r} at {path}; build it "
                             "first (`make reports`)")
    return pd.read_csv(path)
