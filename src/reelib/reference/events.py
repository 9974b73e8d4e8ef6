"""The events registry (``events.csv``): dated policy, trade and market events.

Each row has an id, a date and its precision, a category, a description, the elements it
concerns (``all`` or a ``;``-list) and whether break tests are run at it, and a public
source. Charts annotate events from here; break tests run at the flagged ones.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reelib import config

EVENTS_FILE: Path = config.REFERENCE_DIR / "events.csv"


def load_events(path: Path | None = None) -> pd.DataFrame:
    """Read the events registry (date, precision, category, text, elements, source)."""
    df = pd.read_csv(path or EVENTS_FILE, dtype=str, keep_default_na=False)
    return df.assign(date=pd.to_datetime(df["date"], format="%Y-%m-%d"),
                     test_breaks=df["test_breaks"].eq("yes"))


def events_for(events: pd.DataFrame, element: str, start, end,
               tested_only: bool = False) -> pd.DataFrame:
    """Events that concern ``element`` (or all elements) between two dates."""
    applies = events["elements"].eq("all") | events["elements"].str.split(";").map(
        lambda els: element in els)
    inside = events["date"].between(pd.Timestamp(start), pd.Timestamp(end))
    out = events[applies & inside]
    return out[out["test_breaks"]] if tested_only else out
