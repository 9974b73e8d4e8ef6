"""Promise 4, up to date means complete: a copy of a real build is damaged in a temporary
folder; the next build must notice, say why, and rebuild -- never crash, never skip."""

from __future__ import annotations

import json

import pytest

from reelib.publish import schedule
from reelib.publish.freshness import stale_reason
from reelib.publish.provenance import code_fingerprint
from reelib.publish.specs import load_reports_file

pytestmark = pytest.mark.slow


def _rebuild(reports, names=("reserves",)):
    lines: list[str] = []
    result = schedule.build_reports(list(names), reports_dir=reports, jobs=2,
                                    echo=lines.append)
    return {r.name: r for r in result.results}, lines


def _spec(name):
    return next(s for s in load_reports_file() if s.name == name)


def test_an_untouched_copy_is_up_to_date(reports_copy):
    status, _ = _rebuild(reports_copy, ["reserves", "supply-chain-stages"])
    assert {r.status for r in status.values()} == {"up to date"}


@pytest.mark.parametrize("damage, reason", [
    (lambda r: (r / "reserves" / "reserves.html").unlink(), "reserves.html is missing"),
    (lambda r: (r / "reserves" / "figures" / "reserves-by-edition.png").unlink(),
     "figures/reserves-by-edition.png is missing"),
    (lambda r: (r / "reserves" / "tables" / "world-rp-years.csv").write_text("year\n"),
     "tables/world-rp-years.csv was changed"),
    (lambda r: (r / "reserves" / "manifest.json").write_text('{"report": "res'),
     "manifest.json is unreadable"),
    (lambda r: (r / "reserves" / "facts.json").write_text('{"china_res'),
     "facts.json"),
])
def test_a_damaged_report_is_stale_with_its_reason(reports_copy, damage, reason):
    damage(reports_copy)
    assert reason in stale_reason(_spec("reserves"), reports_copy, code_fingerprint())


def test_a_damaged_report_is_rebuilt_saying_why(reports_copy):
    """One rebuild stands for all the damages above: the same path runs whatever the
    reason (each reason is checked above without paying a rebuild each)."""
    (reports_copy / "reserves" / "manifest.json").write_text('{"report": "res')
    (reports_copy / "reserves" / "reserves.html").unlink()
    status, lines = _rebuild(reports_copy)
    assert status["reserves"].status == "built"
    assert any("manifest.json is unreadable" in ln for ln in lines)
    assert stale_reason(_spec("reserves"), reports_copy, code_fingerprint()) is None
    assert (reports_copy / "reserves" / "reserves.html").exists()


def test_a_manifest_from_before_output_hashes_is_stale(reports_copy):
    path = reports_copy / "reserves" / "manifest.json"
    manifest = json.loads(path.read_text())
    del manifest["outputs"]
    path.write_text(json.dumps(manifest))
    assert "lists no outputs" in stale_reason(_spec("reserves"), reports_copy,
                                              code_fingerprint())


def test_a_truncated_facts_file_of_another_report_does_not_stop_the_build(reports_copy):
    """The old build crashed on every run until --force."""
    (reports_copy / "supply-chain-stages" / "facts.json").write_text('{"china_')
    status, lines = _rebuild(reports_copy, ["reserves", "supply-chain-stages"])
    assert status["reserves"].status == "up to date"
    assert status["supply-chain-stages"].status == "built"
    assert json.loads((reports_copy / "facts.json").read_text())["supply-chain-stages"]


def test_a_needed_reports_changed_facts_make_the_dependant_stale(reports_copy):
    spec = _spec("reserves")
    patched = spec.__class__(**{**spec.__dict__, "needs": ("supply-chain-stages",)})
    facts_path = reports_copy / "supply-chain-stages" / "facts.json"
    assert "facts of" in stale_reason(patched, reports_copy, code_fingerprint())
    facts_path.write_text(facts_path.read_text().replace("91.3", "91.4"))
    assert stale_reason(_spec("supply-chain-stages"), reports_copy, code_fingerprint())


def test_the_clean_runs_only_when_its_inputs_or_outputs_changed(project, monkeypatch):
    from helpers import run

    from reelib import config

    monkeypatch.setenv("REELIB_MIRROR", str(config.mirror_dir()))
    first = run(["data"], root=project)
    assert first.returncode == 0, first.stderr
    assert "is up to date" in first.stdout  # a copy of a current clean: nothing to do
    (project / "data" / "processed" / "cpi.parquet").unlink()
    again = run(["data"], root=project)
    assert again.returncode == 0 and "clean: wrote" in again.stdout, again.stderr
    # no source changed: every reader's frames come from the reader cache
    assert "read 0 of" in again.stdout, again.stdout
    assert (project / "data" / "processed" / "cpi.parquet").exists()
