"""The secondary USGS-beside-BGS series, read from the real mirror file."""

import pytest

from reelib.exceptions import MissingColumnError, UnparseableValueError
from reelib.readers import production_compilers as ma


def test_reads_every_year_for_both_compilers_tidy():
    df = ma.read_compilers()
    assert len(df) == 88 and set(df["compiler"]) == {"USGS", "BGS"}
    assert df["year"].min() == 2003 and df["year"].max() == 2024
    one = df.set_index(["year", "compiler", "country_iso3"])["production_t"]
    assert one[(2010, "USGS", "CHN")] == 130_000 and one[(2010, "BGS", "CHN")] == 118_900
    assert one[(2024, "USGS", "WLD")] == 380_000  # as MCS 2026 prints it
    bgs_world = df[(df["compiler"] == "BGS") & (df["country_iso3"] == "WLD")]
    assert bgs_world["countries_reporting"].notna().all()
    assert (df["source_id"] == ma.SOURCE_ID).all() and (df["commodity"] == "Rare earths").all()


def test_a_damaged_value_names_file_row_and_column(scratch_copy):
    path = scratch_copy(ma.SOURCE_ID)
    text = path.read_text().replace("2010,133000,130000", "2010,133000,13O000")
    path.write_text(text)
    with pytest.raises(UnparseableValueError) as err:
        ma.read_compilers(path)
    assert "row 9" in str(err.value) and "usgs_china_t" in str(err.value)
    assert "13O000" in str(err.value)


def test_a_repeated_year_or_a_missing_column_is_refused(scratch_copy):
    path = scratch_copy(ma.SOURCE_ID)
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines + [lines[-1]]) + "\n")
    with pytest.raises(UnparseableValueError, match="repeated"):
        ma.read_compilers(path)
    path.write_text("\n".join(ln.rsplit(",", 1)[0] for ln in lines) + "\n")
    with pytest.raises(MissingColumnError):
        ma.read_compilers(path)
