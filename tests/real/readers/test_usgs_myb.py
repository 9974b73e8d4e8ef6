"""reelib.readers.usgs_myb on the real Minerals Yearbook 2022 tables."""

import openpyxl
import pytest

from reelib.readers import usgs_myb as myb
from reelib.exceptions import MissingColumnError, TruncatedFileError


class TestReadWorldProduction:
    @pytest.fixture(scope="class")
    @classmethod
    def t8(cls):
        return myb.read_myb2022_world_production()

    def test_glued_and_neighbouring_flags(self, t8):
        row = t8.set_index(["country", "year"])
        assert row.loc[("Burma", 2020), "value"] == 35500 and row.loc[("Burma", 2020),
                                                                     "is_estimate"]
        assert row.loc[("China", 2022), "is_estimate"] and not row.loc[("China", 2021),
                                                                       "is_estimate"]
        assert row.loc[("Russia", 2021), "is_revised"]
        assert row.loc[("Burundi", 2022), "qualifier"] == "zero"
        assert "bastnaesite only" in row.loc[("United States", 2022), "notes"]
        assert row.loc[("Total", 2022), "value"] == 297000

    def test_country_rows_sum_close_to_the_rounded_total(self, t8):
        for year, g in t8.groupby("year"):
            countries = g.loc[g["country"] != "Total", "value"].sum()
            total = g.loc[g["country"] == "Total", "value"].item()
            assert abs(countries - total) / total < 0.01, year

    def test_missing_sheet_is_named(self, tmp_path, raw):
        wb = openpyxl.load_workbook(raw("usgs-myb-2022-rare-earths"))
        del wb["T8"]
        path = tmp_path / "myb.xlsx"
        wb.save(path)
        with pytest.raises(MissingColumnError, match="'T8'"):
            myb.read_myb2022_world_production(path)

    def test_truncated_workbook_is_refused(self, scratch_copy):
        path = scratch_copy("usgs-myb-2022-rare-earths")
        path.write_bytes(path.read_bytes()[:5000])
        with pytest.raises(TruncatedFileError):
            myb.read_myb2022_world_production(path)



def test_prices_keep_purity_and_source():
    t3 = myb.read_myb2022_prices().set_index(["element", "year"])
    assert t3.loc[("Tb", 2021), "price_usd_per_kg"] == 1350
    assert t3.loc[("Gd", 2022), "purity_pct"] == 99.999
    assert t3.loc[("Sc", 2022), "market"] != "FOB China"
    assert "Argus" in t3.loc[("Nd", 2022), "price_source"]

