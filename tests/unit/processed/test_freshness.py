"""data/processed is current only while its inputs, code and files are unchanged."""

import json

import pandas as pd

from reelib.processed import freshness, store
from reelib.processed.pipeline import write_tables


def _write(tmp_path):
    out = tmp_path / "processed"
    out.mkdir()
    write_tables({"cpi": pd.DataFrame({"month": ["2024-01"], "value": [1.0]})}, out)
    return out


def test_a_fresh_clean_is_current_and_damage_or_loss_is_named(tmp_path):
    out = _write(tmp_path)
    assert freshness.stale_reason(out) is None
    (out / "cpi.csv").write_text("month,value\n2024-01,2.0\n")
    assert freshness.stale_reason(out) == "cpi.csv was changed"
    (out / "cpi.csv").unlink()
    assert freshness.stale_reason(out) == "cpi.csv is missing"


def test_a_changed_registry_or_an_old_manifest_means_clean_again(tmp_path):
    out = _write(tmp_path)
    other = tmp_path / "registry.yaml"
    other.write_text("sources: {}\n")
    assert "registry or the cleaning code" in freshness.stale_reason(out, other)
    manifest = json.loads((out / "manifest.json").read_text())
    del manifest["outputs"]
    (out / "manifest.json").write_text(json.dumps(manifest))
    assert freshness.stale_reason(out) == "the manifest lists no outputs"
    (out / "manifest.json").write_text("{trunc")
    assert freshness.stale_reason(out) == "no readable manifest.json"


def test_a_table_is_read_once_and_each_caller_gets_its_own_copy(tmp_path):
    out = _write(tmp_path)
    first = store.load_table("cpi", out)
    first.loc[0, "value"] = 99.0
    assert store.load_table("cpi", out).loc[0, "value"] == 1.0
    write_tables({"cpi": pd.DataFrame({"month": ["2024-01"], "value": [3.0]})}, out)
    assert store.load_table("cpi", out).loc[0, "value"] == 3.0  # changed file: read again
