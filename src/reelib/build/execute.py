"""Run one report: papermill into a staging folder, check what it declares, write its HTML
page and manifest, then swap it in for the previous report.

A failing notebook is kept at ``reports/_failed/<report>.ipynb`` (and ``.html``).
"""

from __future__ import annotations

import html
import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import nbformat

from reelib import config
from reelib.build.freshness import report_fingerprint
from reelib.build.parameters import notebook_declarations, validate_parameters
from reelib.build.provenance import reelib_version
from reelib.build.specs import ReportSpec
from reelib.exceptions import MissingArtefactError, NotebookExecutionError
from reelib.files.atomic import write_text_atomic

FAILED_DIR = "_failed"
#: Kernels log only critical messages: their routine TCP and shutdown warnings would bury
#: the build's progress lines (notebook errors still surface through papermill).
KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL"]
STAGING_DIR = ".staging"


def _html(notebook: Path, out: Path, *, hide_code: bool = True) -> None:
    from nbconvert import HTMLExporter

    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:  # papermill gives this cell a random id; the page must not change
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
    exporter = HTMLExporter(exclude_input=hide_code, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    exporter.log.setLevel("ERROR")  # its missing-alt warning: we fill the alt text below
    body, _ = exporter.from_notebook_node(nb)
    # nbconvert's template drops the alt text reelib.present.report puts in the output metadata and
    # writes a placeholder instead; put the figure titles back, in output order.
    alts = [o.get("metadata", {}).get("image/png", {}).get("alt", "")
            for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
            if "image/png" in o.get("data", {})]
    placeholder = 'alt="No description has been provided for this image"'
    for alt in alts:
        if alt and placeholder in body:
            body = body.replace(placeholder, f'alt="{html.escape(alt)}"', 1)
    write_text_atomic(out, body)


def _check_artefacts(spec: ReportSpec, staging: Path) -> None:
    declared = notebook_declarations(spec.notebook)
    missing = []
    for slug in declared["figures"]:
        missing += [f"figures/{slug}.{ext}" for ext in ("png", "svg")
                    if not (staging / "figures" / f"{slug}.{ext}").exists()]
    missing += [f"tables/{slug}.csv" for slug in declared["tables"]
                if not (staging / "tables" / f"{slug}.csv").exists()]
    facts_path = staging / "facts.json"
    facts = json.loads(facts_path.read_text()) if facts_path.exists() else {}
    missing += [f"fact {k!r}" for k in declared["facts"] if k not in facts]
    if missing:
        raise MissingArtefactError(spec.name, missing)


def run_report(spec: ReportSpec, reports_dir: Path, code: str) -> None:
    """Execute one report into staging, check it, then swap it in (see module doc)."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    parameters = validate_parameters(spec)
    staging = reports_dir / STAGING_DIR / spec.name
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    executed = staging / f"{spec.name}.ipynb"
    failed_dir = reports_dir / FAILED_DIR
    try:
        parameters["report_dir"] = str(staging.relative_to(config.PROJECT_ROOT))
    except ValueError:
        parameters["report_dir"] = str(staging)
    try:
        pm.execute_notebook(str(spec.notebook), str(executed), parameters=parameters,
                            kernel_name="python3", progress_bar=False,
                            cwd=str(config.PROJECT_ROOT), request_save_on_cell_execute=False,
                            execution_timeout=900, extra_arguments=KERNEL_ARGS)
        _check_artefacts(spec, staging)
    except (PapermillExecutionError, MissingArtefactError) as exc:
        failed_dir.mkdir(parents=True, exist_ok=True)
        kept = failed_dir / f"{spec.name}.ipynb"
        if executed.exists():
            shutil.copyfile(executed, kept)
            _html(kept, kept.with_suffix(".html"), hide_code=False)
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, MissingArtefactError):
            raise
        raise NotebookExecutionError(spec.name, spec.notebook.name, exc.cell_index, exc.ename,
                                     exc.evalue, kept, source=exc.source or "") from exc
    _html(executed, staging / f"{spec.name}.html")
    reads = json.loads((staging / "reads.json").read_text()) if (
        staging / "reads.json").exists() else {}
    manifest = {"report": spec.name, "title": spec.title, "notebook": spec.notebook.name,
                "fingerprint": report_fingerprint(spec, reports_dir, code), "reads": reads,
                "reelib_version": reelib_version(),
                "built_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
    write_text_atomic(staging / "manifest.json", json.dumps(manifest, indent=2) + "\n")
    final = reports_dir / spec.name
    old = reports_dir / STAGING_DIR / f"{spec.name}.old"
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    for stale in (failed_dir / f"{spec.name}.ipynb", failed_dir / f"{spec.name}.html"):
        stale.unlink(missing_ok=True)


