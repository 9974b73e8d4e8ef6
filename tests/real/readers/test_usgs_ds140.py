"""reelib.readers.usgs_ds140 on the real DS140 workbook (1900-2020)."""

import pandas as pd
import pytest

from reelib.readers import usgs_ds140 as ds140


@pytest.fixture(scope="module")
def ds():
    return ds140.read_ds140()


def test_covers_1900_to_2020_with_codes(ds):
    assert ds["year"].min() == 1900 and ds["year"].max() == 2020
    w = ds[(ds["column"] == "Production") & (ds["year"].isin([1956, 1962]))]
    assert set(w["qualifier"]) == {"withheld"}



def test_world_production_values(ds):
    world = ds140.ds140_production_observations(ds)
    world = world[world["country"] == "World"].set_index("year")["value"]
    assert world[1900] == 1040 and world[2018] == 190000 and world[2020] == 243000



def test_formula_cells_use_cached_values_and_are_flagged(ds):
    row = ds[(ds["column"] == "Apparent consumption") & (ds["year"] == 2001)].iloc[0]
    assert row["value"] == 10100 and "formula" in row["notes"]



def test_unit_values_in_usd_per_kg_current_and_1998_dollars(ds):
    uv = ds140.ds140_unit_values(ds)
    y2011 = uv[uv["year"] == 2011]
    current = y2011.loc[y2011["dollar_year"].isna(), "price_usd_per_kg"].item()
    constant = y2011.loc[y2011["dollar_year"] == 1998, "price_usd_per_kg"].item()
    assert (current, constant) == (pytest.approx(58.1), pytest.approx(42.1))
    assert pd.isna(uv.loc[uv["year"] == 1900, "price_usd_per_kg"]).all()

