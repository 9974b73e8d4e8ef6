"""A notebook's parameters and declarations, and checking a report's parameters against
them before any kernel starts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat

from reelib.build.specs import ReportSpec
from reelib.exceptions import ParameterError

_TYPES = {"int": int, "float": (int, float), "str": str, "bool": bool, "list": list,
          "dict": dict}


def notebook_parameters(notebook: str | Path) -> dict[str, dict[str, Any]]:
    """Return the notebook's parameters: name -> {name, type, default, help}."""
    import papermill as pm

    params = pm.inspect_notebook(str(notebook))
    return {name: {"name": name, "type": p.get("inferred_type_name", "None"),
                   "default": p.get("default"), "help": p.get("help", "")}
            for name, p in params.items()}


def validate_parameters(spec: ReportSpec) -> dict[str, Any]:
    """Check a report's parameters against its notebook; return them with report_dir.

    Raises ``ParameterError`` for an unknown name or a value of the wrong type, listing
    the notebook's parameters with their types and defaults.
    """
    if not spec.notebook.is_file():
        raise ParameterError(f"report {spec.name!r}: notebook {spec.notebook} not found")
    declared = notebook_parameters(spec.notebook)
    listing = "; ".join(f"{p['name']}: {p['type']} = {p['default']}" for p in declared.values())
    for key, value in spec.parameters.items():
        if key not in declared:
            raise ParameterError(f"report {spec.name!r}: {spec.notebook.name} has no parameter "
                                 f"{key!r}. Its parameters: {listing}")
        expected = declared[key]["type"].split("[")[0]
        if expected in _TYPES and not (isinstance(value, _TYPES[expected])
                                       and not (expected != "bool" and isinstance(value, bool))):
            raise ParameterError(f"report {spec.name!r}: parameter {key!r} must be {expected}, "
                                 f"got {type(value).__name__} {value!r}. Its parameters: "
                                 f"{listing}")
    if "report_dir" not in declared:
        raise ParameterError(f"{spec.notebook.name} lacks the 'report_dir: str = \"\"' "
                             "parameter every report notebook needs")
    return dict(spec.parameters)


def notebook_declarations(notebook: Path) -> dict[str, list[str]]:
    """Return what a notebook declares it produces: figures, tables, facts."""
    nb = nbformat.read(notebook, as_version=4)
    produces = nb.metadata.get("reelib", {}).get("produces", {})
    return {k: list(produces.get(k, [])) for k in ("figures", "tables", "facts")}


