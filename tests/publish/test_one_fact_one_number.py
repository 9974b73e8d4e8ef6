"""Every fact reads the same on every page: the index, its own report and the summary.

Prose marks each recorded fact it quotes (``<span class="fact" data-fact="report/key">``);
this collects every such span in every built page and compares them with each other and
with the one formatting of the recorded value (``reelib.present.numbers.format_fact``).
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict

import pytest

from reelib import config
from reelib.present.numbers import format_fact

SPAN = re.compile(r'<span class="fact" data-fact="([^"]+)">(.*?)</span>')
REPORTS = config.REPORTS_DIR


pytestmark = [pytest.mark.needs_reports, pytest.mark.usefixtures("built_reports")]


@pytest.fixture(scope="module")
def rendered() -> dict[str, dict[str, set[str]]]:
    built = json.loads((REPORTS / "facts.json").read_text())  # the reports this build knows
    pages = [p for p in REPORTS.glob("*/*.html") if p.parent.name in built]
    pages.append(REPORTS / "index.html")
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for page in pages:
        for fact_id, text in SPAN.findall(page.read_text(encoding="utf-8")):
            found[html.unescape(fact_id)][html.unescape(text)].add(page.name)
    return found


def test_pages_mark_the_facts_they_quote(rendered):
    assert len(rendered) >= 30
    on_several = [f for f, texts in rendered.items()
                  if len({p for pages in texts.values() for p in pages}) >= 2]
    assert len(on_several) >= 15, "facts should be quoted on their page, the index and summary"


def test_every_fact_is_written_one_way_everywhere(rendered):
    facts = json.loads((REPORTS / "facts.json").read_text())
    mismatched = {}
    for fact_id, texts in rendered.items():
        report, key = fact_id.split("/", 1)
        expected = format_fact(facts[report][key])
        if set(texts) != {expected}:
            mismatched[fact_id] = {"expected": expected, "rendered": dict(texts)}
    assert not mismatched, mismatched


def test_china_share_and_cr1_are_one_number():
    facts = json.loads((REPORTS / "facts.json").read_text())
    shares = facts["production-shares-rare-earths"]
    assert shares["china_share_pct"]["value"] == pytest.approx(69.2, abs=0.05)
    summary = facts["summary"]["china_mining_share_pct"]
    assert format_fact(summary) == format_fact(shares["china_share_pct"])
