"""Write ``reports/index.html``: every report, its key findings, and the build's provenance.

Key findings are the facts a notebook recorded with ``key_finding=True``; their text is
formatted from the recorded values, so nothing on the page is typed by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

import jinja2

from reelib import __version__ as reelib_version
from reelib.present import layout
from reelib.publish.freshness import adhoc_specs
from reelib.publish.page import TEMPLATES_DIR, key_findings, read_json
from reelib.publish.provenance import build_stamp, package_versions
from reelib.files.atomic import write_text_atomic
from reelib.sources.registry import load_registry


def _report_entry(spec, result, reports_dir: Path) -> dict:
    folder = reports_dir / spec.name
    facts = read_json(folder / layout.FACTS, {})
    status = result.status if result is not None else (
        "up to date" if folder.exists() else "never built")
    html = folder / layout.page_file(spec.name)
    failed = reports_dir / layout.FAILED_DIR / layout.page_file(spec.name)
    notebook = folder / layout.notebook_file(spec.name)
    rel = lambda p: str(p.relative_to(reports_dir))  # noqa: E731
    return {
        "name": spec.name, "title": spec.title, "description": spec.description,
        "status": status, "status_class": status.replace(" ", "-"),
        "html": rel(html) if html.exists() else "",
        "notebook": rel(notebook) if notebook.exists() else "",
        "failed": rel(failed) if failed.exists() else "",
        "error": result.error if result is not None else "",
        "figures": [rel(p) for p in sorted((folder / layout.FIGURES).glob("*.png"))],
        "tables": [rel(p) for p in sorted((folder / layout.TABLES).glob("*.csv"))],
        "parameters": json.dumps(spec.parameters, sort_keys=True) if spec.parameters else "",
        "adhoc": spec.adhoc, "group": spec.group,
        "findings": key_findings(facts),
    }


def sources_read(reports_dir: Path) -> set[str]:
    """The source ids the reports in ``reports_dir`` read (their ``sources.json``): the
    index cites what the build read, not everything registered."""
    read: set[str] = set()
    for path in sorted(reports_dir.glob(f"*/{layout.SOURCES}")):
        try:
            ids = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a damaged file: that report's page says so; the index lists the rest
        read.update(str(i) for i in ids if isinstance(i, str))
    return read


def write_index(reports_dir: Path, specs: list, results: list,
                stamp: dict[str, str] | None = None) -> Path:
    """Render ``index.html`` for the reports in reports-file order."""
    by_name = {r.name: r for r in results}
    specs = [s for s in specs if not s.adhoc]  # ad-hoc reports: from their folders, below
    specs += adhoc_specs(reports_dir, {s.name for s in specs})
    entries = [_report_entry(s, by_name.get(s.name), reports_dir) for s in specs]
    n_ok = sum(e["status"] in ("built", "up to date") for e in entries)
    n_reports = len(entries)
    groups: dict[str, list[dict]] = {}
    for e in entries:  # a matrix's reports: one compact list, not dozens of full cards
        if e["group"]:
            groups.setdefault(e["group"], []).append(e)
    entries = [e for e in entries if not e["group"]]
    read = sources_read(reports_dir)
    sources = [{"id": s.id, "kind": s.kind, "publisher": s.publisher, "title": s.title,
                "edition": s.edition, "licence": s.licence,
                "link": s.link,
                "files": [{"name": f.name, "sha256": f.sha256} for f in s.files]}
               for s in load_registry().values() if s.id in read]
    stamp = stamp or build_stamp()
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True)
    html = env.get_template("index.html").render(
        reports=entries, groups=groups, sources=sources, packages=package_versions(),
        commit=stamp["commit"], built_at=stamp["built_at"], n_ok=n_ok, n_reports=n_reports,
        version=reelib_version)
    out = reports_dir / layout.INDEX_PAGE
    write_text_atomic(out, html)
    return out
