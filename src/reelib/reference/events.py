"""The events registry (``events.csv``): dated policy, trade and market events.

Each row has an id, a date and its precision, a category, a description, the rare-earth
elements it concerns (``all``, a ``;``-list, or blank for other minerals) and whether
break tests are run at it, and a public source. Export-control measures also name their
announcement, the date they took effect (``in_force``) and the USGS commodities they
cover (``commodities``, a ``;``-list), with ``export_control = yes``. Price charts
annotate events from here, break tests run at the flagged ones, and the critical-minerals
atlas marks each commodity with the controls that cover it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reelib import config
from reelib.exceptions import RegistryError

EVENTS_FILE: Path = config.REFERENCE_DIR / "events.csv"


COLUMNS = ("event_id", "label", "date", "date_precision", "category", "event", "elements",
           "test_breaks", "announcement", "in_force", "commodities", "export_control", "source")


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
                     in_force=pd.to_datetime(df["in_force"].replace("", None),
                                             format="%Y-%m-%d"),
                     test_breaks=df["test_breaks"].eq("yes"),
                     export_control=df["export_control"].eq("yes"))


def export_controls(events: pd.DataFrame, commodity: str) -> pd.DataFrame:
    """China's export-control measures that cover a USGS commodity, in date order."""
    covers = events["commodities"].str.split(";").map(lambda cs: commodity in cs)
    return events[events["export_control"] & covers].sort_values("date")


def events_for(events: pd.DataFrame, element: str, start, end,
               tested_only: bool = False) -> pd.DataFrame:
    """Events that concern ``element`` (or all elements) between two dates."""
    applies = events["elements"].eq("all") | events["elements"].str.split(";").map(
        lambda els: element in els)
    inside = events["date"].between(pd.Timestamp(start), pd.Timestamp(end))
    out = events[applies & inside]
    return out[out["test_breaks"]] if tested_only else out
