"""reelib.analysis.shares: exact shares, CR-n and HHI bounds on small inline frames."""

import pandas as pd
import pytest

from reelib.analysis import shares
from reelib.analysis.concentration import hhi_band
from reelib.exceptions import BasisMismatchError, SelectionError


def _rows(values: dict[str, float | None], year=2024, edition="MCS 2026", basis="REO"):
    entity = {"WLD": "world", "XOT": "residual"}
    return pd.DataFrame({
        "year": year, "country": list(values), "country_iso3": list(values),
        "entity": [entity.get(k, "country") for k in values],
        "value": pd.array(list(values.values()), dtype="Float64"),
        "edition": edition, "is_estimate": False, "basis": basis,
    })


class TestComputeShares:
    def test_shares_of_the_world_total_and_ranks(self):
        s = shares.compute_shares(_rows({"AAA": 60, "BBB": 30, "XOT": 10, "WLD": 100}))
        got = s.set_index("country_iso3")
        assert got.loc["AAA", "share_pct"] == 60 and got.loc["BBB", "share_pct"] == 30
        assert got.loc["AAA", "rank"] == 1 and pd.isna(got.loc["XOT", "rank"])
        assert "WLD" not in got.index  # totals are never counted as a producer
        assert set(s["denominator_kind"]) == {"world total"}

    def test_without_a_world_total_the_rows_are_summed(self):
        s = shares.compute_shares(_rows({"AAA": 3, "BBB": 1}))
        assert s.set_index("country_iso3")["share_pct"].to_dict() == {"AAA": 75, "BBB": 25}
        assert set(s["denominator_kind"]) == {"sum of rows"}

    def test_mixed_bases_are_refused(self):
        rows = pd.concat([_rows({"AAA": 1}), _rows({"BBB": 1}, basis="gross weight")])
        with pytest.raises(BasisMismatchError):
            shares.compute_shares(rows)

    def test_two_world_totals_in_a_year_are_refused(self):
        rows = pd.concat([_rows({"AAA": 1, "WLD": 2}), _rows({"WLD": 3})])
        with pytest.raises(BasisMismatchError, match="2024: 2 world totals"):
            shares.compute_shares(rows)

    def test_years_ranks_and_order(self):
        """Ties share the best rank; the remainder comes last in its year; a year with
        no positive total and rows without a year are left out."""
        rows = pd.concat([
            _rows({"BBB": 30, "AAA": 30, "XOT": 5, "CCC": 40}, year=2024),
            _rows({"AAA": 0, "XOT": 0}, year=2023),
            _rows({"DDD": 9}).assign(year=pd.array([pd.NA], dtype="Int64")),
        ], ignore_index=True)
        s = shares.compute_shares(rows)
        assert list(s["country_iso3"]) == ["CCC", "AAA", "BBB", "XOT"]
        assert s["rank"].tolist()[:3] == [1, 2, 2] and pd.isna(s["rank"].iloc[3])
        assert set(s["year"]) == {2024} and s["rank"].dtype == "Int64"

    def test_a_year_summing_to_nothing_keeps_its_published_total(self):
        rows = pd.concat([_rows({"AAA": None, "WLD": 50}, year=2023),
                          _rows({"AAA": 10, "WLD": 20})], ignore_index=True)
        s = shares.compute_shares(rows)
        assert s["share_of_rows_pct"].dtype == "Float64"  # missing where rows sum to 0
        assert pd.isna(s.loc[s["year"] == 2023, "share_of_rows_pct"].iloc[0])
        assert s.loc[s["year"] == 2024, "share_pct"].iloc[0] == 50




class TestConcentration:
    def test_hhi_bounds_from_the_other_countries_row(self):
        c = shares.concentration(shares.compute_shares(
            _rows({"AAA": 60, "BBB": 30, "XOT": 10, "WLD": 100}))).iloc[0]
        assert c["top_country"] == "AAA"
        assert c["cr1_pct"] == pytest.approx(60) and c["cr3_pct"] == pytest.approx(90)
        assert c["hhi_lower"] == pytest.approx(4500)  # 60^2 + 30^2
        assert c["hhi_upper"] == pytest.approx(4600)  # + 10^2 if "Other" is one producer
        assert c["remainder_pct"] == pytest.approx(10)

    def test_withheld_mass_widens_the_upper_bound(self):
        # BBB withheld: 40% of the world total is unexplained by named rows.
        c = shares.concentration(shares.compute_shares(
            _rows({"AAA": 50, "BBB": None, "XOT": 10, "WLD": 100}))).iloc[0]
        assert c["hhi_lower"] == pytest.approx(2500)
        assert c["hhi_upper"] == pytest.approx(2500 + 50**2)

    def test_rows_above_a_rounded_total_keep_the_declared_denominator(self):
        """CR1 is the top share of the published total; the HHI covers both totals."""
        sh = shares.compute_shares(_rows({"AAA": 70, "BBB": 31, "WLD": 100}))
        c = shares.concentration(sh).iloc[0]
        assert c["rounding_gap_pct"] == pytest.approx(1)
        assert c["cr1_pct"] == pytest.approx(70) == sh.loc[sh["country_iso3"] == "AAA",
                                                            "share_pct"].iloc[0]
        assert c["cr3_pct"] == 100.0  # capped: 101% claims a precision rounding lacks
        assert sh["denominator_kind"].iloc[0] == shares.ROWS_ABOVE_TOTAL
        assert c["hhi_lower"] == pytest.approx(10_000 * ((70 / 101) ** 2 + (31 / 101) ** 2))
        assert c["hhi_upper"] == pytest.approx(10_000 * (0.70**2 + 0.31**2))

    def test_rows_far_above_the_total_keep_it_and_no_share_exceeds_100(self):
        sh = shares.compute_shares(_rows({"AAA": 130, "BBB": 10, "WLD": 101}))
        assert sh["denominator_kind"].iloc[0] == shares.ROWS_FAR_ABOVE_TOTAL
        assert sh["share_pct"].max() == 100.0
        c = shares.concentration(sh).iloc[0]
        assert c["cr1_pct"] == c["cr3_pct"] == 100.0
        assert c["rounding_gap_pct"] == pytest.approx(100 * (140 / 101 - 1))

    def test_only_a_world_total_gives_no_rows(self):
        c = shares.concentration(shares.compute_shares(_rows({"WLD": 5})))
        assert c.empty and list(c.columns)[:3] == ["year", "top_country", "cr1_pct"]

    def test_per_year_over_several_years(self):
        rows = pd.concat([_rows({"AAA": 60, "BBB": 40, "WLD": 100}, year=2024),
                          _rows({"AAA": 20, "BBB": 80, "WLD": 100}, year=2023)])
        c = shares.concentration(shares.compute_shares(rows))
        assert c["year"].tolist() == [2023, 2024]
        assert c["top_country"].tolist() == ["BBB", "AAA"]
        assert c["hhi_lower"].tolist() == pytest.approx([6800, 5200])

    def test_monopoly_is_10000(self):
        c = shares.concentration(shares.compute_shares(_rows({"AAA": 5, "WLD": 5}))).iloc[0]
        assert (c["cr1_pct"], c["hhi_lower"], c["hhi_upper"]) == (100, 10_000, 10_000)


class TestSelectSeries:
    @pytest.fixture
    def table(self):
        base = dict(commodity="Rare earths", measure="Mine production", entity="country",
                    country="China", country_iso3="CHN", basis="REO", is_estimate=False)
        rows = [dict(base, year=2024, edition="MCS 2025", edition_published="2025-01",
                     production_t=270000.0),
                dict(base, year=2024, edition="MCS 2026", edition_published="2026-02-06",
                     production_t=271000.0),
                dict(base, year=2023, edition="MCS 2025", edition_published="2025-01",
                     production_t=255000.0)]
        return pd.DataFrame(rows)

    def test_latest_takes_the_newest_edition_per_year(self, table):
        got = shares.select_series(table, "Rare earths")
        assert sorted(zip(got["year"], got["edition"], got["value"])) == [
            (2023, "MCS 2025", 255000.0), (2024, "MCS 2026", 271000.0)]

    def test_a_named_edition_is_used_as_published(self, table):
        got = shares.select_series(table, "Rare earths", vintage="MCS 2025")
        assert sorted(got["value"]) == [255000.0, 270000.0]

    def test_unknown_choices_list_what_exists(self, table):
        with pytest.raises(SelectionError, match="MCS 2026"):
            shares.select_series(table, "Rare earths", vintage="MCS 2030")
        with pytest.raises(SelectionError, match="Rare earths"):
            shares.select_series(table, "Unobtainium")



@pytest.mark.parametrize("hhi, band", [(500, "unconcentrated"), (1500,
                                       "moderately concentrated"), (5000, "highly concentrated")])
def test_hhi_band(hhi, band):
    assert hhi_band(hhi) == band

