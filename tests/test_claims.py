"""reelib.claims: verdict logic with exact expectations, and the ledger itself."""

import re

import pandas as pd
import pytest

from reelib import claims, config


class TestCompare:
    @pytest.mark.parametrize("measured, claimed, tol, op, expected", [
        (71.0, 70, 3, "approx", "supports"),
        (74.5, 70, 3, "approx", "close"),
        (91.3, 70, 3, "approx", "contradicts"),
        (91.3, 85, 3, "gt", "supports"),
        (83.0, 85, 3, "gt", "close"),
        (69.2, 90, 3, "gt", "contradicts"),
        (6, 7, 0, "le_rank", "supports"),
    ])
    def test_outcomes(self, measured, claimed, tol, op, expected):
        assert claims.compare(measured, claimed, tol, op) == expected


class TestCombine:
    def test_all_support(self):
        assert claims.combine([("a", "supports"), ("b", "supports")])[0] == "supported"

    def test_editions_disagree(self):
        verdict, sup, oth = claims.combine([("MCS 2024", "contradicts"),
                                            ("MCS 2025", "supports")])
        assert (verdict, sup, oth) == ("partly supported", ["MCS 2025"], ["MCS 2024"])

    def test_close_only_is_partly(self):
        assert claims.combine([("a", "close")])[0] == "partly supported"

    def test_proxy_caps_support(self):
        assert claims.combine([("a", "supports")], "proxy")[0] == "partly supported"

    def test_contradicted(self):
        assert claims.combine([("a", "contradicts")])[0] == "contradicted"


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


class TestEvaluateClaim:
    def test_share_claim_with_disagreeing_editions(self):
        data = {"production": _production({"A": {"CHN": 60, "WLD": 100},
                                           "B": {"CHN": 71, "WLD": 100}})}
        o = claims.evaluate_claim({"id": "x", "seed_file": "s", "claim": "c", "quantity": 70,
                                   "country": "CHN", "year": 2024, "test": "production_share",
                                   "tolerance": 3, "params": {"op": "approx"}}, data)
        assert o.verdict == "partly supported"
        assert [e.value for e in o.evidence] == [60.0, 71.0]
        assert o.gap == pytest.approx(1.0) and o.gap_unit == "pp"
        assert o.supporting == ["USGS B (share of world mine production 2024)"]
        assert o.not_supporting == ["USGS A (share of world mine production 2024)"]

    def test_ledger_verdicts_pass_through(self):
        base = {"id": "x", "seed_file": "s", "claim": "c", "notes": "ore vs oxide"}
        assert claims.evaluate_claim({**base, "test": "not_comparable"}, {}).verdict == (
            "not comparable")
        o = claims.evaluate_claim({**base, "test": "not_testable"}, {})
        assert o.verdict == "not testable" and o.reason == "ore vs oxide"


class TestLedger:
    def test_every_seed_article_is_in_the_ledger(self):
        seeds = config.PROJECT_ROOT.parent / "shared" / "seeds"
        if not seeds.is_dir():
            pytest.skip("seed articles not beside the checkout")
        ledger = {c["seed_file"] for c in claims.load_claims()}
        assert {p.name for p in seeds.glob("*.txt")} <= ledger

    def test_claims_are_paraphrased_not_copied(self):
        seeds = config.PROJECT_ROOT.parent / "shared" / "seeds"
        if not seeds.is_dir():
            pytest.skip("seed articles not beside the checkout")

        def words(text):
            return re.findall(r"[a-z0-9%.]+", text.lower())

        for c in claims.load_claims():
            article = " ".join(words((seeds / c["seed_file"]).read_text(encoding="utf-8")))
            w = words(c["claim"])
            runs = [" ".join(w[i:i + 8]) for i in range(len(w) - 7)]
            assert not any(r in article for r in runs), f"{c['id']} copies the article"

    def test_every_test_kind_is_known(self, processed):
        data = {k: processed(k) for k in ("production", "reserves", "supply_stages", "trade",
                                          "prices_daily")}
        results = claims.evaluate_claims(data)
        assert set(results["verdict"]) <= set(claims.VERDICTS)
        row = results.set_index("claim_id").loc["c003-5"]  # Russia 3.8 Mt: editions disagree
        assert row["verdict"] == "partly supported"
        assert "MCS 2025" in row["supported_by"] and "MCS 2024" in row["not_supported_by"]
        assert results.set_index("claim_id").loc["c003-11", "verdict"] == "not comparable"
