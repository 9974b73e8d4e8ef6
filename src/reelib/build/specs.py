"""The reports file (``notebooks/reports.yaml``): which reports, from which notebooks,
with which parameters, after which other reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from reelib import config
from reelib.exceptions import RegistryError


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


def order_specs(specs: list[ReportSpec]) -> list[ReportSpec]:
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



def select_specs(specs: list[ReportSpec], names: list[str] | None) -> list[ReportSpec]:
    """The named reports and every report they need (all when ``names`` is empty)."""
    if not names:
        return list(specs)
    by_name = {s.name: s for s in specs}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise RegistryError(f"unknown report(s) {unknown}; defined: {sorted(by_name)}")
    wanted, stack = set(), list(names)
    while stack:
        n = stack.pop()
        if n not in wanted:
            wanted.add(n)
            stack.extend(by_name[n].needs)
    return [s for s in specs if s.name in wanted]


def needs_of(name: str, path: Path | None = None) -> list[str]:
    """The reports ``name`` needs, as the reports file lists them (the summary reads them)."""
    for spec in load_reports_file(path):
        if spec.name == name:
            return list(spec.needs)
    raise RegistryError(f"no report {name!r} in the reports file")
