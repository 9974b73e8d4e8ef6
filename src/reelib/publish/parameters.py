"""A notebook's parameters and declarations, and checking a report's parameters against
them before the report starts."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from reelib.publish.specs import ReportSpec, resolve_notebook
from reelib.exceptions import ParameterError
from reelib.processed.domains import check_ranges

_TYPES = {"int": int, "float": (int, float), "str": str, "bool": bool, "list": list,
          "dict": dict}


def _as_of(value: Any) -> Any:
    """A date, YYYY-MM-DD, or blank for today (imported here: the export-controls table
    needs pandas, which the no-op build never imports)."""
    from reelib.reference.export_controls import resolve_as_of

    return resolve_as_of(value)


#: parameters whose values have a form of their own, checked before the report starts
_VALUE_CHECKS = {"as_of": _as_of}


def notebook_parameters(notebook: str | Path) -> dict[str, dict[str, Any]]:
    """Return the notebook's parameters: name -> {name, type, default, help}."""
    import papermill as pm

    path = resolve_notebook(notebook)
    try:
        params = pm.inspect_notebook(str(path))
    except (OSError, ValueError, json.JSONDecodeError) as exc:
        raise ParameterError(f"{path}: cannot read the notebook's parameters ({exc})") from exc
    return {name: {"name": name, "type": p.get("inferred_type_name", "None"),
                   "default": p.get("default"), "help": p.get("help", "")}
            for name, p in params.items()}


def validate_parameters(spec: ReportSpec) -> dict[str, Any]:
    """Check a report's parameters against its notebook; return them.

    Raises ``ParameterError`` for a missing notebook, an unknown name or a value of the
    wrong type, listing the notebook's parameters with their types and defaults.
    """
    if not spec.notebook.is_file():
        raise ParameterError(f"report {spec.name!r}: notebook {spec.notebook} not found")
    declared = notebook_parameters(spec.notebook)
    return check_declared(spec.name, spec.notebook.name, declared, spec.parameters)


def check_declared(report: str, notebook: str, declared: dict, parameters: dict) -> dict:
    """``parameters`` checked against ``declared`` names and types (see above)."""
    listing = "; ".join(f"{p['name']}: {p['type']} = {p['default']}" for p in declared.values())
    parameters = dict(parameters)
    for key, value in list(parameters.items()):
        if (isinstance(value, (datetime.date, datetime.datetime)) and key in declared
                and declared[key]["type"].split("[")[0] == "str"):
            # '-p as_of=2025-12-31' reads as a YAML date; a str parameter wants its text
            parameters[key] = value = value.isoformat()
        if key not in declared:
            raise ParameterError(f"report {report!r}: {notebook} has no parameter "
                                 f"{key!r}. Its parameters: {listing}")
        expected = declared[key]["type"].split("[")[0]
        if expected in _TYPES and not (isinstance(value, _TYPES[expected])
                                       and not (expected != "bool" and isinstance(value, bool))):
            raise ParameterError(f"report {report!r}: parameter {key!r} must be {expected}, "
                                 f"got {type(value).__name__} {value!r}. Its parameters: "
                                 f"{listing}")
        if key in _VALUE_CHECKS:
            try:
                _VALUE_CHECKS[key](value)
            except ParameterError as exc:
                raise ParameterError(f"report {report!r}: {exc}") from exc
    if "report_dir" not in declared:
        raise ParameterError(f"{notebook} lacks the 'report_dir: str = \"\"' "
                             "parameter every report notebook needs")
    try:  # numeric ranges need no data: checked before fetch and clean
        check_ranges(parameters)
    except ParameterError as exc:
        raise ParameterError(f"report {report!r}: {exc}") from exc
    return dict(parameters)


def notebook_declarations(notebook: Path) -> dict[str, list[str]]:
    """Return what a notebook declares it produces: figures, tables, facts."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    produces = nb.metadata.get("reelib", {}).get("produces", {})
    return {k: list(produces.get(k, [])) for k in ("figures", "tables", "facts")}
