"""Run one report (inside its worker process): execute into a staging folder, check what
the notebook declares, write the HTML page and a manifest of every output's sha256, then
swap the new report in for the previous one.

The swap is one atomic exchange of two folders (Linux ``renameat2``), so at no moment is
there no complete report under ``reports/<name>``; where the file system cannot exchange,
two renames are used and ``recover_swaps`` restores a report a kill left half-swapped. A
failed notebook is kept at ``reports/_failed/<report>.ipynb`` (and ``.html``) and the
previous good report stays; a successful build removes the stale failed copy.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from reelib import config
from reelib.files.manifest import MANIFEST, folder_hashes, write_manifest
from reelib.present import layout
from reelib.present.layout import FAILED_DIR, PROGRESS, STAGING_DIR
from reelib.publish.freshness import report_fingerprint
from reelib.publish.page import notebook_html, page_context
from reelib.publish.parameters import notebook_declarations, validate_parameters
from reelib.publish.provenance import reelib_version
from reelib.publish.specs import ReportSpec
from reelib.exceptions import (MissingArtefactError, NotebookExecutionError,
                               ReportTimeoutError)
from reelib.files.atomic import write_bytes_atomic, write_text_atomic
from reelib.files.paths import ensure_inside, exchange, remove_inside

#: Kernels log only critical messages: their routine TCP and shutdown warnings would bury
#: the build's progress lines (notebook errors still surface through papermill).
KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL"]
ENGINES = ("inprocess", "kernel")


#: a file that, when named in this environment variable, receives one JSON line of phase
#: timings per built report (``make bench``)
PHASES_ENV = "REELIB_PHASES_LOG"


def check_artefacts(spec: ReportSpec, staging: Path) -> None:
    """Raise ``MissingArtefactError`` for a declared figure, table or fact not written."""
    declared = notebook_declarations(spec.notebook)
    missing = []
    for slug in declared["figures"]:
        missing += [f"{layout.FIGURES}/{slug}.{fmt}" for fmt in layout.FIGURE_FORMATS
                    if not layout.figure_path(staging, slug, fmt).exists()]
    missing += [f"{layout.TABLES}/{slug}.csv" for slug in declared["tables"]
                if not layout.table_path(staging, slug).exists()]
    facts_path = staging / layout.FACTS
    facts = json.loads(facts_path.read_text()) if facts_path.exists() else {}
    missing += [f"fact {k!r}" for k in declared["facts"] if k not in facts]
    if missing:
        raise MissingArtefactError(spec.name, missing)


def swap_in(staging: Path, final: Path, root: Path) -> None:
    """Put ``staging`` at ``final`` so that a complete report is there at every moment."""
    ensure_inside(staging, root, "staging folder")
    if final.is_symlink():  # a link named like a report is never followed
        final.unlink()
    ensure_inside(final, root, "report folder")
    if not final.exists():
        staging.rename(final)
        return
    if exchange(staging, final):
        remove_inside(staging, root)  # now holds the previous report
        return
    old = staging.with_name(staging.name + ".old")
    final.rename(old)
    staging.rename(final)
    remove_inside(old, root)


def recover_swaps(reports_dir: Path) -> list[str]:
    """Put back previous reports that a kill left in ``.staging/*.old`` (fallback swap)."""
    restored = []
    for old in sorted((reports_dir / STAGING_DIR).glob("*.old")):
        name = old.name.split(".")[0]
        final = reports_dir / name
        if not final.exists() and (old / MANIFEST).exists():
            old.rename(final)
            restored.append(name)
    return restored


def keep_failed(executed: Path, reports_dir: Path, spec: ReportSpec) -> Path | None:
    """Copy a failed executed notebook (and its page, code shown) to ``_failed/``."""
    if not executed.exists():
        return None
    failed = reports_dir / FAILED_DIR
    kept = failed / layout.notebook_file(spec.name)
    ensure_inside(kept, reports_dir, "failed copy")
    data = executed.read_bytes()
    write_bytes_atomic(kept, data)
    try:
        import nbformat

        nb = nbformat.reads(data.decode("utf-8"), as_version=4)
        context = page_context(spec)
        context.update(title=f"{context['title']} (failed)")
        write_text_atomic(kept.with_suffix(".html"),
                          notebook_html(nb, context, hide_code=False))
    except Exception:  # a half-written notebook: the .ipynb copy is what can be read
        pass
    return kept


def remove_failed(reports_dir: Path, name: str) -> None:
    """Remove a report's stale failed copy (it built, or is up to date again)."""
    for ext in ("ipynb", "html"):
        remove_inside(reports_dir / FAILED_DIR / f"{name}.{ext}", reports_dir)


def staging_dir(reports_dir: Path, name: str, pid: int | None = None) -> Path:
    """This process's staging folder for a report (unique per process)."""
    return reports_dir / STAGING_DIR / f"{name}.{pid or os.getpid()}"


def _report_dir_parameter(staging: Path) -> str:
    try:
        return str(staging.relative_to(config.PROJECT_ROOT))
    except ValueError:
        return str(staging)


def _alarm(seconds: float) -> threading.Timer:
    """Interrupt this process (as Ctrl-C would) after ``seconds``: the running cell fails."""
    timer = threading.Timer(seconds, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.daemon = True
    timer.start()
    return timer


def _write_progress(staging: Path, index: int, cell) -> None:
    first = next((ln.strip() for ln in cell.source.splitlines()
                  if ln.strip() and not ln.strip().startswith("#")), "")
    write_text_atomic(staging / PROGRESS, json.dumps({"cell": index, "source": first[:70]}))


def read_progress(staging: Path) -> str:
    """'cell N ('first line')' of the cell a report was running, or ''."""
    try:
        info = json.loads((staging / PROGRESS).read_text())
        return f"cell {info['cell']} ({info['source']!r})"
    except (OSError, ValueError, KeyError):
        return ""


def run_report(spec: ReportSpec, reports_dir: Path, code: str, *, engine: str = "inprocess",
               timeout: float = 600.0, stamp: dict[str, str] | None = None) -> None:
    """Execute one report into staging, check it, then swap it in (see module doc)."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    from reelib.processed.domains import check_parameters

    began = time.perf_counter()
    parameters = validate_parameters(spec)
    check_parameters(parameters)
    staging = staging_dir(reports_dir, spec.name)
    # confinement before the first write: a '.staging' link pointing elsewhere is refused
    ensure_inside(staging, reports_dir, "staging folder")
    remove_inside(staging, reports_dir)
    staging.mkdir(parents=True)
    executed = staging / layout.notebook_file(spec.name)
    parameters["report_dir"] = _report_dir_parameter(staging)
    os.environ["REELIB_REPORT"] = spec.name  # this process runs this one report (Report())
    options: dict = {"kernel_name": "python3", "progress_bar": False,
                     "cwd": str(config.PROJECT_ROOT)}
    if engine == "inprocess":
        from reelib.publish import inprocess_engine as inprocess

        options.update(engine_name=inprocess.ENGINE_NAME,
                       on_cell=lambda i, cell: _write_progress(staging, i, cell))
    else:
        options.update(request_save_on_cell_execute=False, execution_timeout=int(timeout),
                       extra_arguments=KERNEL_ARGS)
    alarm = _alarm(timeout)
    timed_out = False
    try:
        executed_at = time.perf_counter()
        try:
            pm.execute_notebook(str(spec.notebook), str(executed), parameters=parameters,
                                **options)
        except KeyboardInterrupt:
            timed_out = True
        except PapermillExecutionError as exc:
            if exc.ename == "KeyboardInterrupt" and not alarm.is_alive():
                timed_out = True
            else:
                kept = keep_failed(executed, reports_dir, spec)
                raise NotebookExecutionError(spec.name, spec.notebook.name, exc.cell_index,
                                             exc.ename, exc.evalue, kept,
                                             source=exc.source or "") from exc
        finally:
            alarm.cancel()
        if timed_out:
            where = read_progress(staging) or "an unknown cell"
            kept = keep_failed(executed, reports_dir, spec)
            raise ReportTimeoutError(
                f"report {spec.name!r}: {spec.notebook.name} ran past its {timeout:.0f} s "
                f"limit in {where}; stopped. "
                + (f"The notebook so far is kept at {kept}." if kept else "")
                + " Raise 'timeout' in notebooks/reports.yaml or pass --timeout.")
        phases = {"prepare_s": executed_at - began,
                  "execute_s": time.perf_counter() - executed_at}
        try:
            check_artefacts(spec, staging)
        except MissingArtefactError:
            keep_failed(executed, reports_dir, spec)
            raise
        paged_at = time.perf_counter()
        import nbformat

        nb = nbformat.read(executed, as_version=4)
        context = page_context(spec, staging, stamp=stamp)
        write_text_atomic(staging / layout.page_file(spec.name), notebook_html(nb, context))
        (staging / PROGRESS).unlink(missing_ok=True)
        phases["page_s"] = time.perf_counter() - paged_at
        hashed_at = time.perf_counter()
        reads = json.loads((staging / layout.READS).read_text()) if (
            staging / layout.READS).exists() else {}
        manifest = {"report": spec.name, "title": spec.title, "notebook": spec.notebook.name,
                    "description": spec.description, "adhoc": spec.adhoc,
                    "needs": list(spec.needs),
                    "fingerprint": report_fingerprint(spec, reports_dir, code),
                    "reads": reads, "outputs": folder_hashes(staging),
                    "reelib_version": reelib_version(), "engine": engine,
                    "built_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    # how long it took: the next build starts the longest chains first
                    "seconds": round(time.perf_counter() - began, 2)}
        phases["manifest_s"] = time.perf_counter() - hashed_at
        # where the time went (make bench sums it over the reports)
        manifest["phases"] = {k: round(v, 3) for k, v in phases.items()}
        write_manifest(staging, manifest)
        swapped_at = time.perf_counter()
        swap_in(staging, reports_dir / spec.name, reports_dir)
        remove_failed(reports_dir, spec.name)
        if os.environ.get(PHASES_ENV):  # the benchmark's per-report costs, after the swap
            with open(os.environ[PHASES_ENV], "a", encoding="utf-8") as fh:
                fh.write(json.dumps({"report": spec.name, **manifest["phases"],
                                     "swap_s": round(time.perf_counter() - swapped_at, 3),
                                     "run_s": round(time.perf_counter() - began, 3)}) + "\n")
    finally:
        remove_inside(staging, reports_dir)
