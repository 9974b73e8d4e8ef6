"""The reports file (``notebooks/reports.yaml``): which reports, from which notebooks,
with which parameters and time limit, after which other reports.

Every entry is checked before anything runs: a report name is a plain name (it becomes
a folder under ``reports/``), a notebook is a file name in the reports file's folder that
does not resolve outside it, parameters are a mapping, ``needs`` name other reports and
have no cycle, and a wrongly shaped file is a ``RegistryError`` naming the entry. An entry
with ``matrix:`` stands for one report per parameter set (listed values, or a list the
clean derives from the data); ``reelib list`` shows them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from reelib import config
from reelib.exceptions import ParameterError, RegistryError, UnsafePathError
from reelib.files import yamltext
from reelib.files.paths import check_name, ensure_inside
from reelib.present.layout import reserved_names

#: the longest a report may run (seconds): a day; larger, infinite or NaN is a typo
MAX_TIMEOUT_S = 86_400.0
#: the longest ad-hoc name; a longer one keeps a digest of every parameter
MAX_ADHOC_NAME = 120


def check_timeout(value: object, where: str) -> float:
    """``value`` as seconds if it is a finite number in (0, ``MAX_TIMEOUT_S``]; raise
    ``RegistryError`` naming ``where`` otherwise (inf, NaN, 0, a negative or absurd
    number, a boolean, text)."""
    import math

    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(
            value) or not 0 < value <= MAX_TIMEOUT_S:
        raise RegistryError(f"{where}: timeout must be a number of seconds above 0 and at "
                            f"most {MAX_TIMEOUT_S:,.0f} (a day), got {value!r}")
    return float(value)


def check_not_reserved(name: str, where: str) -> str:
    """``name`` unless the build keeps a file or folder of that name under ``reports/``."""
    if name in reserved_names() or name.lower() in {n.lower() for n in reserved_names()}:
        raise RegistryError(f"{where}: {name!r} is reserved: the build keeps its own "
                            f"{name!r} under reports/ ({', '.join(sorted(reserved_names()))}); "
                            "choose another name")
    return name

#: seconds a report may run when neither reports.yaml nor --timeout says otherwise
DEFAULT_TIMEOUT = 600.0
_KEYS = {"name", "notebook", "title", "description", "parameters", "needs", "nbval",
         "timeout", "matrix", "group"}
#: data-driven matrix values, written by ``reelib clean`` (processed.pipeline.MATRIX_VALUES)
MATRIX_VALUES = "matrix_values.json"


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
    timeout: float | None = None
    adhoc: bool = False  # built with ``reelib build NAME -p ...``; not in the reports file
    group: str = ""  # the matrix entry it was expanded from (the index groups them)


def slug(value: Any, *, lower: bool = True) -> str:
    """A value as part of a report name: letters and digits joined by '-' (lower-case for
    a matrix; an ad-hoc name keeps case and dots: ``lower=False``).

    >>> slug("Graphite (natural)"), slug("Mine production: Kaolin"), slug(2.5, lower=False)
    ('graphite-natural', 'mine-production-kaolin', '2.5')
    """
    text = value if isinstance(value, str) else yaml.safe_dump(value, default_flow_style=True)
    if lower:
        return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "x"
    return re.sub(r"[^A-Za-z0-9.]+", "-", str(text)).strip("-.") or "x"


def _matrix_rows(matrix: object, where: str, processed_dir: Path | None) -> list[dict]:
    """The parameter sets a ``matrix:`` asks for: the product of listed values, or a
    named data-driven list written by ``reelib clean`` (``country-production``: every
    commodity and measure with production by country, keys ``commodity`` and
    ``measure``). A data-driven matrix is empty until ``data/processed`` exists."""
    import itertools
    import json

    if not isinstance(matrix, dict) or not matrix:
        raise RegistryError(f"{where}: matrix must map parameter names to a list of values "
                            "or to a named list (country-production)")
    named = {k: v for k, v in matrix.items() if isinstance(v, str)}
    listed = {k: v for k, v in matrix.items() if not isinstance(v, str)}
    if any(not isinstance(v, list) or not v for v in listed.values()):
        raise RegistryError(f"{where}: matrix values must be non-empty lists")
    rows = [dict(zip(listed, combo)) for combo in itertools.product(*listed.values())]
    for key, name in named.items():
        if name != "country-production" or key != "commodity_measure":
            raise RegistryError(f"{where}: unknown data-driven matrix {key}: {name!r}; known: "
                                "commodity_measure: country-production")
        path = (processed_dir or config.PROCESSED_DIR) / MATRIX_VALUES
        try:
            pairs = json.loads(path.read_text(encoding="utf-8"))["country_production"]
        except FileNotFoundError:
            pairs = []  # not cleaned yet: `reelib data` writes it
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise RegistryError(f"{path} is damaged ({type(exc).__name__}); run `reelib "
                                "clean` to write it again") from exc
        rows = [{**r, "commodity": p["commodity"], "measure": p["measure"]}
                for r in rows for p in pairs]
    return rows


def _entries(entry: object, i: int, path: Path,
             processed_dir: Path | None = None) -> list[ReportSpec]:
    """One entry of the reports file as report specs (several for a ``matrix:``)."""
    if isinstance(entry, dict) and "matrix" in entry:
        where = f"{path}: report #{i + 1} ({entry.get('name')!r})"
        if not isinstance(entry.get("parameters") or {}, dict):
            raise RegistryError(f"{where}: parameters must be a mapping of names to values "
                                f"(name: value), got a {type(entry['parameters']).__name__}")
        out = []
        for values in _matrix_rows(entry["matrix"], where, processed_dir):
            fill = {k: slug(v)[:40].rstrip("-") for k, v in values.items()}  # short names
            try:
                name = str(entry.get("name", "")).format(**fill)
                title = str(entry.get("title", "")).format(**values)
            except (KeyError, IndexError, ValueError, AttributeError, TypeError) as exc:
                raise RegistryError(f"{where}: name and title may use only the matrix's "
                                    f"parameters {sorted(values)} in braces, as {{name}}, "
                                    f"with no attribute or index ({exc})") from exc
            one = {k: v for k, v in entry.items() if k not in ("matrix", "group")}
            one.update(name=name, title=title,
                       parameters={**(entry.get("parameters") or {}), **values})
            spec = _entry(one, i, path)
            out.append(replace(spec, group=str(entry.get("group") or entry["name"])))
        return out
    return [_entry(entry, i, path)]


def _entry(entry: object, i: int, path: Path) -> ReportSpec:
    where = f"{path}: report #{i + 1}"
    if not isinstance(entry, dict):
        raise RegistryError(f"{where} is a {type(entry).__name__}, expected a mapping with "
                            "name and notebook")
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise RegistryError(f"{where} ({entry.get('name')!r}) has unknown key(s) {unknown}; "
                            f"known: {sorted(_KEYS)}")
    try:
        name = check_not_reserved(check_name(entry.get("name"), "report name"), where)
        notebook_name = check_name(entry.get("notebook"), "notebook")
        notebook = path.parent / notebook_name
        ensure_inside(notebook, path.parent, "notebook")
    except UnsafePathError as exc:
        raise RegistryError(f"{where}: {exc}") from exc
    parameters = entry.get("parameters") or {}
    if not isinstance(parameters, dict) or not all(isinstance(k, str) for k in parameters):
        raise RegistryError(f"{where} ({name}): parameters must be a mapping of names to "
                            "values")
    needs = entry.get("needs") or []
    if not isinstance(needs, list) or not all(isinstance(n, str) for n in needs):
        raise RegistryError(f"{where} ({name}): needs must be a list of report names")
    timeout = entry.get("timeout")
    if timeout is not None:
        timeout = check_timeout(timeout, f"{where} ({name})")
    for key in ("title", "description"):
        if not isinstance(entry.get(key, ""), str):
            raise RegistryError(f"{where} ({name}): {key} must be text")
    return ReportSpec(name=name, notebook=notebook, title=entry.get("title") or name,
                      parameters=dict(parameters), needs=tuple(needs),
                      description=entry.get("description", ""),
                      nbval=bool(entry.get("nbval", False)),
                      timeout=float(timeout) if timeout is not None else None)


def load_reports_file(path: Path | None = None,
                      processed_dir: Path | None = None) -> list[ReportSpec]:
    """Read ``notebooks/reports.yaml`` into checked report specs (see the module doc);
    a ``matrix:`` entry becomes one report per parameter set."""
    path = Path(path or config.REPORTS_FILE)
    try:
        doc = yamltext.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RegistryError(f"{path}: reports file not found") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{path}: not valid YAML: {' '.join(str(exc).split())}") from exc
    entries = doc.get("reports") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        raise RegistryError(f"{path}: expected a mapping with a 'reports' list")
    specs, seen = [], set()
    for i, entry in enumerate(entries):
        for spec in _entries(entry, i, path, processed_dir):
            if spec.name in seen:
                raise RegistryError(f"{path}: report name {spec.name!r} is used twice")
            seen.add(spec.name)
            specs.append(spec)
    for s in specs:
        missing = [n for n in s.needs if n not in seen]
        if missing:
            raise RegistryError(f"{path}: report {s.name!r} needs unknown report(s) {missing}")
    order_specs(specs)  # refuse a cycle now, before anything runs
    return specs


def order_specs(specs: list[ReportSpec]) -> list[ReportSpec]:
    """Topological order (stable): a report comes after the reports it needs."""
    done: list[ReportSpec] = []
    pending = list(specs)
    while pending:
        names = {d.name for d in done}
        ready = [s for s in pending if all(n in names for n in s.needs)]
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
        raise RegistryError(f"unknown report(s) {unknown}{_suggest(unknown[0], by_name)}; "
                            f"`reelib list` shows the {len(by_name)} reports")
    wanted, stack = set(), list(names)
    while stack:
        n = stack.pop()
        if n not in wanted:
            wanted.add(n)
            stack.extend(by_name[n].needs)
    return [s for s in specs if s.name in wanted]


def matrix_names(group: str, path: Path | None = None) -> dict[tuple, str]:
    """``{(commodity, measure, ...) parameter values: report name}`` of a matrix entry's
    reports, keyed by the values of its matrix parameters in order (the atlas links
    them)."""
    out = {}
    for spec in load_reports_file(path):
        if spec.group == group:
            keys = [k for k in ("commodity", "measure") if k in spec.parameters]
            out[tuple(spec.parameters[k] for k in keys)] = spec.name
    return out


def adhoc_spec(base: ReportSpec, overrides: dict[str, Any], *, name: str | None = None,
               title: str | None = None) -> ReportSpec:
    """A report run once with other parameters: ``base``'s notebook, parameters and needs,
    with ``overrides`` on top, written under its own name (``prices-nd--element-Sm``
    unless ``name`` is given) so it never replaces a report of the reports file."""
    if not overrides:
        raise RegistryError(f"an ad-hoc report of {base.name!r} needs at least one -p "
                            "name=value")
    auto = base.name + "--" + "--".join(f"{k}-{slug(v, lower=False)}"
                                        for k, v in overrides.items())
    if len(auto) > MAX_ADHOC_NAME:  # cut, but keep every parameter in a digest
        import hashlib
        import json

        digest = hashlib.sha256(json.dumps(overrides, sort_keys=True, default=str)
                                .encode("utf-8")).hexdigest()[:12]
        auto = f"{auto[:MAX_ADHOC_NAME - 14].rstrip('-.')}--{digest}"
    try:
        name = check_name(name or auto, "ad-hoc report name")
    except UnsafePathError as exc:
        raise RegistryError(str(exc)) from exc
    check_not_reserved(name, "ad-hoc report name")
    shown = ", ".join(f"{k} = {v}" for k, v in overrides.items())
    return ReportSpec(name=name, notebook=base.notebook,
                      title=title or f"{base.title}: ad-hoc run with {shown}",
                      parameters={**base.parameters, **overrides}, needs=base.needs,
                      description=f"Ad-hoc run of {base.notebook.name} ({shown}), not in "
                                  "the reports file.", timeout=base.timeout, adhoc=True)


def resolve_notebook(name: str | Path) -> Path:
    """A notebook path from a path, a file name, a stem or its number ('06').

    Raises ``ParameterError`` listing the notebooks when nothing (or several) match.
    """
    path = Path(name)
    if path.is_file():
        return path
    notebooks = sorted(config.NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb"))
    text = str(name).removesuffix(".ipynb")
    hits = [p for p in notebooks if p.stem == text or p.name == path.name]
    if not hits:
        hits = [p for p in notebooks if p.stem.startswith(text + "-") or p.stem.startswith(text)]
    if len(hits) == 1:
        return hits[0]
    listing = ", ".join(p.name for p in notebooks)
    what = "matches several notebooks" if hits else "is not a notebook"
    raise ParameterError(f"{name!r} {what}; give a path or one of: {listing}")


def _suggest(name: str, known) -> str:
    """' (did you mean 'x'?)' for a near miss among ``known`` names, else ''."""
    import difflib

    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""


def base_spec(name: str, specs: list[ReportSpec]) -> ReportSpec:
    """The report an ad-hoc run starts from: a report name, or a notebook (path, file name,
    stem or number) run with its own defaults."""
    for spec in specs:
        if spec.name == name:
            return spec
    try:
        notebook = resolve_notebook(name)
    except ParameterError as exc:
        raise RegistryError(f"{name!r} is neither a report in the reports file"
                            f"{_suggest(name, [s.name for s in specs])} nor a notebook: "
                            f"{exc}") from exc
    return ReportSpec(name=notebook.stem, notebook=notebook, title=_heading(notebook))


def _heading(notebook: Path) -> str:
    """The notebook's first level-1 heading (its title), else its file stem."""
    import json

    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return notebook.stem
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            for line in "".join(cell.get("source", "")).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return notebook.stem


def titles_of(names: list[str], path: Path | None = None) -> list[tuple[str, str]]:
    """``(name, title)`` of the named reports, in the reports file's order."""
    return [(s.name, s.title) for s in load_reports_file(path) if s.name in names]


def needs_of(name: str, path: Path | None = None) -> list[str]:
    """The reports ``name`` needs, as the reports file lists them (the summary reads them)."""
    for spec in load_reports_file(path):
        if spec.name == name:
            return list(spec.needs)
    raise RegistryError(f"no report {name!r} in the reports file")
