"""reelib.processed.tables and schemas: tidy tables, vintages, latest view, validation."""

import pandas as pd
import pytest

from reelib.readers.shapes import OBSERVATIONS, shaped
from reelib.processed import tables
from reelib.exceptions import DuplicateKeyError, RegistryError, SchemaValidationError
from reelib.processed.schemas import validate_table


def _obs(**cols):
    base = dict(source_id="s", edition="MCS 2025", file="f", source_row=2,
                commodity="Rare earths", statistic="production", measure="Mine production",
                country="China", year=2024, value=1.0, qualifier="exact", value_raw="1",
                unit_original="metric tons", basis="REO")
    base.update(cols)
    n = max(len(v) if isinstance(v, list) else 1 for v in base.values())
    return shaped(pd.DataFrame({k: v if isinstance(v, list) else [v] * n
                                for k, v in base.items()}), OBSERVATIONS)


class TestBuildProduction:
    def test_converts_units_to_tonnes_and_keeps_the_printed_value(self):
        df = _obs(unit_original=["thousand metric tons", "kilograms"], value=[2.5, 500.0],
                  value_raw=["2.5", "500"], country=["China", "Chile"])
        out = tables.build_production(df)
        assert out.set_index("country")["production_t"].to_dict() == {"China": 2500.0,
                                                                      "Chile": 0.5}
        assert set(out["value_raw"]) == {"2.5", "500"}
        assert df["value"].tolist() == [2.5, 500.0]  # input unchanged

    def test_flags_become_columns(self):
        df = _obs(country=["China", "Burma", "World total"], value=[0.0, None, 10.0],
                  qualifier=["zero", "withheld", "lower_bound"])
        out = tables.build_production(df).set_index("country")
        assert out.loc["China", "is_zero"] and out.loc["Myanmar", "is_withheld"]
        assert out.loc["World total", "is_lower_bound"]
        assert out.loc["World total", "entity"] == "world"

    def test_one_display_name_per_country_and_the_published_one_kept(self):
        df = _obs(country=["Burma", "Myanmar (Burma)", "World total"], value=[1.0, 2.0, 3.0],
                  year=[2023, 2024, 2024])
        out = tables.build_production(df)
        assert out["country"].tolist() == ["Myanmar", "Myanmar", "World total"]
        assert out["country_published"].tolist() == ["Burma", "Myanmar (Burma)", "World total"]

    def test_unknown_edition_has_no_publication_date(self):
        with pytest.raises(RegistryError, match="no publication date"):
            tables.build_production(_obs(edition="MCS 2099"))



class TestLatestView:
    def test_takes_the_newest_edition_for_the_whole_year(self):
        old = _obs(edition="MCS 2025", country=["China", "World total"], value=[270, 390])
        new = _obs(edition="MCS 2026", country=["China", "World total"], value=[270, 380])
        only_old = _obs(edition="MCS 2025", year=2023, country=["China"], value=[255])
        prod = tables.build_production(pd.concat([old, new, only_old]))
        latest = tables.latest_view(prod)
        assert sorted(zip(latest["year"], latest["edition"], latest["production_t"])) == [
            (2023, "MCS 2025", 255.0), (2024, "MCS 2026", 270.0), (2024, "MCS 2026", 380.0)]



class TestValidateTable:
    def test_duplicate_key_is_named_with_examples(self):
        prod = tables.build_production(_obs(country=["China", "China"], value=[1.0, 2.0]))
        with pytest.raises(DuplicateKeyError) as err:
            validate_table("production", prod)
        assert "China" in str(err.value) and "CHN" in str(err.value)

    def test_negative_production_fails_the_schema(self):
        prod = tables.build_production(_obs(value=-5.0, value_raw="-5"))
        with pytest.raises(SchemaValidationError, match="production_t"):
            validate_table("production", prod)

