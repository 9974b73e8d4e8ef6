"""Speed and memory of the build, measured the way a user meets them (``make bench``).

    python -m reelib.devtools.benchmark [--out reports/bench.json] [--sizes 10 40 all]

Everything runs in a scratch copy of the project (notebooks, raw and processed data, an
empty ``reports/``; ``REELIB_ROOT`` points the commands at it), so the checkout's reports
are never touched. In one go it measures:

* **one-process floor** -- every report the build makes (the fixed ones and the
  commodity matrix's) executed one after another in a single Python process that imported
  the stack once: the least work the build can do on one core, the better of two runs;
  the time the notebooks' cells ran (their code alone, without papermill, the HTML page
  and the manifest) and, within it, the time spent drawing figures (PNG and SVG) are
  reported apart;
* **first build** -- ``reelib build --jobs 2`` of the same reports into an empty
  ``reports/`` (what ``make reports`` does on a fresh clone, less fetch and clean);
* **forced build** -- ``reelib build --force --jobs 2`` over those reports, as a user
  or the scheduled rebuild runs it, the better of two runs, and its ratio to half the
  floor (two cores can at best halve it); the reports' last build times let it start
  the longest chain first; each report's run is split into its phases (prepare,
  execute, page, manifest, swap) and printed per report beside the floor's, with the two
  cores' time spent outside the reports' runs (warm-parent start, forks, waits, index);
* **one report forced** -- ``reelib build prices-nd --force``;
* **scaling** -- the shares notebook over N commodities of the commodity matrix
  (N = 10, 40, all; the matrix entry's own parameters) and over every commodity-measure
  of every edition (each on its own vintage), forced, two jobs: seconds per report
  should not grow with N;
* **preview loop** -- ``reelib preview prices-nd``, its notebook saved three times: the
  seconds from a save to the rebuilt page, against prices-nd's time in the floor;
* **clean** -- ``reelib clean`` from the raw files of every registered edition (the
  manifest removed so it cannot skip), the better of two runs; and ``reelib data`` with
  one source changed (its reader-cache entry removed): one source read, every table
  rebuilt;
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
from reelib.processed.reader_cache import CACHE_DIR
from reelib.publish.execute import PHASES_ENV
from reelib.publish.workers import THREAD_LIMITS

#: targets of the build-speed issue, on a 2-core machine (seconds)
TARGETS = {"floor": 10.0, "noop": 1.0, "all_commodities": 60.0,
           # twice the 7 s of the single-edition clean (annual-edition issue)
           "clean": 14.0}
FORCED_RATIO_TARGET = 1.2


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


def _env(root: Path, phases: Path | None = None) -> dict[str, str]:
    """The environment of a measured command: the scratch project as its root, the report
    processes' thread limits (the floor is one core's work too) and the phases log."""
    env = {**THREAD_LIMITS, **os.environ, "REELIB_ROOT": str(root)}
    if phases is not None:
        env[PHASES_ENV] = str(phases)
    return env


def _run(args: list[str], root: Path, phases: Path | None = None
         ) -> tuple[float, float, str]:
    """Run a command on the scratch project; return (seconds, peak MB of the largest
    descendant so far, stdout). ``phases``: the file each report appends its timings to."""
    env = _env(root, phases)
    t0 = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(args)}\n{done.stdout}\n"
                         f"{done.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak, done.stdout


def _phases(path: Path) -> dict:
    """Sum each phase of every report's run (``run_report``'s timings): n, and seconds of
    prepare (parameter checks, staging), execute (papermill: the cells and their
    engine), page (HTML export), manifest (hashes), swap and the whole run."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()] if path.exists() else []
    keys = ("prepare_s", "execute_s", "page_s", "manifest_s", "swap_s", "run_s")
    return {"n": len(rows), **{k: sum(float(r.get(k, 0.0)) for r in rows) for k in keys}}


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


def preview_loop(root: Path, report: str, edits: int = 3) -> dict:
    """A researcher's loop: ``reelib preview REPORT`` on the scratch project, then its
    notebook saved ``edits`` times (a space added to its first cell, then removed); the
    seconds from each save until the preview's site version moves (the page rebuilt and
    swapped in). Returns the runs and the best."""
    import re
    import signal
    import urllib.request

    from reelib.publish.preview import VERSION_PATH
    from reelib.publish.specs import load_reports_file

    phases = root / "preview-phases.jsonl"
    phases.unlink(missing_ok=True)
    env = _env(root, phases)
    proc = subprocess.Popen([sys.executable, "-m", "reelib.cli", "preview", report,
                             "--skip-data", "--port", "0"], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        url = None
        for line in proc.stdout:  # the build, then 'preview: serving http://...'
            m = re.search(r"serving (http://[\d.]+:\d+)/", line)
            if m:
                url = m.group(1) + VERSION_PATH
                break
        if url is None:
            raise SystemExit("benchmark: reelib preview did not start")

        def version() -> bytes:
            return urllib.request.urlopen(url, timeout=10).read()

        spec = next(s for s in load_reports_file() if s.name == report)
        notebook = root / "notebooks" / spec.notebook.name
        original = notebook.read_text(encoding="utf-8")
        runs, own = [], []
        for i in range(edits):
            before = version()
            doc = json.loads(original)
            if i % 2 == 0:
                doc["cells"][0]["source"].append(" ")
            t0 = time.perf_counter()
            notebook.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n",
                                encoding="utf-8")
            while version() == before:
                if time.perf_counter() - t0 > 120:
                    raise SystemExit("benchmark: the preview did not rebuild in 120 s")
                time.sleep(0.02)
            runs.append(time.perf_counter() - t0)
            # the report's own run in the preview (its phases' log, last line)
            own.append(json.loads(phases.read_text(encoding="utf-8").splitlines()[-1])
                       ["run_s"])
        notebook.write_text(original, encoding="utf-8")
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    best = runs.index(min(runs))
    return {"report": report, "runs_s": runs, "wall_s": runs[best], "report_run_s": own,
            # what the loop adds to the report's own run: noticing the save, the build's
            # checks, the fork, the index -- independent of how loaded the machine is
            "overhead_s": [r - o for r, o in zip(runs, own)]}


def _edition_pairs(root: Path) -> list[dict]:
    """Every commodity-measure with production by country in every USGS edition that
    gives some (about 240: MCS 2022's 14, MCS 2023's and 2024's 76, MCS 2026's 77, ...),
    each with its edition as the shares report's vintage."""
    import pandas as pd

    from reelib.processed.tables import country_production_pairs

    production = pd.read_parquet(root / "data" / "processed" / "production.parquet")
    return [pair for edition in sorted(production["edition"].unique())
            for pair in country_production_pairs(production, str(edition))]


def _write_shares_file(root: Path, pairs: list[dict], matrix_parameters: dict) -> None:
    """A reports file of N shares reports (explicit entries, as the matrix makes them,
    with the matrix entry's parameters; a pair that names its edition is built on it)."""
    import yaml

    from reelib.publish.specs import slug

    entries = [{"name": f"bench-{slug(p['commodity'])}-{slug(p['measure'])[:40]}"
                        + (f"-{slug(p['edition'])}" if "edition" in p else ""),
                "notebook": "02-measure-mine-production-shares.ipynb",
                "title": f"{p['commodity']}, {p['measure']}",
                "parameters": {**matrix_parameters, "commodity": p["commodity"],
                               "measure": p["measure"],
                               **({"vintage": p["edition"]} if "edition" in p else {})}}
               for p in pairs]
    (root / "notebooks" / "reports.yaml").write_text(yaml.safe_dump({"reports": entries}))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m reelib.devtools.benchmark",
                                description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=config.REPORTS_DIR / "bench.json")
    p.add_argument("--sizes", nargs="*", default=["10", "40", "all", "editions"],
                   help="shares reports built for the scaling figure: a number, 'all' "
                        "(every commodity-measure of the newest edition) or 'editions' "
                        "(every commodity-measure of every edition)")
    p.add_argument("--floor", nargs="*", help=argparse.SUPPRESS)  # internal: one process
    args = p.parse_args(argv)
    if args.floor is not None:
        print(json.dumps(floor(args.floor)))
        return 0
    from reelib.publish.specs import load_reports_file

    py = sys.executable
    cli = [py, "-m", "reelib.cli"]
    every = [s.name for s in load_reports_file()]  # the fixed reports and the matrix's
    results: dict = {"machine": _machine(), "reports": len(every)}
    with tempfile.TemporaryDirectory(prefix="reelib-bench-") as tmp:
        root = _scratch(Path(tmp) / "project")
        print(f"benchmark in {root} ({results['machine']['cpus']} CPUs, "
              f"{results['machine']['cpu']})", flush=True)
        floors = []  # the better of two, as for the forced build: both are minima
        phases = root / "phases.jsonl"
        for _ in range(2):
            phases.unlink(missing_ok=True)
            secs, peak, out = _run([py, "-m", "reelib.devtools.benchmark", "--floor", *every],
                                   root, phases=phases)
            floors.append({**json.loads(out.strip().splitlines()[-1]), "wall_s": secs,
                           "phases": _phases(phases)})
            shutil.rmtree(root / "reports")
            (root / "reports").mkdir()
        one = min(floors, key=lambda f: f["total_s"])
        results["floor"] = {**one, "runs_s": [f["total_s"] for f in floors]}
        secs, peak, _ = _run([*cli, "build", "--skip-data", "--jobs", "2", *every], root)
        results["first"] = {"wall_s": secs, "peak_mb": peak}
        runs = []
        for _ in range(2):  # the better of two: two jobs share a noisy machine
            phases.unlink(missing_ok=True)
            secs, peak, _ = _run([*cli, "build", "--skip-data", "--force", "--jobs", "2",
                                  *every], root, phases=phases)
            runs.append({"wall_s": secs, "peak_mb": peak, "phases": _phases(phases)})
        best = min(runs, key=lambda r: r["wall_s"])
        secs = best["wall_s"]
        results["forced"] = {"wall_s": secs, "runs_s": [r["wall_s"] for r in runs],
                             "peak_mb": max(r["peak_mb"] for r in runs),
                             "phases": best["phases"],
                             "ratio_to_half_floor": secs / (one["total_s"] / 2),
                             # two cores' time the reports' own runs do not account for:
                             # the warm parent's start, a fork per report, waiting on
                             # needs, the index and facts at the end
                             "outside_reports_s": 2 * secs - best["phases"]["run_s"]}
        secs, peak, _ = _run([*cli, "build", "--skip-data", "--force", "prices-nd"], root)
        results["one_report"] = {"report": "prices-nd", "wall_s": secs}
        results["preview"] = {**preview_loop(root, "prices-nd"),
                              "floor_s": one["reports_s"]["prices-nd"]}
        pairs = json.loads((root / "data" / "processed" / "matrix_values.json").read_text())[
            "country_production"]
        scaling = []
        saved = (root / "notebooks" / "reports.yaml").read_text()
        import yaml

        matrix = next(e for e in yaml.safe_load(saved)["reports"] if "matrix" in e)
        for size in args.sizes:
            if size == "editions":  # every commodity-measure of every edition
                chosen = _edition_pairs(root)
            else:
                chosen = [{k: v for k, v in pair.items() if k != "edition"}  # as the matrix
                          for pair in pairs[:len(pairs) if size == "all"
                                            else min(int(size), len(pairs))]]
            n = len(chosen)
            _write_shares_file(root, chosen, dict(matrix.get("parameters") or {}))
            secs, peak, _ = _run([*cli, "build", "--skip-data", "--force", "--jobs", "2"], root)
            scaling.append({"n": n, "wall_s": secs, "s_per_report": secs / n, "peak_mb": peak,
                            "editions": size == "editions"})
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
        # one source changed: its reader cache entry gone, the others current (what a next
        # edition costs: `reelib data` reads one source and rebuilds every table)
        cache = root / "data" / "processed" / CACHE_DIR
        one = []
        for _ in range(2):
            (root / "data" / "processed" / "manifest.json").unlink(missing_ok=True)
            for entry in cache.glob("usgs-mcs-2026.*"):
                entry.unlink()
            secs, peak, out = _run([*cli, "data"], root)
            if "read 1 of" not in out:
                raise SystemExit(f"benchmark: the clean read more than the changed source:\n{out}")
            one.append(secs)
        results["clean_one_source"] = {"wall_s": min(one), "runs_s": one}
    _print(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwrote {args.out}")
    return 0


def _print(r: dict) -> None:
    f, forced = r["floor"], r["forced"]

    def line(name: str, value: str, target: str = "") -> None:
        print(f"  {name:44s} {value:>14s}   {target}")

    print(f"\nreelib build speed ({r['reports']} reports: every report the build makes; "
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
    n = max(1, forced["phases"]["n"])
    fp, fn = f.get("phases") or {}, max(1, (f.get("phases") or {}).get("n", 0))
    print(f"  per report, floor / forced build (ms, mean of {n} reports):")
    for key, name in (("prepare_s", "prepare (checks, staging)"),
                      ("execute_s", "execute (papermill, cells)"),
                      ("page_s", "page (HTML export)"), ("manifest_s", "manifest (hashes)"),
                      ("swap_s", "swap into reports/"), ("run_s", "the report's whole run")):
        line(f"    {name}", f"{1000 * fp.get(key, 0) / fn:.0f} / "
             f"{1000 * forced['phases'][key] / n:.0f}")
    line("    outside the reports' runs (2 cores)",
         f"{1000 * forced['outside_reports_s'] / n:.0f} ms",
         "warm-parent start, forks, waits on needs, index")
    line("one report forced (prices-nd)", f"{r['one_report']['wall_s']:.1f} s")
    if "preview" in r:
        pv = r["preview"]
        line(f"preview loop: save -> page rebuilt ({pv['report']})", f"{pv['wall_s']:.1f} s",
             f"target <= floor {pv['floor_s']:.1f} s + 1 s; runs: "
             + ", ".join(f"{x:.1f}" for x in pv["runs_s"]))
        line("  of which beyond the report's own run", ", ".join(
            f"{x:.2f}" for x in pv["overhead_s"]) + " s", "save noticed, checks, fork, index")
    newest = max((s["n"] for s in r["scaling"] if not s.get("editions")), default=0)
    for s in r["scaling"]:
        target = (f"target <= {TARGETS['all_commodities']:.0f} s"
                  if s["n"] == newest and not s.get("editions") else
                  "every commodity-measure of every edition" if s.get("editions") else "")
        line(f"shares reports, N = {s['n']}",
             f"{s['wall_s']:.1f} s ({s['s_per_report']:.2f}/report)", target)
    steps = sorted(r["scaling"], key=lambda s: s["n"])
    marginal = [(b["wall_s"] - a["wall_s"]) / (b["n"] - a["n"])
                for a, b in zip(steps, steps[1:]) if b["n"] > a["n"]]
    if marginal:  # linear in N: each further report costs no more than the ones before
        line("  seconds per further report, N by N", ", ".join(f"{m:.2f}" for m in marginal),
             "linear: not rising with N")
    line("no-op build (make reports, all current)", f"{r['noop']['wall_s']:.2f} s",
         f"target <= {TARGETS['noop']:.0f} s")
    if "clean" in r:
        line("clean, every registered edition", f"{r['clean']['wall_s']:.1f} s",
             f"target <= {TARGETS['clean']:.0f} s; runs: "
             + ", ".join(f"{x:.1f}" for x in r["clean"]["runs_s"]))
    if "clean_one_source" in r:
        line("clean, one source changed (reelib data, reader cache)",
             f"{r['clean_one_source']['wall_s']:.1f} s",
             "runs: " + ", ".join(f"{x:.1f}" for x in r["clean_one_source"]["runs_s"]))
    line("peak memory, one-process floor", f"{f['peak_mb']:.0f} MB")
    line("peak memory, largest build process", f"{forced['peak_mb']:.0f} MB")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
