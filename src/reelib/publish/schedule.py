"""The report build: every report in ``notebooks/reports.yaml``, in dependency order.

For each report, in dependency order (``jobs`` at a time):

1. it is skipped when it is up to date -- its manifest matches the notebook, parameters,
   reelib's code, the tables it read and the facts of the reports it needs, and every
   file it wrote is still there unchanged (``reelib.publish.freshness``); otherwise the
   progress line says why it is rebuilt;
2. it runs in its own process (``reelib.publish.workers``): parameters are checked
   against the notebook and against the data before any cell runs, the notebook is
   executed into a staging folder, its declared figures, tables and facts are checked,
   and the new report is swapped in atomically (``reelib.publish.execute``);
3. a report past its time limit is stopped and failed like any other.

A failed report blocks exactly the reports that need it, whatever order things finish
in; every other report is built; the previous good copy of a failed report stays in
place and the failed notebook is kept in ``reports/_failed/``. However the build ends --
failures, a timeout, Ctrl-C -- ``reports/facts.json`` and ``reports/index.html`` are
written and the exit code says what happened. One build at a time holds the reports
folder (``reelib.files.lock``).
"""

from __future__ import annotations

import json
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from reelib import config
from reelib.publish import workers
from reelib.present import layout
from reelib.present.layout import STAGING_DIR
from reelib.publish.execute import (ENGINES, keep_failed, read_progress,
                                  recover_swaps, remove_failed, staging_dir)
from reelib.publish.freshness import adhoc_specs, read_manifest, stale_reason
from reelib.publish.index import write_index
from reelib.files.lock import folder_lock
from reelib.publish.provenance import build_stamp, code_fingerprint
from reelib.publish.specs import (DEFAULT_TIMEOUT, ReportSpec, load_reports_file, order_specs,
                                select_specs)
from reelib.exceptions import ParameterError
from reelib.files.atomic import write_text_atomic
from reelib.files.paths import remove_inside

FAILED = ("failed", "blocked", "interrupted")


@dataclass
class ReportResult:
    """What happened to one report in a build."""

    name: str
    status: str  # built | up to date | failed | blocked | interrupted
    seconds: float = 0.0
    error: str = ""
    reason: str = ""  # why it was rebuilt


@dataclass
class BuildResult:
    """All reports' results; ``ok`` is False if any report failed or was blocked."""

    results: list[ReportResult]

    @property
    def ok(self) -> bool:
        return all(r.status in ("built", "up to date") for r in self.results)


class BuildInterrupted(Exception):
    """Raised inside the build loop when the build receives SIGTERM."""


def _one_line(text: str) -> str:
    first = text.split("\nTraceback", 1)[0]
    return " ".join(first.split())


def _clear_stale_staging(reports_dir: Path) -> None:
    """Remove staging folders of processes that no longer exist (a killed build)."""
    for folder in (reports_dir / STAGING_DIR).glob("*.*"):
        pid = folder.name.rsplit(".", 1)[-1]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            remove_inside(folder, reports_dir)
        except PermissionError:
            pass


#: expected seconds of a report never built (only its place in the queue depends on it)
UNKNOWN_SECONDS = 1.0


def start_order(specs: list[ReportSpec], reports_dir: Path) -> list[ReportSpec]:
    """``specs`` in the order to start them when several are ready: longest chain first.

    A report's priority is its expected time (the ``seconds`` of its last build's
    manifest, ``UNKNOWN_SECONDS`` when never built) plus the largest priority of the
    reports that need it: the critical-path rule. With two workers, the slow atlas then
    starts early instead of running alone at the end. Readiness is still checked when a
    report starts; ties keep the reports file's order.
    """
    needed_by: dict[str, list[str]] = {s.name: [] for s in specs}
    for s in specs:
        for n in s.needs:
            if n in needed_by:
                needed_by[n].append(s.name)
    expected = {}
    for s in specs:
        manifest = read_manifest(reports_dir / s.name) or {}
        seconds = manifest.get("seconds")
        expected[s.name] = float(seconds) if isinstance(seconds, (int, float)) else (
            UNKNOWN_SECONDS)
    rank: dict[str, float] = {}

    def rank_of(name: str) -> float:
        if name not in rank:
            rank[name] = expected[name] + max(
                (rank_of(d) for d in needed_by[name]), default=0.0)
        return rank[name]

    return sorted(specs, key=lambda s: -rank_of(s.name))


def build_reports(names: list[str] | None = None, *, force: bool = False, jobs: int = 2,
                  reports_dir: Path | None = None, reports_file: Path | None = None,
                  engine: str = "inprocess", timeout: float | None = None,
                  wait_for_lock: float = 0.0, grace: float = workers.GRACE,
                  adhoc: list[ReportSpec] | None = None, echo=print) -> BuildResult:
    """Build the named reports (and what they need), or all; return what happened.

    ``timeout`` (seconds) applies to reports whose entry has no ``timeout`` of its own;
    a report still running ``grace`` seconds after its timeout is killed. ``adhoc`` are
    reports outside the reports file (``specs.adhoc_spec``), built with what they need.
    """
    if engine not in ENGINES:
        raise ParameterError(f"engine must be one of {ENGINES}, got {engine!r}")
    reports_dir = Path(reports_dir or config.REPORTS_DIR)
    all_specs = load_reports_file(reports_file) + list(adhoc or [])
    if adhoc and not names:
        names = [a.name for a in adhoc]
    specs = order_specs(select_specs(all_specs, names))
    with folder_lock(reports_dir, wait=wait_for_lock):
        return _build_locked(specs, all_specs, reports_dir, force=force, jobs=max(1, jobs),
                             engine=engine, timeout=timeout, grace=grace, echo=echo)


def _build_locked(specs: list[ReportSpec], all_specs: list[ReportSpec], reports_dir: Path, *,
                  force: bool, jobs: int, engine: str, timeout: float | None,
                  grace: float, echo) -> BuildResult:
    _clear_stale_staging(reports_dir)
    for name in recover_swaps(reports_dir):
        echo(f"restored the previous copy of {name} (a build was killed mid-swap)")
    code = code_fingerprint()
    stamp = build_stamp()
    results: dict[str, ReportResult] = {}
    total = len(specs)
    started = time.perf_counter()

    def finish(result: ReportResult) -> None:
        results[result.name] = result
        line = f"[{len(results):2d}/{total}] {result.name:40s} {result.status}"
        if result.seconds:
            line += f" in {result.seconds:.1f} s"
        if result.reason and result.status == "built":
            line += f" ({result.reason})"
        echo(line + (f"\n        {_one_line(result.error)}" if result.error else ""))

    echo(f"building {total} report(s) into {reports_dir} with {jobs} job(s)")
    pending = start_order(specs, reports_dir)
    running: dict[str, workers.Running] = {}
    reasons: dict[str, str] = {}
    previous = signal.getsignal(signal.SIGTERM)

    def on_term(signum, frame):
        raise BuildInterrupted()

    try:
        signal.signal(signal.SIGTERM, on_term)
    except ValueError:  # not the main thread: SIGTERM stays as it was
        previous = None
    try:
        while pending or running:
            for spec in list(pending):
                bad = [n for n in spec.needs if n in results and results[n].status in FAILED]
                if bad:
                    pending.remove(spec)
                    finish(ReportResult(spec.name, "blocked",
                                        error=f"not built: needs {bad}, which failed"))
                    continue
                if not all(n in results for n in spec.needs) or len(running) >= jobs:
                    continue
                pending.remove(spec)
                reason = "forced" if force else stale_reason(spec, reports_dir, code)
                if reason is None:
                    remove_failed(reports_dir, spec.name)
                    finish(ReportResult(spec.name, "up to date"))
                    continue
                reasons[spec.name] = reason
                limit = spec.timeout or timeout or DEFAULT_TIMEOUT
                running[spec.name] = workers.start(workers.Job(
                    spec=spec, reports_dir=reports_dir, code=code, engine=engine,
                    timeout=limit, grace=grace, stamp=stamp))
            if not running:
                continue
            done = workers.wait_any(list(running.values()),
                                    min(r.deadline for r in running.values()))
            for r in done:
                status, error, seconds = workers.result(r)
                del running[r.job.spec.name]
                finish(ReportResult(r.job.spec.name, status, seconds, error,
                                    reasons.get(r.job.spec.name, "")))
            now = time.monotonic()
            for r in [r for r in running.values() if now >= r.deadline]:
                name = r.job.spec.name
                workers.kill(r)
                del running[name]
                staging = staging_dir(reports_dir, name, r.process.pid)
                where = read_progress(staging) or "an unknown cell"
                kept = keep_failed(staging / layout.notebook_file(name), reports_dir, r.job.spec)
                remove_inside(staging, reports_dir)
                finish(ReportResult(name, "failed", r.elapsed, (
                    f"ReportTimeoutError: report {name!r}: {r.job.spec.notebook.name} did not "
                    f"stop after its {r.job.timeout:.0f} s limit (in {where}); its process was "
                    "killed." + (f" The notebook so far is kept at {kept}." if kept else ""))))
    except (KeyboardInterrupt, BuildInterrupted):
        for name, r in list(running.items()):
            workers.kill(r)
            remove_inside(staging_dir(reports_dir, name, r.process.pid), reports_dir)
            finish(ReportResult(name, "interrupted", r.elapsed, "the build was interrupted"))
        for spec in pending:
            results[spec.name] = ReportResult(spec.name, "interrupted",
                                              error="the build was interrupted")
        _finish_build(specs, all_specs, results, reports_dir, started, echo, stamp)
        raise KeyboardInterrupt from None
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return _finish_build(specs, all_specs, results, reports_dir, started, echo, stamp)


def _finish_build(specs, all_specs, results, reports_dir: Path, started: float,
                  echo, stamp: dict[str, str]) -> BuildResult:
    ordered = [results[s.name] for s in specs if s.name in results]
    try:
        (reports_dir / STAGING_DIR).rmdir()  # only when empty: nothing else is running
    except OSError:
        pass
    listed = {s.name for s in all_specs if not s.adhoc}
    known = listed | {s.name for s in adhoc_specs(reports_dir, listed)}
    for problem in collect_facts(reports_dir, known):
        echo(f"warning: {problem}")
    write_index(reports_dir, all_specs, ordered, stamp=stamp)
    n_ok = sum(r.status in ("built", "up to date") for r in ordered)
    echo(f"{n_ok}/{len(specs)} report(s) ok in {time.perf_counter() - started:.0f} s; "
         f"open {reports_dir / layout.INDEX_PAGE}")
    for r in ordered:
        if r.status in FAILED:
            echo(f"  {r.name}: {r.status}: {_one_line(r.error)}")
    return BuildResult(ordered)


def collect_facts(reports_dir: Path, known: set[str] | None = None) -> list[str]:
    """Write ``reports/facts.json`` ({report: facts}) from the reports ``known`` to the
    build (listed in the reports file, or ad hoc); return problems (unreadable files). A
    folder left by a report since removed from the reports file is not cited as current."""
    facts, problems = {}, []
    for path in sorted(reports_dir.glob(f"*/{layout.FACTS}")):
        if path.parent.name.startswith((".", "_")):
            continue
        if known is not None and path.parent.name not in known:
            continue
        try:
            facts[path.parent.name] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            problems.append(f"{path} is unreadable ({exc}); left out of reports/facts.json")
    write_text_atomic(reports_dir / layout.ALL_FACTS,
                      json.dumps(facts, indent=2, sort_keys=True) + "\n")
    return problems
