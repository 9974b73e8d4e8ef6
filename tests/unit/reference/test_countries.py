"""reelib.reference.countries: ISO3 codes via country_converter plus the overrides file."""

import pandas as pd
import pytest

from reelib.reference.countries import harmonise_countries, is_exact_country_name, lookup_country
from reelib.exceptions import UnknownCountryError


class TestLookupCountry:
    @pytest.mark.parametrize("name, expected", [
        ("Burma", ("MMR", "country")),
        ("Korea, Republic of", ("KOR", "country")),
        ("Congo (Kinshasa)", ("COD", "country")),
        ("Namibia", ("NAM", "country")),  # ISO2 "NA" must not become missing
        ("Viet Nam", ("VNM", "country")),
        ("World total", ("WLD", "world")),
        ("Other countries", ("XOT", "residual")),
        ("Rest of world", ("XOT", "residual")),
        ("Other Asia, nes", ("XAS", "residual")),
    ])
    def test_known_names(self, name, expected):
        assert lookup_country(name) == expected

    def test_unknown_name_gives_none(self):
        assert lookup_country("Atlantis") is None



class TestHarmoniseCountries:
    def test_adds_codes_and_entity_and_leaves_input_unchanged(self):
        df = pd.DataFrame({"country": ["China", "World total", "Other countries"],
                           "source_row": [2, 3, 4]})
        out = harmonise_countries(df)
        assert out["country_iso3"].tolist() == ["CHN", "WLD", "XOT"]
        assert out["entity"].astype(str).tolist() == ["country", "world", "residual"]
        assert list(df.columns) == ["country", "source_row"]

    def test_unknown_country_names_file_row_and_value(self):
        df = pd.DataFrame({"country": ["China", "Atlantis"], "source_row": [10, 11]})
        with pytest.raises(UnknownCountryError) as err:
            harmonise_countries(df, file="mcs.csv")
        msg = str(err.value)
        assert "mcs.csv" in msg and "row 11" in msg and "'Atlantis'" in msg
        assert "countries.yaml" in msg



def test_exact_names_tell_estimate_marks_from_names_ending_in_e():
    assert is_exact_country_name("Ukraine") and is_exact_country_name("Burma")
    assert not is_exact_country_name("Burmae")

