"""reelib.api: the documented Python API, on a small processed folder."""

import pandas as pd
import pytest

from reelib import api, config
from reelib.exceptions import SelectionError
from reelib.processed import datapackage


@pytest.fixture
def folder(tmp_path, monkeypatch):
    df = pd.DataFrame({"source_id": ["usgs-mcs-2026"], "production_t": [1.0]})
    df.to_parquet(tmp_path / "production.parquet")
    (tmp_path / datapackage.PACKAGE_FILE).write_text(datapackage.package_text(
        {"production": df}, {}))
    monkeypatch.setattr(config, "PROCESSED_DIR", tmp_path)
    return tmp_path


def test_tables_lists_each_table_with_what_a_row_is(folder):
    t = api.tables()
    assert t["table"].tolist() == ["production"] and t["rows"].tolist() == [1]
    assert "production figure" in t["description"].iloc[0]


def test_a_misspelt_table_gets_the_list_and_a_suggestion(folder):
    with pytest.raises(SelectionError, match="Did you mean 'production'.*Tables: production"):
        api.load("prodution")


def test_describe_gives_units(folder):
    d = api.describe("production").set_index("field")
    assert d.loc["production_t", "unit"] == "metric tons"


def test_sources_cite_the_rows(folder):
    assert api.sources(api.load("production"))["source_id"].tolist() == ["usgs-mcs-2026"]
