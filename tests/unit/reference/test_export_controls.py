"""China's export controls as data: measures and suspensions as rows, the status on a date
computed from them, every row checked and cited."""

import pandas as pd
import pytest

from reelib.exceptions import ParameterError, RegistryError
from reelib.reference.export_controls import (CONTROLS_FILE, UNCONFIRMED, covering,
                                              load_export_controls, resolve_as_of, shorts_on,
                                              status_on)


@pytest.fixture(scope="module")
def controls():
    return load_export_controls()


def _status(controls, date):
    return status_on(controls, date).set_index("short")["status"]


def test_every_row_cites_a_public_text_and_measures_name_their_announcement(controls):
    assert controls["source"].str.len().gt(40).all()
    assert controls["announcement"].str.contains("Announcement|announcement|Catalogue").all()
    assert (controls["in_force"] >= controls["announced"]).all()


@pytest.mark.parametrize("short, in_force", [
    ("No. 23/2023", "2023-08-01"), ("20 Oct 2023", "2023-12-01"), ("No. 33/2024", "2024-09-15"),
    ("No. 10/2025", "2025-02-04"), ("No. 18/2025", "2025-04-04"), ("No. 57/2025", "2025-11-08"),
    ("No. 61/2025 (0.1% rule)", "2025-12-01"), ("No. 62/2025", "2025-10-09"),
])
def test_in_force_dates_match_the_announcements(controls, short, in_force):
    assert controls.set_index("short").loc[short, "in_force"] == pd.Timestamp(in_force)


def test_the_october_2025_package_covers_all_six_announcements(controls):
    october = controls[controls["announced"] == "2025-10-09"]
    numbers = {s.split()[1].split("/")[0] for s in october["short"]}
    assert numbers == {"55", "56", "57", "58", "61", "62"}
    five = october.set_index("short").loc["No. 57/2025"]
    assert five["elements"] == "Ho;Er;Tm;Eu;Yb"


def test_measures_suspended_before_they_took_effect(controls):
    s = _status(controls, "2025-11-08")  # the day Nos. 55-58 were to take effect
    for short in ("No. 55/2025", "No. 56/2025", "No. 57/2025", "No. 58/2025",
                  "No. 61/2025 (0.1% rule)"):
        assert s[short] == "suspended before taking effect"
    assert s["No. 62/2025"] == "suspended"  # in force 9 Oct - 6 Nov, then suspended
    assert _status(controls, "2025-10-20")["No. 62/2025"] == "in force"


def test_the_later_suspension_of_the_2024_us_ban_is_recorded(controls):
    assert _status(controls, "2025-11-08")["No. 46/2024 art. 2"] == "in force"
    s = _status(controls, "2025-11-09")
    assert s["No. 46/2024 art. 2"] == "suspended"
    assert s["No. 46/2024 art. 1"] == "in force"  # the military-user ban was not suspended


def test_after_the_review_date_an_ended_suspension_is_not_called_in_force(controls):
    s = status_on(controls, "2026-12-07").set_index("short")
    assert s.loc["No. 57/2025", "status"] == UNCONFIRMED
    assert "2026-11-10" in s.loc["No. 57/2025", "note"]
    assert s.loc["No. 18/2025", "status"] == "in force"


def test_in_force_lists_per_commodity_and_element(controls):
    assert shorts_on(controls, "2025-12-31", "Gallium") == "No. 23/2023"
    assert shorts_on(controls, "2025-06-30", "Gallium") == "No. 23/2023; No. 46/2024 art. 2"
    assert shorts_on(controls, "2022-12-31", "Gallium") == ""
    dy = covering(controls, "Rare earths", element="Dy")["short"].tolist()
    nd = covering(controls, "Rare earths", element="Nd")["short"].tolist()
    assert "No. 18/2025" in dy and "No. 18/2025" not in nd
    assert "No. 62/2025" in nd  # technologies for every rare earth


@pytest.mark.parametrize("change, match", [
    (lambda df: df.assign(kind=df["kind"].where(df.index != 0, "rule")), "kind must be"),
    (lambda df: df.assign(source=df["source"].where(df.index != 1, "")), "public source"),
    (lambda df: df.assign(suspends=df["suspends"].where(df["kind"] != "suspension",
                                                        "no-such-measure")), "does not hold"),
    (lambda df: df.assign(ends=df["ends"].where(df["kind"] != "suspension", "")), "an end"),
    (lambda df: df.assign(in_force=df["in_force"].where(df.index != 2, "2020-01-01")),
     "before it was announced"),
    (lambda df: df.assign(announced=df["announced"].where(df.index != 3, "21/12/2023")),
     "row 5, column 'announced'"),
], ids=["kind", "source", "suspends", "ends", "order", "date"])
def test_a_bad_row_is_refused_naming_row_and_problem(tmp_path, change, match):
    df = pd.read_csv(CONTROLS_FILE, dtype=str, keep_default_na=False)
    bad = tmp_path / "export_controls.csv"
    change(df).to_csv(bad, index=False)
    with pytest.raises(RegistryError, match=match):
        load_export_controls(bad)


def test_as_of_is_a_date_or_today():
    assert resolve_as_of("2025-12-31") == "2025-12-31"
    assert len(resolve_as_of("")) == 10
    with pytest.raises(ParameterError, match="as_of"):
        resolve_as_of("soon")
