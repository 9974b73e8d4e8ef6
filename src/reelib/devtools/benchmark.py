"""Speed and memory of the build, measured the way a user meets them (``make bench``).

    python -m reelib.devtools.benchmark [--out reports/bench.json] [--sizes 10 40 all]

Everything runs in a scratch copy of the project (notebooks, raw and processed data, an
empty ``reports/``; ``REELIB_ROOT`` points the commands at it), so the checkout's reports
are never touched. In one go it measures:

* **one-process floor** -- every report of the reports file (the fixed ones, not the
  commodity matrix) executed one after another in a single Python process that imported
  the stack once: the least work the build can do on one core, the better of two runs;
  the time the notebooks' cells ran (their code alone, without papermill, the HTML page
  and the manifest) and, within it, the time spent drawing figures (PNG and SVG) are
  reported apart;
* **first build** -- ``reelib build --jobs 2`` of the same reports into an empty
  ``reports/`` (what ``make reports`` does on a fresh clone, less fetch and clean);
* **forced build** -- ``reelib build --force --jobs 2`` over those reports, as a user
  or the scheduled rebuild runs it, the better of two runs, and its ratio to half the
  floor (two cores can at best halve it); the reports' last build times let it start
  the longest chain first;
* **one report forced** -- ``reelib build prices-nd --force``;
* **scaling** -- the shares notebook over N commodities of the commodity matrix
  (N = 10, 40, all; the matrix entry's own parameters), forced, two jobs: seconds per
  report should not grow with N;
* **clean** -- ``reelib clean`` from the raw files of every registered edition (the
  manifest removed so it cannot skip), the better of two runs;
* **no-op build** -- ``reelib build`` (fetch check, clean check, every report current)
  after all of the above, as ``make reports`` runs it;
* peak memory (resident set) of the largest process of each step.

Targets are printed beside the figures for a person to read, not asserted: timings on a
shared machine drift by tens of percent (see ../shared/research/perf-baseline.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reelib import config
from reelib.present import layout
from reelib.publish.workers import THREAD_LIMITS

#: targets of the build-speed issue, on a 2-core machine (seconds)
TARGETS = {"floor": 10.0, "noop": 1.0, "all_commodities": 60.0,
           # twice the 7 s of the single-edition clean (annual-edition issue)
           "clean": 14.0}
FORCED_RATIO_TARGET = 1.3


def _machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu": model, "python": platform.python_version(),
            "platform": platform.platform()}


def _scratch(root: Path) -> Path:
    """A project copy to measure in: notebooks, data (raw, processed), empty reports."""
    shutil.copytree(config.NOTEBOOKS_DIR, root / "notebooks")
    shutil.copytree(config.RAW_DIR, root / "data" / "raw", symlinks=True)
    shutil.copytree(config.PROCESSED_DIR, root / "data" / "processed",
                    ignore=shutil.ignore_patterns(".build.lock"))
    (root / "reports").mkdir()
    return root


def _run(args: list[str], root: Path) -> tuple[float, float, str]:
    """Run a command on the scratch project; return (seconds, peak MB of the largest
    descendant so far, stdout)."""
    # the floor is one core's work: its process gets the report processes' thread limits
    env = {**THREAD_LIMITS, **os.environ, "REELIB_ROOT": str(root)}
    t0 = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(args)}\n{done.stdout}\n"
                         f"{done.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak, done.stdout


def _cell_seconds(executed: Path) -> float:
    """Seconds the executed notebook's cells ran (papermill's per-cell durations)."""
    nb = json.loads(executed.read_text(encoding="utf-8"))
    return sum(c.get("metadata", {}).get("papermill", {}).get("duration") or 0.0
               for c in nb["cells"] if c.get("cell_type") == "code")


def floor(names: list[str]) -> dict:
    """Run the named reports in this one process (called in the scratch project)."""
    t0 = time.perf_counter()
    import reelib.publish.warm  # noqa: F401  (the stack, as the build's workers import it)
    from reelib.publish.execute import run_report
    from reelib.publish.provenance import build_stamp, code_fingerprint
    from reelib.publish.specs import load_reports_file, order_specs

    import reelib.present.report as report

    imports = time.perf_counter() - t0
    specs = [s for s in order_specs(load_reports_file()) if s.name in names]
    code, stamp, times, cells = code_fingerprint(), build_stamp(), {}, 0.0
    drawn: list[float] = []  # seconds of each figure's PNG and SVG (Report.figure)
    render = report.render_figure

    def timed_render(fig):
        t = time.perf_counter()
        try:
            return render(fig)
        finally:
            drawn.append(time.perf_counter() - t)

    report.render_figure = timed_render
    try:
        for spec in specs:
            t = time.perf_counter()
            run_report(spec, config.REPORTS_DIR, code, stamp=stamp)
            times[spec.name] = time.perf_counter() - t
            page_nb = config.REPORTS_DIR / spec.name / layout.notebook_file(spec.name)
            cells += _cell_seconds(page_nb)
    finally:
        report.render_figure = render
    return {"imports_s": imports, "reports_s": times, "work_s": sum(times.values()),
            "cells_s": cells, "figures": len(drawn), "figures_s": sum(drawn),
            "total_s": time.perf_counter() - t0,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _write_shares_file(root: Path, pairs: list[dict], matrix_parameters: dict) -> None:
    """A reports file of N shares reports (explicit entries, as the matrix makes them,
    with the matrix entry's parameters)."""
    import yaml

    from reelib.publish.specs import slug

    entries = [{"name": f"bench-{slug(p['commodity'])}-{slug(p['measure'])[:40]}",
                "notebook": "02-measure-mine-production-shares.ipynb",
                "title": f"{p['commodity']}, {p['measure']}",
                "parameters": {**matrix_parameters, "commodity": p["commodity"],
                               "measure": p["measure"]}} for p in pairs]
    (root / "notebooks" / "reports.yaml").write_text(yaml.safe_dump({"reports": entries}))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m reelib.devtools.benchmark",
                                description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=config.REPORTS_DIR / "bench.json")
    p.add_argument("--sizes", nargs="*", default=["10", "40", "all"])
    p.add_argument("--floor", nargs="*", help=argparse.SUPPRESS)  # internal: one process
    args = p.parse_args(argv)
    if args.floor is not None:
        print(json.dumps(floor(args.floor)))
        return 0
    from reelib.publish.specs import load_reports_file

    py = sys.executable
    cli = [py, "-m", "reelib.cli"]
    fixed = [s.name for s in load_reports_file() if not s.group]
    results: dict = {"machine": _machine(), "reports": len(fixed)}
    with tempfile.TemporaryDirectory(prefix="reelib-bench-") as tmp:
        root = _scratch(Path(tmp) / "project")
        print(f"benchmark in {root} ({results['machine']['cpus']} CPUs, "
              f"{results['machine']['cpu']})", flush=True)
        floors = []  # the better of two, as for the forced build: both are minima
        for _ in range(2):
            secs, peak, out = _run([py, "-m", "reelib.devtools.benchmark", "--floor", *fixed],
                                   root)
            floors.append({**json.loads(out.strip().splitlines()[-1]), "wall_s": secs})
            shutil.rmtree(root / "reports")
            (root / "reports").mkdir()
        one = min(floors, key=lambda f: f["total_s"])
        results["floor"] = {**one, "runs_s": [f["total_s"] for f in floors]}
        secs, peak, _ = _run([*cli, "build", "--skip-data", "--jobs", "2", *fixed], root)
        results["first"] = {"wall_s": secs, "peak_mb": peak}
        runs = [_run([*cli, "build", "--skip-data", "--force", "--jobs", "2", *fixed], root)
                for _ in range(2)]  # the better of two: two jobs share a noisy machine
        secs = min(r[0] for r in runs)
        results["forced"] = {"wall_s": secs, "runs_s": [r[0] for r in runs],
                             "peak_mb": max(r[1] for r in runs),
                             "ratio_to_half_floor": secs / (one["total_s"] / 2)}
        secs, peak, _ = _run([*cli, "build", "--skip-data", "--force", "prices-nd"], root)
        results["one_report"] = {"report": "prices-nd", "wall_s": secs}
        pairs = json.loads((root / "data" / "processed" / "matrix_values.json").read_text())[
            "country_production"]
        scaling = []
        saved = (root / "notebooks" / "reports.yaml").read_text()
        import yaml

        matrix = next(e for e in yaml.safe_load(saved)["reports"] if "matrix" in e)
        for size in args.sizes:
            n = len(pairs) if size == "all" else min(int(size), len(pairs))
            _write_shares_file(root, pairs[:n], dict(matrix.get("parameters") or {}))
            secs, peak, _ = _run([*cli, "build", "--skip-data", "--force", "--jobs", "2"], root)
            scaling.append({"n": n, "wall_s": secs, "s_per_report": secs / n, "peak_mb": peak})
        (root / "notebooks" / "reports.yaml").write_text(saved)
        results["scaling"] = scaling
        _run([*cli, "build", "--jobs", "2"], root)  # the full build, matrix included
        noop = [_run([*cli, "build", "--jobs", "2"], root)[0] for _ in range(3)]
        results["noop"] = {"wall_s": min(noop), "runs_s": noop}
        cleans = []
        for _ in range(2):
            (root / "data" / "processed" / "manifest.json").unlink(missing_ok=True)
            cleans.append(_run([*cli, "clean"], root))
        results["clean"] = {"wall_s": min(c[0] for c in cleans),
                            "runs_s": [c[0] for c in cleans],
                            "peak_mb": max(c[1] for c in cleans)}
    _print(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwrote {args.out}")
    return 0


def _print(r: dict) -> None:
    f, forced = r["floor"], r["forced"]

    def line(name: str, value: str, target: str = "") -> None:
        print(f"  {name:44s} {value:>14s}   {target}")

    print(f"\nreelib build speed ({r['reports']} reports of the reports file; "
          f"{r['machine']['cpus']} CPUs)")
    line("one-process floor (imports + every report)", f"{f['total_s']:.1f} s",
         f"target <= {TARGETS['floor']:.0f} s; runs: "
         + ", ".join(f"{x:.1f}" for x in f["runs_s"]))
    line("  of which imports", f"{f['imports_s']:.1f} s")
    # the rest of the work is papermill, the HTML page and the manifest
    line("  of which the notebooks' cells", f"{f['cells_s']:.1f} s")
    line(f"    of which drawing {f['figures']} figures (PNG + SVG)", f"{f['figures_s']:.1f} s")
    slow = sorted(f["reports_s"].items(), key=lambda kv: -kv[1])[:3]
    line("  slowest reports", ", ".join(f"{k} {v:.1f}" for k, v in slow)[:60])
    line("first build into an empty reports/, 2 jobs", f"{r['first']['wall_s']:.1f} s")
    runs = ", ".join(f"{x:.1f}" for x in forced["runs_s"])
    line("forced build, 2 jobs (best of runs)", f"{forced['wall_s']:.1f} s", f"runs: {runs}")
    line("  ratio to half the floor", f"{forced['ratio_to_half_floor']:.2f}",
         f"target <= {FORCED_RATIO_TARGET}")
    line("one report forced (prices-nd)", f"{r['one_report']['wall_s']:.1f} s")
    for s in r["scaling"]:
        target = (f"target <= {TARGETS['all_commodities']:.0f} s"
                  if s is r["scaling"][-1] else "")
        line(f"shares reports, N = {s['n']}",
             f"{s['wall_s']:.1f} s ({s['s_per_report']:.2f}/report)", target)
    line("no-op build (make reports, all current)", f"{r['noop']['wall_s']:.2f} s",
         f"target <= {TARGETS['noop']:.0f} s")
    if "clean" in r:
        line("clean, every registered edition", f"{r['clean']['wall_s']:.1f} s",
             f"target <= {TARGETS['clean']:.0f} s; runs: "
             + ", ".join(f"{x:.1f}" for x in r["clean"]["runs_s"]))
    line("peak memory, one-process floor", f"{f['peak_mb']:.0f} MB")
    line("peak memory, largest build process", f"{forced['peak_mb']:.0f} MB")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
