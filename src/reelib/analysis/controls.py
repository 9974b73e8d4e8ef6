"""China's export controls on a page: each measure and suspension with its status on the
data's date and on the build date, computed by ``reference.export_controls``."""

from __future__ import annotations

import pandas as pd

from reelib.reference.export_controls import covering, status_on


def controls_table(controls: pd.DataFrame, data_date, as_of, commodity: str | None = None,
                   element: str | None = None) -> pd.DataFrame:
    """China's export-control measures and their suspensions (``reference.
    export_controls``): announced, in force, what each covers, its status on the data's
    date (``data_date``) and on the build date (``as_of``), and its public source. With a
    commodity (and element), only the measures covering it and the suspensions of those."""
    at_data = status_on(controls, data_date).set_index("control_id")
    at_build = status_on(controls, as_of).set_index("control_id")

    def status(table: pd.DataFrame, cid: str, day) -> str:
        if cid not in table.index:  # a suspension: running or not on the day
            r = c.set_index("control_id").loc[cid]
            day = pd.Timestamp(day)
            return ("not yet announced" if day < r["announced"] else
                    f"running until {r['ends']:%Y-%m-%d}" if day <= r["ends"] else
                    f"ran out {r['ends']:%Y-%m-%d}")
        r = table.loc[cid]
        until = f" until {r['suspended_until']:%Y-%m-%d}" if r["suspended_by"] else ""
        by = f" ({r['suspended_by']}{until})" if r["suspended_by"] else ""
        return r["status"] + by

    c = controls
    if commodity is not None:
        ids = set(covering(controls, commodity, element)["control_id"])
        c = controls[controls["control_id"].isin(ids) | controls["suspends"].str.split(";").map(
            lambda s: bool(ids & set(s)))]
    c = c.sort_values(["announced", "kind", "control_id"], kind="mergesort")
    return pd.DataFrame({
        "measure": c["short"], "announcement": c["announcement"],
        "announced": c["announced"].dt.date.astype("string"),
        "in_force": c["in_force"].dt.date.astype("string"),
        "suspension_ends": c["ends"].dt.date.astype("string").fillna(""),
        "commodities": c["commodities"].str.replace(";", ", "),
        "covers": c["coverage"],
        "status_data_date": [status(at_data, i, data_date) for i in c["control_id"]],
        "status_build_date": [status(at_build, i, as_of) for i in c["control_id"]],
        "source": c["source"],
    }).reset_index(drop=True)
