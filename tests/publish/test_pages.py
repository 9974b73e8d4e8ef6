"""The built report pages, read as a reader meets them (issue 12).

Every page of the reports file: its ``<title>`` and H1 are the report's title, it links
back to the index and shows its build date, commit and sources, it leads with its key
findings, its tables have human headers, nbval's checked numbers are folded away, and no
warning or raw print block reaches the reader.
"""

from __future__ import annotations

import csv
import html
import json
import re

import pytest

from reelib import config
from reelib.publish.parameters import notebook_declarations
from reelib.publish.specs import load_reports_file

REPORTS = config.REPORTS_DIR
SPECS = load_reports_file()
SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")
HEADER = re.compile(r'<th [^>]*class="col_heading[^"]*"[^>]*>(.*?)</th>', re.S)
WARNINGS = ("Warning:", "TqdmWarning", "FutureWarning", "DeprecationWarning",
            'data-mime-type="application/vnd.jupyter.stderr"',
            "Traceback (most recent call last)")


pytestmark = [pytest.mark.needs_reports, pytest.mark.usefixtures("built_reports")]


def _page(name: str) -> str:
    return (REPORTS / name / f"{name}.html").read_text(encoding="utf-8")


def _main(page: str) -> str:
    """The page without its folded checks section."""
    return re.sub(r'<details class="reelib-checks">.*?</details>', "", page, flags=re.S)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_page_names_its_subject_and_links_back(spec):
    page = _page(spec.name)
    title = html.escape(spec.title, quote=False)
    assert f"<title>{title} · rare-earth industry reports</title>" in page
    assert re.search(rf"<h1>{re.escape(title)}</h1>", page)
    assert 'href="../index.html"' in page
    assert re.search(r"Built \d{4}-\d\d-\d\d \d\d:\d\d UTC", page)
    assert re.search(r"commit <code>[0-9a-f]{7,}", page) or "not a git checkout" in page
    # no MathJax, no require.js (a '$' stays a dollar sign); a sortable table's page has
    # one inline script, nothing loaded from elsewhere
    assert "<script src" not in page and "<script type" not in page
    sortable = re.search(r'<table[^>]*class="[^"]*\breelib-sortable\b', page)
    assert page.count("<script") == (1 if sortable else 0)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_page_leads_with_key_findings_and_cites_its_sources(spec):
    page = _page(spec.name)
    facts = json.loads((REPORTS / spec.name / "facts.json").read_text())
    keys = [k for k, f in facts.items() if f.get("key_finding")]
    assert keys, "every report states at least one key finding"
    start = re.search(r'<section [^>]*class="key-findings"', page)
    assert start, "no key findings section"
    lead = page[start.start():page.index("<main>")]
    for key in keys:
        assert f'data-fact="{spec.name}/{key}"' in lead
    sources = json.loads((REPORTS / spec.name / "sources.json").read_text())
    for sid in sources:
        assert f'href="../index.html#source-{sid}"' in page
    assert "data/processed/" not in _main(page)


#: reports whose notebook writes a sources table (the summary quotes other reports' facts)
WITH_SOURCES = [s for s in SPECS if "sources" in notebook_declarations(s.notebook)["tables"]]


@pytest.mark.parametrize("spec", WITH_SOURCES, ids=lambda s: s.name)
def test_the_sources_table_cites_every_source_a_fact_names(spec):
    """A number on the page names its source; the page's sources table must cite it."""
    from reelib.sources.registry import load_registry

    table = REPORTS / spec.name / "tables" / "sources.csv"
    registry = load_registry()
    with table.open(newline="", encoding="utf-8") as fh:
        cited = {registry[row["source_id"]].name for row in csv.DictReader(fh)}
    facts = json.loads((REPORTS / spec.name / "facts.json").read_text())
    named = {(key, name) for key, f in facts.items() if f.get("source")
             for name in f["source"].split("; ")}
    assert not {(k, n) for k, n in named if n not in cited}, cited


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_tables_have_human_headers_and_no_warning_reaches_the_reader(spec):
    page = _page(spec.name)
    headers = [html.unescape(re.sub(r"<[^>]+>", "", h)).strip()
               for h in HEADER.findall(page)]
    assert not [h for h in headers if SNAKE.match(h)], "snake_case table headers"
    for word in WARNINGS:
        assert word not in page, f"{word!r} on the page"
    main = _main(page)
    # prints and bare values (text/plain outputs) belong in the checks section
    assert 'data-mime-type="text/plain"' not in main, "a raw print block in the narrative"
    assert "NBVAL_CHECK_OUTPUT" not in page


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_checked_numbers_are_folded_into_one_section(spec):
    page = _page(spec.name)
    assert page.count('<details class="reelib-checks">') == 1
    checks = re.search(r'<details class="reelib-checks">(.*?)</details>', page, re.S).group(1)
    assert "<pre>" in checks and "make test" in checks


def test_index_lists_every_report_with_its_key_numbers():
    index = REPORTS / "index.html"
    text = index.read_text(encoding="utf-8")
    for spec in SPECS:
        assert f'id="{spec.name}"' in text
        assert f'href="{spec.name}/{spec.name}.html"' in text
    assert 'id="filter"' in text and 'id="source-usgs-mcs-2026"' in text
    assert not re.search(r"\b1 (claims|years|countries|partners)\b", text)
    claims = json.loads((REPORTS / "claims-check" / "facts.json").read_text())
    for key in ("claims_not_testable", "claims_supported", "claims_total"):
        assert f'data-fact="claims-check/{key}"' in text, key
    assert claims["claims_total"]["value"] == sum(
        f["value"] for k, f in claims.items()
        if k.startswith("claims_") and k not in ("claims_total", "claims_quantitative",
                                                 "claims_qualitative"))


def test_summary_links_every_report_it_reads():
    page = _page("summary")
    summary = next(s for s in SPECS if s.name == "summary")
    for name in summary.needs:
        assert f'href="../{name}/{name}.html"' in page, name


def test_the_atlas_links_every_commodity_report_and_sorts():
    page = _page("critical-minerals-atlas")
    links = re.findall(r'<a href="\.\./(shares-[a-z0-9-]+)/\1\.html">', page)
    assert len(set(links)) >= 70
    for name in links:
        assert (REPORTS / name / f"{name}.html").exists(), name
    assert "reelib-sortable" in page and page.count("<script") == 1
