"""Print speed and memory figures of the pipeline (``make bench``).

Targets are read here, by a person, not asserted in tests: timings on shared machines
drift by tens of percent within an hour (see ../shared/research/perf-baseline.md).

    python -m reelib.build.benchmark [--report NAME] [--repeat N]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reelib import config

#: What we aim for on a 2-core machine (seconds); printed next to each measurement.
TARGETS = {"import reelib": 2.0, "fetch (all verified)": 2.0, "clean (all tables)": 30.0,
           "one report (papermill + HTML)": 30.0}


def _time(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def _line(name: str, secs: list[float]) -> str:
    med = statistics.median(secs)
    target = TARGETS.get(name)
    flag = "" if target is None else (" ok" if med <= target else f" SLOWER than {target:.0f} s")
    return f"{name:34s} median {med:7.2f} s  (min {min(secs):.2f}, n={len(secs)}){flag}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--report", default="reserves", help="report to build in a temp dir")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    py = sys.executable
    print(f"reelib benchmark: python {sys.version.split()[0]}, root {config.PROJECT_ROOT}")
    lines = [_line("import reelib", _time(lambda: subprocess.run(
        [py, "-c", "import reelib"], check=True), args.repeat))]
    from reelib.processed.pipeline import build_tables, read_all_sources, write_tables
    from reelib.sources.fetch import fetch_sources

    lines.append(_line("fetch (all verified)", _time(lambda: fetch_sources(), args.repeat)))
    with tempfile.TemporaryDirectory() as tmp:
        lines.append(_line("clean (all tables)", _time(
            lambda: write_tables(build_tables(read_all_sources()), Path(tmp)), 1)))
    from reelib.build.schedule import build_reports

    with tempfile.TemporaryDirectory() as tmp:
        lines.append(_line("one report (papermill + HTML)", _time(
            lambda: build_reports([args.report], reports_dir=Path(tmp), force=True, jobs=1,
                                  echo=lambda *a: None), 1)))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    sizes = {p.name: p.stat().st_size for p in config.PROCESSED_DIR.glob("*.parquet")}
    print("\n".join(lines))
    print(f"{'peak memory, this process':34s} {peak_mb:7.0f} MB")
    print(f"{'peak memory, largest child':34s} {kids_mb:7.0f} MB (notebook kernels)")
    print(f"{'data/processed Parquet':34s} {sum(sizes.values()) / 1e6:7.1f} MB in "
          f"{len(sizes)} tables")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
