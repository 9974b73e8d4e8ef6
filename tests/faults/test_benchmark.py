"""The benchmark's one-process floor measures what it says (timings are printed, never
asserted: see ``reelib.devtools.benchmark``)."""

import json
import os
import subprocess
import sys


def test_the_floor_runs_the_named_reports_and_counts_the_figures_they_draw(project):
    env = dict(os.environ, REELIB_ROOT=str(project))
    done = subprocess.run([sys.executable, "-m", "reelib.devtools.benchmark", "--floor",
                           "production-shares-gallium"], env=env, text=True,
                          capture_output=True, timeout=240)
    assert done.returncode == 0, done.stderr
    floor = json.loads(done.stdout.strip().splitlines()[-1])
    assert list(floor["reports_s"]) == ["production-shares-gallium"]
    pngs = list((project / "reports" / "production-shares-gallium" / "figures").glob("*.png"))
    assert floor["figures"] == len(pngs) > 0
    assert 0 < floor["figures_s"] <= floor["cells_s"] <= floor["work_s"] <= floor["total_s"]
