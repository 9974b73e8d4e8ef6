"""reelib.analysis.claims: verdict logic with exact expectations (inline frames)."""


import pandas as pd
import pytest

from reelib.analysis.claims import checks, verdicts


def _production(values: dict[str, dict[str, float]]) -> pd.DataFrame:
    rows = []
    for i, (edition, vals) in enumerate(values.items()):
        for iso, v in vals.items():
            rows.append({"commodity": "Rare earths", "measure": "Mine production", "year": 2024,
                         "source_id": "usgs-mcs-2026", "edition": edition,
                         "edition_published": f"202{i}",
                         "country_iso3": iso, "country": iso,
                         "entity": "world" if iso == "WLD" else "country",
                         "production_t": v, "basis": "REO", "is_estimate": False})
    return pd.DataFrame(rows)


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
        assert verdicts.compare(measured, claimed, tol, op) == expected



class TestCombine:
    def test_all_support(self):
        assert verdicts.combine([("a", "supports"), ("b", "supports")])[0] == "supported"

    def test_editions_disagree(self):
        verdict, sup, oth = verdicts.combine([("MCS 2024", "contradicts"),
                                            ("MCS 2025", "supports")])
        assert (verdict, sup, oth) == ("partly supported", ["MCS 2025"], ["MCS 2024"])

    def test_close_only_is_partly(self):
        assert verdicts.combine([("a", "close")])[0] == "partly supported"

    def test_proxy_caps_support(self):
        assert verdicts.combine([("a", "supports")], "proxy")[0] == "partly supported"

    def test_contradicted(self):
        assert verdicts.combine([("a", "contradicts")])[0] == "contradicted"



class TestEvaluateClaim:
    @pytest.fixture
    def editions(self, monkeypatch):
        monkeypatch.setattr(checks, "edition_dates", lambda: {"A": "2024-01", "B": "2025-01"})
        return {"production": _production({"A": {"CHN": 60, "WLD": 100},
                                           "B": {"CHN": 71, "WLD": 100}})}

    def _claim(self, date):
        return {"id": "x", "seed_file": "s", "claim": "c", "quantity": 70, "country": "CHN",
                "year": 2024, "test": "production_share", "tolerance": 3,
                "params": {"op": "approx"}, "article_date": date}

    def test_a_claim_is_judged_against_the_edition_current_at_its_date(self, editions):
        early = checks.evaluate_claim(self._claim("2024-06-01"), editions)
        assert early.verdict == "contradicted" and early.gap == pytest.approx(-10)
        assert [e.edition for e in early.revised_since] == ["B"]  # shown, not counted
        late = checks.evaluate_claim(self._claim("2025-06-01"), editions)
        assert late.verdict == "supported" and late.gap == pytest.approx(1.0)
        assert late.revised_since == [] and late.supporting == [
            "USGS B (share of world mine production 2024)"]

    def test_before_any_edition_the_earliest_is_used_and_flagged(self, editions):
        o = checks.evaluate_claim(self._claim("2023-01-01"), editions)
        assert o.after_article and [e.edition for e in o.evidence if e.current] == ["A"]

    def test_a_proxy_never_contradicts(self):
        assert verdicts.combine([("IEA", "contradicts")], "proxy")[0] == "not supported (proxy)"
        assert verdicts.combine([("IEA", "supports")], "proxy")[0] == "partly supported"
        assert verdicts.combine([("m", "contradicts"), ("r", "supports")],
                                "ambiguous")[0] == "partly supported"

    def test_ledger_verdicts_pass_through(self):
        base = {"id": "x", "seed_file": "s", "claim": "c", "notes": "ore vs oxide"}
        assert checks.evaluate_claim({**base, "test": "not_comparable"}, {}).verdict == (
            "not comparable")
        o = checks.evaluate_claim({**base, "test": "not_testable"}, {})
        assert o.verdict == "not testable" and o.reason == "ore vs oxide"

