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

    def test_every_test_kind_is_known(self, processed):
        data = {k: processed(k) for k in ("production", "reserves", "supply_stages", "trade",
                                          "prices_daily")}
        results = claims_tables.results_table(evaluate.evaluate_all(data))
        assert set(results["verdict"]) <= set(verdicts.VERDICTS)
        row = results.set_index("claim_id").loc["c003-5"]  # Russia 3.8 Mt: editions disagree
        assert row["verdict"] == "partly supported"
        assert "MCS 2025" in row["supported_by"] and "MCS 2024" in row["not_supported_by"]
        assert results.set_index("claim_id").loc["c003-11", "verdict"] == "not comparable"

