"""The events registry (``events.csv``): dated policy, trade and market events.

Each row has an id, a date and its precision, a category, a description, the rare-earth
elements it concerns (``all``, a ``;``-list, or blank for other minerals) and whether
break tests are run at it, and a public source. Price charts annotate events from here
and break tests run at the flagged ones. What an export control covers, when it took
effect and whether it was suspended are in ``export_controls.csv``
(``reference.export_controls``), whose rows name the event that announced them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reelib import config
from reelib.exceptions import RegistryError

EVENTS_FILE: Path = config.REFERENCE_DIR / "events.csv"


COLUMNS = ("event_id", "label", "date", "date_precision", "category", "event", "elements",
           "test_breaks", "source")


def load_events(path: Path | None = None) -> pd.DataFrame:
    """Read the events registry (date, precision, category, text, elements, source)."""
    path = path or EVENTS_FILE
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise RegistryError(f"{path}: missing column(s) {missing}; expected {list(COLUMNS)}")
    unsourced = df.loc[df["source"].str.strip().eq(""), "event_id"].tolist()
    if unsourced:
        raise RegistryError(f"{path}: event(s) {unsourced} cite no source; every event "
                            "needs a public source")
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
