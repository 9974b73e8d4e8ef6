"""reelib.readers.daily_prices and cpi on the real daily series and CPI."""

import pandas as pd
import pytest

from reelib.readers import cpi as cpi_reader
from reelib.readers import daily_prices as prices
from reelib.exceptions import MissingColumnError, SourceFormatError


@pytest.fixture(scope="module")
def china():
    return prices.read_china_domestic()


def test_china_units_converted_to_cny_per_kg_and_marked_inferred(china):
    first = china[(china["element"] == "Nd")].iloc[0]
    assert first["date"] == pd.Timestamp("2013-01-04")
    assert first["price_low_cny_per_kg"] == 343.0 and first["price_high_cny_per_kg"] == 348.0
    assert china["is_unit_inferred"].all()
    la = china[(china["element"] == "La")].iloc[-1]
    assert la["price_cny_per_kg"] == 4.0



def test_china_min_avg_glitches_are_flagged_not_dropped(china):
    nd = china[china["element"] == "Nd"]
    assert len(nd) == 2876
    assert nd["is_range_inconsistent"].sum() == 526
    assert china.loc[china["element"] == "La", "is_range_inconsistent"].sum() == 0



def test_china_renamed_header_is_named(scratch_copy):
    path = scratch_copy(prices.CHINA_ID, prices.CHINA_FILE)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("氧化镨平均价", "氧化镨均价", 1), encoding="utf-8")
    with pytest.raises(MissingColumnError, match="氧化镨平均价"):
        prices.read_china_domestic(path)



def test_komis_keeps_nd_and_ce_only_in_usd_per_kg():
    k = prices.read_komis()
    assert set(k["element"]) == {"Nd", "Ce"}
    nd24 = k[(k["element"] == "Nd") & (k["date"].dt.year == 2024)]["price_usd_per_kg"].mean()
    assert nd24 == pytest.approx(55.75, abs=0.01)



def test_cpi_keeps_the_missing_october_2025():
    cpi = cpi_reader.read_cpi().set_index("month")
    assert cpi.loc["2025-10-01", "is_missing"] and pd.isna(cpi.loc["2025-10-01",
                                                                    "cpi_index_1982_84"])
    assert cpi.loc["2025-11-01", "cpi_index_1982_84"] == pytest.approx(325.031)



def test_cpi_unparseable_value_is_named(scratch_copy):
    path = scratch_copy(cpi_reader.CPI_ID)
    path.write_text(path.read_text().replace("2025-09-01,324.368", "2025-09-01,32a.368"))
    with pytest.raises(SourceFormatError) as err:
        cpi_reader.read_cpi(path)
    assert err.value.row == 550 and err.value.value == "32a.368"

