"""The events registry: every event sourced and dated; every event that announces an export
control links to the measures it announced, on the same date."""

import pandas as pd
import pytest

from reelib.exceptions import RegistryError
from reelib.reference.events import EVENTS_FILE, load_events
from reelib.reference.export_controls import load_export_controls


def test_every_export_control_has_its_announcement_event_on_the_same_date():
    events = load_events().set_index("event_id")
    controls = load_export_controls()
    linked = controls[controls["event_id"].ne("")]
    assert len(linked) == len(controls)
    for r in linked.itertuples():
        assert events.loc[r.event_id, "date"] == r.announced, r.control_id


def test_an_unsourced_event_or_a_missing_column_is_refused(tmp_path):
    df = pd.read_csv(EVENTS_FILE, dtype=str, keep_default_na=False)
    bad = tmp_path / "events.csv"
    df.assign(source=df["source"].where(df.index != 0, "")).to_csv(bad, index=False)
    with pytest.raises(RegistryError, match="cite no source"):
        load_events(bad)
    df.drop(columns=["date_precision"]).to_csv(bad, index=False)
    with pytest.raises(RegistryError, match="missing column"):
        load_events(bad)
