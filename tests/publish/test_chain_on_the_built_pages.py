"""Issue 24 on the built reports: the magnet, trade and supply-risk pages say what each
measure is, show missing as missing, and link where they say they do."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

pytestmark = [pytest.mark.needs_reports, pytest.mark.usefixtures("built_reports")]


def _page(reports, report) -> str:
    return (reports / report / f"{report}.html").read_text(encoding="utf-8")


def _table(reports, report, name) -> pd.DataFrame:
    return pd.read_csv(reports / report / "tables" / f"{name}.csv", keep_default_na=False,
                       na_values=[""])


def test_the_magnet_page_says_what_each_measure_is(built_reports):
    page = _page(built_reports, "magnets-and-trade")
    for words in ("every metal permanent magnet", "Trade value is not production",
                  "6 largest suppliers", "lack Taiwan and Namibia", "Press-reported"):
        assert words in page, words
    press = _table(built_reports, "magnets-and-trade", "press-reported-exports-2025")
    assert press["reported_by"].str.contains("https://").sum() == (press["used"] == "yes").sum()
    assert press.loc[press["used"] != "yes", "used"].str.startswith("no: ").all()
    facts = json.loads((built_reports / "magnets-and-trade" / "facts.json").read_text())
    assert facts["china_magnet_export_share_pct"]["value"] == pytest.approx(63.9, abs=0.05)


def test_missing_trade_codes_and_scores_are_shown_as_missing(built_reports):
    missing = _table(built_reports, "mine-and-export-concentration", "without-trade-code")
    assert len(missing) == 50
    assert missing["why no export stage"].str.contains("no HS code").all()
    main = _table(built_reports, "mine-and-export-concentration", "mine-and-export")
    assert len(main) == 27 and "0%" not in set(main["China's export share"])  # "<0.5%"
    notes = _table(built_reports, "mine-and-export-concentration", "code-notes")
    assert notes["export stage: no score"].fillna("").str.contains("Taiwan").any()
    page = _page(built_reports, "mine-and-export-concentration")
    assert "never a zero" in page and "One governance year" in page


def test_the_stage_page_keeps_markets_apart_and_links_resolve(built_reports):
    page = _page(built_reports, "supply-chain-stages")
    assert re.search(r"not\s+additive", page)
    chain = _table(built_reports, "supply-chain-stages", "rare-earth-chain")
    assert len(chain) == 7
    for report in ("supply-chain-stages", "critical-minerals-atlas"):
        for href in re.findall(r'href="\.\./([^"#]+)"', _page(built_reports, report)):
            assert (built_reports / href).exists(), (report, href)
