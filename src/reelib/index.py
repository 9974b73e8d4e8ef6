"""Write ``reports/index.html``: every report, its key findings, and the build's provenance.

Key findings are the facts a notebook recorded with ``key_finding=True``; their text is
formatted from the recorded values, so nothing on the page is typed by hand.
"""

from __future__ import annotations

import json
import platform
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import jinja2

from reelib import config
from reelib.io import write_text_atomic
from reelib.sources import load_registry

PACKAGES = ("reelib", "pandas", "numpy", "pyarrow", "statsmodels", "scipy", "matplotlib",
            "seaborn", "pandera", "pooch", "country-converter", "papermill", "nbconvert",
            "nbval", "ipykernel")


def format_fact(fact: dict) -> str:
    """Format a recorded fact for prose: value with its unit ('71%', '380,000 t')."""
    value, unit = fact.get("value"), fact.get("unit", "")
    if value is None:
        return "not available"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"{value}{(' ' + unit) if unit else ''}"
    if unit in ("%", "pct"):
        return f"{value:.1f}%" if abs(value) < 10 else f"{value:.0f}%"
    if unit in ("pp", "percentage points"):
        return f"{value:+.1f} percentage points"
    if value != 0 and abs(value) < 0.01:
        text = f"{value:.2g}"
    else:
        text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}".strip()


def package_versions() -> list[tuple[str, str]]:
    """Return (package, version) for the packages a report depends on, plus Python."""
    out = [("python", platform.python_version())]
    for name in PACKAGES:
        try:
            out.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            out.append((name, "not installed"))
    return out


def _report_entry(spec, result, reports_dir: Path) -> dict:
    folder = reports_dir / spec.name
    facts_path = folder / "facts.json"
    facts = json.loads(facts_path.read_text()) if facts_path.exists() else {}
    status = result.status if result is not None else (
        "up to date" if folder.exists() else "never built")
    html = folder / f"{spec.name}.html"
    failed = reports_dir / "_failed" / f"{spec.name}.html"
    rel = lambda p: str(p.relative_to(reports_dir))  # noqa: E731
    return {
        "name": spec.name, "title": spec.title, "description": spec.description,
        "status": status, "status_class": status.replace(" ", "-"),
        "html": rel(html) if html.exists() else "",
        "notebook": rel(folder / f"{spec.name}.ipynb") if (folder / f"{spec.name}.ipynb").exists()
        else "",
        "failed": rel(failed) if failed.exists() else "",
        "error": result.error if result is not None else "",
        "figures": [rel(p) for p in sorted((folder / "figures").glob("*.png"))],
        "tables": [rel(p) for p in sorted((folder / "tables").glob("*.csv"))],
        "parameters": json.dumps(spec.parameters, sort_keys=True) if spec.parameters else "",
        "findings": [{"label": f.get("label") or key, "text": format_fact(f),
                      "source": f.get("source", ""), "edition": f.get("edition", "")}
                     for key, f in facts.items() if isinstance(f, dict) and f.get("key_finding")],
    }


def write_index(reports_dir: Path, specs: list, results: list) -> Path:
    """Render ``index.html`` for the reports in reports-file order."""
    by_name = {r.name: r for r in results}
    entries = [_report_entry(s, by_name.get(s.name), reports_dir) for s in specs]
    from reelib.build import git_commit

    sources = [{"id": s.id, "kind": s.kind, "publisher": s.publisher, "title": s.title,
                "edition": s.edition, "licence": s.licence,
                "link": f"https://doi.org/{s.doi}" if s.doi else (s.landing_url or ""),
                "files": [{"name": f.name, "sha256": f.sha256} for f in s.files]}
               for s in load_registry().values()]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(config.REFERENCE_DIR.parent
                                                            / "templates"),
                             autoescape=True)
    html = env.get_template("index.html").render(
        reports=entries, sources=sources, packages=package_versions(), commit=git_commit(),
        built_at=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        n_ok=sum(e["status"] in ("built", "up to date") for e in entries))
    out = reports_dir / "index.html"
    write_text_atomic(out, html)
    return out
