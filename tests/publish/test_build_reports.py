"""reelib.publish end to end: a real report, skipping, identical rebuilds, failures."""

import json

import pytest
from helpers import write_notebook, write_reports_file

from reelib import config
from reelib.publish import parameters, schedule


@pytest.mark.slow
def test_one_real_report_end_to_end(tmp_path, processed, monkeypatch):
    processed("reserves")  # make sure data/processed exists
    # the page shows the build's time: fix it (reproducible-builds convention) so two
    # builds can be compared byte for byte
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    out = tmp_path / "reports"
    result = schedule.build_reports(["reserves"], reports_dir=out, jobs=1, echo=lambda *a: None)
    assert result.ok
    folder = out / "reserves"
    declared = parameters.notebook_declarations(config.NOTEBOOKS_DIR
                                           / "03-compare-reserves-and-production.ipynb")
    for slug in declared["figures"]:
        assert (folder / "figures" / f"{slug}.png").stat().st_size > 1000
        assert (folder / "figures" / f"{slug}.svg").exists()
    for slug in declared["tables"]:
        assert (folder / "tables" / f"{slug}.csv").exists()
    facts = json.loads((folder / "facts.json").read_text())
    assert facts["china_reserves_share_pct"]["value"] == pytest.approx(58.7, abs=0.05)
    html = (folder / "reserves.html").read_text()
    assert "Reserves: who holds them" in html and "rep = Report" not in html  # code hidden
    manifest = json.loads((folder / "manifest.json").read_text())
    assert set(manifest["reads"]) >= {"reserves", "production"}
    assert manifest["fingerprint"]["parameters"] == {}
    svg = (folder / "figures" / "reserves-by-edition.svg").read_bytes()
    png = (folder / "figures" / "reserves-by-edition.png").read_bytes()
    assert b"<dc:date>" not in svg
    index = (out / "index.html").read_text()
    assert "Rare-earth reserves against production" in index and "sha256" in index
    # unchanged inputs: skipped; forced: identical figures, tables and HTML page
    again = schedule.build_reports(["reserves"], reports_dir=out, jobs=1, echo=lambda *a: None)
    assert [r.status for r in again.results] == ["up to date"]
    page = (folder / "reserves.html").read_bytes()
    tables = {p.name: p.read_bytes() for p in (folder / "tables").iterdir()}
    schedule.build_reports(["reserves"], reports_dir=out, jobs=1, force=True, echo=lambda *a: None)
    assert (folder / "figures" / "reserves-by-edition.svg").read_bytes() == svg
    assert (folder / "figures" / "reserves-by-edition.png").read_bytes() == png
    assert {p.name: p.read_bytes() for p in (folder / "tables").iterdir()} == tables
    assert (folder / "reserves.html").read_bytes() == page
    assert b"Built 2026-01-01 00:00 UTC" in page


@pytest.mark.slow
def test_a_failing_notebook_keeps_the_previous_report_and_the_rest_builds(tmp_path):
    good = write_notebook(tmp_path / "good.ipynb", "rep.fact('a', n)", {"facts": ["a"]})
    bad = write_notebook(tmp_path / "bad.ipynb", "raise ValueError('boom in cell')",
                         {"facts": ["a"]})
    lazy = write_notebook(tmp_path / "lazy.ipynb", "pass", {"facts": ["a"], "figures": ["f"]})
    path = write_reports_file(tmp_path, [
        {"name": "good", "notebook": good.name},
        {"name": "bad", "notebook": bad.name},
        {"name": "after-bad", "notebook": good.name, "needs": ["bad"]},
        {"name": "lazy", "notebook": lazy.name},
    ])
    out = tmp_path / "reports"
    (out / "bad").mkdir(parents=True)
    (out / "bad" / "facts.json").write_text('{"previous": "good build"}')
    lines = []
    result = schedule.build_reports(reports_dir=out, reports_file=path, jobs=2, echo=lines.append)
    status = {r.name: r for r in result.results}
    assert not result.ok
    assert status["good"].status == "built" and status["bad"].status == "failed"
    assert status["after-bad"].status == "blocked" and status["lazy"].status == "failed"
    assert "ValueError" in status["bad"].error and "boom in cell" in status["bad"].error
    assert "raise ValueError" in status["bad"].error and "bad.ipynb" in status["bad"].error
    assert "figures/f.png" in status["lazy"].error
    assert (out / "_failed" / "bad.ipynb").exists() and (out / "_failed" / "bad.html").exists()
    assert json.loads((out / "bad" / "facts.json").read_text()) == {"previous": "good build"}
    assert json.loads((out / "good" / "facts.json").read_text())["a"]["value"] == 1
    assert not (out / ".staging").exists()
    assert "failed" in (out / "index.html").read_text()

