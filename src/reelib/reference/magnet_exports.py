"""China's rare-earth magnet exports in 2025 as the press reported China's customs figures.

No public file holds China's 2025 monthly magnet exports by destination, so the project
records the reported points itself (``magnet_exports_2025.csv``): one row per figure, with
the outlet, the article's title and address. Every row is **press-reported**, not a
customs file: pages label it so. A figure the project does not use (``use`` = no) stays in
the table with its reason, so the choice is visible.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from reelib.exceptions import SourceFormatError
from reelib.reference.countries import display_name

FILE = Path(__file__).with_name("magnet_exports_2025.csv")
COLUMNS = ["period_start", "period_end", "destination_iso3", "quantity_t", "is_approximate",
           "change_yoy_pct", "use", "reason", "outlet", "title", "url"]
BASIS = ("press-reported: China customs (General Administration of Customs) figures for "
         "rare-earth permanent magnets, as news outlets reported them")


@lru_cache(maxsize=1)
def load_magnet_exports(path: Path = FILE) -> pd.DataFrame:
    """The reported points, checked (dates in order, positive tonnes, a citation on every
    used row, a reason on every unused one), with ``destination`` named and
    ``period_kind`` 'month' or 'year to date'."""
    df = pd.read_csv(path, dtype="string", keep_default_na=False)
    if list(df.columns) != COLUMNS:
        raise SourceFormatError(path, f"columns must be {COLUMNS}", column="(header)",
                                value=list(df.columns))
    rows = []
    for i, r in enumerate(df.to_dict("records"), start=2):
        try:
            start, end = pd.Timestamp(r["period_start"]), pd.Timestamp(r["period_end"])
            tonnes = float(r["quantity_t"])
            yoy = float(r["change_yoy_pct"]) if r["change_yoy_pct"] else None
        except ValueError as exc:
            raise SourceFormatError(path, f"not a date or number ({exc})", row=i,
                                    column="period/quantity_t") from exc
        if end < start or tonnes <= 0:
            raise SourceFormatError(path, "period ends before it starts, or tonnes not "
                                    "positive", row=i, column="period_end/quantity_t",
                                    value=f"{r['period_end']} / {r['quantity_t']}")
        if r["use"] not in ("yes", "no") or r["is_approximate"] not in ("true", "false"):
            raise SourceFormatError(path, "use must be yes/no, is_approximate true/false",
                                    row=i, column="use", value=r["use"])
        if r["use"] == "yes" and not (r["outlet"] and r["url"].startswith("https://")):
            raise SourceFormatError(path, "a used figure needs its outlet and address",
                                    row=i, column="url", value=r["url"])
        if r["use"] == "no" and not r["reason"]:
            raise SourceFormatError(path, "an unused figure needs its reason", row=i,
                                    column="reason")
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        rows.append({**r, "period_start": start, "period_end": end, "quantity_t": tonnes,
                     "change_yoy_pct": yoy, "is_approximate": r["is_approximate"] == "true",
                     "used": r["use"] == "yes",
                     "period_kind": "month" if months == 1 else "year to date",
                     "destination": display_name(r["destination_iso3"])})
    return pd.DataFrame(rows).drop(columns=["use"])
