"""China's export controls as data (``export_controls.csv``): measures and suspensions.

Each row is one measure (``item_kind``: materials, technology, equipment, downstream
products, or any dual-use item), or one part of an announcement whose parts take effect on
different dates (Announcement No. 61 of 2025) or are suspended separately (No. 46 of
2024), with its announcement date, the date it takes effect (``in_force``), the USGS
commodities and rare-earth elements it covers and a public text. A suspension is a row of
its own: what it suspends (``suspends``, control ids), from when (``in_force``) and until
when (``ends``, inclusive). Whether a measure was in force on a date is computed from the
rows (``status_on``), never typed in.

The rows were checked against public texts (the MOFCOM texts or their translations, news
agencies, law-firm notes) published up to ``REVIEWED_TO``; a status on a later date is
what these rows imply and says so (an announcement after that date is not recorded).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reelib import config
from reelib.exceptions import ParameterError, RegistryError

CONTROLS_FILE: Path = config.REFERENCE_DIR / "export_controls.csv"

#: the newest public text the rows were checked against was published in this month
REVIEWED_TO = pd.Timestamp("2025-11-30")

COLUMNS = ("control_id", "kind", "short", "announcement", "announced", "in_force", "ends",
           "suspends", "commodities", "elements", "item_kind", "coverage", "event_id", "source")
KINDS = ("measure", "suspension")
#: what a measure controls: the materials themselves, know-how, plant, downstream products
ITEM_KINDS = ("material", "technology", "equipment", "product", "any")
#: the status of a measure whose recorded suspension ended after ``REVIEWED_TO``
UNCONFIRMED = "suspension ended, later status not reviewed"


def _dates(df: pd.DataFrame, path: Path, column: str) -> pd.Series:
    parsed = pd.to_datetime(df[column].replace("", None), format="%Y-%m-%d", errors="coerce")
    bad = parsed.isna() & df[column].ne("")
    if bad.any():
        row = int(bad.to_numpy().argmax())
        raise RegistryError(f"{path}: row {row + 2}, column {column!r}: "
                            f"{df[column].iloc[row]!r} is not a date (YYYY-MM-DD)")
    return parsed


def load_export_controls(path: Path | None = None) -> pd.DataFrame:
    """Read and check the export-controls table: known kinds, unique ids, dates in order,
    every suspension names existing measures and an end, every row a public source."""
    path = path or CONTROLS_FILE
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise RegistryError(f"{path}: missing column(s) {missing}; expected {list(COLUMNS)}")

    def refuse(mask: pd.Series, what: str) -> None:
        if mask.any():
            row = int(mask.to_numpy().argmax())
            raise RegistryError(f"{path}: row {row + 2} ({df['control_id'].iloc[row]}): {what}")

    refuse(~df["kind"].isin(KINDS), f"kind must be one of {KINDS}")
    refuse(df["kind"].eq("measure") & ~df["item_kind"].isin(ITEM_KINDS),
           f"a measure's item_kind must be one of {ITEM_KINDS}")
    refuse(df["control_id"].duplicated(), "control_id used twice")
    refuse(df["source"].str.strip().eq(""), "no public source; every row needs one")
    out = df.assign(announced=_dates(df, path, "announced"),
                    in_force=_dates(df, path, "in_force"), ends=_dates(df, path, "ends"))
    refuse(out["announced"].isna() | out["in_force"].isna(), "announced and in_force are required")
    refuse(out["in_force"] < out["announced"], "in force before it was announced")
    suspension = out["kind"].eq("suspension")
    refuse(suspension & (out["ends"].isna() | (out["ends"] < out["in_force"])),
           "a suspension needs an end on or after its start")
    refuse(~suspension & out["suspends"].ne(""), "only a suspension suspends")
    measures = set(out.loc[~suspension, "control_id"])
    unknown = suspension & out["suspends"].map(
        lambda s: not s or not set(s.split(";")) <= measures)
    refuse(unknown, "suspends no measure, or one the table does not hold")
    return out


def covering(controls: pd.DataFrame, commodity: str | None = None,
             element: str | None = None) -> pd.DataFrame:
    """The measures that cover a USGS commodity (and, for rare earths, an element: a
    measure of ``all`` elements or of elements it does not list counts)."""
    keep = [kind == "measure"
            and (commodity is None or commodity in str(cs).split(";"))
            and (element is None or els in ("all", "unlisted", "") or element in els.split(";"))
            for kind, cs, els in zip(controls["kind"], controls["commodities"],
                                     controls["elements"])]
    m = controls[keep]  # a list comprehension: ~75 atlas rows call this, pandas' .str is slow
    return m.sort_values(["in_force", "control_id"], kind="mergesort")


def status_on(controls: pd.DataFrame, date) -> pd.DataFrame:
    """Each measure's status on ``date``: 'not yet announced', 'announced, not yet in
    force', 'in force', 'suspended', 'suspended before taking effect' or ``UNCONFIRMED``
    (a recorded suspension ended after ``REVIEWED_TO``: in force unless a text this table
    does not hold says otherwise, explained in ``note``), with the suspension that applies
    (``suspended_by``, ``suspended_until``)."""
    day = pd.Timestamp(date).normalize()
    suspensions = controls[controls["kind"] == "suspension"]
    rows = []
    for m in controls[controls["kind"] == "measure"].itertuples(index=False):
        applies = suspensions[suspensions["suspends"].str.split(";").map(
            lambda ids, cid=m.control_id: cid in ids)]
        active = applies[(applies["in_force"] <= day) & (applies["ends"] >= day)]
        ended = applies[applies["ends"] < day]
        note = ""
        if day < m.announced:
            status = "not yet announced"
        elif len(active):
            status = ("suspended before taking effect"
                      if (active["in_force"] <= m.in_force).any() else "suspended")
        elif day < m.in_force:
            status = "announced, not yet in force"
        else:
            status = "in force"
        if len(ended) and not len(active) and day > REVIEWED_TO and day >= m.in_force:
            status = UNCONFIRMED
            note = (f"its suspension ({ended['short'].iloc[-1]}) ran to "
                    f"{ended['ends'].iloc[-1]:%Y-%m-%d}; no text after {REVIEWED_TO:%B %Y} "
                    "was reviewed here, so an extension or a repeal would be missing")
        rows.append({"control_id": m.control_id, "short": m.short, "status": status,
                     "suspended_by": active["short"].iloc[0] if len(active) else "",
                     "suspended_until": (active["ends"].iloc[0] if len(active) else pd.NaT),
                     "note": note})
    return pd.DataFrame(rows).astype({"suspended_until": "datetime64[ns]"})


def shorts_on(controls: pd.DataFrame, date, commodity: str | None = None,
              element: str | None = None, status: pd.Series | None = None) -> str:
    """The measures covering a commodity (element) in force on ``date``, as their short
    names; one whose suspension ended after ``REVIEWED_TO`` is marked '(?)'. ``status``
    (``status_on(...)['status']`` by control id) saves recomputing it for many calls."""
    cover = covering(controls, commodity, element)
    if status is None:
        status = status_on(controls, date).set_index("control_id")["status"]
    names = [f"{short} (?)" if status[cid] == UNCONFIRMED else short
             for cid, short in zip(cover["control_id"], cover["short"])
             if status[cid] in ("in force", UNCONFIRMED)]
    return "; ".join(names)


def resolve_as_of(as_of: str) -> str:
    """A report's ``as_of`` parameter: a date (YYYY-MM-DD), or blank for today."""
    if not str(as_of).strip():
        return f"{pd.Timestamp.today():%Y-%m-%d}"
    try:
        return f"{pd.Timestamp(str(as_of).strip()):%Y-%m-%d}"
    except ValueError as exc:
        raise ParameterError(f"as_of must be a date (YYYY-MM-DD) or blank for today, got "
                             f"{as_of!r}") from exc
