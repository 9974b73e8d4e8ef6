"""The Python API for researchers' own notebooks and scripts.

    >>> from reelib import api
    >>> api.tables()                      # doctest: +SKIP
    >>> production = api.load("production_latest")          # doctest: +SKIP
    >>> api.sources(production)           # doctest: +SKIP

Everything here reads what ``make reports`` (or ``reelib clean``) wrote to
``data/processed``; nothing writes. Tables are tidy, with units in column names
(``production_t``, ``price_usd_per_kg``); ``datapackage.json`` beside them describes every
field. A misspelt table name gets the list and a suggestion. See docs/python-api.md.
"""

from __future__ import annotations

import json

import pandas as pd

from reelib import config
from reelib.processed.datapackage import DESCRIPTIONS, PACKAGE_FILE
from reelib.processed.store import load_table
from reelib.sources.registry import citations

__all__ = ["tables", "load", "describe", "sources"]


def tables() -> pd.DataFrame:
    """Every processed table: name, rows, what one row is, its columns."""
    rows = []
    for path in sorted(config.PROCESSED_DIR.glob("*.parquet")):
        df = load_table(path.stem)
        rows.append({"table": path.stem, "rows": len(df),
                     "description": DESCRIPTIONS.get(path.stem, ""),
                     "columns": ", ".join(df.columns)})
    return pd.DataFrame(rows)


def load(name: str) -> pd.DataFrame:
    """One processed table by name (a copy: change it freely)."""
    return load_table(name)


def describe(name: str) -> pd.DataFrame:
    """The fields of one table from ``datapackage.json``: name, type, unit."""
    package = json.loads((config.PROCESSED_DIR / PACKAGE_FILE).read_text(encoding="utf-8"))
    for resource in package["resources"]:
        if resource["name"] == name:
            return pd.DataFrame([{"field": f["name"], "type": f["type"],
                                  "unit": f.get("description", "").removeprefix("unit: ")}
                                 for f in resource["schema"]["fields"]])
    load_table(name)  # raises with the list of tables and a suggestion
    raise KeyError(name)  # pragma: no cover (a table without a package entry)


def sources(df: pd.DataFrame) -> pd.DataFrame:
    """Full citations of the sources a table's rows come from (cite them with the rows)."""
    ids = sorted({str(s) for s in df["source_id"].dropna().unique()})
    return citations(ids)
