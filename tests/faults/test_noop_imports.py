"""The no-op build stays light: checking that every report is current imports neither
pandas nor nbformat (together 0.7 s of a 1 s budget; `make bench` prints the time)."""

import json
import os
import subprocess
import sys

PROBE = """
import json, sys
from reelib.publish import schedule
result = schedule.build_reports(["reserves"], jobs=1, echo=lambda *a: None)
print(json.dumps({"built": [r.status for r in result.results],
                  "heavy": sorted(m for m in ("pandas", "nbformat", "matplotlib")
                                  if m in sys.modules)}))
"""


def test_a_build_with_every_report_current_imports_no_pandas(project):
    env = dict(os.environ, REELIB_ROOT=str(project))
    first = subprocess.run([sys.executable, "-m", "reelib.cli", "build", "reserves",
                            "--skip-data"], env=env, text=True, capture_output=True,
                           timeout=240)
    assert first.returncode == 0, first.stdout + first.stderr
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, text=True,
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out == {"built": ["up to date"], "heavy": []}, out
