"""Which code makes reports stale: report code does, the tools around the build do not."""

import shutil

from reelib.publish import provenance


def test_changing_a_tool_keeps_reports_current_and_changing_report_code_does_not(
        tmp_path, monkeypatch):
    pkg = tmp_path / "reelib"
    shutil.copytree(provenance.PACKAGE_DIR, pkg,
                    ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(provenance, "PACKAGE_DIR", pkg)
    before = provenance.code_fingerprint()
    for tool in ("devtools/benchmark.py", "devtools/screenshots.py", "cli.py"):
        (pkg / tool).write_text((pkg / tool).read_text() + "\n# a comment\n")
    assert provenance.code_fingerprint() == before
    for code in ("present/text.py", "publish/templates/report/report.css",
                 "reference/events.csv"):
        (pkg / code).write_text((pkg / code).read_text() + "\n")
        assert provenance.code_fingerprint() != before, code
        before = provenance.code_fingerprint()
