"""The package is layered like the data's journey; imports only run down the layers.

    files -> sources -> reference -> readers -> processed -> analysis -> present -> build

A module may import from its own layer or a lower one, never from a higher one, and the
module graph (imports inside functions included) has no cycle. The top level of
``src/reelib`` holds only the package face, config, exceptions and the CLI.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import reelib

PACKAGE = Path(reelib.__file__).resolve().parent
#: Layers from the ground up; a module may import only from its own layer or lower ones.
LAYERS = ["ground", "files", "sources", "reference", "readers", "processed", "analysis",
          "present", "build", "cli"]
GROUND = {"reelib", "reelib.config", "reelib.exceptions"}
TOP_LEVEL = {"__init__.py", "config.py", "exceptions.py", "cli.py"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}


def layer(module: str) -> int:
    if module in GROUND:
        return 0
    return LAYERS.index(module.split(".")[1])


def _resolve(name: str) -> str | None:
    """The reelib module an import refers to (a name inside a module -> that module)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str) -> set[str]:
    """Every reelib module ``module`` imports, at the top or inside functions."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # "from reelib.x import y": the module reelib.x.y if there is one, else reelib.x
            names = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in MODULES
                     else node.module for a in node.names]
        else:
            continue
        for name in names:
            if name == "reelib" or name.startswith("reelib."):
                target = _resolve(name)
                if target and target != module:
                    out.add(target)
    return out


GRAPH = {m: imports_of(m) for m in MODULES}


def test_every_module_sits_in_a_known_layer():
    unknown = [m for m in MODULES if m not in GROUND and m.split(".")[1] not in LAYERS]
    assert not unknown, f"modules outside the layers: {unknown}"


def test_the_top_level_holds_only_the_face_config_exceptions_and_cli():
    top = {p.name for p in PACKAGE.glob("*.py")}
    assert top <= TOP_LEVEL, f"move {sorted(top - TOP_LEVEL)} into a layer folder"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_import_runs_up_the_layers(module):
    upward = sorted(t for t in GRAPH[module] if layer(t) > layer(module))
    assert not upward, (f"{module} (layer {LAYERS[layer(module)]}) imports higher layers: "
                        f"{[(t, LAYERS[layer(t)]) for t in upward]}")


def test_the_module_graph_has_no_cycle():
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in sorted(GRAPH[m]):
            if state.get(t) == 1:
                cycle = stack[stack.index(t):] + [t]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(GRAPH):
        if m not in state:
            visit(m)


def test_the_checker_sees_imports_inside_functions(tmp_path):
    """The parser must find an import hidden in a function body (how cycles hide)."""
    assert "reelib.processed.store" in GRAPH["reelib.present.report"]
    assert any("reelib.build" in t for t in GRAPH["reelib.cli"])  # imported inside functions
