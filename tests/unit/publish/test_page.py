"""The report page template on small notebooks: title, subtitle, folded checks."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from reelib.publish.page import check_texts, notebook_html, page_context, take_subtitle
from reelib.publish.specs import ReportSpec


def _nb():
    nb = new_notebook()
    check = new_code_cell("# NBVAL_CHECK_OUTPUT\nprint('n = 3')",
                          outputs=[new_output("stream", name="stdout", text="n = 3\n")])
    nb.cells = [new_markdown_cell("# Prices: how they moved\n\nIntro with $5 and $6."),
                new_code_cell("x = 1", outputs=[new_output(
                    "display_data", data={"text/markdown": "The <b>finding</b>."})]),
                check]
    return nb


def _context(**kw):
    spec = ReportSpec("prices-xx", Path("06-x.ipynb"), "Xenium oxide prices",
                      parameters={"element": "Xx"})
    return {**page_context(spec, stamp={"built_at": "2026-01-02 03:04 UTC",
                                        "commit": "abc1234"}), **kw}


def test_page_has_the_report_title_and_the_notebook_heading_as_subtitle():
    page = notebook_html(_nb(), _context())
    assert "<title>Xenium oxide prices · rare-earth industry reports</title>" in page
    assert "<h1>Xenium oxide prices</h1>" in page
    assert '<p class="subtitle">Prices: how they moved</p>' in page
    assert "Built 2026-01-02 03:04 UTC" in page and "abc1234" in page
    assert 'href="../index.html"' in page and "<script" not in page
    assert "$5 and $6" in page  # no MathJax to turn dollars into maths


def test_checked_numbers_leave_the_narrative_for_one_folded_section():
    page = notebook_html(_nb(), _context())
    main, checks = page.split('<details class="reelib-checks">')
    assert "n = 3" not in main and "<pre>n = 3</pre>" in checks
    assert "NBVAL_CHECK_OUTPUT" not in page


def test_failed_copy_shows_code_and_checks_in_place():
    page = notebook_html(_nb(), _context(), hide_code=False)
    assert "NBVAL_CHECK_OUTPUT" in page and 'class="reelib-checks"' not in page


def test_subtitle_and_check_text_helpers():
    nb = _nb()
    assert check_texts(nb) == ["n = 3"]
    assert take_subtitle(nb) == "Prices: how they moved"
    assert nb.cells[0].source.startswith("Intro")
    assert take_subtitle(nbformat.v4.new_notebook()) == ""


def test_key_findings_and_sources_come_from_the_report_folder(tmp_path):
    (tmp_path / "facts.json").write_text(
        '{"a": {"value": 1, "unit": "claims", "label": "claims contradicted", '
        '"key_finding": true}, "b": {"value": 2, "key_finding": false}}')
    (tmp_path / "sources.json").write_text('["usgs-mcs-2026"]')
    spec = ReportSpec("r", Path("x.ipynb"), "R")
    ctx = page_context(spec, tmp_path, stamp={"built_at": "t", "commit": "c"})
    assert [f["text"] for f in ctx["findings"]] == ["1 claim"]
    assert ctx["sources"][0]["id"] == "usgs-mcs-2026"
    page = notebook_html(_nb(), ctx)
    assert 'data-fact="r/a">1 claim</span>' in page
    assert 'href="../index.html#source-usgs-mcs-2026"' in page


def test_every_page_has_a_cite_block_with_title_version_build_and_address():
    page = notebook_html(_nb(), _context())
    cite = page.split('class="reelib-cite"')[1].split("</section>")[0]
    assert "Xenium oxide prices. reelib rare-earth industry reports, version" in cite
    assert "built 2026-01-02 03:04 UTC (commit abc1234)" in cite
    assert "prices-xx/prices-xx.html" in cite
