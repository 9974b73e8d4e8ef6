"""reelib.reference.ledger: the claims ledger against the seed articles and the data."""

import re

import pandas as pd
import pytest

from reelib import config
from reelib.analysis.claims import evaluate, verdicts
from reelib.present import claims as claims_tables
from reelib.reference import ledger


def _production(values: dict[str, dict[str, float]]) -> pd.DataFrame:
    rows = []
    for i, (edition, vals) in enumerate(values.items()):
        for iso, v in vals.items():
            rows.append({"commodity": "Rare earths", "measure": "Mine production", "year": 2024,
                         "edition": edition, "edition_published": f"202{i}",
                         "country_iso3": iso, "country": iso,
                         "entity": "world" if iso == "WLD" else "country",
                         "production_t": v, "basis": "REO", "is_estimate": False})
    return pd.DataFrame(rows)



@pytest.fixture(scope="module")
def results(processed):
    data = {k: processed(k) for k in ("production", "reserves", "supply_stages", "trade",
                                      "prices_daily", "us_salient")}
    return claims_tables.results_table(evaluate.evaluate_all(data)).set_index("claim_id")


class TestLedger:
    def test_every_seed_article_is_in_the_ledger(self):
        seeds = config.PROJECT_ROOT.parent / "shared" / "seeds"
        if not seeds.is_dir():
            pytest.skip("seed articles not beside the checkout")
        in_ledger = {c["seed_file"] for c in ledger.load_claims()}
        assert {p.name for p in seeds.glob("*.txt")} <= in_ledger

    def test_claims_are_paraphrased_not_copied(self):
        seeds = config.PROJECT_ROOT.parent / "shared" / "seeds"
        if not seeds.is_dir():
            pytest.skip("seed articles not beside the checkout")

        def words(text):
            return re.findall(r"[a-z0-9%.]+", text.lower())

        for c in ledger.load_claims():
            article = " ".join(words((seeds / c["seed_file"]).read_text(encoding="utf-8")))
            w = words(c["claim"])
            runs = [" ".join(w[i:i + 8]) for i in range(len(w) - 7)]
            assert not any(r in article for r in runs), f"{c['id']} copies the article"

    def test_every_test_kind_is_known(self, results):
        assert set(results["verdict"]) <= set(verdicts.VERDICTS)

    def test_russia_is_judged_by_the_edition_current_in_june_2025(self, results):
        """MCS 2025 (3.8 Mt) was current; the superseded MCS 2024 (10 Mt) does not count."""
        row = results.loc["c003-11"]
        assert row["verdict"] == "supported" and row["evidence_edition"] == "MCS 2025"
        assert "MCS 2024" not in row["revised_since"]

    def test_the_us_reserves_rank_is_judged_as_of_its_article(self, results):
        row = results.loc["c003-20"]
        assert row["verdict"] == "supported" and row["revised_since"] == "MCS 2026: rank 6"

    def test_mountain_pass_restarted_in_2018_not_2017(self, results):
        row = results.loc["c001-2"]
        assert row["verdict"] == "contradicted" and row["evidence_value"] == 2018
        assert "0 t in 2016 and 2017" in row["reason"]

    def test_the_ambiguous_ninety_percent_holds_for_refining_only(self, results):
        row = results.loc["c002-1"]
        assert row["verdict"] == "partly supported" and row["comparability"] == "ambiguous"
        assert "IEA" in row["supported_by"] and "USGS" in row["not_supported_by"]

    def test_a_proxy_price_never_contradicts_the_index(self, results):
        assert results.loc["c003-2", "verdict"] == "not supported (proxy)"
        assert results.loc["c003-2", "is_proxy"]

    def test_the_articles_own_inconsistency_is_computed(self, results):
        assert "+17.4%, against 19% stated" in results.loc["c003-3", "inconsistency"]

    def test_one_number_per_row_and_both_kinds_counted(self, results):
        assert set(results["kind"]) == {"quantitative", "qualitative"}
        assert (results["kind"] == "qualitative").sum() >= 12
        assert results.loc["c000-5", "claimed"] == 47 and results.loc["c000-6", "claimed"] == 5e6
        assert results["claim"].str.count(r"\d+(?:[.,]\d+)?%").max() <= 1

