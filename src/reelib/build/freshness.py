"""Is a report up to date? Its manifest against the notebook, parameters, code and inputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reelib import config
from reelib.build.specs import ReportSpec
from reelib.files.hashing import sha256_file


def report_fingerprint(spec: ReportSpec, reports_dir: Path, code: str) -> dict[str, Any]:
    deps = {}
    for dep in spec.needs:
        facts = reports_dir / dep / "facts.json"
        deps[dep] = sha256_file(facts) if facts.exists() else ""
    return {"notebook_sha256": sha256_file(spec.notebook), "parameters": spec.parameters,
            "code_sha256": code, "needs_facts_sha256": deps}


def is_up_to_date(spec: ReportSpec, reports_dir: Path, code: str) -> bool:
    """True when the report's manifest matches the notebook, parameters, code and inputs."""
    manifest_path = reports_dir / spec.name / "manifest.json"
    if not manifest_path.exists():
        return False
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("fingerprint") != report_fingerprint(spec, reports_dir, code):
        return False
    for table, sha in manifest.get("reads", {}).items():
        path = config.PROCESSED_DIR / f"{table}.parquet"
        if not path.exists() or sha256_file(path) != sha:
            return False
    return True


