"""Is a report up to date? Its manifest against the notebook, parameters, code, inputs --
and the report's own files.

A report is current only if its manifest can be read, its fingerprint (notebook,
parameters, reelib's code, the facts of the reports it needs) matches, every processed
table it read still has the same sha256, and every file it wrote is still there with the
same sha256. ``stale_reason`` says which of these failed, so the build can say why it
rebuilds; it never raises on a damaged manifest or facts file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reelib import config
from reelib.files.hashing import sha256_or_missing
from reelib.files.manifest import MANIFEST, changed_output, read_manifest
from reelib.present import layout
from reelib.publish.specs import ReportSpec


def report_fingerprint(spec: ReportSpec, reports_dir: Path, code: str) -> dict[str, Any]:
    """What a report's content depends on, besides the tables it reads."""
    deps = {dep: sha256_or_missing(reports_dir / dep / layout.FACTS) for dep in spec.needs}
    return {"notebook_sha256": sha256_or_missing(spec.notebook), "parameters": spec.parameters,
            "code_sha256": code, "needs_facts_sha256": deps}


def stale_reason(spec: ReportSpec, reports_dir: Path, code: str,
                 processed_dir: Path | None = None) -> str | None:
    """Why the report must be rebuilt, or None when it is up to date."""
    folder = reports_dir / spec.name
    if not (folder / MANIFEST).exists():
        return "never built"
    manifest = read_manifest(folder)
    if manifest is None:
        return "its manifest.json is unreadable"
    old = manifest.get("fingerprint") or {}
    new = report_fingerprint(spec, reports_dir, code)
    if old != new:
        if old.get("notebook_sha256") != new["notebook_sha256"]:
            return "the notebook changed"
        if old.get("parameters") != new["parameters"]:
            return "its parameters changed"
        if old.get("code_sha256") != new["code_sha256"]:
            return "reelib's code changed"
        changed = [d for d in new["needs_facts_sha256"]
                   if (old.get("needs_facts_sha256") or {}).get(d)
                   != new["needs_facts_sha256"][d]]
        return f"facts of {', '.join(changed) or 'a needed report'} changed"
    for table, sha in (manifest.get("reads") or {}).items():
        if sha256_or_missing((processed_dir or config.PROCESSED_DIR) / f"{table}.parquet") != sha:
            return f"processed table {table} changed"
    changed = changed_output(folder, manifest.get("outputs"))
    if changed:
        return changed
    try:
        json.loads((folder / layout.FACTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"its {layout.FACTS} is unreadable"
    return None


def adhoc_specs(reports_dir: Path, known: set[str]) -> list[ReportSpec]:
    """Ad-hoc reports built earlier (``reelib build NAME -p ...``), from their manifests."""
    out = []
    if not reports_dir.is_dir():
        return out
    for folder in sorted(p for p in reports_dir.iterdir() if p.is_dir()):
        manifest = read_manifest(folder) if folder.name not in known else None
        if not manifest or not manifest.get("adhoc") or manifest.get("report") != folder.name:
            continue
        notebook = config.NOTEBOOKS_DIR / str(manifest.get("notebook", ""))
        params = (manifest.get("fingerprint") or {}).get("parameters") or {}
        out.append(ReportSpec(name=folder.name, notebook=notebook,
                              title=str(manifest.get("title") or folder.name),
                              parameters=params if isinstance(params, dict) else {},
                              needs=tuple(manifest.get("needs") or ()),
                              description=str(manifest.get("description") or ""),
                              adhoc=True))
    return out
