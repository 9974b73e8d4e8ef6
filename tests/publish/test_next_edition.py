"""A next edition is one registry entry: a synthetic MCS 2027 made from the MCS 2026 release
(every year + 1, China's rare-earth output changed) is registered in a temporary copy of
the project, built, and every latest-edition report moves to it.

The copy holds the project's notebooks, reports file and registry and the checkout's
``data/processed`` (what a user has when a source publishes again); its ``data/raw`` is
fetched from the mirror like a fresh clone's, plus the synthetic file. Nothing else is
edited: no notebook, no reports.yaml line, no row count, no reader. The clean then reads
only the new file: the other sources' frames come from the reader cache.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from reelib import config

pytestmark = pytest.mark.slow

NEW_ID, NEW_EDITION, NEW_FILE = "usgs-mcs-2027", "MCS 2027", "MCS2027_Commodities_Data.csv"
CHINA_RE_2026 = "300,000"  # China's rare-earth output for 2026 in the synthetic edition
# the reports whose defaults are "the newest edition"; the revisions table they share is
# checked directly (test_revisions_appear_between_the_two_editions)
REPORTS = ["critical-minerals-atlas", "production-shares-rare-earths", "reserves"]


def _next_year(cell: str) -> str:
    """'2025' -> '2026'; a range '2021–24' -> '2022–25'; anything else unchanged."""
    if re.fullmatch(r"\d{4}", cell):
        return str(int(cell) + 1)
    m = re.fullmatch(r"(\d{4})([–-])(\d{2})", cell)
    return f"{int(m.group(1)) + 1}{m.group(2)}{int(m.group(3)) + 1:02d}" if m else cell


def make_next_edition(mcs2026: Path, out: Path) -> str:
    """Write the synthetic MCS 2027 file (the MCS 2026 release with its published
    corrections applied, every year + 1, China's rare-earth output changed); return its
    sha256."""
    from reelib.reference.corrections import apply_corrections

    raw = pd.read_csv(io.StringIO(mcs2026.read_text(encoding="cp1252")), dtype=str,
                      keep_default_na=False)
    raw = apply_corrections(raw, "usgs-mcs-2026", mcs2026.name).drop(columns="correction_id")
    raw["Year"] = raw["Year"].map(_next_year)
    china = ((raw["MCS chapter"] == "RARE EARTHS") & (raw["Country"] == "China")
             & (raw["Statistics"] == "Production") & (raw["Year"] == "2026"))
    assert china.sum() == 1
    raw.loc[china, "Value"] = CHINA_RE_2026
    out.write_bytes(raw.to_csv(index=False, lineterminator="\r\n").encode("cp1252"))
    return hashlib.sha256(out.read_bytes()).hexdigest()


def register(registry_text: str, sha256: str) -> str:
    """The registry with one entry appended: the MCS 2026 entry, copied, with id, edition,
    date, file name and hash changed (what docs/updating-editions.md tells a user to do)."""
    doc = yaml.safe_load(registry_text)
    entry = dict(next(s for s in doc["sources"] if s["id"] == "usgs-mcs-2026"))
    entry.update(id=NEW_ID, edition=NEW_EDITION, published="2027-01-30",
                 version="synthetic test edition", doi=None,
                 files=[{"name": NEW_FILE, "sha256": sha256, "download_url": None}])
    return registry_text + "\n" + yaml.safe_dump([entry], sort_keys=False, allow_unicode=True)


@pytest.fixture(scope="module")
def next_edition(tmp_path_factory, processed):
    mirror = config.mirror_dir()
    if mirror is None:
        pytest.fail("no mirror beside the checkout: set REELIB_MIRROR")
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(config.NOTEBOOKS_DIR, root / "notebooks")
    shutil.copytree(config.PROCESSED_DIR, root / "data" / "processed",
                    ignore=shutil.ignore_patterns(".build.lock"))
    raw = root / "data" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    original = (config.RAW_DIR / "registry.yaml").read_text(encoding="utf-8")
    (raw / NEW_ID).mkdir()
    sha = make_next_edition(mirror / "usgs-mcs-2026" / "MCS2026_Commodities_Data.csv",
                            raw / NEW_ID / NEW_FILE)
    (raw / "registry.yaml").write_text(register(original, sha), encoding="utf-8")
    before = {p.relative_to(root): p.read_bytes() for p in (root / "notebooks").rglob("*")
              if p.is_file()}
    env = {**os.environ, "REELIB_ROOT": str(root), config.MIRROR_ENV_VAR: str(mirror)}
    run = subprocess.run([sys.executable, "-m", "reelib.cli", "build", *REPORTS],
                         cwd=root, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert f"read 1 of {len(yaml.safe_load(original)['sources']) + 1} sources" in run.stdout
    return root, before


def _facts(root: Path, report: str) -> dict:
    return json.loads((root / "reports" / report / "facts.json").read_text(encoding="utf-8"))


def test_the_atlas_moves_to_the_new_edition(next_edition):
    root, _ = next_edition
    atlas = pd.read_csv(root / "reports" / "critical-minerals-atlas" / "tables" / "atlas.csv")
    assert set(atlas["edition"]) == {NEW_EDITION}
    assert set(atlas["year"]) == {2026}
    assert _facts(root, "critical-minerals-atlas")["commodities_covered"]["edition"] == NEW_EDITION


def test_the_latest_shares_use_the_changed_value(next_edition):
    root, _ = next_edition
    production = pd.read_parquet(root / "data" / "processed" / "production_latest.parquet")
    china = production[(production["commodity"] == "Rare earths")
                       & (production["country_iso3"] == "CHN") & (production["year"] == 2026)]
    assert china["edition"].tolist() == [NEW_EDITION]
    assert china["production_t"].tolist() == [300_000]
    facts = _facts(root, "production-shares-rare-earths")
    assert NEW_EDITION in {f.get("edition") for f in facts.values()}


def test_the_reserves_report_defaults_to_the_new_edition(next_edition):
    root, _ = next_edition
    facts = _facts(root, "reserves")
    assert {f.get("edition") for f in facts.values() if f.get("edition")} == {NEW_EDITION}


def test_revisions_appear_between_the_two_editions(next_edition):
    root, _ = next_edition
    revisions = pd.read_parquet(root / "data" / "processed" / "revisions.parquet")
    china = revisions[(revisions["table"] == "production") & (revisions["commodity"] ==
                      "Rare earths") & (revisions["country_iso3"] == "CHN")
                      & (revisions["edition_new"] == NEW_EDITION)]
    assert not china.empty
    assert (china["edition_old"] == "MCS 2026").all()


def test_no_other_file_changed(next_edition):
    root, before = next_edition
    after = {p.relative_to(root): p.read_bytes() for p in (root / "notebooks").rglob("*")
             if p.is_file()}
    assert after == before
    original = (config.RAW_DIR / "registry.yaml").read_text(encoding="utf-8")
    assert (root / "data" / "raw" / "registry.yaml").read_text(
        encoding="utf-8").startswith(original)
