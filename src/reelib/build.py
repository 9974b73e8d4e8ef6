"""The report build: every report in ``notebooks/reports.yaml``, run with papermill.

For each report, in dependency order (two at a time by default):

1. its parameters are checked against the notebook's ``parameters`` cell before a kernel
   starts (``ParameterError`` lists the notebook's parameters);
2. it is skipped when its manifest says nothing it depends on changed (the notebook, its
   parameters, reelib's code, the processed tables it read, the facts of the reports it
   needs);
3. papermill executes it into a staging folder; the notebook writes its figures, tables
   and facts there (``reelib.report.Report``);
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

import hashlib
import html
import json
import shutil
import subprocess
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import nbformat
import yaml

from reelib import config
from reelib.exceptions import (MissingArtefactError, NotebookExecutionError, ParameterError,
                               RegistryError, ReelibError)
from reelib.io import sha256_file, write_text_atomic

FAILED_DIR = "_failed"
#: Kernels log only critical messages: their routine TCP and shutdown warnings would bury
#: the build's progress lines (notebook errors still surface through papermill).
KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL"]
STAGING_DIR = ".staging"
_TYPES = {"int": int, "float": (int, float), "str": str, "bool": bool, "list": list,
          "dict": dict}


@dataclass(frozen=True)
class ReportSpec:
    """One entry of the reports file: which notebook, with which parameters."""

    name: str
    notebook: Path
    title: str
    parameters: dict[str, Any] = field(default_factory=dict)
    needs: tuple[str, ...] = ()
    description: str = ""
    nbval: bool = False


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


# --- the reports file and notebook parameters -----------------------------------------


def load_reports_file(path: Path | None = None) -> list[ReportSpec]:
    """Read ``notebooks/reports.yaml`` into report specs (checked for unique names)."""
    path = path or config.REPORTS_FILE
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    specs, seen = [], set()
    for entry in doc.get("reports", []):
        name = entry["name"]
        if name in seen:
            raise RegistryError(f"{path}: report name {name!r} is used twice")
        seen.add(name)
        nb = Path(entry["notebook"])
        nb = nb if nb.is_absolute() else path.parent / nb
        specs.append(ReportSpec(
            name=name, notebook=nb, title=entry.get("title", name),
            parameters=dict(entry.get("parameters") or {}),
            needs=tuple(entry.get("needs") or ()), description=entry.get("description", ""),
            nbval=bool(entry.get("nbval", False)),
        ))
    names = {s.name for s in specs}
    for s in specs:
        missing = [n for n in s.needs if n not in names]
        if missing:
            raise RegistryError(f"{path}: report {s.name!r} needs unknown report(s) {missing}")
    return specs


def notebook_parameters(notebook: str | Path) -> dict[str, dict[str, Any]]:
    """Return the notebook's parameters: name -> {name, type, default, help}."""
    import papermill as pm

    params = pm.inspect_notebook(str(notebook))
    return {name: {"name": name, "type": p.get("inferred_type_name", "None"),
                   "default": p.get("default"), "help": p.get("help", "")}
            for name, p in params.items()}


def validate_parameters(spec: ReportSpec) -> dict[str, Any]:
    """Check a report's parameters against its notebook; return them with report_dir.

    Raises ``ParameterError`` for an unknown name or a value of the wrong type, listing
    the notebook's parameters with their types and defaults.
    """
    if not spec.notebook.is_file():
        raise ParameterError(f"report {spec.name!r}: notebook {spec.notebook} not found")
    declared = notebook_parameters(spec.notebook)
    listing = "; ".join(f"{p['name']}: {p['type']} = {p['default']}" for p in declared.values())
    for key, value in spec.parameters.items():
        if key not in declared:
            raise ParameterError(f"report {spec.name!r}: {spec.notebook.name} has no parameter "
                                 f"{key!r}. Its parameters: {listing}")
        expected = declared[key]["type"].split("[")[0]
        if expected in _TYPES and not (isinstance(value, _TYPES[expected])
                                       and not (expected != "bool" and isinstance(value, bool))):
            raise ParameterError(f"report {spec.name!r}: parameter {key!r} must be {expected}, "
                                 f"got {type(value).__name__} {value!r}. Its parameters: "
                                 f"{listing}")
    if "report_dir" not in declared:
        raise ParameterError(f"{spec.notebook.name} lacks the 'report_dir: str = \"\"' "
                             "parameter every report notebook needs")
    return dict(spec.parameters)


def notebook_declarations(notebook: Path) -> dict[str, list[str]]:
    """Return what a notebook declares it produces: figures, tables, facts."""
    nb = nbformat.read(notebook, as_version=4)
    produces = nb.metadata.get("reelib", {}).get("produces", {})
    return {k: list(produces.get(k, [])) for k in ("figures", "tables", "facts")}


# --- fingerprints -------------------------------------------------------------------------


def code_fingerprint() -> str:
    """sha256 over reelib's source and reference files (what a report's code depends on)."""
    h = hashlib.sha256()
    pkg = Path(__file__).resolve().parent
    for p in sorted(pkg.rglob("*")):
        if p.suffix in (".py", ".yaml", ".csv", ".html") and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(pkg)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def _fingerprint(spec: ReportSpec, reports_dir: Path, code: str) -> dict[str, Any]:
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
    if manifest.get("fingerprint") != _fingerprint(spec, reports_dir, code):
        return False
    for table, sha in manifest.get("reads", {}).items():
        path = config.PROCESSED_DIR / f"{table}.parquet"
        if not path.exists() or sha256_file(path) != sha:
            return False
    return True


# --- running one report -----------------------------------------------------------------


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
    # nbconvert's template drops the alt text reelib.report puts in the output metadata and
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
                "fingerprint": _fingerprint(spec, reports_dir, code), "reads": reads,
                "reelib_version": _reelib_version(),
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


def _reelib_version() -> str:
    from reelib import __version__

    return __version__


# --- the whole build ------------------------------------------------------------------------


def _order(specs: list[ReportSpec]) -> list[ReportSpec]:
    """Topological order (stable): a report comes after the reports it needs."""
    done: list[ReportSpec] = []
    pending = list(specs)
    while pending:
        ready = [s for s in pending if all(n in {d.name for d in done} for n in s.needs)]
        if not ready:
            raise RegistryError(f"reports file has a dependency cycle among "
                                f"{[s.name for s in pending]}")
        done.extend(ready)
        pending = [s for s in pending if s not in ready]
    return done


def build_reports(names: list[str] | None = None, *, force: bool = False, jobs: int = 2,
                  reports_dir: Path | None = None, reports_file: Path | None = None,
                  echo=print) -> BuildResult:
    """Build the named reports (and what they need), or all; return what happened."""
    reports_dir = reports_dir or config.REPORTS_DIR
    reports_dir.mkdir(parents=True, exist_ok=True)
    all_specs = load_reports_file(reports_file)
    specs = all_specs
    by_name = {s.name: s for s in specs}
    if names:
        unknown = [n for n in names if n not in by_name]
        if unknown:
            raise RegistryError(f"unknown report(s) {unknown}; defined: {sorted(by_name)}")
        wanted, stack = set(), list(names)
        while stack:
            n = stack.pop()
            if n not in wanted:
                wanted.add(n)
                stack.extend(by_name[n].needs)
        specs = [s for s in specs if s.name in wanted]
    specs = _order(specs)
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
                    bad = [n for n in spec.needs if results[n].status in ("failed", "blocked")]
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
    from reelib.index import write_index

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


def git_commit() -> str:
    """Return the checkout's commit (with '+dirty' if there are local changes)."""
    try:
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=config.PROJECT_ROOT,
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=config.PROJECT_ROOT, capture_output=True, text=True
                               ).stdout.strip()
        return sha + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
