"""reelib.cli.Progress: quiet, informative build output."""

import io

from reelib.cli import Progress


def _lines(n: int, failed: int | None = None) -> list[str]:
    return [f"[{i:2d}/{n}] report-{i:<33} " + ("failed in 1.0 s\n        Boom: x"
                                               if i == failed else "built in 1.0 s")
            for i in range(1, n + 1)]


def test_ci_logs_get_a_line_per_quarter_and_every_failure():
    out = io.StringIO()
    p = Progress(verbose=False, stream=out)
    p("building 8 report(s) into reports with 2 job(s)")
    for line in _lines(8, failed=3):
        p(line)
    p("7/8 report(s) ok in 9 s; open reports/index.html")
    text = out.getvalue().splitlines()
    assert text[0].startswith("building 8")
    assert "[ 3/8] report-3" in "\n".join(text) and "Boom: x" in "\n".join(text)
    assert [t for t in text if t.startswith("reports:")] == [
        "reports: 2/8 done", "reports: 4/8 done", "reports: 6/8 done", "reports: 8/8 done"]
    assert text[-1].startswith("7/8 report(s) ok")


def test_verbose_prints_every_report():
    out = io.StringIO()
    p = Progress(verbose=True, stream=out)
    for line in _lines(3):
        p(line)
    assert out.getvalue().count("built in") == 3
