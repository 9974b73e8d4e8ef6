"""The order reports start in when several are ready: the longest chain of work first."""

import json
from pathlib import Path

from reelib.publish.schedule import UNKNOWN_SECONDS, start_order
from reelib.publish.specs import ReportSpec


def spec(name: str, needs: tuple[str, ...] = ()) -> ReportSpec:
    return ReportSpec(name=name, notebook=Path(f"{name}.ipynb"), title=name, needs=needs)


def built(reports: Path, name: str, seconds) -> None:
    (reports / name).mkdir(parents=True)
    (reports / name / "manifest.json").write_text(json.dumps({"seconds": seconds}))


def names(specs) -> list[str]:
    return [s.name for s in specs]


def test_a_slow_report_nothing_needs_starts_before_quick_ones(tmp_path):
    specs = [spec("a"), spec("b"), spec("atlas"), spec("summary", ("a", "b"))]
    for name, seconds in [("a", 1.0), ("b", 1.5), ("atlas", 4.4), ("summary", 0.9)]:
        built(tmp_path, name, seconds)
    # ranks: atlas 4.4; b 1.5 + 0.9; a 1.0 + 0.9; summary 0.9
    assert names(start_order(specs, tmp_path)) == ["atlas", "b", "a", "summary"]


def test_a_report_heading_a_long_chain_goes_first(tmp_path):
    specs = [spec("slow"), spec("base"), spec("mid", ("base",)), spec("top", ("mid",))]
    for name, seconds in [("slow", 5.0), ("base", 2.0), ("mid", 2.0), ("top", 2.0)]:
        built(tmp_path, name, seconds)
    assert names(start_order(specs, tmp_path)) == ["base", "slow", "mid", "top"]


def test_without_history_the_reports_file_order_stands_after_what_others_need(tmp_path):
    specs = [spec("x"), spec("y"), spec("needed"), spec("z", ("needed",))]
    built(tmp_path, "y", "not a number")  # a damaged manifest counts as never built
    assert UNKNOWN_SECONDS > 0
    assert names(start_order(specs, tmp_path)) == ["needed", "x", "y", "z"]
