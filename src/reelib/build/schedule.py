"""The report build: every report in ``notebooks/reports.yaml``, in dependency order.

For each report, in dependency order (two at a time by default):

1. its parameters are checked against the notebook's ``parameters`` cell before a kernel
   starts (``ParameterError`` lists the notebook's parameters);
2. it is skipped when its manifest says nothing it depends on changed (the notebook, its
   parameters, reelib's code, the processed tables it read, the facts of the reports it
   needs);
3. papermill executes it into a staging folder; the notebook writes its figures, tables
   and facts there (``reelib.present.report.Report``);
4. the build checks the figures, tables and facts the notebook declares in its metadata
   (``metadata.reelib.produces``), writes the HTML page with code hidden and a manifest,
   and only then swaps the staging folder in for the previous report.

A failing notebook is kept at ``reports/_failed/<report>.ipynb`` (and ``.html``) for
reading, the error names the notebook, cell and exception, the previous good report of
that name stays in place, reports that do not depend on it are still built, and the
build exits non-zero. Finally ``reports/facts.json`` collects every report's facts
(the summary report compares them with the facts it was last written from) and
``reports/index.html`` links every report with its key findings and the build's
provenance.
"""

from __future__ import annotations

import json
import shutil
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from reelib import config
from reelib.build.execute import STAGING_DIR, run_report
from reelib.build.freshness import is_up_to_date
from reelib.build.index import write_index
from reelib.build.provenance import code_fingerprint
from reelib.build.specs import ReportSpec, load_reports_file, order_specs, select_specs
from reelib.exceptions import ReelibError
from reelib.files.atomic import write_text_atomic


@dataclass
class ReportResult:
    """What happened to one report in a build."""

    name: str
    status: str  # built | up to date | failed | blocked
    seconds: float = 0.0
    error: str = ""


@dataclass
class BuildResult:
    """All reports' results; ``ok`` is False if any report failed or was blocked."""

    results: list[ReportResult]

    @property
    def ok(self) -> bool:
        return all(r.status in ("built", "up to date") for r in self.results)


def build_reports(names: list[str] | None = None, *, force: bool = False, jobs: int = 2,
                  reports_dir: Path | None = None, reports_file: Path | None = None,
                  echo=print) -> BuildResult:
    """Build the named reports (and what they need), or all; return what happened."""
    reports_dir = reports_dir or config.REPORTS_DIR
    reports_dir.mkdir(parents=True, exist_ok=True)
    all_specs = load_reports_file(reports_file)
    specs = order_specs(select_specs(all_specs, names))
    code = code_fingerprint()
    results: dict[str, ReportResult] = {}
    total = len(specs)
    started = time.perf_counter()

    def finish(spec: ReportSpec, result: ReportResult) -> None:
        results[spec.name] = result
        line = f"[{len(results):2d}/{total}] {spec.name:40s} {result.status}"
        if result.seconds:
            line += f" in {result.seconds:.1f} s"
        echo(line + (f"\n        {result.error}" if result.error else ""))

    def execute(spec: ReportSpec) -> ReportResult:
        t0 = time.perf_counter()
        try:
            if not force and is_up_to_date(spec, reports_dir, code):
                return ReportResult(spec.name, "up to date")
            run_report(spec, reports_dir, code)
            return ReportResult(spec.name, "built", time.perf_counter() - t0)
        except ReelibError as exc:
            return ReportResult(spec.name, "failed", time.perf_counter() - t0,
                                f"{type(exc).__name__}: {exc}")

    echo(f"building {total} report(s) into {reports_dir} with {jobs} job(s)")
    pending = list(specs)
    running = {}
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        while pending or running:
            for spec in list(pending):
                dep_status = [results[n].status for n in spec.needs if n in results]
                if any(s in ("failed", "blocked") for s in dep_status):
                    pending.remove(spec)
                    bad = [n for n in spec.needs
                           if n in results and results[n].status in ("failed", "blocked")]
                    finish(spec, ReportResult(spec.name, "blocked",
                                              error=f"not built: needs {bad}, which failed"))
                elif len(dep_status) == len(spec.needs) and len(running) < max(1, jobs):
                    pending.remove(spec)
                    running[pool.submit(execute, spec)] = spec
            if running:
                done, _ = wait(list(running), return_when=FIRST_COMPLETED)
                for fut in done:
                    finish(running.pop(fut), fut.result())
    shutil.rmtree(reports_dir / STAGING_DIR, ignore_errors=True)
    ordered = [results[s.name] for s in specs]
    collect_facts(reports_dir)
    write_index(reports_dir, all_specs, ordered)
    n_ok = sum(r.status in ("built", "up to date") for r in ordered)
    echo(f"{n_ok}/{total} report(s) ok in {time.perf_counter() - started:.0f} s; "
         f"open {reports_dir / 'index.html'}")
    for r in ordered:
        if r.status in ("failed", "blocked"):
            echo(f"  {r.name}: {r.status}: {r.error}")
    return BuildResult(ordered)


def collect_facts(reports_dir: Path) -> Path:
    """Write ``reports/facts.json``: {report: facts} over every built report folder."""
    facts = {}
    for path in sorted(reports_dir.glob("*/facts.json")):
        if path.parent.name.startswith((".", "_")):
            continue
        facts[path.parent.name] = json.loads(path.read_text())
    out = reports_dir / "facts.json"
    write_text_atomic(out, json.dumps(facts, indent=2, sort_keys=True) + "\n")
    return out
