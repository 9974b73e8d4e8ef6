"""The events registry: every event sourced; export controls with their announcement,
date in force and the USGS commodities they cover."""

import pandas as pd
import pytest

from reelib.exceptions import RegistryError
from reelib.reference.events import EVENTS_FILE, export_controls, load_events


def test_every_export_control_names_its_announcement_date_and_commodities():
    events = load_events()
    controls = events[events["export_control"]]
    assert len(controls) >= 9
    assert controls["announcement"].str.len().gt(10).all()
    assert controls["in_force"].notna().all() and controls["commodities"].ne("").all()
    assert (controls["in_force"] >= controls["date"]).all()
    assert controls["source"].str.contains("Public record").all()


@pytest.mark.parametrize("commodity, first_in_force", [
    ("Gallium", "2023-08-01"), ("Graphite (natural)", "2023-12-01"), ("Antimony", "2024-09-15"),
    ("Tungsten", "2025-02-04"), ("Rare earths", "2023-12-21"),
])
def test_controls_per_commodity_are_in_date_order(commodity, first_in_force):
    c = export_controls(load_events(), commodity)
    assert c["in_force"].iloc[0] == pd.Timestamp(first_in_force)
    assert c["date"].is_monotonic_increasing


def test_commodities_named_are_commodities_the_data_knows(processed):
    known = set(processed("production")["commodity"]) | set(
        processed("us_indicators")["commodity"]) | {"Germanium"}  # MCS prints no production
    named = {c for cs in load_events()["commodities"] for c in cs.split(";") if c}
    assert named <= known, named - known


def test_an_unsourced_event_or_a_missing_column_is_refused(tmp_path):
    df = pd.read_csv(EVENTS_FILE, dtype=str, keep_default_na=False)
    bad = tmp_path / "events.csv"
    df.assign(source=df["source"].where(df.index != 0, "")).to_csv(bad, index=False)
    with pytest.raises(RegistryError, match="cite no source"):
        load_events(bad)
    df.drop(columns=["in_force"]).to_csv(bad, index=False)
    with pytest.raises(RegistryError, match="missing column"):
        load_events(bad)
