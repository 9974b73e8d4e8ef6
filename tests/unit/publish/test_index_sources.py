"""reelib.publish.index.sources_read: the index cites what the build read."""

import json

from reelib.publish.index import sources_read


def test_only_sources_a_report_read_are_listed(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "sources.json").write_text(json.dumps(["usgs-mcs-2026", "fred-cpi"]))
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "sources.json").write_text(json.dumps(["usgs-mcs-2026"]))
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "sources.json").write_text("{not json")  # damaged: skipped
    assert sources_read(tmp_path) == {"usgs-mcs-2026", "fred-cpi"}


def test_no_reports_read_nothing(tmp_path):
    assert sources_read(tmp_path) == set()
