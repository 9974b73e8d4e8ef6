"""reelib.readers.usgs_mcs on the real MCS 2024, 2025 and 2026 files, plus broken copies."""

import pandas as pd
import pytest

from reelib.readers import usgs_mcs as mcs
from reelib.readers import usgs_mcs_release as mcs_release
from reelib.sources.registry import load_registry
from reelib.exceptions import StaleCorrectionError
from reelib.reference.corrections import apply_corrections
from reelib.exceptions import (EncodingError, MissingColumnError, SourceFormatError,
                               TruncatedFileError, UnparseableValueError)


def _entry(source_id: str = "usgs-mcs-2026"):
    return load_registry()[source_id]


@pytest.fixture(scope="module")
def release():
    return mcs.read_long_release(_entry())


def _value(df, **where):
    mask = pd.Series(True, index=df.index)
    for col, val in where.items():
        mask &= df[col] == val
    rows = df[mask]
    assert len(rows) == 1, f"{len(rows)} rows for {where}"
    return rows.iloc[0]


class TestReadMcs2026Release:
    def test_reads_every_row_of_every_commodity(self, release):
        assert len(release) == 8886
        assert release["chapter"].nunique() > 80

    def test_parses_commas_dashes_bounds_and_codes(self, release):
        world = release[(release["chapter"] == "RARE EARTHS")
                        & release["section"].str.startswith("World")]
        china = _value(world, country="China", statistic="Production", year=2024)
        assert china["value"] == 270000 and china["is_estimate"]
        canada = _value(world, country="Canada", statistic="Production", year=2025)
        assert canada["value"] == 0 and canada["qualifier"] == "zero"
        total = _value(world, country="World total", statistic="Reserves")
        assert total["qualifier"] == "lower_bound" and total["is_rounded"]
        burma = _value(world, country="Burma", statistic="Reserves")
        assert pd.isna(burma["value"]) and burma["qualifier"] == "not_available"
        nir = release[(release["chapter"] == "RARE EARTHS") & (release["year"] == 2021)
                      & release["measure"].str.endswith("Mineral concentrates")
                      & (release["statistic"] == "Net import reliance")]
        assert nir["qualifier"].tolist() == ["net_exporter"]

    def test_published_corrections_are_applied_and_flagged(self, release):
        brazil = _value(release, chapter="RARE EARTHS", country="Brazil", statistic="Reserves")
        assert brazil["value"] == 11_000_000
        assert brazil["correction_id"] == "mcs2026-v1.3-brazil-reserves"
        china = _value(release, chapter="RARE EARTHS", country="China",
                       statistic="Production", year=2024)
        assert china["notes"] == "" and china["correction_id"].startswith("mcs2026-v1.1")

    def test_chapter_basis_comes_from_the_header(self, release):
        ree = release[release["chapter"] == "RARE EARTHS"]
        assert set(ree["basis"]) == {"rare-earth-oxide (REO) equivalent"}

    def test_world_observations_keep_mass_units_only(self, release):
        world = mcs.long_world_observations(release)
        assert set(world["unit_original"]) <= {"metric tons", "thousand metric tons",
                                               "million metric tons", "kilograms",
                                               "thousand metric dry tons", "tons"}
        assert {"Rare earths", "Gallium", "Graphite (natural)"} <= set(world["commodity"])

    def test_prices_cover_light_and_heavy_chapters(self, release):
        prices = mcs.long_rare_earth_prices(release)
        assert set(prices["element"]) >= {"La", "Ce", "Pr", "Nd", "NdPr", "Dy", "Tb", "Lu"}
        nd = prices[(prices["element"] == "Nd")].set_index("year")["price_usd_per_kg"]
        assert nd.to_dict() == {2021: 98, 2022: 134, 2023: 78, 2024: 56, 2025: 73}
        assert prices.loc[(prices["element"] == "Nd") & (prices["year"] == 2025),
                          "is_estimate"].item()

    def test_wrong_encoding_is_refused(self, scratch_copy):
        path = scratch_copy("usgs-mcs-2026", "MCS2026_Commodities_Data.csv")
        path.write_bytes(path.read_bytes().decode("cp1252").encode("utf-8"))
        with pytest.raises(EncodingError, match="cp1252"):
            mcs.read_long_release(_entry(), path)

    def test_truncated_file_is_refused(self, scratch_copy):
        path = scratch_copy("usgs-mcs-2026", "MCS2026_Commodities_Data.csv")
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
        with pytest.raises(TruncatedFileError):
            mcs.read_long_release(_entry(), path)

    def test_renamed_column_is_named_in_the_error(self, scratch_copy):
        path = scratch_copy("usgs-mcs-2026", "MCS2026_Commodities_Data.csv")
        path.write_bytes(path.read_bytes().replace(b",Statistics_detail,", b",Detail,", 1))
        with pytest.raises(MissingColumnError, match="Statistics_detail"):
            mcs.read_long_release(_entry(), path)



class TestApplyCorrections:
    def test_stale_correction_stops_the_run(self):
        raw = pd.DataFrame({"MCS chapter": ["RARE EARTHS"], "Country": ["Brazil"],
                            "Statistics": ["Reserves"], "Value": ["9,999"],
                            "Year": ["2025"], "Notes": [""], "Statistics_detail": [""]})
        with pytest.raises(StaleCorrectionError, match="expects '21,000,000'"):
            apply_corrections(raw, "usgs-mcs-2026", "MCS2026_Commodities_Data.csv")



class TestReadMcs2025World:
    def test_values_and_flags(self):
        df = mcs.read_mcs2025_world()
        china24 = _value(df, country="China", year=2024, statistic="production")
        assert china24["value"] == 270000 and china24["is_estimate"]
        assert "Production quota" in china24["notes"]
        world = _value(df, country="World total", statistic="reserves")
        assert world["value"] == 90e6 and world["qualifier"] == "lower_bound"
        canada = _value(df, country="Canada", year=2023, statistic="production")
        assert canada["qualifier"] == "zero"
        assert "import data for China" in _value(df, country="Burma", year=2024,
                                                 statistic="production")["notes"]

    def test_unparseable_number_names_file_row_and_column(self, scratch_copy):
        path = scratch_copy("usgs-mcs-2025", "mcs2025-rare-earths_world_transcribed.csv")
        path.write_text(path.read_text().replace(",255000,", ",255O00,"))
        with pytest.raises(UnparseableValueError) as err:
            mcs.read_mcs2025_world(path)
        assert err.value.row == 7 and err.value.column == "Prod_t_2023"
        assert "255O00" in str(err.value)



class TestReadMcs2024World:
    """The MCS 2024 rare-earth world file, read by the data-release reader."""

    def test_spreadsheet_debris_is_dropped(self):
        source = _entry("usgs-mcs-2024-data-release")
        from reelib.sources.fetch import source_path
        path = source_path(source.id, "world/mcs2024-raree_world.csv")
        df = mcs_release.read_world_file(path, source, "world/mcs2024-raree_world.csv")
        assert df["country"].nunique() == 16  # 15 countries + world total
        assert _value(df, country="China", year=2023, statistic="production")["value"] == 240000
        assert _value(df, country="World total", year=2023,
                      statistic="production")["value"] == 350000
        assert _value(df, country="Vietnam", statistic="reserves")["value"] == 22e6

    def test_an_unknown_field_is_named(self, scratch_copy):
        path = scratch_copy("usgs-mcs-2024-data-release", "world/mcs2024-raree_world.csv")
        path.write_bytes(path.read_bytes().replace(b"Reserves_t", b"Reserve_tonnes", 1))
        with pytest.raises(SourceFormatError, match="Reserve_tonnes"):
            mcs_release.read_world_file(path, _entry("usgs-mcs-2024-data-release"),
                                        "world/mcs2024-raree_world.csv")



class TestReadMcs2025Salient:
    def test_prices_are_rounded_whole_dollars_with_2024_estimated(self):
        salient, prices = mcs.read_mcs2025_salient()
        tb = prices[prices["element"] == "Tb"].set_index("year")["price_usd_per_kg"]
        assert tb.to_dict() == {2020: 670, 2021: 1346, 2022: 2051, 2023: 1298, 2024: 810}
        assert prices.loc[prices["year"] == 2024, "is_estimate"].all()
        nir = salient[salient["item"].str.contains("Mineral concentrates")
                      & (salient["statistic"] == "Net import reliance")]
        assert set(nir["qualifier"]) == {"net_exporter"}



class TestReadMcsPrices20112020:
    def test_yearend_ranges_and_annual_averages_stay_distinct(self):
        df = mcs.read_mcs_prices_2011_2020()
        nd2011 = _value(df, element="Nd", year=2011)
        assert nd2011["price_basis"] == "yearend_range" and nd2011["qualifier"] == "range"
        assert (nd2011["price_low_usd_per_kg"], nd2011["price_high_usd_per_kg"]) == (190, 200)
        both_2015 = df[(df["element"] == "Nd") & (df["year"] == 2015)]
        assert set(both_2015["price_basis"]) == {"yearend_range", "annual_average"}
        assert _value(df, element="Nd", year=2015, price_basis="annual_average")[
            "price_usd_per_kg"] == 48



class TestReleasePrices:
    """Rare-earth prices of the data releases, read through the FGDC field definitions."""

    def test_products_and_purity_come_from_the_metadata(self):
        prices = mcs_release.read_release_prices(_entry("usgs-mcs-2024-data-release"))
        nd = prices[prices["element"] == "Nd"].set_index("year")
        assert nd.loc[2023, "price_usd_per_kg"] == 80 and bool(nd.loc[2023, "is_estimate"])
        assert not nd.loc[2022, "is_estimate"]
        assert set(prices["purity_pct"].dropna()) == {99.5, 99.99}
        assert prices["price_source"].str.startswith("Argus Media group").all()

    def test_a_release_without_metadata_gives_no_prices(self):
        assert mcs_release.read_release_prices(
            _entry("usgs-mcs-2022-data-release-selected")).empty
